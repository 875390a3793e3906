"""The what-if page's tables are written without pandas, as pandas' ``to_html`` writes
them: the same text, for the page's own tables and for awkward cells."""
from __future__ import annotations

import pandas as pd
import pytest
from ui_scenarios import BASELINE

import titlesim
from titlesim.ui import tables
from titlesim.ui.panels import panels
from titlesim.ui.runner import Runner


def as_pandas_writes_it(columns: dict, css: str) -> str:
    return pd.DataFrame(columns).to_html(index=False, classes=f"titlesim-table {css}", border=0,
                                         escape=True)


@pytest.mark.parametrize("columns", [
    {"group": [], "change": []},
    {"x&<y>": ["　变化", " a  b ", "", "–", "+1.0 [+0.5, +2.0]", "tab\tx\ny\rz", "<b>&amp;"],
     "2022": ["1", "2", "3", "4", "5", "6", "7"]},
])
def test_awkward_cells_are_written_as_pandas_writes_them(columns):
    assert tables._table(columns, "t") == as_pandas_writes_it(columns, "t")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_equity_view_and_per_year_table_are_the_html_pandas_wrote(monkeypatch, lang):
    loaded = titlesim.load_scenario(BASELINE, ["population.size=2000", "horizon.years=3",
                                               "replicates=3"])
    runner = Runner()
    shown = panels(runner.summary(loaded.with_overrides(["passline.ratio=0.4"]), 3),
                   runner.summary(loaded, 3), lang)
    ours = tables.equity_tables(shown, lang), tables.per_year_table(shown, lang)
    assert "<td>" in ours[0] and "<td>" in ours[1]
    monkeypatch.setattr(tables, "_table", as_pandas_writes_it)
    assert (tables.equity_tables(shown, lang), tables.per_year_table(shown, lang)) == ours
