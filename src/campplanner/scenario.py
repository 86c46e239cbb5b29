"""What-if scenarios: a base instance and a list of named edits addressed by id.

A scenario file says what changes, not where in the file: "volunteer v00012 is away
in Tir", "camp c0031 moves a week later", "two more camps in Saveh". Edits are applied
to the base instance's JSON data in order, then the result is validated like any
instance file, so every error names the scenario file and the edit (``edits[3]``).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from campplanner.calendar import format_day
from campplanner.contract import Assignment, Camp, ForbiddenPair, Rules, Volunteer, Weights
from campplanner.errors import InstanceError, Issue
from campplanner.loader import day_of, instance_from_data, pydantic_issues, read_json

SCENARIO_FORMAT = "campplanner-scenario/1"


class _Edit(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)
    name: str | None = None  # shown in reports: "30 physicians away"


class RemoveVolunteers(_Edit):
    op: Literal["remove_volunteers"]
    volunteers: list[str] = Field(min_length=1)


class AddVolunteers(_Edit):
    op: Literal["add_volunteers"]
    volunteers: list[Volunteer] = Field(min_length=1)


class Unavailable(_Edit):
    """The volunteers cannot come from ``first`` to ``last`` (inclusive)."""

    op: Literal["unavailable"]
    volunteers: list[str] = Field(min_length=1)
    first: str
    last: str


class RemoveCamps(_Edit):
    op: Literal["remove_camps"]
    camps: list[str] = Field(min_length=1)


class AddCamps(_Edit):
    op: Literal["add_camps"]
    camps: list[Camp] = Field(min_length=1)


class MoveCamp(_Edit):
    """New dates and/or a new place for a camp."""

    op: Literal["move_camp"]
    camp: str
    start: str | None = None
    end: str | None = None
    place: str | None = None


class SetCamp(_Edit):
    """Change a camp's capacity, priority, gender or name."""

    op: Literal["set_camp"]
    camp: str
    capacity: int | None = None
    priority: int | None = None
    gender: Literal["f", "m", "mixed"] | None = None
    name: str | None = None


class SetRequirement(_Edit):
    """Add or change a camp's requirement for a skill; ``count`` 0 removes it."""

    op: Literal["set_requirement"]
    camp: str
    skill: str
    count: Annotated[int, Field(ge=0)]
    level: int | None = None
    essential: bool | None = None


class SetRules(_Edit):
    op: Literal["set_rules"]
    rules: dict[str, Any]


class SetWeights(_Edit):
    op: Literal["set_weights"]
    weights: Weights


class Lock(_Edit):
    op: Literal["lock"]
    assignments: list[Assignment] = Field(min_length=1)


class Unlock(_Edit):
    op: Literal["unlock"]
    assignments: list[Assignment] = Field(min_length=1)


class Forbid(_Edit):
    op: Literal["forbid"]
    pairs: list[ForbiddenPair] = Field(min_length=1)


class Allow(_Edit):
    op: Literal["allow"]
    pairs: list[ForbiddenPair] = Field(min_length=1)


Edit = Annotated[
    RemoveVolunteers | AddVolunteers | Unavailable | RemoveCamps | AddCamps | MoveCamp
    | SetCamp | SetRequirement | SetRules | SetWeights | Lock | Unlock | Forbid | Allow,
    Field(discriminator="op"),
]  # fmt: skip


