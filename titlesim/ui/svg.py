"""Small SVG charts for the live panels.

Matplotlib takes 200-300 ms to draw four panels, more than the whole update may take;
these charts are plain SVG text (a millisecond or two), drawn by the browser with its
own Chinese fonts. Every mark carries a class and its value (``data-value``), so tests
can read the figure back, and a ``<title>`` the browser shows on hover (the value and
its 90 % interval). A chart takes the width of its box (its height follows). Figures for
reports use matplotlib (titlesim.compare.figures).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

import numpy as np

from titlesim.shown_interval import shown_interval

FONT = "'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','Microsoft YaHei',sans-serif"
COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#7f7f7f")
GAIN, LOSS, MUTED = "#2ca02c", "#d62728", "#888888"


@dataclass(frozen=True)
class Series:
    name: str
    values: np.ndarray
    color: str = COLORS[0]
    dashed: bool = False
    in_legend: bool = True
    lo: np.ndarray | None = None  # 90 % interval, drawn as a band
    hi: np.ndarray | None = None


def _num(v: float, sign: bool = False, digits: int = 1) -> str:
    """A value as a label or tooltip writes it; ``digits`` 0 for counts of people
    (``±0`` for a change that rounds to nothing, never ``-0``)."""
    if not math.isfinite(v):
        return "–"
    if sign and round(v, digits) == 0:
        return "±0"
    text = f"{v:{'+' if sign else ''},.{digits}f}"
    return text.lstrip("-") if round(v, digits) == 0 else text


def _hover(name: str, value: float, lo=None, hi=None, sign: bool = False, digits: int = 1) -> str:
    """The tooltip of a mark: ``名称：12 [10, 14]`` (people), ``名称：61.5 [60.2, 62.8]``;
    the shown interval holds the shown value (docs/guide.md)."""
    interval = lo is not None and hi is not None and math.isfinite(lo) and math.isfinite(hi)
    if interval and math.isfinite(value):
        value, lo, hi = shown_interval(value, lo, hi, digits)
    text = f"{name}: {_num(value, sign, digits)}"
    if interval:
        text += f" [{_num(lo, sign, digits)}, {_num(hi, sign, digits)}]"
    return f"<title>{escape(text)}</title>"


def nice_ticks(low: float, high: float, count: int = 5, whole: bool = False) -> list[float]:
    """Round tick values covering [low, high]; ``whole``: no step below 1 (an axis of
    people has no quarter of a person).

    >>> nice_ticks(-0.8, 0.1), nice_ticks(-0.8, 0.1, whole=True)
    ([-1.0, -0.75, -0.5, -0.25, 0.0, 0.25], [-1.0, 0.0, 1.0])
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        low, high = 0.0, 1.0
    if high <= low:
        high = low + 1.0
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if whole:
        step = float(math.ceil(step))
    first = math.floor(low / step) * step
    ticks, t = [], first
    while t < high + step * 0.999:
        ticks.append(round(t, 10))
        t += step
    return ticks


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 10 or v == 0 else f"{v:g}"


class _Canvas:
    def __init__(self, title: str, width: int, height: int, left: int = 56, bottom: int = 28,
                 top: int = 44, right: int = 12):
        self.width, self.height = width, height
        self.x0, self.x1, self.y0, self.y1 = left, width - right, height - bottom, top
        self.parts = [f"<text x='{width / 2:.0f}' y='16' text-anchor='middle' font-size='13' "
                      f"font-weight='bold' class='title'>{escape(title)}</text>"]

    def svg(self) -> str:
        return (f"<svg xmlns='http://www.w3.org/2000/svg' width='100%' "
                f"style='max-width:{self.width * 1.7:.0f}px;height:auto' "
                f"viewBox='0 0 {self.width} {self.height}' font-family=\"{FONT}\" font-size='11'>"
                + "".join(self.parts) + "</svg>")

    def y_axis(self, low: float, high: float, whole: bool = False):
        ticks = nice_ticks(low, high, whole=whole)
        lo, hi = ticks[0], ticks[-1]
        def y(v):
            return self.y0 - (v - lo) / (hi - lo) * (self.y0 - self.y1)
        for t in ticks:
            self.parts.append(f"<line x1='{self.x0}' x2='{self.x1}' y1='{y(t):.1f}' y2='{y(t):.1f}' "
                              f"stroke='#e5e5e5'/><text x='{self.x0 - 4}' y='{y(t) + 4:.1f}' "
                              f"text-anchor='end' fill='#555'>{_fmt(t)}</text>")
        return y

    def x_categories(self, names: list[str]):
        step = (self.x1 - self.x0) / max(len(names), 1)
        every = max(1, math.ceil(len(names) / 10))
        for i, name in enumerate(names):
            if i % every == 0:
                cx = self.x0 + step * (i + 0.5)
                self.parts.append(f"<text x='{cx:.1f}' y='{self.y0 + 16}' text-anchor='middle' "
                                  f"fill='#555'>{escape(name)}</text>")
        return lambda i: self.x0 + step * (i + 0.5), step

    def legend(self, items: list[tuple[str, str, bool]]):
        x = self.x0
        for name, color, dashed in items:
            dash = " stroke-dasharray='4 3'" if dashed else ""
            self.parts.append(f"<g class='legend'><line x1='{x}' x2='{x + 16}' y1='30' y2='30' "
                              f"stroke='{color}' stroke-width='3'{dash}/><text x='{x + 20}' y='34'>"
                              f"{escape(name)}</text></g>")
            x += 28 + 12 * len(name) if any(ord(ch) > 0x2e80 for ch in name) else 28 + 6.5 * len(name)


