"""The compiled problem: an immutable, index-based form of an instance.

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

Rules that tie several assignments together (H3 to H6, H9, locks) are the solver's.
Candidates are built with numpy over blocks of camps, so 22,000 volunteers and
1,000 camps compile in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from campplanner.calendar import Calendar
from campplanner.contract import Instance
from campplanner.loader import day_of

EARTH_RADIUS_KM = 6371.0
GENDER_CODE = {None: 0, "f": 1, "m": 2}
_CAMP_BLOCK = 64  # camps per block: bounds the dense (camps x volunteers) masks to ~1.5M cells


def great_circle_km(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """Haversine distance in km on a sphere of radius 6371 km (broadcasts)."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dphi = phi2 - phi1
    dlmb = np.radians(lon2) - np.radians(lon1)
    h = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class Problem:
    """An instance as arrays. Build it with :func:`compile_instance`."""

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
    impossible_locks: tuple[tuple[int, str], ...]
    forbidden_pairs: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    # Index in the file's "locked" list of each entry of locked_candidates (the first one
    # when a lock is repeated), so that conflicts can be named by their place in the file.
    locked_file_index: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

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
        return _frozen(self.requirement_camp[self.candidate_requirement])

    @cached_property
    def candidate_skill(self) -> np.ndarray:
        return _frozen(self.requirement_skill[self.candidate_requirement])

    @cached_property
    def candidate_value(self) -> np.ndarray:
        """Coverage earned by each candidate if assigned: its camp's priority."""
        return _frozen(self.camp_priority[self.candidate_camp].astype(np.int64))

    @cached_property
    def volunteer_candidates(self) -> np.ndarray:
        """CSR pointer: volunteer v's candidates are ``[p[v], p[v+1])`` (sorted by camp)."""
        counts = np.bincount(self.candidate_volunteer, minlength=self.num_volunteers)
        return _frozen(np.concatenate(([0], np.cumsum(counts))).astype(np.int64))

    @cached_property
    def requirement_candidates(self) -> tuple[np.ndarray, np.ndarray]:
        """(pointer, candidate indices): requirement r's candidates, by volunteer."""
        order = np.argsort(self.candidate_requirement, kind="stable")
        counts = np.bincount(self.candidate_requirement, minlength=self.num_requirements)
        pointer = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        return _frozen(pointer), _frozen(order)

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

    def road_km(self, place_a: int, place_b: int) -> float:
        """Road km between two places: great-circle km times the road factor."""
        km = great_circle_km(
            self.place_lat[place_a], self.place_lon[place_a],
            self.place_lat[place_b], self.place_lon[place_b],
        )  # fmt: skip
        return float(km) * self.road_factor

    def candidate_index(self, volunteer: int, requirement: int) -> int | None:
        """The candidate index of (volunteer, requirement), or None if it is no candidate."""
        start, stop = self.volunteer_candidates[volunteer], self.volunteer_candidates[volunteer + 1]
        hits = np.flatnonzero(self.candidate_requirement[start:stop] == requirement)
        return int(start + hits[0]) if hits.size else None

    def restricted(self, candidates: np.ndarray) -> Problem:
        """The same problem with only ``candidates`` (ascending indices) as candidates.

        Every roster of the restricted problem is a roster of this one (the rules are
        the same, fewer choices); locks must be among ``candidates``.
        """
        position = np.full(self.num_candidates, -1, dtype=np.int64)
        position[candidates] = np.arange(len(candidates))
        return replace(
            self,
            candidate_volunteer=self.candidate_volunteer[candidates],
            candidate_requirement=self.candidate_requirement[candidates],
            candidate_km=self.candidate_km[candidates],
            locked_candidates=position[self.locked_candidates],
        )

    def camps_conflict(self, camp_a: int, camp_b: int) -> bool:
        """True if one volunteer cannot join both camps (H4: overlap or too little rest)."""
        first, second = sorted((camp_a, camp_b), key=lambda c: self.camp_start[c])
        if first == second:
            return True
        gap = int(self.camp_start[second]) - int(self.camp_end[first]) - 1
        return gap < self.rest_days


