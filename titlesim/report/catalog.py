"""The runs on disk: every folder under ``reports/`` with a ``provenance.json`` (reports,
``titlesim run`` folders, comparisons), and ``reports/index.html``, the page listing every
completed report. The index is regenerated from the run folders' provenance each time
(written to a temporary file, then renamed), so it never lists a failed or half-written
run: those have no provenance.json (failed runs sit in ``failed/``, runs being written in
hidden temporary folders)."""
from __future__ import annotations

import datetime as _dt
import html
import json
from dataclasses import dataclass, field
from pathlib import Path

from titlesim.report.words import column_label, list_of, local_time, num, say
from titlesim.runfolder import write_text_atomic

HEADLINE = ("titled_per_year", "passed_ratio_only_per_year", "line_mean", "waiting_end")
DIGITS = {"line_mean": 1}  # a score has a decimal; people are whole
# kinds a folder's provenance records (older sweeps and sensitivity analyses did not)
RECORDED_KINDS = ("export", "plan", "sweep", "sensitivity")


@dataclass
class Run:
    kind: str  # report, run, compare, export, plan, passline, sweep, sensitivity or calibrate
    folder: Path
    scenario: str
    started: str
    seed: int | None
    replicates: int | None
    revisions: list[str] = field(default_factory=list)
    headline: dict = field(default_factory=dict)
    titles: dict = field(default_factory=dict)  # scenario name -> {"zh": title, "en": title}

    def title(self, name: str, lang: str) -> str:
        """A scenario of the run as people know it: its title in ``lang``, else its name."""
        titles = self.titles.get(name) or {}
        return titles.get(lang) or titles.get("zh") or name


def find_runs(root: Path = Path("reports")) -> list[Run]:
    """Every completed run under ``root``, newest first."""
    runs = []
    for path in Path(root).rglob("provenance.json"):
        parts = path.relative_to(root).parts[:-1]
        if any(p.startswith(".") or p == "failed" for p in parts):
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict):
            continue
        try:
            runs.append(_run(path.parent, data))
        except (TypeError, AttributeError, ValueError):  # not a provenance titlesim wrote
            continue
    return sorted(runs, key=lambda r: (started_at(r.started), str(r.folder)), reverse=True)


def started_at(stamp) -> float:
    """A run's recorded start as a moment (seconds since the epoch), to order runs by time,
    not by the text: "09:00+08:00" is before "02:00+00:00". A time without an offset is
    the computer's local time (:func:`titlesim.report.words.local_time` shows it so); a
    run without a readable start sorts as the oldest.

    >>> started_at("2026-03-01T09:00:00+08:00") < started_at("2026-03-01T02:00:00+00:00")
    True
    >>> started_at("") == started_at(None) == float("-inf")
    True
    """
    try:
        return _dt.datetime.fromisoformat(stamp).timestamp()
    except (TypeError, ValueError, OverflowError, OSError):
        return float("-inf")


def _run(folder: Path, data: dict) -> Run:
    if data.get("kind") == "report":
        scenarios = [s for s in data.get("scenarios", []) if isinstance(s, dict)]
        subject = data.get("scenario", "")
        others = [s.get("name", "") for s in scenarios if s.get("name") != subject]
        return Run("report", folder, subject, data.get("started", ""), data.get("seed"),
                   data.get("replicates"), others, data.get("headline") or {},
                   {s.get("name", ""): _titles(s.get("resolved")) for s in scenarios})
    if "base" in data:  # titlesim compare: its scenarios by the titles it recorded
        scenarios = [s for s in data.get("scenarios", []) if isinstance(s, dict)]
        return Run("compare", folder, data.get("base", ""), data.get("started", ""),
                   data.get("seed"), data.get("replicates"), list(data.get("revisions") or []),
                   titles={s.get("name", ""): _recorded_title(s) for s in scenarios})
    if isinstance(data.get("score_list"), dict):  # titlesim passline: a real score list
        scenario = data.get("scenario") if isinstance(data.get("scenario"), dict) else {}
        name = str(scenario.get("name", ""))
        return Run("passline", folder, name, data.get("started", ""), None, None,
                   titles={name: _recorded_title(scenario)})
    kind = data.get("kind") if data.get("kind") in RECORDED_KINDS else _simulated_kind(data)
    title = data.get("title") if isinstance(data.get("title"), dict) else {}
    titles = {k: str(v) for k, v in title.items()} or _resolved_title(folder)
    headline = data.get("headline") if isinstance(data.get("headline"), dict) else {}
    return Run(kind, folder, data.get("scenario", ""), data.get("started", ""),
               data.get("seed"), data.get("replicates"), headline=headline,
               titles={data.get("scenario", ""): titles})


def _simulated_kind(data: dict) -> str:
    """A folder of simulations whose provenance records no kind, by what it records: a
    calibration (the observed counts and the optimiser), a sensitivity analysis (before
    it recorded its kind), a sweep (its points; likewise), or a run."""
    if "observed" in data and "optimizer" in data:
        return "calibrate"
    if "sensitivity" in data:
        return "sensitivity"
    if "grid" in data or "sweep_versions" in data:
        return "sweep"
    return "run"


def _resolved_title(folder: Path) -> dict:
    """The scenario's titles from the merged scenario a folder keeps beside its results
    (older sweeps, sensitivity analyses), where its provenance records none."""
    path = folder / "scenario.resolved.yaml"
    if not path.is_file():
        return {}
    from titlesim.errors import InputError
    from titlesim.yamlfile import read_yaml
    try:
        return _titles(read_yaml(path).data)
    except (InputError, OSError):
        return {}


def _recorded_title(scenario: dict) -> dict:
    title = scenario.get("title") if isinstance(scenario.get("title"), dict) else {}
    return {k: str(v) for k, v in title.items()}


def _titles(resolved) -> dict:
    resolved = resolved if isinstance(resolved, dict) else {}
    return {"zh": str(resolved.get("title") or ""), "en": str(resolved.get("title_en") or "")}


def write_index(root: Path = Path("reports"), lang: str = "zh") -> Path:
    """(Re)write ``root/index.html`` listing every completed report."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    reports = [r for r in find_runs(root) if r.kind == "report"]
    page = index_html(reports, root, lang)
    return write_text_atomic(root / "index.html", page)


def index_html(reports: list[Run], root: Path, lang: str) -> str:
    columns = ["scenario", "started", "seed", "replicates", "revisions", *HEADLINE, "report"]
    head = "".join(f"<th>{html.escape(column_label(c, lang))}</th>" for c in columns)
    rows = []
    for r in reports:
        link = (r.folder / "report.html").relative_to(root).as_posix()
        compared = list_of([r.title(n, lang) for n in r.revisions], lang)
        cells = [r.title(r.scenario, lang), local_time(r.started), r.seed, r.replicates, compared]
        cells += [num(r.headline.get(k), DIGITS.get(k, 0)) for k in HEADLINE]
        rows.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells)
                    + f'<td><a href="{html.escape(link)}">{html.escape(r.folder.name)}</a></td></tr>')
    intro = say("index_intro", lang, n=len(reports)) if reports else say("index_empty", lang)
    title = html.escape(say("index_title", lang))
    return (f'<!DOCTYPE html>\n<html lang="{"zh" if lang == "zh" else "en"}"><head>'
            f'<meta charset="utf-8"><title>{title}</title><style>'
            "body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em}"
            "table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:3px 8px}"
            "th{background:#eef2f5}</style></head><body>"
            f"<h1>{title}</h1><p>{html.escape(intro)}</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            "</body></html>\n")
