"""The scenario schema: every parameter of the model, its type and its valid range.

Criteria are data: every number the rules use lives here and in the scenario YAML, never
in rule code. Unknown keys, wrong types and out-of-range values are refused (strict
models, ``extra="forbid"``); :mod:`titlesim.scenario.loader` turns pydantic's errors into
messages naming file, key path and line.
"""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

LEVELS = ("junior", "intermediate", "deputy_senior", "full_senior")
TARGET_LEVELS = LEVELS[1:]
EDUCATIONS = ("secondary_vocational", "junior_college", "bachelor", "master", "doctorate")
GROUPABLE = ("series", "level", "specialty", "county")

Level = Literal["junior", "intermediate", "deputy_senior", "full_senior"]
TargetLevel = Literal["intermediate", "deputy_senior", "full_senior"]
PostLevel = TargetLevel
Education = Literal["secondary_vocational", "junior_college", "bachelor", "master", "doctorate"]
Share = Annotated[float, Field(ge=0.0, le=1.0)]
Score = Annotated[float, Field(ge=0.0)]
Year = Annotated[int, Field(ge=1949, le=2200)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


class KeyProblem(ValueError):
    """A problem a model's validator finds in one of its keys. ``path`` (relative to the
    model) lets the loader name that key and its line rather than the whole model."""

    def __init__(self, path: tuple, message: str):
        super().__init__(message)
        self.path = tuple(path)


def _check_mix(mix: dict, what: str, path: tuple) -> None:
    total = sum(mix.values())
    if mix and abs(total - 1.0) > 1e-6:
        raise KeyProblem(path, f"the shares of {what} must add up to 1, they add up to {total:g}")


def _check_posts(mix: dict, path: tuple) -> None:
    total = sum(mix.values())
    if total > 1.0 + 1e-9:
        levels = " + ".join(f"{level} {share:g}" for level, share in mix.items())
        raise KeyProblem(path, f"the post shares add up to more than 1 ({levels} = {total:g}); "
                               f"expected senior and intermediate shares that add up to at most 1 "
                               f"(the rest are junior posts)")


# --------------------------------------------------------------------------- population
class Horizon(Strict):
    start: Year
    years: Annotated[int, Field(ge=1, le=50)]


class ByGrassroots(Strict):
    grassroots: float
    other: float


class ShareByGrassroots(Strict):
    grassroots: Share
    other: Share


class UnitTypeSpec(Strict):
    series: str
    grassroots: bool
    attached: bool = False
    graded: bool = False  # 已经评定等级的校医院: excluded from the grassroots route (一(三))
    share: Share
    staff_per_unit: Annotated[int, Field(ge=1, le=100_000)]
    city_level: bool = False
    levels: dict[Level, Share]

    @model_validator(mode="after")
    def _levels_add_up(self):
        _check_mix(self.levels, "levels", ("levels",))
        return self


class AgeRange(Strict):
    min: Annotated[int, Field(ge=16, le=70)]
    max: Annotated[int, Field(ge=16, le=70)]

    @model_validator(mode="after")
    def _ordered(self):
        if self.max < self.min:
            raise KeyProblem(("max",), f"max ({self.max}) must not be below min ({self.min})")
        return self


class Population(Strict):
    size: Annotated[int, Field(ge=1, le=20_000_000)]
    roster: str | None = None
    roster_salt: str | None = None  # salt of the roster's hashed person ids (titlesim.roster.privacy)
    seat_county: str
    counties: dict[str, Annotated[int, Field(ge=1)]]
    series: dict[str, Share]
    unit_types: dict[str, UnitTypeSpec]
    specialties: dict[str, dict[str, Share]]
    education: dict[Literal["grassroots", "other"], dict[Education, Share]]
    female_share: Share
    entry_age: AgeRange
    age_by_level: dict[Level, AgeRange]
    max_years_at_level: Annotated[int, Field(ge=0, le=40)]
    ability_mean: ByGrassroots
    practice_mean: ByGrassroots

    @model_validator(mode="after")
    def _consistent(self):
        if not self.counties:
            raise KeyProblem(("counties",), "at least one county is needed")
        missing_levels = set(LEVELS) - set(self.age_by_level)
        if missing_levels:
            raise KeyProblem(("age_by_level",),
                             f"age_by_level has no entry for {sorted(missing_levels)}")
        if self.seat_county not in self.counties:
            raise KeyProblem(("seat_county",),
                             f"seat_county '{self.seat_county}' is not one of the counties")
        _check_mix(self.series, "series", ("series",))
        for name, mix in self.education.items():
            _check_mix(mix, f"education.{name}", ("education", name))
        for series in self.series:
            if series not in self.specialties:
                raise KeyProblem(("specialties",), f"series '{series}' has no specialties")
            _check_mix(self.specialties[series], f"specialties.{series}", ("specialties", series))
            shares = {k: u.share for k, u in self.unit_types.items() if u.series == series}
            if not shares:
                raise KeyProblem(("unit_types",), f"series '{series}' has no unit types")
            _check_mix(shares, f"unit types of series '{series}'", ("unit_types",))
        for name, unit in self.unit_types.items():
            if unit.series not in self.series:
                raise KeyProblem(("unit_types", name, "series"),
                                 f"unit type '{name}' names series '{unit.series}', "
                                 f"which is not in population.series")
        seen = {}
        for series, mix in self.specialties.items():
            for spec in mix:
                if spec in seen:
                    raise KeyProblem(("specialties", series, spec),
                                     f"specialty '{spec}' is in both '{seen[spec]}' and '{series}'")
                seen[spec] = series
        staffed = [k for k, u in self.unit_types.items()
                   if round(self.size * self.series[u.series] * u.share) > 0]
        if not staffed and self.roster is None:
            from titlesim.i18n import msg
            raise KeyProblem(("size",), msg("population_too_small", size=self.size))
        return self


# ------------------------------------------------------------------------------ flows
class RetirementAge(Strict):
    male: Annotated[int, Field(ge=40, le=75)]
    female: Annotated[int, Field(ge=40, le=75)]


class Entrants(Strict):
    replacement_rate: Annotated[float, Field(ge=0.0, le=3.0)]
    growth_rate: Annotated[float, Field(ge=-0.5, le=0.5)]
    # by unit type: share of new entrants at each level (a unit type not listed: all junior)
    levels: dict[str, dict[Level, Share]] = {}

    @model_validator(mode="after")
    def _mixes(self):
        for name, mix in self.levels.items():
            _check_mix(mix, f"entrants.levels.{name}", ("levels", name))
        return self


class TransfersIn(Strict):
    rate: Annotated[float, Field(ge=0.0, le=0.5)]
    levels: dict[TargetLevel, Share]
    recognition_rate: Share

    @model_validator(mode="after")
    def _mix(self):
        _check_mix(self.levels, "transfers_in.levels", ("levels",))
        return self


class Flows(Strict):
    retirement_age: RetirementAge
    exit_rate: ShareByGrassroots
    entrants: Entrants
    transfers_in: TransfersIn


# ------------------------------------------------------------------------ eligibility
class Eligibility(Strict):
    years_required: dict[TargetLevel, dict[Education, Annotated[int, Field(ge=0, le=40)] | None]]
    junior_college_senior_unit_types: list[str]
    grassroots_years_reduction: Annotated[int, Field(ge=0, le=10)]


class Application(Strict):
    base: ShareByGrassroots
    with_valid_pass: Share
    failure_factor: Share
    # by unit type and level sought: a factor on ``base`` (the propensity is at most 1);
    # a unit type or level not listed: 1
    factor: dict[str, dict[TargetLevel, Annotated[float, Field(ge=0.0, le=50.0)]]] = {}


# ------------------------------------------------------------------------------- exam
class Exam(Strict):
    levels: dict[str, list[TargetLevel]]
    mean_score: Score
    ability_effect: Annotated[float, Field(ge=0.0, le=100.0)]
    noise_sd: Annotated[float, Field(ge=0.0, le=100.0)]
    score_step: Annotated[float, Field(gt=0.0, le=10.0)]
    absent_rate: Share


class PassLine(Strict):
    full_marks: Annotated[float, Field(gt=0.0, le=1000.0)]
    provincial_standard: Score
    ratio: Share
    ratio_base: Literal["applied", "sat"]
    rounding: Literal["ceil", "floor", "half_up"]
    ties: Literal["include", "cap"]
    floor: Score | None
    group_by: list[Literal["series", "level", "specialty", "county"]]

    @model_validator(mode="after")
    def _consistent(self):
        if self.provincial_standard > self.full_marks:
            raise KeyProblem(("provincial_standard",),
                             f"provincial_standard ({self.provincial_standard:g}) is above "
                             f"full_marks ({self.full_marks:g})")
        if self.floor is not None and self.floor > self.full_marks:
            raise KeyProblem(("floor",),
                             f"floor ({self.floor:g}) is above full_marks ({self.full_marks:g})")
        if len(set(self.group_by)) != len(self.group_by):
            raise KeyProblem(("group_by",), "group_by names a column twice")
        return self


class Validity(Strict):
    years: Annotated[int, Field(ge=1, le=5)]
    ratio_only_years: Annotated[int, Field(ge=1, le=5)]


class AttachedUnits(Strict):
    join_grassroots_route: bool
    may_enter_provincial: bool
    route_choice: Literal["share", "where_valid"]
    provincial_share: Share


# ------------------------------------------------------------------------- evaluation
class Weights(Strict):
    ability: Annotated[float, Field(ge=0.0, le=10.0)]
    practice: Annotated[float, Field(ge=0.0, le=10.0)]
    research: Annotated[float, Field(ge=0.0, le=10.0)]


class Criteria(Strict):
    weights: Weights
    threshold: Annotated[float, Field(ge=-10.0, le=10.0)]
    min_papers: dict[TargetLevel, Annotated[int, Field(ge=0, le=50)]]
    directed_levels: list[TargetLevel]


class Committee(Strict):
    capacity: Annotated[int, Field(ge=0)] | None
    pass_rate_cap: Share | None
    levels: list[TargetLevel]  # the levels the committee evaluates: its caps apply to them


class Evaluation(Strict):
    noise_sd: Annotated[float, Field(ge=0.0, le=10.0)]
    conduct_fail_rate: Share
    criteria: dict[Literal["general", "grassroots"], Criteria]
    committees: dict[str, Committee]

    @model_validator(mode="after")
    def _both_routes(self):
        missing = {"general", "grassroots"} - set(self.criteria)
        if missing:
            raise KeyProblem(("criteria",), f"criteria for route(s) {sorted(missing)} are missing")
        return self


class Records(Strict):
    papers_per_year: dict[Education, Annotated[float, Field(ge=0.0, le=5.0)]]
    research_saturation: Annotated[int, Field(ge=1, le=100)]


# ------------------------------------------------------------------------------ posts
class Posts(Strict):
    structure: dict[str, dict[PostLevel, Share]]
    allocation: Literal["largest_remainder", "county_pool"]
    pooled_unit_types: list[str]
    hiring_order: Literal["arrival", "merit"]
    directed_quota: Literal["ordinary", "separate"]
    directed_separate_structure: dict[PostLevel, Share]

    @model_validator(mode="after")
    def _at_most_all_posts(self):
        """岗位结构比例: the senior and intermediate shares of a unit type's establishment
        leave the rest to junior posts, so together they are at most 1."""
        for name, mix in self.structure.items():
            _check_posts(mix, ("structure", name))
        _check_posts(self.directed_separate_structure, ("directed_separate_structure",))
        return self


class Mobility(Strict):
    out_of_grassroots: Share
    into_grassroots: Share
    directed_on_leaving: Literal["lose", "barred"]


# ---------------------------------------------------------------------------- history
# sections that are not rules: who is there, when, how many runs (never in history.before)
# what a scenario says about itself, in words: its own, never inherited or compared
WORDS = ("description", "title", "question", "title_en", "question_en")
NOT_RULES = (*WORDS, "horizon", "replicates", "seed", "population", "history")


class History(Strict):
    """The history before ``horizon.start``: warm-up years simulated under the rules in
    force then (the base scenario's), so that the first year starts from earlier exams,
    passes, years at level, failures, the waiting queue and post occupancy."""
    years: Annotated[int, Field(ge=0, le=200)] = 0
    # the rules in force before horizon.start where they differ from this scenario's (a
    # revision's base values; filled in when a revision is loaded, kept in its resolved copy)
    before: dict = {}

    @model_validator(mode="after")
    def _only_rules(self):
        for key in self.before:
            if key in NOT_RULES:
                raise KeyProblem(("before", key), f"history.before may hold rules only, not '{key}'")
        return self


# --------------------------------------------------------------------------- scenario
class Scenario(Strict):
    description: str = ""
    title: str = ""  # 标题: a revision's short title, shown where scenarios are listed
    question: str = ""  # 要回答的问题: the policy question the revision answers
    title_en: str = ""  # the title in English reports and pages (the Chinese one when empty)
    question_en: str = ""  # the question in English (the Chinese one when empty)
    horizon: Horizon
    replicates: Annotated[int, Field(ge=1, le=10_000)]
    seed: Annotated[int, Field(ge=0, le=2**63 - 1)]
    population: Population
    flows: Flows
    eligibility: Eligibility
    application: Application
    exam: Exam
    passline: PassLine
    validity: Validity
    attached_units: AttachedUnits
    evaluation: Evaluation
    records: Records
    posts: Posts
    mobility: Mobility
    history: History = History()

    @model_validator(mode="after")
    def _cross_references(self):
        unit_types = set(self.population.unit_types)
        series = set(self.population.series)
        for name in self.posts.structure:
            if name not in unit_types:
                raise KeyProblem(("posts", "structure", name),
                                 f"posts.structure names unit type '{name}', which is not in "
                                 f"population.unit_types ({', '.join(sorted(unit_types))})")
        missing = unit_types - set(self.posts.structure)
        if missing:
            raise KeyProblem(("posts", "structure"),
                             f"posts.structure has no entry for unit type(s) {sorted(missing)}")
        for name in self.posts.pooled_unit_types:
            if name not in unit_types:
                raise KeyProblem(("posts", "pooled_unit_types"),
                                 f"posts.pooled_unit_types names '{name}', which is not in "
                                 f"population.unit_types")
        for where, named in ((("application", "factor"), self.application.factor),
                             (("flows", "entrants", "levels"), self.flows.entrants.levels)):
            for name in named:
                if name not in unit_types:
                    raise KeyProblem(where + (name,), f"unit type '{name}' is not in "
                                     f"population.unit_types ({', '.join(sorted(unit_types))})")
        for name in self.eligibility.junior_college_senior_unit_types:
            if name not in unit_types:
                raise KeyProblem(("eligibility", "junior_college_senior_unit_types"),
                                 f"eligibility.junior_college_senior_unit_types names '{name}', "
                                 f"which is not in population.unit_types")
        for where, named in ((("exam", "levels"), self.exam.levels),
                             (("evaluation", "committees"), self.evaluation.committees)):
            for s in named:
                if s not in series:
                    raise KeyProblem(where + (s,), f"series '{s}' is not in population.series "
                                     f"({', '.join(sorted(series))})")
        for s in series - set(self.evaluation.committees):
            raise KeyProblem(("evaluation", "committees"),
                             f"evaluation.committees has no entry for series '{s}'")
        return self