# ------------------------------------------------------------------- compilation


def compile_instance(instance: Instance) -> Problem:
    """Compile a validated instance (see :mod:`campplanner.loader`) into a Problem."""
    calendar = instance.calendar
    skill_ids = tuple(s.id for s in instance.skills)
    skill_of = {sid: i for i, sid in enumerate(skill_ids)}
    place_ids = tuple(p.id for p in instance.places)
    place_of = {pid: i for i, pid in enumerate(place_ids)}
    group_ids = tuple(g.id for g in instance.groups)
    group_of = {gid: i for i, gid in enumerate(group_ids)}
    volunteers = instance.volunteers
    camps = instance.camps
    num_volunteers, num_skills = len(volunteers), len(skill_ids)

    place_lat = np.array([p.lat for p in instance.places], dtype=np.float64)
    place_lon = np.array([p.lon for p in instance.places], dtype=np.float64)

    default_max_camps = instance.rules.max_camps
    volunteer_home = np.array([place_of[v.home] for v in volunteers], dtype=np.int32)
    volunteer_group = np.array(
        [group_of[v.group] if v.group is not None else -1 for v in volunteers], dtype=np.int32
    )
    volunteer_gender = np.array([GENDER_CODE[v.gender] for v in volunteers], dtype=np.int8)
    volunteer_max_camps = np.array(
        [default_max_camps if v.max_camps is None else v.max_camps for v in volunteers],
        dtype=np.int32,
    )
    volunteer_max_km = np.array(
        [np.inf if v.max_km is None else v.max_km for v in volunteers], dtype=np.float64
    )
    skill_rows: list[int] = []
    skill_cols: list[int] = []
    skill_vals: list[int] = []
    for v, volunteer in enumerate(volunteers):
        for sid, level in volunteer.skills.items():
            skill_rows.append(v)
            skill_cols.append(skill_of[sid])
            skill_vals.append(level)
    volunteer_skill_level = np.zeros((num_volunteers, num_skills), dtype=np.uint8)
    volunteer_skill_level[skill_rows, skill_cols] = skill_vals

    availability_ptr, availability_start, availability_end = _availability(instance)

    camp_place = np.array([place_of[c.place] for c in camps], dtype=np.int32)
    camp_start = np.array([day_of(c.start, calendar) for c in camps], dtype=np.int64)
    camp_end = np.array([day_of(c.end, calendar) for c in camps], dtype=np.int64)
    camp_capacity = np.array([c.capacity for c in camps], dtype=np.int32)
    camp_priority = np.array([c.priority for c in camps], dtype=np.int32)
    camp_gender = np.array([GENDER_CODE[c.gender] for c in camps], dtype=np.int8)
    camp_requirements = np.zeros(len(camps) + 1, dtype=np.int64)
    camp_requirements[1:] = np.cumsum([len(c.requirements) for c in camps])
    requirements = [(c, r) for c, camp in enumerate(camps) for r in camp.requirements]
    requirement_camp = np.array([c for c, _ in requirements], dtype=np.int32)
    requirement_skill = np.array([skill_of[r.skill] for _, r in requirements], dtype=np.int32)
    requirement_count = np.array([r.count for _, r in requirements], dtype=np.int32)
    requirement_level = np.array([r.level for _, r in requirements], dtype=np.uint8)
    requirement_essential = np.array([r.essential for _, r in requirements], dtype=bool)

    volunteer_of = {vid.id: i for i, vid in enumerate(volunteers)}
    camp_of = {c.id: i for i, c in enumerate(camps)}
    forbidden_pairs = frozenset(
        (volunteer_of[f.volunteer], camp_of[f.camp]) for f in instance.forbidden
    )

    candidate_volunteer, candidate_requirement, candidate_km = _candidates(
        road_factor=instance.rules.road_factor,
        place_lat=place_lat,
        place_lon=place_lon,
        volunteer_home=volunteer_home,
        volunteer_gender=volunteer_gender,
        volunteer_max_camps=volunteer_max_camps,
        volunteer_max_km=volunteer_max_km,
        volunteer_skill_level=volunteer_skill_level,
        availability=(availability_ptr, availability_start, availability_end),
        camp_place=camp_place,
        camp_start=camp_start,
        camp_end=camp_end,
        camp_gender=camp_gender,
        requirement_camp=requirement_camp,
        requirement_skill=requirement_skill,
        requirement_level=requirement_level,
        forbidden_pairs=forbidden_pairs,
    )

    problem = Problem(
        name=instance.name,
        calendar=calendar,
        rest_days=instance.rules.rest_days,
        road_factor=instance.rules.road_factor,
        skill_ids=skill_ids,
        skill_names=tuple(s.name for s in instance.skills),
        place_ids=place_ids,
        place_names=tuple(p.name for p in instance.places),
        place_counties=tuple(p.county for p in instance.places),
        place_lat=_frozen(place_lat),
        place_lon=_frozen(place_lon),
        group_ids=group_ids,
        group_names=tuple(g.name for g in instance.groups),
        volunteer_ids=tuple(v.id for v in volunteers),
        volunteer_names=tuple(v.name for v in volunteers),
        volunteer_home=_frozen(volunteer_home),
        volunteer_group=_frozen(volunteer_group),
        volunteer_gender=_frozen(volunteer_gender),
        volunteer_max_camps=_frozen(volunteer_max_camps),
        volunteer_max_km=_frozen(volunteer_max_km),
        volunteer_skill_level=_frozen(volunteer_skill_level),
        availability_ptr=_frozen(availability_ptr),
        availability_start=_frozen(availability_start),
        availability_end=_frozen(availability_end),
        camp_ids=tuple(c.id for c in camps),
        camp_names=tuple(c.name for c in camps),
        camp_place=_frozen(camp_place),
        camp_start=_frozen(camp_start),
        camp_end=_frozen(camp_end),
        camp_capacity=_frozen(camp_capacity),
        camp_priority=_frozen(camp_priority),
        camp_gender=_frozen(camp_gender),
        camp_requirements=_frozen(camp_requirements),
        requirement_camp=_frozen(requirement_camp),
        requirement_skill=_frozen(requirement_skill),
        requirement_count=_frozen(requirement_count),
        requirement_level=_frozen(requirement_level),
        requirement_essential=_frozen(requirement_essential),
        candidate_volunteer=_frozen(candidate_volunteer),
        candidate_requirement=_frozen(candidate_requirement),
        candidate_km=_frozen(candidate_km),
        locked_candidates=_frozen(np.zeros(0, dtype=np.int64)),
        impossible_locks=(),
        forbidden_pairs=forbidden_pairs,
    )
    return _with_locks(problem, instance)


