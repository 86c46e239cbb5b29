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

from campplanner.app.review.actor import Actor
from campplanner.app.review.downloads import Download
from campplanner.app.review.errors import NotFound
from campplanner.contract.instance import instance_from_data
from campplanner.contract.solution import solution_from_data
from campplanner.io.calls import call_files
from campplanner.report.roster import Call, RosterView
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


def version_calls(workspace: Workspace, version_id: int, actor: Actor) -> RosterView:
    """Version ``version_id``'s roster with its call list (from its parent), phones
    only where ``actor`` may see them; NotFound for a version that is no re-plan."""
    if workspace.version(version_id) is None:
        raise NotFound(f"no version {version_id}")
    raw = workspace.solution_json(version_id)
    if raw is None:
        raise NotFound(f"version {version_id} has no roster")
    instance = instance_from_data(json.loads(workspace.instance_json(version_id)))
    view = RosterView.from_solution(instance, solution_from_data(json.loads(raw)))
    if view.calls is None:
        raise NotFound(f"version {version_id} is no re-plan of another: nobody to call")
    calls = [
        call if may_see_phone(actor, call) else dataclasses.replace(call, phone=None)
        for call in view.calls
    ]
    return dataclasses.replace(view, calls=calls)


def calls_file(view: RosterView, version_id: int, suffix: str) -> Download:
    """The call list as ``calls[-phones]-v{id}.{suffix}`` (``CALL_FORMATS``)."""
    if suffix not in CALL_FORMATS:
        raise NotFound("no such format")
    files = call_files(view)
    name = next(n for n in files if n.endswith("." + suffix))
    stem = name.rsplit(".", 1)[0]
    return Download(f"{stem}-v{version_id}.{suffix}", CALL_FORMATS[suffix], files[name])
