"""Re-solving with the pending edits, in the background, and accepting the result.

Re-solving applies every pending edit to the current version's instance, exactly as a
scenario file would (``edits.edited_instance``), and re-plans from its roster with the
fewest changes. Nothing reaches the workspace until the planner accepts the roster.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from campplanner.app.jobs import STOP_GRACE, Job, JobControl, run_in_foreground
from campplanner.app.review.background import Background, Resolve
from campplanner.app.review.edits import edited_instance
from campplanner.app.review.reads import roster_diff
from campplanner.app.review.versions import OpenVersion, ready
from campplanner.app.solving import (
    SolveOutcome,
    SolveRequest,
    solve_work,
    unexplained_solution_json,
)
from campplanner.contract.errors import UsageError, plain_reason
from campplanner.contract.instance import instance_from_data
from campplanner.contract.solution import instance_fingerprint, solution_from_data
from campplanner.solver import SolveOptions
from campplanner.whatif.diff import roster_triples
from campplanner.workspace import Workspace

DIFF_KEYS = (
    "changed_assignments",
    "people_changed",
    "added",
    "removed",
    "moved",
    "camps_affected",
)  # what the re-plan section and roster_diff share


@dataclass(frozen=True)
class Replanned:
    """A finished re-solve: the solve's outcome and what the page shows of it."""

    outcome: SolveOutcome
    instance_json: bytes  # the instance with the edits: what the accepted version keeps
    shown: dict[str, Any]  # status, coverage, bound and the diff (who to call), or error
    # solved with a county's scope, or a freeze (outcome.problem is not the version's)
    scoped: bool = False


def start_resolve(
    workspace: Workspace,
    background: Background,
    time_limit: float,
    scope: list[dict[str, Any]] | None = None,
    only: set[int] | None = None,
    freeze_until: str | None = None,
) -> str:
    """Re-plan from the current version with the pending edits, in the background;
    ``scope``: edits that keep a county coordinator's re-solve inside its counties
    (``permissions.scope_ops``), solved with but not kept in the accepted version;
    ``only``: the pending edits it applies (the county's own; None: every one), the
    others stay pending. ``freeze_until``: only the future moves (``solve
    --freeze-until``): camps starting before that day keep their teams as in the
    current version, and its confirmed assignments hold.

    The time limit counts from here, the planner's click: applying the edits, reading
    and compiling the edited instance, solving and the diff all happen inside it (the
    solver gets what is left after compiling). Nothing is explained: a camp's page
    explains its own empty slots when it is opened; the solution file is written when
    the planner accepts the roster.
    """
    started = time.monotonic()
    head = workspace.head()
    if head is None:
        raise UsageError("the workspace has no version")
    pending = [e for e in workspace.pending_edits() if only is None or e.id in only]
    edit_ids = [e.id for e in pending]
    ops = [op for edit in pending for op in edit.ops]
    instance_json = workspace.instance_json(head.id)
    baseline = workspace.solution_json(head.id)
    folder = background.folder()
    options = SolveOptions(time_limit=time_limit)

    def work(control: JobControl) -> Replanned:
        control.report("reading")
        edited = edited_instance(instance_json, ops)
        solved_json = edited_instance(edited, scope) if scope else edited
        (folder / "instance.json").write_bytes(solved_json)
        baseline_path = None
        if baseline is not None:
            baseline_path = str(folder / "baseline.json")
            (folder / "baseline.json").write_bytes(baseline)
        request = SolveRequest(
            str(folder / "instance.json"),
            options,
            baseline_path=baseline_path,
            explain=False,
            freeze_until=freeze_until if baseline_path else None,
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
        # a frozen re-plan's problem, like a county's, is not the version's own
        scoped = bool(scope) or (freeze_until is not None and baseline_path is not None)
        return Replanned(outcome, edited, shown_outcome(outcome), scoped=scoped)

    job = Job(work, "solve", started).start()
    job_id = background.next_id()
    background.resolves[job_id] = Resolve(job, head.id, edit_ids, folder)
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


def resolve_state(
    resolve: Resolve, job_id: str, time_limit: float, since: int = 0
) -> dict[str, Any]:
    """A re-solve's state, its progress events, and once finished its diff."""
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
        "time_limit": time_limit,
        "elapsed": round(time.monotonic() - job.control.started, 1),
    }
    if job.wait(0) and job.control.events:  # the clock stops with the work
        state["elapsed"] = round(job.control.events[-1].elapsed, 1)
    if job.wait(0):
        state["finished"] = finished(resolve)
    return state


def finished(resolve: Resolve) -> dict[str, Any]:
    """What a finished re-solve shows (read once, then kept)."""
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


def accept(
    workspace: Workspace,
    background: Background,
    job_id: str,
    comment: str,
    expected: int,
    by: str,
    address: str | None = None,
) -> tuple[int, OpenVersion | None]:
    """Store a finished re-solve's roster as a new version (with its edits), recorded as
    ``by``'s; returns its id and the version opened from the solve's own outcome (its
    pages without compiling it again)."""
    resolve = background.resolves.get(job_id)
    if resolve is None or not resolve.job.wait(0):
        raise UsageError("no finished solve to accept")
    done = finished(resolve)
    if "error" in done:
        raise UsageError(f"this solve has no roster to accept ({done['error']})")
    replanned = resolve.job.result()
    # written now, not before the diff was shown: seconds on the season, for one accept
    solution_json = unexplained_solution_json(replanned.outcome).encode()
    if replanned.scoped:
        solution_json = unscoped(solution_json, replanned.instance_json)
    version = workspace.add_version(
        replanned.instance_json,
        solution_json,
        comment=comment,
        parent=resolve.base,
        edit_ids=resolve.edit_ids,
        expected=expected,
        by=by,
        address=address,
        on_top_of=resolve.base,  # refused if someone else replaced it meanwhile
    )
    background.forget(job_id)  # its roster is in the workspace now
    outcome = replanned.outcome
    info = workspace.version(version)
    if info is None or replanned.scoped:  # a scoped solve's problem is not the version's
        return version, None
    solution = solution_from_data(json.loads(solution_json))
    return version, ready(info, outcome.instance, outcome.problem, solution)


def unscoped(solution_json: bytes, instance_json: bytes) -> bytes:
    """A county's re-solve as a roster of the province's instance: the fingerprint of
    the instance the version keeps (not of the one solved with the other counties'
    camps closed), and no claim of optimality or bound, which held for that scope
    only."""
    data = json.loads(solution_json)
    data["fingerprint"] = instance_fingerprint(instance_from_data(json.loads(instance_json)))
    for key in ("status", "secondary_status"):
        if data.get(key) == "optimal":
            data[key] = "feasible"
    for key in ("coverage_bound", "gap"):
        data.pop(key, None)
    return json.dumps(data, ensure_ascii=False).encode()


def discard(
    workspace: Workspace, background: Background, job_id: str, by: str, address: str | None = None
) -> None:
    """Forget a re-solve (cancelled if it still runs), recorded as ``by``'s."""
    resolve = background.resolves.get(job_id)
    if resolve is None:
        raise UsageError("no such solve")
    background.forget(job_id)
    workspace.log("discard", base=resolve.base, edits=resolve.edit_ids, by=by, address=address)
