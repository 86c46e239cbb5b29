"""The large-scale method: a season of 22,000 volunteers in a minute, with a proven gap.

1. Greedy roster (:mod:`greedy`): feasible in a few seconds, the first roster.
2. Rounds of: find the requirements the roster leaves well supplied (*saturated*: at
   least ``SATURATION`` volunteers could still join); solve with HiGHS the LP in
   which those are filled by a phantom supply and only the scarce candidates have
   columns (:func:`bounds.restricted_lp`, thousands of columns instead of millions);
   evaluate the Lagrangian at its duals on *all* candidates (:class:`bounds.LagrangianBound`),
   which is the proof of the bound; and run the greedy again, guided by the LP (its
   camps that run first, its scarce assignments preferred). Keep the best roster and
   the smallest bound.
3. The scarce core (:mod:`core`): the same relaxation as an integer program, solved by
   CP-SAT within a deterministic work limit. Its proven bound is a bound on coverage
   (it is a relaxation), and its solution, completed by the greedy, is another roster.
4. Secondary terms: swap volunteers within a requirement for free ones who travel
   less or have fewer camps, which keeps coverage and every rule (``polish.py``).

Deterministic: rounds, thresholds and orders are fixed, HiGHS runs single-threaded
with a fixed seed; only the time limit can cut a round or the polish short.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import numpy as np

from campplanner.model.problem import Problem
from campplanner.model.rules import runnable_camps
from campplanner.model.state import first_lock_clash
from campplanner.model.terms import coverage, problem_weights, secondary_terms
from campplanner.result import Result
from campplanner.solver.bounds import LagrangianBound, restricted_lp
from campplanner.solver.core import CoreModel
from campplanner.solver.cpsat import CpSatSolver
from campplanner.solver.greedy import default_costs, free_counts, greedy_roster
from campplanner.solver.options import ProgressCallback, SolveOptions
from campplanner.solver.polish import polish_passes

SATURATION = (5, 10)  # free volunteers that make a requirement saturated, round by round
# The same for the core integer programs, one after the other: a small core first (fast,
# proves most bounds), then a larger one, whose phantom supply is nearer the truth.
CORE_SATURATION = (3, 10)
CORE_WORK = 30.0  # CP-SAT deterministic time per core (about seconds)
# Above this many candidates the exact model is not built as a fallback (memory)
EXACT_FALLBACK_CANDIDATES = 500_000
CORE_SHARE = 0.6  # at most this share of the time left goes to one core


class _Deadline:
    """Looks like a threading.Event to the greedy: "set" once the deadline has passed."""

    def __init__(self, deadline: float):
        self.deadline = deadline

    def is_set(self) -> bool:
        return time.monotonic() > self.deadline


class LargeSolver:
    """Same interface as CpSatSolver: ``solve(progress, started) -> Result`` and ``stop()``."""

    def __init__(self, problem: Problem, options: SolveOptions | None = None):
        self.problem = problem
        self.options = options or SolveOptions()
        self.weights = problem_weights(problem, self.options.weights)
        self._stopped = threading.Event()
        self._core: CoreModel | None = None
        self.stop_exact: Callable[[], None] | None = None

    def stop(self) -> None:
        """Stop after the current step; the best roster so far is returned."""
        self._stopped.set()
        if self._core is not None:
            self._core.stop()
        if self.stop_exact is not None:
            self.stop_exact()

    def _lock_clash(self) -> str | None:
        """Why the locked assignments break H3 to H6 among themselves, or None."""
        p = self.problem
        position = first_lock_clash(p)
        if position is None:
            return None
        i = int(p.locked_candidates[position])
        index = int(p.locked_file_index[position]) if len(p.locked_file_index) else position
        return (
            f"locked[{index}]: {p.volunteer_ids[p.candidate_volunteer[i]]} at camp "
            f"{p.camp_ids[p.candidate_camp[i]]} breaks H3..H6 together with the locks before "
            "it (one role per camp, no overlap, max_camps, slots, beds)"
        )

    def _exact(self, progress: ProgressCallback | None, started: float) -> Result:
        exact = CpSatSolver(self.problem, self.options)
        self.stop_exact = exact.stop
        if self._stopped.is_set():
            exact.stop()
        return exact.solve(progress, started)

    def solve(
        self, progress: ProgressCallback | None = None, started: float | None = None
    ) -> Result:
        p, options = self.problem, self.options
        started = time.monotonic() if started is None else started
        deadline = started + options.time_limit
        info = {"name": "large", "seed": options.seed, "time_limit": options.time_limit}
        if p.impossible_locks:
            return Result.impossible_locks(p.impossible_locks, info)
        timings: dict[str, float] = {}
        clash = self._lock_clash()
        if clash is not None:
            # The exact model names the smallest set of contradicting locks; on a full
            # season it would not fit in memory, and the clash found here is a proof.
            if p.num_candidates <= EXACT_FALLBACK_CANDIDATES:
                return self._exact(progress, started)
            return Result.infeasible((clash,), solver=info)

        started_solving = time.monotonic()
        if started_solving > deadline:
            # Reading and compiling used the whole limit (a file far beyond the province's
            # size): say so now rather than spend minutes more on a first roster.
            return Result.no_roster(
                f"time limit ({options.time_limit:g} s) spent reading and compiling the "
                f"instance ({started_solving - started:.1f} s); give a larger --time-limit",
                timings=timings, solver=info)  # fmt: skip

        def report(roster_coverage: int, bound: float) -> None:
            if progress is not None:
                progress(time.monotonic() - started, roster_coverage, bound)

        runnable = runnable_camps(p)
        locked_camps = np.unique(p.candidate_camp[p.locked_candidates])
        runnable[locked_camps] = True
        base_cost = default_costs(p)
        # The first roster is not given up for Ctrl-C, only for the time limit: a file
        # far beyond the province's size must not run on for minutes past it.
        best = greedy_roster(p, runnable, cost=base_cost, stop=_Deadline(deadline))
        if best is None:
            timings["greedy"] = time.monotonic() - started
            return Result.no_roster(
                f"time limit ({options.time_limit:g} s) before a first roster; reading and "
                f"compiling took {started_solving - started:.1f} s",
                timings=timings, solver=info)  # fmt: skip
        best_coverage = coverage(p, best)
        timings["greedy"] = time.monotonic() - started
        bounds = LagrangianBound(p)
        bounds.offer(*bounds.initial_multipliers())  # the demand bound: a proof at once
        report(best_coverage, float(bounds.bound or np.inf))

        rounds = 0
        for threshold in SATURATION:
            if self._stopped.is_set() or time.monotonic() > deadline:
                break
            free = free_counts(p, runnable, best)
            lp = restricted_lp(p, runnable, free >= threshold, deadline - time.monotonic())
            if lp is None:
                break
            bounds.offer(lp.lam, lp.mu)
            rounds += 1
            report(best_coverage, float(bounds.bound or np.inf))
            if best_coverage >= (bounds.bound or 0):
                break
            if self._stopped.is_set() or time.monotonic() > deadline:
                break
            cost = base_cost.copy()
            cost[lp.candidates] -= 1e7 * lp.fraction  # the LP's scarce assignments first
            allowed = runnable & (lp.runs > 1e-6)
            allowed[locked_camps] = True
            roster = greedy_roster(p, allowed, cost=cost, camp_preference=np.round(lp.runs, 6),
                                   stop=self._stopped)  # fmt: skip
            if roster is not None and coverage(p, roster) > best_coverage:
                best, best_coverage = roster, coverage(p, roster)
                report(best_coverage, float(bounds.bound or np.inf))
        # The scarce core as an integer program: a relaxation, so CP-SAT's bound on it is
        # a proof too, often tighter than the LP (which camps run is a yes/no question).
        bound = bounds.bound
        for threshold in CORE_SATURATION:
            remaining = deadline - time.monotonic()
            if self._stopped.is_set() or remaining < 1.0 or best_coverage >= (bound or 0):
                break
            free = free_counts(p, runnable, best)
            core = self._core = CoreModel(p, runnable, free >= threshold)
            core.hint(best)
            budget = min(CORE_SHARE * remaining, CORE_WORK)
            chosen, runs, core_bound = core.solve(budget, CORE_WORK, seed=options.seed)
            if core_bound is not None and (bound is None or core_bound < bound):
                bound = core_bound
            if chosen is not None and runs is not None and not self._stopped.is_set():
                allowed = runnable & runs
                allowed[locked_camps] = True
                roster = greedy_roster(p, allowed, cost=base_cost, start=chosen,
                                       stop=self._stopped)  # fmt: skip
                if roster is not None and coverage(p, roster) > best_coverage:
                    best, best_coverage = roster, coverage(p, roster)
            report(best_coverage, float(bound if bound is not None else np.inf))
        timings["coverage"] = time.monotonic() - started - timings["greedy"]

        # the secondary stage starts from the roster with the final coverage
        first_terms = terms = secondary_terms(p, best)
        polish_started = time.monotonic()
        if options.secondary:
            best = polish_passes(p, best, self.weights, deadline, self._stopped)
            assert coverage(p, best) == best_coverage  # swaps keep every slot
            terms = secondary_terms(p, best)
            timings["secondary"] = time.monotonic() - polish_started
        timings["total"] = time.monotonic() - started
        stopped_by = None
        if self._stopped.is_set():
            stopped_by = "interrupted"
        elif time.monotonic() > deadline:
            stopped_by = "time limit"
        info["rounds"] = rounds
        if not np.isin(p.locked_candidates, best).all():
            # A locked camp whose essential slots the greedy could not fill (H9): only
            # the exact model can say whether some roster does.
            if p.num_candidates <= EXACT_FALLBACK_CANDIDATES:
                return self._exact(progress, started)
            return Result.no_roster("locked camps left short of essential slots", bound,
                                    timings, info)  # fmt: skip
        return Result(
            status="optimal" if best_coverage == bound else "feasible",
            assigned=np.sort(best),
            coverage=best_coverage,
            coverage_bound=bound,
            terms=terms,
            first_terms=first_terms,
            secondary_status="improved by swaps" if options.secondary else None,
            timings=timings,
            stopped_by=stopped_by,
            solver=info,
        )
