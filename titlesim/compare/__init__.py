"""Compare criteria revisions before issuing them: what differs (the
parameters) and what changes (every headline outcome, with intervals over replicates that
share their random numbers).

>>> from titlesim import load_scenario
>>> from titlesim.compare import compare, write_comparison
>>> base = load_scenario("scenarios/baseline-2022.yaml")
>>> cmp = compare(base, [load_scenario("scenarios/grassroots-ratio-0.6.yaml")])  # doctest: +SKIP
>>> cmp.impact[cmp.impact["year"] == "total"]                                   # doctest: +SKIP
>>> write_comparison(cmp, None)             # reports/compare/baseline-2022/<time>-<hash>  # doctest: +SKIP

Modules: :mod:`.outcomes` (the outcome definitions, one table), :mod:`.diff` (what
differs, and whether scenarios can be compared), :mod:`.impact` (paired differences),
:mod:`.equity`, :mod:`.small_workforce` (too small for a change to show), :mod:`.figures`,
:mod:`.workbook`, :mod:`.output` (the folder).
"""
from titlesim.compare import figures, outcomes
from titlesim.compare.comparison import Comparison, compare
from titlesim.compare.outcomes import OUTCOMES, headline, outcome_table
from titlesim.compare.output import write_comparison

__all__ = ["Comparison", "OUTCOMES", "compare", "figures", "headline", "outcome_table",
           "outcomes", "write_comparison"]
