"""The comparison view: choose a base and revisions, see what differs, what changes (with
intervals) and the county view, all from titlesim.compare."""
from __future__ import annotations

import html
import re
import shutil
import warnings

import pytest
from ui_scenarios import BASELINE

from titlesim.report.words import num, shown_difference, signed
from titlesim.ui import compare_app
from titlesim.ui.compare_view import DEFAULT_OUTCOMES, CompareView

SMALL = ["population.size=4000", "horizon.years=3"]  # at 3,000 the ratio groups are too small for 0.7 to pass more than 0.5


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compare")
    shutil.copy(BASELINE, folder / "baseline-2022.yaml")
    (folder / "ratio-0.7.yaml").write_text("extends: baseline-2022.yaml\ntitle: 比例提高到0.7\n"
                                           "question: 仅按比例合格的人会多多少？\npassline: {ratio: 0.7}\n",
                                           encoding="utf-8")
    (folder / "valid-3.yaml").write_text("extends: baseline-2022.yaml\nvalidity: {ratio_only_years: 3}\n",
                                         encoding="utf-8")
    (folder / "bigger.yaml").write_text("extends: baseline-2022.yaml\npopulation: {female_share: 0.5}\n",
                                        encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def view(folder):
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph", category=UserWarning)  # a missing Chinese font
        v = compare_app(folder, base="baseline-2022.yaml", revisions=["ratio-0.7.yaml", "valid-3.yaml"],
                        overrides=SMALL, replicates=3, run=True)
    return v


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_scenarios_of_the_folder_can_be_chosen(view, folder):
    assert [o[1] for o in view.base.options] == sorted(p.name for p in folder.glob("*.yaml"))
    assert view.chosen() == ("baseline-2022.yaml", ["ratio-0.7.yaml", "valid-3.yaml"])


def test_the_parameter_diff_names_each_change_with_its_label_and_clause(view):
    shown = text(view.diff.value)
    assert "比例提高到0.7 基层按比例合格比例 passline.ratio 0.5 0.7 一(三)" in shown
    assert "valid-3 仅按比例合格成绩有效年数 validity.ratio_only_years 1 3 假设" in shown


def test_scenarios_are_listed_by_title_with_their_question(view):
    assert ("比例提高到0.7", "ratio-0.7.yaml") in view.base.options
    picks = " ".join(row.children[1].value for row in view.widget.children[3].children)  # after the title
    assert "比例提高到0.7" in picks and "仅按比例合格的人会多多少？" in picks and "valid-3.yaml" in picks


def test_impacts_show_the_chosen_outcomes_one_row_per_revision(view):
    cmp = view.comparison
    row = cmp.impact[(cmp.impact["revision"] == "ratio-0.7") & (cmp.impact["outcome"] == "passed_ratio_only")
                     & (cmp.impact["year"] == "total")].iloc[0]
    shown = text(view.impact.value)
    # people whole, the difference that of the shown means, as the command's summary says it
    said = (f"{shown_difference(row.base_mean, row.revision_mean)} [{signed(row.diff_lo)}, "
            f"{signed(row.diff_hi)}]")
    assert f"比例提高到0.7 " in shown and said in shown
    assert f"基准情景（均值） " in shown and num(row.base_mean) in shown
    assert row.diff_mean > 0  # a higher ratio: more pass by ratio only
    assert view.impact.value.count("<tr") == 1 + 1 + 2  # header, base, one row per revision
    view.outcomes.value = ("exam_sittings",)
    assert "参加考试人次" in view.impact.value and "仅按比例合格人数" not in view.impact.value


def table_cells(table: str) -> list[list[str]]:
    """The cells of an HTML table, row by row, as text."""
    return [[html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
             for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr.*?</tr>", table, re.S)]


PEOPLE_CELL = re.compile(r"^(–|[+-]?\d{1,3}(,\d{3})*( \[[+-]?\d{1,3}(,\d{3})*, [+-]?\d{1,3}(,\d{3})*\])?)$")


def test_people_are_whole_numbers_in_the_tables_and_the_charts(view):
    """Counts of people (and sittings) are whole wherever the page shows them: the impacts,
    the county table, the charts' labels and tooltips; rates keep their decimals."""
    view.outcomes.value = ("titled", "exam_sittings", "waiting", "senior_share_grassroots")
    header, *rows = table_cells(view.impact.value)
    for i, column in enumerate(header[1:], start=1):
        cells = [row[i] for row in rows]
        if "（人）" in column or "（人次）" in column:
            assert all(PEOPLE_CELL.match(c) for c in cells), (column, list(cells))
        else:
            assert any("." in c for c in cells), (column, list(cells))
    for outcome in ("titled", "exam_sittings"):
        view.outcome.value = outcome
        county = [c for row in table_cells(view.county.value)[1:] for c in row[1:]]
        assert county and all(PEOPLE_CELL.match(c) for c in county), county
        charts = "".join(c.value for c in [*view.multiples.children, *view.county_multiples.children])
        labels_ = re.findall(r"<title>[^<]*: ([^<]+)</title>", charts)
        labels_ += re.findall(r"fill='#555'>([+-][^<]*|±0)</text>", charts)  # the bars' labels
        assert labels_ and not [t for t in labels_ if re.search(r"\d\.\d", t)], labels_
    view.outcome.value = "senior_share_grassroots"
    charts = "".join(c.value for c in view.multiples.children)
    assert re.search(r"<title>[^<]*: [+-]?\d+\.\d\d", charts)
    view.outcomes.value, view.outcome.value = DEFAULT_OUTCOMES, "titled"


def test_one_small_chart_per_revision_on_one_scale_with_a_legend(view):
    charts = [c.value for c in view.multiples.children]
    assert len(charts) == 2 and "比例提高到0.7" in charts[0] and "valid-3" in charts[1]
    for svg in charts:
        assert "class='band'" in svg and "class='hline' data-value='0'" in svg and "<title>" in svg
    ticks = [re.findall(r"text-anchor='end' fill='#555'>([^<]+)<", svg) for svg in charts]
    assert ticks[0] == ticks[1]  # the same value axis
    assert "浅蓝带：90%区间" in view.legend.value


def test_progress_is_shown_while_running(folder):
    view = CompareView(folder, revisions=["ratio-0.7.yaml"], overrides=SMALL, replicates=2)
    seen = []
    view.status.observe(lambda change: seen.append(change["new"]), "value")
    view.progress.observe(lambda change: seen.append(f"progress {change['new']}"), "value")
    view.run()
    said = " ".join(seen)
    assert "正在模拟第1/2个情景" in said and "正在模拟第2/2个情景：比例提高到0.7" in said
    assert "progress 1" in said and view.progress.layout.visibility == "hidden"


def test_the_county_view_lists_every_county_for_each_revision(view):
    shown = text(view.county.value)
    assert "县（市、区） 比例提高到0.7 valid-3" in shown  # revisions by their titles
    assert all(county in shown for county in ("忻府区", "偏关县"))
    charts = [c.value for c in view.county_multiples.children]
    assert len(charts) == 2 and "比例提高到0.7" in charts[0] and "valid-3" in charts[1]
    counties = len(view.comparison.base.params.population.counties)
    assert all(chart.count("class='bar'") == counties for chart in charts)
    legend = text(view.county_legend.value)
    assert "绿色" in legend and "红色" in legend and "灰色" in legend and "90%区间" in legend
    assert "取得职称人数" in legend  # names the outcome it shows
    before = view.county.value, charts
    view.outcome.value = "passes_expired_unused"
    assert view.county.value != before[0]
    assert [c.value for c in view.county_multiples.children] != before[1]
    assert "成绩过期未用人数" in text(view.county_legend.value)


BAR = re.compile(r"<rect class='bar' data-name='[^']*' data-value='([^']+)' x='[^']+' y='[^']+' "
                 r"width='([^']+)' height='[^']+' fill='([^']+)'>.*?</rect>(<line class='whisker' "
                 r"data-lo='([^']+)' data-hi='([^']+)')?")


def test_nine_revisions_read_as_small_multiples_on_one_scale(tmp_path):
    shutil.copy(BASELINE, tmp_path / "baseline-2022.yaml")
    names = []
    for i, ratio in enumerate((0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)):
        names.append(f"r{i}.yaml")
        (tmp_path / names[-1]).write_text(f"extends: baseline-2022.yaml\ntitle: 比例{ratio}\n"
                                          f"passline: {{ratio: {ratio}}}\n", encoding="utf-8")
    view = compare_app(tmp_path, base="baseline-2022.yaml", revisions=names,
                       overrides=SMALL, replicates=2, run=True)
    assert view.comparison is not None, view.message
    titles = [f"比例{r}" for r in (0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)]
    # the chosen outcomes: one row per revision (and the base's means), not 81 rows
    assert text(view.impact.value).count("比例0.") == 9 and view.impact.value.count("<tr") == 11
    over_time = [c.value for c in view.multiples.children]
    county = [c.value for c in view.county_multiples.children]
    assert len(over_time) == len(county) == 9
    for chart, title in zip(county, titles):
        assert f">{title}</text>" in chart
    # one scale for all nine: a bar's length per unit of value is the same in every chart
    scales = [float(width) / abs(float(value))
              for chart in county for value, width, *_ in BAR.findall(chart) if float(width) >= 10]
    assert scales and max(scales) / min(scales) < 1.01, scales  # widths are written to 0.1 px
    # colours say what the interval says
    for chart in county:
        for value, _, fill, _, lo, hi in BAR.findall(chart):
            if lo and hi:
                assert fill == ("#2ca02c" if float(lo) > 0 else "#d62728" if float(hi) < 0 else "#888888")
    table = view.county.value
    assert all(title in table for title in titles)
    # the notes (one per scenario here) are folded under one line, not strung along the status
    notes = view.comparison.notes
    assert len(notes) > 1 and "<details" in view.notes.value and f"说明（{len(notes)}条" in view.notes.value
    assert all(html.escape(note) in view.notes.value for note in notes)
    assert not any(note in view.message for note in notes)


def test_no_revision_chosen_or_an_incomparable_one_is_said_not_raised(folder):
    view = CompareView(folder, overrides=SMALL, replicates=2)
    assert view.run() is None and "至少选择一个" in view.message
    view.revisions["bigger.yaml"].value = True
    assert view.run() is None and "population.female_share" in view.message
    assert "data-state='error'" in view.status.value


def test_english(folder):
    view = CompareView(folder, lang="en", revisions=["ratio-0.7.yaml"], overrides=SMALL, replicates=2)
    view.start()
    view.wait(300)
    assert "grassroots pass ratio" in text(view.diff.value)
    assert "passed by ratio only (persons)" in text(view.impact.value)
    assert "difference (revision − base)" in view.multiples.children[0].value


def test_an_incomparable_revision_is_told_in_chinese_by_default_and_english_on_request(folder):
    for lang, own, other in (("zh", "文件", "cannot be compared"), ("en", "cannot be compared", "文件")):
        view = CompareView(folder, overrides=SMALL, replicates=2, lang=lang)
        view.revisions["bigger.yaml"].value = True
        assert view.run() is None and "population.female_share" in view.message
        assert own in view.message and other not in view.message, view.message


def test_the_page_has_its_title_and_intro_in_its_language(view):
    top = view.widget.children[0].value
    assert "修订方案比较" in top and "选择基准情景" in top and "Compare revisions" not in top


def test_the_base_is_not_offered_as_a_revision_of_itself(folder):
    view = CompareView(folder, base="baseline-2022.yaml", revisions=["baseline-2022.yaml", "ratio-0.7.yaml"])
    assert view.revisions["baseline-2022.yaml"].disabled and not view.revisions["baseline-2022.yaml"].value
    assert view.revisions["ratio-0.7.yaml"].value and not view.revisions["ratio-0.7.yaml"].disabled
    view.base.value = "ratio-0.7.yaml"  # another base: its box greyed, the old base's offered again
    assert view.revisions["ratio-0.7.yaml"].disabled and not view.revisions["ratio-0.7.yaml"].value
    assert not view.revisions["baseline-2022.yaml"].disabled
