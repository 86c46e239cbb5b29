"""The exact method: the whole contract as one CP-SAT model (``cpsat_model.py``).

Solving is lexicographic: stage 1 maximises coverage and proves it, starting from the
first roster of every method (``first_roster.py``), which is also the answer when
CP-SAT finds nothing better in time; stage 2 fixes coverage at the stage-1 value and
minimises the weighted secondary terms; swap passes (``polish.py``) follow when CP-SAT
did not prove stage 2. Re-planning from a published roster inserts a stage between the
two: fewest changes at that coverage.
"""

from __future__ import annotations

import threading
import time

import numpy as np
from ortools.sat.python import cp_model

from campplanner.model.baseline import Baseline
from campplanner.model.problem import Problem
from campplanner.model.rules import enforce_essentials
from campplanner.model.terms import coverage, problem_weights, secondary_terms
from campplanner.solver.bounds import LagrangianBound
from campplanner.solver.conflicts import find_lock_conflict
from campplanner.solver.counting import counting_bound, fillable_slots
from campplanner.solver.cpsat_model import (
    WEIGHT_SCALE,
    Variables,
    build_model,
    changes_expression,
    coverage_expression,
    hint,
    secondary_expression,
)
from campplanner.solver.first_roster import first_roster
from campplanner.solver.options import ProgressCallback, SolveOptions
from campplanner.solver.polish import polish_passes
from campplanner.solver.result import Result
from campplanner.solver.work import WorkBudget, cut_by_clock, limit_cpsat

# With a work limit: the coverage stage's share of the work when a later stage follows
# (the secondary terms, or the fewest changes); the later stages share what is left.
COVERAGE_WORK_SHARE = 0.6
# A search that profits from the bound: when the roster held is this close to the best
# proven bound, CP-SAT is first asked for a roster that *meets* the bound (coverage >=
# bound as a constraint, no objective), which its presolve turns into "every slot
# filled" where the bound counts slots. On the public ptask files (issue 22) that is
# the difference between 95% after 60 s and a full cover in seconds. Infeasible proves
# the bound minus one.
PROBE_GAP = 0.02
PROBE_SHARE = 0.4  # of the coverage stage's time or work
# ... and when the bound is the count of fillable slots, whose probe states what it
# implies (see _fill_every_fillable_slot): on ptask data_82_89_697_66 it found the full
# cover from the large method's 696 after 7.7 units of work, where the search for
# coverage had found nothing better in 30 s.
PROBE_SHARE_COUNTING = 0.8


class _Progress(cp_model.CpSolverSolutionCallback):
    """Records every improving roster and reports progress."""

    def __init__(
        self,
        x: Variables,
        started: float,
        report: ProgressCallback | None,
        owner: CpSatSolver | None = None,
        stage: str = "coverage",
        holds: tuple[int, float] | None = None,
        unit: float = 1.0,
    ):
        super().__init__()
        self._x = x
        self._started = started
        self._report = report
        self._owner = owner  # whose snapshot() this roster becomes
        self._stage = stage
        # A later stage keeps coverage at (coverage, bound) and optimises something else:
        # those are reported, and its own objective in the stage (a format string).
        self._holds = holds
        self._unit = unit  # the objective's units per unit shown
        self.first: np.ndarray | None = None
        self.best: np.ndarray | None = None

    def on_solution_callback(self) -> None:
        values = np.array([self.boolean_value(v) for v in self._x.assign], dtype=bool)
        self.best = np.flatnonzero(values)
        if self.first is None:
            self.first = self.best
        if self._owner is not None:
            self._owner._offer_best(self.best)
        if self._report is None:
            return
        elapsed = time.monotonic() - self._started
        if self._holds is None:
            self._report(
                elapsed, round(self.objective_value), self.best_objective_bound, self._stage
            )
        else:
            shown = self.objective_value / self._unit
            self._report(elapsed, *self._holds, self._stage.format(shown))


