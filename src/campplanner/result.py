"""The outcome of a solve: status, coverage and its proven bound, secondary terms, timings."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from campplanner.roster import SecondaryTerms

STATUSES = ("optimal", "feasible", "infeasible", "unknown")


@dataclass(frozen=True)
class Result:
    """What a solver returns. ``assigned`` holds candidate indices of the Problem."""

    status: str  # one of STATUSES, about coverage
    assigned: np.ndarray
    coverage: int | None
    coverage_bound: int | None
    terms: SecondaryTerms | None = None  # of the returned roster
    first_terms: SecondaryTerms | None = None  # of the first roster with the final coverage
    secondary_status: str | None = None  # "optimal" when the secondary terms are proven best
    timings: dict[str, float] = field(default_factory=dict)
    stopped_by: str | None = None  # "time limit" or "interrupted" when cut short
    infeasible_reasons: tuple[str, ...] = ()
    solver: dict[str, object] = field(default_factory=dict)
    # Re-planning from a published roster: assignments changed, and the proven minimum.
    changes: int | None = None
    changes_bound: int | None = None

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
