"""The scenario's cross-field checks (titlesim.scenario.checks), each on a worked example
by hand: what agrees passes, what does not names its key and says why. How the loader
shows them (file, key path, line) is tested in test_scenario_loading.py."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from titlesim.scenario import load_scenario
from titlesim.scenario.checks import KeyProblem
from titlesim.scenario.checks.bounds import (both_routes_have_criteria,
                                             history_before_holds_rules_only)
from titlesim.scenario.checks.references import names_are_defined_in_population
from titlesim.scenario.checks.shares import (post_shares_leave_room_for_junior,
                                             shares_add_up_to_one)

ROOT = Path(__file__).resolve().parents[1]


def test_a_mix_adds_up_to_one_and_an_empty_mix_has_nothing_to_share():
    shares_add_up_to_one({"bachelor": 0.6, "master": 0.4}, "education.other", ("x",))
    shares_add_up_to_one({}, "entrants.levels.clinic", ("x",))
    with pytest.raises(KeyProblem) as info:
        shares_add_up_to_one({"bachelor": 0.6, "master": 0.3}, "education.other",
                             ("education", "other"))
    assert info.value.path == ("education", "other")
    assert str(info.value) == "the shares of education.other must add up to 1, they add up to 0.9"


def test_post_shares_may_leave_junior_posts_but_never_exceed_the_establishment():
    """岗位结构比例: 0.1 正高 + 0.3 副高 + 0.5 中级 leaves 0.1 to junior posts; 0.3 + 0.4 + 0.5
    is 1.2 posts for every one the establishment has."""
    post_shares_leave_room_for_junior({"full_senior": 0.1, "deputy_senior": 0.3,
                                       "intermediate": 0.5}, ("structure", "city_hospital"))
    post_shares_leave_room_for_junior({"full_senior": 0.5, "intermediate": 0.5}, ("x",))
    with pytest.raises(KeyProblem) as info:
        post_shares_leave_room_for_junior({"full_senior": 0.3, "deputy_senior": 0.4,
                                           "intermediate": 0.5}, ("structure", "city_hospital"))
    assert info.value.path == ("structure", "city_hospital")
    assert "(full_senior 0.3 + deputy_senior 0.4 + intermediate 0.5 = 1.2)" in str(info.value)


def test_both_routes_need_criteria_and_history_before_holds_rules_only():
    both_routes_have_criteria({"general": 1, "grassroots": 2})
    with pytest.raises(KeyProblem, match=r"route\(s\) \['grassroots'\] are missing"):
        both_routes_have_criteria({"general": 1})
    history_before_holds_rules_only({"passline": {}}, ("seed",))
    with pytest.raises(KeyProblem) as info:
        history_before_holds_rules_only({"seed": 3}, ("seed",))
    assert info.value.path == ("before", "seed")


def test_the_baseline_names_only_unit_types_and_series_its_population_defines():
    scenario = load_scenario(ROOT / "scenarios" / "baseline-2022.yaml").params
    names_are_defined_in_population(scenario)
    posts = scenario.posts.model_copy(update={"pooled_unit_types": ["county_hospital", "clinic"]})
    with pytest.raises(KeyProblem) as info:
        names_are_defined_in_population(scenario.model_copy(update={"posts": posts}))
    assert info.value.path == ("posts", "pooled_unit_types")
    assert "names 'clinic', which is not in population.unit_types" in str(info.value)


def test_the_schema_declares_fields_and_leaves_every_cross_field_check_to_its_module():
    tree = ast.parse((ROOT / "titlesim" / "scenario" / "schema.py").read_text(encoding="utf-8"))
    raises = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Raise)]
    assert raises == [], f"schema.py raises at lines {raises}: move the check to scenario/checks/"
