"""A roster as the engine's starting workforce: its counts intact, its people's ids stable,
what it does not say drawn as for synthetic people, and no identifier in any output."""
from __future__ import annotations

import hashlib
import os

import numpy as np
import pandas as pd
import pytest
from roster_fixtures import (EXAMPLE_ROSTER, EXAMPLE_SCENARIO, ID_NUMBERS, NAMES, ROWS,
                             files_under, roster_text, scenario_with_roster, titlesim)

from titlesim import load_scenario, simulate
from titlesim.errors import InputError
from titlesim.labels import code_for
from titlesim.population import synthetic_workforce
from titlesim.setup import prepare


def workforce_counts(setup) -> pd.Series:
    """Year-0 headcount by county, unit type and level, from the engine's state."""
    p, u, c = setup.people, setup.units, setup.codes
    return pd.DataFrame({"county": np.asarray(c.counties)[u.county[p.unit]],
                         "unit_type": np.asarray(c.unit_types)[u.unit_type[p.unit]],
                         "level": np.asarray(c.levels)[p.level]}).value_counts().sort_index()


def test_the_example_roster_round_trips_with_its_counts_intact():
    loaded = load_scenario(EXAMPLE_SCENARIO)
    setup = prepare(loaded.params, loaded.params.seed)
    roster = pd.read_csv(EXAMPLE_ROSTER, dtype=str)
    expected = pd.DataFrame({
        "county": roster["县市区"],
        "unit_type": roster["单位类型"].map(lambda t: code_for("unit_type", t)),
        "level": roster["现职称"].map(lambda t: code_for("level", t))}).value_counts().sort_index()
    assert workforce_counts(setup).equals(expected)
    assert len(setup.units) == roster["单位"].nunique()
    # each unit is staffed to its roster headcount; education and sex are the roster's
    assert sorted(setup.units.establishment.tolist()) == sorted(roster["单位"].value_counts().tolist())
    assert int(setup.people.female.sum()) == int((roster["性别"] == "女").sum())
    assert sorted(setup.people.age.tolist()) == sorted(
        (2018 - roster["出生年月"].str[:4].astype(int)).tolist())


def test_the_first_year_headcount_is_the_rosters_after_the_years_flows(tmp_path):
    (tmp_path / "staff.csv").write_text(roster_text(), encoding="utf-8")
    loaded = load_scenario(scenario_with_roster(tmp_path, "staff.csv"),
                           ["flows.exit_rate.grassroots=0", "flows.exit_rate.other=0",
                            "flows.transfers_in.rate=0", "mobility.out_of_grassroots=0",
                            "mobility.into_grassroots=0", "application.base.grassroots=0",
                            "application.base.other=0"])
    result = simulate(loaded, replicates=1, progress=False)
    first = result.metrics.query("year == 2022 and metric == 'headcount'")
    by_county = first.groupby("county", observed=True)["value"].sum().to_dict()
    assert by_county == {"忻府区": 2, "原平市": 2, "代县": 2}  # nobody leaves, nobody applies


def test_row_order_changes_nothing(tmp_path):
    (tmp_path / "a.csv").write_text(roster_text(), encoding="utf-8")
    (tmp_path / "b.csv").write_text(roster_text(list(reversed(ROWS))), encoding="utf-8")
    results = []
    for name in ("a.csv", "b.csv"):
        path = scenario_with_roster(tmp_path, name)
        results.append(simulate(load_scenario(path, ["horizon.years=3"]), replicates=2,
                                progress=False).counts)
    assert np.array_equal(*results)


