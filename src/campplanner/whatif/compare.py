"""Comparing scenarios: solve the base and each scenario, measure, and diff the rosters.

By default the base is solved first, and each scenario is then *re-planned* from the
base's roster with the fewest changes (the re-plan of ``solve --baseline``): "people
moved" is then what the scenario forces, not the noise of two unrelated solves, a
hundred times larger (figures: docs/benchmarks.md). ``from_scratch`` solves every
scenario as ``solve`` does.
Scenarios are solved in their own processes (``jobs`` at a time), so several what-ifs
run side by side on a multi-core machine.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from campplanner.contract.errors import CampPlannerError
from campplanner.contract.instance import instance_from_data
from campplanner.model.baseline import baseline_from_triples
from campplanner.model.compile import compile_instance
from campplanner.model.terms import secondary_terms
from campplanner.report.roster import RosterView
from campplanner.solver import SolveOptions, make_solver
from campplanner.whatif.diff import Triple, diff_rosters, roster_triples
from campplanner.whatif.engines import make_engine

FROM_SCRATCH = "from scratch"
REPLANNED = "re-planned from the base"
# How each kind of comparison is said, in the table's title and the JSON report.
SOLVED_HOW = {
    REPLANNED: "each scenario re-planned from the base roster with the fewest changes",
    FROM_SCRATCH: "each scenario solved from scratch (changes against the base include "
    "the differences between two independent solves)",
}


@dataclass(frozen=True)
class Published:
    """The base's roster, as a scenario re-plans from it (a solution file's content)."""

    triples: list[Triple]
    cancelled: list[str]


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
    # a re-plan: changed assignments against the base (forced ones included), and the
    # proven lower bound on them (the re-plan's own, as ``solve --baseline`` says it)
    changes: int | None = None
    changes_bound: int | None = None
    solved: str = FROM_SCRATCH  # or REPLANNED
    stopped_by: str | None = None  # what cut the search short, if anything

    @property
    def share_filled(self) -> float:
        return self.slots_filled / self.slots if self.slots else 1.0

    @property
    def search_closed(self) -> bool:
        """True when the roster's coverage is proven the best: its gap closed. Otherwise
        the search was cut (a time or work limit) and its column shows, beside the
        scenario's effect, how far that search got."""
        return (
            self.coverage is not None
            and self.coverage_bound is not None
            and self.coverage >= self.coverage_bound
        )


def measure(
    name: str,
    data: dict[str, Any],
    options: SolveOptions,
    published: Published | None = None,
    on_solver: Callable[[Any], None] | None = None,
) -> Measures:
    """Solve instance data, re-planning from ``published`` if given, and measure the
    roster (in a worker process, or here: ``on_solver`` then gets the solver, to stop)."""
    problem = compile_instance(instance_from_data(data, name))
    baseline = None
    if published is not None:
        baseline = baseline_from_triples(problem, published.triples, published.cancelled)
    solver = make_solver(problem, options, baseline=baseline)
    if on_solver is not None:
        on_solver(solver)
    result = solver.solve()
    assigned = result.assigned
    view = RosterView.from_result(problem, result)
    terms = secondary_terms(problem, assigned)
    return Measures(
        name=name,
        status=result.status,
        coverage=result.coverage,
        coverage_bound=result.coverage_bound,
        slots=view.asked,
        slots_filled=view.filled,
        camps=view.totals.camps,
        camps_run=view.camps_run,
        camps_cancelled=[camp.id for camp in view.in_file_order if not camp.runs],
        unfilled_per_skill=view.totals.unfilled_per_skill,
        volunteers_used=view.totals.volunteers_sent,
        travel_km=terms["travel"],
        group_splits=int(terms["group"]),
        seconds=result.timings.get("total", 0.0),
        roster=roster_triples(problem, assigned),
        changes=result.changes,
        changes_bound=result.changes_bound,
        solved=FROM_SCRATCH if published is None else REPLANNED,
        stopped_by=result.stopped_by
        or ("the work limit" if options.work_limit is not None else "the time limit"),
    )


