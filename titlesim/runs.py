"""Writing a simulation run: ``metrics.csv`` (or ``metrics.parquet``), ``lines.csv``,
``scenario.resolved.yaml`` and ``provenance.json`` in a new folder, written atomically,
never overwritten; and reading a run's metrics back (:func:`read_metrics`)."""
from __future__ import annotations

import datetime as _dt
import hashlib
from pathlib import Path

import pandas as pd

from titlesim.errors import InputError, Problem
from titlesim.runfolder import base_provenance, run_folder, safe_component, write_json
from titlesim.simulate import Result
from titlesim.tablefiles import ENCODING, neutral_frame
from titlesim.tablefiles import write_csv as write_table

FLOAT_FORMAT = "%.6g"
FORMATS = ("csv", "parquet")
METRICS_FILES = {"csv": "metrics.csv", "parquet": "metrics.parquet"}


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """A large table as CSV, its text neutralised (:mod:`titlesim.tablefiles`). Arrow's
    writer is five times faster than pandas'; it is used unquoted when no text value
    needs quoting (category names from the scenario), else pandas writes it. UTF-8 with a
    byte-order mark, as every CSV titlesim writes (:data:`titlesim.tablefiles.ENCODING`)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    frame = neutral_frame(frame)
    texts = [str(v) for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)
             for v in frame[c].cat.categories]
    plain = frame.select_dtypes(exclude=["category", "number", "bool"]).empty
    if plain and not any(ch in t for t in texts + list(frame.columns) for ch in ',"\n\r'):
        table = pa.Table.from_pandas(frame, preserve_index=False)
        with open(path, "wb") as fh:
            fh.write((",".join(frame.columns) + "\n").encode(ENCODING))
            pacsv.write_csv(table, fh, pacsv.WriteOptions(include_header=False,
                                                          quoting_style="none"))
    else:
        frame.to_csv(path, index=False, lineterminator="\n", encoding=ENCODING)


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """A large table as compressed Parquet (zstd; category columns as dictionaries), about
    a twentieth of the CSV. Byte-identical for the same frame and pyarrow version."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path,
                   compression="zstd", compression_level=3)


def write_tables(result: Result, folder: Path, fmt: str = "csv") -> None:
    """The run's tables, byte-identical for the same inputs and seed; the metrics as
    ``metrics.csv`` or, with ``fmt="parquet"``, ``metrics.parquet``."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    writer = write_parquet if fmt == "parquet" else write_csv
    writer(result.metrics, folder / METRICS_FILES[fmt])
    write_table(result.lines, folder / "lines.csv", float_format=FLOAT_FORMAT)
    (folder / "scenario.resolved.yaml").write_text(result.scenario.resolved_yaml(), encoding="utf-8")


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def provenance(result: Result, command: str | None, started: str, ended: str,
               headline_figures: pd.DataFrame | None = None) -> dict:
    """What ran with what; ``headline_figures``: the run's headline
    (:func:`titlesim.report.headline.headline`) when already worked out."""
    from titlesim.report.headline import headline, record
    if headline_figures is None:
        headline_figures = headline(result)
    scenario = result.scenario
    return {
        **base_provenance(),
        "scenario": scenario.name,
        "title": titles(scenario),
        "scenario_files": {str(p): file_sha256(p) for p in scenario.files},
        "scenario_sha256": scenario.sha256(),
        "overrides": list(scenario.overrides),
        "seed": result.seed,
        "replicates": result.replicates,
        "years": [int(result.years[0]), int(result.years[-1])],
        "command": command,
        "started": started,
        "ended": ended,
        "headline": record(headline_figures),  # as a report's: listed by titlesim runs
    }


def titles(scenario) -> dict:
    """The scenario as people know it, for provenance.json: its title in each language."""
    return {lang: scenario.title_in(lang) for lang in ("zh", "en")}


def default_run_parent(scenario_name: str, root: Path = Path("reports")) -> Path:
    return root / "runs" / safe_component(scenario_name)


def write_run(result: Result, out: Path | None = None, command: str | None = None,
              started: str | None = None, fmt: str = "csv",
              headline_figures: pd.DataFrame | None = None) -> Path:
    """Write the run into a new folder and return it. ``out`` is the parent folder for
    runs (default ``reports/runs/<scenario>/``); the run gets a new
    ``<timestamp>-<short hash>`` folder under it. ``fmt`` is the metrics' format;
    ``headline_figures`` the run's headline, when already worked out (:func:`provenance`)."""
    parent = Path(out) if out is not None else default_run_parent(result.scenario.name)
    short = hashlib.sha256(f"{result.scenario.sha256()}:{result.seed}:{result.replicates}"
                           .encode()).hexdigest()
    started = started or now()
    with run_folder(parent, short) as folder:
        write_tables(result, folder.tmp, fmt)
        write_json(folder.tmp / "provenance.json",
                   provenance(result, command, started, now(), headline_figures))
    return folder.path


def read_metrics(path) -> pd.DataFrame:
    """A run's metrics from its folder, its ``metrics.csv`` or its ``metrics.parquet``:
    the same frame either way (group columns, ``metric`` and ``level`` as categories in the
    scenario's order, ``value`` int32; in a CSV the categories are those present)."""
    path = Path(path)
    if path.is_dir():
        found = [path / name for name in METRICS_FILES.values() if (path / name).exists()]
        if not found:
            raise InputError(Problem("no metrics.csv or metrics.parquet in this folder",
                                     file=str(path), expected="a run folder"))
        path = found[0]
    if not path.exists():
        raise InputError(Problem("file not found", file=str(path)))
    if path.suffix.lower() == ".parquet":
        return pd.read_parquet(path)
    from titlesim.metrics import GROUP_COLUMNS, METRICS
    frame = pd.read_csv(path, keep_default_na=False, dtype={"specialty": str})
    for column in ("series", "level", "county", "unit_type", "specialty"):
        frame[column] = frame[column].astype("category")
    frame["metric"] = pd.Categorical(frame["metric"], categories=METRICS)
    frame["grassroots"] = frame["grassroots"].astype(bool)
    frame["value"] = frame["value"].astype("int32")
    return frame[["replicate", "year", *GROUP_COLUMNS, "metric", "value"]]


def now() -> str:
    return _dt.datetime.now().astimezone().isoformat(timespec="seconds")


def headline(result: Result, lang: str = "zh") -> pd.DataFrame:
    """Per year, the mean over replicates of the headline counts, for a printed summary:
    people, so whole numbers (the run folder keeps every replicate's exact counts)."""
    from titlesim.labels import label
    names = ("headcount", "applied", "sat_exam", "passed_provincial", "passed_ratio_only",
             "titled", "titled_directed", "hired", "waiting")
    frame = pd.DataFrame({label("column", "year", lang): result.years})
    for name in names:
        means = result.total(name).groupby("year")["value"].mean()
        frame[label("metric", name, lang)] = means.reindex(result.years, fill_value=0).round() \
            .astype("int64").values
    return frame.set_index(label("column", "year", lang))
