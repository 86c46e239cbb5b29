"""What-if scenarios: a base instance and a list of named edits addressed by id.

A scenario file says what changes, not where in the file: "volunteer v00012 is away
in Tir", "camp c0031 moves a week later", "two more camps in Saveh". Edits are applied
to the base instance's JSON data in order, then the result is validated like any
instance file, so every error names the scenario file and the edit (``edits[3]``).
"""

from __future__ import annotations

import copy
import re
import typing
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from campplanner.contract.calendar import format_day
from campplanner.contract.errors import InstanceError, Issue, is_under, json_path, parse_json_path
from campplanner.contract.instance import day_of, instance_from_data, read_json
from campplanner.contract.kinds import refuse_other_kind
from campplanner.contract.problems import issue_of, moved, problem
from campplanner.contract.schema import (
    Assignment,
    Camp,
    ForbiddenPair,
    Instance,
    Rules,
    Volunteer,
    Weights,
)
from campplanner.contract.shape_errors import json_kind, pydantic_issues
from campplanner.contract.suggest import Suggestions

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
    RemoveVolunteers
    | AddVolunteers
    | Unavailable
    | RemoveCamps
    | AddCamps
    | MoveCamp
    | SetCamp
    | SetRequirement
    | SetRules
    | SetWeights
    | Lock
    | Unlock
    | Forbid
    | Allow,
    Field(discriminator="op"),
]
# op -> its edit class: each edit is read alone, so one bad edit hides none of the others.
EDIT_KINDS: dict[str, type[_Edit]] = {
    typing.get_args(kind.model_fields["op"].annotation)[0]: kind
    for kind in typing.get_args(typing.get_args(Edit)[0])
}


