"""The comparison folder: CSV files, figures (real Chinese glyphs, English on request),
the workbook (the CSV files' numbers, the impacts as the summary shows them, Chinese headers, units, scenarios sheet) and
provenance."""
from __future__ import annotations

import io
import json
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from titlesim import labels, load_scenario
from titlesim.compare import compare, figures, write_comparison
from titlesim.compare.impact import PEOPLE, STATS
from titlesim.compare.output import CSV_TABLES, SHOWN_TABLES, write_comparison_workbook
from titlesim.compare.workbook import sheet_name

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline-2022.yaml"
SMALL = ["population.size=2000", "horizon.years=3", "replicates=4"]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def cmp():
    base = load_scenario(BASELINE, SMALL)
    return compare(base, [load_scenario(ROOT / "scenarios" / "grassroots-ratio-0.6.yaml", SMALL),
                          load_scenario(ROOT / "scenarios" / "township-posts-expansion.yaml", SMALL)])


@pytest.fixture(scope="module")
def folder(cmp, tmp_path_factory):
    return write_comparison(cmp, tmp_path_factory.mktemp("out"))


def test_the_folder_holds_every_table_figure_workbook_and_provenance(cmp, folder):
    names = {p.name for p in folder.iterdir()}
    assert {f"{t}.csv" for t in CSV_TABLES} | {"figures", "compare.xlsx", "provenance.json"} == names
    stems = {p.stem for p in (folder / "figures").iterdir()}
    assert {"titled_over_time", "titled_difference", "senior_share_grassroots_over_time",
            "county_gains_title_rate"} <= stems
    for stem in stems:
        assert (folder / "figures" / f"{stem}.png").stat().st_size > 1000
        assert (folder / "figures" / f"{stem}.svg").stat().st_size > 1000
    provenance = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
    assert provenance["base"] == "baseline-2022"
    assert provenance["revisions"] == ["grassroots-ratio-0.6", "township-posts-expansion"]
    assert (provenance["seed"], provenance["replicates"]) == (cmp.seed, 4)
    assert [s["scenario_sha256"] for s in provenance["scenarios"]] == \
        [s.sha256() for s in cmp.scenarios.values()]
    assert not list(folder.parent.glob(".*.tmp"))  # no temporary folder left behind


def test_csv_files_hold_the_comparison_tables(cmp, folder):
    impact = pd.read_csv(folder / "impact.csv")
    assert impact.columns.tolist() == cmp.impact.columns.tolist()
    assert np.allclose(impact["diff_mean"], cmp.impact["diff_mean"], atol=1e-4)
    diff = pd.read_csv(folder / "diff.csv")
    assert sorted(diff["key"]) == ["passline.ratio", "posts.structure.township_health_centre.deputy_senior",
                                   "posts.structure.township_health_centre.full_senior"]


