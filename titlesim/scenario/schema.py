"""The scenario schema: every parameter of the model, its type and its valid range.

Criteria are data: every number the rules use lives here and in the scenario YAML, never
in rule code. Unknown keys, wrong types and out-of-range values are refused (strict
models, ``extra="forbid"``). How keys agree with each other (shares adding up, names
defined in ``population``) is checked by :mod:`titlesim.scenario.checks`, which the model
validators here call; :mod:`titlesim.scenario.loader` turns pydantic's errors into
messages naming file, key path and line.
"""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from titlesim.scenario.checks.bounds import (age_range_is_ordered, both_routes_have_criteria,
                                             history_before_holds_rules_only,
                                             pass_line_within_full_marks)
from titlesim.scenario.checks.population import population_is_consistent
from titlesim.scenario.checks.references import names_are_defined_in_population
from titlesim.scenario.checks.shares import (post_shares_leave_room_for_junior,
                                             shares_add_up_to_one)

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
        shares_add_up_to_one(self.levels, "levels", ("levels",))
        return self


class AgeRange(Strict):
    min: Annotated[int, Field(ge=16, le=70)]
    max: Annotated[int, Field(ge=16, le=70)]

    @model_validator(mode="after")
    def _ordered(self):
        age_range_is_ordered(self)
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
        population_is_consistent(self, LEVELS)
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
            shares_add_up_to_one(mix, f"entrants.levels.{name}", ("levels", name))
        return self


class TransfersIn(Strict):
    rate: Annotated[float, Field(ge=0.0, le=0.5)]
    levels: dict[TargetLevel, Share]
    recognition_rate: Share

    @model_validator(mode="after")
    def _mix(self):
        shares_add_up_to_one(self.levels, "transfers_in.levels", ("levels",))
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
        pass_line_within_full_marks(self)
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
        both_routes_have_criteria(self.criteria)
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
        for name, mix in self.structure.items():
            post_shares_leave_room_for_junior(mix, ("structure", name))
        post_shares_leave_room_for_junior(self.directed_separate_structure,
                                          ("directed_separate_structure",))
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
        history_before_holds_rules_only(self.before, NOT_RULES)
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
        names_are_defined_in_population(self)
        return self
