"""Writing a comparison folder, atomically and never over an existing one:

    diff.csv  impact.csv  impact_by_group.csv  equity.csv  outcomes.csv
    figures/*.png *.svg   compare.xlsx         provenance.json

CSV files keep codes (``titled``, ``township_health_centre``) and four decimals for
programs; the workbook and the figures show labels in the chosen language, and the
workbook's impacts are the figures the summary and the report show (people whole).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from titlesim import __version__
from titlesim.compare.figures import all_figures, save
from titlesim.compare.impact import as_shown
from titlesim.compare.outcomes import outcome_table
from titlesim.compare.workbook import write_workbook
from titlesim.paramdoc import format_value
from titlesim.runfolder import base_provenance, run_folder, safe_component, write_json
from titlesim.runs import file_sha256, now
from titlesim.tablefiles import write_csv

DECIMALS = 4  # the CSV files' numbers, and the workbook's but counts of people
CSV_TABLES = ("diff", "impact", "impact_by_group", "equity", "outcomes")
SHOWN_TABLES = ("impact", "impact_by_group")  # the workbook shows them as the summary does


def default_parent(cmp, root: Path = Path("reports")) -> Path:
    return root / "compare" / safe_component(cmp.base_name)


def output_tables(cmp, lang: str = "zh") -> dict[str, pd.DataFrame]:
    """The tables as written: numbers rounded, parameter values as text. Workbook order."""
    diff = cmp.diff.copy()
    for column in ("base_value", "revision_value"):
        diff[column] = diff[column].map(_cell_value).astype(object)
    tables = {"scenarios": scenarios_table(cmp, lang), "outcomes": outcome_table(lang), "diff": diff,
              "impact": cmp.impact, "impact_by_group": cmp.impact_by_group, "equity": cmp.equity}
    return {name: _rounded(frame) for name, frame in tables.items()}


def workbook_tables(cmp, lang: str = "zh") -> dict[str, pd.DataFrame]:
    """The tables of ``compare.xlsx``: the CSV files' numbers, but the impacts as the
    command's summary and the report show them (people whole, intervals whole, the
    difference that of the shown means: :func:`titlesim.compare.impact.as_shown`)."""
    tables = output_tables(cmp, lang)
    for name in SHOWN_TABLES:
        tables[name] = as_shown(getattr(cmp, name), DECIMALS)
    return tables


def _cell_value(value):
    """Numbers stay numbers (Excel can compute with them); the rest as scenario text."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return value if number else format_value(value)


def _rounded(frame: pd.DataFrame) -> pd.DataFrame:
    floats = frame.select_dtypes("float").columns
    return frame.assign(**{c: frame[c].round(DECIMALS) for c in floats})


def titles(cmp, lang: str) -> dict[str, str]:
    """Each scenario's file name -> its title in ``lang``, as people know it."""
    return {name: s.title_in(lang) for name, s in cmp.scenarios.items()}


def scenarios_table(cmp, lang: str = "zh") -> pd.DataFrame:
    rows = []
    for i, (name, s) in enumerate(cmp.scenarios.items()):
        h = s.params.horizon
        rows.append({
            "role": "base" if i == 0 else "revision", "scenario": name, "title": s.title_in(lang),
            "question": (lang == "en" and s.params.question_en) or s.params.question,
            "description": s.params.description,
            "files": "; ".join(_shown_path(p) for p in s.files),
            "file_sha256": "; ".join(file_sha256(p) for p in s.files),
            "scenario_sha256": s.sha256(), "overrides": "; ".join(s.overrides),
            "seed": cmp.seed, "replicates": cmp.replicates,
            "horizon": f"{h.start}-{h.start + h.years - 1}", "titlesim_version": __version__})
    return pd.DataFrame(rows)


def _shown_path(path: Path) -> str:
    """Relative to the working folder when inside it, else as it is."""
    path = Path(path)
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def provenance(cmp, command: str | None, started: str, ended: str) -> dict:
    return {
        **base_provenance(),
        "base": cmp.base_name,
        "revisions": cmp.revision_names,
        "seed": cmp.seed,
        "replicates": cmp.replicates,
        "years": [int(cmp.years[0]), int(cmp.years[-1])],
        "common_random_numbers": True,
        "aligned": list(cmp.notes),
        "scenarios": [{
            "name": name, "title": {lang: s.title_in(lang) for lang in ("zh", "en")},
            "files": {str(p): file_sha256(p) for p in s.files},
            "scenario_sha256": s.sha256(), "overrides": list(s.overrides)}
            for name, s in cmp.scenarios.items()],
        "interval": "5th to 95th percentile of the paired differences over replicates",
        "command": command, "started": started, "ended": ended,
    }


def write_comparison(cmp, out_dir: Path | None = None, lang: str = "zh",
                     command: str | None = None, started: str | None = None,
                     progress: bool | None = False, figures: bool = True) -> Path:
    """Write the comparison into a new ``<timestamp>-<hash>`` folder under ``out_dir``
    (default ``reports/compare/<base>/``) and return the folder. ``figures=False`` leaves
    out the ``figures/`` folder (drawing its 19 figures is most of the writing's time)."""
    from titlesim.progress import step
    step("progress_compare_writing", progress)
    started = started or now()
    parent = Path(out_dir) if out_dir is not None else default_parent(cmp)
    key = ":".join([*(s.sha256() for s in cmp.scenarios.values()), str(cmp.seed),
                    str(cmp.replicates)])
    tables = output_tables(cmp, lang)
    with run_folder(parent, hashlib.sha256(key.encode()).hexdigest()) as folder:
        tmp = folder.tmp
        for name in CSV_TABLES:
            write_csv(tables[name], tmp / f"{name}.csv")
        if figures:
            (tmp / "figures").mkdir()
            for stem, fig in all_figures(cmp, lang):
                save(fig, tmp / "figures", stem)
        write_comparison_workbook(cmp, tmp / "compare.xlsx", lang)
        write_json(tmp / "provenance.json", provenance(cmp, command, started, now()))
    return folder.path


def write_comparison_workbook(cmp, path: Path, lang: str = "zh") -> None:
    """``compare.xlsx`` as the comparison folder holds it, written to ``path``."""
    write_workbook(workbook_tables(cmp, lang), path, lang, titles(cmp, lang))
