"""Re-planning's last step: put published people back where nothing is lost by it.

The search of a re-plan moves people to win coverage; some moves are not needed in the
end (a chain that another step made pointless), and a published assignment that could
stand again is a call the planner need not make. :func:`restore_published` walks the
published assignments missing from the roster, most valuable camp first, and for each
whose camp still runs:

- if it fits as it is (H3 to H6: the volunteer is free, a slot and a bed are left),
  it is added: one slot more covered, one change fewer;
- if its slot is full, one holder of that slot who is not published there (and not
  locked) gives it back, when the published volunteer then fits: the same coverage
  (same slot, same camp), two changes fewer;
- if the published volunteer is busy, held elsewhere by an assignment that is not
  published (nor locked), they are moved back when someone free takes their place
  there (the same slot of the same camp, published holders of it first, then the
  holder the move back displaced): the same coverage or more, at least one change
  fewer. Without this move the published people a search had moved stayed where it
  put them (on tight-22k-s1 a re-plan from the LP-guided roster kept about 1,800 such
  changes; figures: docs/benchmarks.md, issue 22).

Passes are repeated while one puts someone back (a move can make room for another).
A camp that runs has every essential slot filled (H9), and neither move empties a
slot, so the roster stays a roster. Deterministic: fixed orders, no clock but ``stop``.
"""

from __future__ import annotations

import threading

import numpy as np

from campplanner.model.problem import Problem
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
    state = RosterState(p, np.ones(p.num_camps, dtype=bool))
    state.add(np.asarray(roster, dtype=np.int64))
    is_published = np.zeros(p.num_candidates, dtype=bool)
    is_published[published] = True
    locked = np.zeros(p.num_candidates, dtype=bool)
    locked[p.locked_candidates] = True
    running = np.bincount(p.candidate_camp[roster], minlength=p.num_camps) > 0
    missing = np.asarray(published, dtype=np.int64)
    missing = missing[~state.assigned[missing] & running[p.candidate_camp[missing]]]
    # most valuable camp first, then in index order
    missing = missing[np.lexsort((missing, -p.candidate_value[missing]))]
    # per requirement, the holders who may give their slot back
    holders: dict[int, list[int]] = {}
    for j in np.flatnonzero(state.assigned & ~is_published & ~locked).tolist():
        holders.setdefault(int(p.candidate_requirement[j]), []).append(j)
    movable = ~is_published & ~locked
    while len(missing):
        for i in missing.tolist():
            if stop is not None and stop.is_set():
                return state.roster
            if not state.assigned[i]:
                _put_back(p, state, i, holders, is_published, movable)
        left = missing[~state.assigned[missing]]
        if len(left) == len(missing):
            break
        missing = left
    return state.roster


def _put_back(
    p: Problem,
    state: RosterState,
    i: int,
    holders: dict[int, list[int]],
    is_published: np.ndarray,
    movable: np.ndarray,
) -> bool:
    """Put the published assignment ``i`` back by one of the moves of the module
    docstring; whether it is back."""
    if state.fits(i):
        state.add(np.array([i]))
        return True
    if _take_slot(p, state, i, holders) is not None:
        return True
    # the volunteer is busy: move them out of an assignment that is not published, and
    # refill it
    v = int(p.candidate_volunteer[i])
    own = np.arange(p.volunteer_candidates[v], p.volunteer_candidates[v + 1])
    own = own[state.assigned[own] & movable[own]]
    for k in own.tolist():
        state.remove(np.array([k]))
        holders[int(p.candidate_requirement[k])].remove(k)
        displaced = None
        if state.fits(i):
            state.add(np.array([i]))
            placed = True
        else:
            displaced = _take_slot(p, state, i, holders)
            placed = displaced is not None
        if placed:
            x = _replacement(p, state, k, displaced, is_published)
            if x is not None:
                state.add(np.array([x]))
                if not is_published[x]:
                    holders.setdefault(int(p.candidate_requirement[x]), []).append(x)
                return True
            state.remove(np.array([i]))
            if displaced is not None:
                state.add(np.array([displaced]))
                holders[int(p.candidate_requirement[i])].append(displaced)
        state.add(np.array([k]))
        holders[int(p.candidate_requirement[k])].append(k)
    return False


def _take_slot(p: Problem, state: RosterState, i: int, holders: dict[int, list[int]]) -> int | None:
    """Give ``i`` the slot of a holder of its requirement who is not published there;
    the holder displaced, or None (nothing changed)."""
    r = int(p.candidate_requirement[i])
    for j in list(holders.get(r, ())):
        state.remove(np.array([j]))
        if state.fits(i):
            state.add(np.array([i]))
            holders[r].remove(j)
            return j
        state.add(np.array([j]))
    return None


def _replacement(
    p: Problem, state: RosterState, k: int, displaced: int | None, is_published: np.ndarray
) -> int | None:
    """Someone free for the slot ``k`` left (its requirement, at its camp): a published
    holder of it first, then the volunteer of ``displaced``, then the first in the
    requirement's order; None if nobody fits."""
    r = int(p.candidate_requirement[k])
    camp = int(p.candidate_camp[k])
    if state.room(r) <= 0:
        return None
    pointer, order = p.requirement_candidates
    candidates = order[pointer[r] : pointer[r + 1]]
    candidates = candidates[~state.assigned[candidates]]
    candidates = candidates[state.free(candidates, camp)]
    if not len(candidates):
        return None
    published = candidates[is_published[candidates]]
    if len(published):
        return int(published.min())
    if displaced is not None:
        v = p.candidate_volunteer[displaced]
        theirs = candidates[p.candidate_volunteer[candidates] == v]
        if len(theirs):
            return int(theirs[0])
    return int(candidates[0])
