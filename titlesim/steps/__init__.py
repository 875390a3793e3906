"""The steps of one evaluation year (docs/model.md, 一个评审年度的步骤), one module per
step, each gluing the pure rules in :mod:`titlesim.rules` to the state of one replicate
and recording what happened, or handing the step to its compiled pass in
:mod:`titlesim.compiled` (the same bits, ``tests/test_kernels.py``). Random draws are made
only for the people a step concerns (the draw is keyed by person, so subsets do not
disturb common random numbers)."""
from titlesim.steps.application import (application_step, eligibility_and_application_step,
                                        eligibility_step)
from titlesim.steps.evaluation import evaluation_step
from titlesim.steps.exam import exam_and_pass_lines_step
from titlesim.steps.flows import flows_step
from titlesim.steps.hiring import hiring_step
from titlesim.steps.mobility import mobility_step
from titlesim.steps.record import record_step
from titlesim.steps.state import State

__all__ = ["State", "flows_step", "eligibility_and_application_step", "eligibility_step",
           "application_step", "exam_and_pass_lines_step", "evaluation_step", "hiring_step",
           "mobility_step", "record_step"]
