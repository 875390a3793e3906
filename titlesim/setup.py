"""What a simulation needs before its first year: the workforce, the cells, and the
scenario's tables turned into arrays the rules index (read once, used every year)."""
from __future__ import annotations

import threading
import warnings
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from titlesim.i18n import current_language, msg
from titlesim.labels import label
from titlesim.metrics import Cells
from titlesim.people import Codebook, People, Units
from titlesim.population import PersonSampler, build_units, synthetic_workforce
from titlesim.rules import directed, eligibility, exam, posts, route
from titlesim.sampling import CategoricalTable
from titlesim.scenario.schema import EDUCATIONS, LEVELS, Scenario

if TYPE_CHECKING:
    from titlesim.history import History


@dataclass
class Setup:
    params: Scenario
    seed: int
    codes: Codebook
    units: Units
    people: People
    sampler: PersonSampler
    cells: Cells
    need_years: np.ndarray  # eligibility lookups, see rules.eligibility.requirement_tables
    need_papers: np.ndarray
    has_exam: np.ndarray
    capacity: np.ndarray  # (pool 0 ordinary / 1 directed, unit, level)
    post_holder: np.ndarray  # unit -> the unit whose posts it uses (itself, or its county pool)
    unit_weights: CategoricalTable  # where transfers in land
    destination: CategoricalTable  # where movers go: group -> units
    destination_units: list
    destination_group: np.ndarray  # unit -> destination group, -1 where none
    unit_jc_barred: np.ndarray  # per unit: junior-college staff may not seek senior titles
    transfer_levels: CategoricalTable
    committee_capacity: np.ndarray  # per series, -1: no limit
    committee_pass_rate_cap: np.ndarray  # per series, NaN: no cap
    committee_levels: np.ndarray  # (series, target level 0..3): the committee's caps apply
    directed_by_level: np.ndarray  # (route 0 general / 1 grassroots, target level): directed title
    unit_graded: np.ndarray  # per unit: a graded college hospital (not in the grassroots route)
    unit_cells: np.ndarray  # (unit, level) -> unit-level cell, flattened
    application_factor: np.ndarray  # (unit type, level sought) -> factor on the propensity
    entry_levels: CategoricalTable  # unit type -> level of new entrants
    entry_age_offset: np.ndarray  # per level: years older than a junior entrant
    # the start after a history (titlesim.history): posts held in the separate quota and
    # the next person id; None for a workforce drawn at the start
    post_pool: np.ndarray | None = None
    next_id: int | None = None
    history: "History | None" = None
    # tables a step makes from the set-up once and reads every year (by key: "arrivals",
    # ...); filled through :meth:`derive` only
    derived: dict = field(default_factory=dict, repr=False, compare=False)

    def derive(self, key, make):
        """``make()``, worked out once per set-up under ``key`` (the same for every replicate
        and year) and kept in :attr:`derived`; None is kept like any other value."""
        if key not in self.derived:
            self.derived[key] = make()
        return self.derived[key]

    def destination_unit(self, group: np.ndarray, u: np.ndarray) -> np.ndarray:
        """The unit a mover goes to, chosen by establishment within the group."""
        local = self.destination.choose(u, group)
        return self._destination_flat[self._destination_offsets[group] + local].astype(np.int32)

    def __post_init__(self):
        self._destination_offsets = np.cumsum([0] + [len(m) for m in self.destination_units])
        self._destination_flat = np.concatenate(self.destination_units) if self.destination_units \
            else np.zeros(0, dtype=np.int64)

    def destination_lists(self) -> tuple[np.ndarray, np.ndarray]:
        """The destination units of every group in one flat array, and where each group's
        list starts in it (``offsets[g] + local`` is the ``local``-th unit of group ``g``)."""
        return self._destination_offsets.astype(np.int64), self._destination_flat.astype(np.int32)

    def start_headcount(self) -> np.ndarray:
        """Headcount per cell (pair x level) of the workforce at ``horizon.start``."""
        return np.bincount(self.people.pair * 4 + self.people.level, minlength=self.cells.n)

    @cached_property
    def posts_per_unit_level(self) -> np.ndarray:
        """Posts per (unit, level), the two pools (ordinary and directed) together: the
        year-end record counts posts and vacancies against it every year."""
        return self.capacity.sum(axis=0)

    @property
    def years(self) -> np.ndarray:
        h = self.params.horizon
        return np.arange(h.start, h.start + h.years)