def test_ids_follow_the_salted_hash_and_latent_draws_are_the_synthetic_ones(tmp_path):
    (tmp_path / "staff.csv").write_text(roster_text(), encoding="utf-8")
    loaded = load_scenario(scenario_with_roster(tmp_path, "staff.csv"))
    people = prepare(loaded.params, 5).people
    digests = sorted(hashlib.sha256(b"test-salt\x1e" + n.encode()).hexdigest() for n in ID_NUMBERS)
    order = [digests.index(hashlib.sha256(b"test-salt\x1e" + n.encode()).hexdigest())
             for n in ID_NUMBERS]
    assert people.id.tolist() == list(range(6))
    born = {ID_NUMBERS[i]: int(r.split(",")[9][:4]) for i, r in enumerate(ROWS)}
    assert [2021 - born[ID_NUMBERS[order.index(k)]] for k in range(6)] == people.age.tolist()
    # ability is drawn as for the synthetic person with the same id and unit kind
    synthetic = synthetic_workforce(loaded.params.model_copy(), prepare(loaded.params, 5).codes, 5)[1]
    grassroots_shift = np.where(people.grassroots, -0.3, 0.0)  # baseline ability_mean
    synthetic_shift = np.where(synthetic.grassroots[:6], -0.3, 0.0)
    assert np.allclose(people.ability - grassroots_shift, synthetic.ability[:6] - synthetic_shift,
                       atol=1e-6)


def test_a_roster_needs_a_salt_named_in_the_scenario_file(tmp_path, monkeypatch):
    (tmp_path / "staff.csv").write_text(roster_text(), encoding="utf-8")
    path = scenario_with_roster(tmp_path, "staff.csv")
    path.write_text(path.read_text(encoding="utf-8").replace("  roster_salt: test-salt\n", ""),
                    encoding="utf-8")
    monkeypatch.delenv("TITLESIM_ROSTER_SALT", raising=False)
    with pytest.raises(InputError, match="needs a salt") as caught:
        load_scenario(path)
    [problem] = caught.value.problems
    # at the file and line that name the roster, like every other problem of a scenario
    assert (problem.file, problem.line, problem.key) == (str(path), 3, "population.roster_salt")
    assert problem.text("zh").startswith(f"文件 {path}，第 3 行，“population.roster_salt”：")
    result = titlesim("run", path.name, "--quiet", cwd=tmp_path,
                      env={"TITLESIM_LANG": "zh"})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"文件 {path.name}，第 3 行" in result.stderr and "盐值" in result.stderr
    assert not (tmp_path / "reports").exists()
    monkeypatch.setenv("TITLESIM_ROSTER_SALT", "from-the-environment")
    loaded = load_scenario(path)
    assert len(prepare(loaded.params, 1).people) == 6


def test_no_name_or_id_number_in_any_output(tmp_path):
    """check, run, export and calibrate on a roster with names and ID numbers: none of them,
    nor their salted hashes, appears in anything written or printed."""
    (tmp_path / "staff.csv").write_text(roster_text(), encoding="utf-8")
    scenario = scenario_with_roster(tmp_path, "staff.csv", "horizon:\n  years: 3\n")
    (tmp_path / "observed.csv").write_text("year,metric,value\n2022,applied,2\n2023,applied,1\n",
                                           encoding="utf-8")
    outputs = [titlesim(*command, cwd=tmp_path) for command in (
        ["roster", "check", "staff.csv", "--scenario", scenario.name],
        ["run", scenario.name, "--replicates", "2", "--quiet"],
        ["export", scenario.name, "--replicates", "2", "--labels", "zh"],
        ["calibrate", scenario.name, "--observed", "observed.csv", "--replicates", "2",
         "--max-evaluations", "3"])]
    assert [o.returncode for o in outputs] == [0, 0, 0, 0], [o.stderr for o in outputs]
    written = [p for p in files_under(tmp_path / "reports")]
    assert {p.name for p in written} >= {"metrics.csv", "events.csv", "calibrated.yaml", "fit.svg"}
    texts = [p.read_bytes().decode("utf-8", errors="replace") for p in written]
    texts += [o.stdout + o.stderr for o in outputs]
    hashes = [hashlib.sha256(b"test-salt\x1e" + n.encode()).hexdigest() for n in ID_NUMBERS]
    for secret in NAMES + ID_NUMBERS + hashes + [h[:16] for h in hashes]:
        assert not [t for t in texts if secret in t], secret
    assert os.path.exists(tmp_path / "staff.csv")  # the input itself is untouched
