"""The free assumptions calibration may fit, with the bounds the search keeps to.

Only assumptions (never a clause of the notice) are fitted. ``--params`` names them by
key path, optionally with bounds: ``exam.mean_score`` or ``exam.mean_score=45:70``. The
default bounds below are wide plausible ranges, not estimates.
"""
from __future__ import annotations

from dataclasses import dataclass

from titlesim.errors import InputError, Problem
from titlesim.labels import parameter_label

# key path -> (low, high)
FREE = {
    "exam.mean_score": (20.0, 90.0),
    "exam.ability_effect": (0.0, 30.0),
    "exam.noise_sd": (0.5, 30.0),
    "application.base.grassroots": (0.01, 0.95),
    "application.base.other": (0.01, 0.95),
    "evaluation.criteria.general.threshold": (-3.0, 3.0),
    "evaluation.criteria.grassroots.threshold": (-3.0, 3.0),
    "flows.exit_rate.grassroots": (0.0, 0.3),
    "flows.exit_rate.other": (0.0, 0.3),
}
# which parameters a metric speaks to, for the default choice of --params
INFORMED_BY = {
    "applied": ("application.base.grassroots", "application.base.other"),
    "sat_exam": ("application.base.grassroots", "application.base.other"),
    "passed_provincial": ("exam.mean_score",),
    "passed_ratio_only": ("exam.mean_score",),
    "titled": ("evaluation.criteria.general.threshold", "evaluation.criteria.grassroots.threshold"),
    "exits_other": ("flows.exit_rate.grassroots", "flows.exit_rate.other"),
}


@dataclass(frozen=True)
class FreeParameter:
    path: str
    low: float
    high: float

    def label(self, lang: str = "zh") -> str:
        return parameter_label(self.path, lang)

    def scaled(self, value: float) -> float:
        """The value on 0..1 across the bounds (the search works on this scale)."""
        return min(max((value - self.low) / (self.high - self.low), 0.0), 1.0)

    def value(self, scaled: float) -> float:
        return self.low + scaled * (self.high - self.low)


def parse_params(texts, metrics) -> list[FreeParameter]:
    """``--params`` values (each may list several, comma-separated) as free parameters;
    none given: the parameters the observed ``metrics`` speak to."""
    items = [t.strip() for text in texts for t in text.split(",") if t.strip()]
    if not items:
        items = list(dict.fromkeys(p for m in metrics for p in INFORMED_BY.get(m, ())))
    if not items:
        raise InputError(Problem("no parameter to fit", key="--params",
                                 expected="one or more of " + ", ".join(FREE)))
    chosen = []
    for item in items:
        path, _, bounds = item.partition("=")
        path = path.strip()
        if path not in FREE:
            raise InputError(Problem(f"'{path}' cannot be calibrated", key="--params",
                                     expected="one of " + ", ".join(FREE)))
        low, high = FREE[path]
        if bounds:
            try:
                low, high = (float(b) for b in bounds.split(":"))
            except ValueError:
                raise InputError(Problem(f"bounds '{bounds}' of {path} are not LOW:HIGH",
                                         key="--params",
                                         expected="e.g. exam.mean_score=45:70")) from None
            if not low < high:
                raise InputError(Problem(f"bounds of {path}: {low:g} is not below {high:g}",
                                         key="--params"))
        if any(p.path == path for p in chosen):
            raise InputError(Problem(f"{path} is named twice", key="--params"))
        chosen.append(FreeParameter(path, low, high))
    return chosen


def current_value(resolved: dict, path: str) -> float:
    node = resolved
    for part in path.split("."):
        node = node[part]
    return float(node)
