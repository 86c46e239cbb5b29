"""What follows from a roster (candidate indices): filled and unfilled slots, camps run.

These are evaluations, not constraints; the objective's terms are in
:mod:`campplanner.model.terms`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from campplanner.model.problem import Problem
from campplanner.model.rules import slots_left


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


@dataclass(frozen=True)
class UnfilledSlots:
    camp: int
    requirement: int
    missing: int


def unfilled_slots(problem: Problem, assigned: np.ndarray) -> list[UnfilledSlots]:
    """Slots left empty in camps that run (cancelled camps are reported separately)."""
    filled = filled_per_requirement(problem, assigned)
    running = camps_run(problem, assigned)
    missing = slots_left(problem, np.arange(problem.num_requirements), filled)
    return [
        UnfilledSlots(int(problem.requirement_camp[r]), int(r), int(missing[r]))
        for r in np.flatnonzero(missing > 0)
        if running[problem.requirement_camp[r]]
    ]
