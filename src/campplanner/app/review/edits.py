"""The planner's edits as scenario edits (``whatif/scenario.py``).

An edit is recorded in the workspace, never applied to the files the planner opened:
re-solving (``resolves.py``) applies every pending edit to the current version's
instance, exactly as a scenario file would, and re-plans from its roster with the fewest
changes.

- lock: the person holds the slot (``lock``)
- remove, forbid: the person may not serve in the camp (``forbid``)
- swap: the candidate holds the slot and the person it replaces leaves the camp
- unavailable: the person cannot come on these days (``unavailable``)

A bulk edit (:func:`bulk_edit_ops`) is one of ``lock``, ``remove`` or ``unavailable``
for many people at once (a pasted list of ids or names: :func:`pasted_people`), checked
person by person and recorded as one edit, all or none.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from campplanner.app.review.errors import BulkRefused, Worded
from campplanner.app.review.versions import OpenVersion, search_key
from campplanner.contract.calendar import format_day
from campplanner.contract.errors import UsageError
from campplanner.contract.instance import day_of
from campplanner.io.text import normalize_code
from campplanner.model.rules import RULES, candidate_failure
from campplanner.whatif.scenario import apply_edits, scenario_from_data

EDIT_KINDS = ("lock", "remove", "forbid", "swap", "unavailable")
RUN = "run"  # the set that runs a cancelled camp (whatif/to_run.py), as one edit


def edit_ops(opened: OpenVersion, kind: str, fields: dict[str, str]) -> list[dict[str, Any]]:
    """The scenario edits of one planner's edit; a :class:`Worded` refusal says what is
    wrong with it (its English, and its key and values for a page's language)."""
    problem = opened.problem
    if kind not in EDIT_KINDS:
        raise Worded(f"unknown edit {kind!r}: one of {', '.join(EDIT_KINDS)}", key="edit:unknown")

    def field(name: str) -> str:
        value = normalize_code(fields.get(name) or "")
        if not value:
            raise Worded(f"{kind}: {name} is missing", key=f"edit:missing:{name}")
        return value

    volunteer = field("volunteer")
    if volunteer not in problem.volunteer_index:
        raise Worded(f"{kind}: no volunteer {volunteer!r}", key="edit:no_volunteer", id=volunteer)
    if kind == "unavailable":
        calendar = opened.instance.calendar
        days = []
        for name in ("first", "last"):
            typed = field(name)
            try:
                days.append(day_of(typed, calendar))
            except ValueError as error:
                raise Worded(
                    f"unavailable: {error}", key=f"edit:not_a_day:{calendar}", typed=typed
                ) from None
        first, last = days
        if last < first:
            raise Worded(
                "unavailable: the last day is before the first", key="edit:last_before_first"
            )
        return [
            {
                "op": "unavailable",
                "volunteers": [volunteer],
                "first": format_day(first, calendar),
                "last": format_day(last, calendar),
            }
        ]
    camp = field("camp")
    if camp not in problem.camp_index:
        raise Worded(f"{kind}: no camp {camp!r}", key="no_camp", camp=camp)
    pair = {"volunteer": volunteer, "camp": camp}
    if kind in ("remove", "forbid"):
        return [{"op": "forbid", "pairs": [pair]}]
    skill = field("skill")
    requirement = problem.requirement_index.get(
        (problem.camp_index[camp], problem.skill_index.get(skill, -1))
    )
    if requirement is None:
        raise Worded(
            f"{kind}: camp {camp!r} does not ask for {skill!r}",
            key="edit:not_asked",
            camp=camp,
            skill=skill,
            skill_name=(  # a page names a skill by the file's name, not its id
                problem.skill_names[problem.skill_index[skill]]
                if skill in problem.skill_index
                else skill
            ),
        )
    v = problem.volunteer_index[volunteer]
    if problem.candidate_index(v, requirement) is None:
        failure = candidate_failure(problem, v, requirement)
        rule = next((r for r in RULES if failure.startswith(f"{r.id}:")), None)
        raise Worded(
            f"{kind}: {failure}",
            key="edit:rule" if rule else "edit:cannot",
            volunteer=volunteer,
            camp=camp,
            rule=rule.title_fa if rule else "",
        )
    ops: list[dict[str, Any]] = [{"op": "lock", "assignments": [{**pair, "skill": skill}]}]
    if kind == "swap" and fields.get("out"):
        out = normalize_code(fields["out"])
        if out not in problem.volunteer_index:
            raise Worded(f"swap: no volunteer {out!r}", key="edit:no_volunteer", id=out)
        ops.append({"op": "forbid", "pairs": [{"volunteer": out, "camp": camp}]})
    return ops


def describe(ops: list[dict[str, Any]]) -> str:
    """An edit in one line: ``lock v00012 → c0031 (nurse)``."""
    parts = []
    for op in ops:
        if op["op"] == "lock":
            parts += [
                f"lock {a['volunteer']} → {a['camp']} ({a['skill']})" for a in op["assignments"]
            ]
        elif op["op"] == "forbid":
            parts += [f"forbid {p['volunteer']} ✕ {p['camp']}" for p in op["pairs"]]
        elif op["op"] == "unavailable":
            parts.append(f"unavailable {', '.join(op['volunteers'])}: {op['first']} … {op['last']}")
        else:
            parts.append(op["op"])
    return "; ".join(parts)


def edited_instance(instance_json: bytes, ops: list[dict[str, Any]]) -> bytes:
    """The version's instance with the recorded edits ``ops`` applied (validated like a
    scenario file: a recorded edit that no longer fits is a message), under the season's
    own name: every paper of the new version (its packets' and workbook's headers, its
    roster file, the attendance history) names the season, not the edits."""
    if not ops:
        return instance_json
    data = json.loads(instance_json)
    named = {"name": str(data.get("name") or "edits"), "edits": ops}
    scenario, issues = scenario_from_data(named, "the recorded edits")
    data = apply_edits(data, scenario, "the recorded edits", issues, owned=True)
    return json.dumps(data, ensure_ascii=False).encode()


MAX_BULK = 5_000  # people in one bulk edit (the season has about 9,000)
BULK_KINDS = ("lock", "remove", "unavailable")
# what separates people in a pasted list: lines, commas (Latin, Persian), semicolons, tabs
_SEPARATORS = re.compile(r"[\n\r\t,،;؛]+")


def bulk_edit_ops(
    opened: OpenVersion,
    kind: str,
    fields: dict[str, str],
    volunteers: list[str],
    camps_of: dict[str, list[tuple[str, str]]],
) -> dict[str, list[dict[str, Any]]]:
    """One edit for each of ``volunteers`` (ids), all or none: the scenario edits of
    each, by id. ``lock`` and ``remove`` with a ``camp`` act on that camp (a lock also
    needs the ``skill``); without one, on each person's own camps of the current roster
    (``camps_of``: id -> (camp, skill)), ``unavailable`` takes ``first`` and ``last``.
    One UsageError names every person the edit cannot take, and why."""
    if kind not in BULK_KINDS:
        raise Worded(
            f"unknown edit {kind!r} for many people: one of {', '.join(BULK_KINDS)}",
            key="bulk:unknown",
        )
    ids = list(dict.fromkeys(normalize_code(v) for v in volunteers if normalize_code(v)))
    if not ids:
        raise Worded(f"{kind}: no volunteers given", key="bulk:none")
    if len(ids) > MAX_BULK:
        raise Worded(
            f"{kind}: at most {MAX_BULK:,} volunteers in one edit",
            key="bulk:too_many",
            most=MAX_BULK,
        )
    camp = normalize_code(fields.get("camp") or "")
    if camp and kind != "unavailable" and camp not in opened.problem.camp_index:
        raise Worded(f"{kind}: no camp {camp!r}", key="no_camp", camp=camp)
    ops: dict[str, list[dict[str, Any]]] = {}
    bad: list[tuple[str, UsageError]] = []
    for volunteer in ids:
        try:
            ops[volunteer] = _one(opened, kind, fields, volunteer, camp, camps_of)
        except UsageError as error:
            bad.append((volunteer, error))
    reasons = {_reason(str(error), kind) for _, error in bad}
    if len(bad) == len(ids) > 1 and len(reasons) == 1:  # the same for all: said once
        raise BulkRefused(
            f"{kind}: nothing was recorded: {reasons.pop()} (all {len(ids)})",
            key="bulk_refused_all",
            count=len(ids),
            reason=bad[0][1],
        )
    if bad:
        said = "; ".join(f"{v} ({_reason(str(error), kind)})" for v, error in bad)
        raise BulkRefused(
            f"{kind}: nothing was recorded: {len(bad)} of {len(ids)} volunteers cannot take "
            f"this edit: {said}",
            count=len(bad),
            of=len(ids),
            entries=bad,
        )
    return ops


def _reason(message: str, kind: str) -> str:
    return message.removeprefix(f"{kind}: ")


def _one(
    opened: OpenVersion,
    kind: str,
    fields: dict[str, str],
    volunteer: str,
    camp: str,
    camps_of: dict[str, list[tuple[str, str]]],
) -> list[dict[str, Any]]:
    """The scenario edits of the bulk edit for one person."""
    if volunteer not in opened.problem.volunteer_index:
        raise Worded("no such volunteer", key="edit:no_volunteer", id=volunteer)
    if kind == "unavailable" or camp:
        return edit_ops(opened, kind, {**fields, "volunteer": volunteer, "camp": camp})
    own = camps_of.get(volunteer, [])
    if not own:
        raise Worded("on no camp of the current roster: name a camp", key="bulk:on_no_camp")
    if kind == "remove":
        return [{"op": "forbid", "pairs": [{"volunteer": volunteer, "camp": c} for c, _ in own]}]
    return [
        {
            "op": "lock",
            "assignments": [{"volunteer": volunteer, "camp": c, "skill": s} for c, s in own],
        }
    ]


def merged(per_volunteer: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The scenario edits of a bulk edit as one recorded edit: one op of each kind."""
    pairs, assignments, away = [], [], {}
    for ops in per_volunteer.values():
        for op in ops:
            if op["op"] == "forbid":
                pairs += op["pairs"]
            elif op["op"] == "lock":
                assignments += op["assignments"]
            elif op["op"] == "unavailable":
                away.setdefault((op["first"], op["last"]), []).extend(op["volunteers"])
    result: list[dict[str, Any]] = []
    if assignments:
        result.append({"op": "lock", "assignments": assignments})
    if pairs:
        result.append({"op": "forbid", "pairs": pairs})
    for (first, last), people in away.items():
        result.append({"op": "unavailable", "volunteers": people, "first": first, "last": last})
    return result


def pasted_people(opened: OpenVersion, text: str) -> tuple[list[str], list[str]]:
    """The volunteers a pasted list names, one per line (or comma): an id, or a name
    typed any way the search accepts (Persian or Latin digits, Arabic yeh and kaf, spaces
    and ZWNJ). Returns (ids, what could not be read: an unknown entry, or a name several
    people share, with their ids)."""
    by_id = {search_key(v): v for v in opened.volunteers}
    by_name: dict[str, list[str]] = {}
    for volunteer in opened.instance.volunteers:
        by_name.setdefault(search_key(volunteer.name), []).append(volunteer.id)
    ids: list[str] = []
    unread: list[tuple[str, UsageError]] = []
    for entry in _SEPARATORS.split(text):
        entry = entry.strip()
        if not entry:
            continue
        key = search_key(entry)
        if key in by_id:
            ids.append(by_id[key])
        elif len(by_name.get(key, [])) == 1:
            ids.append(by_name[key][0])
        elif key in by_name:
            several = ", ".join(by_name[key])
            unread.append(
                (entry, Worded(f"several people: {several}", key="bulk:several", ids=several))
            )
        else:
            unread.append((entry, Worded("no such volunteer", key="bulk:nobody")))
    return list(dict.fromkeys(ids)), unread


def lines(opened: OpenVersion, ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An edit's scenario edits as a page words them, in any language: one line per
    person and camp, with the names of the open version (``op``: ``lock``, ``forbid``
    or ``unavailable``; ``volunteer``, ``name``, ``camp``, ``camp_name``, ``skill``,
    ``skill_name``; an absence's ``first`` and ``last`` as day ordinals)."""
    names = _names(opened)
    calendar = opened.instance.calendar
    found: list[dict[str, Any]] = []

    def person(volunteer: str) -> dict[str, str]:
        return {"volunteer": volunteer, "name": names["volunteers"].get(volunteer, volunteer)}

    def camp(camp_id: str) -> dict[str, str]:
        return {"camp": camp_id, "camp_name": names["camps"].get(camp_id, camp_id)}

    for op in ops:
        if op.get("op") == "lock":
            for a in op.get("assignments", []):
                skill = names["skills"].get(a["skill"], a["skill"])
                found.append(
                    {"op": "lock", "skill": a["skill"], "skill_name": skill}
                    | person(a["volunteer"])
                    | camp(a["camp"])
                )
        elif op.get("op") == "forbid":
            for p in op.get("pairs", []):
                found.append({"op": "forbid"} | person(p["volunteer"]) | camp(p["camp"]))
        elif op.get("op") == "unavailable":
            try:
                first, last = day_of(op["first"], calendar), day_of(op["last"], calendar)
            except (KeyError, ValueError):
                continue
            away = {"op": "unavailable", "first": first, "last": last}
            found += [away | person(volunteer) for volunteer in op.get("volunteers", [])]
    return found


def _names(opened: OpenVersion) -> dict[str, dict[str, str]]:
    """The names of people, camps and skills by id, built once per version."""
    if "edit names" not in opened.cache:
        instance = opened.instance
        opened.cache["edit names"] = {
            "volunteers": {v.id: v.name for v in instance.volunteers},
            "camps": {c.id: c.name for c in instance.camps},
            "skills": {s.id: s.name for s in instance.skills},
        }
    return opened.cache["edit names"]


def touching(
    opened: OpenVersion, pending: list[Any], *, camp: str = "", volunteer: str = ""
) -> list[dict[str, Any]]:
    """The pending edits that act on ``camp`` (a lock into it, a remove from it, a
    member of its team away on its days) or on ``volunteer``: each with who typed it
    and the lines that touch it."""
    team = {v for v, c, _ in opened.triples if c == camp} if camp else set()
    problem = opened.problem
    index = problem.camp_index.get(camp) if camp else None
    start, end = (
        (int(problem.camp_start[index]), int(problem.camp_end[index]))
        if index is not None
        else (0, -1)
    )

    def acts(line: dict[str, Any]) -> bool:
        if volunteer:
            return line["volunteer"] == volunteer
        if line["op"] == "unavailable":
            return line["volunteer"] in team and line["first"] <= end and start <= line["last"]
        return line["camp"] == camp

    found = []
    for edit in pending:
        touched = [line for line in lines(opened, edit.ops) if acts(line)]
        if touched:
            found.append(
                {
                    "id": edit.id,
                    "kind": edit.kind,
                    "by": edit.by,
                    "created_at": edit.created_at.isoformat(),
                    "lines": touched,
                }
            )
    return found


def run_ops(
    opened: OpenVersion, camp: str, to_run: Callable[[OpenVersion, int], dict[str, Any]]
) -> list[dict[str, Any]]:
    """The edit that runs cancelled ``camp`` as its page proposes it (``to_run``: the
    page's reading of whatif/to_run.py): everyone who joins a camp is locked in there,
    and each of them is kept from the camps they leave for it (the moves, shown on the
    page before the click); people who only leave (a camp that stops) are left to the
    re-solve."""
    camp = normalize_code(camp)
    index = opened.problem.camp_index.get(camp)
    if index is None:
        raise Worded(f"run: no camp {camp!r}", key="no_camp", camp=camp)
    answer = to_run(opened, index)
    if not answer["runs"] or answer["why_not"] == "runs_already":
        why = answer["why_not"] or "not_found"
        said = {
            "runs_already": "it runs already",
            "too_few_qualified": "too few people are qualified and free on its dates for "
            "an essential role",
        }.get(why, "no roster found that runs it by moving the people of nearby camps")
        raise Worded(f"run: nothing to lock: camp {camp}: {said}", key=f"run_not:{why}", camp=camp)
    assignments: list[dict[str, str]] = []
    pairs: list[dict[str, str]] = []
    for move in answer["moves"]:
        joined = {j["camp"] for j in move["joins"]}
        assignments += [
            {"volunteer": move["volunteer"], "camp": j["camp"], "skill": j["skill"]}
            for j in move["joins"]
        ]
        if joined:
            pairs += [
                {"volunteer": move["volunteer"], "camp": left["camp"]}
                for left in move["leaves"]
                if left["camp"] not in joined
            ]
    ops: list[dict[str, Any]] = [{"op": "lock", "assignments": assignments}]
    if pairs:
        ops.append({"op": "forbid", "pairs": pairs})
    return ops