def _path(xs, ys) -> list[str]:
    """Polyline segments, broken where a value is missing."""
    segments, current = [], []
    for x, y in zip(xs, ys):
        if y is None or not math.isfinite(y):
            if current:
                segments.append(current)
            current = []
        else:
            current.append(f"{x:.1f},{y:.1f}")
    if current:
        segments.append(current)
    return [" ".join(s) for s in segments]


def _finite(*arrays) -> np.ndarray:
    values = np.concatenate([np.asarray(a, dtype=float).ravel() for a in arrays])
    return values[np.isfinite(values)]


def line_chart(title: str, x, series: list[Series], hline: tuple[str, float] | None = None,
               band: tuple[str, np.ndarray, np.ndarray] | None = None, width: int = 440,
               height: int = 250, from_zero: bool = True, empty_text: str = "",
               note: Series | None = None, limits: tuple[float, float] | None = None,
               digits: int = 1) -> str:
    """Lines over categories ``x``; ``note`` is a legend entry without a line of its own
    (e.g. "dashed: as loaded"); ``limits``: the value axis's range (small multiples share one);
    ``digits``: the decimals of the values' tooltips (0 for counts of people)."""
    canvas = _Canvas(title, width, height)
    values = _finite(*[s.values for s in series], *(band[1:] if band else ()),
                     *[b for s in series for b in (s.lo, s.hi) if b is not None],
                     [hline[1]] if hline else [])
    if len(values) == 0:
        canvas.parts.append(f"<text x='{width / 2:.0f}' y='{height / 2:.0f}' text-anchor='middle' "
                            f"class='empty'>{escape(empty_text)}</text>")
        return canvas.svg()
    low = min(0.0, values.min()) if from_zero else values.min()
    y = canvas.y_axis(*(limits or (low, values.max())), whole=digits == 0)
    xpos, _ = canvas.x_categories([str(v) for v in x])
    xs = [xpos(i) for i in range(len(x))]
    legend = []
    if band is not None:
        name, lo, hi = band
        ok = np.isfinite(lo) & np.isfinite(hi)
        if ok.any():
            top = [f"{xs[i]:.1f},{y(hi[i]):.1f}" for i in np.flatnonzero(ok)]
            bottom = [f"{xs[i]:.1f},{y(lo[i]):.1f}" for i in np.flatnonzero(ok)[::-1]]
            canvas.parts.append(f"<polygon class='band' points='{' '.join(top + bottom)}' "
                                f"fill='{COLORS[0]}' fill-opacity='0.15'/>")
            legend.append((name, "#b9d3ea", False))
    if hline is not None:
        name, value = hline
        canvas.parts.append(f"<line class='hline' data-value='{value:g}' x1='{canvas.x0}' "
                            f"x2='{canvas.x1}' y1='{y(value):.1f}' y2='{y(value):.1f}' "
                            f"stroke='{LOSS}' stroke-dasharray='6 3'/>")
        legend.append((name, LOSS, True))
    for s in series:
        if s.lo is not None and s.hi is not None:
            lo, hi = np.asarray(s.lo, float), np.asarray(s.hi, float)
            ok = np.flatnonzero(np.isfinite(lo) & np.isfinite(hi))
            if len(ok):
                top = [f"{xs[i]:.1f},{y(hi[i]):.1f}" for i in ok]
                bottom = [f"{xs[i]:.1f},{y(lo[i]):.1f}" for i in ok[::-1]]
                canvas.parts.append(f"<polygon class='band' data-name='{escape(s.name)}' "
                                    f"points='{' '.join(top + bottom)}' fill='{s.color}' fill-opacity='0.15'/>")
    for s in series:
        dash = " stroke-dasharray='5 4'" if s.dashed else ""
        ys = [y(v) if math.isfinite(v) else None for v in np.asarray(s.values, dtype=float)]
        data = ",".join("" if not math.isfinite(v) else f"{v:.6g}" for v in np.asarray(s.values, float))
        for points in _path(xs, ys):
            canvas.parts.append(f"<polyline class='line' data-name='{escape(s.name)}' "
                                f"data-value='{data}' points='{points}' fill='none' "
                                f"stroke='{s.color}' stroke-width='2'{dash}/>")
        for i, v in enumerate(np.asarray(s.values, float)):
            if math.isfinite(v):
                lo = s.lo[i] if s.lo is not None else (band[1][i] if band and s is series[0] else None)
                hi = s.hi[i] if s.hi is not None else (band[2][i] if band and s is series[0] else None)
                canvas.parts.append(f"<circle class='point' cx='{xs[i]:.1f}' cy='{y(v):.1f}' r='3' "
                                    f"fill='{s.color}' fill-opacity='0.8'>{_hover(f'{s.name} {x[i]}', v, lo, hi, digits=digits)}</circle>")
        if s.in_legend:
            legend.append((s.name, s.color, s.dashed))
    if note is not None:
        legend.append((note.name, note.color, note.dashed))
    canvas.legend(legend)
    return canvas.svg()


