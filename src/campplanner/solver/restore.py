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
  (same slot, same camp), two changes fewer.

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
    for i in missing.tolist():
        if stop is not None and stop.is_set():
            break
        if state.fits(i):
            state.add(np.array([i]))
            continue
        for j in list(holders.get(int(p.candidate_requirement[i]), ())):
            state.remove(np.array([j]))
            if state.fits(i):
                state.add(np.array([i]))
                holders[int(p.candidate_requirement[i])].remove(j)
                break
            state.add(np.array([j]))
    return state.roster
