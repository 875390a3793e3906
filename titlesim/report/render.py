"""The report as HTML fragments, one per section, shown as the notebook cells' outputs
(so the executed notebook and the exported ``report.html`` show the same thing): headings
with anchors, the contents (navigation), sentences, tables and figures (PNG, inline).
Plain HTML and CSS: it reads offline, without widgets or scripts."""
from __future__ import annotations

import base64
import html
import math
from numbers import Number

from titlesim.report.model import Section, Table
from titlesim.report.tables import Banded, banded_columns, labelled
from titlesim.report.words import say

CSS = """<style>
.titlesim-report { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei",
  "PingFang SC", sans-serif; max-width: 1100px; line-height: 1.6; }
.titlesim-report nav.contents { border: 1px solid #ccc; padding: 0.5em 1.2em; margin: 1em 0;
  background: #f7f7f7; }
.titlesim-report table.data { border-collapse: collapse; font-size: 0.9em; margin: 0.4em 0 1em; }
.titlesim-report table.data th, .titlesim-report table.data td { border: 1px solid #ccc;
  padding: 2px 8px; text-align: left; }
.titlesim-report table.data td.num { text-align: right; font-variant-numeric: tabular-nums; }
.titlesim-report table.data th { background: #eef2f5; }
.titlesim-report .note { color: #555; font-size: 0.85em; }
.titlesim-report td .band { color: #666; font-size: 0.8em; white-space: nowrap; }
.titlesim-report figure { margin: 0.5em 0 1.5em; }
.titlesim-report figure img { max-width: 100%; }
.titlesim-report figcaption { color: #333; font-size: 0.9em; }
</style>"""


def anchor(key: str) -> str:
    return f"section-{key}"


def header(title: str, subtitle: str, contents: list[tuple[str, str]], lang: str) -> str:
    """The report's title and its contents: links to every section."""
    items = "".join(f'<li><a href="#{anchor(k)}">{html.escape(t)}</a></li>' for k, t in contents)
    return (f'{CSS}<div class="titlesim-report"><h1 id="report-title">{html.escape(title)}</h1>'
            f'<p>{html.escape(subtitle)}</p><nav class="contents"><strong>'
            f'{html.escape(say("contents", lang))}</strong><ol>{items}</ol></nav></div>')


def section(s: Section, images: dict[str, bytes], lang: str) -> str:
    parts = [f'<h2 id="{anchor(s.key)}">{html.escape(s.title)}</h2>']
    parts += [f"<p>{html.escape(p)}</p>" for p in s.paragraphs]
    for fig in s.figures:
        data = base64.b64encode(images[fig.name]).decode("ascii")
        parts.append(f'<figure><img alt="{html.escape(fig.title)}" src="data:image/png;base64,{data}">'
                     f"<figcaption>{html.escape(fig.title)}</figcaption></figure>")
    for t in s.tables:
        parts.append(table(t, lang))
    return f'<div class="titlesim-report">{"".join(parts)}</div>'


def table(t: Table, lang: str) -> str:
    frame = labelled(t, lang, bands=True)
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    body = (f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>')
    text = table_note(t, lang)
    note = f'<p class="note">{html.escape(text)}</p>' if text else ""
    title = html.escape(t.title)
    if t.folded:
        return f"<details><summary><strong>{title}</strong></summary>{body}{note}</details>"
    return f"<h3>{title}</h3>{body}{note}"


def table_note(t: Table, lang: str) -> str:
    """The table's note, and how to read the intervals under its numbers when it has them."""
    notes = [t.note, say("note_bands", lang) if not t.compare_table and banded_columns(t.frame) else ""]
    return ("" if lang == "zh" else " ").join(n for n in notes if n)


def _cell(value) -> str:
    text, numeric = cell_text(value)
    band = band_text(value)
    if band:
        text += f'<br><span class="band">{band}</span>'
    return f'<td class="num">{text}</td>' if numeric else f"<td>{html.escape(text)}</td>"


def band_text(value) -> str:
    """The interval shown under a :class:`Banded` number (``1,540–1,590``); empty for
    other cells and where there is no spread (the posts of a year, fixed by the rules)."""
    if not isinstance(value, Banded) or value.lo == value.hi == value.value \
            or any(isinstance(v, float) and math.isnan(v) for v in (value.lo, value.hi)):
        return ""
    return f"{cell_text(value.lo)[0]}–{cell_text(value.hi)[0]}"


def cell_text(value) -> tuple[str, bool]:
    """A table cell as shown (in the HTML and in Word), and whether it is a number:
    counts (integers) whole with thousands separated, other numbers (rates, scores,
    years waited) with one decimal; never "-0".

    >>> cell_text(12345), cell_text(53.0), cell_text(-0.04), cell_text(Banded(7, 5, 9))
    (('12,345', True), ('53.0', True), ('0.0', True), ('7', True))
    """
    if isinstance(value, Banded):
        return cell_text(value.value)
    if isinstance(value, bool) or not isinstance(value, Number):
        return ("" if value is None else str(value)), False
    if isinstance(value, float):
        if math.isnan(value):
            return "–", True
        text = f"{value:,.1f}"
        return ("0.0" if text == "-0.0" else text), True
    return f"{value:,}", True
