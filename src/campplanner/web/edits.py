"""The planner's edits as scenario edits (``whatif/scenario.py``), and the re-solve that uses them.

An edit is recorded in the workspace, never applied to the files the planner opened:
re-solving applies every pending edit to the current version's instance, exactly as a
scenario file would, and re-plans from its roster with the fewest changes.

- lock: the person holds the slot (``lock``)
- remove, forbid: the person may not serve in the camp (``forbid``)
- swap: the candidate holds the slot and the person it replaces leaves the camp
- unavailable: the person cannot come on these days (``unavailable``)
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from campplanner.app.jobs import STOP_GRACE, Job, JobControl, run_in_foreground
from campplanner.app.solving import (
    SolveOutcome,
    SolveRequest,
    solve_work,
    unexplained_solution_json,
)
from campplanner.contract.calendar import format_day
from campplanner.contract.errors import UsageError, plain_reason
from campplanner.contract.instance import day_of
from campplanner.contract.solution import solution_from_data
from campplanner.io.text import normalize_code
from campplanner.model.rules import candidate_failure
from campplanner.solver import SolveOptions
from campplanner.web.site import Loaded, Resolve, Site, ready
from campplanner.web.views import roster_diff
from campplanner.whatif.diff import roster_triples
from campplanner.whatif.scenario import apply_edits, scenario_from_data

EDIT_KINDS = ("lock", "remove", "forbid", "swap", "unavailable")
DIFF_KEYS = (
    "changed_assignments",
    "people_changed",
    "added",
    "removed",
    "moved",
    "camps_affected",
)  # what the re-plan section and roster_diff share


def edit_ops(loaded: Loaded, kind: str, fields: dict[str, str]) -> list[dict[str, Any]]:
    """The scenario edits of one planner's edit; UsageError says what is wrong with it."""
    problem = loaded.problem
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
        calendar = loaded.instance.calendar
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


@dataclass(frozen=True)
class Replanned:
    """A finished re-solve: the solve's outcome and what the page shows of it."""

    outcome: SolveOutcome
    instance_json: bytes
    shown: dict[str, Any]  # status, coverage, bound and the diff (who to call), or error


def start_resolve(site: Site) -> str:
    """Re-plan from the current version with the pending edits, in the background.

    The time limit counts from here, the planner's click: applying the edits, reading
    and compiling the edited instance, solving and the diff all happen inside it (the
    solver gets what is left after compiling). Nothing is explained: a camp's page
    explains its own empty slots when it is opened; the solution file is written when
    the planner accepts the roster.
    """
    started = time.monotonic()
    if site.running_job() is not None:
        raise UsageError("a solve is already running: wait for it or cancel it")
    head = site.workspace.head()
    if head is None:
        raise UsageError("the workspace has no version")
    pending = site.workspace.pending_edits()
    edit_ids = [e.id for e in pending]
    ops = [op for edit in pending for op in edit.ops]
    instance_json = site.workspace.instance_json(head.id)
    baseline = site.workspace.solution_json(head.id)
    folder = site.folder()
    options = SolveOptions(time_limit=site.time_limit)

    def work(control: JobControl) -> Replanned:
        control.report("reading")
        edited = edited_instance(instance_json, ops)
        (folder / "instance.json").write_bytes(edited)
        baseline_path = None
        if baseline is not None:
            baseline_path = str(folder / "baseline.json")
            (folder / "baseline.json").write_bytes(baseline)
        request = SolveRequest(
            str(folder / "instance.json"), options, baseline_path=baseline_path, explain=False
        )
        # The solve in its own job, watched as the command line watches it: it is
        # stopped STOP_GRACE seconds before the limit, and one that cannot stop at once
        # (a model being built) answers at the limit with the best roster it holds, and
        # winds down alone.
        solving = Job(lambda inner: solve_work(request, inner), "solve", control.started)
        solving.listen(lambda e: control.report(e.phase, e.coverage, e.bound, e.message))
        control.on_cancel(solving.cancel)
        stop_at = control.started + max(options.time_limit - STOP_GRACE, options.time_limit / 2)
        outcome, _ = run_in_foreground(solving, deadline=stop_at)
        return Replanned(outcome, edited, shown_outcome(outcome))

    job = Job(work, "solve", started).start()
    job_id = site.next_id()
    site.resolves[job_id] = Resolve(job, head.id, edit_ids, folder)
    return job_id


