"""What would run a cancelled camp: the fewest changes that fill its essential roles.

A camp is cancelled when its essential roles (H9) cannot all be filled, or when filling
them costs more coverage elsewhere than the camp brings. A planner who wants it to run
anyway asks: *who* would have to come, from *where*, and what does the season lose?

The answer is one step of the neighbourhood search (:mod:`campplanner.solver.lns`)
with the camp forced to run: the camp and the camps that hold the people qualified
for its essential roles are freed, and the exact model's own rules (every
``add_<rule>``, so H1 to H10 hold, beds included) staff them again, the rest of the
roster fixed. The objective is the re-plan's: coverage first, then as few changes as
possible against the roster. Every change is reported, the people who join the camp
and the people who leave other camps for it, and the camps that stop running because
of it, so that nothing the suggestion costs is hidden. The neighbourhood grows until
the camp can run in it or the largest one has been tried; the search ends on
deterministic work, so the same roster always gives the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from campplanner.model.problem import Problem
from campplanner.model.rules import (
    camps_short_of_essentials,
    essential_requirements,
    essential_short_of_candidates,
)
from campplanner.model.terms import coverage
from campplanner.solver.lns import Lns, LnsOptions, SubModel

SIZES = (8, 16, 32)  # camps in the neighbourhood, tried in turn
# Why a camp cannot be made to run, in English (the page words the keys in Persian too).
WHY_NOT = {
    "runs_already": "the camp runs already",
    "too_few_qualified": "too few people are qualified and free on its dates for an "
    "essential role, whatever else moves",
    "not_found": f"no roster found that runs it by moving the people of up to {SIZES[-1]} camps",
}
STEP_WORK = 5.0  # CP-SAT deterministic seconds per try


@dataclass(frozen=True)
class Move:
    """One volunteer whose assignments change: ``left`` and ``joined`` are requirement
    indices (a requirement names its camp and role); ``joins_camp``: they come to the
    camp asked about."""

    volunteer: int
    left: tuple[int, ...] = ()
    joined: tuple[int, ...] = ()
    joins_camp: bool = False


@dataclass(frozen=True)
class ToRun:
    """The fewest changes that make ``camp`` run, and what they cost."""

    camp: int
    runs: bool  # False: no roster found in which the camp runs (``why_not`` says why)
    # why_not is a key (WHY_NOT's), worded by each front end in its language
    moves: tuple[Move, ...] = ()
    coverage_before: int = 0
    coverage_after: int = 0
    stops: tuple[int, ...] = ()  # camps that ran and would be cancelled
    starts: tuple[int, ...] = ()  # other camps that would run too
    why_not: str | None = None
    roster: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64), repr=False)

    @property
    def coverage_change(self) -> int:
        return self.coverage_after - self.coverage_before

    @property
    def joining(self) -> tuple[Move, ...]:
        """The people who come to the camp (from another camp or from none)."""
        return tuple(m for m in self.moves if m.joins_camp)


def what_would_run(problem: Problem, roster: np.ndarray, camp: int, seed: int = 0) -> ToRun:
    """The fewest changes to ``roster`` (candidate indices) that make ``camp`` run."""
    p = problem
    roster = np.asarray(roster, dtype=np.int64)
    if np.isin(p.candidate_camp[roster], [camp]).any():
        return ToRun(camp, True, why_not="runs_already", roster=roster)
    short_of_candidates = essential_short_of_candidates(p)
    if any(short_of_candidates[r] for r in essential_requirements(p, camp)):
        return ToRun(
            camp,
            False,
            why_not="too_few_qualified",
        )
    before = coverage(p, roster)
    essentials = np.array(essential_requirements(p, camp), dtype=np.int64)
    # the search's state and neighbourhoods, built once (a season's take seconds)
    search = Lns(p, roster, LnsOptions(seed=seed), published=roster)
    for size in SIZES:
        found = _try(search, roster, camp, essentials, size, seed)
        if found is not None:
            return _described(p, roster, camp, found, before)
    return ToRun(
        camp,
        False,
        coverage_before=before,
        why_not="not_found",
    )


def _try(
    search: Lns, roster: np.ndarray, camp: int, essentials: np.ndarray, size: int, seed: int
) -> np.ndarray | None:
    """One neighbourhood of ``size`` camps around ``camp``, solved with the camp forced
    to run; the whole new roster, or None. ``search`` holds ``roster`` before and after."""
    p = search.problem
    camps = search.with_rivals(camp, essentials, size)
    in_camps = np.zeros(p.num_camps, dtype=bool)
    in_camps[camps] = True
    freed = roster[in_camps[p.candidate_camp[roster]]]
    search.state.remove(freed)
    try:
        candidates = np.union1d(search.sub_candidates(camps, freed), freed)
        model = SubModel(p, candidates, search.state, search.agreement)
    finally:
        search.state.add(freed)  # the state holds the whole roster again
    if camp not in model.runs:
        return None
    model.model.add(model.runs[camp] == 1)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = STEP_WORK
    solver.parameters.catch_sigint_signal = False
    status = solver.solve(model.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    chosen = candidates[[solver.boolean_value(v) for v in model.x]]
    kept = roster[~in_camps[p.candidate_camp[roster]]]
    new = np.sort(np.concatenate((kept, chosen)))
    # the sub-model keeps H9 only in the camps it holds; check the whole roster's
    short = camps_short_of_essentials(p, new)
    running = np.zeros(p.num_camps, dtype=bool)
    running[p.candidate_camp[new]] = True
    if (short & running).any() or not running[camp]:
        return None
    return new


def _described(p: Problem, roster: np.ndarray, camp: int, new: np.ndarray, before: int) -> ToRun:
    """Every change from ``roster`` to ``new``, per volunteer, and the camps it stops
    or starts."""
    gone = np.setdiff1d(roster, new)
    came = np.setdiff1d(new, roster)
    people = sorted(set(p.candidate_volunteer[np.concatenate((gone, came))].tolist()))
    moves = []
    for v in people:
        left = tuple(int(p.candidate_requirement[i]) for i in gone if p.candidate_volunteer[i] == v)
        joined = [i for i in came if p.candidate_volunteer[i] == v]
        moves.append(
            Move(
                v,
                left,
                tuple(int(p.candidate_requirement[i]) for i in joined),
                any(int(p.candidate_camp[i]) == camp for i in joined),
            )
        )
    ran = np.zeros(p.num_camps, dtype=bool)
    ran[p.candidate_camp[roster]] = True
    runs = np.zeros(p.num_camps, dtype=bool)
    runs[p.candidate_camp[new]] = True
    return ToRun(
        camp,
        True,
        tuple(moves),
        before,
        coverage(p, new),
        tuple(np.flatnonzero(ran & ~runs).tolist()),
        tuple(c for c in np.flatnonzero(runs & ~ran).tolist() if c != camp),
        roster=new,
    )