class Scenario(BaseModel):
    """A scenario file: ``base`` is a path relative to the scenario file."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)
    format: str | None = None
    name: str
    base: str | None = None
    edits: list[Edit] = []


# ----------------------------------------------------------------------- applying


class _Applier:
    """Applies edits to instance data, collecting every problem with its edit's path."""

    def __init__(self, data: dict[str, Any]):
        self.data = data
        self.issues: list[Issue] = []

    def _index(self, list_name: str) -> dict[str, int]:
        return {item.get("id"): i for i, item in enumerate(self.data.get(list_name, []))}

    def _find(self, list_name: str, item_id: str, at: str) -> dict[str, Any] | None:
        position = self._index(list_name).get(item_id)
        if position is None:
            kind = list_name.rstrip("s")
            self.issues.append(Issue(at, f"unknown {kind} {item_id!r} in the base instance"))
            return None
        return self.data[list_name][position]

    def _day(self, text: str, at: str) -> int | None:
        try:
            return day_of(text, self.data.get("calendar", "gregorian"))
        except ValueError as error:
            self.issues.append(Issue(at, str(error)))
            return None

    def apply(self, edit: Any, at: str) -> None:
        getattr(self, f"_{edit.op}")(edit, at)

    def _remove_volunteers(self, edit: RemoveVolunteers, at: str) -> None:
        gone = set(edit.volunteers)
        for k, vid in enumerate(edit.volunteers):
            self._find("volunteers", vid, f"{at}.volunteers[{k}]")
        self.data["volunteers"] = [v for v in self.data["volunteers"] if v["id"] not in gone]
        for key in ("locked", "forbidden"):
            if key in self.data:
                self.data[key] = [e for e in self.data[key] if e["volunteer"] not in gone]

    def _add_volunteers(self, edit: AddVolunteers, at: str) -> None:
        self.data["volunteers"] += [v.model_dump(exclude_none=True) for v in edit.volunteers]

    def _unavailable(self, edit: Unavailable, at: str) -> None:
        first = self._day(edit.first, f"{at}.first")
        last = self._day(edit.last, f"{at}.last")
        if first is None or last is None:
            return
        if last < first:
            self.issues.append(Issue(f"{at}.last", f"{edit.last} is before {edit.first}"))
            return
        calendar = self.data.get("calendar", "gregorian")
        season = self._season()
        for k, vid in enumerate(edit.volunteers):
            person = self._find("volunteers", vid, f"{at}.volunteers[{k}]")
            if person is None:
                continue
            ranges = person.get("available")
            if ranges is None:  # always available: stand for "always" with the season
                ranges = [[format_day(season[0], calendar), format_day(season[1], calendar)]]
            kept = []
            for a, b in ranges:
                start, end = day_of(a, calendar), day_of(b, calendar)
                if end < first or start > last:
                    kept.append([a, b])
                    continue
                if start < first:
                    kept.append([a, format_day(first - 1, calendar)])
                if end > last:
                    kept.append([format_day(last + 1, calendar), b])
            person["available"] = kept

    def _season(self) -> tuple[int, int]:
        calendar = self.data.get("calendar", "gregorian")
        days = [day_of(c[key], calendar) for c in self.data.get("camps", [])
                for key in ("start", "end")]  # fmt: skip
        # Camps may be added or moved later: a margin of a year keeps "always" true.
        return (min(days, default=0) - 366, max(days, default=0) + 366)

    def _remove_camps(self, edit: RemoveCamps, at: str) -> None:
        gone = set(edit.camps)
        for k, cid in enumerate(edit.camps):
            self._find("camps", cid, f"{at}.camps[{k}]")
        self.data["camps"] = [c for c in self.data["camps"] if c["id"] not in gone]
        for key in ("locked", "forbidden"):
            if key in self.data:
                self.data[key] = [e for e in self.data[key] if e["camp"] not in gone]

    def _add_camps(self, edit: AddCamps, at: str) -> None:
        self.data["camps"] += [c.model_dump(exclude_none=True) for c in edit.camps]

    def _move_camp(self, edit: MoveCamp, at: str) -> None:
        camp = self._find("camps", edit.camp, f"{at}.camp")
        if camp is None:
            return
        for key in ("start", "end", "place"):
            if getattr(edit, key) is not None:
                camp[key] = getattr(edit, key)

    def _set_camp(self, edit: SetCamp, at: str) -> None:
        camp = self._find("camps", edit.camp, f"{at}.camp")
        if camp is None:
            return
        for key in ("capacity", "priority", "name"):
            if getattr(edit, key) is not None:
                camp[key] = getattr(edit, key)
        if edit.gender == "mixed":
            camp.pop("gender", None)
        elif edit.gender is not None:
            camp["gender"] = edit.gender

    def _set_requirement(self, edit: SetRequirement, at: str) -> None:
        camp = self._find("camps", edit.camp, f"{at}.camp")
        if camp is None:
            return
        requirements = camp["requirements"]
        existing = next((r for r in requirements if r.get("skill") == edit.skill), None)
        if edit.count == 0:
            camp["requirements"] = [r for r in requirements if r.get("skill") != edit.skill]
            return
        if existing is None:
            existing = {"skill": edit.skill}
            requirements.append(existing)
        existing["count"] = edit.count
        if edit.level is not None:
            existing["level"] = edit.level
        if edit.essential is not None:
            existing["essential"] = edit.essential

    def _set_rules(self, edit: SetRules, at: str) -> None:
        unknown = set(edit.rules) - set(Rules.model_fields)
        if unknown:
            self.issues.append(Issue(f"{at}.rules", f"unknown rule(s): {sorted(unknown)}"))
        self.data.setdefault("rules", {}).update(edit.rules)

    def _set_weights(self, edit: SetWeights, at: str) -> None:
        self.data.setdefault("weights", {}).update(edit.weights.model_dump(exclude_none=True))

    def _lock(self, edit: Lock, at: str) -> None:
        self.data.setdefault("locked", []).extend(a.model_dump() for a in edit.assignments)

    def _unlock(self, edit: Unlock, at: str) -> None:
        gone = {(a.volunteer, a.camp, a.skill) for a in edit.assignments}
        self.data["locked"] = [
            e for e in self.data.get("locked", [])
            if (e["volunteer"], e["camp"], e["skill"]) not in gone
        ]  # fmt: skip

    def _forbid(self, edit: Forbid, at: str) -> None:
        self.data.setdefault("forbidden", []).extend(p.model_dump() for p in edit.pairs)

    def _allow(self, edit: Allow, at: str) -> None:
        gone = {(p.volunteer, p.camp) for p in edit.pairs}
        self.data["forbidden"] = [
            e for e in self.data.get("forbidden", []) if (e["volunteer"], e["camp"]) not in gone
        ]


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file (every problem reported, with its path)."""
    source = str(path)
    data = read_json(path)
    if not isinstance(data, dict):
        raise InstanceError(source, [Issue("", "the top level must be a JSON object {...}")])
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise InstanceError(source, list(pydantic_issues(error))) from None


def apply_edits(base: dict[str, Any], scenario: Scenario, source: str) -> dict[str, Any]:
    """The base instance data with the scenario's edits applied, in order."""
    if not isinstance(base, dict):
        raise InstanceError(source, [Issue("base", "the base instance is not a JSON object")])
    applier = _Applier(copy.deepcopy(base))
    for index, edit in enumerate(scenario.edits):
        try:
            applier.apply(edit, f"edits[{index}]")
        except (KeyError, TypeError, ValueError) as error:  # a base file that is itself bad
            applier.issues.append(Issue(f"edits[{index}]", f"cannot apply: {error}"))
    if applier.issues:
        raise InstanceError(source, applier.issues)
    applier.data["name"] = scenario.name
    return applier.data


def scenario_instance(path: str | Path, base_path: str | Path | None = None) -> dict[str, Any]:
    """Instance data of a scenario file (base read from ``base_path`` or the file's ``base``)."""
    scenario = load_scenario(path)
    if base_path is None:
        if scenario.base is None:
            raise InstanceError(str(path), [Issue("base", "no base instance given")])
        base_path = Path(path).parent / scenario.base
    data = apply_edits(read_json(base_path), scenario, str(path))
    instance_from_data(data, f"{path} (applied to {base_path})")  # every contract check
    return data
