"""Scenario files uploaded to the page, compared with ``app.scenarios.compare``.

Each upload is checked first, like ``campplanner compare`` checks its files (read,
applied to the current version's instance, validated): a bad file is one clear message
and nothing is kept. The comparison then runs as a background job.
"""

from __future__ import annotations

import re
import shutil
from typing import Any

from campplanner.app.jobs import Job
from campplanner.app.scenarios import compare, scenario_instances
from campplanner.contract.errors import CampPlannerError, UsageError
from campplanner.solver import SolveOptions
from campplanner.web.site import Comparison, Site

MAX_SCENARIOS = 6


def start_compare(site: Site, uploads: list[tuple[str, bytes]]) -> str:
    if site.running_job() is not None:
        raise UsageError("a solve is already running: wait for it or cancel it")
    if len(uploads) > MAX_SCENARIOS:
        raise UsageError(f"at most {MAX_SCENARIOS} scenario files at once")
    head = site.workspace.head()
    if head is None:
        raise UsageError("the workspace has no version")
    folder = site.folder()
    try:
        base = folder / "base.json"
        base.write_bytes(site.workspace.instance_json(head.id))
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
        message = str(error).replace(str(folder) + "/", "")
        raise UsageError(message) from None
    options = SolveOptions(time_limit=site.time_limit)

    def work(control: Any) -> dict[str, Any]:
        done: list[str] = []

        def on_done(measures: Any) -> None:
            done.append(measures.name)
            control.report(f"solved {measures.name}", measures.coverage)

        return compare(str(base), paths, options, jobs=1, on_done=on_done)

    job: Job[dict[str, Any]] = Job(work, "compare").start()
    job_id = site.next_id()
    site.comparisons[job_id] = Comparison(job, [name for name, _ in named], folder)
    return job_id


def job_state(site: Site, job_id: str) -> dict[str, Any] | None:
    comparison = site.comparisons.get(job_id)
    if comparison is None:
        return None
    job = comparison.job
    state: dict[str, Any] = {
        "id": job_id,
        "state": job.state,
        "names": comparison.names,
        "events": [{"elapsed": round(e.elapsed, 2), "phase": e.phase} for e in job.events()],
    }
    if job.wait(0):
        if job.error is not None:
            state["error"] = str(job.error)
        else:
            state["report"] = job.result()
    return state
