"""What every solver takes and what it is: one options type and one protocol.

Solvers (``CpSatSolver``, ``LargeSolver``, ``NeighbourhoodReplanner``, and any new
backend) are built by :func:`campplanner.solver.make_solver` from a problem and these
options, and answer :class:`Solver`: ``solve(progress, started)`` returns a
:class:`~campplanner.solver.result.Result` and ``stop()`` (from any thread or a signal handler)
makes it return the best roster found so far.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from campplanner.solver.result import Result


class ProgressCallback(Protocol):
    """What a solver calls at every better roster or bound, and as a stage begins."""

    def __call__(self, elapsed: float, coverage: int | None, bound: float, stage: str = "") -> None:
        """Seconds since the start, the best coverage so far (None: no roster yet), the
        best proven bound so far (inf: none), and ``stage``: what runs now or found the
        roster or bound ("coverage", "secondary terms", "neighbourhood search"...).
        A long stage that finds nothing still says when it begins, so progress moves."""
        ...


METHODS = ("auto", "exact", "large", "greedy")  # "auto" and solver.BACKENDS


@dataclass(frozen=True)
class SolveOptions:
    """How to solve; the same for every method."""

    time_limit: float = 60.0  # seconds, for the whole solve including model building
    workers: int = 1  # 1 is deterministic and fastest on small models; see docs/model.md
    seed: int = 0
    # Weights set on the command line, by term name; they override the instance file's
    # (model.terms.resolve_weights). Empty: the file's weights, else the defaults.
    weights: Mapping[str, float] = field(default_factory=dict)
    secondary: bool = True  # improve the secondary terms after coverage
    # Seconds for the secondary stage; None: max(10 s, 4 x the coverage stage), within
    # the time limit. The secondary terms matter less than a prompt answer.
    secondary_time: float | None = None
    log: bool = False  # CP-SAT's own search log on stdout
    # "exact" (one CP-SAT model), "large" (greedy, bounds, core) or "auto": below
    # solver.AUTO_LARGE_CANDIDATES candidates both (portfolio.py), large from there on
    method: str = "auto"
    # CP-SAT deterministic time for the large method's neighbourhood search, summed over
    # its steps; None: a share of the time limit. A search that ends on it, not on the
    # clock, gives the same roster on any machine.
    search_work: float | None = None
    # Deterministic work for the whole solve (solver/work.py: CP-SAT deterministic time,
    # counted rounds and steps); None: phases end on shares of the clock. With it the
    # same input, seed and options give the same roster on any machine and at any load,
    # the time limit being only a safety net that is reported when it cuts.
    work_limit: float | None = None
    # A proven upper bound on coverage known from elsewhere: the bound of the season a
    # re-plan's edits come from, when they cannot raise it (they only take availability
    # away, forbid or lock: docs/model.md, "One bound per season"). The re-plan of a large
    # season takes it as its bound and spends its time searching, not proving another.
    known_bound: int | None = None


class Solver(Protocol):
    """A solving backend."""

    def solve(
        self, progress: ProgressCallback | None = None, started: float | None = None
    ) -> Result:
        """Solve; ``started`` is when the clock of ``time_limit`` started (monotonic)."""
        ...

    def stop(self) -> None:
        """Stop as soon as possible; ``solve`` then returns the best roster so far."""
        ...
