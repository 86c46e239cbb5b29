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

import threading

import numpy as np

from campplanner.problem import Problem
from campplanner.roster import coverage
from campplanner.solver.bounds import runnable_camps
from campplanner.solver.greedy import enforce_essentials

MAX_PASSES = 4  # passes with the cancelled camps closed; most of the gain is in the second
_CHECK_EVERY = 65_536  # candidates between two looks at the stop event


def greedy_order(problem: Problem) -> np.ndarray:
    """Candidate indices in the greedy's order (see the module docstring)."""
    p = problem
    per_volunteer = np.diff(p.volunteer_candidates)[p.candidate_volunteer]
    essential = p.requirement_essential[p.candidate_requirement]
    return np.lexsort(
        (np.arange(p.num_candidates), per_volunteer, -p.candidate_value, ~essential)
    ).astype(np.int64)


class _Fitter:
    """H3 to H6 bookkeeping on plain Python lists, for one pass over millions of triples.

    :class:`campplanner.solver.greedy.RosterState` holds the same rules for numpy
    batches; a per-candidate pass needs scalar lookups, which lists do ten times faster.
    """

    def __init__(self, problem: Problem, open_camps: np.ndarray):
        p = problem
        self.slots = p.requirement_count.astype(np.int64).tolist()
        self.beds = np.where(open_camps, p.camp_capacity, 0).astype(np.int64).tolist()
        self.load_left = p.volunteer_max_camps.astype(np.int64).tolist()
        self.held: list[list[int]] = [[] for _ in range(p.num_volunteers)]
        self.first = p.camp_start.astype(np.int64).tolist()
        self.reach = (p.camp_end.astype(np.int64) + p.rest_days).tolist()
        self.camp_of = p.requirement_camp.astype(np.int64).tolist()

    def fits(self, volunteer: int, requirement: int) -> bool:
        camp = self.camp_of[requirement]
        if self.slots[requirement] <= 0 or self.beds[camp] <= 0 or self.load_left[volunteer] <= 0:
            return False
        first, reach = self.first[camp], self.reach[camp]
        # H3 and H4: the same camp, or [start, end + rest] intervals that meet
        return all(
            not (self.first[h] <= reach and first <= self.reach[h]) for h in self.held[volunteer]
        )

    def take(self, volunteer: int, requirement: int) -> None:
        camp = self.camp_of[requirement]
        self.slots[requirement] -= 1
        self.beds[camp] -= 1
        self.load_left[volunteer] -= 1
        self.held[volunteer].append(camp)


def greedy_pass(
    problem: Problem,
    order: np.ndarray,
    open_camps: np.ndarray,
    start: np.ndarray | None = None,
    stop: threading.Event | None = None,
) -> tuple[np.ndarray, bool]:
    """One pass over ``order``: (the candidates taken, whether the pass ran to its end).

    ``start`` is taken first and kept as it is. What is taken obeys H3 to H6 at every
    moment, so a pass cut short by ``stop`` still gives a roster once H9 is enforced.
    """
    p = problem
    fitter = _Fitter(p, open_camps)
    taken: list[int] = []
    fixed = np.union1d(p.locked_candidates, start if start is not None else [])
    volunteers = p.candidate_volunteer
    requirements = p.candidate_requirement
    for i in fixed.astype(np.int64).tolist():
        # locks and the start are kept even in a closed camp (the caller knows why)
        v, r = int(volunteers[i]), int(requirements[i])
        fitter.take(v, r)
        taken.append(i)
    in_order = order[open_camps[p.candidate_camp[order]]]
    order_list = in_order.tolist()
    volunteer_list = volunteers[in_order].tolist()
    requirement_list = requirements[in_order].tolist()
    slots, fits, take = fitter.slots, fitter.fits, fitter.take
    for position, (i, v, r) in enumerate(
        zip(order_list, volunteer_list, requirement_list, strict=True)
    ):
        if stop is not None and position % _CHECK_EVERY == 0 and stop.is_set():
            return np.unique(np.array(taken, dtype=np.int64)), False
        if slots[r] > 0 and fits(v, r):
            take(v, r)
            taken.append(i)
    return np.unique(np.array(taken, dtype=np.int64)), True


def plain_greedy(problem: Problem) -> np.ndarray:
    """The plain greedy of issue 13: one pass, then cancel the camps short of an essential
    role (H9). The baseline every method must meet."""
    open_camps = runnable_camps(problem)
    open_camps[problem.candidate_camp[problem.locked_candidates]] = True
    taken, _ = greedy_pass(problem, greedy_order(problem), open_camps)
    return enforce_essentials(problem, taken)


def first_roster(problem: Problem, stop: threading.Event | None = None) -> np.ndarray:
    """The plain greedy, repeated with the camps it cancelled closed while that raises
    coverage, then a refill of the open slots of running camps. Never worse than
    :func:`plain_greedy` (its first pass is that greedy).

    When ``stop`` is set it returns at once with the best roster so far: if the first
    pass was not over, what it had taken (with H9 enforced), a valid roster too.
    Locks are in every roster it returns only if their camps' essential slots could be
    filled; the caller checks.
    """
    p = problem
    order = greedy_order(p)
    open_camps = runnable_camps(p)
    locked_camps = np.unique(p.candidate_camp[p.locked_candidates])
    open_camps[locked_camps] = True
    best: np.ndarray | None = None
    best_coverage = -1
    for _ in range(MAX_PASSES):
        taken, complete = greedy_pass(p, order, open_camps, stop=stop)
        roster = enforce_essentials(p, taken)
        if not complete:
            return roster if best is None or coverage(p, roster) > best_coverage else best
        roster_coverage = coverage(p, roster)
        if roster_coverage <= best_coverage:
            break
        best, best_coverage = roster, roster_coverage
        # close the camps this pass cancelled (they held scarce people for nothing)
        running = np.zeros(p.num_camps, dtype=bool)
        running[p.candidate_camp[roster]] = True
        cancelled = open_camps & ~running & _started(p, taken)
        cancelled[locked_camps] = False
        if not cancelled.any():
            break
        open_camps &= ~cancelled
    assert best is not None
    return refill(p, best, order, stop)


def _started(problem: Problem, taken: np.ndarray) -> np.ndarray:
    """Camps that got someone in a pass (before H9): those H9 cancelled were started."""
    started = np.zeros(problem.num_camps, dtype=bool)
    started[problem.candidate_camp[taken]] = True
    return started


def refill(
    problem: Problem,
    roster: np.ndarray,
    order: np.ndarray | None = None,
    stop: threading.Event | None = None,
) -> np.ndarray:
    """``roster`` with the open slots of the camps it runs filled by free people, in the
    greedy's order. Camps it does not run stay closed, so H9 holds as before."""
    p = problem
    order = greedy_order(p) if order is None else order
    open_camps = np.zeros(p.num_camps, dtype=bool)
    open_camps[p.candidate_camp[roster]] = True
    # a camp without essential slots runs with anyone in it
    has_essentials = np.zeros(p.num_camps, dtype=bool)
    has_essentials[p.requirement_camp[p.requirement_essential]] = True
    open_camps |= runnable_camps(p) & ~has_essentials
    taken, _ = greedy_pass(p, order, open_camps, start=roster, stop=stop)
    return enforce_essentials(p, taken)
