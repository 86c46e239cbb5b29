"""A roster under construction, checked against the roster rules as it grows.

:class:`RosterState` keeps the facts the roster rules read (each volunteer's camps, the
people in each camp, the slots taken of each requirement) and asks the rules of
:mod:`campplanner.model.rules` whether one more assignment fits: the conflict window
(H3, H4), the camp limit (H5), the slots and beds left (H6). The greedy, the swap
polish, the large-neighbourhood search (whose sub-models take a state as the fixed rest
of the roster) and re-planning all build rosters through it. H9 (essential roles) is a
property of the finished roster: :func:`campplanner.model.rules.enforce_essentials`.
H10's locks are where a roster starts from.
"""

from __future__ import annotations

import numpy as np

from campplanner.model.problem import Problem
from campplanner.model.rules import beds_left, camps_left, conflict_window, slots_left, windows_meet


class RosterState:
    """A roster under construction with what H3 to H6 need to check a new assignment."""

    def __init__(self, problem: Problem, runnable: np.ndarray):
        p = self.problem = problem
        self.runnable = runnable
        self.load = np.zeros(p.num_volunteers, dtype=np.int64)  # camps joined
        self.people = np.zeros(p.num_camps, dtype=np.int64)
        self.filled = np.zeros(p.num_requirements, dtype=np.int64)
        # each volunteer's camps, -1 padded; as wide as the camp limit allows (it grows
        # if a roster handed in holds more)
        most = int(camps_left(p, np.arange(p.num_volunteers), 0).max()) if p.num_volunteers else 1
        self.camps_of = np.full((p.num_volunteers, max(1, min(most, p.num_camps))), -1, np.int64)
        self.assigned = np.zeros(p.num_candidates, dtype=bool)
        self.first, self.reach = conflict_window(p)  # H3, H4 as windows

    @property
    def slots_left(self) -> np.ndarray:
        """Per requirement: how many more it takes (H6 slots)."""
        return slots_left(self.problem, np.arange(self.problem.num_requirements), self.filled)

    @property
    def beds_left(self) -> np.ndarray:
        """Per camp: how many more people it hosts (H6 beds)."""
        return beds_left(self.problem, np.arange(self.problem.num_camps), self.people)

    def room(self, requirement: int) -> int:
        """How many more volunteers ``requirement`` takes now: its slots and its camp's
        beds left (H6), whichever is fewer."""
        camp = int(self.problem.requirement_camp[requirement])
        slots = slots_left(self.problem, requirement, self.filled[requirement])
        return int(min(slots, beds_left(self.problem, camp, self.people[camp])))

    def clashes(self, volunteers: np.ndarray, camps: np.ndarray | int) -> np.ndarray:
        """Mask over ``volunteers``: a camp they hold is ``camps`` (one camp, or one per
        volunteer) or its window meets it (H3, H4)."""
        held = self.camps_of[volunteers]
        safe = np.maximum(held, 0)
        camps = np.asarray(camps)
        if camps.ndim:
            camps = camps[:, None]
        meet = windows_meet(
            self.first[safe], self.reach[safe], self.first[camps], self.reach[camps]
        )
        return (meet & (held >= 0)).any(axis=1)

    def free(self, candidates: np.ndarray, camp: int) -> np.ndarray:
        """Mask over ``candidates`` (all of one camp): who can still join ``camp`` without
        breaking H5 (the camp limit) or H3/H4 (a camp of theirs is this one or conflicts
        with it). The caller checks H6 (:meth:`room`)."""
        volunteers = self.problem.candidate_volunteer[candidates]
        below_limit = camps_left(self.problem, volunteers, self.load[volunteers]) > 0
        return below_limit & ~self.clashes(volunteers, camp)

    def fits(self, candidate: int) -> bool:
        """True if one more assignment, ``candidate``, keeps H3 to H6."""
        p = self.problem
        camp = int(p.candidate_camp[candidate])
        return bool(
            self.room(int(p.candidate_requirement[candidate])) > 0
            and self.free(np.array([candidate]), camp)[0]
        )

    def add(self, candidates: np.ndarray) -> None:
        p = self.problem
        for i in np.asarray(candidates, dtype=np.int64).tolist():
            v = int(p.candidate_volunteer[i])
            c = int(p.candidate_camp[i])
            if self.load[v] == self.camps_of.shape[1]:
                self.camps_of = np.pad(self.camps_of, ((0, 0), (0, 1)), constant_values=-1)
            self.camps_of[v, self.load[v]] = c
            self.load[v] += 1
            self.people[c] += 1
            self.filled[p.candidate_requirement[i]] += 1
            self.assigned[i] = True

    def remove(self, candidates: np.ndarray) -> None:
        p = self.problem
        for i in np.asarray(candidates, dtype=np.int64).tolist():
            v = int(p.candidate_volunteer[i])
            c = int(p.candidate_camp[i])
            row = self.camps_of[v]
            keep = row[row != c]
            row[:] = -1
            row[: len(keep)] = keep
            self.load[v] -= 1
            self.people[c] -= 1
            self.filled[p.candidate_requirement[i]] -= 1
            self.assigned[i] = False

    def fill(self, requirement: int, cost: np.ndarray, limit: int | None = None) -> np.ndarray:
        """Assign the cheapest free candidates of ``requirement``; returns those added."""
        p = self.problem
        camp = int(p.requirement_camp[requirement])
        want = self.room(requirement)
        if limit is not None:
            want = min(want, limit)
        if want <= 0 or not self.runnable[camp]:
            return np.zeros(0, dtype=np.int64)
        pointer, order = p.requirement_candidates
        candidates = order[pointer[requirement] : pointer[requirement + 1]]
        candidates = candidates[self.free(candidates, camp)]
        if len(candidates) > want:
            candidates = _cheapest(candidates, cost, want)
        self.add(candidates)
        return candidates

    @property
    def roster(self) -> np.ndarray:
        return np.flatnonzero(self.assigned)


def _cheapest(candidates: np.ndarray, cost: np.ndarray, want: int) -> np.ndarray:
    order = np.lexsort((candidates, cost[candidates]))
    return candidates[order[:want]]


def first_lock_clash(problem: Problem) -> int | None:
    """Position in ``locked_candidates`` of the first lock that breaks H3 to H6 together
    with the locks before it, or None when they all fit together."""
    state = RosterState(problem, np.ones(problem.num_camps, dtype=bool))
    for position, i in enumerate(problem.locked_candidates.tolist()):
        if not state.fits(i):
            return position
        state.add(np.array([i]))
    return None
