"""The large-scale method: a season of 22,000 volunteers in a minute, with a proven gap.

It keeps the anytime contract (:mod:`anytime`): a roster from the first seconds that
only improves, a proven bound that only falls, every phase on a budget and stoppable.

1. First roster (:mod:`first_roster`): the essential-first greedy over all candidates,
   and the greedy of :mod:`greedy` (scarcest first); the better one. Seconds, no LP.
2. Bound and guidance. When the requirements the roster leaves *unsaturated* (fewer
   than ``SATURATION`` volunteers could still join) have few candidates, rounds of the
   restricted LP in which the saturated ones are filled by phantom supply
   (:func:`bounds.restricted_lp`), each followed by a greedy guided by the LP. When
   they have many (seasons where few requirements saturate), column generation
   (:mod:`lagrangian`) instead. Either way the Lagrangian at the LP's duals, evaluated
   on *all* candidates (:class:`bounds.LagrangianBound`), is the proof. An LP that does
   not finish in its budget is interrupted and its round skipped: nothing waits on it.
   On seasons of one camp per person (:mod:`one_camp`), first the restricted LP
   with its camps integer (a MIP, HiGHS), whose dual bound is a proof, and its camps
   staffed by a min-cost flow, the best roster for those camps.
3. The scarce core (:mod:`core`), when small: the same relaxation as an integer
   program; CP-SAT's bound on it is a proof when CP-SAT proved it, and its solution,
   completed by the greedy, another roster.
4. Large neighbourhood search (:mod:`lns`): CP-SAT on a few freed camps at a time,
   until the time left is what the secondary terms get.
5. Secondary terms: swap volunteers within a requirement for free ones who travel
   less or have fewer camps, which keeps coverage and every rule (:func:`polish`).

Deterministic when the clock does not cut a phase: rounds, thresholds and orders are
fixed, HiGHS runs single-threaded with a fixed seed, CP-SAT single-threaded with
deterministic work limits.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import numpy as np

from campplanner.contract.why import Why
from campplanner.model.baseline import NOT_IN_FILE
from campplanner.model.problem import Problem
from campplanner.model.rules import runnable_camps
from campplanner.model.state import first_lock_clash
from campplanner.model.terms import coverage, problem_weights, secondary_terms
from campplanner.solver.anytime import (
    Clock,
    Incumbent,
    StopOrDeadline,
    explain_estimate,
    output_reserve,
)
from campplanner.solver.bounds import (
    LagrangianBound,
    RestrictedLp,
    restricted_lp,
    scarce_candidates,
)
from campplanner.solver.core import CoreModel
from campplanner.solver.counting import counting_bound
from campplanner.solver.cpsat import CpSatSolver
from campplanner.solver.first_roster import first_roster
from campplanner.solver.greedy import default_costs, free_counts, greedy_roster
from campplanner.solver.lagrangian import ColumnGeneration
from campplanner.solver.lns import Lns, LnsOptions
from campplanner.solver.one_camp import best_staffing, camp_program, one_camp_each
from campplanner.solver.options import ProgressCallback, SolveOptions
from campplanner.solver.polish import polish_passes
from campplanner.solver.result import Result
from campplanner.solver.work import WorkBudget

SATURATION = (5, 10)  # free volunteers that make a requirement saturated, round by round
# The same for the core integer programs, one after the other: a small core first (fast,
# proves most bounds), then a larger one, whose phantom supply is nearer the truth.
CORE_SATURATION = (3, 10)
CORE_WORK = 30.0  # CP-SAT deterministic time per core (about seconds)
# Above this many candidates the exact model is not built as a fallback (memory)
EXACT_FALLBACK_CANDIDATES = 500_000
CORE_SHARE = 0.6  # at most this share of the time left goes to one core
CORE_MAX_CANDIDATES = 40_000  # a larger core is not built (see scarce_core)
CORE_BUILD_SECONDS = 1e-4  # building a core, per candidate (about; with its rows)
# Above this many unsaturated candidates the restricted LP is not tried, column
# generation is: the LP never finished on seasons where few requirements saturate
# (figures: docs/benchmarks.md).
LP_MAX_COLUMNS = 250_000
LP_SHARE = 0.3  # at most this share of the time left goes to one restricted LP
BOUND_SHARE = 0.8  # at most this share of the time left goes to column generation
SECONDARY_SHARE = 0.15  # of the time left when the search starts, kept for the swaps
SECONDARY_MAX = 10.0  # ... but at most this many seconds
SEARCH_WORK_RATE = 0.25  # deterministic time of search per second of time limit
# With a work limit (solver/work.py) column generation stops after this many rounds,
# not on a share of the clock (three or four rounds reach the bound on the foreign
# seasons of issue 13).
WORK_PRICING_ROUNDS = 4
# ... and the neighbourhood search counts each step as this much work besides CP-SAT's
# deterministic time: building a step's sub-model is Python work CP-SAT does not count
# (on small jobs of one slot, 75 steps spent 0.01 of it in 3 s).
WORK_PER_STEP = 0.05
CORE_WORK_SHARE = 0.5  # ... and a scarce core at most this share of the work left
# Seasons of one camp per person (one_camp.py): the integer program over camps gets at
# most this share of the time left, or, with a work limit, of the work left (HiGHS,
# single-threaded, ended on the simplex iterations of its LPs: one_camp.program_work).
CAMP_PROGRAM_SHARE = 0.45


def scarce_core(
    problem: Problem, runnable: np.ndarray, roster: np.ndarray, threshold: int, seconds_left: float
) -> CoreModel | None:
    """The scarce core of requirements with fewer than ``threshold`` free candidates
    under ``roster``, hinted with it; None when it is too large to build in
    ``seconds_left``: building the model is Python work the clock cannot cut, and a
    large core's bound did not beat the LP's (figures: docs/benchmarks.md)."""
    saturated = free_counts(problem, runnable, roster) >= threshold
    size = len(scarce_candidates(problem, runnable, saturated))
    if size > CORE_MAX_CANDIDATES or size * CORE_BUILD_SECONDS > 0.5 * seconds_left:
        return None
    core = CoreModel(problem, runnable, saturated)
    core.hint(roster)
    return core


class LargeSolver:
    """Same interface as CpSatSolver: ``solve(progress, started) -> Result``, ``stop()``
    and ``snapshot()``."""

    def __init__(
        self, problem: Problem, options: SolveOptions | None = None, core_share: float = 1.0
    ):
        """``core_share``: a scarce core with more than this share of the candidates is
        not built (the portfolio of ``auto`` runs the exact model after this method; a
        core of nearly the whole problem is the exact model's job: on ptask
        data_45_67_420_33 it took 50 of the 60 s the search needed)."""
        self.problem = problem
        self.options = options or SolveOptions()
        self.core_share = core_share
        self.weights = problem_weights(problem, self.options.weights)
        self._stopped = threading.Event()
        self._core: CoreModel | None = None
        self._lns: Lns | None = None
        self.stop_exact: Callable[[], None] | None = None
        self.incumbent: Incumbent | None = None
        self._info: dict[str, object] = {"name": "large", "seed": self.options.seed}
        self._started = time.monotonic()
        self.work = WorkBudget(self.options.work_limit)

    def stop(self) -> None:
        """Stop the current phase; the best roster so far is returned."""
        self._stopped.set()
        if self._core is not None:
            self._core.stop()
        if self._lns is not None:
            self._lns.stop()
        if self.stop_exact is not None:
            self.stop_exact()

    def snapshot(self) -> Result | None:
        """The best roster so far as a result, while a phase may still be stopping."""
        if self.incumbent is None:
            return None
        roster, value, bound = self.incumbent.snapshot()
        if roster is None:
            return None
        return Result(
            status="optimal" if bound is not None and value == bound else "feasible",
            assigned=roster,
            coverage=value,
            coverage_bound=bound,
            terms=secondary_terms(self.problem, roster),
            timings={"total": time.monotonic() - self._started},
            stopped_by="interrupted",
            solver={**self._info, **self._progress_so_far(), "snapshot": True},
        )

    def _progress_so_far(self) -> dict[str, object]:
        """What the solution file says of the search (first roster, the bound's source,
        the trace), read off the incumbent: the same keys whether the solve returned or
        its snapshot answered at the deadline."""
        incumbent = self.incumbent
        if incumbent is None:
            return {}
        return {
            "first_roster": incumbent.history[0][1] if incumbent.history else None,
            "bound_source": incumbent.bound_source,
            "trace": incumbent.trace_summary(),
        }

    def _lock_clash(self) -> str | None:
        """Why the locked assignments break H3 to H6 among themselves, or None."""
        p = self.problem
        position = first_lock_clash(p)
        if position is None:
            return None
        i = int(p.locked_candidates[position])
        index = int(p.locked_file_index[position]) if len(p.locked_file_index) else position
        who, camp = p.volunteer_ids[p.candidate_volunteer[i]], p.camp_ids[p.candidate_camp[i]]
        if index == NOT_IN_FILE:
            return Why("clash_kept", who=who, camp=camp)
        return Why("clash", index=index, who=who, camp=camp)

    def _exact(self, progress: ProgressCallback | None, started: float) -> Result:
        exact = CpSatSolver(self.problem, self.options)
        self.stop_exact = exact.stop
        if self._stopped.is_set():
            exact.stop()
        return exact.solve(progress, started)

    def _offer(self, roster: np.ndarray | None, source: str) -> bool:
        """Offer a roster to the incumbent if it keeps every lock (H10)."""
        p = self.problem
        if roster is None or not np.isin(p.locked_candidates, roster).all():
            return False
        assert self.incumbent is not None
        return self.incumbent.offer_roster(roster, source)

    def solve(
        self, progress: ProgressCallback | None = None, started: float | None = None
    ) -> Result:
        p, options = self.problem, self.options
        started = self._started = time.monotonic() if started is None else started
        clock = Clock(started, options.time_limit, output_reserve(p))
        deadline = clock.deadline
        info: dict[str, object] = {
            "name": "large",
            "seed": options.seed,
            "time_limit": options.time_limit,
        }
        self._info = info  # shared with snapshot(), which may answer before the end
        if p.impossible_locks:
            reasons = tuple(Why("locked", index=i, why=why) for i, why in p.impossible_locks)
            return Result(
                "infeasible",
                np.zeros(0, np.int64),
                None,
                None,
                infeasible_reasons=reasons,
                solver=info,
            )
        timings: dict[str, float] = {}
        clash = self._lock_clash()
        if clash is not None:
            # The exact model names the smallest set of contradicting locks; on a full
            # season it would not fit in memory, and the clash found here is a proof.
            if p.num_candidates <= EXACT_FALLBACK_CANDIDATES:
                return self._exact(progress, started)
            return Result(
                "infeasible",
                np.zeros(0, np.int64),
                None,
                None,
                infeasible_reasons=(clash,),
                solver=info,
            )

        started_solving = time.monotonic()
        if started_solving > started + options.time_limit:
            # Reading and compiling used the whole limit (a file far beyond the province's
            # size): say so now rather than spend minutes more on a first roster.
            return Result(
                "unknown",
                np.zeros(0, np.int64),
                None,
                None,
                timings=timings,
                stopped_by=f"time limit ({options.time_limit:g} s) spent reading and "
                f"compiling the instance ({started_solving - started:.1f} s); "
                "give a larger --time-limit",
                solver=info,
            )

        incumbent = self.incumbent = Incumbent(p, started, progress)
        runnable = runnable_camps(p)
        locked_camps = np.unique(p.candidate_camp[p.locked_candidates])
        runnable[locked_camps] = True

        # 1. first rosters: no LP, seconds; stopped only by the clock or a signal
        stop_or_deadline = StopOrDeadline(self._stopped, deadline)
        self._offer(first_roster(p, stop=stop_or_deadline), "first roster")
        base_cost = default_costs(p)
        if not stop_or_deadline.is_set():
            self._offer(
                greedy_roster(p, runnable, cost=base_cost, stop=stop_or_deadline),
                "greedy by scarcity",
            )
        if clock.expired():
            self.work.cut("first roster")
        timings["greedy"] = time.monotonic() - started
        if incumbent.roster is None:
            if len(p.locked_candidates) and not stop_or_deadline.is_set():
                # A locked camp whose essential slots the greedy could not fill (H9):
                # only the exact model can say whether some roster does.
                if p.num_candidates <= EXACT_FALLBACK_CANDIDATES:
                    return self._exact(progress, started)
                return Result(
                    "unknown",
                    np.zeros(0, np.int64),
                    None,
                    None,
                    timings=timings,
                    stopped_by="locked camps left short of essential slots",
                    solver=info,
                )
            return Result(
                "unknown",
                np.zeros(0, np.int64),
                None,
                None,
                timings=timings,
                stopped_by=f"time limit ({options.time_limit:g} s) before a first "
                "roster; reading and compiling took "
                f"{started_solving - started:.1f} s",
                solver=info,
            )
        # slots that can be filled at all: a full cover reads as optimal at once
        incumbent.offer_bound(counting_bound(p), "counting")
        bounds = LagrangianBound(p)
        bounds.offer(*bounds.initial_multipliers())  # the demand bound: a proof at once
        incumbent.offer_bound(bounds.bound, "demand")

        # 2. bound and guidance: restricted LP rounds or column generation
        incumbent.enter("bound")
        unsaturated = 0
        if not (self._stopped.is_set() or incumbent.proven_optimal):
            free = free_counts(p, runnable, incumbent.roster)
            unsaturated = len(scarce_candidates(p, runnable, free >= SATURATION[0]))
        info["unsaturated_candidates"] = unsaturated
        if self._stopped.is_set() or incumbent.proven_optimal:
            pass
        elif unsaturated <= LP_MAX_COLUMNS:
            counted = one_camp_each(p)
            if counted:
                # one camp per person: which camps run, then a flow names the people
                info["camp_program"] = self._camp_program(runnable, clock)
            info["rounds"] = self._lp_rounds(
                runnable, locked_camps, base_cost, bounds, clock, counted
            )
            # 3. the scarce core as an integer program
            self._cores(runnable, locked_camps, base_cost, clock)
        else:
            info["pricing_rounds"] = self._column_generation(
                runnable, locked_camps, base_cost, bounds, clock
            )
        timings["bound"] = time.monotonic() - started - timings["greedy"]

        # 4. neighbourhood search, until the secondary terms' share of the time
        keep = min(SECONDARY_MAX, SECONDARY_SHARE * clock.remaining()) if options.secondary else 0
        if self.work.deterministic:
            keep = 0.0  # the search ends on its work; the clock is only the safety net
        writing = explain_estimate(p, incumbent.roster)  # the output of the end, kept back
        keep += writing
        search_started = time.monotonic()
        if not incumbent.proven_optimal and not self._stopped.is_set():
            guidance = bounds.best_relaxed.volunteer_value if bounds.best_relaxed else None
            incumbent.enter("neighbourhood search")
            lns = self._lns = Lns(p, incumbent.roster, LnsOptions(seed=options.seed), guidance)
            if self._stopped.is_set():
                lns.stop()
            work = options.search_work
            if work is None and self.work.deterministic:
                work = self.work.left()
            elif work is None:
                work = SEARCH_WORK_RATE * options.time_limit
            steps = None
            if self.work.deterministic:
                steps = int(work / WORK_PER_STEP)
            lns.run(
                deadline - keep,
                self._stopped,
                on_improve=lambda roster, _: self._offer(roster, "neighbourhood search"),
                stop_when=lambda: incumbent.proven_optimal,
                work_limit=work,
                max_steps=steps,
            )
            info["lns"] = {
                "steps": lns.stats.steps,
                "improving": lns.stats.improving,
                "work": round(lns.stats.work, 2),
                "work_limit": work,
                "ended_by": lns.ended_by,
                "gain": dict(lns.stats.gain_by_kind),
            }
            self.work.spend(max(lns.stats.work, WORK_PER_STEP * lns.stats.steps))
            if lns.ended_by == "time limit":
                self.work.cut("neighbourhood search")
        timings["search"] = time.monotonic() - search_started
        best, best_coverage, bound = incumbent.snapshot()
        assert best is not None and best_coverage is not None
        timings["coverage"] = time.monotonic() - started - timings["greedy"]

        # 5. the secondary stage starts from the roster with the final coverage
        first_terms = terms = secondary_terms(p, best)
        polish_started = time.monotonic()
        if options.secondary:
            incumbent.enter("secondary terms (swaps)")
            polish_deadline = deadline - explain_estimate(p, best)
            best = polish_passes(p, best, self.weights, polish_deadline, self._stopped)
            if time.monotonic() >= polish_deadline:
                self.work.cut("secondary terms (swaps)")
            assert coverage(p, best) == best_coverage  # swaps keep every slot
            incumbent.replace_roster(best, "swaps")
            terms = secondary_terms(p, best)
            timings["secondary"] = time.monotonic() - polish_started
        timings["total"] = time.monotonic() - started
        stopped_by = None
        if self._stopped.is_set():
            stopped_by = "interrupted"
        elif self.work.deterministic:
            info["work"] = self.work.describe()
            stopped_by = "time limit" if self.work.clock_cut else None
        elif time.monotonic() > deadline:
            stopped_by = "time limit"
        return Result(
            status="optimal" if bound is not None and best_coverage >= bound else "feasible",
            assigned=np.sort(best),
            coverage=best_coverage,
            coverage_bound=bound,
            terms=terms,
            first_terms=first_terms,
            secondary_status="improved by swaps" if options.secondary else None,
            timings=timings,
            stopped_by=stopped_by,
            solver={**info, **self._progress_so_far()},
        )

    def _phase_deadline(self, clock: Clock, share: float) -> float:
        """A phase's deadline: ``share`` of the time left, or, with a work limit, the
        solve's own (the phase ends on its work; the clock is the safety net)."""
        return clock.deadline if self.work.deterministic else clock.budget(share)

    def _guided_greedy(
        self,
        lp: RestrictedLp,
        runnable: np.ndarray,
        locked_camps: np.ndarray,
        base_cost: np.ndarray,
        deadline: float,
    ) -> None:
        """A greedy roster that follows the LP: its camps that run first, its scarce
        assignments preferred."""
        p = self.problem
        cost = base_cost.copy()
        cost[lp.candidates] -= 1e7 * lp.fraction  # the LP's scarce assignments first
        allowed = runnable & (lp.runs > 1e-6)
        allowed[locked_camps] = True
        roster = greedy_roster(
            p,
            allowed,
            cost=cost,
            camp_preference=np.round(lp.runs, 6),
            stop=StopOrDeadline(self._stopped, deadline),
        )
        self._offer(roster, "LP-guided greedy")

    def _lp_rounds(
        self,
        runnable: np.ndarray,
        locked_camps: np.ndarray,
        base_cost: np.ndarray,
        bounds: LagrangianBound,
        clock: Clock,
        counted: bool = False,
    ) -> int:
        """Restricted LP rounds (step 2 of the module docstring); the rounds solved.
        ``counted``: with a work limit each LP ends on its simplex iterations (its share
        of the work left, as of the clock), its round skipped if they run out; else it
        runs to its end. Counted after the camps' program only: there the program's
        bound already beats the LP's, and on teams-22k an LP ran for minutes."""
        p, incumbent = self.problem, self.incumbent
        assert incumbent is not None and incumbent.roster is not None
        rounds = 0
        for threshold in SATURATION:
            if self._stopped.is_set() or clock.expired() or incumbent.proven_optimal:
                break
            free = free_counts(p, runnable, incumbent.roster)
            work = self.work.share(LP_SHARE) if counted else None
            if work is not None:
                # the roster the camps' program staffed may leave few requirements
                # saturated: on teams-22k the next LP had 5 million columns, and
                # building it took longer than its share of the work
                size = len(scarce_candidates(p, runnable, free >= threshold))
                if size > LP_MAX_COLUMNS:
                    break
            phase_deadline = self._phase_deadline(clock, LP_SHARE)
            lp = restricted_lp(
                p,
                runnable,
                free >= threshold,
                phase_deadline - time.monotonic(),
                self._stopped,
                work,
                self.work if work is not None else None,
            )
            if lp is None:
                if clock.expired():
                    self.work.cut("bound")
                break
            bounds.offer(lp.lam, lp.mu)
            incumbent.offer_bound(bounds.bound, "Lagrangian at restricted-LP duals")
            rounds += 1
            if incumbent.proven_optimal or self._stopped.is_set() or clock.expired():
                break
            self._guided_greedy(lp, runnable, locked_camps, base_cost, clock.deadline)
        return rounds

    def _cores(
        self, runnable: np.ndarray, locked_camps: np.ndarray, base_cost: np.ndarray, clock: Clock
    ) -> None:
        """The scarce core as an integer program: a relaxation, so CP-SAT's bound on it is
        a proof too, often tighter than the LP (which camps run is a yes/no question)."""
        p, options, incumbent = self.problem, self.options, self.incumbent
        assert incumbent is not None and incumbent.roster is not None
        for threshold in CORE_SATURATION:
            remaining = clock.remaining()
            if self.work.deterministic:
                remaining = float("inf")  # sizes and budgets by work, not by the clock
            if self._stopped.is_set() or remaining < 1.0 or incumbent.proven_optimal:
                break
            core = self._core = scarce_core(p, runnable, incumbent.roster, threshold, remaining)
            if core is None or len(core.candidates) > self.core_share * p.num_candidates:
                break
            if self._stopped.is_set():
                core.stop()
            budget = min(CORE_SHARE * clock.remaining(), CORE_WORK)
            if self.work.deterministic:
                budget = clock.remaining()
            work = min(CORE_WORK, self.work.share(CORE_WORK_SHARE) or CORE_WORK)
            chosen, runs, core_bound = core.solve(budget, work, seed=options.seed)
            self.work.spend(core.work_done)
            if self.work.deterministic and clock.expired():
                self.work.cut("scarce core")
            incumbent.offer_bound(core_bound, "CP-SAT on the scarce core")
            if chosen is not None and runs is not None and not self._stopped.is_set():
                allowed = runnable & runs
                allowed[locked_camps] = True
                stop = StopOrDeadline(self._stopped, clock.deadline)
                roster = greedy_roster(p, allowed, cost=base_cost, start=chosen, stop=stop)
                self._offer(roster, "scarce core")

    def _camp_program(self, runnable: np.ndarray, clock: Clock) -> dict[str, object]:
        """The integer program over camps of :mod:`one_camp` on the requirements the
        roster leaves scarce: its bound is a proof, and its camps (or, when it found
        none, the roster's own) staffed by a min-cost flow a roster. What it did."""
        p, incumbent = self.problem, self.incumbent
        assert incumbent is not None and incumbent.roster is not None
        done: dict[str, object] = {}
        if self._stopped.is_set() or clock.expired() or incumbent.proven_optimal:
            return done
        saturated = free_counts(p, runnable, incumbent.roster) >= SATURATION[-1]
        candidates = scarce_candidates(p, runnable, saturated)
        phantoms = np.flatnonzero(runnable[p.requirement_camp] & saturated)
        deadline = self._phase_deadline(clock, CAMP_PROGRAM_SHARE)
        work = self.work.share(CAMP_PROGRAM_SHARE)
        program = camp_program(
            p, runnable, candidates, phantoms, deadline - time.monotonic(), self._stopped, work
        )
        if self.work.deterministic:
            self.work.spend(program.work_done)
            if not program.cut_by_work and time.monotonic() >= deadline:
                self.work.cut("integer program over camps")
        done.update(bound=program.bound, nodes=program.nodes, value=program.value)
        done.update(iterations=program.iterations, cut_by_work=program.cut_by_work)
        if program.bound is not None:
            incumbent.offer_bound(program.bound, "integer program over camps")
        stop = StopOrDeadline(self._stopped, clock.deadline)
        if stop.is_set() or incumbent.proven_optimal:
            return done
        runs = program.runs
        if runs is None:
            runs = np.zeros(p.num_camps, dtype=bool)
            runs[p.candidate_camp[incumbent.roster]] = True
        roster = best_staffing(p, runs & runnable, stop)
        if roster is not None:
            done["staffed"] = coverage(p, roster)
            self._offer(roster, "integer program over camps, staffed by a flow")
        elif self.work.deterministic:
            self.work.cut("integer program over camps")
        return done

    def _column_generation(
        self,
        runnable: np.ndarray,
        locked_camps: np.ndarray,
        base_cost: np.ndarray,
        bounds: LagrangianBound,
        clock: Clock,
    ) -> int:
        """Column generation (step 2 of the module docstring); the rounds solved."""
        incumbent = self.incumbent
        assert incumbent is not None and incumbent.roster is not None
        if self._stopped.is_set():
            return 0
        columns = ColumnGeneration(self.problem, bounds, incumbent.roster, self.options.seed)
        phase_deadline = self._phase_deadline(clock, BOUND_SHARE)
        while not (self._stopped.is_set() or incumbent.proven_optimal):
            if time.monotonic() >= phase_deadline:
                if self.work.deterministic:
                    self.work.cut("bound")
                break
            if self.work.deterministic and len(columns.rounds) >= WORK_PRICING_ROUNDS:
                break
            progressed = columns.round(phase_deadline, self._stopped)
            incumbent.offer_bound(bounds.bound, "Lagrangian at column-generation duals")
            if not progressed:
                break
        return len(columns.rounds)
