"""Fit free assumptions to observed counts (scipy.optimize.least_squares, bounded).

Every evaluation simulates the scenario with the same seed and replicates, so two
parameter values are compared on the same luck (common random numbers): the simulated
counts then move with the parameters in small steps, not by noise, and a finite
difference over a fixed step (a twentieth of each parameter's range) sees their slope.
The residual of an observed count is its Poisson deviance residual against the
simulated mean (:func:`deviance_residuals`). The standard error of each fitted value
comes from the Jacobian at the optimum: covariance = s^2 (J'J)^-1 (1 + 1/R), with s^2 the
residual sum of squares over its degrees of freedom and R the replicates (whose own noise
the simulated means carry, as in the simulated method of moments).

With ``holdout_years`` N, the last N observed years are left out of the fit and the
fitted model's prediction of them is reported (a back-test).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import least_squares

from titlesim.calibrate.observed import Observed, selection
from titlesim.calibrate.parameters import FreeParameter, current_value
from titlesim.errors import InputError, Problem
from titlesim.metrics import METRICS
from titlesim.simulate import simulate

STEP = 0.05  # finite-difference step on the 0..1 scale of each parameter's bounds
MIN_EXPECTED = 0.1  # a simulated mean of 0 against a count above 0 is taken as this


@dataclass
class Calibration:
    """What a calibration found. ``table`` has one row per observed count: the observed
    value, the model's before (``start``) and after (``fitted``) and the ``set`` it
    belongs to (fit or holdout)."""

    scenario: object  # the LoadedScenario calibrated
    observed: Observed
    free: list[FreeParameter]
    start: np.ndarray
    fitted: np.ndarray
    std_error: np.ndarray
    table: pd.DataFrame
    replicates: int
    seed: int
    evaluations: int
    status: str
    fit_years: list[int] = field(default_factory=list)
    holdout_years: list[int] = field(default_factory=list)

    def overrides(self, values=None) -> list[str]:
        values = self.fitted if values is None else values
        return [f"{p.path}={float(v)!r}" for p, v in zip(self.free, values)]


class _Model:
    """The simulated observed counts for parameter values (scaled 0..1), remembered."""

    def __init__(self, loaded, observed: Observed, free, replicates: int, seed: int, bar=None):
        self.loaded, self.observed, self.free = loaded, observed, free
        self.replicates, self.seed = replicates, seed
        self.bar = bar  # counts the simulations (a tqdm bar), or None
        self.cache: dict[tuple, np.ndarray] = {}
        self.mask = None

    def counts(self, scaled, last_year: int) -> np.ndarray:
        key = (tuple(np.round(scaled, 12)), last_year)
        if key not in self.cache:
            self.cache[key] = self._simulate(scaled, last_year)
        return self.cache[key]

    def _simulate(self, scaled, last_year: int) -> np.ndarray:
        start = self.loaded.params.horizon.start
        values = [p.value(x) for p, x in zip(self.free, scaled)]
        changes = [f"{p.path}={float(v)!r}" for p, v in zip(self.free, values)]
        scenario = self.loaded.with_overrides(changes + [f"horizon.years={last_year - start + 1}"])
        result = simulate(scenario, replicates=self.replicates, seed=self.seed, progress=False)
        if self.bar is not None:
            self.bar.update()
        if self.mask is None:
            self.mask = selection(self.observed, result.cells.table).astype(np.float64)
        rows = self.observed.rows
        inside = rows["year"].to_numpy() <= last_year
        mean = result.counts.mean(axis=0)  # (year, metric, cell)
        y = rows["year"].to_numpy()[inside] - start
        m = rows["metric"].map(METRICS.index).to_numpy()[inside]
        out = np.full(len(rows), np.nan)
        out[inside] = np.einsum("ic,ic->i", mean[y, m], self.mask[inside])
        return out


def deviance_residuals(simulated: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """Poisson deviance residuals: sign(s - o) * sqrt(2 (o log(o / s) - (o - s))).

    Their sum of squares is least where a Poisson model of the counts is most likely, so
    small counts (passes by ratio only, a few a year) are neither over- nor under-weighted.

    >>> deviance_residuals(np.array([10.0, 4.0, 0.0]), np.array([10.0, 9.0, 0.0])).round(3).tolist()
    [0.0, -2.144, 0.0]
    """
    o = observed
    s = np.where(o > 0, np.maximum(simulated, MIN_EXPECTED), simulated)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(o > 0, o * np.log(o / s), 0.0)
    return np.sign(s - o) * np.sqrt(np.maximum(2.0 * (ratio - (o - s)), 0.0))


def _design(n: int) -> np.ndarray:
    """Points spread over the bounds (a scrambled Sobol sample, fixed seed). The search
    starts from the scenario's values and again from the best of these points, and keeps
    the better end: the counts move in small steps and may have more than one dip, so
    that one start may stall."""
    from scipy.stats import qmc
    return qmc.Sobol(n, scramble=True, seed=0).random(2 ** int(np.ceil(np.log2(4 + 4 * n))))


def _jacobian(residuals, x: np.ndarray) -> np.ndarray:
    """Central differences over STEP on the 0..1 scale (one-sided at a bound)."""
    columns = []
    for i in range(len(x)):
        up, down = x.copy(), x.copy()
        up[i], down[i] = min(x[i] + STEP, 1.0), max(x[i] - STEP, 0.0)
        columns.append((residuals(up) - residuals(down)) / (up[i] - down[i]))
    return np.column_stack(columns)


def calibrate(loaded, observed: Observed, free: list[FreeParameter], holdout_years: int = 0,
              replicates: int | None = None, seed: int | None = None,
              max_evaluations: int = 200, progress: bool | None = False) -> Calibration:
    """Fit ``free`` to ``observed`` (see the module docstring); ``progress`` counts the
    simulations on stderr (None: when stderr is a terminal)."""
    from titlesim import progress as shown
    params = loaded.params
    replicates = params.replicates if replicates is None else replicates
    seed = params.seed if seed is None else seed
    years = observed.years
    if holdout_years >= len(years):
        raise InputError(Problem(f"--holdout-years {holdout_years} leaves no year to fit: "
                                 f"the observed counts cover {len(years)} year(s) "
                                 f"({years[0]}-{years[-1]})",
                                 key="--holdout-years", file=observed.file,
                                 expected=f"at most {len(years) - 1}"))
    fit_years = years[:len(years) - holdout_years]
    rows = observed.rows
    in_fit = rows["year"].isin(fit_years).to_numpy()
    obs = rows["value"].to_numpy(dtype=float)
    shown.step("progress_calibrate_start", progress, params=len(free))
    bar = shown.bar("progress_calibrate_fitting", unit="progress_unit_run", progress=progress,
                    replicates=replicates)
    model = _Model(loaded, observed, free, replicates, seed, bar)

    def residuals(x):
        return deviance_residuals(model.counts(x, fit_years[-1])[in_fit], obs[in_fit])

    start = np.array([current_value(loaded.resolved, p.path) for p in free])
    x0 = np.array([p.scaled(v) for p, v in zip(free, start)])
    spread = min(_design(len(free)), key=lambda x: float(residuals(x) @ residuals(x)))
    found = min((least_squares(residuals, x, jac=lambda x: _jacobian(residuals, x),
                               bounds=(0.0, 1.0), method="trf", xtol=1e-3, ftol=1e-4,
                               max_nfev=max_evaluations) for x in (x0, spread)),
                key=lambda solution: solution.cost)
    x = found.x
    fitted = np.array([p.value(v) for p, v in zip(free, x)])
    std_error = _std_error(_jacobian(residuals, x), residuals(x), free)
    std_error *= np.sqrt(1 + 1 / replicates)  # the simulated means carry their replicates' noise
    table = rows.copy()
    table["start"] = model.counts(x0, years[-1])
    table["fitted"] = model.counts(x, years[-1])
    table["set"] = np.where(in_fit, "fit", "holdout")
    bar.close()
    return Calibration(loaded, observed, free, start, fitted, std_error, table, replicates, seed,
                       len(model.cache), found.message, fit_years, years[len(fit_years):])


def _std_error(jac: np.ndarray, res: np.ndarray, free) -> np.ndarray:
    """Standard errors from the Jacobian (NaN where the counts do not pin a value down)."""
    m, n = jac.shape
    ranges = np.array([p.high - p.low for p in free])
    if m <= n:
        return np.full(n, np.nan)
    s2 = float(res @ res) / (m - n)
    information = jac.T @ jac
    if np.linalg.matrix_rank(information) < n:
        return np.full(n, np.nan)
    return np.sqrt(np.diag(np.linalg.inv(information)) * s2) * ranges


def error_measures(table: pd.DataFrame, column: str = "fitted") -> pd.DataFrame:
    """RMSE and MAPE (%, over counts above 0) of ``column`` against the observed counts,
    per set (fit, holdout) and metric, and over all metrics of the set."""
    rows = []
    for (kind, metric), part in _groups(table):
        err = part[column] - part["value"]
        positive = part["value"] > 0
        relative = err[positive].abs() / part["value"][positive]
        mape = float(relative.mean() * 100) if positive.any() else np.nan
        rows.append((kind, metric, len(part), float(np.sqrt((err ** 2).mean())), mape))
    return pd.DataFrame(rows, columns=["set", "metric", "n", "rmse", "mape"])


def _groups(table: pd.DataFrame):
    for kind in ("fit", "holdout"):
        part = table[table["set"] == kind]
        if part.empty:
            continue
        yield (kind, "all"), part
        for metric in dict.fromkeys(part["metric"]):
            yield (kind, metric), part[part["metric"] == metric]
