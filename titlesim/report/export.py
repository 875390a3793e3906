"""``report.html`` from the executed notebook with nbconvert's lab template: code hidden
(no inputs, no prompts, no printed streams, no cells without output), the sections' HTML
outputs (headings with anchors, the contents, tables, inline PNG figures) kept. No scripts at all (no
require.js, MathJax or widget loaders fetched from the internet): the report reads the
same offline and on an intranet."""
from __future__ import annotations

from pathlib import Path

NO_SCRIPTS = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""
LANGUAGE_CODES = {"zh": "zh", "en": "en"}  # ISO 639-1, as nbconvert requires


def export_html(notebook: Path, html: Path, title: str, lang: str = "zh") -> None:
    import jinja2
    import nbformat
    from nbconvert import HTMLExporter
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if o.get("output_type") != "stream"]
    # only what the sections show: no markdown, no cells without output (parameters)
    nb.cells = [cell for cell in nb.cells if cell.cell_type == "code" and cell.outputs]
    exporter = HTMLExporter(
        template_name="lab", template_file="titlesim_report.html.j2",
        extra_loaders=[jinja2.DictLoader({"titlesim_report.html.j2": NO_SCRIPTS})],
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
        language_code=LANGUAGE_CODES.get(lang, "en"))
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    html.write_text(body, encoding="utf-8")
