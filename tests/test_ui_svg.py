"""The live charts are well-formed SVG whose marks carry the values they draw."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np

from titlesim.ui.svg import GAIN, LOSS, Series, diverging_bars, line_chart, nice_ticks, stacked_bars

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(svg: str):
    return ET.fromstring(svg)


def test_nice_ticks_cover_the_range_with_round_steps():
    assert nice_ticks(0, 97) == [0, 25, 50, 75, 100]
    assert nice_ticks(48.7, 65.7) == [45, 50, 55, 60, 65, 70]
    assert nice_ticks(0, 0) == [0, 0.25, 0.5, 0.75, 1.0]  # a flat series still gets an axis


def test_stacked_bars_draw_each_value_once_with_its_series():
    svg = parse(stacked_bars("各年取得职称人数", [2022, 2023],
                             [Series("通用", np.array([10.0, 12.0])), Series("基层定向", np.array([3.0, 4.5]))],
                             overlay=Series("原情景", np.array([13.0, 15.0]))))
    bars = svg.findall(".//s:rect[@class='bar']", NS)
    assert [(b.get("data-name"), float(b.get("data-value"))) for b in bars] == \
        [("通用", 10.0), ("通用", 12.0), ("基层定向", 3.0), ("基层定向", 4.5)]
    assert svg.find(".//s:text[@class='title']", NS).text == "各年取得职称人数"
    assert len(svg.findall(".//s:polyline", NS)) == 1


def test_a_line_with_missing_years_is_broken_not_joined():
    svg = parse(line_chart("合格线", [1, 2, 3, 4], [Series("m", np.array([50.0, np.nan, 55.0, 56.0]))],
                           hline=("省定合格标准", 60.0), from_zero=False))
    lines = svg.findall(".//s:polyline[@class='line']", NS)
    assert [len(line.get("points").split()) for line in lines] == [1, 2]
    assert lines[0].get("data-value") == "50,,55,56"
    assert svg.find(".//s:line[@class='hline']", NS).get("data-value") == "60"


def test_a_chart_without_any_value_says_so():
    svg = parse(line_chart("合格线", [1, 2], [Series("m", np.array([np.nan, np.nan]))], empty_text="无比例合格线"))
    assert svg.find(".//s:text[@class='empty']", NS).text == "无比例合格线"


def test_diverging_bars_colour_gains_and_losses():
    svg = parse(diverging_bars("各县增减", ["忻府区", "代县", "岢岚县"], [2.0, -1.0, 0.0]))
    bars = svg.findall(".//s:rect[@class='bar']", NS)
    assert [b.get("fill") for b in bars[:2]] == [GAIN, LOSS]
    assert [float(b.get("width")) for b in bars][2] == 0.0
    assert float(bars[0].get("width")) == 2 * float(bars[1].get("width"))
    texts = [t.text for t in svg.findall(".//s:text", NS)]
    assert "±0" in texts and "+2.0" in texts and "-1.0" in texts


def test_counts_of_people_are_labelled_whole():
    """With ``digits=0`` (counts of people) a chart's labels, tooltips and axis say no
    fraction of a person: ``+2``, ``-1``, ``±0``; a rate keeps its decimal."""
    people = diverging_bars("各县增减", ["忻府区", "代县", "岢岚县"], [2.4, -0.6, 0.3],
                            lo=np.array([1.2, -1.4, -0.2]), hi=np.array([3.6, 0.2, 0.8]), digits=0)
    texts = [t.text for t in parse(people).findall(".//s:text", NS)]
    assert {"+2", "-1", "±0"} <= set(texts)
    assert "忻府区: +2 [+1, +4]" in people
    assert not re.search(r"\d\.\d", " ".join(texts[4:]) + " ".join(re.findall("<title>([^<]+)<", people)))
    line = line_chart("待聘人数", [2022, 2023], [Series("m", np.array([0.2, 0.7]), lo=np.array([0.0, 0.1]),
                                                     hi=np.array([0.6, 1.3]))], digits=0)
    ticks = [t.text for t in parse(line).findall(".//s:text[@text-anchor='end']", NS)]
    assert ticks == ["0", "1", "2"] and "m 2022: 0 [0, 1]" in line
    assert "+2.4" in diverging_bars("各县通过率变化", ["忻府区"], [2.4])  # a rate: one decimal
