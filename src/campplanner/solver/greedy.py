"""A fast greedy roster for large instances.

The greedy fills requirements one at a time, each with the volunteers who cost least
elsewhere:

1. essential requirements first, camp by camp, the camps whose essentials are scarcest
   and whose teams are worth most first; a camp whose essential slots cannot all be
   filled is emptied again (H9) and stays cancelled;
2. then every other requirement, scarcest skill first, higher priority first.

Within a requirement, volunteers are taken in order of their *opportunity cost*
(by default the scarcity of the scarcest skill they hold; the large-scale solver passes
the Lagrangian value of each volunteer instead), then shorter travel, then index.
Every choice respects H3 to H6 against the assignments made so far, so the roster is
feasible as it is built. Everything is deterministic.
"""

from __future__ import annotations

import threading
import time

import numpy as np

from campplanner.model.baseline import Baseline
from campplanner.model.problem import Problem
from campplanner.model.rules import (
    beds_left,
    camps_with_essentials,
    enforce_essentials,
    essential_mask,
    essential_requirements,
    essentials_missing,
    runnable_camps,
)
from campplanner.model.state import RosterState, first_lock_clash
from campplanner.model.terms import coverage, secondary_terms
from campplanner.solver.options import ProgressCallback, SolveOptions
from campplanner.solver.result import Result