def shown_outcome(outcome: SolveOutcome) -> dict[str, Any]:
    """What the page shows of a finished re-solve: its measures and who to call (the
    solve's own diff against the version it started from, with names)."""
    result = outcome.result
    if not result.has_roster:
        return {"error": f"no roster: {result.status}", "status": result.status}
    names = {v.id: v.name for v in outcome.instance.volunteers}
    if outcome.replan is not None:
        diff = {key: outcome.replan[key] for key in DIFF_KEYS}
        for key in ("added", "removed", "moved"):
            diff[key] = [entry | {"name": names.get(entry["volunteer"], "")} for entry in diff[key]]
    else:  # no roster to start from: everyone is added
        diff = roster_diff([], roster_triples(outcome.problem, result.assigned), names)
    return {
        "status": result.status,
        "coverage": result.coverage,
        "bound": result.coverage_bound,
        "diff": diff,
        "timings": {k: round(float(v), 2) for k, v in result.timings.items()},
    }


def job_state(site: Site, job_id: str, since: int = 0) -> dict[str, Any] | None:
    """A re-solve's state, its progress events, and once finished its diff."""
    resolve = site.resolves.get(job_id)
    if resolve is None:
        return None
    job = resolve.job
    events = [
        {
            "elapsed": round(e.elapsed, 2),
            "phase": e.phase,
            "coverage": e.coverage,
            "bound": None if e.bound is None or not np.isfinite(e.bound) else e.bound,
        }
        for e in job.events(since)
    ]
    state: dict[str, Any] = {
        "id": job_id,
        "state": job.state,
        "base": resolve.base,
        "edits": resolve.edit_ids,
        "events": events,
        "time_limit": site.time_limit,
        "elapsed": round(time.monotonic() - job.control.started, 1),
    }
    if job.wait(0) and job.control.events:  # the clock stops with the work
        state["elapsed"] = round(job.control.events[-1].elapsed, 1)
    if job.wait(0):
        state["finished"] = finished(site, resolve)
    return state


def finished(site: Site, resolve: Resolve) -> dict[str, Any]:
    if resolve.finished is not None:
        return resolve.finished
    job = resolve.job
    if job.error is not None:
        error = job.error
        message = plain_reason(error)  # never a class name or a repr
        resolve.finished = {"error": message}
        return resolve.finished
    resolve.finished = job.result().shown
    return resolve.finished


def accept(site: Site, job_id: str, comment: str, expected: int) -> int:
    """Store a finished re-solve's roster as a new version (with its edits)."""
    resolve = site.resolves.get(job_id)
    if resolve is None or not resolve.job.wait(0):
        raise UsageError("no finished solve to accept")
    done = finished(site, resolve)
    if "error" in done:
        raise UsageError(f"this solve has no roster to accept ({done['error']})")
    head = site.workspace.head()
    if head is None or head.id != resolve.base:
        raise UsageError("a newer version was accepted since this solve started; re-solve")
    replanned = resolve.job.result()
    # written now, not before the diff was shown: seconds on the season, for one accept
    solution_json = unexplained_solution_json(replanned.outcome).encode()
    version = site.workspace.add_version(
        replanned.instance_json,
        solution_json,
        comment=comment,
        parent=resolve.base,
        edit_ids=resolve.edit_ids,
        expected=expected,
    )
    del site.resolves[job_id]
    outcome = replanned.outcome
    info = site.workspace.version(version)
    if info is not None:  # the pages of the new version, without compiling it again
        site.adopt(
            ready(
                info,
                outcome.instance,
                outcome.problem,
                solution_from_data(json.loads(solution_json)),
            )
        )
    return version


def discard(site: Site, job_id: str) -> None:
    resolve = site.resolves.pop(job_id, None)
    if resolve is None:
        raise UsageError("no such solve")
    resolve.job.cancel()
    site.workspace.log("discard", base=resolve.base, edits=resolve.edit_ids)
