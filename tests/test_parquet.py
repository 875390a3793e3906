"""``--format parquet``: a run's metrics as compressed Parquet, read back by every reader
of the package as the same table; score lists, rosters and observed counts may be Parquet.

Commands run in this process (``conftest.run_titlesim``); one of the two Parquet runs that
must be byte-identical runs the real command line in a subprocess."""
from __future__ import annotations

import subprocess

import pandas as pd
import pytest
from conftest import BASELINE, run_titlesim, titlesim_command

from titlesim.runs import read_metrics

SMALL = ("--set", "population.size=1500", "--set", "horizon.years=2", "--replicates", "2",
         "--quiet")


def titlesim_run(cwd, *args, subprocess_run=False):
    command = ("run", str(BASELINE), *SMALL, *args)
    out = subprocess.run(titlesim_command(*command), cwd=cwd, capture_output=True, text=True,
                         timeout=300) if subprocess_run else run_titlesim(*command, cwd=cwd)
    assert out.returncode == 0, out.stderr
    return cwd / out.stdout.strip()


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The same run written as CSV once and as Parquet twice."""
    cwd = tmp_path_factory.mktemp("runs")
    return (titlesim_run(cwd, "--out", "csv"), titlesim_run(cwd, "--out", "p1", "--format", "parquet"),
            titlesim_run(cwd, "--out", "p2", "--format", "parquet", subprocess_run=True))


def test_the_parquet_run_folder_holds_metrics_parquet_not_csv(runs):
    _, folder, _ = runs
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["lines.csv", "metrics.parquet", "provenance.json", "scenario.resolved.yaml"]


def test_parquet_is_smaller_and_byte_identical_for_the_same_inputs(runs):
    csv_folder, one, two = runs
    assert (one / "metrics.parquet").read_bytes() == (two / "metrics.parquet").read_bytes()
    assert (one / "metrics.parquet").stat().st_size * 5 < (csv_folder / "metrics.csv").stat().st_size
    assert (one / "lines.csv").read_bytes() == (csv_folder / "lines.csv").read_bytes()


def test_read_metrics_gives_the_same_table_from_either_format(runs):
    csv_folder, parquet_folder, _ = runs
    from_csv, from_parquet = read_metrics(csv_folder), read_metrics(parquet_folder / "metrics.parquet")
    assert list(from_csv.columns) == list(from_parquet.columns) == [
        "replicate", "year", "series", "level", "county", "unit_type", "specialty", "grassroots",
        "metric", "value"]
    assert list(from_csv.dtypes.astype(str)) == list(from_parquet.dtypes.astype(str))
    assert len(from_csv) > 1000
    pd.testing.assert_frame_equal(from_csv.astype(str), from_parquet.astype(str))
    # the tidy vocabulary: unit-level rows have an empty specialty in both
    posts = from_parquet[from_parquet["metric"] == "posts"]
    assert set(posts["specialty"].astype(str)) == {""}


def test_read_metrics_refuses_a_folder_without_metrics(tmp_path):
    from titlesim.errors import InputError
    with pytest.raises(InputError, match="no metrics.csv or metrics.parquet"):
        read_metrics(tmp_path)


def test_a_parquet_score_list_sets_the_same_lines_as_its_csv(tmp_path):
    from test_passline_command import WORKED, passline, write
    scores = write(tmp_path / "scores.csv", WORKED)
    frame = pd.read_csv(scores, dtype=str, keep_default_na=False)
    frame["score"] = pd.to_numeric(frame["score"])  # a number column, the absent one null
    frame["exam_year"] = frame["exam_year"].astype(int)
    frame.to_parquet(tmp_path / "scores.parquet", index=False)
    assert passline(scores, tmp_path / "from_csv").returncode == 0
    result = passline(tmp_path / "scores.parquet", tmp_path / "from_parquet")
    assert result.returncode == 0, result.stderr
    for name in ("lines.csv", "persons.csv"):
        assert (tmp_path / "from_parquet" / name).read_bytes() == (tmp_path / "from_csv" / name).read_bytes()
    check = run_titlesim("validate", str(tmp_path / "scores.parquet"), "--full-marks", "100")
    assert check.returncode == 0 and "通过：" in check.stdout, check.stderr


def test_parquet_rosters_and_observed_counts_read_as_their_csv(tmp_path):
    from titlesim import load_scenario
    from titlesim.calibrate.observed import read_observed
    from titlesim.people import Codebook
    from titlesim.roster import read_roster
    examples = BASELINE.parents[1] / "examples"
    loaded = load_scenario(examples / "synthetic-roster.yaml")
    codes = Codebook.from_scenario(loaded.params)
    observed = pd.read_csv(examples / "synthetic-observed.csv", dtype=str)
    observed["数值"] = observed["数值"].astype(int)
    observed.to_parquet(tmp_path / "observed.parquet", index=False)
    pd.testing.assert_frame_equal(
        read_observed(tmp_path / "observed.parquet", loaded.params, codes).rows,
        read_observed(examples / "synthetic-observed.csv", loaded.params, codes).rows)
    pd.read_csv(examples / "synthetic-roster.csv", dtype=str).to_parquet(tmp_path / "roster.parquet")
    salt = "the same salt"
    from_parquet = read_roster(tmp_path / "roster.parquet", loaded.params, salt)
    from_csv = read_roster(examples / "synthetic-roster.csv", loaded.params, salt)
    assert from_parquet.format == "parquet" and len(from_csv.rows) > 1000
    pd.testing.assert_frame_equal(from_parquet.rows, from_csv.rows)
