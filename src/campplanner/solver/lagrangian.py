"""A proven bound without solving the LP over all candidates: column generation.

The Lagrangian bound (:class:`~campplanner.solver.bounds.LagrangianBound`) is valid at
any multipliers; the best multipliers are the duals of the LP relaxation over *all*
candidates, which on some seasons (few saturated requirements, five million
candidates) HiGHS does not solve in minutes. Here the LP is solved over a small set of
columns instead, and grown:

1. columns: the roster's assignments, each volunteer's few best triples (higher
   priority, scarcer requirement) and a few random candidates per requirement;
2. solve that LP with HiGHS (interruptible, see :func:`bounds.column_lp`); its duals
   are multipliers; evaluate the Lagrangian at them over *all* candidates: that value
   is the proof, whatever the columns;
3. price: the evaluation names each volunteer's best schedule at those multipliers;
   those not among the columns yet (positive reduced profit) become columns; repeat.

When no column prices out, the LP over the columns is the LP over all candidates, and
the Lagrangian value equals it. Each round is a valid bound, so the caller can stop
after any of them; the bound only goes down (the best multipliers are kept).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np

from campplanner.model.problem import Problem
from campplanner.model.rules import essential_mask
from campplanner.solver.bounds import LagrangianBound, RestrictedLp, column_lp

PER_VOLUNTEER = 6  # each volunteer's best triples among the first columns
PER_REQUIREMENT = 4  # random candidates per requirement among the first columns
PER_PRICING = 3  # columns added per volunteer and round, best reduced profit first


@dataclass
class PricingRound:
    """One LP over the columns and its Lagrangian."""

    columns: int
    lp_value: float
    bound: float  # the Lagrangian at the LP's duals
    added: int  # columns that priced out
    seconds: float


def first_columns(
    problem: Problem, roster: np.ndarray, runnable: np.ndarray, seed: int = 0
) -> np.ndarray:
    """The roster, each volunteer's best few triples and a few random ones per requirement."""
    p = problem
    pointer, order = p.requirement_candidates
    supply = np.diff(pointer) / np.maximum(p.requirement_count, 1)
    alive = runnable[p.candidate_camp]
    # per volunteer: higher priority, essential, scarcer requirement first
    key = (
        p.candidate_value * 1e6
        + essential_mask(p)[p.candidate_requirement] * 1e5
        - np.minimum(supply[p.candidate_requirement], 9e4)
    )
    key = np.where(alive, key, -np.inf)
    ranked = np.lexsort((np.arange(p.num_candidates), -key, p.candidate_volunteer))
    start = p.volunteer_candidates[p.candidate_volunteer[ranked]]
    rank = np.arange(p.num_candidates) - start
    best = ranked[(rank < PER_VOLUNTEER) & alive[ranked]]
    rng = np.random.default_rng(seed)
    noise = rng.random(p.num_candidates)
    by_requirement = order[np.lexsort((noise[order], p.candidate_requirement[order]))]
    rank = np.arange(p.num_candidates) - pointer[p.candidate_requirement[by_requirement]]
    random_few = by_requirement[rank < PER_REQUIREMENT]
    random_few = random_few[alive[random_few]]
    return np.unique(np.concatenate((roster, best, random_few)).astype(np.int64))


class ColumnGeneration:
    """Rounds of LP over columns, Lagrangian evaluation and pricing; see the module doc."""

    def __init__(
        self, problem: Problem, bounds: LagrangianBound, roster: np.ndarray, seed: int = 0
    ):
        self.problem = problem
        self.bounds = bounds
        self.runnable = bounds.runnable.copy()
        self.columns = first_columns(problem, roster, self.runnable, seed)
        self.rounds: list[PricingRound] = []
        self.last_lp: RestrictedLp | None = None
        self.converged = False

    def round(self, deadline: float, stop: threading.Event | None = None) -> bool:
        """One round; False if the LP did not finish (time or ``stop``) or nothing
        priced out (converged)."""
        if self.converged:
            return False
        started = time.monotonic()
        lp = column_lp(
            self.problem,
            self.runnable,
            self.columns,
            np.zeros(0, dtype=np.int64),
            deadline - started,
            stop,
        )
        if lp is None:
            return False
        self.last_lp = lp
        lam, mu = lp.lam, lp.mu
        value = self.bounds.offer(lam, mu)
        relaxed = self.bounds.last
        assert relaxed is not None
        added = np.setdiff1d(np.union1d(relaxed.chosen, self._priced(lam, mu)), self.columns)
        self.rounds.append(
            PricingRound(len(self.columns), lp.value, value, len(added), time.monotonic() - started)
        )
        if not len(added) or value <= lp.value + 0.5:
            self.converged = True  # the Lagrangian equals the LP: no better multipliers here
            return False
        self.columns = np.union1d(self.columns, added)
        return True

    def _priced(self, lam: np.ndarray, mu: np.ndarray) -> np.ndarray:
        """Each volunteer's PER_PRICING best candidates of positive reduced profit."""
        p = self.problem
        lam = lam.copy()
        free = ~self.bounds.essential
        lam[free] = np.maximum(lam[free], 0.0)
        reduced = self.bounds.requirement_priority - lam - np.maximum(mu, 0.0)[p.requirement_camp]
        reduced[~self.bounds.requirement_alive] = -1.0
        profit = reduced[p.candidate_requirement]
        positive = np.flatnonzero(profit > 1e-6)
        positive = positive[~np.isin(positive, self.columns, assume_unique=True)]
        volunteers = p.candidate_volunteer[positive]
        ranked = positive[np.lexsort((positive, -profit[positive], volunteers))]
        volunteers = p.candidate_volunteer[ranked]
        first = np.flatnonzero(np.append(True, volunteers[1:] != volunteers[:-1]))
        rank = np.arange(len(ranked)) - np.repeat(first, np.diff(np.append(first, len(ranked))))
        return ranked[rank < PER_PRICING]

    def volunteer_duals(self) -> np.ndarray | None:
        """Per volunteer: the value of their best schedule at the best multipliers (what
        they are worth elsewhere), or None before the first round."""
        relaxed = self.bounds.best_relaxed
        return None if relaxed is None else relaxed.volunteer_value
