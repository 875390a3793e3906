"""The object the report notebook drives: open (simulate or compare), show each section,
finish (the workbook).

>>> from titlesim.report import Report
>>> report = Report.open("scenarios/baseline-2022.yaml", overrides=["population.size=2000",
...     "horizon.years=2", "replicates=2"])                            # doctest: +SKIP
>>> report.show("flow")                                                  # doctest: +SKIP

With ``output_dir`` set, every table is written to ``tables/<name>.csv``, every figure to
``figures/<name>.png``, ``.svg`` and ``.csv`` (its numbers), and :meth:`finish` writes
``tables.xlsx``. Without it, the report is only shown (interactive use).
"""
from __future__ import annotations

from pathlib import Path

from titlesim import figurefiles, labels, tablefiles
from titlesim.report import plots, render
from titlesim.report.model import Section
from titlesim.report.sections import Inputs, build, sections_for
from titlesim.report.tables import write_csv, write_workbook
from titlesim.report.words import say, section_title


class Report:
    def __init__(self, inputs: Inputs, output_dir: Path | None = None):
        self.inputs = inputs
        self.output_dir = Path(output_dir) if output_dir else None
        self.tables = []
        self.shown = []  # (section, {figure name: PNG path}) in order, for report.docx
        if self.output_dir:
            for sub in ("tables", "figures"):
                (self.output_dir / sub).mkdir(parents=True, exist_ok=True)

    @classmethod
    def open(cls, scenario, revisions=(), overrides=(), replicates=None, seed=None, lang="zh",
             subject=None, output_dir=None) -> "Report":
        """Load the scenario (and revisions, with the same ``overrides``), simulate it, or
        compare them with common random numbers. ``subject`` names the revision the report
        is of (a revision's report compares it with the scenario it revises); by default
        the report is of ``scenario``."""
        from titlesim import load_scenario, simulate
        labels.check_language(lang)
        base = load_scenario(scenario, list(overrides))
        comparison = None
        if revisions:
            from titlesim.compare import compare
            comparison = compare(base, [load_scenario(p, list(overrides)) for p in revisions],
                                 replicates=replicates, seed=seed)
            result = comparison.results[subject or comparison.base_name]
        else:
            result = simulate(base, replicates=replicates, seed=seed, progress=False)
        inputs = Inputs(result, lang, comparison, sections_for(comparison is not None))
        return cls(inputs, output_dir)

    @property
    def sections(self) -> tuple[str, ...]:
        return self.inputs.sections

    def section(self, key: str) -> Section:
        return build(key, self.inputs)

    def html(self, key: str) -> str:
        """The section as HTML (the overview also carries the title and the contents);
        its tables and figures are written to the output folder."""
        s = self.section(key)
        images = {f.name: self._save_figure(f) for f in s.figures}
        for t in s.tables:
            self._save_table(t)
        if self.output_dir and key not in {shown.key for shown, _ in self.shown}:
            self.shown.append((s, {f.name: self.output_dir / "figures" / f"{f.name}.png"
                                   for f in s.figures}))
        text = render.section(s, images, self.inputs.lang)
        if key == "overview":
            text = self._header() + text
        return text

    def show(self, key: str) -> None:
        """Show one section in the notebook (nothing when it does not apply)."""
        if key not in self.sections:
            return
        from IPython.display import HTML, display
        display(HTML(self.html(key)))

    def finish(self) -> None:
        """Write ``tables.xlsx`` from the tables shown and ``report.docx`` from the sections
        shown (nothing without an output folder)."""
        if self.output_dir:
            from titlesim.report.word import write_docx
            write_workbook(self.tables, self.output_dir / "tables.xlsx", self.inputs.lang)
            write_docx(self.output_dir / "report.docx", self.title, self.subtitle, self.shown,
                       self.inputs.lang)

    # ------------------------------------------------------------------------ helpers
    @property
    def title(self) -> str:
        return say("report_title", self.inputs.lang, scenario=self.inputs.scenario.title_in(self.inputs.lang))

    @property
    def subtitle(self) -> str:
        return self.inputs.scenario.question_in(self.inputs.lang)

    def _header(self) -> str:
        lang = self.inputs.lang
        contents = [(k, section_title(k, lang)) for k in self.sections]
        return render.header(self.title, self.subtitle, contents, lang)

    def _save_table(self, table) -> None:
        if self.output_dir and table.name not in {t.name for t in self.tables}:
            write_csv(table, self.output_dir / "tables")
            self.tables.append(table)

    def _save_figure(self, figure) -> bytes:
        if not self.output_dir:
            return plots.png_bytes(figure.figure)
        folder = self.output_dir / "figures"
        png, _ = figurefiles.save(figure.figure, folder, figure.name)
        tablefiles.write_csv(figure.data, folder / f"{figure.name}.csv")
        return png.read_bytes()
