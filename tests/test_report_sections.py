"""The report's sections, built in-process on a small scenario: every sentence comes from
the numbers (change the scenario and the sentence changes with it), the tables add up,
and every figure draws Chinese with real glyphs."""
from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from titlesim import load_scenario, simulate
from titlesim.report import Report
from titlesim.report.sections import Inputs, build, sections_for

BASELINE = Path(__file__).resolve().parents[1] / "scenarios" / "baseline-2022.yaml"
SMALL = ["population.size=2500", "horizon.years=3", "replicates=3"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def small_result(*overrides):
    return simulate(load_scenario(BASELINE, [*SMALL, *overrides]), progress=False)


@pytest.fixture(scope="module")
def result():
    return small_result()


@pytest.fixture(scope="module")
def sections(result):
    inputs = Inputs(result, "zh", None, sections_for(False))
    return {key: build(key, inputs) for key in inputs.sections}


def yearly_mean(result, metric) -> float:
    """The mean over replicates of a metric's yearly average, computed from metrics.csv's
    long table (not from the report's code)."""
    m = result.metrics
    per_replicate = m[m["metric"] == metric].groupby("replicate")["value"].sum()
    per_replicate = per_replicate.reindex(range(result.replicates), fill_value=0)
    return per_replicate.mean() / len(result.years)


def test_the_flow_summary_states_the_simulated_means(result, sections):
    summary = sections["flow"].paragraphs[0]
    for metric in ("applied", "sat_exam", "titled", "hired"):
        assert f"{yearly_mean(result, metric):,.0f}人" in summary, (metric, summary)
    assert summary.startswith("2022—2024年")


def test_the_flow_table_has_a_total_row_that_sums_the_years(sections):
    table = sections["flow"].tables[0].frame
    assert list(table["year"]) == [2022, 2023, 2024, "total"]
    years, total = table.iloc[:-1], table.iloc[-1]
    for metric in ("applied", "titled", "hired"):  # each whole: off by at most a half a year
        assert total[metric] == pytest.approx(years[metric].sum(), abs=0.5 * len(table))


def test_group_tables_add_up_to_the_whole(result, sections):
    titled = yearly_mean(result, "titled") * len(result.years)
    for table in sections["flow"].tables[1:]:
        assert table.frame["titled"].sum() == pytest.approx(titled, abs=0.5 * len(table.frame))


def test_the_ratio_line_sentence_gives_the_lines_of_the_run(result, sections):
    lines = result.lines["line_score"].dropna()
    text = sections["passline"].paragraphs[0]
    assert f"平均为{lines.mean():,.1f}分" in text
    assert f"在{lines.min():,.1f}至{lines.max():,.1f}分之间" in text
    assert "省定合格标准为60.0分" in text


def test_without_a_ratio_the_report_says_there_is_no_ratio_line():
    section = build("passline", Inputs(small_result("passline.ratio=0"), "zh"))
    assert section.paragraphs[0].startswith("本情景没有按比例划定的合格线")
    assert section.figures == []


def test_the_validity_sentences_follow_the_validity_rule(sections):
    three_years = sections["validity"].paragraphs
    assert three_years[0] == "达到省定标准的成绩有效3年，仅按比例合格的成绩有效1年。"
    assert "凭往年有效成绩免于重考" in three_years[1]
    # from a drawn workforce (no history, whose passes were valid three years) and
    # one-year validity, no pass is ever carried into a later year
    one_year = build("validity", Inputs(small_result("validity.years=1", "history.years=0"),
                                        "zh")).paragraphs
    assert one_year[0].startswith("达到省定标准的成绩有效1年")
    assert one_year[1] == "没有人凭往年的有效成绩免于重考。"


def test_unit_groups_at_their_cap_are_counted_from_posts_and_vacancies(result, sections):
    from titlesim.metrics import METRICS
    table = sections["posts"].tables[0].frame
    posts = result.counts[:, -1, METRICS.index("posts"), :]
    vacant = result.counts[:, -1, METRICS.index("posts_vacant"), :]
    full = ((posts > 0) & (vacant == 0)).sum(axis=1).mean()
    assert table["groups_at_cap"].iloc[-1] == pytest.approx(full, abs=0.5)  # whole groups
    assert (table["groups_at_cap"] <= table["unit_groups"]).all()


def test_equity_names_the_highest_and_lowest_county(sections):
    table = sections["equity"].tables[0].frame
    counties = table[table["dimension"] == "county"].dropna(subset=["title_rate"])
    highest = counties.loc[counties["title_rate"].idxmax(), "group"]
    lowest = counties.loc[counties["title_rate"].idxmin(), "group"]
    county_sentence = next(p for p in sections["equity"].paragraphs if p.startswith("按县"))
    assert f"最高的是{highest}" in county_sentence and f"最低的是{lowest}" in county_sentence


def test_an_english_report_speaks_english(result):
    section = build("flow", Inputs(result, "en"))
    assert section.title == "Who applies, sits, passes, is titled and hired"
    assert section.paragraphs[0].startswith("From 2022 to 2024, each year on average")
    assert not any(CJK.search(p) for p in section.paragraphs[:2])


def test_the_html_of_a_section_has_its_anchor_heading_table_and_inline_figure(result):
    report = Report(Inputs(result, "zh"))
    html = report.html("flow")
    assert '<h2 id="section-flow">谁申报、参加考试、考试合格、取得职称和被聘用</h2>' in html
    assert html.count('src="data:image/png;base64,') == 2
    assert "<th>取得职称人数</th>" in html and "<td>县级医院</td>" in html
    overview = report.html("overview")
    assert '<a href="#section-equity">' in overview and '<nav class="contents">' in overview


def test_every_figure_draws_chinese_with_real_glyphs(sections):
    figures = [f for s in sections.values() for f in s.figures]
    assert len(figures) >= 8
    for figure in figures:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            render_text = _svg_text(figure.figure)
        missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
        assert missing == [], (figure.name, missing)
        assert CJK.search(render_text), figure.name  # Chinese drawn as text in the SVG


def test_the_glyph_check_catches_a_font_without_chinese():
    from matplotlib.figure import Figure
    fig = Figure()
    fig.suptitle("取得职称人数", fontfamily="DejaVu Sans")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _svg_text(fig)
    assert any("missing from font" in str(w.message) for w in caught)


def _svg_text(fig) -> str:
    import io
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    return buffer.getvalue()


def test_tables_hold_rounded_numbers_that_survive_csv(sections, tmp_path):
    from titlesim.report.tables import write_csv
    for section in sections.values():
        for table in section.tables:
            path = write_csv(table, tmp_path)
            back = pd.read_csv(path, keep_default_na=False, na_values=[""])
            numbers = table.frame.select_dtypes("number")
            for column in numbers.columns:
                assert np.allclose(back[column].astype(float), numbers[column].astype(float),
                                   equal_nan=True, rtol=0, atol=0), (table.name, column)


# ------------------------------------------------------------- numbers people can read
# columns that are not counts of people (or groups, posts): rates, shares, scores, years
NOT_COUNTS = re.compile(r"^(pass_rate|title_rate|titled_per_100|share_below|years_below|line_"
                        r"|years_waited|senior_share_|standard|this_run|mean$|diff_|base_value"
                        r"|revision_value)")
PEOPLE_MEASURES = ("titled_per_year", "passed_ratio_only_per_year", "waiting_end")


@pytest.fixture(scope="module")
def revision_comparison():
    from titlesim.compare import compare
    base = load_scenario(BASELINE, SMALL)
    return compare(base, [load_scenario(BASELINE.parent / "grassroots-ratio-0.6.yaml", SMALL)])


def revision_report_sections(cmp, lang: str = "zh") -> dict:
    inputs = Inputs(cmp.results["grassroots-ratio-0.6"], lang, cmp, sections_for(True))
    return {key: build(key, inputs) for key in inputs.sections}


@pytest.fixture(scope="module")
def revision_sections(revision_comparison):
    return revision_report_sections(revision_comparison)


def test_every_count_of_people_is_a_whole_number_with_its_interval(revision_sections):
    """Counts of people (and of groups and posts) are whole numbers, each with the
    interval holding the middle 90 % of replicates beside it; only rates, shares,
    scores and years have decimals."""
    banded = 0
    for section in revision_sections.values():
        for table in section.tables:
            frame = table.frame
            if table.name == "headline":
                people = frame[frame["measure"].isin(PEOPLE_MEASURES)]
                assert all(isinstance(v, int) for v in people[["value", "lo", "hi"]].to_numpy().ravel())
                continue
            if table.name == "comparison_impact":
                people = frame[frame["unit"].isin(["persons", "sittings"])]
                assert all(isinstance(v, int) for v in people.select_dtypes(exclude="number")
                           .drop(columns=["revision", "outcome", "unit"]).to_numpy().ravel())
                continue
            for column in frame.select_dtypes("number").columns:
                if column in ("year", "impact_mean", "impact_lo", "impact_hi") or NOT_COUNTS.match(column):
                    continue
                assert frame[column].dtype.kind in "iu", (table.name, column)
                base = column.removesuffix("_lo").removesuffix("_hi")
                assert {f"{base}_lo", f"{base}_hi"} <= set(frame.columns), (table.name, column)
                banded += 1
            if table.name == "revision_clauses":
                assert all(frame[c].dtype.kind in "iu" for c in ("impact_mean", "impact_lo", "impact_hi"))
    assert banded > 100


def test_the_html_shows_each_count_with_its_interval_under_it_and_never_minus_zero(
        revision_sections):
    from titlesim.report.render import section as render_section
    from titlesim.report.tables import labelled
    html = "".join(render_section(s, {f.name: b"" for f in s.figures}, "zh")
                   for s in revision_sections.values())
    assert not re.search(r">-0(\.0)?<", html) and "-0.0" not in html
    flow = revision_sections["flow"].tables[0]
    total = flow.frame.iloc[-1]
    shown = f'{total["titled"]:,}<br><span class="band">{total["titled_lo"]:,}–{total["titled_hi"]:,}</span>'
    assert shown in html
    assert "90%区间" in html  # the note says how to read the small figures
    # the workbook keeps the bounds as columns of their own, labelled
    headers = list(labelled(flow, "zh").columns)
    assert "取得职称人数90%区间下限" in headers and "取得职称人数90%区间上限" in headers
    # a number fixed by the rules (the posts of a year) has no interval to show
    posts = revision_sections["posts"].tables[0].frame
    assert f'{posts["posts"].iloc[0]:,}</td>' in html


def test_a_report_in_english_names_the_scenarios_in_english(result):
    report = Report(Inputs(result, "en"))
    assert report.title == "Professional-title evaluation report: Xinzhou 2022 title evaluation notice, as written"
    assert report.subtitle.startswith("Under notice")
    overview = build("overview", Inputs(result, "en")).paragraphs[0]
    assert "Xinzhou 2022 title evaluation notice, as written" in overview and "忻州市" not in overview


def test_the_criteria_table_groups_the_digits_of_large_numbers_but_not_of_years():
    from titlesim.report.sections.overview import criteria
    table = criteria(load_scenario(BASELINE), "zh").set_index("parameter")
    assert table.loc["population.size", "value_label"] == "40,000"
    assert table.loc["population.size", "value"] == "40000"  # the code, for the CSV file
    assert table.loc["horizon.start", "value_label"] == "2022"


def test_the_parameter_table_shows_the_replicates_and_seed_the_run_was_given(tmp_path):
    """``titlesim report --replicates 2 --seed 7``: the notebook passes them to Report.open;
    the table of every parameter (its CSV, sheet and Word table) says 2 and 7, as the method
    sentence and provenance.json do, not the scenario file's 20 replicates and seed."""
    import docx
    import openpyxl
    report = Report.open(BASELINE, overrides=["population.size=2500", "horizon.years=3"],
                         replicates=2, seed=7, lang="zh", output_dir=tmp_path)
    assert load_scenario(BASELINE).params.replicates != 2  # the file says otherwise
    report.html("about")
    report.finish()
    for lang in ("zh", "en"):
        table = build("about", Inputs(report.inputs.result, lang)).tables[1].frame
        used = table.set_index("parameter").loc[["replicates", "seed"]]
        assert used["value"].tolist() == ["2", "7"], lang
        assert used["value_label"].tolist() == ["2", "7"], lang
    csv = pd.read_csv(tmp_path / "tables" / "parameters.csv", dtype=str).set_index("parameter")
    assert csv.loc["replicates", "value"] == "2" and csv.loc["seed", "value"] == "7"
    book = openpyxl.load_workbook(tmp_path / "tables.xlsx", read_only=True)
    rows = [r for ws in book.worksheets for r in ws.iter_rows(values_only=True)]
    replicates_row = next(r for r in rows if "蒙特卡洛重复次数" in r)
    assert 2 in replicates_row or "2" in replicates_row, replicates_row
    assert 20 not in replicates_row and "20" not in replicates_row, replicates_row
    word = docx.Document(tmp_path / "report.docx")
    cells = next([c.text for c in row.cells] for t in word.tables for row in t.rows
                 if "蒙特卡洛重复次数" in [c.text for c in row.cells])
    assert "2" in cells and "20" not in cells, cells


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tables_name_parameters_in_words_and_key_paths_only_in_their_own_column(
        revision_comparison, revision_sections, lang):
    """The HTML, Word and workbook tables (one labelled form): a parameter is named by its
    label and clause; its key path appears only in the annex's table of every parameter,
    last, under a header saying it is for writing a revision file."""
    from titlesim.paramdoc import flatten
    from titlesim.report.tables import labelled
    from titlesim.report.words import column_label
    keys = set(flatten(load_scenario(BASELINE).resolved))
    key_header = column_label("key_path_for_revisions", lang)
    assert key_header == {"zh": "参数路径（写入修订文件时使用）",
                          "en": "key path (for writing a revision file)"}[lang]
    with_keys = []
    sections = revision_sections if lang == "zh" else revision_report_sections(revision_comparison, lang)
    for section in sections.values():
        for table in section.tables:
            frame = labelled(table, lang)
            for column in frame.columns:
                if frame[column].isin(keys).any():
                    assert column == key_header == frame.columns[-1], (table.name, column)
                    with_keys.append(table.name)
    assert with_keys == ["parameters"]


def test_the_report_says_when_the_workforce_is_too_small_for_the_revision_to_show(
        revision_comparison, revision_sections):
    """2,500 people: raising the ratio from 0.5 to 0.6 changes no headline outcome beyond
    the noise (every interval holds 0, as the comparison's own numbers show), and the
    comparison section says the workforce is too small, suggesting a larger one."""
    total = revision_comparison.impact[revision_comparison.impact["year"] == "total"]
    assert ((total["diff_lo"] <= 0) & (total["diff_hi"] >= 0)).all()
    zh = " ".join(revision_sections["comparison"].paragraphs)
    assert "队伍太小，看不出修订的作用：本次比较只有 2,500 名专业技术人员" in zh
    assert "--set population.size=25000" in zh
    en = " ".join(revision_report_sections(revision_comparison, "en")["comparison"].paragraphs)
    assert "The workforce is too small for the revision to show: this comparison has only 2,500" in en
