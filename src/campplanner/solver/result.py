"""The outcome of a solve: status, coverage and its proven bound, secondary terms, timings."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from campplanner.contract.why import Why
from campplanner.model.terms import TermValues

STATUSES = ("optimal", "feasible", "infeasible", "unknown")
_NO_ROSTER = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class Result:
    """What a solver returns. ``assigned`` holds candidate indices of the Problem."""

    status: str  # one of STATUSES, about coverage
    assigned: np.ndarray
    coverage: int | None
    coverage_bound: int | None
    terms: TermValues | None = None  # of the returned roster
    first_terms: TermValues | None = None  # of the first roster with the final coverage
    secondary_status: str | None = None  # "optimal" when the secondary terms are proven best
    timings: dict[str, float] = field(default_factory=dict)
    stopped_by: str | None = None  # "time limit" or "interrupted" when cut short
    infeasible_reasons: tuple[str, ...] = ()
    solver: dict[str, object] = field(default_factory=dict)
    # Re-planning from a published roster: assignments changed, and the proven minimum.
    changes: int | None = None
    changes_bound: int | None = None

    def __post_init__(self) -> None:
        # A bound is a proof or is not shown: one below the coverage held proves nothing
        # (a solver's slip must not reach a summary, a file or a report), and "optimal"
        # is only said where the proven bound equals the coverage.
        bound, value = self.coverage_bound, self.coverage
        if bound is not None and value is not None and bound < value:
            object.__setattr__(self, "coverage_bound", None)
            bound = None
        if self.status == "optimal" and (bound is None or bound != value):
            object.__setattr__(self, "status", "feasible")
        # and the other way round: a roster whose coverage meets any proven bound (a
        # relaxation's, CP-SAT's, the count of fillable slots) is optimal, whoever proved it
        if self.status == "feasible" and bound is not None and bound == value:
            object.__setattr__(self, "status", "optimal")

    # ------------------------------------------------------------- no roster, built here
    @classmethod
    def infeasible(
        cls,
        reasons: tuple[str, ...],
        timings: dict[str, float] | None = None,
        solver: dict[str, object] | None = None,
    ) -> Result:
        """The locks cannot all hold: ``reasons`` name them (smallest set first)."""
        return cls(
            "infeasible",
            _NO_ROSTER,
            None,
            None,
            timings=dict(timings or {}),
            infeasible_reasons=tuple(reasons),
            solver=dict(solver or {}),
        )

    @classmethod
    def impossible_locks(
        cls, impossible: tuple[tuple[int, str], ...], solver: dict[str, object] | None = None
    ) -> Result:
        """Locks that no roster can hold, each with the rule that rules it out."""
        return cls.infeasible(
            tuple(Why("locked", index=i, why=why) for i, why in impossible), solver=solver
        )

    @classmethod
    def no_roster(
        cls,
        stopped_by: str,
        bound: int | None = None,
        timings: dict[str, float] | None = None,
        solver: dict[str, object] | None = None,
    ) -> Result:
        """No roster in the time given (``stopped_by`` says what cut it short)."""
        return cls(
            "unknown",
            _NO_ROSTER,
            None,
            bound,
            timings=dict(timings or {}),
            stopped_by=stopped_by,
            solver=dict(solver or {}),
        )

    @property
    def has_roster(self) -> bool:
        return self.status in ("optimal", "feasible")

    @property
    def gap(self) -> float | None:
        """Relative gap between coverage and its proven bound (0.0 when proven optimal)."""
        if self.coverage is None or self.coverage_bound is None:
            return None
        if self.coverage_bound == 0:
            return 0.0
        return (self.coverage_bound - self.coverage) / self.coverage_bound

    def summary(self) -> str:
        """One line for logs and tests."""
        if not self.has_roster:
            return f"status {self.status}"
        gap = f"{100 * self.gap:.2f}%" if self.gap is not None else "-"
        return (
            f"status {self.status}, coverage {self.coverage}, bound {self.coverage_bound}, "
            f"gap {gap}, assignments {len(self.assigned)}"
        )
