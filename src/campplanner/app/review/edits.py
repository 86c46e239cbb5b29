"""The planner's edits as scenario edits (``whatif/scenario.py``).

An edit is recorded in the workspace, never applied to the files the planner opened:
re-solving (``resolves.py``) applies every pending edit to the current version's
instance, exactly as a scenario file would, and re-plans from its roster with the fewest
changes.

- lock: the person holds the slot (``lock``)
- remove, forbid: the person may not serve in the camp (``forbid``)
- swap: the candidate holds the slot and the person it replaces leaves the camp
- unavailable: the person cannot come on these days (``unavailable``)
"""

from __future__ import annotations

import json
from typing import Any

from campplanner.app.review.versions import OpenVersion
from campplanner.contract.calendar import format_day
from campplanner.contract.errors import UsageError
from campplanner.contract.instance import day_of
from campplanner.io.text import normalize_code
from campplanner.model.rules import candidate_failure
from campplanner.whatif.scenario import apply_edits, scenario_from_data

EDIT_KINDS = ("lock", "remove", "forbid", "swap", "unavailable")


def edit_ops(opened: OpenVersion, kind: str, fields: dict[str, str]) -> list[dict[str, Any]]:
    """The scenario edits of one planner's edit; UsageError says what is wrong with it."""
    problem = opened.problem
    if kind not in EDIT_KINDS:
        raise UsageError(f"unknown edit {kind!r}: one of {', '.join(EDIT_KINDS)}")

    def field(name: str) -> str:
        value = normalize_code(fields.get(name) or "")
        if not value:
            raise UsageError(f"{kind}: {name} is missing")
        return value

    volunteer = field("volunteer")
    if volunteer not in problem.volunteer_index:
        raise UsageError(f"{kind}: no volunteer {volunteer!r}")
    if kind == "unavailable":
        calendar = opened.instance.calendar
        try:
            first, last = day_of(field("first"), calendar), day_of(field("last"), calendar)
        except ValueError as error:
            raise UsageError(f"unavailable: {error}") from None
        if last < first:
            raise UsageError("unavailable: the last day is before the first")
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
        raise UsageError(f"{kind}: no camp {camp!r}")
    pair = {"volunteer": volunteer, "camp": camp}
    if kind in ("remove", "forbid"):
        return [{"op": "forbid", "pairs": [pair]}]
    skill = field("skill")
    requirement = problem.requirement_index.get(
        (problem.camp_index[camp], problem.skill_index.get(skill, -1))
    )
    if requirement is None:
        raise UsageError(f"{kind}: camp {camp!r} does not ask for {skill!r}")
    v = problem.volunteer_index[volunteer]
    if problem.candidate_index(v, requirement) is None:
        raise UsageError(f"{kind}: {candidate_failure(problem, v, requirement)}")
    ops: list[dict[str, Any]] = [{"op": "lock", "assignments": [{**pair, "skill": skill}]}]
    if kind == "swap" and fields.get("out"):
        out = normalize_code(fields["out"])
        if out not in problem.volunteer_index:
            raise UsageError(f"swap: no volunteer {out!r}")
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
    scenario file: a recorded edit that no longer fits is a message)."""
    if not ops:
        return instance_json
    data = json.loads(instance_json)
    scenario, issues = scenario_from_data({"name": "edits", "edits": ops}, "the recorded edits")
    data = apply_edits(data, scenario, "the recorded edits", issues)
    return json.dumps(data, ensure_ascii=False).encode()
