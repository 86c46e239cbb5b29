"""What each choice of a roster cost: every objective term per camp and per volunteer.

The split comes from the terms themselves (:mod:`campplanner.model.terms`): a term
that can be charged to a camp (coverage, travel, group splits) appears per camp, one
that can be charged to a volunteer (coverage, travel, extra camps) per volunteer; the
sums equal the roster's totals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from campplanner.model.problem import Problem
from campplanner.model.terms import SECONDARY, TERMS, Term, group_split_pairs


def _weighted(values: Mapping[str, float], weights: Mapping[str, float]) -> float:
    return sum(weights[t.name] * values[t.name] for t in SECONDARY if t.name in values)


@dataclass(frozen=True)
class CampCost:
    """What one camp earned and cost, by term name."""

    camp: int
    filled: int
    asked: int
    terms: Mapping[str, float]  # the terms with a per-camp split
    split_groups: tuple[int, ...]  # groups charged a split here (not their main camp)

    def weighted(self, weights: Mapping[str, float]) -> float:
        return _weighted(self.terms, weights)


@dataclass(frozen=True)
class VolunteerCost:
    """What one volunteer's assignments earned and cost, by term name."""

    volunteer: int
    camps: tuple[int, ...]
    terms: Mapping[str, float]  # the terms with a per-volunteer split

    def weighted(self, weights: Mapping[str, float]) -> float:
        return _weighted(self.terms, weights)


@dataclass(frozen=True)
class Breakdown:
    """The objective split per camp and per volunteer; the sums equal the roster's totals."""

    camps: tuple[CampCost, ...]
    volunteers: tuple[VolunteerCost, ...]  # volunteers who serve

    def total(self, term: Term) -> float:
        """The roster's value of ``term``, summed from whichever split it has."""
        if term.per_camp is not None:
            return sum(c.terms[term.name] for c in self.camps)
        return sum(v.terms[term.name] for v in self.volunteers)

    @property
    def coverage(self) -> int:
        return int(self.total(TERMS[0]))


def objective_breakdown(problem: Problem, assigned: np.ndarray) -> Breakdown:
    """Every term per camp and per volunteer (see the module docstring)."""
    roster = np.asarray(assigned, dtype=np.int64)
    p = problem
    per_camp = {t.name: t.per_camp(p, roster) for t in TERMS if t.per_camp is not None}
    per_volunteer = {
        t.name: t.per_volunteer(p, roster) for t in TERMS if t.per_volunteer is not None
    }
    filled = np.bincount(p.candidate_camp[roster], minlength=p.num_camps)
    asked = np.bincount(p.requirement_camp, weights=p.requirement_count, minlength=p.num_camps)
    split_groups = _split_groups(p, roster)
    camps = tuple(
        CampCost(
            c,
            int(filled[c]),
            int(asked[c]),
            {name: _plain(values[c]) for name, values in per_camp.items()},
            tuple(split_groups.get(c, ())),
        )
        for c in range(p.num_camps)
    )
    volunteer_of = p.candidate_volunteer[roster]
    camp_of = p.candidate_camp[roster]
    volunteers = tuple(
        VolunteerCost(
            v,
            tuple(sorted(set(camp_of[volunteer_of == v].tolist()))),
            {name: _plain(values[v]) for name, values in per_volunteer.items()},
        )
        for v in np.unique(volunteer_of).tolist()
    )
    return Breakdown(camps, volunteers)


def _plain(value: np.generic) -> float:
    return int(value) if np.issubdtype(type(value), np.integer) else float(value)


def _split_groups(problem: Problem, roster: np.ndarray) -> dict[int, list[int]]:
    """Camp -> groups charged a split there (the pairs model.terms.group_per_camp counts)."""
    at: dict[int, list[int]] = {}
    for g, c in zip(*(a.tolist() for a in group_split_pairs(problem, roster)), strict=True):
        at.setdefault(c, []).append(g)
    return {c: sorted(groups) for c, groups in at.items()}
