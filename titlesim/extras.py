"""Which optional group of dependencies (an "extra" of the package) a missing module
belongs to, so that a command without it says what to install instead of a traceback.
The groups are those of ``[project.optional-dependencies]`` in pyproject.toml.

>>> extra_for(ModuleNotFoundError("No module named 'pandera'", name="pandera.pandas"))
'roster'
"""
from __future__ import annotations

EXTRAS = {
    "dask": "sweep", "distributed": "sweep", "SALib": "sweep",
    "pandera": "roster",
    "ipywidgets": "notebooks", "voila": "notebooks", "jupyterlab": "notebooks",
}


def extra_for(exc: ModuleNotFoundError) -> str | None:
    """The extra that provides the module ``exc`` misses, or None if it is not optional."""
    top = (exc.name or "").split(".")[0]
    return EXTRAS.get(top)
