"""The report's sections, in the order of the users' questions (docs/guide.md):

=============  ==============================================================
``overview``   what was run, the criteria in force, the headline figures
``flow``       who applies, sits, passes, is titled and hired (county, unit type, specialty)
``passline``   where the grassroots ratio line falls; who passes below the provincial standard
``validity``   what three-year validity does: retakes avoided, passes expired unused
``posts``      the post queue: waiting, years waited, vacancies, unit groups at their cap
``equity``     pass and title rates across counties, unit types and specialties
``stock``      the senior share of the grassroots workforce, leavers
``comparison`` (revisions given) what differs and what changes
``validation`` model validation: the history, what holds steady, what to trust, what to replace
``about``      method, every parameter, provenance
=============  ==============================================================

Each module has ``build(inputs) -> Section``: sentences computed from the numbers, tables
and figures. No I/O.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from titlesim.report.sections import (about, comparison, equity, flow, overview, passline, posts,
                                      stock, validation, validity)

BUILDERS = {
    "overview": overview.build, "flow": flow.build, "passline": passline.build,
    "validity": validity.build, "posts": posts.build, "equity": equity.build,
    "stock": stock.build, "comparison": comparison.build, "validation": validation.build,
    "about": about.build,
}
ORDER = tuple(BUILDERS)


@dataclass
class Inputs:
    """What every builder reads: the base result, the comparison (when revisions are
    given), the language and the sections this report has (for the contents)."""

    result: object
    lang: str = "zh"
    comparison: object = None
    sections: tuple[str, ...] = ORDER

    @property
    def scenario(self):
        return self.result.scenario

    @property
    def params(self):
        return self.result.scenario.params

    @property
    def n_years(self) -> int:
        return len(self.result.years)

    @property
    def first_year(self) -> int:
        return int(self.result.years[0])

    @property
    def last_year(self) -> int:
        return int(self.result.years[-1])

    @cached_property
    def headline(self):
        from titlesim.report.headline import headline
        return headline(self.result)


def sections_for(has_revisions: bool) -> tuple[str, ...]:
    return tuple(k for k in ORDER if has_revisions or k != "comparison")


def build(key: str, inputs: Inputs):
    if key not in BUILDERS:
        raise ValueError(f"unknown report section {key!r}; the sections are {', '.join(ORDER)}")
    return BUILDERS[key](inputs)
