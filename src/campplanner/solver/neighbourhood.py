"""Re-planning a full season from its published roster: a roster in seconds, then search.

After a published roster, most of it stays. The re-plan keeps the anytime contract
(:mod:`campplanner.solver.anytime`):

1. First roster (:func:`refilled_start`): the published assignments still possible,
   those that still fit together (H3 to H6) kept as they are, and one pass of the
   greedy of :mod:`campplanner.solver.first_roster` filling what is empty, vacated
   essential roles first; a camp whose essential roles cannot be refilled is
   cancelled (H9). A roster in seconds, whenever the published roster minus the
   forced removals is one. Then that greedy over the whole season with the published
   holders first among candidates of equal essentiality and priority, so that the
   scarce people left go back to the most valuable camps; each of its passes is kept
   if it covers more, or as much with fewer changes.
2. Search for coverage, then for fewer changes: when the *neighbourhood* of the change
   (:func:`neighbourhood`) is small, the exact CP-SAT model on it (coverage, then
   fewest changes, then the secondary terms), started from the first roster; then
   large neighbourhood search (:mod:`campplanner.solver.lns`) around the damage, whose
   sub-models rank rosters by coverage and then by closeness to the published roster.
3. Published people put back where it costs no coverage
   (:func:`campplanner.solver.restore.restore_published`).

The neighbourhood's candidates are:

- every published assignment that is still possible (so each may stay or go);
- every candidate of a requirement that lost a published assignment (the slots to
  refill), of every requirement of the same skills anywhere (so that a person pulled
  from another camp can be replaced there in turn), and of every requirement of a camp
  added since (one the published roster neither staffed nor cancelled; solution files
  written by campplanner list their cancelled camps, and without that list no camp
  counts as new);
- the locks.

Every roster of it is a roster of the season (fewer candidates, same rules). The
coverage bound reported is the season's Lagrangian bound
(:class:`campplanner.solver.bounds.LagrangianBound`), a proof for the whole instance.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from campplanner.model.baseline import Baseline
from campplanner.model.problem import Problem
from campplanner.model.rules import (
    beds_left,
    camps_with_essentials,
    enforce_essentials,
    runnable_camps,
    slots_left,
)
from campplanner.model.terms import coverage, secondary_terms
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
from campplanner.solver.first_roster import GreedyPass, first_roster, greedy_order
from campplanner.solver.greedy import default_costs, free_counts, greedy_roster
from campplanner.solver.lagrangian import ColumnGeneration
from campplanner.solver.large import (
    CORE_SATURATION,
    CORE_WORK,
    CORE_WORK_SHARE,
    LP_MAX_COLUMNS,
    LP_SHARE,
    SATURATION,
    WORK_PRICING_ROUNDS,
    scarce_core,
)
from campplanner.solver.lns import REPLAN_KINDS, Lns, LnsOptions
from campplanner.solver.options import ProgressCallback, SolveOptions
from campplanner.solver.restore import restore_published
from campplanner.solver.result import Result
from campplanner.solver.work import WorkBudget

# The exact model runs on the neighbourhood only below this many candidates: above it
# CP-SAT gained nothing in its share of the time, where the neighbourhood search gains
# (figures: docs/benchmarks.md). Small re-plans (hundreds of volunteers) stay exact,
# with the fewest changes proven.
EXACT_NEIGHBOURHOOD = 12_000
EXACT_SHARE = 0.4  # of the time left, for the exact model on a small neighbourhood
BOUND_SHARE = 0.15  # of the time left, for the season's bound
# CP-SAT deterministic time of the search per second of time limit: more than a solve
# from scratch gets, since re-planning has no LP rounds (the damage is repaired by
# chains of moves, one neighbourhood at a time)
REPLAN_WORK_RATE = 0.6
REPLAN_START_CAMPS = 8  # camps of the first sub-models: many small steps around the damage
# The LP-guided greedy prefers a published holder over a candidate this much scarcer
# elsewhere (default_costs: 1e4 per unit of skill pressure; the LP's own preference is
# 1e7 per unit of its fraction, which stays first)
PUBLISHED_PREFERENCE = 1e4
# The starts built from the season's LP (its guided greedy, the scarce core's roster):
# once one of them is the incumbent, the search's steps go to the camps the start
# changed, along the moves (the "moves" neighbourhood of lns.py), to bring the roster back
# towards the published one. Such a start repairs the damage season-wide; the search
# around the damage gained at most 4 slots after it on tight-22k-s1 and beds-22k-s1
# (0 of 23 and 28 steps improving at work 18), and 4.5 of work on "moves" took 34
# changes off (figures: docs/benchmarks.md, issue 22). Other re-plans keep REPLAN_KINDS.
LP_GUIDED = "LP-guided greedy, published preferred"
SCARCE_CORE = "scarce core, published preferred"
GUIDED_KINDS = ("moves",)
# With a work limit (solver/work.py): the exact model on a small neighbourhood gets this
# share of it, the search what is left.
EXACT_WORK_SHARE = 0.5


def vacated_requirements(problem: Problem, baseline: Baseline) -> np.ndarray:
    """Requirements that lost a published assignment, and those of camps added since."""
    vacated = set()
    for (_, camp_id, skill_id), _ in baseline.dropped:
        c = problem.camp_index.get(camp_id)
        s = problem.skill_index.get(skill_id)
        r = problem.requirement_index.get((c, s)) if c is not None and s is not None else None
        if r is not None:
            vacated.add(r)
    for c, camp_id in enumerate(problem.camp_ids):
        if baseline.camps is not None and camp_id not in baseline.camps:  # added since
            vacated.update(range(problem.camp_requirements[c], problem.camp_requirements[c + 1]))
    return np.array(sorted(vacated), dtype=np.int64)


def neighbourhood(problem: Problem, baseline: Baseline) -> np.ndarray:
    """Sorted candidate indices of the re-planning neighbourhood (see the module doc)."""
    return np.flatnonzero(in_neighbourhood(problem, baseline))


def in_neighbourhood(problem: Problem, baseline: Baseline) -> np.ndarray:
    """Per candidate, whether it is in the re-planning neighbourhood: a boolean a byte
    per candidate, counted before its indices (eight bytes each) are listed."""
    published = baseline.kept
    keep = np.zeros(problem.num_candidates, dtype=bool)
    keep[published] = True
    keep[problem.locked_candidates] = True
    vacated = vacated_requirements(problem, baseline)
    # A requirement that lost someone to a dropped assignment whose camp is gone is not
    # vacated; the volunteer's other assignments stay in through `published`.
    if len(vacated):
        # Tables by requirement and skill, looked up per candidate: np.isin over
        # millions of candidates would sort them (hundreds of megabytes, seconds).
        is_vacated = np.zeros(problem.num_requirements, dtype=bool)
        is_vacated[vacated] = True
        keep |= is_vacated[problem.candidate_requirement]
        # Every candidate of the skills that lost someone, so that refilling a slot can
        # pull a person from another camp, which is refilled in turn (chains of moves);
        # such skills are the scarce ones, with few candidates in a whole season.
        lost_skill = np.zeros(problem.num_skills, dtype=bool)
        lost_skill[problem.requirement_skill[vacated]] = True
        keep |= lost_skill[problem.candidate_skill]
    return keep


def replan_threshold(problem: Problem, runnable: np.ndarray, free: np.ndarray) -> int | None:
    """The saturation threshold of the re-plan's one restricted LP round: the largest of
    ``SATURATION`` whose LP has at most ``LP_MAX_COLUMNS`` columns, given ``free`` (free
    candidates per requirement under the first roster); None when even the smallest
    has more (column generation then).

    A solve from scratch runs a round per threshold, the second from the first's guided
    roster. Re-planning, the first roster is already good (the published one, completed),
    and the larger threshold's round alone, from it, proves the same bound as both and
    guides a better start with fewer changes, in half the time (tight-22k-s1: 99,844 with
    1,121 changes against 99,829 with 1,384 after two rounds; figures:
    docs/benchmarks.md, issue 22)."""
    for threshold in sorted(SATURATION, reverse=True):
        if len(scarce_candidates(problem, runnable, free >= threshold)) <= LP_MAX_COLUMNS:
            return threshold
    return None


def refilled_start(
    problem: Problem,
    kept: np.ndarray,
    stop: threading.Event | None = None,
    passes: GreedyPass | None = None,
) -> np.ndarray:
    """The re-plan's first roster: what of ``kept`` fits together, refilled greedily.

    The published assignments still possible are taken in order while they fit H3 to
    H6 (an edit may have taken beds or slots away); then one pass of the essential-first
    greedy (``passes``, by default in the order of :func:`first_roster.greedy_order`
    with the published assignments preferred) fills every open slot of the camps it
    runs (and of camps without essential roles), vacated essential roles first; camps
    left short of an essential role are cancelled (H9).
    """
    p = problem
    everywhere = np.ones(p.num_camps, dtype=bool)
    fitting, _ = GreedyPass(p, np.sort(kept)).run(everywhere)
    # the camps the published roster runs, and those without essential roles (which can
    # always run: runnable_camps): starting another camp here would take people the
    # vacated slots need (the greedy over the whole season, which follows, may start one)
    open_camps = np.zeros(p.num_camps, dtype=bool)
    open_camps[p.candidate_camp[fitting]] = True
    open_camps |= ~camps_with_essentials(p) & (beds_left(p, np.arange(p.num_camps), 0) >= 0)
    if passes is None:
        # The pass takes nobody for a requirement without room once the published people
        # are in: its order over the candidates of the others alone is the same roster,
        # built from a few of a season's millions of candidates (seconds sooner).
        filled = np.bincount(p.candidate_requirement[fitting], minlength=p.num_requirements)
        people = np.bincount(p.candidate_camp[fitting], minlength=p.num_camps)
        room = slots_left(p, np.arange(p.num_requirements), filled) > 0
        room &= (open_camps & (beds_left(p, np.arange(p.num_camps), people) > 0))[
            p.requirement_camp
        ]
        prefer = np.zeros(p.num_candidates, dtype=bool)
        prefer[kept] = True
        among = np.flatnonzero(room[p.candidate_requirement])
        passes = GreedyPass(p, greedy_order(p, prefer, among))
    taken, _ = passes.run(open_camps, start=fitting, stop=stop)
    return enforce_essentials(p, taken)


class NeighbourhoodReplanner:
    """Re-planning a large season from its published roster (see the module doc)."""

    def __init__(
        self,
        problem: Problem,
        options: SolveOptions,
        baseline: Baseline,
        passes: GreedyPass | None = None,
        bound: bool = True,
        output_time: bool = True,
        search_steps: int | None = None,
        step_work: float | None = None,
    ):
        """``passes``: the greedy's passes in the order of :func:`greedy_order` with the
        published roster preferred, built already (a stress sweep builds them once for
        all its runs). A stress run, which writes no roster and reports no bound, passes
        ``bound=False`` (no proof of a bound on the season's coverage) and
        ``output_time=False`` (no time kept back to explain and write the roster): the
        time goes to the search; and ``search_steps``, a number of neighbourhood search
        steps that ends the search before the clock does, so that the re-plan is the
        same on any machine (CP-SAT's deterministic time leaves out each step's model
        building and presolve, most of a step's time on a season), each step given
        ``step_work`` of CP-SAT's deterministic time (LnsOptions.step_work)."""
        self.problem = problem
        self.options = options
        self.baseline = baseline
        self._passes = passes
        self._bound = bound
        self._output_time = output_time
        self._search_steps = search_steps
        self._step_work = step_work
        self._inner: CpSatSolver | None = None
        self._core: CoreModel | None = None
        self._bounds: LagrangianBound | None = None  # the season's bound, once computed
        self._costs: np.ndarray | None = None  # the guided greedy's, published preferred
        self._lns: Lns | None = None
        self._stopped = threading.Event()
        self.incumbent: Incumbent | None = None
        self._started = time.monotonic()
        self.work = WorkBudget(options.work_limit)

    def stop(self) -> None:
        self._stopped.set()
        if self._inner is not None:
            self._inner.stop()
        if self._core is not None:
            self._core.stop()
        if self._lns is not None:
            self._lns.stop()

    def snapshot(self) -> Result | None:
        """The best re-plan so far, while a phase may still be stopping."""
        if self.incumbent is None:
            return None
        roster, _, bound = self.incumbent.snapshot()
        if roster is None:
            return None
        return self._result(roster, bound, {}, "interrupted", snapshot=True)

    def _changes(self, roster: np.ndarray) -> int:
        return len(np.setxor1d(roster, self.baseline.kept)) + len(self.baseline.dropped)

    def _result(
        self,
        roster: np.ndarray,
        bound: int | None,
        timings: dict[str, float],
        stopped_by: str | None,
        snapshot: bool = False,
        info: dict[str, object] | None = None,
    ) -> Result:
        value = coverage(self.problem, roster)
        terms = secondary_terms(self.problem, roster)
        solver = {"name": "re-plan: refill, then neighbourhood search", **(info or {})}
        if snapshot:
            solver["snapshot"] = True
        return Result(
            status="optimal" if bound is not None and value >= bound else "feasible",
            assigned=np.sort(roster),
            coverage=value,
            coverage_bound=bound,
            terms=terms,
            first_terms=terms,
            timings={**timings, "total": time.monotonic() - self._started},
            stopped_by=stopped_by,
            solver=solver,
            changes=self._changes(roster),
            # every forced removal is a change; no proof of more is attempted
            changes_bound=len(self.baseline.dropped),
        )

    def solve(
        self, progress: ProgressCallback | None = None, started: float | None = None
    ) -> Result:
        started = self._started = time.monotonic() if started is None else started
        problem, options = self.problem, self.options
        clock = Clock(
            started, options.time_limit, output_reserve(problem) if self._output_time else 0.0
        )
        timings: dict[str, float] = {}
        info: dict[str, object] = {"seed": options.seed}
        incumbent = self.incumbent = _ReplanIncumbent(problem, started, progress, self._changes)

        # 1. a roster in seconds: the published roster refilled; then the
        # essential-first greedy over the whole season, the published holders first
        # among candidates of equal essentiality and priority (each of its passes is
        # offered as soon as it exists; coverage first, then fewer changes)
        stop = StopOrDeadline(self._stopped, clock.deadline)

        def offer(roster: np.ndarray, source: str) -> None:
            if np.isin(problem.locked_candidates, roster).all():
                incumbent.offer_closer(roster, source)

        # the parent season's bound, when the edits cannot raise it: no other is proven
        incumbent.offer_bound(options.known_bound, "the parent season's bound")
        # reported at once, before the whole season's order is sorted (its passes)
        refilled = refilled_start(problem, self.baseline.kept, passes=self._passes)
        offer(refilled, "published, refilled")
        timings["refilled"] = time.monotonic() - started
        passes = self._passes
        if passes is None and not self._stopped.is_set():
            prefer = np.zeros(problem.num_candidates, dtype=bool)
            prefer[self.baseline.kept] = True
            passes = GreedyPass(problem, greedy_order(problem, prefer))
        if not self._stopped.is_set():
            greedy = first_roster(
                problem,
                stop=stop,
                passes=passes,
                on_roster=lambda r: offer(r, "greedy, published first"),
            )
            offer(greedy, "greedy, published first")
        first = incumbent.roster
        timings["first roster"] = time.monotonic() - started
        info["first_roster_changes"] = None if first is None else self._changes(first)

        # 2. the season's bound, on a budget
        if self._bound and options.known_bound is None:
            bound_started = time.monotonic()
            incumbent.enter("bound")
            self._season_bound(incumbent, clock)
            timings["bound"] = time.monotonic() - bound_started

        # 3. the exact model on a small neighbourhood, started from the incumbent
        inside = in_neighbourhood(problem, self.baseline)
        size = info["neighbourhood_candidates"] = int(inside.sum())
        if (size <= EXACT_NEIGHBOURHOOD or first is None) and not self._stopped.is_set():
            exact_started = time.monotonic()
            incumbent.enter("exact on the neighbourhood")
            self._exact(np.flatnonzero(inside), incumbent, clock, first is None, info)
            timings["exact on the neighbourhood"] = time.monotonic() - exact_started

        # 4. neighbourhood search: coverage first, then fewer changes
        roster = incumbent.roster
        if roster is not None and not self._stopped.is_set() and not clock.expired():
            search_started = time.monotonic()
            incumbent.enter("neighbourhood search")
            vacated = vacated_requirements(problem, self.baseline)
            damaged = np.unique(problem.requirement_camp[vacated])
            guided = incumbent.source in (LP_GUIDED, SCARCE_CORE)
            info["search_kinds"] = list(GUIDED_KINDS if guided else REPLAN_KINDS)
            lns_options = LnsOptions(seed=options.seed, start_camps=REPLAN_START_CAMPS)
            if self._step_work is not None:
                lns_options.step_work = self._step_work
            # as a solve from scratch: free volunteers worth little elsewhere at the
            # bound's multipliers are offered to the sub-models first
            relaxed = None if self._bounds is None else self._bounds.best_relaxed
            guidance = None if relaxed is None else relaxed.volunteer_value
            lns = self._lns = Lns(
                problem,
                roster,
                lns_options,
                guidance,
                published=self.baseline.kept,
                damaged=damaged,
            )
            if self._stopped.is_set():
                lns.stop()
            work = REPLAN_WORK_RATE * options.time_limit
            if self.work.deterministic:
                work = self.work.left()
            lns.run(
                clock.deadline - (explain_estimate(problem, roster) if self._output_time else 0),
                self._stopped,
                kinds=GUIDED_KINDS if guided else REPLAN_KINDS,
                on_improve=lambda r, _: incumbent.offer_closer(r, "neighbourhood search"),
                work_limit=work,
                max_steps=self._search_steps,
            )
            self.work.spend(lns.stats.work)
            if lns.ended_by == "time limit":
                self.work.cut("neighbourhood search")
            info["lns"] = {
                "steps": lns.stats.steps,
                "improving": lns.stats.improving,
                "work": round(lns.stats.work, 2),
                "ended_by": lns.ended_by,
            }
            timings["search"] = time.monotonic() - search_started

        # 5. published people back where it costs no coverage (a move the search made
        # that another step made pointless is a call the planner need not make)
        # by the deadline too: cut, it still gives a roster (each move back keeps one)
        if incumbent.roster is not None and not self._stopped.is_set():
            restore_started = time.monotonic()
            stop = StopOrDeadline(self._stopped, clock.deadline)
            incumbent.offer_closer(
                restore_published(problem, incumbent.roster, self.baseline.kept, stop),
                "published restored",
            )
            if stop.is_set() and not self._stopped.is_set():
                self.work.cut("restore")
            timings["restore"] = time.monotonic() - restore_started
        roster, _, bound = incumbent.snapshot()
        if roster is None:
            return Result(
                "unknown",
                np.zeros(0, np.int64),
                None,
                bound,
                timings=timings,
                stopped_by="no roster keeps the locks",
                solver=info,
            )
        stopped_by = None
        if self._stopped.is_set():
            stopped_by = "interrupted"
        elif self.work.deterministic:
            info["work"] = self.work.describe()
            stopped_by = "time limit" if self.work.clock_cut else None
        elif clock.expired():
            stopped_by = "time limit"
        info["trace"] = incumbent.trace_summary()
        return self._result(roster, bound, timings, stopped_by, info=info)

    def _exact(
        self,
        subset: np.ndarray,
        incumbent: Incumbent,
        clock: Clock,
        alone: bool,
        info: dict[str, object],
    ) -> None:
        """The exact model (coverage, fewest changes) on the neighbourhood ``subset``."""
        problem = self.problem
        roster = incumbent.roster
        if roster is not None:
            subset = np.union1d(subset, roster)
        position = np.full(problem.num_candidates, -1, dtype=np.int64)
        position[subset] = np.arange(len(subset))
        small = problem.restricted(subset)
        baseline = replace(self.baseline, kept=np.sort(position[self.baseline.kept]))
        start = None if roster is None else np.sort(position[roster])
        budget = clock.remaining() if alone else EXACT_SHARE * clock.remaining()
        work = None
        if self.work.deterministic:
            # ends on its work; the whole time left is only its safety net
            budget = clock.remaining()
            work = self.work.left() if alone else EXACT_WORK_SHARE * self.work.left()
        options = replace(
            self.options, time_limit=max(0.1, budget), secondary=False, work_limit=work
        )
        self._inner = CpSatSolver(small, options, baseline=baseline, start=start)
        if self._stopped.is_set():
            self._inner.stop()
        result = self._inner.solve(None, time.monotonic())
        self.work.spend(self._inner.work.spent)
        if self._inner.work.clock_cut:
            self.work.cut("exact on the neighbourhood")
        # Cut by its share of the clock: a caller that promises the same re-plan on any
        # machine (a stress sweep) needs to know, though the search after it ends on work.
        unproven = (
            result.changes is not None
            and result.changes_bound is not None
            and result.changes > result.changes_bound
        )  # fewest changes: cut too
        info["exact_stopped_by"] = result.stopped_by or (
            "time limit" if unproven and not self.work.deterministic else None
        )
        if result.has_roster:
            incumbent.offer_closer(np.sort(subset[result.assigned]), "exact on the neighbourhood")

    def _season_bound(self, incumbent: Incumbent, clock: Clock) -> None:
        """A proven upper bound on the season's coverage (Lagrangian, see bounds.py)."""
        problem = self.problem
        incumbent.offer_bound(counting_bound(problem), "counting")
        bounds = self._bounds = LagrangianBound(problem)
        bounds.offer(*bounds.initial_multipliers())
        incumbent.offer_bound(bounds.bound, "demand")
        roster = incumbent.roster if incumbent.roster is not None else self.baseline.kept
        if incumbent.proven_optimal or self._stopped.is_set():
            return
        deadline = clock.deadline if self.work.deterministic else clock.budget(BOUND_SHARE)
        runnable = runnable_camps(problem)
        free = free_counts(problem, runnable, roster)
        threshold = replan_threshold(problem, runnable, free)
        if threshold is not None:
            # one round of the restricted LP, followed by its guided greedy with the
            # published people preferred (a solve from scratch runs a round per threshold)
            lp_deadline = deadline if self.work.deterministic else clock.budget(LP_SHARE)
            lp = restricted_lp(
                problem, runnable, free >= threshold, lp_deadline - time.monotonic(), self._stopped
            )
            if lp is None:
                if self.work.deterministic and clock.expired():
                    self.work.cut("bound")
            else:
                bounds.offer(lp.lam, lp.mu)
                incumbent.offer_bound(bounds.bound, "Lagrangian at restricted-LP duals")
                if not (incumbent.proven_optimal or self._stopped.is_set() or clock.expired()):
                    self._guided_start(lp, runnable, incumbent, clock.deadline)
            roster = roster if incumbent.roster is None else incumbent.roster
            # the core gets its own share: after a slow LP the rest would be too little
            core_deadline = deadline if self.work.deterministic else clock.budget(BOUND_SHARE)
            self._core_bound(incumbent, runnable, roster, core_deadline)
            return
        columns = ColumnGeneration(problem, bounds, roster, self.options.seed)
        while not self._stopped.is_set() and time.monotonic() < deadline:
            if self.work.deterministic and len(columns.rounds) >= WORK_PRICING_ROUNDS:
                break
            progressed = columns.round(deadline, self._stopped)
            incumbent.offer_bound(bounds.bound, "Lagrangian at column-generation duals")
            if not progressed or incumbent.proven_optimal:
                break

    def _guided_start(
        self, lp: RestrictedLp, runnable: np.ndarray, incumbent: Incumbent, deadline: float
    ) -> None:
        """The greedy a solve from scratch runs after each restricted LP (the camps the
        LP runs, its scarce assignments first; large.py), with the published holders
        preferred over others as valuable elsewhere, then the published people put back
        where it costs no coverage. Offered as a start: kept when it covers more than
        the published roster refilled (figures: docs/benchmarks.md, issue 22)."""
        cost = self._published_costs().copy()
        cost[lp.candidates] -= 1e7 * lp.fraction
        self._offer_completed(
            runnable & (lp.runs > 1e-6),
            incumbent,
            LP_GUIDED,
            deadline,
            cost=cost,
            camp_preference=np.round(lp.runs, 6),
        )

    def _published_costs(self) -> np.ndarray:
        """The greedy's costs (default_costs) with the published holders preferred."""
        if self._costs is None:
            self._costs = default_costs(self.problem)
            self._costs[self.baseline.kept] -= PUBLISHED_PREFERENCE
        return self._costs

    def _offer_completed(
        self,
        allowed: np.ndarray,
        incumbent: Incumbent,
        source: str,
        deadline: float,
        cost: np.ndarray | None = None,
        start: np.ndarray | None = None,
        camp_preference: np.ndarray | None = None,
    ) -> None:
        """The greedy over the ``allowed`` camps (and the locked ones) from ``start``,
        the published people then put back where it costs no coverage, offered to the
        incumbent (kept if it covers more, or as much with fewer changes)."""
        p = self.problem
        allowed = allowed.copy()
        allowed[p.candidate_camp[p.locked_candidates]] = True
        stop = StopOrDeadline(self._stopped, deadline)
        roster = greedy_roster(
            p,
            allowed,
            cost=self._published_costs() if cost is None else cost,
            start=start,
            camp_preference=camp_preference,
            stop=stop,
        )
        if roster is None or not np.isin(p.locked_candidates, roster).all():
            return
        roster = restore_published(p, roster, self.baseline.kept, stop)
        incumbent.offer_closer(roster, source)

    def _core_bound(
        self, incumbent: Incumbent, runnable: np.ndarray, roster: np.ndarray, deadline: float
    ) -> None:
        """CP-SAT's bound on the scarce core, as the large method proves it from scratch
        (core.py: a relaxation of the season, so its bound is a proof for the season).

        Without it the re-plan's bound stayed at the Lagrangian's, above the one a solve
        from scratch proves (figures: docs/benchmarks.md). Its roster, completed as a
        solve from scratch completes it (with the published holders preferred, then the
        published people put back), is offered too (:meth:`_offer_completed`).
        """
        problem = self.problem
        runnable = runnable.copy()
        runnable[np.unique(problem.candidate_camp[problem.locked_candidates])] = True
        for threshold in CORE_SATURATION:
            remaining = deadline - time.monotonic()
            if self.work.deterministic:
                remaining = float("inf")  # sizes by work, not by the clock
            if self._stopped.is_set() or remaining < 0.2 or incumbent.proven_optimal:
                return
            current = roster if incumbent.roster is None else incumbent.roster
            core = self._core = scarce_core(problem, runnable, current, threshold, remaining)
            if core is None:
                return
            if self._stopped.is_set():
                core.stop()
            budget = deadline - time.monotonic()
            work = min(CORE_WORK, self.work.share(CORE_WORK_SHARE) or CORE_WORK)
            chosen, runs, core_bound = core.solve(budget, work, seed=self.options.seed)
            self.work.spend(core.work_done)
            incumbent.offer_bound(core_bound, "CP-SAT on the scarce core")
            if chosen is not None and runs is not None and not self._stopped.is_set():
                self._offer_completed(
                    runnable & runs, incumbent, SCARCE_CORE, deadline, start=chosen
                )


class _ReplanIncumbent(Incumbent):
    """An incumbent that also takes rosters of equal coverage with fewer changes."""

    def __init__(
        self,
        problem: Problem,
        started: float,
        progress: ProgressCallback | None,
        changes: Callable[[np.ndarray], int],
    ):
        super().__init__(problem, started, progress)
        self.changes = changes

    def offer_closer(self, roster: np.ndarray, source: str) -> bool:
        """Keep ``roster`` if it covers more, or as much with fewer changes."""
        value = coverage(self.problem, roster)
        if self.coverage is None or value > self.coverage:
            return self.offer_roster(roster, source)
        if (
            value == self.coverage
            and self.roster is not None
            and self.changes(roster) < self.changes(self.roster)
        ):
            self.replace_roster(roster, source)
            return True
        return False
