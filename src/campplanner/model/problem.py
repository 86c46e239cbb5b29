"""The compiled problem: an immutable, index-based form of an instance.

Built by :func:`campplanner.model.compile.compile_instance`.

Everything downstream (solvers, reports) reads this, never the pydantic models.
Volunteers, camps, skills, places and groups become integer indices in file order;
each camp's requirements are contiguous (``camp_requirements``), and each requirement
is identified with its (camp, skill) pair, which the contract makes unique.

The central product is the list of *candidates*: every (volunteer, requirement) pair
that passes the rules which concern one volunteer and one camp alone:

- H1 skill: the volunteer's level of the skill is at least the requirement's level;
- H2 dates: one availability range contains the camp's first to last day;
- H7 gender: a single-gender camp gets only volunteers of that gender;
- H8 distance: road km from home to the camp's place is at most ``max_km``;
- H10 forbidden: the (volunteer, camp) pair is not forbidden;
- and the volunteer may join at least one camp (``max_camps`` > 0).

Rules that tie several assignments together (H3 to H6, H9, locks) are the solvers';
every rule is defined once, in :mod:`campplanner.model.rules`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from campplanner.contract.calendar import Calendar, format_day
from campplanner.model.geo import great_circle_km

GENDER_CODE = {None: 0, "f": 1, "m": 2}


# The cached views that depend only on the candidates, requirements, ids and camp
# priorities: Problem.unavailable (which changes loads, capacities and locks) shares them.
SHARED_VIEWS = (
    "candidate_camp",
    "candidate_skill",
    "candidate_value",
    "volunteer_candidates",
    "requirement_candidates",
    "volunteer_index",
    "camp_index",
    "skill_index",
    "requirement_index",
)


def frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class Problem:
    """An instance as arrays. Build it with :func:`campplanner.model.compile.compile_instance`."""

    name: str
    calendar: Calendar
    rest_days: int
    road_factor: float

    skill_ids: tuple[str, ...]
    skill_names: tuple[str, ...]

    place_ids: tuple[str, ...]
    place_names: tuple[str, ...]
    place_counties: tuple[str | None, ...]
    place_lat: np.ndarray
    place_lon: np.ndarray

    group_ids: tuple[str, ...]
    group_names: tuple[str, ...]

    volunteer_ids: tuple[str, ...]
    volunteer_names: tuple[str, ...]
    volunteer_home: np.ndarray  # place index
    volunteer_group: np.ndarray  # group index, -1 for none
    volunteer_gender: np.ndarray  # 0 unknown, 1 f, 2 m
    volunteer_max_camps: np.ndarray
    volunteer_max_km: np.ndarray  # inf when absent
    volunteer_skill_level: np.ndarray  # (volunteers, skills) uint8, 0 = lacks the skill
    # availability ranges in CSR form; volunteers without "available" have one range
    # covering every day, volunteers with "available": [] have none.
    availability_ptr: np.ndarray
    availability_start: np.ndarray
    availability_end: np.ndarray

    camp_ids: tuple[str, ...]
    camp_names: tuple[str, ...]
    camp_place: np.ndarray
    camp_start: np.ndarray  # day ordinal, inclusive
    camp_end: np.ndarray  # day ordinal, inclusive
    camp_capacity: np.ndarray
    camp_priority: np.ndarray
    camp_gender: np.ndarray

    camp_requirements: np.ndarray  # CSR pointer: camp c owns requirements [p[c], p[c+1])
    requirement_camp: np.ndarray
    requirement_skill: np.ndarray
    requirement_count: np.ndarray
    requirement_level: np.ndarray
    requirement_essential: np.ndarray  # bool

    # Candidates sorted by (volunteer, camp); see the module docstring.
    candidate_volunteer: np.ndarray
    candidate_requirement: np.ndarray
    candidate_km: np.ndarray

    locked_candidates: np.ndarray  # candidate index of each satisfiable lock
    # Locks that cannot hold whatever the roster (H1, H2, H7, H8, H10 or no such slot):
    # (index in the file's "locked" list, reason). Non-empty means infeasible.
    impossible_locks: tuple[tuple[int, str], ...]  # (index in locked, model.rules.Why)
    forbidden_pairs: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    # Index in the file's "locked" list of each entry of locked_candidates (the first one
    # when a lock is repeated), so that conflicts can be named by their place in the file.
    locked_file_index: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # The weights the instance file sets (its "weights" object), by term name; terms it
    # leaves out are absent. campplanner.model.terms.resolve_weights adds the defaults
    # below and the command line's above.
    weights: Mapping[str, float] = field(default_factory=dict)
    # The last day (ordinal, inclusive) each (volunteer, skill) counts, from the optional
    # ``valid_until`` of the file (H1: a camp ending later cannot use the skill); None
    # when no volunteer's qualification expires, so a season without expiries keeps no
    # (volunteers x skills) matrix of days.
    volunteer_skill_until: np.ndarray | None = None

    # ------------------------------------------------------------------ sizes
    @property
    def num_volunteers(self) -> int:
        return len(self.volunteer_ids)

    @property
    def num_camps(self) -> int:
        return len(self.camp_ids)

    @property
    def num_skills(self) -> int:
        return len(self.skill_ids)

    @property
    def num_requirements(self) -> int:
        return len(self.requirement_camp)

    @property
    def num_candidates(self) -> int:
        return len(self.candidate_volunteer)

    @property
    def num_slots(self) -> int:
        return int(self.requirement_count.sum())

    # ------------------------------------------------------------ derived views
    @cached_property
    def candidate_camp(self) -> np.ndarray:
        return frozen(self.requirement_camp[self.candidate_requirement])

    @cached_property
    def candidate_skill(self) -> np.ndarray:
        return frozen(self.requirement_skill[self.candidate_requirement])

    @cached_property
    def candidate_value(self) -> np.ndarray:
        """Coverage earned by each candidate if assigned: its camp's priority."""
        return frozen(self.camp_priority[self.candidate_camp].astype(np.int64))

    @cached_property
    def volunteer_candidates(self) -> np.ndarray:
        """CSR pointer: volunteer v's candidates are ``[p[v], p[v+1])`` (sorted by camp)."""
        counts = np.bincount(self.candidate_volunteer, minlength=self.num_volunteers)
        return frozen(np.concatenate(([0], np.cumsum(counts))).astype(np.int64))

    @cached_property
    def requirement_candidates(self) -> tuple[np.ndarray, np.ndarray]:
        """(pointer, candidate indices): requirement r's candidates, by volunteer."""
        order = np.argsort(self.candidate_requirement, kind="stable")
        counts = np.bincount(self.candidate_requirement, minlength=self.num_requirements)
        pointer = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        return frozen(pointer), frozen(order)

    @cached_property
    def volunteer_index(self) -> dict[str, int]:
        return {vid: i for i, vid in enumerate(self.volunteer_ids)}

    @cached_property
    def camp_index(self) -> dict[str, int]:
        return {cid: i for i, cid in enumerate(self.camp_ids)}

    @cached_property
    def skill_index(self) -> dict[str, int]:
        return {sid: i for i, sid in enumerate(self.skill_ids)}

    @cached_property
    def requirement_index(self) -> dict[tuple[int, int], int]:
        """(camp index, skill index) -> requirement index."""
        return {
            (int(c), int(s)): r
            for r, (c, s) in enumerate(
                zip(self.requirement_camp, self.requirement_skill, strict=True)
            )
        }

    # ---------------------------------------------------------------- in words
    def volunteer_label(self, volunteer: int) -> str:
        """ "v01 (Ali Rezaei)", or the id alone when the name is the id."""
        vid, name = self.volunteer_ids[volunteer], self.volunteer_names[volunteer]
        return vid if name == vid else f"{vid} ({name})"

    def camp_label(self, camp: int) -> str:
        """ "c1 (Building, Khondab)", or the id alone when the name is the id."""
        cid, name = self.camp_ids[camp], self.camp_names[camp]
        return cid if name == cid else f"{cid} ({name})"

    def camp_days(self, camp: int) -> tuple[str, str]:
        """The camp's first and last day, written in the instance's calendar."""
        return (
            format_day(int(self.camp_start[camp]), self.calendar),
            format_day(int(self.camp_end[camp]), self.calendar),
        )

    def road_km(self, place_a: int, place_b: int) -> float:
        """Road km between two places: great-circle km times the road factor."""
        km = great_circle_km(
            self.place_lat[place_a],
            self.place_lon[place_a],
            self.place_lat[place_b],
            self.place_lon[place_b],
        )
        return float(km) * self.road_factor

    def candidate_index(self, volunteer: int, requirement: int) -> int | None:
        """The candidate index of (volunteer, requirement), or None if it is no candidate."""
        start, stop = self.volunteer_candidates[volunteer], self.volunteer_candidates[volunteer + 1]
        hits = np.flatnonzero(self.candidate_requirement[start:stop] == requirement)
        return int(start + hits[0]) if hits.size else None

    def unavailable(self, volunteers: np.ndarray, camps: np.ndarray) -> Problem:
        """The same problem with ``volunteers`` unable to join any camp and ``camps``
        unable to take anyone: a mask, not a copy.

        The volunteers' max_camps become 0 (H5) and the camps' capacity 0 (H6: they
        cannot run); the locks on either are dropped. Only these per-volunteer and
        per-camp numbers are new: the candidate arrays, and the views derived from them
        (``SHARED_VIEWS``, when computed), are this problem's own, so a no-show run on a
        season of 12 million candidates costs kilobytes, not a second copy of it.
        """
        max_camps = self.volunteer_max_camps.copy()
        max_camps[volunteers] = 0
        capacity = self.camp_capacity.copy()
        capacity[camps] = 0
        locked = self.locked_candidates
        keep = (max_camps[self.candidate_volunteer[locked]] > 0) & (
            capacity[self.requirement_camp[self.candidate_requirement[locked]]] > 0
        )
        file_index = self.locked_file_index
        masked = replace(
            self,
            volunteer_max_camps=frozen(max_camps),
            camp_capacity=frozen(capacity),
            locked_candidates=locked[keep],
            locked_file_index=file_index[keep] if len(file_index) == len(keep) else file_index,
        )
        for view in SHARED_VIEWS:
            if view in self.__dict__:  # computed here: share it rather than recompute it
                masked.__dict__[view] = self.__dict__[view]
        return masked

    def restricted(self, candidates: np.ndarray) -> Problem:
        """The same problem with only ``candidates`` (ascending indices) as candidates.

        Every roster of the restricted problem is a roster of this one (the rules are
        the same, fewer choices) when the locks are among ``candidates``; locks outside
        are left out (a caller that models part of a roster keeps them in the rest).
        """
        # each lock's position among ``candidates`` (a search: the neighbourhood search
        # restricts a season of twelve million candidates to a few thousand, often)
        locked = np.searchsorted(candidates, self.locked_candidates)
        inside = locked < len(candidates)
        inside[inside] = candidates[locked[inside]] == self.locked_candidates[inside]
        file_index = self.locked_file_index
        return replace(
            self,
            candidate_volunteer=self.candidate_volunteer[candidates],
            candidate_requirement=self.candidate_requirement[candidates],
            candidate_km=self.candidate_km[candidates],
            locked_candidates=locked[inside].astype(np.int64),
            locked_file_index=file_index[inside] if len(file_index) == len(inside) else file_index,
        )