Scenario = tuple[str, dict[str, Any], Published | None]  # name, instance data, re-plan from


def _measure_task(options: SolveOptions, scenario: Scenario) -> Measures:
    return measure(*scenario[:2], options, scenario[2])


def compare(
    named_data: list[tuple[str, dict[str, Any]]],
    options: SolveOptions,
    jobs: int | None = None,
    on_done: Callable[[Measures], None] | None = None,
    on_cancel: Callable[[Callable[[], None]], None] | None = None,
    engine: str = "local",
    address: str | None = None,
    from_scratch: bool = False,
) -> list[Measures]:
    """Measures of each (name, instance data), the first being the base, in order.

    The base is solved first, then every scenario re-planned from its roster (see the
    module docstring); ``from_scratch`` solves them all at once, independently.
    ``on_cancel`` receives the function that stops the comparison: the worker processes
    are terminated (none is left running after Ctrl-C or SIGTERM) and ComparisonStopped
    is raised. ``engine`` "ray" solves them as Ray tasks (a local Ray, or the cluster at
    ``address``); "local" in processes here (``jobs`` at a time).
    """
    sweep = _Sweep(len(named_data), options, jobs, on_done, on_cancel, engine, address)
    if from_scratch:
        return sweep.run([(name, data, None) for name, data in named_data])
    (base_name, base_data), *scenarios = named_data
    [base] = sweep.run([(base_name, base_data, None)])
    if base.coverage is None:  # no roster to re-plan from: each scenario from scratch
        return [base, *sweep.run([(name, data, None) for name, data in scenarios])]
    published = Published(base.roster, base.camps_cancelled)
    return [base, *sweep.run([(name, data, published) for name, data in scenarios])]


class _Sweep:
    """Solves scenarios in worker processes (or on an engine), counting them for
    ComparisonStopped, in one or more rounds (the base, then the re-plans from it)."""

    def __init__(
        self,
        total: int,
        options: SolveOptions,
        jobs: int | None,
        on_done: Callable[[Measures], None] | None,
        on_cancel: Callable[[Callable[[], None]], None] | None,
        engine: str,
        address: str | None,
    ):
        self.total, self.options, self.on_done = total, options, on_done
        self.solved = 0
        self.stopped = threading.Event()
        self._pool: Any = None
        self._solver: Any = None  # the solve running in this process, if any
        self._engine = None
        self.jobs = jobs or min(total, os.cpu_count() or 1)
        if engine != "local" or address is not None:
            self._engine = make_engine(engine, jobs, address)
        if on_cancel is not None:
            on_cancel(self.stop)

    def stop(self) -> None:
        self.stopped.set()
        if self._engine is not None:
            self._engine.stop()
        if self._pool is not None:
            self._pool.terminate()
        if self._solver is not None:
            self._solver.stop()

    def _done(self, measures: Measures) -> Measures:
        self.solved += 1
        if self.on_done:
            self.on_done(measures)
        return measures

    def run(self, scenarios: list[Scenario]) -> list[Measures]:
        """The measures of ``scenarios``, in their order."""
        if self.stopped.is_set():
            raise ComparisonStopped(self.solved, self.total)
        if self._engine is not None:
            return self._run_on_engine(scenarios)
        if self.jobs <= 1:
            return [self._here(scenario) for scenario in scenarios]
        # spawn, not fork: this runs in a worker thread, and forking a process with
        # threads can copy a lock some other thread holds (the child then waits forever)
        processes = min(self.jobs, len(scenarios))
        with multiprocessing.get_context("spawn").Pool(processes=processes) as pool:
            self._pool = pool
            if self.stopped.is_set():
                pool.terminate()
            pending = [
                pool.apply_async(_measure_task, (self.options, scenario)) for scenario in scenarios
            ]
            results = []
            for future in pending:
                while not future.ready():
                    future.wait(0.2)
                    if self.stopped.is_set():
                        raise ComparisonStopped(self.solved, self.total)
                results.append(self._done(future.get()))
            self._pool = None
            return results

    def _here(self, scenario: Scenario) -> Measures:
        """One scenario solved in this process; stop() stops its solver."""
        if self.stopped.is_set():
            raise ComparisonStopped(self.solved, self.total)

        def running(solver: Any) -> None:
            self._solver = solver
            if self.stopped.is_set():
                solver.stop()

        name, data, published = scenario
        measures = measure(name, data, self.options, published, on_solver=running)
        self._solver = None
        if self.stopped.is_set():  # stopped half-way: its roster is no answer
            raise ComparisonStopped(self.solved, self.total)
        return self._done(measures)

    def _run_on_engine(self, scenarios: list[Scenario]) -> list[Measures]:
        """The scenarios as tasks of an engine (campplanner.whatif.engines), in their order."""
        found: dict[int, Measures] = {}
        for index, measures in self._engine.run(_measure_task, self.options, scenarios):
            found[index] = self._done(measures)
        if len(found) < len(scenarios):
            raise ComparisonStopped(self.solved, self.total)
        return [found[i] for i in range(len(scenarios))]


