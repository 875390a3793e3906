"""Which scenario the what-if view opens, and control values as ``--set`` overrides.

The notebooks take their scenario from a parameter cell; these environment variables,
when set, take precedence, so that a served page (Voilà) or a test can open another
scenario without editing the notebook:

``TITLESIM_WHATIF_SCENARIO``
    path of the scenario file to open (e.g. ``scenarios/grassroots-ratio-0.6.yaml``;
    a relative path not found from the notebook's folder is taken from the shipped ones)
``TITLESIM_WHATIF_SET``
    overrides applied on top of it, separated by ``;`` (e.g.
    ``population.size=3000;horizon.years=3;replicates=3``)
``TITLESIM_LANG``
    ``zh`` (default) or ``en``

``titlesim serve`` sets three more for its pages' kernels:

``TITLESIM_SCENARIOS``
    the folder of scenario files (the compare page's choices; where revisions are saved)
``TITLESIM_WORKSPACE``
    the folder whose ``reports/`` the report button writes to
``TITLESIM_DOWNLOADS``
    the URL path under which the server hands out files of those two folders
    (``/titlesim/download/``); without it a page embeds a file in its download link
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from titlesim import labels
from titlesim.workfolder import shipped_path

ENV_SCENARIO = "TITLESIM_WHATIF_SCENARIO"
ENV_SET = "TITLESIM_WHATIF_SET"
ENV_LANG = "TITLESIM_LANG"
ENV_FOLDER = "TITLESIM_SCENARIOS"
ENV_WORKSPACE = "TITLESIM_WORKSPACE"
ENV_DOWNLOADS = "TITLESIM_DOWNLOADS"
REPO = shipped_path()  # the shipped working-folder files (the checkout's own, in a checkout)
DEFAULT_SCENARIO = REPO / "scenarios" / "baseline-2022.yaml"


@dataclass(frozen=True)
class OpenSettings:
    scenario: Path
    overrides: tuple[str, ...]  # every override to open with, the trial's last
    lang: str
    trial: tuple[str, ...] = ()  # those from TITLESIM_WHATIF_SET: never written into a revision


def split_overrides(text: str | None) -> tuple[str, ...]:
    """``"a=1; b=2"`` -> ``("a=1", "b=2")``."""
    return tuple(part.strip() for part in (text or "").split(";") if part.strip())


def open_settings(scenario=None, overrides=(), lang=None, environ=None) -> OpenSettings:
    """The scenario, overrides and language to open: environment first, then the
    arguments, then the baseline in Chinese."""
    env = os.environ if environ is None else environ
    served = Path(env[ENV_FOLDER]) / DEFAULT_SCENARIO.name if env.get(ENV_FOLDER) else None
    path = Path(env.get(ENV_SCENARIO) or served or scenario or DEFAULT_SCENARIO)
    if not path.is_absolute() and not path.exists() and (REPO / path).exists():
        path = REPO / path
    if isinstance(overrides, str):
        overrides = split_overrides(overrides)
    extra = split_overrides(env.get(ENV_SET))
    lang = labels.check_language(env.get(ENV_LANG) or lang or "zh")
    return OpenSettings(path, tuple(overrides) + extra, lang, extra)


def yaml_value(value) -> str:
    """A value as the YAML text of a ``--set KEY=VALUE`` override."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def to_overrides(changes: dict) -> list[str]:
    return [f"{path}={yaml_value(value)}" for path, value in changes.items()]


def scenario_folder(folder=None, environ=None) -> Path:
    """The folder of scenario files: the served one, else ``folder``, else the project's."""
    env = os.environ if environ is None else environ
    return Path(env.get(ENV_FOLDER) or folder or DEFAULT_SCENARIO.parent)


def workspace(environ=None) -> Path | None:
    """The folder whose ``reports/`` the served pages write to (None: not served)."""
    env = os.environ if environ is None else environ
    return Path(env[ENV_WORKSPACE]) if env.get(ENV_WORKSPACE) else None