def _sheet(workbook, table: str, lang: str = "zh") -> pd.DataFrame:
    rows = list(workbook[sheet_name(table, lang)].iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


def _cells(workbook) -> set[str]:
    return {str(v) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
            for v in row if v is not None}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_workbook_names_scenarios_by_their_titles(cmp, folder, tmp_path, lang):
    """Where a person reads which scenario a row is of, the scenario's title in the
    workbook's language; file names only in the scenarios sheet, beside the titles. The
    English workbook is written as the English comparison folder holds it, without the
    folder's 19 figures, which this test does not read (3-6 CPU-seconds; the English folder
    as a whole: tests/test_compare_command.py)."""
    import openpyxl
    path = folder / "compare.xlsx"
    if lang == "en":
        path = tmp_path / "compare.xlsx"
        write_comparison_workbook(cmp, path, lang)
    workbook = openpyxl.load_workbook(path)
    titles = {name: s.title_in(lang) for name, s in cmp.scenarios.items()}
    assert len(set(titles.values())) == 3 and not set(titles.values()) & set(titles)
    column = labels.label("column", "revision", lang)
    for table in ("diff", "impact", "impact_by_group"):
        sheet = _sheet(workbook, table, lang)
        assert set(sheet[column]) == {titles[n] for n in cmp.revision_names}, table
    equity = _sheet(workbook, "equity", lang)
    assert set(equity[labels.label("column", "scenario", lang)]) <= set(titles.values())
    scenarios = _sheet(workbook, "scenarios", lang)
    assert scenarios[labels.label("column", "title", lang)].tolist() == list(titles.values())
    others = {w.title for w in workbook.worksheets} - {sheet_name("scenarios", lang)}
    for sheet in others:
        cells = {str(v) for row in workbook[sheet].iter_rows(values_only=True) for v in row}
        assert not cells & set(titles), sheet  # no file name
    if lang == "en":  # Chinese only in names: counties, clauses, the notice's number
        names = re.compile("|".join([*cmp.base.params.population.counties,
                                     r"[一二三四五六七八九十]+\([一二三四五六七八九十]+\)", r"\S+〔\d{4}〕\d+号"]))
        free_text = set(scenarios[labels.label("column", "description", lang)])  # the author's
        chinese = {c for c in _cells(workbook) - free_text if CJK.search(names.sub("", c))}
        assert not chinese, chinese


@pytest.mark.parametrize("table", ["diff", "impact", "impact_by_group", "equity"])
def test_the_workbook_opens_with_openpyxl_and_holds_the_csv_numbers(folder, table):
    import openpyxl
    workbook = openpyxl.load_workbook(folder / "compare.xlsx", read_only=True)
    sheet = _sheet(workbook, table)
    csv = pd.read_csv(folder / f"{table}.csv", keep_default_na=False, na_values=[""])
    assert len(sheet) == len(csv) > 0
    # the workbook's labels are in its language only (label_zh, not label_en)
    assert sheet.columns.tolist() == [labels.label("column", c, "zh") for c in csv.columns
                                      if c != "label_en"]
    numeric = [c for c in csv.columns if pd.api.types.is_float_dtype(csv[c])
               or pd.api.types.is_integer_dtype(csv[c])]
    if table != "diff":
        assert len(numeric) >= 3
    people = csv["unit"].isin(PEOPLE).to_numpy() if table in SHOWN_TABLES else np.zeros(len(csv), bool)
    for column in numeric:
        in_sheet = pd.to_numeric(sheet[labels.label("column", column, "zh")], errors="coerce").to_numpy(float)
        expected = csv[column].to_numpy(float)
        if column in STATS:  # the impacts as shown: people whole, other rows the CSV's
            expected = np.where(people, np.round(expected), expected)
        if column == "diff_mean":  # that of the shown means: one off at most for people
            assert np.allclose(in_sheet, expected, rtol=0, atol=2e-4 + people, equal_nan=True)
        elif column in ("diff_lo", "diff_hi") and table in SHOWN_TABLES:
            # widened to hold the shown difference: one off at most for people
            assert np.allclose(in_sheet, expected, rtol=0, atol=2e-4 + people, equal_nan=True)
            shown = {c: pd.to_numeric(sheet[labels.label("column", c, "zh")], errors="coerce").to_numpy(float)
                     for c in ("diff_mean", "diff_lo", "diff_hi")}
            known = ~np.isnan(shown["diff_mean"])
            assert (shown["diff_lo"][known] <= shown["diff_mean"][known]).all()
            assert (shown["diff_mean"][known] <= shown["diff_hi"][known]).all()
        else:
            assert np.array_equal(in_sheet, expected, equal_nan=True), column
    workbook.close()


def test_the_workbook_shows_the_impacts_as_the_summary_says_them(cmp, folder):
    """Where the command's summary says "7,173 → 7,148，差 -25 人次（90% 区间 -32 至 -19）",
    the workbook's cells are 7173, 7148, -25, -32, -19: numbers (not text), whole for
    people, the difference that of the shown means (the unrounded -24.35 would show -24)."""
    import openpyxl

    from titlesim.cli.compare import summary
    sheet = _sheet(openpyxl.load_workbook(folder / "compare.xlsx"), "impact")
    said = re.findall(r"：([\d,.]+) → ([\d,.]+)，差 ([+-]?[\d,.]+) (\S+)（90% 区间 ([+-]?[\d,.]+) 至 ([+-]?[\d,.]+)）",
                      summary(cmp, "zh"))
    total = sheet[sheet["年度"] == "全期"]
    assert len(said) == len(total) > 5
    stats = ["基准均值", "修订方案均值", "配对差均值", "配对差90%区间下限", "配对差90%区间上限"]
    for words, (_, row) in zip(said, total.iterrows()):
        numbers = [row[c] for c in stats]
        assert all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in numbers)
        if row["计量单位"] in ("人", "人次"):
            assert [float(t.replace(",", "")) for t in (*words[:3], *words[4:])] == numbers, (words, numbers)
            assert all(v == int(v) for v in numbers)
    people = sheet[sheet["计量单位"].isin(["人", "人次"])]
    assert (people["配对差均值"] == people["修订方案均值"] - people["基准均值"]).all()


