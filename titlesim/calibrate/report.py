"""The calibration's outputs, in a new folder written atomically:

- ``calibrated.yaml``: a revision that ``extends:`` the calibrated scenario (relative
  path) and states the fitted values, each with its standard error and 95 % interval in
  a comment (any ``--set`` values of the calibration are stated too);
- ``parameters.csv``: each fitted parameter, its value before and after, standard error,
  interval and bounds;
- ``fit.csv``: every observed count beside the model's before and after, with its set
  (fit or holdout); ``errors.csv``: RMSE and MAPE per set and metric, before and after;
- ``fit.svg``: observed against fitted per year and metric (Chinese labels by default);
- ``provenance.json``.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from titlesim.calibrate.fit import Calibration, error_measures
from titlesim.errors import InputError, Problem
from titlesim.labels import label
from titlesim.runfolder import base_provenance, new_run_dir, run_folder, safe_component, write_json
from titlesim.scenario.loader import parse_override
from titlesim.tablefiles import write_csv

Z95 = 1.959964


def parameters_table(cal: Calibration) -> pd.DataFrame:
    se = cal.std_error
    return pd.DataFrame({
        "parameter": [p.path for p in cal.free], "label": [p.label("zh") for p in cal.free],
        "start": cal.start, "fitted": cal.fitted, "std_error": se,
        "low95": np.maximum(cal.fitted - Z95 * se, [p.low for p in cal.free]),
        "high95": np.minimum(cal.fitted + Z95 * se, [p.high for p in cal.free]),
        "lower_bound": [p.low for p in cal.free], "upper_bound": [p.high for p in cal.free]})


def errors_table(cal: Calibration) -> pd.DataFrame:
    after = error_measures(cal.table, "fitted")
    before = error_measures(cal.table, "start")
    after["rmse_before"], after["mape_before"] = before["rmse"], before["mape"]
    return after


def _number(v: float) -> str:
    return f"{v:.4g}"


def revision_yaml(cal: Calibration, destination: Path, observed_sha: str,
                  lang: str | None = None) -> str:
    """The calibrated revision's text, its comments in ``lang`` (default: the language in
    use); ``extends`` is relative to ``destination``."""
    from titlesim.i18n import msg
    scenario = cal.scenario
    if scenario.path is None:
        raise InputError(Problem("a calibrated revision needs a scenario file to extend"))
    base = os.path.relpath(Path(scenario.path).resolve(), Path(destination).resolve())
    errors = errors_table(cal).set_index(["set", "metric"])
    fit = errors.loc[("fit", "all")]
    lines = [msg("calibrate.yaml_header", lang, name=scenario.name),
             msg("calibrate.yaml_observed", lang, file=cal.observed.file, sha=observed_sha[:16],
                 years=_years(cal.fit_years), replicates=cal.replicates, seed=cal.seed),
             msg("calibrate.yaml_fit", lang, rmse=f"{fit['rmse']:.3g}", mape=f"{fit['mape']:.3g}",
                 rmse_before=f"{fit['rmse_before']:.3g}", mape_before=f"{fit['mape_before']:.3g}")]
    if cal.holdout_years:
        hold = errors.loc[("holdout", "all")]
        lines.append(msg("calibrate.yaml_backtest", lang, years=_years(cal.holdout_years),
                         rmse=f"{hold['rmse']:.3g}", mape=f"{hold['mape']:.3g}"))
    lines.append(f"extends: {base}")
    lines += _words(cal)
    tree: dict = {}
    for text in scenario.overrides:  # the calibration's own --set values are part of it
        parts, value = parse_override(text)
        _put(tree, parts, (value, msg("calibrate.yaml_set", lang)))
    table = parameters_table(cal)
    for row in table.itertuples(index=False):
        interval = msg("calibrate.yaml_unpinned", lang) if np.isnan(row.std_error) else msg(
            "calibrate.yaml_interval", lang, se=_number(row.std_error), low=_number(row.low95),
            high=_number(row.high95))
        _put(tree, row.parameter.split("."), (float(_number(row.fitted)), msg(
            "calibrate.yaml_fitted", lang, interval=interval, start=_number(row.start),
            lower=_number(row.lower_bound), upper=_number(row.upper_bound))))
    lines += _emit(tree, 0)
    return "\n".join(lines) + "\n"


def _words(cal: Calibration) -> list[str]:
    """``title:`` and ``question:`` in Chinese and English: how reports, comparisons and
    pages name the calibrated revision."""
    import json

    from titlesim.i18n import msg
    s, file = cal.scenario, Path(str(cal.observed.file)).name
    out = []
    for lang, suffix in (("zh", ""), ("en", "_en")):
        title = msg("calibrate_title", lang, base=s.title_in(lang))
        question = msg("calibrate_question", lang, base=s.title_in(lang), file=file,
                       years=_years(cal.fit_years))
        out += [f"title{suffix}: {json.dumps(title, ensure_ascii=False)}",
                f"question{suffix}: {json.dumps(question, ensure_ascii=False)}"]
    return out


def _years(years) -> str:
    return f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]}"


def _put(tree: dict, parts, leaf) -> None:
    for part in parts[:-1]:
        tree = tree.setdefault(part, {})
    tree[parts[-1]] = leaf


def _emit(tree: dict, depth: int) -> list[str]:
    out = []
    for key, node in tree.items():
        if isinstance(node, dict):
            out.append(f"{'  ' * depth}{key}:")
            out += _emit(node, depth + 1)
        else:
            value, comment = node
            text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True)
            text = text.strip().removesuffix("...").strip()
            out.append(f"{'  ' * depth}{key}: {text}   # {comment}")
    return out


def chart(cal: Calibration, lang: str = "zh"):
    """Observed, before and after per year, one panel per metric (sums over the groups)."""
    from matplotlib.figure import Figure

    from titlesim.fonts import use_cjk_font
    use_cjk_font()
    metrics = list(dict.fromkeys(cal.table["metric"]))
    ncols = min(3, len(metrics))
    nrows = -(-len(metrics) // ncols)
    fig = Figure(figsize=(4.2 * ncols, 3.2 * nrows), layout="constrained")
    totals = cal.table.groupby(["metric", "year"])[["value", "start", "fitted"]].sum()
    for i, metric in enumerate(metrics):
        ax = fig.add_subplot(nrows, ncols, i + 1)
        part = totals.loc[metric]
        if cal.holdout_years:
            ax.axvspan(cal.holdout_years[0] - 0.5, cal.holdout_years[-1] + 0.5, color="#eeeeee",
                       label=label("calibrate", "holdout", lang))
        ax.plot(part.index, part["start"], color="#9a9a9a", linestyle="--",
                label=label("calibrate", "start", lang))
        ax.plot(part.index, part["fitted"], color="C0", label=label("calibrate", "fitted", lang))
        ax.plot(part.index, part["value"], "o", color="C3",
                label=label("calibrate", "observed", lang))
        ax.set_title(label("metric", metric, lang), fontsize="medium")
        ax.set_xlabel(label("column", "year", lang))
        ax.set_ylabel(label("calibrate", "count", lang))
        ax.set_xticks(part.index)
        if i == 0:
            ax.legend(fontsize="small")
    fig.suptitle(label("calibrate", "title", lang))
    return fig


def write_calibration(cal: Calibration, out: Path | None, command: str | None = None,
                      lang: str = "zh", started: str | None = None) -> Path:
    """Write the calibration into a new folder under ``out`` (default
    ``reports/calibrations/<scenario>/``) and return it."""
    from titlesim.runs import now
    parent = Path(out) if out is not None else \
        Path("reports") / "calibrations" / safe_component(cal.scenario.name)
    observed_sha = hashlib.sha256(Path(cal.observed.file).read_bytes()).hexdigest()
    short = hashlib.sha256(f"{cal.scenario.sha256()}:{observed_sha}:{cal.overrides()}".encode()
                           ).hexdigest()
    destination = new_run_dir(parent, short)
    text = revision_yaml(cal, destination, observed_sha, lang)
    with run_folder(parent, short) as folder:
        tmp = folder.tmp
        (tmp / "calibrated.yaml").write_text(text, encoding="utf-8")
        write_csv(parameters_table(cal), tmp / "parameters.csv")
        table = cal.table.rename(columns={"value": "observed"})
        write_csv(table, tmp / "fit.csv", float_format="%.6g")
        write_csv(errors_table(cal), tmp / "errors.csv", float_format="%.6g")
        chart(cal, lang).savefig(tmp / "fit.svg")
        write_json(tmp / "provenance.json", base_provenance() | {
            "command": command, "scenario": cal.scenario.name,
            "title": {lang: cal.scenario.title_in(lang) for lang in ("zh", "en")},
            "scenario_files": [str(f) for f in cal.scenario.files],
            "scenario_sha256": cal.scenario.sha256(), "overrides": list(cal.scenario.overrides),
            "observed": {"path": cal.observed.file, "sha256": observed_sha,
                         "rows": len(cal.table)},
            "parameters": [p.path for p in cal.free], "replicates": cal.replicates,
            "seed": cal.seed, "fit_years": cal.fit_years, "holdout_years": cal.holdout_years,
            "evaluations": cal.evaluations, "optimizer": cal.status,
            "started": started, "ended": now()})
    return folder.path
