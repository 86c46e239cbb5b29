"""The exact method: the whole contract as one CP-SAT model (``cpsat_model.py``).

Solving is lexicographic: stage 1 maximises coverage and proves it; stage 2 fixes
coverage at the stage-1 value and minimises the weighted secondary terms; swap passes
(``polish.py``) follow when CP-SAT did not prove stage 2. Re-planning from a published
roster inserts a stage between the two: fewest changes at that coverage.
"""

from __future__ import annotations

import threading
import time

import numpy as np
from ortools.sat.python import cp_model

from campplanner.model.baseline import Baseline
from campplanner.model.problem import Problem
from campplanner.model.rules import enforce_essentials
from campplanner.model.terms import problem_weights, secondary_terms
from campplanner.result import Result
from campplanner.solver.conflicts import find_lock_conflict
from campplanner.solver.cpsat_model import (
    Variables,
    build_model,
    changes_expression,
    coverage_expression,
    hint,
    secondary_expression,
)
from campplanner.solver.options import ProgressCallback, SolveOptions
from campplanner.solver.polish import polish_passes


class _Progress(cp_model.CpSolverSolutionCallback):
    """Records every improving roster and reports progress."""

    def __init__(self, x: Variables, started: float, report: ProgressCallback | None):
        super().__init__()
        self._x = x
        self._started = started
        self._report = report
        self.first: np.ndarray | None = None
        self.best: np.ndarray | None = None

    def on_solution_callback(self) -> None:
        values = np.array([self.boolean_value(v) for v in self._x.assign], dtype=bool)
        self.best = np.flatnonzero(values)
        if self.first is None:
            self.first = self.best
        if self._report is not None:
            self._report(
                time.monotonic() - self._started,
                round(self.objective_value),
                self.best_objective_bound,
            )


