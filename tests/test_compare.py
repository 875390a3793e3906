"""Comparing criteria revisions: what differs and what changes.

Small scenarios (3,000 people, 3 years, a few replicates) keep these fast; every scenario
of a comparison runs with the same seed and replicates (common random numbers).
"""
from __future__ import annotations

import copy
import re
import warnings
from pathlib import Path

import numpy as np
import pytest

from titlesim import load_scenario, simulate
from titlesim.compare import OUTCOMES, compare, headline, outcome_table
from titlesim.compare.outcomes import values
from titlesim.errors import InputError
from titlesim.scenario.loader import scenario_from_dict

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline-2022.yaml"
SMALL = ["population.size=4800", "horizon.years=3", "replicates=6"]  # about 1,800 health staff
STATS = ["diff_mean", "diff_lo", "diff_hi"]


@pytest.fixture(scope="module")
def base():
    return load_scenario(BASELINE, SMALL)


@pytest.fixture(scope="module")
def higher_ratio(base):
    # 0.8: with a steady start few grassroots people per specialty sit the exam in a city
    # of 3,000, so a smaller step barely moves the rounded ratio places
    return compare(base, [base.with_overrides(["passline.ratio=0.8"])])


# ------------------------------------------------------------------ nothing changes
def test_a_scenario_compared_with_itself_differs_in_nothing(base):
    cmp = compare(base, [base])
    assert list(cmp.results) == ["baseline-2022", "baseline-2022-2"]
    assert cmp.diff.empty
    for table in (cmp.impact, cmp.impact_by_group):
        assert len(table) > 0
        assert (table[STATS].to_numpy() == 0).all()
        assert (table["base_mean"] == table["revision_mean"]).all()
    revision = cmp.equity[cmp.equity["scenario"] == "baseline-2022-2"]
    assert set(revision["change"]) == {"none"}
    assert (revision[STATS].to_numpy() == 0).all()


def test_a_parameter_no_rule_reads_changes_no_outcome(base):
    # the unit types a county pools are read only when posts.allocation is county_pool
    revision = base.with_overrides(["posts.pooled_unit_types=[enterprise]"])
    cmp = compare(base, [revision])
    assert cmp.diff["key"].tolist() == ["posts.pooled_unit_types"]
    assert cmp.diff["revision_value"].tolist() == [["enterprise"]]
    first, second = cmp.results.values()
    assert np.array_equal(first.counts, second.counts)
    assert (cmp.impact[STATS].to_numpy() == 0).all()
    assert (cmp.impact_by_group[STATS].to_numpy() == 0).all()


# ---------------------------------------------------------------------- what differs
def test_the_diff_lists_exactly_the_changed_keys_with_labels_and_clauses(base):
    revision = base.with_overrides([
        "passline.ratio=0.6",
        "passline.group_by=[specialty, county]",
        "posts.structure.township_health_centre.deputy_senior=0.1",  # deep inside a table
        "evaluation.criteria.grassroots.min_papers.deputy_senior=1",
    ])
    diff = compare(base, [revision]).diff.set_index("key")
    assert sorted(diff.index) == sorted([
        "passline.ratio", "passline.group_by",
        "posts.structure.township_health_centre.deputy_senior",
        "evaluation.criteria.grassroots.min_papers.deputy_senior"])
    assert diff.loc["passline.ratio", ["label_zh", "label_en", "base_value", "revision_value",
                                       "source"]].tolist() == \
        ["基层按比例合格比例", "grassroots pass ratio", 0.5, 0.6, "一(三)；取值为假设"]
    assert diff.loc["passline.group_by", "revision_value"] == ["specialty", "county"]
    deep = diff.loc["posts.structure.township_health_centre.deputy_senior"]
    assert (deep["base_value"], deep["revision_value"], deep["source"]) == (0.07, 0.1, "assumption")
    assert set(diff["revision"]) == {"baseline-2022-2"}


# --------------------------------------------------------------- what cannot be compared
@pytest.mark.parametrize("override, key, reason", [
    ("horizon.years=4", "horizon.years", "different horizon"),
    ("horizon.start=2023", "horizon.start", "different horizon"),
    ("population.size=3500", "population.size", "different workforce"),
    ("population.counties.忻府区=1", "population.counties.忻府区", "different workforce"),
    ("history.years=5", "history.years", "different history"),
])
def test_scenarios_with_another_horizon_or_workforce_are_refused(base, override, key, reason):
    with pytest.raises(InputError) as refused:
        compare(base, [base.with_overrides([override])])
    message = str(refused.value)
    assert reason in message and key in message and "baseline-2022" in message


