"""Re-planning a full season from its published roster: the exact model on a neighbourhood.

After a published roster, most of it stays. The exact CP-SAT model (coverage first, then
fewest changes, then the secondary terms) is solved on a *restricted* problem whose
candidates are:

- every published assignment that is still possible (so each may stay or go);
- every candidate of a requirement that lost a published assignment (the slots to
  refill), of every requirement of the same skills anywhere (so that a person pulled
  from another camp can be replaced there in turn), and of every requirement of a camp
  added since (one the published roster
  neither staffed nor cancelled; solution files written by campplanner list their
  cancelled camps, and without that list no camp counts as new);
- the locks.

Everything outside is fixed at "not assigned". The restricted problem has tens of
thousands of candidates where the season has millions, so it solves in seconds, and
every roster of it is a roster of the season (fewer candidates, same rules). Its
optimum is the best re-plan *within the neighbourhood*; the coverage bound reported is
the season's Lagrangian bound (:class:`campplanner.solver.bounds.LagrangianBound`),
a proof for the whole instance.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import numpy as np

from campplanner.model.baseline import Baseline
from campplanner.model.problem import Problem
from campplanner.model.rules import enforce_essentials, runnable_camps
from campplanner.result import Result
from campplanner.solver.bounds import LagrangianBound, restricted_lp
from campplanner.solver.cpsat import CpSatSolver
from campplanner.solver.greedy import free_counts, greedy_roster
from campplanner.solver.options import ProgressCallback, SolveOptions


def neighbourhood(problem: Problem, baseline: Baseline) -> np.ndarray:
    """Sorted candidate indices of the re-planning neighbourhood (see the module doc)."""
    published = baseline.kept
    keep = np.zeros(problem.num_candidates, dtype=bool)
    keep[published] = True
    keep[problem.locked_candidates] = True

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
    # A requirement that lost someone to a dropped assignment whose camp is gone is not
    # vacated; the volunteer's other assignments stay in through `published`.
    if vacated:
        keep |= np.isin(problem.candidate_requirement, np.fromiter(vacated, dtype=np.int64))
        # Every candidate of the skills that lost someone, so that refilling a slot can
        # pull a person from another camp, which is refilled in turn (chains of moves);
        # such skills are the scarce ones, with few candidates in a whole season.
        lost_skills = np.unique(problem.requirement_skill[np.fromiter(vacated, dtype=np.int64)])
        keep |= np.isin(problem.candidate_skill, lost_skills)
    return np.flatnonzero(keep)


def repair(problem: Problem, kept: np.ndarray, stop: threading.Event) -> np.ndarray | None:
    """What stays of the published roster, completed by the greedy of the large method.

    Camps that lost an essential person get one if someone is free, else they are
    cancelled and their people freed; then empty slots anywhere are filled by free
    people. It is the re-plan's first roster: few changes, most of the coverage back.
    """
    # The greedy keeps its start as it is, so start from a roster that obeys H9.
    start = enforce_essentials(problem, kept)
    runnable = runnable_camps(problem)
    runnable[problem.candidate_camp[start]] = True
    return greedy_roster(problem, runnable, start=start, stop=stop)


class NeighbourhoodReplanner:
    """Exact re-planning on a neighbourhood of the published roster (see the module doc)."""

    def __init__(self, problem: Problem, options: SolveOptions, baseline: Baseline):
        self.problem = problem
        self.options = options
        self.baseline = baseline
        self._inner: CpSatSolver | None = None
        self._stopped = threading.Event()

    def stop(self) -> None:
        self._stopped.set()
        if self._inner is not None:
            self._inner.stop()

    def solve(
        self, progress: ProgressCallback | None = None, started: float | None = None
    ) -> Result:
        started = time.monotonic() if started is None else started
        problem = self.problem
        repaired = repair(problem, self.baseline.kept, self._stopped)
        subset = neighbourhood(problem, self.baseline)
        if repaired is not None:
            subset = np.union1d(subset, repaired)
        position = np.full(problem.num_candidates, -1, dtype=np.int64)
        position[subset] = np.arange(len(subset))
        small = problem.restricted(subset)
        baseline = replace(self.baseline, kept=np.sort(position[self.baseline.kept]))
        start = None if repaired is None else np.sort(position[repaired])
        self._inner = CpSatSolver(small, self.options, baseline=baseline, start=start)
        if self._stopped.is_set():
            self._inner.stop()
        result = self._inner.solve(progress, started)
        assigned = np.sort(subset[result.assigned]) if result.has_roster else result.assigned
        bound = result.coverage_bound
        timings = dict(result.timings)
        if result.has_roster:
            bound_started = time.monotonic()
            bound = self._season_bound(result.coverage, started)
            timings["bound"] = time.monotonic() - bound_started
        status = result.status
        if result.has_roster:
            status = "optimal" if bound is not None and bound <= result.coverage else "feasible"
        solver = {**result.solver, "name": "cp-sat on the re-planning neighbourhood",
                  "neighbourhood_candidates": len(subset)}  # fmt: skip
        return replace(result, status=status, assigned=assigned, coverage_bound=bound,
                       timings=timings, solver=solver)  # fmt: skip

    def _season_bound(self, coverage: int | None, started: float) -> int | None:
        """A proven upper bound on the season's coverage (Lagrangian, see bounds.py)."""
        problem = self.problem
        bounds = LagrangianBound(problem)
        bounds.offer(*bounds.initial_multipliers())
        deadline = started + self.options.time_limit
        remaining = deadline - time.monotonic()
        if remaining > 2.0 and not self._stopped.is_set() and coverage != bounds.bound:
            runnable = runnable_camps(problem)
            roster = self.baseline.kept
            lp = restricted_lp(problem, runnable, free_counts(problem, runnable, roster) >= 5,
                               remaining)  # fmt: skip
            if lp is not None:
                bounds.offer(lp.lam, lp.mu)
        return bounds.bound