class Scenario(BaseModel):
    """A scenario file: ``base`` is a path relative to the scenario file."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)
    format: str | None = None
    name: str
    base: str | None = None
    edits: list[Edit] = []
    # Where in the file each edit stands, when unreadable ones were left out: the
    # problems of the k-th edit kept must still be reported at edits[k] of the file.
    _positions: list[int] | None = PrivateAttr(default=None)


# ----------------------------------------------------------------------- applying


class _Applier:
    """Applies edits to instance data, collecting every problem with its edit's path."""

    def __init__(self, data: dict[str, Any]):
        self.data = data
        self.issues: list[Issue] = []
        # Which edit wrote what, so that a problem of the edited instance is reported at
        # the edit (edits[2].priority), not at camps[3].priority of a file nobody wrote:
        # id(record) -> {field: edit path}; the field None: the whole record is the edit's.
        self.origin: dict[int, dict[str | None, str]] = {}
        self._marked: list[dict[str, Any]] = []  # alive, so no other record gets their id

    def _mark(self, record: dict[str, Any], at: str, field: str | None = None) -> None:
        if id(record) not in self.origin:
            self._marked.append(record)
        self.origin.setdefault(id(record), {})[field] = at

    def _index(self, list_name: str) -> dict[str, int]:
        return {item.get("id"): i for i, item in enumerate(self.data.get(list_name, []))}

    def _find(self, list_name: str, item_id: str, at: str) -> dict[str, Any] | None:
        index = self._index(list_name)
        position = index.get(item_id)
        if position is None:
            kind = list_name.rstrip("s")
            meant = Suggestions(key for key in index if isinstance(key, str)).meant(item_id)
            self.issues.append(problem(at, "unknown_ref", kind=kind, value=item_id, meant=meant))
            return None
        return self.data[list_name][position]

    def edit_behind(self, path: str) -> str | None:
        """The edit (with the path inside it) that wrote the value at ``path`` of the
        edited instance, or None when the value comes from the base instance."""
        parts = parse_json_path(path)
        found = None
        node: Any = self.data
        for depth in range(len(parts) + 1):
            marks = self.origin.get(id(node)) if isinstance(node, dict) else None
            if marks:
                field = parts[depth] if depth < len(parts) else None
                if field is not None and field in marks:
                    found = marks[field]  # type: ignore[index]
                elif None in marks:
                    found = _join(marks[None], parts[depth:])
            if depth == len(parts):
                break
            try:
                node = node[parts[depth]]
            except (KeyError, IndexError, TypeError):
                break
        return found

    def _day(self, text: str, at: str) -> int | None:
        try:
            return day_of(text, self.data.get("calendar", "gregorian"))
        except ValueError as error:
            self.issues.append(issue_of(at, error))
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
        self._add("volunteers", edit.volunteers, at)

    def _add(self, list_name: str, items: list[Any], at: str, key: str | None = None) -> None:
        """Append the edit's records, each marked as the edit's (``edits[1].camps[0]``).
        An item may be the raw JSON of a record its edit could not read (see _read_edit)."""
        added = self.data.setdefault(list_name, [])
        for k, item in enumerate(items):
            if isinstance(item, BaseModel):
                record = item.model_dump(exclude_none=True)
            elif isinstance(item, dict):
                record = copy.deepcopy(item)
            else:
                continue  # not a record at all: reported when the edit was read
            self._mark(record, f"{at}.{key or list_name}[{k}]")
            added.append(record)

    def _unavailable(self, edit: Unavailable, at: str) -> None:
        first = self._day(edit.first, f"{at}.first")
        last = self._day(edit.last, f"{at}.last")
        if first is None or last is None:
            return
        if last < first:
            issue = problem(f"{at}.last", "last_before_first", last=edit.last, first=edit.first)
            self.issues.append(issue)
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
            self._mark(person, at, "available")

    def _season(self) -> tuple[int, int]:
        calendar = self.data.get("calendar", "gregorian")
        days = [
            day_of(c[key], calendar) for c in self.data.get("camps", []) for key in ("start", "end")
        ]
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
        self._add("camps", edit.camps, at)

    def _move_camp(self, edit: MoveCamp, at: str) -> None:
        camp = self._find("camps", edit.camp, f"{at}.camp")
        if camp is None:
            return
        for key in ("start", "end", "place"):
            if getattr(edit, key) is not None:
                camp[key] = getattr(edit, key)
                self._mark(camp, f"{at}.{key}", key)

    def _set_camp(self, edit: SetCamp, at: str) -> None:
        camp = self._find("camps", edit.camp, f"{at}.camp")
        if camp is None:
            return
        for key in ("capacity", "priority", "name"):
            if getattr(edit, key) is not None:
                camp[key] = getattr(edit, key)
                self._mark(camp, f"{at}.{key}", key)
        if edit.gender == "mixed":
            camp.pop("gender", None)
        elif edit.gender is not None:
            camp["gender"] = edit.gender
            self._mark(camp, f"{at}.gender", "gender")

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
            self._mark(existing, f"{at}.skill", "skill")
        existing["count"] = edit.count
        self._mark(existing, f"{at}.count", "count")
        for key in ("level", "essential"):
            if getattr(edit, key) is not None:
                existing[key] = getattr(edit, key)
                self._mark(existing, f"{at}.{key}", key)

    def _set_rules(self, edit: SetRules, at: str) -> None:
        for name in sorted(set(edit.rules) - set(Rules.model_fields)):
            meant = Suggestions(Rules.model_fields).meant(name)
            rules = ", ".join(Rules.model_fields)
            self.issues.append(
                problem(f"{at}.rules.{name}", "unknown_rule", name=name, meant=meant, rules=rules)
            )
        rules = self.data.setdefault("rules", {})
        rules.update(edit.rules)
        for name in edit.rules:
            self._mark(rules, _join(f"{at}.rules", [name]), name)

    def _set_weights(self, edit: SetWeights, at: str) -> None:
        terms = list(Weights.model_fields)
        for name in edit.weights.model_extra or {}:  # a typo would change nothing, silently
            meant = Suggestions(terms).meant(name)
            self.issues.append(
                problem(
                    f"{at}.weights.{name}",
                    "unknown_weight",
                    name=name,
                    meant=meant,
                    weights=", ".join(terms),
                )
            )
        unknown = set(edit.weights.model_extra or {})
        changed = edit.weights.model_dump(exclude_none=True, exclude=unknown)
        weights = self.data.setdefault("weights", {})
        weights.update(changed)
        for name in changed:
            self._mark(weights, f"{at}.weights.{name}", name)

    def _lock(self, edit: Lock, at: str) -> None:
        self._add("locked", edit.assignments, at, "assignments")

    def _unlock(self, edit: Unlock, at: str) -> None:
        gone = {(a.volunteer, a.camp, a.skill) for a in edit.assignments}
        self.data["locked"] = [
            e
            for e in self.data.get("locked", [])
            if (e["volunteer"], e["camp"], e["skill"]) not in gone
        ]

    def _forbid(self, edit: Forbid, at: str) -> None:
        self._add("forbidden", edit.pairs, at, "pairs")

    def _allow(self, edit: Allow, at: str) -> None:
        gone = {(p.volunteer, p.camp) for p in edit.pairs}
        self.data["forbidden"] = [
            e for e in self.data.get("forbidden", []) if (e["volunteer"], e["camp"]) not in gone
        ]


