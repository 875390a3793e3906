"""Reproducible, parameterised reports.

``notebooks/report.ipynb`` is the template: a ``parameters`` cell, then one call per
section of :class:`Report`. :mod:`titlesim.report.runner` runs it with Papermill into a
new run folder (``reports/<scenario>/<timestamp>-<hash>/``: the executed notebook,
``report.html``, ``tables.xlsx``, ``tables/*.csv``, ``figures/``, ``provenance.json``),
and :mod:`titlesim.report.catalog` lists the runs and writes ``reports/index.html``.

Modules: :mod:`.sections` (one builder per section: sentences from the numbers, tables,
figures), :mod:`.numbers`, :mod:`.words`, :mod:`.plots`, :mod:`.tables`, :mod:`.render`,
:mod:`.report`, :mod:`.runner`, :mod:`.provenance`, :mod:`.export`, :mod:`.catalog`.
"""
__all__ = ["Report"]


def __getattr__(name: str):
    """:class:`Report` (numpy, pandas and the sections) is imported when first asked for, not
    with the package: the ``titlesim report`` command's own process (the request, Papermill,
    the exports) never needs it, only the report's kernel does, and a refused command
    answers without loading the numeric stack."""
    if name == "Report":
        from titlesim.report.report import Report
        return Report
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