class ComparisonStopped(CampPlannerError):
    """A comparison cancelled (Ctrl-C, SIGTERM) before every scenario was solved."""

    exit_code = 130

    def __init__(self, solved: int, total: int):
        super().__init__(f"stopped: {solved} of {total} scenarios were solved; no report")
        self.solved, self.total = solved, total  # for a page to say in its own words


def comparison_report(results: list[Measures]) -> dict[str, Any]:
    """JSON-ready report: the measures of each scenario and its diff against the base,
    and how the scenarios were solved (``solved``: re-planned or from scratch)."""
    base, others = results[0], results[1:]
    solved = REPLANNED if others and all(m.solved == REPLANNED for m in others) else FROM_SCRATCH
    scenarios = []
    for measures in results:
        entry = {
            "name": measures.name,
            "solved": measures.solved,
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
            "search": "closed" if measures.search_closed else "cut",
        }
        if measures is not base:
            entry["against_base"] = against_base(base, measures)
        scenarios.append(entry)
    return {
        "format": "campplanner-comparison/1",
        "solved": solved,
        "solved_how": SOLVED_HOW[solved],
        "scenarios": scenarios,
        "warnings": search_warnings(results),
    }


def search_warnings(results: list[Measures]) -> list[str]:
    """One warning per column whose search was cut before its gap closed: its figures
    are how far the search got, so a difference between columns may be the search's,
    not the scenario's (a base cut short made a scenario that can add 28 show +201)."""
    warnings = []
    for position, measures in enumerate(results):
        if measures.search_closed:
            continue
        if measures.coverage is None:
            found = f"found no roster ({measures.status})"
        else:
            bound = (
                "no bound"
                if measures.coverage_bound is None
                else (f"proven bound {measures.coverage_bound:,}")
            )
            found = f"stopped before its gap closed (coverage {measures.coverage:,}, {bound})"
        effect = (
            "every scenario's difference from the base may be the search's, not the scenario's"
            if position == 0
            else "the effect shown may be the search's, not the scenario's"
        )
        warnings.append(
            f"{measures.name!r}: the search {found}, stopped by {measures.stopped_by}: {effect}; "
            "give more --time-limit or --work-limit"
        )
    return warnings


def against_base(base: Measures, measures: Measures) -> dict[str, Any]:
    """What changed from the base's roster to the scenario's; for a re-plan, also the
    proven lower bound on the changed assignments (``changes_lower_bound``)."""
    diff = diff_rosters(base.roster, measures.roster)
    changes = {
        "camps_affected": len(diff.camps_affected),
        "people_added": len(diff.added),
        "people_removed": len(diff.removed),
        "people_moved": len(diff.moved),
        "changed_assignments": diff.changed_assignments,
    }
    if measures.solved == REPLANNED:
        changes["changes_lower_bound"] = measures.changes_bound
    return changes
