"""The one run-folder writer and the neutralising table writers."""
from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from titlesim.errors import InputError
from titlesim.runfolder import atomic_write, prepare_parent, run_folder
from titlesim.tablefiles import excel_writer, neutralise, write_csv

ATTACKS = ["=HYPERLINK(\"http://evil.example/\",\"click\")", "=cmd|' /C calc'!A0", "+1+1",
           "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", ATTACKS)
def test_text_that_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["-0.5", "+3", "1e-3", "内科", "county-1", "", "a=b"])
def test_plain_text_and_numbers_stay_as_they_are(text):
    assert neutralise(text) == text


def test_csv_neutralises_values_categories_and_headers(tmp_path):
    frame = pd.DataFrame({"county": pd.Categorical(ATTACKS[:2]), "id": ATTACKS[2:4],
                          ATTACKS[4]: [1.5, -2.0]})
    write_csv(frame, tmp_path / "t.csv")
    back = pd.read_csv(tmp_path / "t.csv", dtype=str, keep_default_na=False)
    for value in [*back.columns, *back["county"], *back["id"]]:
        assert value[0] not in "=+-@\t\r" or value.lstrip("+-").replace(".", "").isdigit()
    assert list(back[back.columns[2]]) == ["1.5", "-2.0"]


def test_a_workbook_holds_strings_never_formulas(tmp_path):
    frame = pd.DataFrame({"text": ATTACKS, "n": range(len(ATTACKS))})
    with excel_writer(tmp_path / "t.xlsx") as writer:
        frame.to_excel(writer, sheet_name="s", index=False)
    cells = [c for row in openpyxl.load_workbook(tmp_path / "t.xlsx").active.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    assert [c.value for c in cells[2::2]][:-1] == ATTACKS[:-1]  # (xlsx stores \r as \n)


def test_files_and_folders_get_the_users_umask(tmp_path):
    old = os.umask(0o027)
    try:
        atomic_write(tmp_path / "index.html", lambda p: p.write_text("x"))
        with run_folder(tmp_path / "runs", "abcdef12") as out:
            (out.tmp / "a.csv").write_text("x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "index.html").stat().st_mode) == 0o640
    assert stat.S_IMODE(out.path.stat().st_mode) == 0o750


def test_two_identical_runs_at_once_both_land(tmp_path):
    barrier, landed = threading.Barrier(4), []

    def one():
        with run_folder(tmp_path, "samehash") as out:
            (out.tmp / "metrics.csv").write_text("x")
            barrier.wait()
        landed.append(out.path)

    threads = [threading.Thread(target=one) for _ in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert len(set(landed)) == 4 and all((p / "metrics.csv").exists() for p in landed)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in landed)


def test_an_error_inside_leaves_nothing(tmp_path):
    with pytest.raises(RuntimeError):
        with run_folder(tmp_path, "abc") as out:
            (out.tmp / "half.csv").write_text("x")
            raise RuntimeError
    assert list(tmp_path.iterdir()) == []


def test_out_that_is_a_file_a_symlink_or_unwritable_is_refused_naming_it(tmp_path):
    a_file = tmp_path / "file"
    a_file.write_text("x")
    link = tmp_path / "link"
    link.symlink_to(tmp_path)
    # /proc refuses new folders even to root, as a read-only or foreign folder would
    for place in (a_file, link, a_file / "below", Path("/proc"), Path("/proc/titlesim/deeper")):
        with pytest.raises(InputError) as caught:
            with run_folder(place, "abc"):
                pass
        assert caught.value.problems[0].file == str(place)
        assert caught.value.problems[0].key == "--out"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "link"]


def test_no_stray_folders_when_out_cannot_be_made(tmp_path):
    blocker = tmp_path / "a" / "b"
    blocker.parent.mkdir()
    blocker.write_text("x")
    with pytest.raises(InputError):
        prepare_parent(tmp_path / "a" / "b" / "c" / "d")
    assert [p.name for p in tmp_path.iterdir()] == ["a"]


def test_a_truncated_point_file_is_recomputed_on_resume_with_a_note(tmp_path, capsys):
    from conftest import small_scenario

    from titlesim.sweep.run import run_sweep
    scenario = small_scenario(size=800, years=2, replicates=1)
    values = [{"passline.ratio": 0.4}, {"passline.ratio": 0.6}]
    first = run_sweep(scenario, values, ["passline.ratio"], out=tmp_path / "sweep")
    point = sorted((tmp_path / "sweep" / "points").glob("*.parquet"))[0]
    point.write_bytes(point.read_bytes()[:40])  # a disk that filled up
    again = run_sweep(scenario, values, ["passline.ratio"], out=tmp_path / "sweep", resume=True)
    assert len(again.computed) == 1 and len(again.reused) == 1
    assert str(point) in capsys.readouterr().err
    assert again.table.equals(first.table)
