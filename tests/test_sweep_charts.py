"""Charts of a sweep and of a sensitivity analysis: PNG and SVG, Chinese labels by default
(English on request), never a missing glyph."""
from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from titlesim import load_scenario
from titlesim.compare.outcomes import headline
from titlesim.sweep import load_grid, run_sweep
from titlesim.sweep.charts import sweep_charts

REPO = Path(__file__).resolve().parents[1]
BASELINE = REPO / "scenarios" / "baseline-2022.yaml"
FULL = "parameters:\n  passline.ratio: [0.3, 0.5, 0.8]\n  validity.ratio_only_years: [1, 3]\n"
SAMPLED = ("sample: {method: lhs, size: 4}\nparameters:\n  passline.ratio: {min: 0.3, max: 0.8}\n"
           "  passline.ties: [include, cap]\n")


def swept(tmp_path: Path, grid_text: str):
    scenario = load_scenario(BASELINE, ["population.size=2000", "horizon.years=3"])
    (tmp_path / "grid.yaml").write_text(grid_text, encoding="utf-8")
    grid = load_grid(tmp_path / "grid.yaml", scenario)
    return grid, run_sweep(scenario, grid.points(1), grid.paths, replicates=2, out=tmp_path / "sw")


def charts_without_warnings(*args, **kwargs) -> list[Path]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        written = sweep_charts(*args, **kwargs)
    glyphs = [str(w.message) for w in caught if "Glyph" in str(w.message)]
    assert not glyphs, glyphs
    return written


def test_a_full_grid_charts_each_outcome_against_a_parameter_and_as_a_heat_map(tmp_path):
    grid, sweep = swept(tmp_path, FULL)
    folder = tmp_path / "charts"
    written = charts_without_warnings(sweep.totals, sweep.paths, ["passed_ratio_only", "waiting"],
                                      folder, "zh")
    names = sorted(p.name for p in written)
    assert names == sorted(f"{o}{kind}.{ext}" for o in ("passed_ratio_only", "waiting")
                           for kind in ("", "_heatmap") for ext in ("png", "svg"))
    assert all(p.stat().st_size > 1000 for p in written)
    svg = (folder / "passed_ratio_only.svg").read_text(encoding="utf-8")
    for text in ("基层按比例合格比例", "仅按比例合格成绩有效年数 = 3", "仅按比例合格人数", "各年合计"):
        assert text in svg, text
    heat = (folder / "passed_ratio_only_heatmap.svg").read_text(encoding="utf-8")
    assert "仅按比例合格成绩有效年数" in heat and "各重复平均值" in heat


def test_a_sampled_grid_charts_points_with_intervals_in_english(tmp_path):
    grid, sweep = swept(tmp_path, SAMPLED)
    folder = tmp_path / "charts"
    outcomes = [o.name for o in headline()]
    written = charts_without_warnings(sweep.totals, sweep.paths, outcomes, folder, "en",
                                      sampled=("passline.ratio",))
    assert len(written) == 2 * len(outcomes)  # no heat map for a sample
    svg = (folder / "titled_grassroots.svg").read_text(encoding="utf-8")
    assert "grassroots pass ratio" in svg and "never more than the places" in svg
    assert "5th–95th percentile" in svg


@pytest.mark.parametrize("method", ["sobol", "morris"])
def test_the_tornado_chart_shows_every_parameter_largest_first(tmp_path, method):
    import pandas as pd
    from titlesim.sweep.charts import save, tornado
    table = pd.DataFrame({"parameter": ["passline.ratio", "validity.years"],
                          "S1": [0.7, 0.0], "S1_conf": [0.1, 0.0], "ST": [0.8, 0.01],
                          "ST_conf": [0.1, 0.01], "mu_star": [9.0, 0.5], "mu_star_conf": [1.0, 0.2]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = tornado(table, method, "titled", "zh")
        paths = save(fig, tmp_path, "tornado")
    assert not [w for w in caught if "Glyph" in str(w.message)]
    ticks = sorted(fig.axes[0].get_yticklabels(), key=lambda t: -t.get_position()[1])
    assert [t.get_text() for t in ticks] == ["基层按比例合格比例", "达标成绩有效年数"]  # top first
    svg = paths[1].read_text(encoding="utf-8")
    assert ("总效应指数 ST" in svg) == (method == "sobol") and ("μ*" in svg) == (method == "morris")


def test_a_heat_map_labels_people_whole():
    """Each cell of a heat map of people says a whole number (the mean over replicates,
    rounded), a rate two decimals."""
    import pandas as pd
    from titlesim.sweep.charts import heat_map
    totals = pd.DataFrame({"point": [0, 0, 1, 1], "passline.ratio": [0.5, 0.5, 0.6, 0.6],
                           "validity.years": [3, 3, 3, 3], "titled": [1200, 1235, 1301, 1302],
                           "senior_share_grassroots": [12.5, 12.6, 13.0, 13.1]})
    cells = [t.get_text() for t in heat_map(totals, "passline.ratio", "validity.years", "titled").axes[0].texts]
    assert cells == ["1,218", "1,302"], cells  # 1,217.5 rounds to even; 1,301.5 likewise
    rates = heat_map(totals, "passline.ratio", "validity.years", "senior_share_grassroots").axes[0].texts
    assert [t.get_text() for t in rates] == ["12.55", "13.05"]