class CpSatSolver:
    """Solves a Problem with CP-SAT; ``stop()`` may be called from a signal handler."""

    def __init__(
        self,
        problem: Problem,
        options: SolveOptions | None = None,
        baseline: Baseline | None = None,
        start: np.ndarray | None = None,
    ):
        """``baseline``: a published roster to change as little as possible; ``start``:
        a roster (candidate indices) to start the search from."""
        self.problem = problem
        self.options = options or SolveOptions()
        self.baseline = baseline
        self.start = start
        self.weights = problem_weights(problem, self.options.weights)
        self._solver: cp_model.CpSolver | None = None
        self._stopped = threading.Event()

    def stop(self) -> None:
        """Stop the search; the best roster found so far is returned."""
        self._stopped.set()
        if self._solver is not None:
            self._solver.stop_search()

    def _parameters(self, solver: cp_model.CpSolver, time_limit: float) -> None:
        solver.parameters.max_time_in_seconds = max(0.01, time_limit)
        solver.parameters.num_workers = self.options.workers
        solver.parameters.random_seed = self.options.seed
        # Same instance, seed and options -> same roster, whatever the thread timing: one
        # worker is deterministic, and several are made so by interleaving their search.
        solver.parameters.interleave_search = self.options.workers > 1
        solver.parameters.catch_sigint_signal = False  # app/jobs.py handles Ctrl-C itself
        solver.parameters.log_search_progress = self.options.log

    def solve(
        self, progress: ProgressCallback | None = None, started: float | None = None
    ) -> Result:
        problem, options = self.problem, self.options
        started = time.monotonic() if started is None else started
        deadline = started + options.time_limit
        if problem.impossible_locks:
            return Result.impossible_locks(problem.impossible_locks)
        if len(problem.locked_candidates):
            # Locks that clash are found on the few candidates they touch (conflicts.py),
            # in milliseconds, before the full model is built: on a province-sized file
            # proving infeasibility there could take the whole time limit.
            conflict = find_lock_conflict(problem, time_limit=max(1.0, 0.25 * options.time_limit))
            if conflict is not None:
                timings = {"conflict": time.monotonic() - started}
                return Result.infeasible(conflict.reasons(), timings)

        model, x = build_model(problem)
        model.maximize(coverage_expression(problem, x))
        stage1_time = deadline - time.monotonic()
        if self.baseline is not None:
            # Start from what stays of the published roster; prove coverage with at most
            # half the time, so that the fewest-changes stage always gets its turn.
            stage1_time *= 0.5
        if self.start is not None or self.baseline is not None:
            start = self.start
            if start is None:
                assert self.baseline is not None
                start = enforce_essentials(problem, self.baseline.kept)
            hint(model, x, start)
        built = time.monotonic()

        first_stage = _Progress(x, started, progress)
        status = self._run(
            model,
            first_stage,
            stage1_time,
            hinted=self.baseline is not None or self.start is not None,
        )
        stage1_done = time.monotonic()
        solver = self._solver
        assert solver is not None
        stopped_by = "interrupted" if self._stopped.is_set() else None
        timings = {"build": built - started, "coverage": stage1_done - built}
        info = {"name": "cp-sat", "workers": options.workers, "seed": options.seed,
                "time_limit": options.time_limit}  # fmt: skip

        if status == cp_model.INFEASIBLE:
            reasons = _conflict_reasons(problem, deadline - time.monotonic())
            timings["conflict"] = time.monotonic() - stage1_done
            return Result.infeasible(reasons, timings, info)
        if first_stage.best is None:
            # Stopped before presolve ended, CP-SAT's objective bound is not a proof (it
            # reads 0); only a bound reached by a search that ran is reported.
            bound = _bound(solver) if solver.num_branches > 0 or solver.num_conflicts > 0 else None
            if bound is not None and bound <= 0 and problem.num_candidates:
                bound = None
            return Result.no_roster(stopped_by or "time limit", bound, timings, info)

        best = first_stage.best
        best_coverage = int(problem.candidate_value[best].sum())
        optimal = status == cp_model.OPTIMAL
        bound = best_coverage if optimal else _bound(solver)
        if bound is not None and bound < best_coverage:  # never claim less than we hold
            bound = None
        if not optimal and stopped_by is None:
            stopped_by = "time limit"
        changes = changes_bound = None
        if self.baseline is not None and not self._stopped.is_set():
            best, changes, changes_bound = self._fewest_changes(
                model, x, best, best_coverage, deadline - time.monotonic()
            )
            timings["changes"] = time.monotonic() - stage1_done
            stage1_done = time.monotonic()
        first_terms = secondary_terms(problem, best)
        terms, secondary_status = first_terms, None

        remaining = deadline - time.monotonic()
        if options.secondary_time is not None:
            remaining = min(remaining, options.secondary_time)
        else:
            remaining = min(remaining, max(10.0, 4 * timings["coverage"]))
        if options.secondary and not self._stopped.is_set() and remaining > 0.05:
            best, secondary_status = self._improve_secondary(
                model, x, best, best_coverage, remaining
            )
            if secondary_status != "optimal" and self.baseline is None:
                best = self._swap(best, deadline)
            terms = secondary_terms(problem, best)
            timings["secondary"] = time.monotonic() - stage1_done
            if self._stopped.is_set():
                stopped_by = stopped_by or "interrupted"
        timings["total"] = time.monotonic() - started
        return Result(
            status="optimal" if optimal else "feasible",
            assigned=np.sort(best),
            coverage=best_coverage,
            coverage_bound=bound,
            terms=terms,
            first_terms=first_terms,
            secondary_status=secondary_status,
            timings=timings,
            stopped_by=stopped_by,
            solver=info,
            changes=changes,
            changes_bound=changes_bound,
        )

    def _run(
        self, model: cp_model.CpModel, callback: _Progress, time_limit: float, hinted: bool = False
    ) -> int:
        solver = cp_model.CpSolver()
        self._parameters(solver, time_limit)
        # The stage-2 hint (the stage-1 roster) leaves the auxiliary variables open;
        # repairing it makes the search start from it and improve on it (measured on
        # generated 400-volunteer instances: -22% weighted secondary in 10 s, against
        # no improvement at all without it). CP-SAT 9.15 aborts the process when
        # repair_hint meets interleaved workers, so only a single worker repairs.
        solver.parameters.repair_hint = hinted and self.options.workers == 1
        self._solver = solver
        if self._stopped.is_set():
            return cp_model.UNKNOWN
        return solver.solve(model, callback)

    def _fewest_changes(
        self,
        model: cp_model.CpModel,
        x: Variables,
        best: np.ndarray,
        coverage: int,
        time_limit: float,
    ) -> tuple[np.ndarray, int, int]:
        """Keep coverage at its stage-1 value, change as few published assignments as
        possible; then fix that number so the secondary stage cannot trade it away.

        Returns the roster, its number of changed assignments against the baseline
        (forced ones included) and the proven lower bound on that number.
        """
        assert self.baseline is not None
        forced = len(self.baseline.dropped)  # published, but no longer possible
        published = self.baseline.kept
        model.add(coverage_expression(self.problem, x) >= coverage)
        changed = changes_expression(self.problem, x, published)
        model.minimize(changed)
        hint(model, x, best)
        callback = _Progress(x, time.monotonic(), None)
        status = self._run(model, callback, max(0.05, time_limit))
        roster = best if callback.best is None else callback.best
        count = _count_changes(roster, published)
        proven = count if status == cp_model.OPTIMAL else max(0, _bound_up(self._solver))
        model.add(changed <= count)
        model.clear_objective()
        return roster, count + forced, min(count, proven) + forced

    def _swap(self, roster: np.ndarray, deadline: float) -> np.ndarray:
        """Swap passes of the large method (polish) after CP-SAT's secondary stage.

        One CP-SAT worker does no neighbourhood search, and on some instances stage 2
        did not improve at all in its time; swapping a volunteer for a free one of the
        same requirement keeps every slot and rule and costs milliseconds here. Not used
        when re-planning: a swap would add changes against the published roster.
        """
        return polish_passes(self.problem, roster, self.weights, deadline, self._stopped)

    def _improve_secondary(
        self,
        model: cp_model.CpModel,
        x: Variables,
        best: np.ndarray,
        coverage: int,
        time_limit: float,
    ) -> tuple[np.ndarray, str]:
        """Stage 2: keep coverage at its stage-1 value, minimise the secondary terms."""
        problem = self.problem
        model.add(coverage_expression(problem, x) >= coverage)
        model.minimize(secondary_expression(model, problem, x, self.weights))
        hint(model, x, best)
        callback = _Progress(x, time.monotonic(), None)
        status = self._run(model, callback, time_limit, hinted=True)
        if callback.best is None:
            return best, "not improved"
        return callback.best, "optimal" if status == cp_model.OPTIMAL else "feasible"


def _conflict_reasons(problem: Problem, time_left: float) -> tuple[str, ...]:
    """The smallest set of locks that contradict, named (see conflicts.py)."""
    # Naming the conflict is worth a few seconds even when the limit is spent.
    conflict = find_lock_conflict(problem, time_limit=max(5.0, time_left))
    if conflict is None:
        return ("the locked assignments contradict the rules",)
    return conflict.reasons()


def _count_changes(roster: np.ndarray, published: np.ndarray) -> int:
    return len(np.setxor1d(roster, published))


def _bound_up(solver: cp_model.CpSolver | None) -> int:
    """The proven lower bound of a minimisation, rounded up (0 when unknown)."""
    if solver is None or not np.isfinite(solver.best_objective_bound):
        return 0
    return int(np.ceil(solver.best_objective_bound - 1e-6))


def _bound(solver: cp_model.CpSolver) -> int | None:
    bound = solver.best_objective_bound
    if not np.isfinite(bound):
        return None
    return int(np.floor(bound + 1e-6))
