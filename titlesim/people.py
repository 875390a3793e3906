"""People and units as columns of numpy arrays (never one Python object per person).

:class:`People` holds one array per attribute; :class:`Units` one array per unit
attribute. :class:`Codebook` maps the integer codes back to names (series, counties,
unit types, specialties), in the order the scenario lists them.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import NamedTuple

import numpy as np

from titlesim.scenario.schema import EDUCATIONS, LEVELS, Scenario
from titlesim.sizes import kernels_for

JUNIOR, INTERMEDIATE, DEPUTY_SENIOR, FULL_SENIOR = range(4)
NO_PASS = 0  # pass_until when no exam pass is held
GROWTH = 1.0625  # a column that runs out of room grows by a sixteenth


@dataclass(frozen=True)
class Codebook:
    series: tuple[str, ...]
    counties: tuple[str, ...]
    unit_types: tuple[str, ...]
    specialties: tuple[str, ...]
    specialty_series: np.ndarray  # series code of each specialty
    levels: tuple[str, ...] = LEVELS
    educations: tuple[str, ...] = EDUCATIONS

    @classmethod
    def from_scenario(cls, params: Scenario) -> "Codebook":
        pop = params.population
        series = tuple(pop.series)
        specialties, spec_series = [], []
        for s_index, s in enumerate(series):
            for spec in pop.specialties[s]:
                specialties.append(spec)
                spec_series.append(s_index)
        return cls(series, tuple(pop.counties), tuple(pop.unit_types), tuple(specialties),
                   np.array(spec_series, dtype=np.int8))


@dataclass
class Units:
    county: np.ndarray  # int16 code
    unit_type: np.ndarray  # int16 code
    series: np.ndarray  # int8 code
    grassroots: np.ndarray  # bool
    attached: np.ndarray  # bool: college clinic or unit medical room (一(三))
    establishment: np.ndarray  # int32: staff the unit is set up for

    def __len__(self) -> int:
        return len(self.county)


@dataclass
class People:
    id: np.ndarray  # int32, stable for life: the key of every random draw
    unit: np.ndarray  # int32
    specialty: np.ndarray  # int16
    level: np.ndarray  # int8: title held, 0 junior .. 3 full senior
    post_level: np.ndarray  # int8: level of the post held
    education: np.ndarray  # int8
    female: np.ndarray  # bool
    age: np.ndarray  # int8
    years_at_level: np.ndarray  # int8
    ability: np.ndarray  # float32: latent exam ability
    practice: np.ndarray  # float32: practice record 业绩
    papers: np.ndarray  # int16: research record
    failures: np.ndarray  # int8: failed attempts at the next level
    pass_until: np.ndarray  # int16: last evaluation year the pass is usable (0: none)
    pass_scope: np.ndarray  # int8: 0 none, 1 general, 2 grassroots only
    directed: np.ndarray  # bool: title is grassroots-directed (定向)
    titled_year: np.ndarray  # int16: year the current title was obtained
    waiting_since: np.ndarray  # int16: year the wait for a post began (title, or a move)
    years_before: np.ndarray  # int8: years held at the level below before the current title
    # follow from the unit (and specialty); set by :meth:`place`, kept in step on moves
    grassroots: np.ndarray  # bool: the unit is grassroots (基层)
    attached: np.ndarray  # bool: college clinic or unit medical room
    series: np.ndarray  # int8
    pair: np.ndarray  # int32: (unit group, specialty) cell pair, see metrics.Cells

    def __len__(self) -> int:
        return len(self.id)

    def __post_init__(self):
        # name -> the whole memory the column is the head of (see grown): known here, so
        # that finding it again does not ask numpy for addresses
        self._memory: dict[str, np.ndarray] = {}

    def __getstate__(self):  # the columns only: a pickle never carries their spare room
        return {name: getattr(self, name) for name in NAMES}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._memory = {}

    def _whole(self, name: str) -> np.ndarray:
        column, memory = getattr(self, name), self._memory.get(name)
        if memory is None or (column.base is not memory and column is not memory):
            memory = memory_of(column)
        return memory

    def _set(self, name: str, memory: np.ndarray, n: int) -> None:
        self._memory[name] = memory
        setattr(self, name, memory[:n])

    def place(self, units: "Units", pair_of) -> None:
        """Set the unit-derived columns from ``unit`` (after creation or a move)."""
        self.grassroots = units.grassroots[self.unit]
        self.attached = units.attached[self.unit]
        self.series = units.series[self.unit]
        self.pair = pair_of(self.unit, self.specialty).astype(np.int32)

    def share_same(self, other: "People", names=("grassroots", "attached", "series", "pair")
                   ) -> None:
        """Where a column (by default the unit-derived ones :meth:`place` sets) holds the
        same values as ``other``'s, take ``other``'s column as a read-only view instead, so
        that the two do not keep the same values twice (a set-up placing a history's
        people again)."""
        for name in names:
            mine, theirs = getattr(self, name), getattr(other, name)
            if mine.dtype == theirs.dtype and np.array_equal(mine, theirs):
                shared = theirs.view()
                shared.flags.writeable = False
                setattr(self, name, shared)

    def take(self, index) -> "People":
        return People(**{name: getattr(self, name)[index] for name in NAMES})

    def keep(self, mask: np.ndarray) -> None:
        """Keep the people where ``mask``, in order (large columns are compacted within
        their own memory: a compiled pass, no new arrays)."""
        index = np.flatnonzero(mask)
        for name in NAMES:
            setattr(self, name, kept(getattr(self, name), mask, index))

    def extend(self, other: "People") -> None:
        """Append ``other`` (into the spare room of each column's memory when there is
        some, see :meth:`copy`)."""
        n = len(self)
        for name in NAMES:
            values = getattr(other, name)
            memory = grown(getattr(self, name), len(values), self._whole(name))
            memory[n:n + len(values)] = values
            self._set(name, memory, n + len(values))

    def copy(self, spare: float = GROWTH - 1) -> "People":
        """A copy with its own memory, with room for ``spare`` x its length more people
        (by default as much as a column grows by when it runs out of room: a replicate's
        copy then lengthens without moving to new memory, which would write the million
        people of province scale again and take fresh pages for them, once a run)."""
        n = len(self)
        out = {}
        for f in fields(self):
            column = getattr(self, f.name)
            out[f.name] = np.empty(n + int(n * spare), dtype=column.dtype)
            out[f.name][:n] = column
            out[f.name] = out[f.name][:n]
        return People(**out)

    def read_only(self) -> "People":
        """The same columns, as views that refuse writes (to share them safely)."""
        views = {}
        for name in NAMES:
            views[name] = getattr(self, name).view()
            views[name].flags.writeable = False
        return People(**views)

    def by_width(self, extra=()) -> tuple[tuple, tuple, tuple]:
        """Every column (and the ``extra`` arrays aligned with them) as unsigned views of
        1, 2 and 4 bytes a value: for compiled passes that move whole people."""
        groups = {1: [], 2: [], 4: []}
        for column in [getattr(self, name) for name in NAMES] + list(extra):
            size = column.dtype.itemsize
            groups[size].append(column.view(f"u{size}"))
        return tuple(groups[1]), tuple(groups[2]), tuple(groups[4])

    def columns(self) -> tuple:
        """Every column, in the order of the fields (for compiled passes that write
        whole people)."""
        return tuple(getattr(self, name) for name in NAMES)

    def make_room(self, n: int) -> int:
        """Lengthen every column by ``n`` people whose values are still to be written;
        returns the position of the first."""
        start = len(self)
        for name in NAMES:
            self._set(name, grown(getattr(self, name), n, self._whole(name)), start + n)
        return start

    def head(self, n: int) -> None:
        """Keep the first ``n`` people (after a pass that moved the stayers to the front)."""
        for name in NAMES:
            self._set(name, self._whole(name), n)

    def rearrange(self, plan: "Arrangement", new: "People") -> None:
        """Put ``new`` people in the places ``plan`` says (:func:`arrangement`)."""
        for name in NAMES:
            memory = rearranged(getattr(self, name), plan, getattr(new, name), self._whole(name))
            self._set(name, memory, plan.length)

    def nbytes(self) -> int:
        return sum(getattr(self, name).nbytes for name in NAMES)


NAMES = tuple(f.name for f in fields(People))  # the columns, in order


class Arrangement(NamedTuple):
    """Where this year's arrivals go and who moves (see :func:`arrangement`)."""

    slots: np.ndarray  # the place of each arrival, in their order
    targets: np.ndarray  # places left empty ...
    movers: np.ndarray  # ... and the people who move into them
    length: int  # people after the arrivals


