"""The first roster of every method: a plain greedy over all candidate triples.

Candidates are sorted once by

1. essential slot first (a camp runs only if its essential slots are filled, H9);
2. higher camp priority first (each filled slot is worth the camp's priority);
3. the volunteer with fewer candidate triples first (they have fewer other uses);
4. candidate index (a fixed tie-break: the roster is deterministic),

and each is taken if it still fits every rule against what is taken already: H3 one
role per camp, H4 rest between camps, H5 load, H6 slots and beds (locks come first,
H10). Then the camps left short of an essential role are cancelled (H9) and their
people freed. The pass is repeated with the cancelled camps closed, so that the scarce
people they held serve elsewhere, while coverage rises; finally open slots of camps
that run are refilled by free people.

It needs no LP and no CP-SAT: on a 22,000-volunteer season with five million
candidates a pass takes a few seconds in plain Python, each candidate rejected in
a handful of list lookups once its requirement is full.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable

import numpy as np

from campplanner.model.problem import Problem
from campplanner.model.rules import (
    beds_left,
    camps_left,
    camps_with_essentials,
    conflict_window,
    enforce_essentials,
    essential_mask,
    runnable_camps,
    slots_left,
    windows_meet,
)
from campplanner.model.terms import coverage

MAX_PASSES = 4  # passes with the cancelled camps closed; most of the gain is in the second
_CHUNK = 32_768  # candidates per numpy filter, and between two looks at the stop event


def greedy_order(
    problem: Problem, prefer: np.ndarray | None = None, among: np.ndarray | None = None
) -> np.ndarray:
    """Candidate indices in the greedy's order (see the module docstring).

    ``prefer`` (bool per candidate, e.g. a published roster) puts the preferred
    candidates first among those of equal essentiality and priority: when re-planning,
    the published holders keep their slots unless a more valuable camp needs them:
    putting them before priority costs coverage for few changes saved
    (figures: docs/benchmarks.md). ``among`` (ascending candidate indices): only
    these, in the same relative order as in the whole order."""
    p = problem
    chosen = np.arange(p.num_candidates, dtype=np.int64) if among is None else among
    if not len(chosen):
        return np.zeros(0, dtype=np.int64)
    # One int64 key, compared digit by digit: (not essential, -value, not preferred,
    # candidates of the volunteer), ties by index (a stable sort). The same order as a
    # lexsort of the four keys, and faster on a season's candidates
    # (figures: docs/benchmarks.md).
    volunteers = p.candidate_volunteer[chosen]
    per_volunteer = np.diff(p.volunteer_candidates)[volunteers].astype(np.int64)
    value = p.candidate_value[chosen].astype(np.int64)
    key = (~essential_mask(p)[p.candidate_requirement[chosen]]).astype(np.int64)
    key = key * (int(value.max()) - int(value.min()) + 1) + (int(value.max()) - value)
    key = key * 2 + (0 if prefer is None else (~prefer[chosen]).astype(np.int64))
    key = key * (int(per_volunteer.max()) + 1) + per_volunteer
    # the position as the last digit: sorting the values is faster than a stable argsort
    n = len(chosen)
    key = key * n + np.arange(n, dtype=np.int64)
    key.sort()
    return chosen[key % n]


class GreedyPass:
    """Passes over the candidates in the greedy's order.

    :class:`campplanner.model.state.RosterState` asks the same rules (H3 to H6) for
    numpy batches; a pass over single candidates needs scalar lookups, which Python
    lists do ten times faster: the room the rules leave is counted down in lists, and
    the window is asked of ``rules.windows_meet`` on plain numbers. The order is walked
    in chunks: numpy first drops the candidates whose slot, camp or volunteer is
    already full (most of them, once the first camps are staffed), and the rest are
    checked one by one.
    """

    def __init__(self, problem: Problem, order: np.ndarray | None = None):
        p = self.problem = problem
        self.order = greedy_order(p) if order is None else order
        self.volunteer = p.candidate_volunteer[self.order]
        self.requirement = p.candidate_requirement[self.order]
        self.camp = p.requirement_camp[self.requirement]
        first, reach = conflict_window(p)  # H3, H4 as plain numbers for the scalar pass
        self.first, self.reach = first.tolist(), reach.tolist()
        self.camp_of = p.requirement_camp.astype(np.int64).tolist()

    def for_problem(self, problem: Problem) -> GreedyPass:
        """The same passes over ``problem``, a problem with the same candidates in the
        same order whose loads, capacities or locks differ (:meth:`Problem.unavailable`):
        the arrays of the order are shared, not rebuilt (a stress run's re-plan)."""
        twin = copy.copy(self)
        twin.problem = problem
        return twin

    def run(
        self,
        open_camps: np.ndarray,
        start: np.ndarray | None = None,
        stop: threading.Event | None = None,
    ) -> tuple[np.ndarray, bool]:
        """(the candidates taken, whether the pass ran to its end), before H9.

        ``start`` and the locks are taken first and kept as they are, even in closed
        camps. What is taken obeys H3 to H6 at every moment, so a pass cut short by
        ``stop`` still gives a roster once H9 is enforced.
        """
        p = self.problem
        # the room the rules leave an empty roster (H5 camps, H6 slots and beds), counted
        # down as people are taken
        open_requirement = open_camps[p.requirement_camp]
        slots = slots_left(p, np.arange(p.num_requirements), 0)
        slots = np.where(open_requirement, slots, 0).tolist()
        beds = beds_left(p, np.arange(p.num_camps), 0).tolist()
        load_left = camps_left(p, np.arange(p.num_volunteers), 0).tolist()
        held: list[list[int]] = [[] for _ in range(p.num_volunteers)]
        first, reach, camp_of = self.first, self.reach, self.camp_of
        taken: list[int] = []
        fixed = np.union1d(p.locked_candidates, start if start is not None else [])
        for i in fixed.astype(np.int64).tolist():
            v, r = int(p.candidate_volunteer[i]), int(p.candidate_requirement[i])
            c = camp_of[r]
            slots[r] -= 1  # may go below 0 in a closed camp: then it stays closed
            beds[c] -= 1
            load_left[v] -= 1
            held[v].append(c)
            taken.append(i)
        # The same counts as arrays, kept in step with the lists, for the numpy filter:
        # converting the lists for each chunk cost a second per pass on a season.
        slots_array = np.array(slots, dtype=np.int64)
        beds_array = np.array(beds, dtype=np.int64)
        loads_array = np.array(load_left, dtype=np.int64)
        for chunk in range(0, len(self.order), _CHUNK):
            if stop is not None and stop.is_set():
                return np.unique(np.array(taken, dtype=np.int64)), False
            window = slice(chunk, chunk + _CHUNK)
            requirement = self.requirement[window]
            volunteer = self.volunteer[window]
            alive = (slots_array[requirement] > 0) & (beds_array[self.camp[window]] > 0)
            alive &= loads_array[volunteer] > 0
            survivors = np.flatnonzero(alive)
            for i, v, r in zip(
                self.order[window][survivors].tolist(),
                volunteer[survivors].tolist(),
                requirement[survivors].tolist(),
                strict=True,
            ):
                c = camp_of[r]
                if slots[r] <= 0 or beds[c] <= 0 or load_left[v] <= 0:
                    continue
                # H3 and H4: the same camp, or windows that meet
                start_c, reach_c = first[c], reach[c]
                if any(windows_meet(first[h], reach[h], start_c, reach_c) for h in held[v]):
                    continue
                slots[r] -= 1
                beds[c] -= 1
                load_left[v] -= 1
                slots_array[r] -= 1
                beds_array[c] -= 1
                loads_array[v] -= 1
                held[v].append(c)
                taken.append(i)
        return np.unique(np.array(taken, dtype=np.int64)), True


def greedy_pass(
    problem: Problem,
    order: np.ndarray,
    open_camps: np.ndarray,
    start: np.ndarray | None = None,
    stop: threading.Event | None = None,
) -> tuple[np.ndarray, bool]:
    """One pass of :class:`GreedyPass` over ``order``."""
    return GreedyPass(problem, order).run(open_camps, start, stop)


def plain_greedy(problem: Problem) -> np.ndarray:
    """The plain greedy of issue 13: one pass, then cancel the camps short of an essential
    role (H9). The baseline every method must meet."""
    open_camps = runnable_camps(problem)
    open_camps[problem.candidate_camp[problem.locked_candidates]] = True
    taken, _ = greedy_pass(problem, greedy_order(problem), open_camps)
    return enforce_essentials(problem, taken)


def first_roster(
    problem: Problem,
    stop: threading.Event | None = None,
    prefer: np.ndarray | None = None,
    on_roster: Callable[[np.ndarray], object] | None = None,
    passes: GreedyPass | None = None,
) -> np.ndarray:
    """The plain greedy, repeated with the camps it cancelled closed while that raises
    coverage, then a refill of the open slots of running camps. Never worse than
    :func:`plain_greedy` (its first pass is that greedy).

    When ``stop`` is set it returns at once with the best roster so far: if the first
    pass was not over, what it had taken (with H9 enforced), a valid roster too.
    Locks are in every roster it returns only if their camps' essential slots could be
    filled; the caller checks. ``prefer``: see :func:`greedy_order`. ``on_roster`` is
    called with the roster of each pass that raises coverage, as soon as it exists.
    ``passes``: a :class:`GreedyPass` already built (its order is then used as it is).
    """
    p = problem
    if passes is None:
        passes = GreedyPass(p, greedy_order(p, prefer))
    open_camps = runnable_camps(p)
    locked_camps = np.unique(p.candidate_camp[p.locked_candidates])
    open_camps[locked_camps] = True
    best: np.ndarray | None = None
    best_coverage = -1
    for _ in range(MAX_PASSES):
        taken, complete = passes.run(open_camps, stop=stop)
        roster = enforce_essentials(p, taken)
        if not complete:
            return roster if best is None or coverage(p, roster) > best_coverage else best
        roster_coverage = coverage(p, roster)
        if roster_coverage <= best_coverage:
            break
        best, best_coverage = roster, roster_coverage
        if on_roster is not None:
            on_roster(roster)
        # close the camps this pass cancelled (they held scarce people for nothing)
        running = np.zeros(p.num_camps, dtype=bool)
        running[p.candidate_camp[roster]] = True
        cancelled = open_camps & ~running & _started(p, taken)
        cancelled[locked_camps] = False
        if not cancelled.any():
            break
        open_camps &= ~cancelled
    assert best is not None
    return refill(p, best, passes, stop)


def _started(problem: Problem, taken: np.ndarray) -> np.ndarray:
    """Camps that got someone in a pass (before H9): those H9 cancelled were started."""
    started = np.zeros(problem.num_camps, dtype=bool)
    started[problem.candidate_camp[taken]] = True
    return started


def refill(
    problem: Problem,
    roster: np.ndarray,
    passes: GreedyPass | None = None,
    stop: threading.Event | None = None,
) -> np.ndarray:
    """``roster`` with the open slots of the camps it runs filled by free people, in the
    greedy's order. Camps it does not run stay closed, so H9 holds as before."""
    p = problem
    passes = GreedyPass(p) if passes is None else passes
    open_camps = np.zeros(p.num_camps, dtype=bool)
    open_camps[p.candidate_camp[roster]] = True
    # a camp without essential slots runs with anyone in it
    open_camps |= runnable_camps(p) & ~camps_with_essentials(p)
    taken, _ = passes.run(open_camps, start=roster, stop=stop)
    return enforce_essentials(p, taken)
