"""The anytime contract: a valid roster from the first seconds, and it only improves.

Every method that solves a large instance runs in *phases* (first roster, bound,
guided rosters, neighbourhood search, secondary terms). Two small objects hold what
the phases share:

- :class:`Clock`: the deadline of the whole solve (the time limit counts from reading
  the file, and a little is kept back for writing the roster), and each phase's budget,
  a share of the time left, so that no phase can starve the ones after it;
- :class:`Incumbent`: the best roster so far and the best proven bound. A roster is
  taken only if its coverage is higher; a bound only if it is lower and not below the
  coverage held (a "bound" below a roster is no proof, it is a bug: it is recorded and
  ignored). It is safe to read from another thread, so that a signal handler can write
  the best roster while a phase is still stopping (see
  :func:`campplanner.app.jobs.run_in_foreground`).

A phase is stoppable: the greedy looks at the stop event between chunks of candidates,
HiGHS through its interrupt callbacks (:func:`campplanner.solver.bounds.run_highs`),
CP-SAT through ``stop_search``.
"""

from __future__ import annotations

import threading
import time

import numpy as np

from campplanner.model.problem import Problem
from campplanner.model.rules import slots_left
from campplanner.model.terms import coverage
from campplanner.solver.options import ProgressCallback

# Seconds kept back from the time limit for what follows the solve: explaining and
# writing the roster of a 22,000-volunteer season takes about a second.
OUTPUT_RESERVE = 1.0
OUTPUT_RESERVE_PER_MILLION = 0.1  # ... and a little more per million candidates


# Explaining a roster (campplanner.explain) takes about a millisecond per unfilled
# requirement and per cancelled camp (figures: docs/benchmarks.md). The last phases
# of a solve end this much earlier, counted on the roster they hold; the session
# explains only when this still fits.
EXPLAIN_SECONDS_PER_ITEM = 0.0015


def output_reserve(problem: Problem) -> float:
    """Seconds kept back from the time limit to write the roster of ``problem``."""
    return OUTPUT_RESERVE + OUTPUT_RESERVE_PER_MILLION * problem.num_candidates / 1e6


def explain_estimate(problem: Problem, roster: np.ndarray) -> float:
    """Seconds that explaining ``roster`` will take: per unfilled requirement of a camp
    that runs, and per camp that does not run."""
    p = problem
    running = np.bincount(p.candidate_camp[roster], minlength=p.num_camps) > 0
    filled = np.bincount(p.candidate_requirement[roster], minlength=p.num_requirements)
    room = slots_left(p, np.arange(p.num_requirements), filled) > 0
    open_requirements = int((room & running[p.requirement_camp]).sum())
    return EXPLAIN_SECONDS_PER_ITEM * (open_requirements + int((~running).sum()))


class StopOrDeadline:
    """Looks like a threading.Event to a phase: "set" once stopped or past a deadline."""

    def __init__(self, stopped: threading.Event, deadline: float):
        self.stopped = stopped
        self.deadline = deadline

    def is_set(self) -> bool:
        return self.stopped.is_set() or time.monotonic() > self.deadline


class Clock:
    """The deadline of a solve and the budgets of its phases (monotonic seconds)."""

    def __init__(self, started: float, time_limit: float, reserve: float = 0.0):
        self.started = started
        # never less than a sliver after the start: a phase always gets a chance
        self.deadline = started + max(time_limit - reserve, min(time_limit, 0.5))

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def budget(self, share: float, at_most: float = float("inf"), keep: float = 0.0) -> float:
        """Deadline of a phase given ``share`` of the time left (at most ``at_most``
        seconds), keeping ``keep`` seconds for the phases after it."""
        left = max(0.0, self.remaining() - keep)
        return time.monotonic() + min(share * left, at_most)

    def expired(self) -> bool:
        return time.monotonic() >= self.deadline


class Incumbent:
    """The best roster and the best proven bound; see the module docstring."""

    def __init__(self, problem: Problem, started: float, progress: ProgressCallback | None = None):
        self.problem = problem
        self.started = started
        self.progress = progress
        self._lock = threading.Lock()
        self.roster: np.ndarray | None = None
        self.coverage: int | None = None
        self.source: str | None = None
        self.bound: int | None = None
        self.bound_source: str | None = None
        self.rejected_bounds: list[tuple[str, int]] = []
        self.history: list[tuple[float, int, str]] = []  # (elapsed, coverage, source)
        # (elapsed s, coverage, bound or None) at every change: benchmarks read from it
        # when the gap first fell below 1%
        self.trace: list[tuple[float, int, int | None]] = []

    def offer_roster(self, roster: np.ndarray, source: str) -> bool:
        """Keep ``roster`` if its coverage beats the incumbent's; True if kept."""
        value = coverage(self.problem, roster)
        with self._lock:
            if self.coverage is not None and value <= self.coverage:
                return False
            self.roster = np.sort(np.asarray(roster, dtype=np.int64))
            self.coverage = value
            self.source = source
            self.history.append((time.monotonic() - self.started, value, source))
            if self.bound is not None and self.bound < value:
                # the bound was no proof: drop it rather than report a gap below zero
                self.rejected_bounds.append((self.bound_source or "?", self.bound))
                self.bound, self.bound_source = None, None
        self._report(source)
        return True

    def replace_roster(self, roster: np.ndarray, source: str) -> None:
        """Take ``roster`` of the same coverage (e.g. better secondary terms)."""
        value = coverage(self.problem, roster)
        with self._lock:
            assert self.coverage is None or value >= self.coverage, "coverage only rises"
            self.roster = np.sort(np.asarray(roster, dtype=np.int64))
            self.coverage = value
            self.source = source

    def offer_bound(self, bound: int | float | None, source: str) -> bool:
        """Keep ``bound`` (a proven upper bound on coverage) if it is the smallest yet."""
        if bound is None or not np.isfinite(bound):
            return False
        bound = int(np.floor(bound + 1e-6))
        with self._lock:
            if self.coverage is not None and bound < self.coverage:
                self.rejected_bounds.append((source, bound))
                return False
            if self.bound is not None and bound >= self.bound:
                return False
            self.bound, self.bound_source = bound, source
        self._report(source)
        return True

    def enter(self, stage: str) -> None:
        """Say that ``stage`` begins: a phase that finds nothing for a while still moves
        the progress line, and a log shows where the time went."""
        if self.progress is not None:
            _, coverage, bound = self.snapshot()
            self.progress(
                time.monotonic() - self.started,
                coverage,
                float("inf") if bound is None else float(bound),
                stage,
            )

    @property
    def proven_optimal(self) -> bool:
        return self.coverage is not None and self.bound is not None and self.coverage >= self.bound

    def gap(self) -> float | None:
        if self.coverage is None or self.bound is None:
            return None
        return (self.bound - self.coverage) / max(self.bound, 1)

    def snapshot(self) -> tuple[np.ndarray | None, int | None, int | None]:
        """(roster, coverage, bound) as one consistent triple."""
        with self._lock:
            return self.roster, self.coverage, self.bound

    def trace_summary(self) -> list[list[float | int | None]]:
        """The trace, rounded, for the solution file's ``solver`` section."""
        return [[round(t, 2), c, b] for t, c, b in self.trace]

    def _report(self, source: str) -> None:
        if self.coverage is not None:
            self.trace.append((time.monotonic() - self.started, self.coverage, self.bound))
        if self.progress is not None and self.coverage is not None:
            bound = float(self.bound) if self.bound is not None else float("inf")
            self.progress(time.monotonic() - self.started, self.coverage, bound, source)