def stacked_bars(title: str, x, stacks: list[Series], overlay: Series | None = None,
                 width: int = 440, height: int = 250, interval: tuple | None = None,
                 digits: int = 1) -> str:
    """Stacked bars over categories ``x``; ``interval``: (name, lo, hi) of each total,
    drawn as whiskers; ``digits``: the decimals of the tooltips (0 for counts of people)."""
    canvas = _Canvas(title, width, height)
    totals = np.sum([np.asarray(s.values, float) for s in stacks], axis=0)
    top_value = _finite(totals, overlay.values if overlay else [], *(interval[1:] if interval else ()))
    y = canvas.y_axis(0.0, max(top_value.max(initial=0), 1), whole=digits == 0)
    xpos, step = canvas.x_categories([str(v) for v in x])
    base = np.zeros(len(x))
    for s in stacks:
        for i, v in enumerate(np.asarray(s.values, float)):
            top, bottom = y(base[i] + v), y(base[i])
            canvas.parts.append(f"<rect class='bar' data-name='{escape(s.name)}' data-value='{v:.6g}' "
                                f"x='{xpos(i) - step * 0.35:.1f}' y='{top:.1f}' width='{step * 0.7:.1f}' "
                                f"height='{max(bottom - top, 0):.1f}' fill='{s.color}'>"
                                f"{_hover(f'{s.name} {x[i]}', v, digits=digits)}</rect>")
        base += np.asarray(s.values, float)
    legend = [(s.name, s.color, False) for s in stacks]
    if interval is not None:
        name, lo, hi = interval
        for i in range(len(x)):
            if math.isfinite(lo[i]) and math.isfinite(hi[i]) and hi[i] > lo[i]:
                cx = xpos(i)
                canvas.parts.append(
                    f"<g class='whisker' data-lo='{lo[i]:.6g}' data-hi='{hi[i]:.6g}'>"
                    f"{_hover(f'{name} {x[i]}', totals[i], lo[i], hi[i], digits=digits)}"
                    f"<line x1='{cx:.1f}' x2='{cx:.1f}' y1='{y(lo[i]):.1f}' y2='{y(hi[i]):.1f}' stroke='#222'/>"
                    f"<line x1='{cx - 4:.1f}' x2='{cx + 4:.1f}' y1='{y(lo[i]):.1f}' y2='{y(lo[i]):.1f}' stroke='#222'/>"
                    f"<line x1='{cx - 4:.1f}' x2='{cx + 4:.1f}' y1='{y(hi[i]):.1f}' y2='{y(hi[i]):.1f}' stroke='#222'/></g>")
        legend.append((name, "#222", False))
    if overlay is not None:
        xs = [xpos(i) for i in range(len(x))]
        for points in _path(xs, [y(v) for v in np.asarray(overlay.values, float)]):
            canvas.parts.append(f"<polyline class='line' data-name='{escape(overlay.name)}' "
                                f"points='{points}' fill='none' stroke='{overlay.color}' "
                                f"stroke-width='2' stroke-dasharray='5 4'/>")
        legend.append((overlay.name, overlay.color, True))
    canvas.legend(legend)
    return canvas.svg()