def _join(at: str, rest: list[str | int]) -> str:
    """``edits[2].camps[0]`` + ``["requirements", 0]`` -> ``edits[2].camps[0].requirements[0]``."""
    if not rest:
        return at
    tail = json_path(rest)
    return at + tail if tail.startswith("[") else f"{at}.{tail}"


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file (every problem reported, with its path)."""
    scenario, issues = read_scenario(path)
    if issues:
        raise InstanceError(str(path), issues)
    return scenario


def read_scenario(path: str | Path) -> tuple[Scenario, list[Issue]]:
    """A scenario file's every edit that can be read, and the problems of the others."""
    return scenario_from_data(read_json(path, "scenario"), str(path))


def scenario_from_data(data: Any, source: str) -> tuple[Scenario, list[Issue]]:
    """The scenario in ``data``: the edits that are right, and an issue for each one
    that is not; each edit is read on its own, so every mistake shows in one run."""
    if not isinstance(data, dict):
        found = json_kind(data)
        raise InstanceError(source, [problem("", "top_not_object", found=found)])
    refuse_other_kind(data, "scenario", source)
    issues: list[Issue] = []
    head = {key: value for key, value in data.items() if key != "edits"}
    try:
        top = Scenario.model_validate({**head, "edits": []})
    except ValidationError as error:
        issues += pydantic_issues(error, Scenario)
        top = Scenario.model_construct(
            name=head.get("name") if isinstance(head.get("name"), str) else "", base=None
        )
    raw_edits = data.get("edits", [])
    if not isinstance(raw_edits, list):
        issues.append(problem("edits", "edits_not_list", found=json_kind(raw_edits)))
        raw_edits = []
    edits = []
    for index, raw in enumerate(raw_edits):
        edit = _read_edit(raw, index, issues)
        if edit is not None:
            edits.append((index, edit))
    scenario = top.model_copy(update={"edits": [edit for _, edit in edits]})
    scenario._positions = [index for index, _ in edits]
    return scenario, issues


def _read_edit(raw: Any, index: int, issues: list[Issue]) -> _Edit | None:
    at = f"edits[{index}]"
    ops = ", ".join(EDIT_KINDS)
    if not isinstance(raw, dict):
        issues.append(problem(at, "edit_not_object", found=json_kind(raw)))
        return None
    op = raw.get("op")
    if "op" not in raw:
        issues.append(problem(at, "op_missing", ops=ops))
        return None
    if not isinstance(op, str):
        issues.append(problem(f"{at}.op", "op_not_text", found=json_kind(op), ops=ops))
        return None
    if op not in EDIT_KINDS:
        meant = Suggestions(EDIT_KINDS).meant(op)
        issues.append(problem(f"{at}.op", "unknown_op", op=op, meant=meant, ops=ops))
        return None
    kind = EDIT_KINDS[op]
    try:
        return kind.model_validate(raw)
    except ValidationError as error:
        issues.extend(pydantic_issues(error, kind, prefix=("edits", index)))
    # Volunteers or camps added by an edit with a mistake are still added as written:
    # later edits that name them are then not "unknown", and what else is wrong with
    # them (an unknown place...) is found by checking the edited instance.
    records = raw.get(_ADDED.get(op, ""))
    if isinstance(records, list):
        return kind.model_construct(op=op, **{_ADDED[op]: records})
    return None


_ADDED = {"add_volunteers": "volunteers", "add_camps": "camps"}


def _edit_number(issue: Issue) -> int:
    found = re.match(r"edits\[(\d+)\]", issue.path)
    return int(found.group(1)) if found else -1


def apply_edits(
    base: dict[str, Any],
    scenario: Scenario,
    source: str,
    issues: list[Issue] | None = None,
    *,
    owned: bool = False,
) -> dict[str, Any]:
    """The base instance data with the scenario's edits applied, in order, then checked
    as an instance: every problem (``issues`` found reading the file, each edit's, the
    edited instance's) is raised at once, each at the edit that caused it. ``owned``:
    the caller parsed ``base`` for this call alone, so it is edited in place (a copy of
    the season's data is 0.6 million objects, a second and more of an accept)."""
    if not isinstance(base, dict):
        raise InstanceError(source, [problem("base", "base_not_object")])
    applier = _Applier(base if owned else copy.deepcopy(base))
    positions = scenario._positions or list(range(len(scenario.edits)))
    for index, edit in zip(positions, scenario.edits, strict=True):
        try:
            applier.apply(edit, f"edits[{index}]")
        except (KeyError, TypeError, ValueError, AttributeError):  # a base that is itself bad
            applier.issues.append(problem(f"edits[{index}]", "base_bad_here"))
    found = [*(issues or []), *applier.issues]
    applier.data["name"] = scenario.name
    try:
        instance_from_data(applier.data, source)
    except InstanceError as error:
        said = {issue.path for issue in found}
        for issue in error.issues:
            moved = _at_edit(applier, issue)
            if not any(is_under(moved.path, path) for path in said):  # said when read
                found.append(moved)
    if found:
        raise InstanceError(source, sorted(found, key=_edit_number))
    return applier.data


