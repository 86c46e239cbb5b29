"""A roster under construction, checked against the roster rules as it grows.

:class:`RosterState` keeps what H3 to H6 need to decide in O(1) per person whether one
more assignment fits: each volunteer's camps and load (H3, H4, H5), slots and beds left
(H6). The greedy, the swap polish, the large-neighbourhood search and re-planning all
build rosters through it, so a roster rule added to :mod:`campplanner.model.rules` is
added to them all here. H9 (essential roles) is a property of the finished roster:
:func:`campplanner.model.rules.enforce_essentials`. H10's locks are where a roster
starts from.
"""

from __future__ import annotations

import numpy as np

from campplanner.model.problem import Problem
from campplanner.model.rules import conflict_window


class RosterState:
    """A roster under construction with what H3 to H6 need to check a new assignment."""

    def __init__(self, problem: Problem, runnable: np.ndarray):
        p = self.problem = problem
        self.runnable = runnable
        self.load = np.zeros(p.num_volunteers, dtype=np.int64)
        self.max_load = int(p.volunteer_max_camps.max()) if p.num_volunteers else 1
        self.camps_of = np.full((p.num_volunteers, max(self.max_load, 1)), -1, dtype=np.int64)
        self.camp_of_slot = np.full((p.num_volunteers, max(self.max_load, 1)), -1, dtype=np.int64)
        self.beds_left = p.camp_capacity.astype(np.int64).copy()
        self.slots_left = p.requirement_count.astype(np.int64).copy()
        self.assigned = np.zeros(p.num_candidates, dtype=bool)
        self.first, self.reach = conflict_window(p)  # H3, H4 as intervals

    def free(self, candidates: np.ndarray, camp: int) -> np.ndarray:
        """Mask over ``candidates`` (all of one camp): who can still join ``camp`` without
        breaking H5 (load) or H3/H4 (a camp of theirs is this one or conflicts with it).
        The caller checks H6 (``slots_left``, ``beds_left``)."""
        p = self.problem
        volunteers = p.candidate_volunteer[candidates]
        ok = self.load[volunteers] < p.volunteer_max_camps[volunteers]
        held = self.camps_of[volunteers]
        busy = held >= 0
        safe = np.maximum(held, 0)
        clash = (
            busy & (self.first[safe] <= self.reach[camp]) & (self.first[camp] <= self.reach[safe])
        )
        return ok & ~clash.any(axis=1)

    def fits(self, candidate: int) -> bool:
        """True if one more assignment, ``candidate``, keeps H3 to H6 (and its camp may run)."""
        p = self.problem
        camp = int(p.candidate_camp[candidate])
        return bool(
            self.free(np.array([candidate]), camp)[0]
            and self.beds_left[camp] > 0
            and self.slots_left[p.candidate_requirement[candidate]] > 0
        )

    def add(self, candidates: np.ndarray) -> None:
        p = self.problem
        for i in candidates.tolist():
            v = int(p.candidate_volunteer[i])
            c = int(p.candidate_camp[i])
            self.camps_of[v, self.load[v]] = c
            self.load[v] += 1
            self.beds_left[c] -= 1
            self.slots_left[p.candidate_requirement[i]] -= 1
            self.assigned[i] = True

    def remove(self, candidates: np.ndarray) -> None:
        p = self.problem
        for i in candidates.tolist():
            v = int(p.candidate_volunteer[i])
            c = int(p.candidate_camp[i])
            row = self.camps_of[v]
            keep = row[row != c]
            row[:] = -1
            row[: len(keep)] = keep
            self.load[v] -= 1
            self.beds_left[c] += 1
            self.slots_left[p.candidate_requirement[i]] += 1
            self.assigned[i] = False

    def fill(self, requirement: int, cost: np.ndarray, limit: int | None = None) -> np.ndarray:
        """Assign the cheapest free candidates of ``requirement``; returns those added."""
        p = self.problem
        camp = int(p.requirement_camp[requirement])
        want = min(int(self.slots_left[requirement]), int(self.beds_left[camp]))
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