class CpSatSolver:
    """Solves a Problem with CP-SAT; ``stop()`` may be called from a signal handler."""

    def __init__(
        self,
        problem: Problem,
        options: SolveOptions | None = None,
        baseline: Baseline | None = None,
        start: np.ndarray | None = None,
        known_bound: int | None = None,
    ):
        """``baseline``: a published roster to change as little as possible; ``start``:
        a roster (candidate indices) to start the search from; ``known_bound``: a bound
        on coverage proven by another method (the portfolio's large method)."""
        self.problem = problem
        self.options = options or SolveOptions()
        self.baseline = baseline
        self.start = start
        self.weights = problem_weights(problem, self.options.weights)
        self._solver: cp_model.CpSolver | None = None
        self._stopped = threading.Event()
        self._best: np.ndarray | None = None  # the best roster so far, for snapshot()
        self._started = time.monotonic()
        self._progress: ProgressCallback | None = None
        self._holds: tuple[int, float] | None = None  # (coverage, bound) after stage 1
        self.known_bound = known_bound
        self.work = WorkBudget(self.options.work_limit)

    def stop(self) -> None:
        """Stop the search; the best roster found so far is returned."""
        self._stopped.set()
        solver = self._solver
        if solver is not None:
            solver.stop_search()

    def snapshot(self) -> Result | None:
        """The best roster so far (the greedy's, or CP-SAT's latest), as a result."""
        best = self._best
        if best is None:
            return None
        return Result(
            status="feasible",
            assigned=np.sort(best),
            coverage=coverage(self.problem, best),
            coverage_bound=None,
            terms=secondary_terms(self.problem, best),
            timings={"total": time.monotonic() - self._started},
            stopped_by="interrupted",
            solver={"name": "cp-sat", "snapshot": True},
        )

    def _offer_best(self, roster: np.ndarray) -> None:
        if self._best is None or coverage(self.problem, roster) >= coverage(
            self.problem, self._best
        ):
            self._best = roster

    def _greedy_start(self, progress: ProgressCallback | None, started: float) -> np.ndarray | None:
        """The first roster of every method (first_roster.py), if it keeps every lock."""
        problem = self.problem
        roster = first_roster(problem, stop=self._stopped)
        if not np.isin(problem.locked_candidates, roster).all():
            return None  # a locked camp left short of an essential role: not a roster
        self._best = roster
        if progress is not None:
            progress(
                time.monotonic() - started,
                coverage(problem, roster),
                float("inf"),
                "first roster",
            )
        return roster

    def _announce(self, stage: str) -> None:
        """Say that a later stage begins, coverage held (see ProgressCallback)."""
        if self._progress is not None and self._holds is not None:
            self._progress(time.monotonic() - self._started, *self._holds, stage)

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

        self._started = started
        self._progress = progress
        greedy = None
        if self.start is None and self.baseline is None:
            # A roster in seconds, whatever CP-SAT does next: its hint, and the answer
            # when CP-SAT finds nothing better in time.
            greedy = self._greedy_start(progress, started)
        elif self.start is not None and np.isin(problem.locked_candidates, self.start).all():
            self._best = self.start
        model, x = build_model(problem)
        model.maximize(coverage_expression(problem, x))
        stage1_time = deadline - time.monotonic()
        if self.baseline is not None:
            # Start from what stays of the published roster; prove coverage with at most
            # half the time, so that the fewest-changes stage always gets its turn.
            stage1_time *= 0.5
        later_stage = options.secondary or self.baseline is not None
        stage1_work = self.work.share(COVERAGE_WORK_SHARE if later_stage else 1.0)
        start = self.start if self.start is not None else greedy
        if start is None and self.baseline is not None:
            start = enforce_essentials(problem, self.baseline.kept)
        if start is not None:
            hint(model, x, start)
        built = time.monotonic()
        proofs = [counting_bound(problem), self.known_bound, self.options.known_bound]

        first_stage = _Progress(x, started, progress, self)
        # The stage-1 hint is a whole roster (every rule holds): nothing to repair, and
        # CP-SAT 9.15 aborts the process (a failed CHECK on its fixed search) when
        # stop_search meets a repair that has not begun, as a prompt Ctrl-C does.
        status = self._probe(model, x, start, proofs, first_stage, stage1_time, stage1_work)
        if status is None:
            spent = time.monotonic() - built
            work_left = None if stage1_work is None else stage1_work - self.work.spent
            status = self._run(model, first_stage, stage1_time - spent, work_left, phase="coverage")
        stage1_done = time.monotonic()
        solver = self._solver
        assert solver is not None
        stopped_by = "interrupted" if self._stopped.is_set() else None
        timings = {"build": built - started, "coverage": stage1_done - built}
        info = {
            "name": "cp-sat",
            "workers": options.workers,
            "seed": options.seed,
            "time_limit": options.time_limit,
        }

        if status == cp_model.INFEASIBLE:
            reasons = _conflict_reasons(problem, deadline - time.monotonic())
            timings["conflict"] = time.monotonic() - stage1_done
            return Result.infeasible(reasons, timings, info)
        searched = _searched(solver)
        proven = status == cp_model.OPTIMAL or (status == cp_model.FEASIBLE and searched)
        fallback = greedy if greedy is not None else self._best
        if first_stage.best is None or (
            fallback is not None
            and coverage(problem, fallback) > coverage(problem, first_stage.best)
        ):
            if fallback is None:
                return Result.no_roster(stopped_by or "time limit", None, timings, info)
            # CP-SAT found nothing better in time: the greedy's roster (a roster of the
            # whole problem), with CP-SAT's bound only if it proved one.
            first_stage.best = fallback
            optimal = False
            bound = _bound(solver) if proven else None
        else:
            optimal = status == cp_model.OPTIMAL
            bound = None
        best = first_stage.best
        best_coverage = coverage(problem, best)
        if optimal:
            bound = best_coverage
        elif proven and bound is None:
            bound = _bound(solver)
        if not optimal:
            # the Lagrangian demand bound, every proof held; never one below the roster
            proofs.append(_demand_bound(problem, best_coverage))
        bound = _smallest_proof([bound, *proofs], best_coverage)
        optimal = bound == best_coverage
        if greedy is not None:
            info["first_roster"] = coverage(problem, greedy)
        if not optimal and stopped_by is None and not self._ended_by_work():
            stopped_by = "time limit"
        self._holds = (best_coverage, float("inf") if bound is None else float(bound))
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
        elif not self.work.deterministic:
            remaining = min(remaining, max(10.0, 4 * timings["coverage"]))
        if options.secondary and not self._stopped.is_set() and remaining > 0.05:
            self._announce("secondary terms")
            best, secondary_status = self._improve_secondary(
                model, x, best, best_coverage, remaining
            )
            if secondary_status != "optimal" and self.baseline is None:
                self._announce("secondary terms (swaps)")
                best = self._swap(best, deadline)
            terms = secondary_terms(problem, best)
            timings["secondary"] = time.monotonic() - stage1_done
            if self._stopped.is_set():
                stopped_by = stopped_by or "interrupted"
        timings["total"] = time.monotonic() - started
        if self.work.deterministic:
            info["work"] = self.work.describe()
            if self.work.clock_cut:
                stopped_by = stopped_by or "time limit"
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

    def _ended_by_work(self) -> bool:
        """True when a work limit, not the clock, ended every stage so far."""
        return self.work.deterministic and not self.work.clock_cut

    def _probe(
        self,
        model: cp_model.CpModel,
        x: Variables,
        start: np.ndarray | None,
        proofs: list[int | None],
        first_stage: _Progress,
        time_limit: float,
        work: float | None,
    ) -> int | None:
        """When the roster held is within PROBE_GAP of the best proof, look for a roster
        that meets the proof (see PROBE_GAP). OPTIMAL when one is found (it is in
        ``first_stage.best``); None otherwise, after adding "proof - 1" to ``proofs``
        when CP-SAT shows that none exists."""
        problem = self.problem
        target = min((p for p in proofs if p is not None), default=None)
        held = None if start is None else coverage(problem, start)
        if target is None or held is None or self.baseline is not None:
            return None
        if held >= target and np.isin(problem.locked_candidates, start).all():
            # the roster we start from is proven optimal already: nothing to search for
            first_stage.best = first_stage.first = start
            self._solver = cp_model.CpSolver()
            return cp_model.OPTIMAL
        if target - held > max(1.0, PROBE_GAP * target):
            return None
        probe = model.clone()
        probe.clear_objective()
        probe.add(coverage_expression(problem, x) >= target)
        share = PROBE_SHARE
        if target == counting_bound(problem):
            _fill_every_fillable_slot(probe, problem, x)
            share = PROBE_SHARE_COUNTING
        self._announce_probe(target)
        found = _Progress(x, self._started, None, self)
        probe_work = None if work is None else share * work
        status = self._run(probe, found, share * time_limit, probe_work, phase="probe")
        if status == cp_model.INFEASIBLE:
            proofs.append(target - 1)
            return None
        if found.best is None:
            return None
        first_stage.best = first_stage.first = found.best
        if self._progress is not None:
            elapsed = time.monotonic() - self._started
            self._progress(elapsed, target, float(target), "coverage: the bound is met")
        return cp_model.OPTIMAL

    def _announce_probe(self, target: int) -> None:
        if self._progress is not None and self._best is not None:
            held = coverage(self.problem, self._best)
            elapsed = time.monotonic() - self._started
            self._progress(elapsed, held, float(target), f"coverage: seeking {target:,}")

    def _run(
        self,
        model: cp_model.CpModel,
        callback: _Progress,
        time_limit: float,
        work: float | None = None,
        phase: str = "coverage",
    ) -> int:
        solver = cp_model.CpSolver()
        self._parameters(solver, time_limit)
        limit_cpsat(solver, time_limit, work)
        # No repair_hint, although repairing the stage-2 hint (the stage-1 roster, its
        # auxiliary variables open) helped the secondary terms: CP-SAT 9.15 aborts the
        # whole process with "Check failed: heuristics.fixed_search != nullptr" when it
        # meets interleaved workers, a stop_search before the repair began, or (seen in
        # this project's tests under load, one worker) a short limit on a model solved
        # before. An abort loses the roster; the swaps after this stage (polish.py) do
        # the secondary work it did.
        self._solver = solver
        if self._stopped.is_set():
            return cp_model.UNKNOWN
        status = solver.solve(model, callback)
        self.work.spend(solver.deterministic_time)
        if self.work.deterministic and cut_by_clock(solver, time_limit, status):
            self.work.cut(phase)
        return status

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
        self._announce("fewest changes")
        callback = _Progress(
            x,
            self._started,
            self._progress,
            stage="fewest changes: {:,.0f} so far",
            holds=self._holds,
        )
        work = self.work.share(0.5 if self.options.secondary else 1.0)
        status = self._run(model, callback, max(0.05, time_limit), work, phase="fewest changes")
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
        callback = _Progress(
            x,
            self._started,
            self._progress,
            stage="secondary terms: weighted cost {:,.0f}",
            holds=self._holds,
            unit=WEIGHT_SCALE,
        )
        work = self.work.share(1.0)
        status = self._run(model, callback, time_limit, work, phase="secondary terms")
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