def skill_pressure(problem: Problem) -> np.ndarray:
    """Per skill: slots asked / volunteers who can fill at least one of them (inf if none)."""
    p = problem
    asked = np.bincount(p.requirement_skill, weights=p.requirement_count, minlength=p.num_skills)
    pairs = np.unique(p.candidate_skill.astype(np.int64) * p.num_volunteers + p.candidate_volunteer)
    holders = np.bincount(pairs // p.num_volunteers, minlength=p.num_skills)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(holders > 0, asked / np.maximum(holders, 1), np.inf)


def default_costs(problem: Problem) -> np.ndarray:
    """Per candidate: the volunteer's scarcest skill's pressure, then road km as tiebreak."""
    p = problem
    pressure = skill_pressure(p)
    # a volunteer's value elsewhere: the highest pressure among skills they can serve with
    scarcity = np.zeros(p.num_volunteers)
    np.maximum.at(scarcity, p.candidate_volunteer, np.minimum(pressure[p.candidate_skill], 1e6))
    return volunteer_costs(problem, scarcity)


def volunteer_costs(problem: Problem, value: np.ndarray) -> np.ndarray:
    """Per candidate: ``value`` of its volunteer first, road km second (small weight)."""
    p = problem
    km = p.candidate_km.astype(np.float64)
    return value[p.candidate_volunteer] * 1e4 + km / (1.0 + km.max(initial=0.0))


def greedy_roster(
    problem: Problem,
    runnable: np.ndarray,
    cost: np.ndarray | None = None,
    start: np.ndarray | None = None,
    camp_preference: np.ndarray | None = None,
    stop: threading.Event | None = None,
) -> np.ndarray | None:
    """A feasible roster (candidate indices, sorted); see the module docstring.

    ``start``, if given, is a set of assignments kept as they are (they must obey H3 to
    H6 together); the greedy completes it. Camps with ``runnable`` False stay empty.
    ``camp_preference`` (per camp, larger first) overrides the order of camps with
    essential requirements, e.g. an LP's "runs" values. When ``stop`` is set the greedy
    gives up and returns None (a half-built roster is of no use to the caller).
    """
    p = problem
    cost = default_costs(p) if cost is None else cost
    state = RosterState(p, runnable.copy())
    fixed = np.union1d(p.locked_candidates, start if start is not None else [])
    state.add(fixed.astype(np.int64))
    locked_camps = set(p.candidate_camp[p.locked_candidates].tolist())
    pressure = skill_pressure(p)
    requirement_pressure = np.minimum(pressure[p.requirement_skill], 1e6)
    pointer, order = p.requirement_candidates

    # 1. essentials, camp by camp
    essential_camps = np.flatnonzero(camps_with_essentials(p))
    camp_value = p.camp_priority * np.minimum(
        beds_left(p, np.arange(p.num_camps), 0),
        np.bincount(p.requirement_camp, weights=p.requirement_count, minlength=p.num_camps),
    )
    camp_scarcity = np.zeros(p.num_camps)
    is_essential = essential_mask(p)
    essential = np.flatnonzero(is_essential)
    np.maximum.at(camp_scarcity, p.requirement_camp[essential], requirement_pressure[essential])
    keys = [essential_camps, -camp_value[essential_camps], -camp_scarcity[essential_camps]]
    if camp_preference is not None:
        keys.append(-camp_preference[essential_camps])
    ranked = np.lexsort(keys)
    for step, camp in enumerate(essential_camps[ranked].tolist()):
        if stop is not None and step % 64 == 0 and stop.is_set():
            return None
        if not state.runnable[camp]:
            continue
        first, last = p.camp_requirements[camp], p.camp_requirements[camp + 1]
        reqs = essential_requirements(p, camp)
        reqs.sort(key=lambda r: (-requirement_pressure[r], r))
        for r in reqs:
            state.fill(r, cost)
        short = essentials_missing(p, np.array(reqs), state.filled[reqs]).any()
        if short and camp not in locked_camps:
            # H9: the camp cannot run; free everyone it holds for the other camps
            held = order[pointer[first] : pointer[last]]
            state.remove(held[state.assigned[held]])
            state.runnable[camp] = False

    # 2. the rest, scarcest first, then priority
    rest = np.flatnonzero(~is_essential)
    ranked = np.lexsort(
        (rest, -p.camp_priority[p.requirement_camp[rest]], -requirement_pressure[rest])
    )
    for step, r in enumerate(rest[ranked].tolist()):
        if stop is not None and step % 256 == 0 and stop.is_set():
            return None
        if state.runnable[p.requirement_camp[r]] and state.room(r) > 0:
            state.fill(r, cost)
    return enforce_essentials(p, state.roster)


def free_counts(problem: Problem, runnable: np.ndarray, roster: np.ndarray) -> np.ndarray:
    """Per requirement: how many candidate volunteers could still join it in ``roster``."""
    p = problem
    state = RosterState(p, runnable)
    state.add(roster)
    pointer, order = p.requirement_candidates
    free = np.zeros(p.num_requirements, dtype=np.int64)
    for r in np.flatnonzero(runnable[p.requirement_camp]).tolist():
        candidates = order[pointer[r] : pointer[r + 1]]
        candidates = candidates[~state.assigned[candidates]]
        free[r] = int(state.free(candidates, int(p.requirement_camp[r])).sum())
    return free


class GreedySolver:
    """The greedy roster alone, at once (``--method greedy``): a draft in seconds, the
    baseline the other methods are measured against, and a check that the greedy obeys
    every rule (tests run the per-rule cases on every method). No bound is claimed.

    With a published roster (``baseline``) it keeps what still holds and refills.
    """

    def __init__(
        self,
        problem: Problem,
        options: SolveOptions | None = None,
        baseline: Baseline | None = None,
    ):
        self.problem = problem
        self.options = options or SolveOptions()
        self.baseline = baseline
        self._stopped = threading.Event()

    def stop(self) -> None:
        self._stopped.set()

    def solve(
        self, progress: ProgressCallback | None = None, started: float | None = None
    ) -> Result:
        p = self.problem
        started = time.monotonic() if started is None else started
        info = {"name": "greedy"}
        if p.impossible_locks:
            return Result.impossible_locks(p.impossible_locks, info)
        if first_lock_clash(p) is not None:
            return Result.no_roster(
                "the locks do not fit together; --method exact says why", solver=info
            )
        runnable = runnable_camps(p)
        start = None
        if self.baseline is not None:
            start = enforce_essentials(p, self.baseline.kept)
            runnable[p.candidate_camp[start]] = True
        runnable[p.candidate_camp[p.locked_candidates]] = True
        roster = greedy_roster(p, runnable, start=start, stop=self._stopped)
        timings = {"total": time.monotonic() - started}
        if roster is None or not np.isin(p.locked_candidates, roster).all():
            why = "interrupted" if roster is None else "a locked camp's essential roles are short"
            return Result.no_roster(why, timings=timings, solver=info)
        value = coverage(p, roster)
        if progress is not None:
            progress(timings["total"], value, np.inf)
        terms = secondary_terms(p, roster)
        return Result(
            "feasible",
            roster,
            value,
            None,
            terms=terms,
            first_terms=terms,
            timings=timings,
            solver=info,
        )