def _availability(instance: Instance) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Availability ranges in CSR form; "always available" is one unbounded range."""
    always = (np.iinfo(np.int64).min // 2, np.iinfo(np.int64).max // 2)
    starts: list[int] = []
    ends: list[int] = []
    pointer = [0]
    for volunteer in instance.volunteers:
        if volunteer.available is None:
            starts.append(always[0])
            ends.append(always[1])
        else:
            for first, last in volunteer.available:
                starts.append(day_of(first, instance.calendar))
                ends.append(day_of(last, instance.calendar))
        pointer.append(len(starts))
    return (
        np.array(pointer, dtype=np.int64),
        np.array(starts, dtype=np.int64),
        np.array(ends, dtype=np.int64),
    )


def _candidates(
    *,
    road_factor: float,
    place_lat: np.ndarray,
    place_lon: np.ndarray,
    volunteer_home: np.ndarray,
    volunteer_gender: np.ndarray,
    volunteer_max_camps: np.ndarray,
    volunteer_max_km: np.ndarray,
    volunteer_skill_level: np.ndarray,
    availability: tuple[np.ndarray, np.ndarray, np.ndarray],
    camp_place: np.ndarray,
    camp_start: np.ndarray,
    camp_end: np.ndarray,
    camp_gender: np.ndarray,
    requirement_camp: np.ndarray,
    requirement_skill: np.ndarray,
    requirement_level: np.ndarray,
    forbidden_pairs: frozenset[tuple[int, int]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(volunteer, requirement, road km) of every candidate, sorted by volunteer then camp."""
    num_volunteers = len(volunteer_home)
    num_camps = len(camp_place)
    availability_ptr, availability_start, availability_end = availability

    # Road km between every home place and every camp place, over distinct places only.
    home_places, home_slot = np.unique(volunteer_home, return_inverse=True)
    camp_places, camp_slot = np.unique(camp_place, return_inverse=True)
    place_km = road_factor * great_circle_km(
        place_lat[camp_places][:, None], place_lon[camp_places][:, None],
        place_lat[home_places][None, :], place_lon[home_places][None, :],
    )  # fmt: skip

    # Ranges belong to volunteers with at least one range; reduceat needs non-empty segments.
    ranges_per_volunteer = np.diff(availability_ptr)
    has_ranges = np.flatnonzero(ranges_per_volunteer > 0)
    segment_starts = availability_ptr[:-1][has_ranges]

    volunteers_with_skill = [
        np.flatnonzero(volunteer_skill_level[:, s]) for s in range(volunteer_skill_level.shape[1])
    ]
    forbidden_by_camp: dict[int, list[int]] = {}
    for v, c in forbidden_pairs:
        forbidden_by_camp.setdefault(c, []).append(v)
    can_serve = volunteer_max_camps > 0

    parts_volunteer: list[np.ndarray] = []
    parts_requirement: list[np.ndarray] = []
    for block_start in range(0, num_camps, _CAMP_BLOCK):
        block = np.arange(block_start, min(block_start + _CAMP_BLOCK, num_camps))
        km = place_km[camp_slot[block]][:, home_slot]  # (block, volunteers)

        eligible = np.zeros((len(block), num_volunteers), dtype=bool)  # H2 dates
        if has_ranges.size:
            inside = (availability_start[None, :] <= camp_start[block][:, None]) & (
                availability_end[None, :] >= camp_end[block][:, None]
            )
            eligible[:, has_ranges] = np.logical_or.reduceat(inside, segment_starts, axis=1)
        eligible &= km <= volunteer_max_km[None, :]  # H8 distance
        gender = camp_gender[block][:, None]
        eligible &= (gender == 0) | (volunteer_gender[None, :] == gender)  # H7 gender
        eligible &= can_serve[None, :]
        for row, c in enumerate(block):  # H10 forbidden
            if c in forbidden_by_camp:
                eligible[row, forbidden_by_camp[c]] = False

        first_req = np.searchsorted(requirement_camp, block[0], side="left")
        last_req = np.searchsorted(requirement_camp, block[-1], side="right")
        block_reqs = np.arange(first_req, last_req)
        for s in np.unique(requirement_skill[block_reqs]):  # H1 skill, one skill at a time
            reqs = block_reqs[requirement_skill[block_reqs] == s]
            holders = volunteers_with_skill[s]
            rows = requirement_camp[reqs] - block_start
            ok = eligible[rows][:, holders] & (
                volunteer_skill_level[holders, s][None, :] >= requirement_level[reqs][:, None]
            )
            req_pos, holder_pos = np.nonzero(ok)
            parts_volunteer.append(holders[holder_pos].astype(np.int32))
            parts_requirement.append(reqs[req_pos].astype(np.int32))

    if not parts_volunteer:
        empty = np.zeros(0, dtype=np.int32)
        return empty, empty.copy(), np.zeros(0, dtype=np.float32)
    # Each (volunteer, requirement) pair occurs once, so sorting one int64 key, volunteer
    # major, gives the order of a two-key lexsort, without its permutation and gathers:
    # on instances/markazi-season (12M candidates) compile fell from 3.1 s to ~1.2 s.
    # Requirements are grouped by camp, so this is also the order by volunteer, then camp.
    num_requirements = len(requirement_camp)
    key = np.concatenate(parts_volunteer).astype(np.int64) * num_requirements
    key += np.concatenate(parts_requirement)
    key.sort()
    volunteer, requirement = np.divmod(key, num_requirements)
    volunteer = volunteer.astype(np.int32)
    requirement = requirement.astype(np.int32)
    # A flat take from the small float32 table beats 2-D fancy indexing of float64.
    flat = camp_slot[requirement_camp].astype(np.int64)[requirement] * len(home_places)
    flat += home_slot[volunteer]
    km = np.take(place_km.astype(np.float32).ravel(), flat)
    return volunteer, requirement, km