def diverging_bars(title: str, names: list[str], values, width: int = 440,
                   height: int | None = None, lo=None, hi=None, note: str = "",
                   limit: float | None = None, by_interval: bool = False, digits: int = 1) -> str:
    """Horizontal bars from zero: gains right in green, losses left in red; ``lo``/``hi``:
    the 90 % interval of each, drawn as a whisker; ``note`` under the title. ``limit``: the
    largest value the half-width shows (one scale for several charts); ``by_interval``:
    colour a bar green or red only when its whole interval is on that side of zero, grey
    when the interval includes zero; ``digits``: the decimals of the labels and tooltips
    (0 for counts of people)."""
    values = np.asarray(values, float)
    height = height or 50 + 18 * len(names) + (14 if note else 0)
    canvas = _Canvas(title, width, height, left=90, top=30 + (14 if note else 0), bottom=20)
    if note:
        canvas.parts.append(f"<text x='{width / 2:.0f}' y='32' text-anchor='middle' fill='#555' "
                            f"class='note'>{escape(note)}</text>")
    ends = _finite(values, *(a for a in (lo, hi) if a is not None))
    limit = max(float(np.abs(ends).max(initial=0)) if limit is None else limit, 1e-9)
    mid = (canvas.x0 + canvas.x1) / 2
    half = (canvas.x1 - canvas.x0) / 2 - 30
    row = (canvas.y0 - canvas.y1) / max(len(names), 1)
    canvas.parts.append(f"<line x1='{mid}' x2='{mid}' y1='{canvas.y1}' y2='{canvas.y0}' stroke='#999'/>")
    for i, (name, v) in enumerate(zip(names, values)):
        cy = canvas.y1 + row * (i + 0.5)
        length = abs(v) / limit * half
        x = mid if v >= 0 else mid - length
        color = GAIN if v > 0 else LOSS if v < 0 else MUTED
        if by_interval and lo is not None and hi is not None:
            color = GAIN if lo[i] > 0 else LOSS if hi[i] < 0 else MUTED
        text_x, anchor = (mid + length + 3, "start") if v >= 0 else (mid - length - 3, "end")
        canvas.parts.append(
            f"<text x='{canvas.x0 - 6}' y='{cy + 4:.1f}' text-anchor='end'>{escape(name)}</text>"
            f"<rect class='bar' data-name='{escape(name)}' data-value='{v:.6g}' x='{x:.1f}' "
            f"y='{cy - row * 0.35:.1f}' width='{length:.1f}' height='{row * 0.7:.1f}' fill='{color}'>"
            f"{_hover(name, v, None if lo is None else lo[i], None if hi is None else hi[i], True, digits)}</rect>")
        if lo is not None and hi is not None and math.isfinite(lo[i]) and math.isfinite(hi[i]) and hi[i] > lo[i]:
            x_lo, x_hi = mid + lo[i] / limit * half, mid + hi[i] / limit * half
            canvas.parts.append(f"<line class='whisker' data-lo='{lo[i]:.6g}' data-hi='{hi[i]:.6g}' "
                                f"x1='{x_lo:.1f}' x2='{x_hi:.1f}' y1='{cy:.1f}' y2='{cy:.1f}' stroke='#222'/>")
            text_x = (max(mid + length, x_hi) + 3) if v >= 0 else (min(mid - length, x_lo) - 3)
        canvas.parts.append(f"<text x='{text_x:.1f}' y='{cy + 4:.1f}' text-anchor='{anchor}' fill='#555'>"
                            f"{_num(v, True, digits)}</text>")
    return canvas.svg()
