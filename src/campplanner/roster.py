"""A roster as candidate indices, and what follows from it: filled and unfilled slots,
camps run and cancelled, and the secondary terms of the objective.

These are evaluations, not constraints: the solver optimises the same terms, and tests
check that the values it reports equal the ones computed here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from campplanner.problem import Problem

# Default weights of the secondary terms; see docs/model.md. Coverage always comes first.
DEFAULT_WEIGHTS = {"travel": 1.0, "group": 50.0, "fairness": 100.0}


@dataclass(frozen=True)
class SecondaryTerms:
    """Secondary measures of a roster (smaller is better)."""

    travel_km: float  # sum of road km from home to camp over assignments
    group_splits: int  # sum over groups of (camps the group serves in - 1)
    extra_camps: int  # sum over volunteers of (camps joined - 1), for those who join any

    def weighted(self, weights: dict[str, float]) -> float:
        return (
            weights["travel"] * round(self.travel_km)
            + weights["group"] * self.group_splits
            + weights["fairness"] * self.extra_camps
        )

    def as_dict(self) -> dict[str, float | int]:
        return {
            "travel_km": round(self.travel_km, 1),
            "group_splits": self.group_splits,
            "extra_camps": self.extra_camps,
        }


def coverage(problem: Problem, assigned: np.ndarray) -> int:
    """Sum over assignments of the camp's priority."""
    return int(problem.candidate_value[assigned].sum())


def filled_per_requirement(problem: Problem, assigned: np.ndarray) -> np.ndarray:
    return np.bincount(
        problem.candidate_requirement[assigned], minlength=problem.num_requirements
    ).astype(np.int64)


def people_per_camp(problem: Problem, assigned: np.ndarray) -> np.ndarray:
    return np.bincount(problem.candidate_camp[assigned], minlength=problem.num_camps).astype(
        np.int64
    )


def camps_run(problem: Problem, assigned: np.ndarray) -> np.ndarray:
    """Boolean per camp: someone is assigned (H9 makes that mean the camp runs)."""
    return people_per_camp(problem, assigned) > 0


def secondary_terms(problem: Problem, assigned: np.ndarray) -> SecondaryTerms:
    """The secondary measures of a roster given as candidate indices."""
    volunteers = problem.candidate_volunteer[assigned]
    camps = problem.candidate_camp[assigned]
    travel = float(problem.candidate_km[assigned].astype(np.float64).sum())

    joined = np.bincount(volunteers, minlength=problem.num_volunteers)
    extra = int(np.maximum(joined - 1, 0).sum())

    groups = problem.volunteer_group[volunteers]
    in_group = groups >= 0
    pairs = np.unique(np.stack([groups[in_group], camps[in_group]]), axis=1)
    splits = int(pairs.shape[1] - len(np.unique(pairs[0]))) if pairs.size else 0
    return SecondaryTerms(travel_km=travel, group_splits=splits, extra_camps=extra)


@dataclass(frozen=True)
class UnfilledSlots:
    camp: int
    requirement: int
    missing: int


def unfilled_slots(problem: Problem, assigned: np.ndarray) -> list[UnfilledSlots]:
    """Slots left empty in camps that run (cancelled camps are reported separately)."""
    filled = filled_per_requirement(problem, assigned)
    running = camps_run(problem, assigned)
    missing = problem.requirement_count - filled
    return [
        UnfilledSlots(int(problem.requirement_camp[r]), int(r), int(missing[r]))
        for r in np.flatnonzero(missing > 0)
        if running[problem.requirement_camp[r]]
    ]
