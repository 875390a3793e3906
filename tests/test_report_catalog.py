"""The runs listing and reports/index.html are made from the run folders' provenance.json:
a completed report is listed, a failed run, a run still being written (hidden temporary
folder) and a broken file are not."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

from conftest import run_titlesim
from titlesim.report.catalog import find_runs, write_index

REPO = Path(__file__).resolve().parents[1]


def provenance(folder: Path, **data) -> Path:
    folder.mkdir(parents=True)
    (folder / "provenance.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


def report(folder: Path, started: str, titled: float) -> Path:
    provenance(folder, kind="report", scenario=folder.parent.name, started=started, seed=7,
               replicates=3, scenarios=[
                   {"name": folder.parent.name, "resolved": {"title": "基准", "title_en": "Base"}},
                   {"name": "revision-a", "resolved": {"title": "修订甲"}}],
               headline={"titled_per_year": titled, "line_mean": None, "waiting_end": 1234.4})
    (folder / "report.html").write_text("<html></html>", encoding="utf-8")
    return folder


def reports_tree(root: Path) -> dict[str, Path]:
    return {
        "old": report(root / "base" / "20260101-000000-aaaaaaaa", "2026-01-01T00:00:00", 12.5),
        "new": report(root / "base" / "20260102-000000-aaaaaaaa", "2026-01-02T00:00:00", 13.0),
        "run": provenance(root / "runs" / "base" / "20260103-000000-bbbbbbbb",
                          scenario="base", started="2026-01-03T00:00:00", seed=7, replicates=3),
        "failed": report(root / "base" / "failed" / "20260104-000000-aaaaaaaa",
                         "2026-01-04T00:00:00", 1.0),
        "writing": report(root / "base" / ".20260105-000000-aaaaaaaa.x.tmp",
                          "2026-01-05T00:00:00", 1.0),
    }


def test_completed_runs_are_found_newest_first(tmp_path):
    tree = reports_tree(tmp_path)
    (tmp_path / "base" / "broken").mkdir()
    (tmp_path / "base" / "broken" / "provenance.json").write_text("{not json", encoding="utf-8")
    runs = find_runs(tmp_path)
    assert [r.folder for r in runs] == [tree["run"], tree["new"], tree["old"]]
    assert [r.kind for r in runs] == ["run", "report", "report"]
    assert runs[1].revisions == ["revision-a"] and runs[1].headline["titled_per_year"] == 13.0


def test_runs_are_ordered_by_the_time_they_started_not_by_its_text(tmp_path):
    """Starts recorded with different UTC offsets (a laptop set to another zone, a run
    folder copied from a server) or none: the newest moment first, a run whose start
    cannot be read last; `titlesim runs` and the index list them so."""
    tree = {
        # 01:00 UTC: its text ("T09") sorts after the two below, its time before them
        "first": report(tmp_path / "a" / "20260301-090000-aaaaaaaa", "2026-03-01T09:00:00+08:00", 1.0),
        "second": report(tmp_path / "b" / "20260301-020000-bbbbbbbb", "2026-03-01T02:00:00+00:00", 2.0),
        "third": report(tmp_path / "c" / "20260301-033000-cccccccc", "2026-03-01T03:30:00+01:00", 3.0),
        "unknown": report(tmp_path / "d" / "20260302-000000-dddddddd", "", 4.0),
    }
    newest_first = [tree[k] for k in ("third", "second", "first", "unknown")]  # 02:30, 02:00, 01:00 UTC
    assert [r.folder for r in find_runs(tmp_path)] == newest_first
    listed = run_titlesim("runs", "--root", str(tmp_path), cwd=tmp_path,
                          env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert listed.returncode == 0, listed.stderr
    shown = [line.split()[-1] for line in listed.stdout.splitlines()[1:]]
    assert shown == [str(f) for f in newest_first], listed.stdout
    page = write_index(tmp_path, "en").read_text(encoding="utf-8")
    assert [page.index(f.name) for f in newest_first] == sorted(page.index(f.name) for f in newest_first)


def test_a_pass_line_folder_is_listed_and_a_foreign_provenance_breaks_nothing(tmp_path):
    """`titlesim passline ... --out reports/合格线` (as the README says) leaves a folder
    with its provenance under reports/: `titlesim runs` lists it as 合格线 with the
    scenario's title, its start, and – for the seed and replicates it does not have (it
    crashed on it, and so did every later report writing the index); a provenance.json
    titlesim did not write is left out."""
    from titlesim import load_scenario
    from titlesim.scorelist import run_passline
    root = tmp_path / "reports"
    run_passline(REPO / "examples" / "score-list-2022.csv",
                 load_scenario(REPO / "scenarios" / "baseline-2022.yaml"), None, root / "合格线")
    provenance(root / "other", scenario={"name": ["not", "a", "name"]}, title=7)
    report(root / "base" / "20260102-000000-aaaaaaaa", "2026-01-02T00:00:00", 13.0)
    runs = find_runs(root)
    assert [r.kind for r in runs] == ["passline", "report"]
    assert runs[0].title(runs[0].scenario, "zh") == "忻州市2022年度职称评审通知（原文）"
    listed = run_titlesim("runs", cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert listed.returncode == 0, listed.stderr
    row = listed.stdout.splitlines()[1].split()
    assert row[:2] == ["合格线", "忻州市2022年度职称评审通知（原文）"] and row[4:7] == ["–", "–", "–"], row
    assert "nan" not in listed.stdout.lower() and ".0 " not in listed.stdout
    write_index(root, "zh")  # the report's index, written after every report


def test_the_index_links_every_completed_report_and_nothing_else(tmp_path):
    reports_tree(tmp_path)
    page = write_index(tmp_path, "en").read_text(encoding="utf-8")
    assert page.count("<a href=") == 2
    assert '<a href="base/20260102-000000-aaaaaaaa/report.html">' in page
    assert "failed" not in page and ".tmp" not in page
    # headline: people whole; undefined shown as –
    assert "<td>13</td>" in page and "<td>1,234</td>" in page and "<td>–</td>" in page
    # scenarios by their titles in the page's language (the Chinese one when no English)
    assert "<td>Base</td>" in page and "<td>修订甲</td>" in page and "<td>base</td>" not in page
    chinese = write_index(tmp_path, "zh").read_text(encoding="utf-8")
    assert "<td>基准</td>" in chinese and "<td>13</td>" in chinese
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".index")]  # temp renamed


def test_runs_lists_the_runs_in_the_terminal(tmp_path):
    tree = reports_tree(tmp_path / "reports")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    listed = run_titlesim("runs", "--lang", "en", cwd=tmp_path, env=env)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0].split()[:2] == ["kind", "scenario"]
    assert [line.split()[0] for line in lines[1:]] == ["run", "report", "report"]
    assert str(tree["new"].relative_to(tmp_path)) in listed.stdout
    assert "failed" not in listed.stdout
    only_reports = run_titlesim("runs", "--kind", "report", cwd=tmp_path, env=env)
    assert len(only_reports.stdout.splitlines()) == 3


def test_runs_and_the_index_show_the_start_in_local_time_to_the_minute(tmp_path, monkeypatch):
    report(tmp_path / "reports" / "base" / "20261202-050541-cccccccc", "2026-12-02T05:05:41+00:00", 12.5)
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        for lang in ("zh", "en"):
            listed = run_titlesim("runs", "--lang", lang, cwd=tmp_path)
            assert listed.returncode == 0, listed.stderr
            assert "2026-12-02 13:05" in listed.stdout and "+00:00" not in listed.stdout, listed.stdout
        write_index(tmp_path / "reports", "zh")
        assert "<td>2026-12-02 13:05</td>" in (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")
    finally:
        monkeypatch.undo()
        time.tzset()


def test_sweeps_sensitivity_and_calibrations_are_listed_as_what_they_are(tmp_path):
    """Their provenance has no kind (older sweeps and sensitivity analyses, calibrations): a sweep records its grid, a sensitivity analysis its
    method, a calibration its observed counts and optimiser; the titles come from the
    merged scenario beside the results, or from the provenance."""
    common = dict(scenario="base", seed=7, replicates=2, scenario_sha256="x", sweep_versions={})
    sweep = provenance(tmp_path / "sweeps" / "base" / "a", started="2026-01-03T00:00:00", grid="g.yaml",
                       **common)
    (sweep / "scenario.resolved.yaml").write_text("title: 基准\ntitle_en: Base\n", encoding="utf-8")
    provenance(tmp_path / "sensitivity" / "base" / "b", started="2026-01-02T00:00:00",
               sensitivity={"method": "morris"}, **common)
    provenance(tmp_path / "calibrations" / "base" / "c", started="2026-01-01T00:00:00", scenario="base",
               seed=7, replicates=5, observed={"path": "o.csv"}, optimizer="converged",
               title={"zh": "基准", "en": "Base"})
    runs = find_runs(tmp_path)
    assert [r.kind for r in runs] == ["sweep", "sensitivity", "calibrate"]
    assert [r.title("base", "zh") for r in runs] == ["基准", "base", "基准"]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    listed = run_titlesim("runs", "--root", str(tmp_path), "--lang", "zh", cwd=tmp_path, env=env)
    assert [line.split()[0] for line in listed.stdout.splitlines()[1:]] == ["参数扫描", "敏感性分析", "校准"]
    only = run_titlesim("runs", "--root", str(tmp_path), "--kind", "calibrate", cwd=tmp_path, env=env)
    assert len(only.stdout.splitlines()) == 2


def test_the_kind_and_title_a_provenance_records_are_listed(tmp_path):
    """A sweep or a sensitivity analysis records what it is and the scenario's titles:
    listed by them, whatever else its provenance holds, with no merged scenario beside it."""
    common = dict(scenario="base", seed=7, replicates=2, title={"zh": "基准", "en": "Base"})
    provenance(tmp_path / "sensitivity" / "base" / "a", started="2026-01-02T00:00:00",
               kind="sensitivity", **common)
    provenance(tmp_path / "sweeps" / "base" / "b", started="2026-01-01T00:00:00", kind="sweep",
               **common)
    runs = find_runs(tmp_path)
    assert [r.kind for r in runs] == ["sensitivity", "sweep"]
    assert [r.title("base", "en") for r in runs] == ["Base", "Base"]
