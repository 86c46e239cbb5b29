"""Who to call after a version: the call list of its re-plan (from its parent), as the
command line's ``export --calls`` writes it (one read model: ``io/calls.py``).

A version made by a re-solve keeps its re-plan (added, moved, removed, no longer
possible, against the version it was re-solved from) in its solution file; its call
list is that, with names, camp names, Jalali dates, places and phones. Phones only for
the roles that may see them: the province all, a county coordinator those of people
whose change touches its counties' camps, a viewer none; the file's name says when it
holds phones (``calls-phones-v3.csv``), as the exports do.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from campplanner.app.review.actor import Actor
from campplanner.app.review.downloads import Download
from campplanner.app.review.errors import NotFound
from campplanner.contract.contact import spoken_phone
from campplanner.contract.instance import instance_from_data
from campplanner.contract.solution import solution_from_data
from campplanner.io.calls import call_files
from campplanner.report.roster import Call, CampView, RosterView
from campplanner.workspace import Workspace

# suffix -> media type
CALL_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def may_see_phone(actor: Actor, call: Call) -> bool:
    """May ``actor`` read the phone of the person of ``call``?"""
    if actor.role == "province":
        return True
    if actor.role == "county":
        return any(
            camp.county_id in actor.counties or camp.county in actor.counties
            for camp, _ in call.before + call.after
        )
    return False


@dataclass(frozen=True)
class CallsSource:
    """What a version's call list is made from: its open roster view, or its stored
    files (read in the request, so that making the list needs no workspace)."""

    version: int
    opened: RosterView | None
    solution_json: bytes | None = None
    instance_json: bytes | None = None


def calls_source(
    workspace: Workspace, version_id: int, opened: RosterView | None = None
) -> CallsSource:
    """What version ``version_id``'s call list is made from (NotFound: no such version,
    or no roster); ``opened``: its roster view when it is open already."""
    if workspace.version(version_id) is None:
        raise NotFound(f"no version {version_id}")
    if opened is not None:
        return CallsSource(version_id, opened)
    raw = workspace.solution_json(version_id)
    if raw is None:
        raise NotFound(f"version {version_id} has no roster")
    return CallsSource(version_id, None, raw, workspace.instance_json(version_id))


def calls_view(
    source: CallsSource, actor: Actor, report: Callable[[str], None] = lambda phase: None
) -> RosterView:
    """The roster of ``source`` with its call list, phones only where ``actor`` may see
    them; NotFound for a version that is no re-plan. ``report`` hears each phase begin
    (``reading`` when the version is not open, ``calls``: a download job's progress)."""
    view = source.opened
    if view is None:
        assert source.solution_json is not None and source.instance_json is not None
        report("reading")
        instance = instance_from_data(json.loads(source.instance_json))
        view = RosterView.from_solution(
            instance, solution_from_data(json.loads(source.solution_json))
        )
    report("calls")
    if view.calls is None:
        raise NotFound(f"version {source.version} is no re-plan of another: nobody to call")
    calls = [
        call if may_see_phone(actor, call) else dataclasses.replace(call, phone=None)
        for call in view.calls
    ]
    return dataclasses.replace(view, calls=calls)


def version_calls(
    workspace: Workspace, version_id: int, actor: Actor, opened: RosterView | None = None
) -> RosterView:
    """Version ``version_id``'s roster with its call list (from its parent), phones
    only where ``actor`` may see them; NotFound for a version that is no re-plan.
    ``opened``: the version's roster view when it is open already (the current one,
    after a re-solve: seconds on the season not spent reading it again)."""
    return calls_view(calls_source(workspace, version_id, opened), actor)


def made_calls_file(
    source: CallsSource, actor: Actor, suffix: str, report: Callable[[str], None]
) -> tuple[Download, bool]:
    """The call list of ``source`` as a ``suffix`` file, made in a download job (its
    phases: ``reading`` when the version is not open, ``calls``, ``writing``), and
    whether it holds phones."""
    view = calls_view(source, actor, report)
    report("writing")
    return calls_file(view, source.version, suffix), any(c.phone for c in view.calls or [])


def calls_file(view: RosterView, version_id: int, suffix: str) -> Download:
    """The call list as ``calls[-phones]-v{id}.{suffix}`` (``CALL_FORMATS``)."""
    if suffix not in CALL_FORMATS:
        raise NotFound("no such format")
    files = call_files(view)
    name = next(n for n in files if n.endswith("." + suffix))
    stem = name.rsplit(".", 1)[0]
    return Download(f"{stem}-v{version_id}.{suffix}", CALL_FORMATS[suffix], files[name])


def edited_people(edits: list[dict[str, Any]]) -> set[str]:
    """The people a version's edits name (lock, remove, forbid, swap, unavailable)."""
    people: set[str] = set()
    for edit in edits:
        for op in edit.get("ops", []):
            people.update(op.get("volunteers", []))
            for pair in op.get("pairs", []) + op.get("assignments", []):
                if "volunteer" in pair:
                    people.add(pair["volunteer"])
    return people


def _stops(stops: list[tuple[CampView, str]]) -> list[dict[str, Any]]:
    return [
        {
            "camp": camp.id,
            "name": camp.name,
            "role": role,
            "place": camp.place_name,
            "county": camp.county,
            "first_day": camp.first_day,
            "last_day": camp.last_day,
        }
        for camp, role in stops
    ]


def calls_page(
    workspace: Workspace, version_id: int, actor: Actor, opened: RosterView | None = None
) -> dict[str, Any]:
    """What the call-list page shows of version ``version_id``: its parent, and the
    calls split into ``needed`` (people whose assignment the edits themselves forced:
    named by an edit, or whose assignment is no longer possible) and ``improvements``
    (changes the re-plan found beyond them), each the soonest camp first."""
    view = version_calls(workspace, version_id, actor, opened)
    info = workspace.version(version_id)
    assert info is not None  # version_calls found it
    forced = edited_people(info.edits)
    groups: dict[str, list[dict[str, Any]]] = {"needed": [], "improvements": []}
    for call in view.calls or []:
        needed = call.volunteer_id in forced or call.action == "no_longer_possible"
        groups["needed" if needed else "improvements"].append(
            {
                "action": call.action,
                "volunteer": call.volunteer_id,
                "name": call.volunteer_name,
                "phone": spoken_phone(call.phone) if call.phone else None,
                "group": call.group_name,
                "before": _stops(call.before),
                "after": _stops(call.after),
            }
        )
    return {
        "version": version_id,
        "parent": info.parent,
        "groups": groups,
        "phones": any(call.phone for call in view.calls or []),
    }
