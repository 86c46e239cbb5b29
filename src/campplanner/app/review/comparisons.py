"""Scenario files uploaded by the planner, compared with ``app.scenarios.compare``.

Each upload is checked first, like ``campplanner compare`` checks its files (read,
applied to the current version's instance, validated): a bad file is one clear message
and nothing is kept. The comparison then runs as a background job.
"""

from __future__ import annotations

import re
import shutil
from typing import Any

from campplanner.app.jobs import Job
from campplanner.app.review.background import Background, Comparison
from campplanner.app.review.errors import FileRefused, Worded
from campplanner.app.scenarios import compare, scenario_instances
from campplanner.contract.errors import CampPlannerError, FilesError, InstanceError, UsageError
from campplanner.solver import SolveOptions
from campplanner.whatif.compare import ComparisonStopped
from campplanner.workspace import Workspace

MAX_SCENARIOS = 6


def start_comparison(
    workspace: Workspace,
    background: Background,
    uploads: list[tuple[str, bytes]],
    time_limit: float,
) -> str:
    """Check the uploaded scenario files against the current version's instance, then
    compare them in the background; returns the job's id."""
    if len(uploads) > MAX_SCENARIOS:
        raise Worded(
            f"at most {MAX_SCENARIOS} scenario files at once",
            key="scenarios:too_many",
            most=MAX_SCENARIOS,
        )
    head = workspace.head()
    if head is None:
        raise Worded("the workspace has no version", key="no_version")
    folder = background.folder()
    try:
        base = folder / "base.json"
        base.write_bytes(workspace.instance_json(head.id))
        paths = []
        for k, (name, content) in enumerate(uploads):
            # the planner's file name is shown, never used as a path
            safe = re.sub(r"[^A-Za-z0-9._-]", "_", name)[-60:] or "scenario.json"
            path = folder / f"{k}-{safe}"
            path.write_bytes(content)
            paths.append(str(path))
        named = scenario_instances(str(base), paths)  # every problem of every file, now
    except CampPlannerError as error:
        shutil.rmtree(folder, ignore_errors=True)
        if isinstance(error, InstanceError | FilesError):  # worded in the page's language
            raise FileRefused(error, str(folder)) from None
        message = str(error).replace(str(folder) + "/", "")
        raise UsageError(message) from None
    options = SolveOptions(time_limit=time_limit)

    def work(control: Any) -> dict[str, Any]:
        def on_done(measures: Any) -> None:
            # the scenario's name as the message, so that a page says "solved" in its
            # own words beside the name (the base, solved first, in its words too)
            control.report("solved", measures.coverage, message=measures.name)

        return compare(str(base), paths, options, jobs=1, on_done=on_done)

    job: Job[dict[str, Any]] = Job(work, "compare").start()
    job_id = background.next_id()
    background.comparisons[job_id] = Comparison(job, [name for name, _ in named], folder)
    return job_id


def comparison_state(comparison: Comparison, job_id: str) -> dict[str, Any]:
    """A comparison's state, its progress events, and once finished its report."""
    job = comparison.job
    state: dict[str, Any] = {
        "id": job_id,
        "state": job.state,
        "names": comparison.names,
        "events": [
            {"elapsed": round(e.elapsed, 2), "phase": e.phase, "scenario": e.message}
            for e in job.events()
        ],
    }
    if job.wait(0):
        if job.error is not None:
            state["error"] = str(job.error)
            if isinstance(job.error, ComparisonStopped):  # cancelled: the page words it
                state["stopped"] = {"solved": job.error.solved, "total": job.error.total}
        else:
            state["report"] = job.result()
    return state