def _at_edit(applier: _Applier, issue: Issue) -> Issue:
    """A problem of the edited instance, moved to the edit that wrote its value."""
    edit = applier.edit_behind(issue.path)
    if edit is not None:
        return moved(issue, edit)
    return problem(issue.path, "in_edited", message=issue.message, issue=issue)


def scenario_data(path: str | Path, base: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(name, instance data) of the scenario file at ``path`` applied to ``base`` (data
    already validated): every problem of the file and of its edits in one error."""
    scenario, issues = read_scenario(path)
    return scenario.name, apply_edits(base, scenario, str(path), issues)


def scenario_instance(path: str | Path, base_path: str | Path | None = None) -> dict[str, Any]:
    """Instance data of a scenario file (base read from ``base_path`` or the file's ``base``)."""
    scenario, issues = read_scenario(path)
    if base_path is None:
        if scenario.base is None:
            raise InstanceError(str(path), [*issues, problem("base", "no_base")])
        base_path = Path(path).parent / scenario.base
    base = read_json(base_path, "instance")
    instance_from_data(base, str(base_path))  # the base's own problems name the base
    return apply_edits(base, scenario, str(path), issues, owned=True)


# Edits that change only some volunteers' records, forbidden pairs and locks: what
# edited_model applies to a validated instance without reading it all again.
RECORD_EDITS = ("lock", "forbid", "unavailable")


def edited_model(
    instance: Instance, edits: list[dict[str, Any]], name: str = "edits"
) -> tuple[Instance, list[int]] | None:
    """``instance`` with ``edits`` (scenario edits as data) applied as :func:`apply_edits`
    applies them to its data, named ``name``, and the indices of the volunteers whose
    records changed (a locked or forbidden person counts as changed: their candidates are
    compiled again); only the changed records are read again, so a page's re-solve on the
    season does not re-read 22,000 volunteers. None when an edit is not one of
    ``RECORD_EDITS``, or cannot be applied as it is (an unknown id...): the full
    :func:`apply_edits` then says what is wrong."""
    if any(not isinstance(e, dict) or e.get("op") not in RECORD_EDITS for e in edits):
        return None
    scenario, issues = scenario_from_data({"name": name, "edits": edits}, "the edits")
    if issues:
        return None
    position = {v.id: k for k, v in enumerate(instance.volunteers)}
    camps = {c.id: c for c in instance.camps}
    named: set[str] = set()
    for edit in scenario.edits:
        if isinstance(edit, Unavailable):
            named.update(edit.volunteers)
        for entry in getattr(edit, "assignments", []) + getattr(edit, "pairs", []):
            camp = camps.get(entry.camp)
            if camp is None:
                return None
            if isinstance(entry, Assignment) and all(
                r.skill != entry.skill for r in camp.requirements
            ):
                return None
            named.add(entry.volunteer)
    if not named <= position.keys():
        return None
    changed = sorted(position[v] for v in named)
    data: dict[str, Any] = {
        "calendar": instance.calendar,
        "camps": [{"start": c.start, "end": c.end} for c in instance.camps],  # the season
        "volunteers": [instance.volunteers[k].model_dump(exclude_none=True) for k in changed],
    }
    applier = _Applier(data)
    for edit in scenario.edits:
        applier.apply(edit, "")
    if applier.issues:
        return None
    try:
        records = [Volunteer.model_validate(record) for record in data["volunteers"]]
    except ValidationError:
        return None
    volunteers = list(instance.volunteers)
    for k, record in zip(changed, records, strict=True):
        volunteers[k] = record
    locked = [Assignment.model_validate(a) for a in data.get("locked", [])]
    forbidden = [ForbiddenPair.model_validate(f) for f in data.get("forbidden", [])]
    edited = instance.model_copy(
        update={
            "name": name,
            "volunteers": volunteers,
            "locked": [*instance.locked, *locked],
            "forbidden": [*instance.forbidden, *forbidden],
        }
    )
    return edited, changed
