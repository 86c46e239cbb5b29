"""The data contract: pydantic models of the instance and solution files.

These models are the outside world's view (``docs/spec/instance-format.md``): field
names and meanings are fixed by the contract. They check the shape and range of every
field; cross-references, dates and uniqueness are checked by :mod:`campplanner.contract.instance`,
which knows the file's calendar. The solver never sees these models: it reads the
compiled :class:`campplanner.model.problem.Problem`.

Strictness is deliberate: a boolean or a string is not a count (``"capacity": "5"`` is
an error, not a 5), so that a typo in a spreadsheet export cannot silently become a
number. Unknown fields are kept (the project may add optional fields) and reported as
warnings, so that ``"capactiy"`` does not pass unnoticed.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)

from campplanner.contract.contact import normalise_email, normalise_phone
from campplanner.contract.problems import Problem

FORMAT = "campplanner/1"
SOLUTION_FORMAT = "campplanner-solution/1"

# Bounds that no real province reaches; values past them are typing errors.
MAX_SLOTS_PER_REQUIREMENT = 10_000
MAX_CAPACITY = 100_000
MAX_KM = 20_000.0  # more than half the Earth's circumference
MAX_REST_DAYS = 365
MAX_CAMPS_PER_VOLUNTEER = 1_000


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise Problem("not_finite")
    return value


Id = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Name = Annotated[str, StringConstraints(max_length=1_000)]
DateText = Annotated[str, StringConstraints(min_length=8, max_length=20)]
Number = Annotated[float, AfterValidator(_finite)]
Level = Annotated[int, Field(ge=1, le=3)]
Gender = Literal["f", "m"]
# Contact data (a campplanner extension): written one way whatever way it was typed.
Phone = Annotated[str, StringConstraints(max_length=40), AfterValidator(normalise_phone)]
Email = Annotated[str, StringConstraints(max_length=254), AfterValidator(normalise_email)]
# [first_day, last_day]; a list, not a tuple, since strict mode takes JSON arrays as lists.
DateRange = Annotated[list[DateText], Field(min_length=2, max_length=2)]


class _Model(BaseModel):
    # strict: no "5" -> 5, no true -> 1; extra="allow": unknown fields become warnings.
    model_config = ConfigDict(strict=True, extra="allow", frozen=True)


class Rules(_Model):
    rest_days: Annotated[int, Field(ge=0, le=MAX_REST_DAYS)] = 0
    max_camps: Annotated[int, Field(ge=1, le=MAX_CAMPS_PER_VOLUNTEER)] = 1
    road_factor: Annotated[Number, Field(ge=1.0, le=10.0)] = 1.3


class Skill(_Model):
    id: Id
    name: Name


class Place(_Model):
    id: Id
    name: Name
    lat: Annotated[Number, Field(ge=-90.0, le=90.0)]
    lon: Annotated[Number, Field(ge=-180.0, le=180.0)]
    county: Name | None = None
    deprivation: Annotated[int, Field(ge=1, le=5)] | None = None


class Group(_Model):
    id: Id
    name: Name
    home: Id | None = None


class Volunteer(_Model):
    id: Id
    name: Name
    home: Id
    skills: dict[Id, Level]
    group: Id | None = None
    gender: Gender | None = None
    # None: available every day; []: not available at all.
    available: list[DateRange] | None = None
    max_camps: Annotated[int, Field(ge=0, le=MAX_CAMPS_PER_VOLUNTEER)] | None = None
    max_km: Annotated[Number, Field(ge=0.0, le=MAX_KM)] | None = None
    # campplanner's optional expiry of qualifications (docs/format.md): skill id -> the
    # last day (inclusive) the skill counts; a camp ending after it cannot use it (H1).
    valid_until: dict[Id, DateText] | None = None
    # campplanner's optional contact fields (docs/format.md): personal data, kept out
    # of logs, messages and file names unless an export is for calling people.
    phone: Phone | None = None
    email: Email | None = None


class Requirement(_Model):
    skill: Id
    count: Annotated[int, Field(ge=1, le=MAX_SLOTS_PER_REQUIREMENT)]
    level: Level = 1
    essential: bool = False


class Camp(_Model):
    id: Id
    name: Name
    place: Id
    start: DateText
    end: DateText
    capacity: Annotated[int, Field(ge=1, le=MAX_CAPACITY)]
    requirements: list[Requirement]
    priority: Annotated[int, Field(ge=1, le=5)] = 1
    gender: Gender | None = None
    # what each member brings (a campplanner extension): shown on the volunteers' pages
    bring: Annotated[str, StringConstraints(max_length=2_000)] | None = None


class Assignment(_Model):
    """One filled slot: the volunteer holds the camp's requirement for the skill."""

    volunteer: Id
    camp: Id
    skill: Id


class ForbiddenPair(_Model):
    volunteer: Id
    camp: Id


class Weights(_Model):
    """Optional weights of the secondary terms (a campplanner extension, see docs/model.md)."""

    travel: Annotated[Number, Field(ge=0.0, le=1e6)] | None = None
    group: Annotated[Number, Field(ge=0.0, le=1e6)] | None = None
    fairness: Annotated[Number, Field(ge=0.0, le=1e6)] | None = None