def prepare(params: Scenario, seed: int, history_rules: Scenario | None = None) -> Setup:
    """Everything a run of ``params`` needs before its first year. With ``history.years``
    above 0 (and no roster: a roster is the state at the start) the workforce is the end
    of the history simulated under ``history_rules`` (the rules in force before the
    horizon, see :func:`titlesim.history.rules_before_start`; by default ``params``)."""
    if params.population.roster or params.history.years == 0:
        return prepare_drawn(params, seed)
    from titlesim.history import history as history_of
    past = history_of(history_rules if history_rules is not None else params, seed)
    # the history's columns are shared, read-only (each replicate starts from its own copy)
    setup = prepare_drawn(params, seed, people=past.people.read_only())
    # placed again on the same units, the unit-derived columns equal the history's: shared,
    # not held twice (7 bytes a person)
    setup.people.share_same(past.people)
    setup.post_pool = past.post_pool.view()  # each replicate starts from its own copy
    setup.post_pool.flags.writeable = False
    setup.next_id = past.next_id
    setup.history = past
    return setup


def prepare_drawn(params: Scenario, seed: int, drawn_in: int | None = None,
                  people: People | None = None) -> Setup:
    """A set-up whose workforce is drawn (in year ``drawn_in``, by default the year
    before the start) or read from the roster, or the given ``people`` (a history's)."""
    codes = Codebook.from_scenario(params)
    from_history = people is not None
    if params.population.roster:  # a bureau's own workforce list (titlesim.roster)
        from titlesim.roster import roster_workforce
        units, people, sampler = roster_workforce(params, codes, seed, params.population.roster)
    elif from_history:
        units = build_units(params, codes)
        sampler = PersonSampler(params, codes, units)
    else:
        units, people, sampler = synthetic_workforce(params, codes, seed, drawn_in)
    structure = np.zeros((len(codes.unit_types), 4))
    for t, name in enumerate(codes.unit_types):
        for level, share in params.posts.structure[name].items():
            structure[t, LEVELS.index(level)] = share
    separate = np.zeros((len(codes.unit_types), 4))
    if params.posts.directed_quota == "separate":
        for level, share in params.posts.directed_separate_structure.items():
            separate[:, LEVELS.index(level)] = share
    pooled = np.zeros(len(units), dtype=bool)
    if params.posts.allocation == "county_pool":
        pooled = np.isin(units.unit_type, [codes.unit_types.index(t)
                                           for t in params.posts.pooled_unit_types])
    holder = posts.post_holders(units.county, units.unit_type, pooled)
    # directed titles are held only in the grassroots route: elsewhere a separate quota
    # has no posts
    unit_graded = _unit_type_flag(params, codes, "graded")[units.unit_type]
    directed_units = route.in_ratio_groups(units.grassroots, units.attached, unit_graded,
                                           params.attached_units.join_grassroots_route)
    capacity = np.stack([
        posts.post_capacity(units.establishment, units.unit_type, units.county, structure, pooled),
        posts.post_capacity(units.establishment * directed_units, units.unit_type, units.county,
                            separate, pooled)])
    n_types = len(codes.unit_types)  # the staff holding each level, per unit type
    held = np.bincount(units.unit_type[people.unit].astype(np.int64) * 4 + people.level,
                       minlength=n_types * 4).reshape(n_types, 4)
    _warn_levels_without_posts(capacity.sum(axis=0), units.unit_type, structure, held, codes)
    if not from_history:  # a history's posts are held as its years left them
        people.post_level = posts.fit_to_posts(holder[people.unit], people.level, people.post_level,
                                               people.years_at_level,
                                               np.zeros(len(people), dtype=np.int8), capacity)
    dest_group, dest_units, dest_weights = _destinations(units)
    jc_allowed = np.array([t in params.eligibility.junior_college_senior_unit_types
                           for t in codes.unit_types])
    committees = params.evaluation.committees
    need_years, need_papers = eligibility.requirement_tables(
        eligibility.years_table(params.eligibility.years_required),
        eligibility.papers_table(params.evaluation.criteria),
        params.eligibility.grassroots_years_reduction, EDUCATIONS.index("junior_college"))
    cells = cells_of(codes, units)
    people.place(units, cells.person_pair)
    return Setup(
        params=params, seed=seed, codes=codes, units=units, people=people, sampler=sampler,
        cells=cells,
        need_years=need_years, need_papers=need_papers,
        has_exam=exam.exam_level_table(params.exam.levels, codes.series),
        capacity=capacity, post_holder=holder,
        unit_weights=CategoricalTable([units.establishment]),
        destination=CategoricalTable(dest_weights), destination_units=dest_units,
        destination_group=dest_group, unit_jc_barred=~jc_allowed[units.unit_type],
        transfer_levels=CategoricalTable([[params.flows.transfers_in.levels.get(lv, 0.0)
                                           for lv in LEVELS]]),
        committee_capacity=np.array([-1 if committees[n].capacity is None else committees[n].capacity
                                     for n in codes.series]),
        committee_pass_rate_cap=np.array([np.nan if committees[n].pass_rate_cap is None
                                          else committees[n].pass_rate_cap for n in codes.series]),
        committee_levels=np.array([[lv in committees[n].levels for lv in LEVELS]
                                   for n in codes.series], dtype=bool).reshape(-1, 4),
        directed_by_level=directed.directed_level_table(
            [params.evaluation.criteria[r].directed_levels for r in route.ROUTES], LEVELS),
        unit_graded=unit_graded,
        unit_cells=(cells.unit_pair[:, None] * 4 + np.arange(4)[None, :]).ravel(),
        application_factor=np.array([[1.0] + [params.application.factor.get(t, {}).get(lv, 1.0)
                                              for lv in LEVELS[1:]] for t in codes.unit_types]),
        entry_levels=CategoricalTable([[params.flows.entrants.levels[t].get(lv, 0.0) for lv in LEVELS]
                                       if t in params.flows.entrants.levels else [1.0, 0, 0, 0]
                                       for t in codes.unit_types]),
        entry_age_offset=np.array([max(params.population.age_by_level[lv].min
                                       - params.population.entry_age.min, 0) for lv in LEVELS]),
    )