def test_a_revision_starts_from_the_base_state_and_takes_effect_at_the_start(base):
    """Retirement ages shape who is there at the start; as a revision they take effect in
    the first year, from the base's history: the first year's headcount is the same."""
    cmp = compare(base, [base.with_overrides(["flows.retirement_age.female=60"])])
    first, second = cmp.results.values()
    np.testing.assert_array_equal(first.start, second.start)
    assert not np.array_equal(first.counts, second.counts)


def test_without_a_history_a_revision_that_shapes_the_drawn_workforce_is_refused(base):
    """With no years before the start, the starting workforce is drawn, and retirement ages
    shape who is drawn: a revision changing them starts from other people, and is refused
    once both workforces are built, naming the key and what to keep."""
    drawn = base.with_overrides(["history.years=0"])
    with pytest.raises(InputError) as refused:
        compare(drawn, [drawn.with_overrides(["flows.retirement_age.female=58"])])
    message = str(refused.value)
    assert "different starting workforce" in message
    assert "flows.retirement_age.female: 55 -> 58" in message
    assert "keep flows.retirement_age and records.papers_per_year as in the base" in message
    compare(drawn, [drawn.with_overrides(["passline.ratio=0.6"])])  # a criterion: compared


def test_a_scenario_with_other_rules_that_extends_nothing_is_refused(base):
    """A copy of the base with other exit rates, not written as a revision: its history
    ran under other rules, so it does not start where the base starts."""
    data = base.resolved
    data["flows"]["exit_rate"]["grassroots"] = 0.05
    with pytest.raises(InputError) as refused:
        compare(base, [scenario_from_dict(data, "copy")])
    message = str(refused.value)
    assert "different history" in message and "flows.exit_rate.grassroots" in message


def test_seed_and_replicates_are_aligned_on_purpose_and_said_so(base):
    cmp = compare(base, [base.with_overrides(["seed=7", "replicates=2"])])
    assert cmp.seed == base.params.seed and cmp.replicates == 6
    assert all(r.seed == cmp.seed and r.replicates == 6 for r in cmp.results.values())
    # said in Chinese by default, of the scenario by its title
    assert any(note.startswith(f"“{base.title_in('zh')}”") and "随机数种子 7 → " in note
               and "重复次数 2 → 6" in note for note in cmp.notes), cmp.notes
    assert (cmp.impact[STATS].to_numpy() == 0).all()  # seed and replicates are not criteria


# ----------------------------------------------------------------------- what changes
def test_common_random_numbers_make_the_paired_difference_far_tighter(base, higher_ratio):
    """The spread of revision-minus-base over replicates, common seed vs independent seeds."""
    crn_base, crn_revision = higher_ratio.results.values()
    independent = simulate(crn_revision.scenario, seed=base.params.seed + 1)
    for outcome in ("titled", "titled_grassroots", "exam_sittings"):
        total = {name: values(r, outcome)[0][:, -1, 0]
                 for name, r in [("base", crn_base), ("crn", crn_revision), ("ind", independent)]}
        paired_sd = np.std(total["crn"] - total["base"], ddof=1)
        independent_sd = np.std(total["ind"] - total["base"], ddof=1)
        assert paired_sd < 0.3 * independent_sd, (outcome, paired_sd, independent_sd)


@pytest.mark.parametrize("seed", [1, 2])
def test_raising_the_grassroots_ratio_never_lowers_passes_by_ratio(base, seed):
    means, first_years = [], []
    for ratio in (0.1, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0):
        result = simulate(base.with_overrides([f"passline.ratio={ratio}"]), seed=seed)
        v = values(result, "passed_ratio_only")[0][:, :, 0]  # (replicate, years + total)
        means.append(v.mean(axis=0))
        first_years.append(v[:, 0])
    assert (np.diff(means, axis=0) >= 0).all(), np.array(means)
    # in the first year the takers are the same, so it holds replicate by replicate
    assert (np.diff(first_years, axis=0) >= 0).all()
    assert means[-1][-1] > means[0][-1]


