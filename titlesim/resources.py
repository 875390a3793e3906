"""Work that fits: before a command simulates, what it will need against what the machine has.

Memory and disk grow with people × replicates × years × cells. A run of 20 million people
or 10,000 replicates would otherwise start silently and grow until the machine runs out
of memory. :func:`estimate` works the need out from the scenario alone (nothing is
simulated); :func:`check` refuses (exit 2) work beyond the machine, saying the estimate
and what there is, unless the user passes ``--allow-large``; large work prints its
estimate first.

The bytes per unit are measured on the baseline (25,000 people, 10 years; see
``docs/reliability.md``): 4 bytes per count in the dense array, about 28 bytes per row
of the metrics table in memory and 85 on disk as CSV, about 14% of the rows non-zero
(a quarter is assumed, to be safe), about 190 bytes per person in the engine.
"""
from __future__ import annotations

import math
import os
import shutil
from dataclasses import dataclass, replace  # noqa: F401 (replace: for callers)
from pathlib import Path

from titlesim.errors import InputError, Problem
from titlesim.i18n import msg

N_METRICS = 22
BYTES_PER_COUNT = 4
ROW_SHARE = 0.25  # share of (metric, cell, year) rows that are non-zero (baseline: 0.14)
ROW_BYTES_MEMORY = 28 + 40  # the metrics frame, and Arrow's copy while writing
ROW_BYTES_CSV = 85
PERSON_BYTES = 190 * 3  # people, the year's working copies and the setup
BASE_MEMORY = 300 * 2**20  # Python, numpy, pandas
LARGE = 4 * 2**30  # an estimate above this is printed before the work starts
MEMORY_SHARE = 0.8  # of the memory available now


@dataclass(frozen=True)
class Estimate:
    people: int
    replicates: int
    years: int
    cells: int
    memory: int  # bytes
    disk: int  # bytes
    roster: bool = False  # the people are a roster's establishment, not population.size

    def text(self) -> str:
        return msg("estimate_line", people=f"{self.people:,}", replicates=self.replicates,
                   years=self.years, cells=f"{self.cells:,}", memory=size_text(self.memory),
                   disk=size_text(self.disk))


def size_text(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return ""


def cells_upper_bound(params) -> int:
    """The number of cells (county × unit type × specialty × level) the engine can use:
    a unit type has at most as many county groups as it has units."""
    pop = params.population
    total = 0
    for spec in pop.unit_types.values():
        staff = pop.size * pop.series.get(spec.series, 0.0) * spec.share
        units = math.ceil(staff / spec.staff_per_unit) if staff > 0 else 0
        groups = min(len(pop.counties), units)
        total += groups * (len(pop.specialties.get(spec.series, {})) + 1)
    return 4 * max(total, 1)


def starting_establishment(params) -> int:
    """The staff the units are set up for at the start, which the first year's entrants
    fill: ``population.size``, or for a roster the sum of its units' 编制数 (else
    headcounts). A roster is read and checked here, so that a bad one is refused before
    anything is estimated or allocated."""
    if not params.population.roster:
        return params.population.size
    from titlesim.roster.workforce import roster_establishment
    return roster_establishment(params)


def peak_people(params, staff: float) -> float:
    """The workforce at its largest: ``staff`` at the start grown over the horizon."""
    return staff * max(1.0, (1 + params.flows.entrants.growth_rate) ** params.horizon.years)


def estimate(params, replicates: int | None = None, tables: int = 1) -> Estimate:
    """Memory and disk for simulating ``params`` ``tables`` times (a comparison: one per
    scenario) with ``replicates`` (default: the scenario's). The people are the units'
    establishment grown over the horizon (:func:`starting_establishment`)."""
    replicates = params.replicates if replicates is None else replicates
    years = params.horizon.years
    cells = cells_upper_bound(params)
    staff = starting_establishment(params)
    peak = int(peak_people(params, staff))
    rows = ROW_SHARE * N_METRICS * cells * years * replicates * tables
    memory = (BASE_MEMORY + peak * PERSON_BYTES
              + tables * replicates * years * N_METRICS * cells * BYTES_PER_COUNT
              + rows * ROW_BYTES_MEMORY)
    return Estimate(staff, replicates, years, cells, int(memory),
                    int(rows * ROW_BYTES_CSV), bool(params.population.roster))


def available_memory() -> int:
    import psutil
    return int(psutil.virtual_memory().available)


def free_disk(place: Path) -> int:
    place = Path(place).absolute()
    while not place.exists() and place != place.parent:
        place = place.parent
    return shutil.disk_usage(place).free


def check(work: Estimate, out: Path | None, allow_large: bool = False, echo=None) -> None:
    """Refuse ``work`` beyond this machine (unless ``allow_large``); print a large estimate."""
    memory, disk = available_memory(), free_disk(out or Path.cwd())
    if os.environ.get("TITLESIM_AVAILABLE_MEMORY"):  # for tests: a smaller machine
        memory = int(os.environ["TITLESIM_AVAILABLE_MEMORY"])
    too_big = []
    if work.memory > memory * MEMORY_SHARE:
        too_big.append(msg("estimate_memory", need=size_text(work.memory), have=size_text(memory)))
    if work.disk > disk:
        too_big.append(msg("estimate_disk", need=size_text(work.disk), have=size_text(disk)))
    if too_big and not allow_large:
        raise InputError(Problem(msg("estimate_too_big", what="; ".join(too_big)),
                                 key="--replicates / " + ("population.roster"
                                                          if work.roster else "population.size"),
                                 hint=msg("estimate_hint_roster" if work.roster else "estimate_hint")))
    if echo is not None and (too_big or work.memory > LARGE or work.disk > LARGE):
        echo(work.text())