def test_the_workbook_speaks_chinese_with_units_and_lists_the_scenarios(cmp, folder):
    import openpyxl
    workbook = openpyxl.load_workbook(folder / "compare.xlsx", read_only=True)
    assert workbook.sheetnames == ["情景", "指标定义", "参数差异", "影响", "分组影响", "公平性"]
    impact = _sheet(workbook, "impact")
    assert impact.columns[:4].tolist() == ["修订方案", "结果指标", "计量单位", "年度"]
    assert set(impact["结果指标"]) >= {"取得职称人数", "基层单位高级职称人员占比"}
    assert set(impact["计量单位"]) == {"人", "人次", "年", "%"}
    assert "全期" in set(impact["年度"])
    groups = _sheet(workbook, "impact_by_group")
    assert "乡镇卫生院" in set(groups["组别"]) and "县（市、区）" in set(groups["分组维度"])
    scenarios = _sheet(workbook, "scenarios")
    assert scenarios["情景"].tolist() == ["baseline-2022", "grassroots-ratio-0.6",
                                        "township-posts-expansion"]
    assert scenarios["解析后情景SHA-256"].tolist() == [s.sha256() for s in cmp.scenarios.values()]
    assert set(scenarios["随机数种子"]) == {cmp.seed} and set(scenarios["蒙特卡洛重复次数"]) == {4}
    assert scenarios["titlesim版本"].notna().all() and scenarios["文件SHA-256"].str.len().min() >= 64
    outcomes = _sheet(workbook, "outcomes")  # definitions in words, yes/no, no English sentence
    assert set(outcomes["主要指标"]) == {"是", "否"}
    assert not outcomes["计算方法"].str.contains(r"\bsum of\b|/ applied").any()
    workbook.close()
    # counts of people show as whole numbers (the cells keep the CSV's numbers)
    sheet = openpyxl.load_workbook(folder / "compare.xlsx")[sheet_name("impact", "zh")]
    header = [c.value for c in sheet[1]]
    unit, diff = header.index("计量单位"), header.index("配对差均值")
    formats = {row[unit].value: row[diff].number_format for row in sheet.iter_rows(min_row=2)}
    assert formats["人"] == formats["人次"] == "#,##0" and formats["%"] != "#,##0"


# -------------------------------------------------------------------------- figures
FIGURES = [("outcome_over_time", ("titled",)), ("difference_band", ("senior_share_grassroots",)),
           ("county_gains", ())]


def _render(make, lang) -> tuple[object, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = make(lang)
        fig.savefig(io.BytesIO(), format="png")
        fig.savefig(io.BytesIO(), format="svg")
    return fig, [str(w.message) for w in caught]


@pytest.mark.parametrize("name, args", FIGURES)
def test_figures_draw_chinese_with_real_glyphs(cmp, name, args):
    fig, messages = _render(lambda lang: getattr(figures, name)(cmp, *args, lang=lang), "zh")
    assert not [m for m in messages if "missing from" in m or "Glyph" in m], messages
    texts = [fig.texts[0].get_text()] if fig.texts else [fig.axes[0].get_title()]
    texts += [fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()]
    assert any("\u4e00" <= ch <= "\u9fff" for t in texts for ch in t), texts
    from matplotlib.font_manager import FontProperties, findfont
    assert "CJK" in findfont(FontProperties(family=fig.axes[0].title.get_fontfamily()))


@pytest.mark.parametrize("name, args", FIGURES)
def test_figures_speak_english_on_request(cmp, name, args):
    fig, messages = _render(lambda lang: getattr(figures, name)(cmp, *args, lang=lang), "en")
    assert not [m for m in messages if "missing from" in m or "Glyph" in m], messages
    ax = fig.axes[0]
    texts = [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()] + [t.get_text() for t in fig.texts]
    assert not any("\u4e00" <= ch <= "\u9fff" for t in texts for ch in t), texts
    if name == "outcome_over_time":
        assert (ax.get_title(), ax.get_xlabel()) == ("titled", "year")
    if name == "county_gains":  # counties keep their names; everything else is English
        assert ax.get_xlabel() == "percentage points"
        assert fig.texts[0].get_text().startswith("Change of the title rate")


def test_the_difference_band_shows_the_paired_interval(cmp):
    fig = figures.difference_band(cmp, "passed_ratio_only", "en")
    ax = fig.axes[0]
    line = ax.get_lines()[0]
    rows = cmp.impact[(cmp.impact["outcome"] == "passed_ratio_only")
                      & (cmp.impact["revision"] == "grassroots-ratio-0.6")
                      & (cmp.impact["year"] != "total")]
    assert np.allclose(line.get_ydata(), rows["diff_mean"].to_numpy(float))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == \
        [cmp.scenarios[n].title_in("en") for n in cmp.revision_names]


def test_a_figure_of_people_has_whole_ticks(cmp):
    """A small difference in people (passes expired unused: a few a year here) is drawn on
    an axis of whole people, never half a person; a rate keeps its decimals."""
    fig, _ = _render(lambda lang: figures.difference_band(cmp, "passes_expired_unused", lang=lang), "zh")
    ticks = fig.axes[0].get_yticks()
    assert len(ticks) >= 2 and all(t == int(t) for t in ticks), ticks
    fig, _ = _render(lambda lang: figures.difference_band(cmp, "senior_share_grassroots", lang=lang), "zh")
    assert any(t != int(t) for t in fig.axes[0].get_yticks())