def test_impact_holds_each_outcome_per_year_and_over_the_horizon(higher_ratio):
    impact = higher_ratio.impact
    names = [o.name for o in headline()]
    assert impact["outcome"].unique().tolist() == names
    assert impact["year"].tolist()[:4] == [2022, 2023, 2024, "total"]
    assert len(impact) == len(names) * 4
    assert (impact["diff_lo"] <= impact["diff_mean"]).all()
    assert (impact["diff_mean"] <= impact["diff_hi"]).all()
    by = impact.set_index(["outcome", "year"])
    # a higher ratio passes more by ratio only, in every replicate
    assert by.loc[("passed_ratio_only", "total"), "diff_lo"] > 0
    base, revision = higher_ratio.results.values()
    titled = base.total("titled")["value"].to_numpy().reshape(6, 3)
    assert by.loc[("titled", "total"), "base_mean"] == pytest.approx(titled.sum(axis=1).mean())
    assert by.loc[("titled", 2023), "base_mean"] == pytest.approx(titled[:, 1].mean())
    waiting = base.total("waiting")["value"].to_numpy().reshape(6, 3)
    assert by.loc[("waiting", "total"), "base_mean"] == pytest.approx(waiting[:, -1].mean())


def test_senior_share_is_computed_per_replicate_from_headcounts_then_paired(higher_ratio):
    base, revision = higher_ratio.results.values()

    def share(result):
        m = result.metrics
        m = m[(m["metric"] == "headcount") & m["grassroots"] & (m["year"] == 2024)]
        senior = m["level"].isin(["deputy_senior", "full_senior"])
        per_rep = m[senior].groupby("replicate")["value"].sum() / m.groupby("replicate")["value"].sum()
        return 100 * per_rep.to_numpy()

    row = higher_ratio.impact.set_index(["outcome", "year"]).loc[("senior_share_grassroots", "total")]
    difference = share(revision) - share(base)
    assert row["base_mean"] == pytest.approx(share(base).mean())
    assert row["diff_mean"] == pytest.approx(difference.mean())
    assert row["diff_lo"] == pytest.approx(np.quantile(difference, 0.05))
    assert row["diff_hi"] == pytest.approx(np.quantile(difference, 0.95))


def test_counts_by_group_add_up_to_the_totals(higher_ratio):
    impact = higher_ratio.impact.set_index(["outcome", "year"])
    groups = higher_ratio.impact_by_group
    assert set(groups["dimension"]) == {"county", "unit_type", "specialty", "grassroots"}
    for dimension in ("county", "unit_type", "specialty", "grassroots"):
        rows = groups[(groups["dimension"] == dimension) & (groups["year"] == "total")]
        for outcome in ("titled", "passed_ratio_only", "exam_sittings"):
            summed = rows[rows["outcome"] == outcome][["base_mean", "revision_mean", "diff_mean"]].sum()
            assert summed.tolist() == pytest.approx(
                impact.loc[(outcome, "total"), ["base_mean", "revision_mean", "diff_mean"]].tolist())
    in_grassroots = groups[(groups["outcome"] == "titled_grassroots")]
    assert set(in_grassroots[in_grassroots["dimension"] == "grassroots"]["group"]) == {"True"}


def test_equity_gives_rates_spreads_and_who_gains(higher_ratio):
    equity = higher_ratio.equity
    assert equity["scenario"].unique().tolist() == ["baseline-2022", "baseline-2022-2"]
    assert set(equity["rate"]) == {"title_rate", "pass_rate"}
    counties = equity[(equity["rate"] == "title_rate") & (equity["dimension"] == "county")]
    for _, block in counties.groupby("scenario"):
        assert len(block) == 14
        assert block["spread"].iloc[0] == pytest.approx(block["mean"].max() - block["mean"].min())
        assert block["highest"].iloc[0] == block.loc[block["mean"].idxmax(), "group"]
    assert set(counties[counties["scenario"] == "baseline-2022"]["change"]) == {"base"}
    revision = equity[equity["scenario"] == "baseline-2022-2"]
    assert set(revision["change"]) <= {"gains", "loses", "unclear", "none"}
    gains = revision[revision["change"] == "gains"]
    assert (gains["diff_lo"] > 0).all()
    # passing more by ratio: grassroots exam takers' pass rate rises in every replicate
    pass_rate = revision[(revision["rate"] == "pass_rate") & (revision["dimension"] == "grassroots")]
    assert pass_rate.set_index("group").loc["True", "change"] == "gains"
    # specialties without an exam (teachers ...) have no pass rate and are left out
    specialties = set(revision[revision["rate"] == "pass_rate"]["group"])
    assert "nursing" in specialties and "mathematics" not in specialties


