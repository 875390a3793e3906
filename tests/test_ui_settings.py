"""Which scenario the views open (environment first), and control values as overrides."""
from __future__ import annotations

from pathlib import Path

import pytest
from ui_scenarios import BASELINE

import titlesim
from titlesim.ui.settings import (DEFAULT_SCENARIO, open_settings, scenario_folder, split_overrides,
                                   to_overrides, workspace)


def test_environment_variables_take_precedence_over_the_notebooks_parameters():
    env = {"TITLESIM_WHATIF_SCENARIO": "other.yaml", "TITLESIM_WHATIF_SET": "a.b=1; c=2;",
           "TITLESIM_LANG": "en"}
    opened = open_settings("mine.yaml", ["x=1"], "zh", environ=env)
    assert opened.scenario == Path("other.yaml")
    assert opened.overrides == ("x=1", "a.b=1", "c=2") and opened.lang == "en"
    assert opened.trial == ("a.b=1", "c=2")  # a smaller trial's: never saved into a revision
    assert open_settings(None, (), None, environ={}) == \
        type(opened)(DEFAULT_SCENARIO, (), "zh")
    assert DEFAULT_SCENARIO.exists()
    with pytest.raises(ValueError, match="language"):
        open_settings(None, (), "fr", environ={})


def test_a_relative_scenario_path_is_found_from_the_notebook_or_the_project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a notebook's folder, say
    env = {"TITLESIM_WHATIF_SCENARIO": "scenarios/baseline-2022.yaml"}
    assert open_settings(environ=env).scenario.resolve() == BASELINE.resolve()  # the shipped copy
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "baseline-2022.yaml").write_text("x: 1\n")
    assert open_settings(environ=env).scenario == Path("scenarios/baseline-2022.yaml")


def test_a_served_page_opens_the_served_folders_baseline_and_knows_its_workspace(tmp_path):
    env = {"TITLESIM_SCENARIOS": str(tmp_path / "s"), "TITLESIM_WORKSPACE": str(tmp_path)}
    assert open_settings("mine.yaml", environ=env).scenario == tmp_path / "s" / "baseline-2022.yaml"
    assert scenario_folder("elsewhere", environ=env) == tmp_path / "s"
    assert workspace(env) == tmp_path and workspace({}) is None
    assert scenario_folder("elsewhere", environ={}) == Path("elsewhere")


def test_split_overrides():
    assert split_overrides(" a=1 ;b=[x, y];; ") == ("a=1", "b=[x, y]")
    assert split_overrides(None) == ()


def test_control_values_round_trip_through_overrides():
    changes = {"passline.ratio": 0.55, "passline.group_by": ["specialty", "county"],
               "passline.rounding": "ceil", "attached_units.join_grassroots_route": False,
               "validity.years": 2, "posts.structure.township_health_centre.deputy_senior": 0.12}
    loaded = titlesim.load_scenario(BASELINE, to_overrides(changes))
    resolved = loaded.resolved
    assert resolved["passline"]["ratio"] == 0.55
    assert resolved["passline"]["group_by"] == ["specialty", "county"]
    assert resolved["passline"]["rounding"] == "ceil"
    assert resolved["attached_units"]["join_grassroots_route"] is False
    assert resolved["validity"]["years"] == 2
    assert resolved["posts"]["structure"]["township_health_centre"]["deputy_senior"] == 0.12
