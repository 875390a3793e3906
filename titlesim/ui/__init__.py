"""Interactive notebooks: the what-if view and the comparison view (ipywidgets).

The notebooks hold three lines; everything they show is built here, so tests reach it
without a browser:

>>> from titlesim.ui import whatif_app
>>> app = whatif_app("scenarios/baseline-2022.yaml", lang="zh")   # doctest: +SKIP
>>> app.set("passline.ratio", 0.6); app.wait().shown.headline("titled").value_text   # doctest: +SKIP

Modules: :mod:`.controls` (which levers, which widgets), :mod:`.runner` (simulate and
cache replicates), :mod:`.worker` (debounced latest-only background work),
:mod:`.summary` and :mod:`.panels` (the numbers shown), :mod:`.svg` and :mod:`.figures`
(the live charts), :mod:`.revision` (save a revision), :mod:`.reporting` (the report
button), :mod:`.settings` (which scenario to open, environment variables),
:mod:`.whatif` and :mod:`.compare_view` (the two views), :mod:`.engine` (the compiled passes
for these long-lived kernels).
"""
from __future__ import annotations

from titlesim.scenario import load_scenario
from titlesim.ui.settings import open_settings


def _start_page() -> None:
    """What a page's kernel does first: dump its threads' stacks on request
    (:mod:`titlesim.ui.stacks`) and start loading the compiled passes (:mod:`titlesim.ui.engine`)."""
    from titlesim.ui.engine import use_compiled
    from titlesim.ui.stacks import dump_on_signal
    dump_on_signal()
    use_compiled()


def whatif_app(scenario=None, lang: str | None = None, overrides=(), wait: bool = False, **options):
    """Open the what-if view on ``scenario`` (a path; the environment variables of
    :mod:`titlesim.ui.settings` take precedence). ``wait=True`` returns only once the first
    results are shown; the page's notebook does so. A browser loads a page's widgets only
    once the notebook has run, and a change made to a widget while it loads them (the
    first results, computed in the background) can be lost: the page would say
    "计算中……" for good. Computed before the notebook ends, they are part of what it loads."""
    from titlesim.ui import helper
    from titlesim.ui.runner import Runner
    from titlesim.ui.settings import workspace
    from titlesim.ui.whatif import WhatIf
    _start_page()
    opened = open_settings(scenario, overrides, lang)
    if workspace() is not None:
        options.setdefault("report_cwd", workspace())
    loaded = load_scenario(opened.scenario, opened.overrides)
    if "runner" not in options and helper.wanted():  # a second core simulates half the replicates
        options["runner"] = Runner(helper=helper.Helper(loaded))
    app = WhatIf(loaded, lang=opened.lang, trial=opened.trial, **options)
    return app.wait(timeout=None) if wait else app  # a first page after an install compiles


def compare_app(folder=None, lang: str | None = None, run: bool = False, **options):
    """Open the comparison view on the scenarios in ``folder`` (default: ``scenarios/``);
    ``options``: ``base``, ``revisions`` (file names), ``overrides`` (for every scenario;
    ``TITLESIM_WHATIF_SET`` adds a smaller trial's), ``replicates``. ``run=True`` compares
    at once and raises if the comparison is refused."""
    from titlesim.errors import InputError
    from titlesim.ui.compare_view import CompareView
    from titlesim.ui.settings import scenario_folder
    _start_page()
    opened = open_settings(None, (), lang)
    options["overrides"] = [*options.get("overrides", ()), *opened.trial]  # a smaller trial
    view = CompareView(scenario_folder(folder), lang=opened.lang, **options)
    if run and view.run() is None:
        raise InputError(view.message)
    return view


def plan_app(scenario=None, lang: str | None = None, overrides=(), run: bool = False, **options):
    """Open the planning view on ``scenario``; ``options``: ``levers`` and ``targets`` (as
    the command writes them), ``replicates``, ``workers``, ``out_root``. ``run=True`` plans
    at once and raises if the question is refused."""
    from titlesim.errors import InputError
    from titlesim.ui.plan_view import PlanView
    _start_page()
    opened = open_settings(scenario, overrides, lang)
    view = PlanView(opened.scenario, lang=opened.lang, overrides=opened.overrides, **options)
    if run and view.run() is None:
        raise InputError(view.message)
    return view


__all__ = ["compare_app", "plan_app", "whatif_app"]
