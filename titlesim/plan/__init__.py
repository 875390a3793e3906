"""Planning: which settings reach the bureau's targets.

``titlesim`` answers "what happens if we set X?"; a plan answers the other way round:
"what must we set to reach our target?". Given levers (scenario keys with ranges or
options) and targets on the comparison's outcomes, the search runs candidate settings
with common random numbers on the sweep machinery and returns the setting that meets
every target at the least cost (an outcome to minimise, or the least change), or says
that none does, which target binds and how close the closest setting comes.

>>> from titlesim import load_scenario
>>> from titlesim.plan import Objective, parse_lever, parse_target, run_plan, scenario_years
>>> s = load_scenario("scenarios/baseline-2022.yaml", ["population.size=2000", "horizon.years=3"])
>>> p = run_plan(s, [parse_lever("passline.ratio=0.3:0.9:0.05", s)],
...              [parse_target("titled_grassroots >= 300", scenario_years(s))],
...              Objective("exam_sittings"), replicates=2, out="/tmp/p")   # doctest: +SKIP
>>> p.feasible, p.setting                                                   # doctest: +SKIP

Modules: :mod:`.levers` and :mod:`.targets` (the question, checked at the door),
:mod:`.evaluate` (candidates as sweep points), :mod:`.search` (the refined grid),
:mod:`.answer` (feasibility, best, runner-up, binding targets), :mod:`.run`
(``run_plan``), :mod:`.revision` (``plan.yaml``), :mod:`.output` and :mod:`.figure`.
"""
from titlesim.plan.answer import Objective
from titlesim.plan.levers import Lever, parse_lever
from titlesim.plan.run import Plan, run_plan
from titlesim.plan.targets import Target, parse_target, scenario_years

__all__ = ["Lever", "Objective", "Plan", "Target", "parse_lever", "parse_target", "run_plan",
           "scenario_years"]
