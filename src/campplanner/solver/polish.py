"""Swap polish of the secondary terms: coverage stays, travel, groups and fairness improve.

A swap replaces an assigned volunteer by a free one of the same requirement (same slot,
same camp), so coverage and every rule hold (the newcomer is checked by
:class:`~campplanner.model.state.RosterState`). Each secondary term of
:mod:`campplanner.model.terms` has its exact swap delta in ``SWAP_DELTAS``, keyed by the
term's name; a swap is made when the weighted sum of the deltas is negative.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping

import numpy as np

from campplanner.model.problem import Problem
from campplanner.model.state import RosterState
from campplanner.model.terms import secondary_terms

POLISH_PASSES = 3  # passes of swaps over the roster, while they still help


class _Swaps:
    """What the deltas need to know about the roster as it changes."""

    def __init__(self, problem: Problem, roster: np.ndarray):
        p = self.problem = problem
        self.state = RosterState(p, np.ones(p.num_camps, dtype=bool))
        self.state.add(roster)
        self.km = p.candidate_km.astype(np.float64)
        self.group = p.volunteer_group.astype(np.int64)
        # members[g, c]: volunteers of group g in camp c; camps_of[g]: camps where g serves
        self.members = np.zeros((len(p.group_ids) + 1, p.num_camps), dtype=np.int64)
        volunteers = p.candidate_volunteer[roster]
        in_group = self.group[volunteers] >= 0
        np.add.at(
            self.members, (self.group[volunteers][in_group], p.candidate_camp[roster][in_group]), 1
        )
        self.camps_of = (self.members > 0).sum(axis=1)

    def move(self, leaving: int, joining: int) -> None:
        """Candidate ``leaving`` out, ``joining`` in (same camp)."""
        p = self.problem
        self.state.remove(np.array([leaving]))
        self.state.add(np.array([joining]))
        c = int(p.candidate_camp[leaving])
        for i, step in ((leaving, -1), (joining, 1)):
            h = int(self.group[p.candidate_volunteer[i]])
            if h >= 0:
                before = self.members[h, c]
                self.members[h, c] += step
                self.camps_of[h] += int(self.members[h, c] > 0) - int(before > 0)


SwapDelta = Callable[[_Swaps, int, np.ndarray], np.ndarray]


def travel_delta(s: _Swaps, leaving: int, joining: np.ndarray) -> np.ndarray:
    """Road km of the newcomer minus the leaver's."""
    return s.km[joining] - s.km[leaving]


def group_delta(s: _Swaps, leaving: int, joining: np.ndarray) -> np.ndarray:
    """Group splits: the leaver's group loses camp c if they were its only member there and
    it serves elsewhere; the newcomer's gains c if none of it is there and it serves
    elsewhere; nothing changes within one group."""
    p = s.problem
    c = int(p.candidate_camp[leaving])
    g = int(s.group[p.candidate_volunteer[leaving]])
    g_new = s.group[p.candidate_volunteer[joining]]
    leave = float(g >= 0 and s.members[g, c] == 1 and s.camps_of[g] >= 2)
    safe = np.maximum(g_new, 0)
    join = ((g_new >= 0) & (s.members[safe, c] == 0) & (s.camps_of[safe] >= 1)).astype(float)
    return np.where((g_new == g) & (g >= 0), 0.0, join - leave)


def fairness_delta(s: _Swaps, leaving: int, joining: np.ndarray) -> np.ndarray:
    """Extra camps: the leaver sheds one if they have another camp; the newcomer adds one
    if they already have a camp."""
    p = s.problem
    leave = float(s.state.load[p.candidate_volunteer[leaving]] >= 2)
    return (s.state.load[p.candidate_volunteer[joining]] >= 1).astype(float) - leave


# Every secondary term of model/terms.py, by name.
SWAP_DELTAS: dict[str, SwapDelta] = {
    "travel": travel_delta,
    "group": group_delta,
    "fairness": fairness_delta,
}


def polish(
    problem: Problem,
    roster: np.ndarray,
    weights: Mapping[str, float],
    deadline: float,
    stopped: threading.Event,
) -> np.ndarray:
    """One pass of swaps over ``roster``, each the best for its slot if it helps."""
    p = problem
    swaps = _Swaps(p, roster)
    state = swaps.state
    pointer, order = p.requirement_candidates
    locked = set(p.locked_candidates.tolist())
    for i in np.sort(roster).tolist():
        if time.monotonic() > deadline or stopped.is_set():
            break
        if i in locked:  # H10: a locked assignment stays
            continue
        r = int(p.candidate_requirement[i])
        candidates = order[pointer[r] : pointer[r + 1]]
        candidates = candidates[~state.assigned[candidates]]
        if not len(candidates):
            continue
        candidates = candidates[state.free(candidates, int(p.candidate_camp[i]))]
        if not len(candidates):
            continue
        delta = sum(
            weights[name] * SWAP_DELTAS[name](swaps, i, candidates)
            for name in SWAP_DELTAS
            if weights[name]
        )
        if np.isscalar(delta):  # every weight is 0: nothing to improve
            return state.roster
        best = int(np.argmin(delta))
        if delta[best] >= -1e-6:
            continue
        swaps.move(i, int(candidates[best]))
    return state.roster


def polish_passes(
    problem: Problem,
    roster: np.ndarray,
    weights: Mapping[str, float],
    deadline: float,
    stopped: threading.Event,
) -> np.ndarray:
    """Up to POLISH_PASSES passes of :func:`polish`, while a pass still lowers the weighted
    secondary terms and time is left."""
    value = secondary_terms(problem, roster).weighted(weights)
    for _ in range(POLISH_PASSES):
        if stopped.is_set() or time.monotonic() >= deadline:
            break
        polished = polish(problem, roster, weights, deadline, stopped)
        polished_value = secondary_terms(problem, polished).weighted(weights)
        if polished_value >= value - 1e-6:
            break
        roster, value = polished, polished_value
    return roster