def test_the_outcome_definitions_are_one_labelled_table():
    table = outcome_table("zh").set_index("outcome")
    assert list(table.index) == list(OUTCOMES)
    assert table.loc["senior_share_grassroots", ["label_zh", "unit", "over_horizon", "per"]].tolist() \
        == ["基层单位高级职称人员占比", "percent", "end", "headcount"]
    assert table.loc["exam_sittings", "label_en"] == "exam sittings"
    assert table["label_zh"].str.len().gt(0).all() and table["label_en"].str.len().gt(0).all()
    assert table["headline"].sum() == 9
    assert table.loc["titled", "how"] == "各年取得职称人数之和"  # in the table's language
    assert outcome_table("en").set_index("outcome").loc["titled", "how"] == "sum of titled"


def test_the_interval_is_numpys_linear_quantile_with_undefined_replicates_left_out():
    from titlesim.compare.impact import summarise
    rng = np.random.default_rng(3)
    v = rng.normal(size=(20, 4, 5)).round(1)
    v[rng.random(v.shape) < 0.3] = np.nan
    v[:, 0, 0] = np.nan  # never defined
    mean, lo, hi = summarise(v)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy warns on the all-NaN slice
        np.testing.assert_allclose(lo, np.nanquantile(v, 0.05, axis=0), rtol=0, atol=1e-12)
        np.testing.assert_allclose(hi, np.nanquantile(v, 0.95, axis=0), rtol=0, atol=1e-12)
        np.testing.assert_allclose(mean, np.nanmean(v, axis=0), rtol=0, atol=1e-12)
    assert np.isnan(lo[0, 0]) and np.isnan(hi[0, 0])


# ------------------------------------------------------------ numbers that add up by hand
def with_titled_means(cmp, base_mean: float, revision_mean: float):
    """The comparison with its titled-over-the-horizon means set to numbers whose separate
    rounding does not add up: 7,172.6 → 7,148.4 is shown 7,173 → 7,148, a change of -25,
    while the unrounded change -24.2 rounds to -24."""
    impact = cmp.impact.copy()
    total = (impact["year"] == "total") & (impact["outcome"] == "titled")
    impact.loc[total, ["base_mean", "revision_mean", "diff_mean"]] = \
        [base_mean, revision_mean, revision_mean - base_mean]
    shown = copy.copy(cmp)
    shown.__dict__["impact"] = impact  # the cached table, replaced in the copy only
    return shown


def summary_lines(text: str):
    """(base, revision, difference) of each outcome line of the printed summary."""
    pattern = re.compile(r"(?:：|: )(-?[\d,.]+) (?:→|->) (-?[\d,.]+)(?:，差|  diff) ([+-]?[\d,.]+)")
    return [tuple(float(g.replace(",", "")) for g in m.groups()) for m in pattern.finditer(text)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_printed_summary_adds_up_by_hand(higher_ratio, lang):
    from titlesim.cli.compare import summary
    lines = summary_lines(summary(higher_ratio, lang))
    assert len(lines) == (higher_ratio.impact["year"] == "total").sum()
    for base_shown, revision_shown, difference in lines:
        assert round(revision_shown - base_shown, 2) == difference, lines
    text = summary(with_titled_means(higher_ratio, 7172.6, 7148.4), lang)
    assert ("7,173 → 7,148，差 -25 " if lang == "zh" else "7,173 -> 7,148  diff -25 ") in text, text


def test_the_reports_comparison_adds_up_by_hand(higher_ratio):
    from titlesim.report.sections import Inputs, build, sections_for
    cmp = with_titled_means(higher_ratio, 7172.6, 7148.4)
    name = cmp.revision_names[0]
    section = build("comparison", Inputs(cmp.results[name], "zh", cmp, sections_for(True)))
    assert "从7,173变为7,148（差值-25" in "".join(section.paragraphs), section.paragraphs
    impact = next(t.frame for t in section.tables if t.name == "comparison_impact")
    titled = impact[impact["outcome"] == "titled"].iloc[0]
    assert (titled["base_mean"], titled["revision_mean"], titled["diff_mean"]) == (7173, 7148, -25)
    for row in impact.itertuples():
        assert round(row.revision_mean - row.base_mean, 1) == row.diff_mean, row