def arrangement(n: int, gone: np.ndarray, arrivals: int) -> Arrangement:
    """Arrivals take the places of the leavers (``gone``: their places, ascending, among
    ``n``), in order, and are placed at the end once every such place is taken; places
    still empty are then filled by the last people. No one else moves, so a year costs
    what its leavers and arrivals cost, not what the workforce does. (The order of the
    people changes nothing the engine computes: every draw is keyed by the person's id.)

    >>> plan = arrangement(6, np.array([1, 4]), 3)
    >>> plan.slots.tolist(), plan.length
    ([1, 4, 6], 7)
    >>> plan = arrangement(6, np.array([1, 2, 4]), 1)
    >>> plan.slots.tolist(), plan.targets.tolist(), plan.movers.tolist(), plan.length
    ([1], [2], [5], 4)
    """
    gone = np.asarray(gone, dtype=np.int64)
    taken = min(len(gone), arrivals)
    slots = np.concatenate([gone[:taken], np.arange(n, n + arrivals - taken, dtype=np.int64)])
    empty = gone[taken:]
    length = n - len(empty) + (arrivals - taken)
    if len(empty) == 0:
        return Arrangement(slots, empty, empty, length)
    stays = np.ones(n - length, dtype=bool)  # the people past the new end move in ...
    stays[empty[empty >= length] - length] = False  # ... unless their place is empty
    movers = np.flatnonzero(stays) + length
    return Arrangement(slots, empty[empty < length], movers, length)