def _with_locks(problem: Problem, instance: Instance) -> Problem:
    """Resolve each lock to its candidate, or record why it can never hold."""
    locked: list[int] = []
    locked_file_index: list[int] = []
    impossible: list[tuple[int, str]] = []
    seen: set[int] = set()
    for index, entry in enumerate(instance.locked):
        v = problem.volunteer_index[entry.volunteer]
        c = problem.camp_index[entry.camp]
        s = problem.skill_index[entry.skill]
        requirement = problem.requirement_index.get((c, s))
        if requirement is None:
            impossible.append((index, f"camp {entry.camp} has no slot for {entry.skill}"))
            continue
        candidate = problem.candidate_index(v, requirement)
        if candidate is None:
            impossible.append((index, lock_failure_reason(problem, v, requirement)))
        elif candidate not in seen:
            seen.add(candidate)
            locked.append(candidate)
            locked_file_index.append(index)
    return replace(
        problem,
        locked_candidates=_frozen(np.array(locked, dtype=np.int64)),
        impossible_locks=tuple(impossible),
        locked_file_index=_frozen(np.array(locked_file_index, dtype=np.int64)),
    )


def lock_failure_reason(problem: Problem, volunteer: int, requirement: int) -> str:
    """Which single-assignment rule rules out (volunteer, requirement), in words."""
    c = int(problem.requirement_camp[requirement])
    s = int(problem.requirement_skill[requirement])
    who, camp = problem.volunteer_ids[volunteer], problem.camp_ids[c]
    level = int(problem.volunteer_skill_level[volunteer, s])
    needed = int(problem.requirement_level[requirement])
    if level < needed:
        skill = problem.skill_ids[s]
        has = f"has {skill} at level {level}" if level else f"does not have {skill}"
        return f"H1: {who} {has}, camp {camp} needs level {needed}"
    lo, hi = problem.availability_ptr[volunteer], problem.availability_ptr[volunteer + 1]
    starts, ends = problem.availability_start[lo:hi], problem.availability_end[lo:hi]
    if not np.any((starts <= problem.camp_start[c]) & (ends >= problem.camp_end[c])):
        return f"H2: {who} is not available for all the days of camp {camp}"
    if problem.camp_gender[c] and problem.volunteer_gender[volunteer] != problem.camp_gender[c]:
        return f"H7: camp {camp} is single-gender and {who} is not of that gender"
    km = problem.road_km(int(problem.volunteer_home[volunteer]), int(problem.camp_place[c]))
    if km > problem.volunteer_max_km[volunteer]:
        limit = problem.volunteer_max_km[volunteer]
        return f"H8: camp {camp} is {km:.0f} road km from {who}'s home, more than {limit:g}"
    if (volunteer, c) in problem.forbidden_pairs:
        return f"H10: {who} at camp {camp} is also forbidden"
    if problem.volunteer_max_camps[volunteer] == 0:
        return f"H5: {who} may join no camp (max_camps 0)"
    return f"{who} cannot serve camp {camp}"


def load_problem(path: str) -> tuple[Instance, Problem]:
    """Load and compile an instance file in one step."""
    from campplanner.loader import load_instance

    instance = load_instance(path)
    return instance, compile_instance(instance)

