"""The roster seen from each volunteer and camp, and the funnel of candidate rules.

The funnel narrows every volunteer down to those who could fill one requirement, one
candidate rule of :mod:`campplanner.model.rules` at a time, in the order a planner
asks: has the skill at all (H1), at the level (H1), is free on the dates (H2), of the
camp's gender (H7), within their distance (H8), not forbidden there (H10), may join a
camp at all (H5). The masks are the rules' own filters, so the funnel always agrees
with the compiled candidates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from campplanner.model.problem import Problem
from campplanner.model.roster import filled_per_requirement, people_per_camp
from campplanner.model.rules import (
    CAMP_FILTERS,
    RoadKm,
    camp_filters,
    camps_conflict,
    camps_left,
    conflicting_camps,
    road_km,
    skill_filter,
)

# The funnel's filters, in order; each is also the cause when it empties the pool.
FUNNEL = ("no_skill", "level", *(name for name, _ in CAMP_FILTERS))

Masks = list[tuple[str, np.ndarray]]  # (funnel filter, volunteers left after it)


@dataclass(frozen=True)
class Funnel:
    """How many volunteers remain after each filter, for one requirement."""

    stages: tuple[tuple[str, int], ...]  # (filter, people left after it), in FUNNEL order

    @property
    def qualified(self) -> int:
        """People who pass every filter: the requirement's candidates."""
        return self.stages[-1][1]

    def left_after(self, stage: str) -> int:
        return dict(self.stages)[stage]


@dataclass(frozen=True)
class Busy:
    """A qualified volunteer kept away by an assignment of the roster."""

    volunteer: int
    camp: int  # where they serve
    skill: int
    rule: str  # "H3" same camp, "H4" overlap or rest days, "H5" most camps


@dataclass
class Context:
    """The roster seen from each volunteer and camp, and per-camp filters, cached."""

    problem: Problem
    assigned: np.ndarray
    status: str = "optimal"
    _filters: dict[int, dict[str, np.ndarray]] = field(default_factory=dict)
    _blocked: dict[int, np.ndarray] = field(default_factory=dict)

    @cached_property
    def volunteer_assignments(self) -> dict[int, list[int]]:
        """volunteer -> candidate indices assigned."""
        by_volunteer: dict[int, list[int]] = {}
        for i in self.assigned.tolist():
            by_volunteer.setdefault(int(self.problem.candidate_volunteer[i]), []).append(i)
        return by_volunteer

    @cached_property
    def people(self) -> np.ndarray:
        return people_per_camp(self.problem, self.assigned)

    @cached_property
    def filled(self) -> np.ndarray:
        return filled_per_requirement(self.problem, self.assigned)

    @cached_property
    def km(self) -> RoadKm:
        return road_km(self.problem)

    def camp_km(self, c: int) -> np.ndarray:
        """Road km from every volunteer's home to camp c."""
        return self.km.of_camps(np.array([c]))[0]

    def filters(self, c: int) -> dict[str, np.ndarray]:
        """Each camp-level candidate filter for camp c, a mask over volunteers."""
        if c not in self._filters:
            camps = np.array([c])
            masks = camp_filters(self.problem, camps, self.km.of_camps(camps))
            self._filters[c] = {name: np.asarray(mask[0]) for name, mask in masks.items()}
        return self._filters[c]

    def rule_masks(self, requirement: int) -> dict[str, np.ndarray]:
        """Each funnel filter alone (not cumulative), a mask over volunteers."""
        p = self.problem
        s = int(p.requirement_skill[requirement])
        return {
            "no_skill": p.volunteer_skill_level[:, s] > 0,
            "level": skill_filter(p, np.array([requirement]))[0],
            **self.filters(int(p.requirement_camp[requirement])),
        }

    @cached_property
    def assigned_volunteer(self) -> np.ndarray:
        return self.problem.candidate_volunteer[self.assigned]

    @cached_property
    def assigned_camp(self) -> np.ndarray:
        return self.problem.candidate_camp[self.assigned]

    @cached_property
    def assigned_requirement(self) -> np.ndarray:
        return self.problem.candidate_requirement[self.assigned]

    @cached_property
    def at_limit(self) -> np.ndarray:
        """Volunteers who already join as many camps as they may (H5)."""
        p = self.problem
        pairs = np.unique(
            self.assigned_volunteer.astype(np.int64) * p.num_camps + self.assigned_camp
        )
        joined = np.bincount(pairs // p.num_camps, minlength=p.num_volunteers)
        return (joined > 0) & (camps_left(p, np.arange(p.num_volunteers), joined) <= 0)

    def blocked(self, c: int) -> np.ndarray:
        """Volunteers kept from camp c by the roster (H3, H4 or H5), as a mask."""
        if c not in self._blocked:
            mask = self.at_limit.copy()
            clash = conflicting_camps(self.problem, c)
            mask[self.assigned_volunteer[clash[self.assigned_camp]]] = True
            self._blocked[c] = mask
        return self._blocked[c]

    def blocking(self, volunteer: int, camp: int) -> list[Busy]:
        """The assignments that keep ``volunteer`` from joining ``camp`` (empty: free)."""
        p = self.problem
        mine = self.volunteer_assignments.get(volunteer, [])
        found = []
        for i in mine:
            other = int(p.candidate_camp[i])
            if other == camp:
                found.append(Busy(volunteer, other, int(p.candidate_skill[i]), "H3"))
            elif camps_conflict(p, camp, other):
                found.append(Busy(volunteer, other, int(p.candidate_skill[i]), "H4"))
        if found:
            return found
        if camps_left(p, volunteer, len({int(p.candidate_camp[i]) for i in mine})) <= 0:
            return [
                Busy(volunteer, int(p.candidate_camp[i]), int(p.candidate_skill[i]), "H5")
                for i in mine
            ]
        return []

    def others(self, requirement: int) -> tuple[np.ndarray, np.ndarray]:
        """(volunteers, blocked?) of the requirement's candidates not serving in it."""
        p = self.problem
        pointer, order = p.requirement_candidates
        volunteers = p.candidate_volunteer[order[pointer[requirement] : pointer[requirement + 1]]]
        here = self.assigned_volunteer[self.assigned_requirement == requirement]
        volunteers = volunteers[~np.isin(volunteers, here)]
        return volunteers, self.blocked(int(p.requirement_camp[requirement]))[volunteers]


def funnel_masks(ctx: Context, requirement: int) -> Masks:
    """The cumulative mask of volunteers left after each filter of the funnel."""
    alone = ctx.rule_masks(requirement)
    masks = []
    left = np.ones(ctx.problem.num_volunteers, dtype=bool)
    for name in FUNNEL:
        left = left & alone[name]
        masks.append((name, left))
    return masks


def dropped(masks: Masks, stage: str) -> np.ndarray:
    """Volunteers who passed the filters before ``stage`` and fail it."""
    names = [name for name, _ in masks]
    k = names.index(stage)
    before = masks[k - 1][1] if k else np.ones_like(masks[0][1])
    return np.flatnonzero(before & ~masks[k][1])


def pass_all_but(ctx: Context, requirement: int, stage: str) -> np.ndarray:
    """Volunteers who fail only ``stage`` (pass every other filter; skill held at all)."""
    alone = ctx.rule_masks(requirement)
    keep = alone["no_skill"].copy()
    for name, mask in alone.items():
        if name != stage:
            keep &= mask
    return np.flatnonzero(keep & ~alone[stage])