class Instance(_Model):
    """An instance file, as the data contract defines it."""

    format: str | None = None
    name: Name = ""
    calendar: Literal["gregorian", "jalali"] = "gregorian"
    rules: Rules = Rules()
    skills: list[Skill]
    places: list[Place]
    groups: list[Group] = []
    volunteers: list[Volunteer]
    camps: list[Camp]
    locked: list[Assignment] = []
    forbidden: list[ForbiddenPair] = []
    weights: Weights | None = None


Status = Literal["optimal", "feasible", "infeasible", "unknown"]


class _Extension(BaseModel):
    """A section campplanner adds to solution files; what else it holds is kept."""

    model_config = ConfigDict(strict=True, extra="allow")


class ShortRole(_Extension):
    skill: Id
    reason: str


class CancelledCamp(_Extension):
    """A camp nobody serves in, with the cause (a key of explain.CAUSES) and evidence."""

    camp: Id
    reason: str | None = None
    roles: list[ShortRole] = []
    why: str | None = None
    fix: str | None = None


class UnfilledSlot(_Extension):
    """Empty slots of one requirement of a camp that runs."""

    camp: Id
    skill: Id
    missing: int
    reason: str | None = None
    why: str | None = None
    fix: str | None = None


class NoLongerPossible(_Extension):
    volunteer: Id
    camp: Id
    skill: Id
    why: str
    # the reason's kind and facts (contract.why.why_facts), for words in another language
    why_facts: dict[str, str | int | float] | None = None


Place_ = Annotated[list[str], Field(min_length=2, max_length=2)]  # [camp, skill]


class Added(_Extension):
    volunteer: Id
    to: list[Place_]


class Removed(_Extension):
    volunteer: Id
    from_: list[Place_] = Field(alias="from")


class Moved(_Extension):
    volunteer: Id
    from_: list[Place_] = Field(alias="from")
    to: list[Place_]


class Confirmed(_Extension):
    """A published assignment its volunteer confirmed (``solve --freeze-until`` keeps it);
    without ``skill``, their assignment to the camp whatever the role."""

    volunteer: Id
    camp: Id
    skill: Id | None = None


class Replan(_Extension):
    """A re-plan against a published roster: who to call, and how close to fewest."""

    published_assignments: int
    no_longer_possible: list[NoLongerPossible] = []
    changed_assignments: int
    changes_lower_bound: int | None = None  # proven: no roster as good changes fewer
    fewest_possible: int | None = None  # set only when changed_assignments is proven fewest
    people_changed: int
    added: list[Added] = []
    removed: list[Removed] = []
    moved: list[Moved] = []
    camps_affected: list[Id] = []


class Reserve(_Extension):
    """A volunteer not on the roster who filled in for the camp in no-show re-plans."""

    volunteer: Id
    name: str | None = None
    fill_ins: int  # runs in which they filled in there
    share_of_runs: float | None = None


class CampReserves(_Extension):
    camp: Id
    reserves: list[Reserve] = []  # best first


class Reserves(_Extension):
    """``solve --reserves K``: the top K reserves per camp, from a no-show sweep."""

    runs: int
    no_show: float
    seed: int
    time_limit_per_run: float | None = None
    camps: list[CampReserves] = []


class Fingerprint(_Extension):
    """The instance a solution was made for (campplanner.contract.solution.instance_fingerprint)."""

    sha256: str
    volunteers: dict[str, str] = {}
    camps: dict[str, str] = {}


class SolutionFile(BaseModel):
    """A solution file: the contract's fields, then the sections campplanner adds.

    Only the first six fields are the contract's; the others are campplanner's own and
    optional (a file from another tool need not have them; when it has them in another
    shape, :func:`campplanner.contract.solution.solution_from_data` leaves them out with a
    warning rather than refuse a roster the contract accepts). Anything else is kept.
    """

    model_config = ConfigDict(strict=True, extra="allow")

    # the contract
    format: str | None = None
    instance: str | None = None
    status: Status
    coverage: int | None = None
    coverage_bound: int | None = None
    assignments: list[Assignment] = []
    # campplanner's sections
    gap: float | None = None
    # None: the file does not say; another tool may list bare camp ids
    cancelled_camps: list[CancelledCamp | Id] | None = None
    unfilled_slots: list[UnfilledSlot] | None = None
    secondary: dict[str, float] | None = None  # by term measure ("travel_km", ...)
    first_roster_secondary: dict[str, float] | None = None
    secondary_status: str | None = None
    infeasible_reasons: list[str] = []
    stopped_by: str | None = None
    timings: dict[str, float] = {}
    solver: dict[str, Any] = {}
    replan: Replan | None = None
    # Written by solve --reserves as Reserves; other shapes another tool may write
    # ({"c1": ["v7", ...]}, [{"camp", "volunteers"}]) are kept as they are, for the exports.
    reserves: Reserves | dict[str, Any] | list[Any] | None = None
    fingerprint: Fingerprint | None = None
    explained: bool | None = None  # False: written before the reasons were worked out
    # the published assignments volunteers confirmed (docs/cli.md: --freeze-until)
    confirmed: list[Confirmed] | None = None


CONTRACT_SOLUTION_FIELDS = (
    "format",
    "instance",
    "status",
    "coverage",
    "coverage_bound",
    "assignments",
)


def instance_json_schema() -> dict[str, Any]:
    """The JSON Schema of the instance file, for editors that check as planners type."""
    schema = Instance.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "campplanner instance (campplanner/1)"
    return schema