_cells: OrderedDict[tuple, Cells] = OrderedDict()  # the last few workforces' cells
_cells_lock = threading.Lock()


def cells_of(codes: Codebook, units: Units) -> Cells:
    """The cells of ``codes`` and ``units``: the same object again for the same codes and
    units (the what-if page prepares a set-up for every setting of its controls, most of
    them with the same units; cells are read, never changed, and cost 5 ms to make)."""
    key = (codes.series, codes.counties, codes.unit_types, codes.specialties, codes.levels,
           *((a.dtype.str, a.tobytes()) for a in (codes.specialty_series, units.county,
                                                   units.unit_type, units.series, units.grassroots)))
    with _cells_lock:
        cells = _cells.get(key)
        if cells is not None:
            _cells.move_to_end(key)
            return cells
    cells = Cells(codes, units)
    for array in vars(cells).values():  # shared between set-ups: a write would be a bug
        if isinstance(array, np.ndarray):
            array.setflags(write=False)
    with _cells_lock:
        _cells[key] = cells
        while len(_cells) > 8:
            _cells.popitem(last=False)
    return cells


def _unit_type_flag(params: Scenario, codes: Codebook, flag: str) -> np.ndarray:
    """One flag of ``population.unit_types`` per unit-type code."""
    return np.array([getattr(params.population.unit_types[t], flag) for t in codes.unit_types],
                    dtype=bool)


def _warn_levels_without_posts(capacity, unit_type, structure, held, codes: Codebook) -> None:
    """Tell the scenario's user where a positive post share gives no post at all, or where
    staff hold a level whose share is 0: either way, those titled there wait for ever."""
    for t, level in posts.levels_without_posts(capacity, unit_type, structure, held):
        lang = current_language()
        names = dict(unit_type=label("unit_type", codes.unit_types[t], lang),
                     level=label("level", LEVELS[level], lang))
        if structure[t, level] > 0:
            text = msg("posts_level_without_posts", share=f"{structure[t, level]:g}", **names)
        else:
            text = msg("posts_level_zero_share", held=int(held[t, level]), **names)
        warnings.warn(text, PostsWarning, stacklevel=3)


class PostsWarning(Warning):
    """A post share of the scenario that gives no post (everyone titled there waits). Not a
    ``UserWarning``: it is about the scenario's numbers, not about the program's use."""


def _destinations(units: Units):
    """For each unit, the group of units a mover from it may go to: same series and
    county, the other kind (grassroots or not)."""
    key = (units.series.astype(np.int64) * 2 + units.grassroots) * 100_000 + units.county
    other_key = (units.series.astype(np.int64) * 2 + ~units.grassroots) * 100_000 + units.county
    groups, inverse = np.unique(key, return_inverse=True)
    members = [np.flatnonzero(inverse == g) for g in range(len(groups))]
    weights = [units.establishment[m] for m in members]
    found = np.minimum(np.searchsorted(groups, other_key), len(groups) - 1)
    dest_group = np.where(groups[found] == other_key, found, -1).astype(np.int64)
    return dest_group, members, weights