def rearranged(column: np.ndarray, plan: Arrangement, values,
               memory: np.ndarray | None = None) -> np.ndarray:
    """``column`` with ``values`` at ``plan.slots`` and the movers moved (in the spare room
    of its memory when there is some). With ``memory`` (the whole memory the column is
    the head of), the whole memory is returned."""
    n = len(column)
    whole = grown(column, max(plan.length - n, 0), memory if memory is not None else memory_of(column))
    whole[plan.slots] = values
    whole[plan.targets] = whole[plan.movers]
    return whole if memory is not None else whole[:plan.length]


def kept(column: np.ndarray, mask: np.ndarray, index: np.ndarray | None = None) -> np.ndarray:
    """``column[mask]``; for a large column, compacted in place (the result is a view of
    its memory, and the column is overwritten). ``index``: ``flatnonzero(mask)`` if known."""
    index = np.flatnonzero(mask) if index is None else index
    if kernels_for(len(mask)):
        from titlesim.kernels import compact
        compact(column, index)
        return column[:len(index)]
    return column.take(index)


def appended(column: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``column`` followed by ``values``: written into the spare room of the column's
    memory when there is some, else into new memory with room to spare."""
    n = len(column)
    out = grown(column, len(values))
    out[n:] = values
    return out


def grown(column: np.ndarray, k: int, memory: np.ndarray | None = None) -> np.ndarray:
    """``column`` lengthened by ``k`` values still to be written (in the spare room of its
    memory when there is some, else in new memory with room to spare). With ``memory``
    (the whole memory the column is the head of, when known), the whole memory is
    returned instead."""
    n = len(column)
    whole = memory_of(column) if memory is None else memory
    if len(whole) < n + k:
        whole = np.empty(int((n + k) * GROWTH), dtype=column.dtype)
        whole[:n] = column
    return whole if memory is not None else whole[:n + k]


def memory_of(column: np.ndarray) -> np.ndarray:
    """The whole memory a column starts (itself, or the array it is the head of)."""
    base = column.base
    if (isinstance(base, np.ndarray) and base.ndim == 1 and base.dtype == column.dtype
            and base.flags.c_contiguous and column.flags.c_contiguous
            and base.ctypes.data == column.ctypes.data):
        return base
    return column

