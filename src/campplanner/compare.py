"""Comparing scenarios: solve the base and each scenario, measure, and diff the rosters.

Each scenario is solved in its own process (``jobs`` at a time), so several what-ifs
run side by side on a multi-core machine; the solves are the same as ``solve`` runs.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from campplanner.engines import make_engine
from campplanner.errors import CampPlannerError
from campplanner.loader import instance_from_data
from campplanner.model.compile import compile_instance
from campplanner.model.roster import camps_run, filled_per_requirement
from campplanner.model.terms import secondary_terms
from campplanner.replan import Triple, diff_rosters, roster_triples
from campplanner.solver import SolveOptions, make_solver


@dataclass(frozen=True)
class Measures:
    """What planners weigh when they compare scenarios."""

    name: str
    status: str
    coverage: int | None
    coverage_bound: int | None
    slots: int
    slots_filled: int
    camps: int
    camps_run: int
    camps_cancelled: list[str]
    unfilled_per_skill: dict[str, int]
    volunteers_used: int
    travel_km: float
    group_splits: int
    seconds: float
    roster: list[Triple] = field(repr=False)

    @property
    def share_filled(self) -> float:
        return self.slots_filled / self.slots if self.slots else 1.0


def measure(name: str, data: dict[str, Any], options: SolveOptions) -> Measures:
    """Solve instance data and measure the roster (runs in a worker process)."""
    problem = compile_instance(instance_from_data(data, name))
    result = make_solver(problem, options).solve()
    assigned = result.assigned
    filled = filled_per_requirement(problem, assigned)
    missing = problem.requirement_count - filled
    unfilled: dict[str, int] = {}
    for r in np.flatnonzero(missing > 0):
        skill = problem.skill_ids[problem.requirement_skill[r]]
        unfilled[skill] = unfilled.get(skill, 0) + int(missing[r])
    running = camps_run(problem, assigned)
    terms = secondary_terms(problem, assigned)
    return Measures(
        name=name,
        status=result.status,
        coverage=result.coverage,
        coverage_bound=result.coverage_bound,
        slots=problem.num_slots,
        slots_filled=len(assigned),
        camps=problem.num_camps,
        camps_run=int(running.sum()),
        camps_cancelled=[problem.camp_ids[c] for c in np.flatnonzero(~running)],
        unfilled_per_skill=dict(sorted(unfilled.items())),
        volunteers_used=len(np.unique(problem.candidate_volunteer[assigned])),
        travel_km=terms["travel"],
        group_splits=int(terms["group"]),
        seconds=result.timings.get("total", 0.0),
        roster=roster_triples(problem, assigned),
    )


def _measure_task(options: SolveOptions, named: tuple[str, dict[str, Any]]) -> Measures:
    return measure(named[0], named[1], options)


def compare(
    named_data: list[tuple[str, dict[str, Any]]],
    options: SolveOptions,
    jobs: int | None = None,
    on_done: Callable[[Measures], None] | None = None,
    on_cancel: Callable[[Callable[[], None]], None] | None = None,
    engine: str = "local",
    address: str | None = None,
) -> list[Measures]:
    """Measures of each (name, instance data), the first being the base, in order.

    ``on_cancel`` receives the function that stops the comparison: the worker processes
    are terminated (none is left running after Ctrl-C or SIGTERM) and ComparisonStopped
    is raised. ``engine`` "ray" solves them as Ray tasks (a local Ray, or the cluster at
    ``address``); "local" in processes here (``jobs`` at a time).
    """
    if engine != "local" or address is not None:
        return _compare_on(make_engine(engine, jobs, address), named_data, options, on_done,
                           on_cancel)  # fmt: skip
    jobs = jobs or min(len(named_data), os.cpu_count() or 1)
    stopped = threading.Event()
    results: list[Measures] = []
    if jobs <= 1:
        if on_cancel is not None:
            on_cancel(stopped.set)
        for name, data in named_data:
            if stopped.is_set():
                raise ComparisonStopped(len(results), len(named_data))
            results.append(measure(name, data, options))
            if on_done:
                on_done(results[-1])
        return results
    # spawn, not fork: this runs in a worker thread, and forking a process with threads
    # can copy a lock some other thread holds (the child then waits forever)
    with multiprocessing.get_context("spawn").Pool(processes=jobs) as pool:
        def stop() -> None:
            stopped.set()
            pool.terminate()

        if on_cancel is not None:
            on_cancel(stop)
        pending = [pool.apply_async(measure, (name, data, options)) for name, data in named_data]
        for future in pending:
            while not future.ready():
                future.wait(0.2)
                if stopped.is_set():
                    raise ComparisonStopped(len(results), len(named_data))
            results.append(future.get())
            if on_done:
                on_done(results[-1])
        return results


def _compare_on(engine: Any, named_data: list[tuple[str, dict[str, Any]]],
                options: SolveOptions, on_done: Callable[[Measures], None] | None,
                on_cancel: Callable[[Callable[[], None]], None] | None,
                ) -> list[Measures]:  # fmt: skip
    """The comparison as tasks of an engine (campplanner.engines), in the input's order."""
    if on_cancel is not None:
        on_cancel(engine.stop)
    found: dict[int, Measures] = {}
    for index, measures in engine.run(_measure_task, options, named_data):
        found[index] = measures
        if on_done:
            on_done(measures)
    if len(found) < len(named_data):
        raise ComparisonStopped(len(found), len(named_data))
    return [found[i] for i in range(len(named_data))]


class ComparisonStopped(CampPlannerError):
    """A comparison cancelled (Ctrl-C, SIGTERM) before every scenario was solved."""

    exit_code = 130

    def __init__(self, solved: int, total: int):
        super().__init__(f"stopped: {solved} of {total} scenarios were solved; no report")


def comparison_report(results: list[Measures]) -> dict[str, Any]:
    """JSON-ready report: the measures of each scenario and its diff against the base."""
    base = results[0]
    scenarios = []
    for measures in results:
        diff = diff_rosters(base.roster, measures.roster)
        entry = {
            "name": measures.name,
            "status": measures.status,
            "coverage": measures.coverage,
            "coverage_bound": measures.coverage_bound,
            "share_filled": round(measures.share_filled, 4),
            "slots_filled": measures.slots_filled,
            "slots": measures.slots,
            "camps_run": measures.camps_run,
            "camps_cancelled": measures.camps_cancelled,
            "unfilled_per_skill": measures.unfilled_per_skill,
            "volunteers_used": measures.volunteers_used,
            "travel_km": round(measures.travel_km, 1),
            "group_splits": measures.group_splits,
            "seconds": round(measures.seconds, 2),
        }
        if measures is not base:
            entry["against_base"] = {
                "camps_affected": len(diff.camps_affected),
                "people_added": len(diff.added),
                "people_removed": len(diff.removed),
                "people_moved": len(diff.moved),
                "changed_assignments": diff.changed_assignments,
            }
        scenarios.append(entry)
    return {"format": "campplanner-comparison/1", "scenarios": scenarios}
