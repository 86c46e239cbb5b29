"""Re-planning's last step: put published people back where nothing is lost by it.

The search of a re-plan moves people to win coverage; some moves are not needed in the
end (a chain that another step made pointless), and a published assignment that could
stand again is a call the planner need not make. :func:`restore_published` walks the
published assignments missing from the roster, most valuable camp first, and for each
whose camp still runs:

- if it fits as it is (H3 to H6: the volunteer is free, a slot and a bed are left),
  it is added: one slot more covered, one change fewer;
- if its slot (or its camp's last bed) is taken, one holder in that camp who is not
  published there (and not locked) gives theirs back, when the published volunteer
  then fits: a holder of the same slot, or, for a bed, of any slot that is not
  essential (H9). The same coverage (coverage counts the camp's priority per person),
  two changes fewer;
- if the published volunteer is busy, held elsewhere by an assignment that is not
  published (nor locked), they are moved back when someone free takes their place
  there (the same slot, or for a slot that is not essential any open slot of that
  camp; published holders first, then the holder the move back displaced): the same
  coverage or more, at least one change fewer. Without this move the published people
  a search had moved stayed where it put them (on tight-22k-s1 a re-plan from the
  LP-guided roster kept about 1,400 such changes; figures: docs/benchmarks.md,
  issue 22).

Passes are repeated while one puts someone back (a move can make room for another).
A camp that runs has every essential slot filled (H9), and no move empties an
essential slot, so the roster stays a roster. Deterministic: fixed orders, no clock
but ``stop``.
"""

from __future__ import annotations

import threading

import numpy as np

from campplanner.model.problem import Problem
from campplanner.model.rules import essential_mask
from campplanner.model.state import RosterState


def restore_published(
    problem: Problem,
    roster: np.ndarray,
    published: np.ndarray,
    stop: threading.Event | None = None,
) -> np.ndarray:
    """``roster`` with published assignments put back where they cost no coverage (see
    the module docstring). ``published``: candidate indices of the published roster
    still possible. Returns a sorted roster covering at least as much."""
    p = problem
    restorer = _Restorer(p, np.asarray(roster, dtype=np.int64), published)
    running = np.bincount(p.candidate_camp[roster], minlength=p.num_camps) > 0
    missing = np.asarray(published, dtype=np.int64)
    missing = missing[~restorer.state.assigned[missing] & running[p.candidate_camp[missing]]]
    # most valuable camp first, then in index order
    missing = missing[np.lexsort((missing, -p.candidate_value[missing]))]
    while len(missing):
        for i in missing.tolist():
            if stop is not None and stop.is_set():
                return restorer.state.roster
            if not restorer.state.assigned[i]:
                restorer.put_back(i)
        left = missing[~restorer.state.assigned[missing]]
        if len(left) == len(missing):
            break
        missing = left
    return restorer.state.roster


class _Restorer:
    """The roster being restored, and per camp its holders who may give way (neither
    published there nor locked)."""

    def __init__(self, problem: Problem, roster: np.ndarray, published: np.ndarray):
        p = self.problem = problem
        self.state = RosterState(p, np.ones(p.num_camps, dtype=bool))
        self.state.add(roster)
        self.is_published = np.zeros(p.num_candidates, dtype=bool)
        self.is_published[published] = True
        self.movable = ~self.is_published
        self.movable[p.locked_candidates] = False
        self.essential = essential_mask(p)
        self.holders: dict[int, list[int]] = {}
        for j in np.flatnonzero(self.state.assigned & self.movable).tolist():
            self.holders.setdefault(int(p.candidate_camp[j]), []).append(j)

    def _add(self, i: int) -> None:
        self.state.add(np.array([i]))
        if self.movable[i]:
            self.holders.setdefault(int(self.problem.candidate_camp[i]), []).append(i)

    def _remove(self, i: int) -> None:
        self.state.remove(np.array([i]))
        if self.movable[i]:
            self.holders[int(self.problem.candidate_camp[i])].remove(i)

    def put_back(self, i: int) -> bool:
        """Put the published assignment ``i`` back by one of the moves of the module
        docstring; whether it is back."""
        p, state = self.problem, self.state
        if state.fits(i):
            self._add(i)
            return True
        camp = int(p.candidate_camp[i])
        if state.free(np.array([i]), camp)[0]:
            return self._take_place(i) is not None
        # the volunteer is busy: move them out of an assignment that is not published,
        # and refill it
        v = int(p.candidate_volunteer[i])
        own = np.arange(p.volunteer_candidates[v], p.volunteer_candidates[v + 1])
        own = own[state.assigned[own] & self.movable[own]]
        for k in own.tolist():
            self._remove(k)
            displaced = None
            if state.fits(i):
                self._add(i)
                placed = True
            elif state.free(np.array([i]), camp)[0]:
                displaced = self._take_place(i)
                placed = displaced is not None
            else:
                placed = False
            if placed:
                x = self._replacement(k, displaced)
                if x is not None:
                    self._add(x)
                    return True
                self._remove(i)
                if displaced is not None:
                    self._add(displaced)
            self._add(k)
        return False

    def _take_place(self, i: int) -> int | None:
        """Give ``i`` (whose volunteer is free for it) the place of a holder in its camp:
        of its own slot when the slot is full, else of any slot but an essential one
        (the camp's beds are full); the holder displaced, or None (nothing changed)."""
        p, state = self.problem, self.state
        r = int(p.candidate_requirement[i])
        camp = int(p.candidate_camp[i])
        candidates = self.holders.get(camp, [])
        if state.slots_left[r] <= 0:
            candidates = [j for j in candidates if p.candidate_requirement[j] == r]
        else:
            candidates = [
                j
                for j in candidates
                if p.candidate_requirement[j] == r or not self.essential[p.candidate_requirement[j]]
            ]
        for j in candidates:
            self._remove(j)
            if state.fits(i):
                self._add(i)
                return j
            self._add(j)
        return None

    def _replacement(self, k: int, displaced: int | None) -> int | None:
        """Someone free for the place ``k`` left in its camp: in the same slot, or for
        a slot that is not essential in any open slot of the camp (same coverage); a
        published holder first, then the volunteer of ``displaced``, then the first in
        the requirement's order. None if nobody fits."""
        p, state = self.problem, self.state
        r = int(p.candidate_requirement[k])
        camp = int(p.candidate_camp[k])
        requirements = [r]
        if not self.essential[r]:
            first, last = p.camp_requirements[camp], p.camp_requirements[camp + 1]
            requirements += [s for s in range(first, last) if s != r]
        pointer, order = p.requirement_candidates
        found: list[np.ndarray] = []
        for s in requirements:
            if state.room(s) <= 0:
                continue
            candidates = order[pointer[s] : pointer[s + 1]]
            candidates = candidates[~state.assigned[candidates]]
            candidates = candidates[state.free(candidates, camp)]
            if len(candidates):
                found.append(candidates)
        if not found:
            return None
        every = np.concatenate(found)
        published = every[self.is_published[every]]
        if len(published):
            return int(published[0])
        if displaced is not None:
            theirs = every[p.candidate_volunteer[every] == p.candidate_volunteer[displaced]]
            if len(theirs):
                return int(theirs[0])
        return int(every[0])