def _demand_bound(problem: Problem, coverage: int) -> int | None:
    """The Lagrangian bound at the demand multipliers (every slot priced at its priority):
    a proof in milliseconds; None if, against all reason, it is below ``coverage``."""
    bounds = LagrangianBound(problem)
    bounds.offer(*bounds.initial_multipliers())
    bound = bounds.bound
    return bound if bound is not None and bound >= coverage else None


def _fill_every_fillable_slot(model: cp_model.CpModel, problem: Problem, x: Variables) -> None:
    """What a roster at the counting bound implies, stated: each camp fills exactly its
    fillable slots, and each requirement too where beds and people do not bind first
    (counting.fillable_slots). Implied by "coverage >= the counting bound", but CP-SAT's
    presolve does not derive it: on ptask data_45_67_420_33 the probe found the full
    cover in 3.8 s with it and nothing in 60 s without."""
    per_camp, per_requirement = fillable_slots(problem)
    pointer, order = problem.requirement_candidates
    for r in np.flatnonzero(per_requirement >= 0).tolist():
        members = [x.assign[k] for k in order[pointer[r] : pointer[r + 1]].tolist()]
        if members:
            model.add(sum(members) == int(per_requirement[r]))
    by_camp = np.argsort(problem.candidate_camp, kind="stable")
    bounds = np.searchsorted(problem.candidate_camp[by_camp], np.arange(problem.num_camps + 1))
    for c in range(problem.num_camps):
        members = [x.assign[k] for k in by_camp[bounds[c] : bounds[c + 1]].tolist()]
        if members:
            model.add(sum(members) == int(per_camp[c]))


def _smallest_proof(proofs: list[int | None], coverage: int) -> int | None:
    """The smallest bound among ``proofs`` that is not below the coverage held (one below
    it would be a slip, not a proof; Result refuses it too)."""
    valid = [p for p in proofs if p is not None and p >= coverage]
    return min(valid) if valid else None


def _bound(solver: cp_model.CpSolver) -> int | None:
    bound = solver.best_objective_bound
    if not np.isfinite(bound):
        return None
    return int(np.floor(bound + 1e-6))


def _searched(solver: cp_model.CpSolver) -> bool:
    """True if CP-SAT's search ran (a stop before it began leaves no statistics)."""
    try:
        return solver.num_branches > 0 or solver.num_conflicts > 0
    except RuntimeError:  # "solve() has not been called": stopped before it began
        return False
