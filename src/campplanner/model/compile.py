"""Compiling an instance: the pydantic models of the file become a :class:`Problem`.

Ids become indices in file order, dates day ordinals, and the candidate triples are
built by applying every candidate rule of :mod:`campplanner.model.rules` (H1, H2, H5's
``max_camps`` 0, H7, H8 and the forbidden half of H10) with numpy over blocks of camps,
so 22,000 volunteers and 1,200 camps compile in a second or two.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

import numpy as np

from campplanner.contract.instance import day_of
from campplanner.contract.limits import memory_limit, refuse_beyond_limit
from campplanner.contract.schema import Instance
from campplanner.model.problem import GENDER_CODE, Problem, frozen
from campplanner.model.rules import (
    RoadKm,
    Why,
    camp_filters,
    candidate_failure,
    road_km,
    skill_filter,
)

_CAMP_BLOCK = 64  # camps per block: bounds the dense (camps x volunteers) masks to ~1.5M cells
# Memory at the peak of a solve, per candidate: compiling sorts an int64 key and splits
# it, the solvers keep a few arrays over the candidates (figures: docs/benchmarks.md).
BYTES_PER_CANDIDATE = 64
BYTES_PER_VOLUNTEER = 256  # id, name, the per-volunteer arrays, the candidate filters
BYTES_PER_REQUIREMENT = 64


def compile_instance(instance: Instance) -> Problem:
    """Compile a validated instance (see :mod:`campplanner.contract.instance`) into a Problem.

    Raises :class:`~campplanner.contract.limits.TooLarge` before building anything that would
    not fit in memory (see :func:`refuse_a_problem_too_large`).
    """
    could_be_too_large = refuse_a_problem_too_large(instance)
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
    volunteer_skill_until = _skill_expiries(instance, skill_of)

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
        place_lat=frozen(place_lat),
        place_lon=frozen(place_lon),
        group_ids=group_ids,
        group_names=tuple(g.name for g in instance.groups),
        volunteer_ids=tuple(v.id for v in volunteers),
        volunteer_names=tuple(v.name for v in volunteers),
        volunteer_home=frozen(volunteer_home),
        volunteer_group=frozen(volunteer_group),
        volunteer_gender=frozen(volunteer_gender),
        volunteer_max_camps=frozen(volunteer_max_camps),
        volunteer_max_km=frozen(volunteer_max_km),
        volunteer_skill_level=frozen(volunteer_skill_level),
        availability_ptr=frozen(availability_ptr),
        availability_start=frozen(availability_start),
        availability_end=frozen(availability_end),
        camp_ids=tuple(c.id for c in camps),
        camp_names=tuple(c.name for c in camps),
        camp_place=frozen(camp_place),
        camp_start=frozen(camp_start),
        camp_end=frozen(camp_end),
        camp_capacity=frozen(camp_capacity),
        camp_priority=frozen(camp_priority),
        camp_gender=frozen(camp_gender),
        camp_requirements=frozen(camp_requirements),
        requirement_camp=frozen(requirement_camp),
        requirement_skill=frozen(requirement_skill),
        requirement_count=frozen(requirement_count),
        requirement_level=frozen(requirement_level),
        requirement_essential=frozen(requirement_essential),
        candidate_volunteer=np.zeros(0, dtype=np.int32),
        candidate_requirement=np.zeros(0, dtype=np.int32),
        candidate_km=np.zeros(0, dtype=np.float32),
        locked_candidates=frozen(np.zeros(0, dtype=np.int64)),
        impossible_locks=(),
        forbidden_pairs=forbidden_pairs,
        weights=_file_weights(instance),
        volunteer_skill_until=volunteer_skill_until,
    )
    if could_be_too_large:
        refuse_too_many_candidates(problem)
    problem = with_candidates(problem)
    return _with_locks(problem, instance)


# ------------------------------------------------------------------ the size, first


def _counts(num_volunteers: int, num_camps: int, num_skills: int) -> str:
    return f"{num_volunteers:,} volunteers, {num_camps:,} camps and {num_skills:,} skills"


def _array_bytes(instance: Instance) -> int:
    """The arrays built before the candidates: the (volunteers x skills) matrix of levels,
    the per-volunteer and per-requirement arrays, the (places x places) road table."""
    num_volunteers, num_skills = len(instance.volunteers), len(instance.skills)
    num_requirements = sum(len(camp.requirements) for camp in instance.camps)
    return (
        num_volunteers * num_skills
        + num_volunteers * BYTES_PER_VOLUNTEER
        + num_requirements * BYTES_PER_REQUIREMENT
        + len(instance.places) ** 2 * 8
    )


def candidate_bound(instance: Instance) -> int:
    """At most this many candidates: for every slot asked for, everyone with its skill
    (about three times the real number on the province's season)."""
    holders = Counter(skill for volunteer in instance.volunteers for skill in volunteer.skills)
    return sum(holders[r.skill] for camp in instance.camps for r in camp.requirements)


def refuse_a_problem_too_large(instance: Instance) -> bool:
    """Refuse (TooLarge) when the arrays alone would pass the memory limit; returns
    whether the candidates might (their bound does), so that they are counted first."""
    counts = _counts(len(instance.volunteers), len(instance.camps), len(instance.skills))
    arrays = _array_bytes(instance)
    refuse_beyond_limit(counts, arrays)
    return arrays + candidate_bound(instance) * BYTES_PER_CANDIDATE > memory_limit()


def refuse_too_many_candidates(problem: Problem) -> None:
    """Count the candidates block by block (bounded memory) and refuse (TooLarge) as
    soon as those counted so far pass the limit: a billion need not all be counted."""
    p = problem
    arrays = (
        p.volunteer_skill_level.nbytes
        + p.num_volunteers * BYTES_PER_VOLUNTEER
        + p.num_requirements * BYTES_PER_REQUIREMENT
        + len(p.place_ids) ** 2 * 8
    )
    enough = max(0, (memory_limit() - arrays) // BYTES_PER_CANDIDATE + 1)
    counted = count_candidates(p, stop_at=enough)
    at_least = "at least " if counted >= enough else ""
    refuse_beyond_limit(
        f"{_counts(p.num_volunteers, p.num_camps, p.num_skills)}, with "
        f"{at_least}{counted:,} candidate (volunteer, slot) pairs",
        arrays + counted * BYTES_PER_CANDIDATE,
    )


def count_candidates(problem: Problem, stop_at: int | None = None) -> int:
    """The number of candidates, counted block by block in bounded memory (or a number
    of at least ``stop_at``, once that many are found)."""
    counted = 0
    for volunteers, _ in _candidate_parts(problem, road_km(problem)):
        counted += len(volunteers)
        if stop_at is not None and counted >= stop_at:
            break
    return counted


def _skill_expiries(instance: Instance, skill_of: dict[str, int]) -> np.ndarray | None:
    """The last day each (volunteer, skill) counts (``valid_until``), a very late day for
    skills that never expire; None when nobody's does."""
    if not any(v.valid_until for v in instance.volunteers):
        return None
    never = np.iinfo(np.int64).max // 2
    until = np.full((len(instance.volunteers), len(skill_of)), never, dtype=np.int64)
    for v, volunteer in enumerate(instance.volunteers):
        for sid, day in (volunteer.valid_until or {}).items():
            until[v, skill_of[sid]] = day_of(day, instance.calendar)
    return frozen(until)


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


def with_candidates(problem: Problem) -> Problem:
    """The problem with its candidates: every (volunteer, requirement) pair that passes
    each candidate rule, sorted by volunteer, then camp (requirements are grouped by camp).
    """
    p = problem
    km = road_km(p)
    parts_volunteer: list[np.ndarray] = []
    parts_requirement: list[np.ndarray] = []
    for volunteers, requirements in _candidate_parts(p, km):
        parts_volunteer.append(volunteers)
        parts_requirement.append(requirements)

    if not parts_volunteer:
        volunteer = np.zeros(0, dtype=np.int32)
        requirement = np.zeros(0, dtype=np.int32)
    else:
        # Each (volunteer, requirement) pair occurs once, so sorting one int64 key,
        # volunteer major, gives the order of a two-key lexsort without its permutation
        # and gathers, which were half of compiling a season (figures: docs/benchmarks.md).
        # Requirements are grouped by camp, so this is also the order by volunteer, then
        # camp.
        num_requirements = p.num_requirements
        key = np.concatenate(parts_volunteer).astype(np.int64) * num_requirements
        key += np.concatenate(parts_requirement)
        key.sort()
        volunteer_64, requirement_64 = np.divmod(key, num_requirements)
        volunteer = volunteer_64.astype(np.int32)
        requirement = requirement_64.astype(np.int32)
    candidate_km = km.of_pairs(p.requirement_camp[requirement], volunteer).astype(np.float32)
    return replace(
        p,
        candidate_volunteer=frozen(volunteer),
        candidate_requirement=frozen(requirement),
        candidate_km=frozen(candidate_km),
    )


def _candidate_parts(p: Problem, km: RoadKm) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(volunteers, requirements) of the candidates, one block of camps and skill at a time."""
    volunteers_with_skill = [
        np.flatnonzero(p.volunteer_skill_level[:, s]) for s in range(p.num_skills)
    ]
    for block_start in range(0, p.num_camps, _CAMP_BLOCK):
        block = np.arange(block_start, min(block_start + _CAMP_BLOCK, p.num_camps))
        eligible = np.logical_and.reduce(list(camp_filters(p, block, km.of_camps(block)).values()))
        first_req = np.searchsorted(p.requirement_camp, block[0], side="left")
        last_req = np.searchsorted(p.requirement_camp, block[-1], side="right")
        block_reqs = np.arange(first_req, last_req)
        # H1 one skill at a time, over the volunteers who hold it: far fewer than all
        for s in np.unique(p.requirement_skill[block_reqs]):
            reqs = block_reqs[p.requirement_skill[block_reqs] == s]
            holders = volunteers_with_skill[s]
            rows = p.requirement_camp[reqs] - block_start
            ok = eligible[rows][:, holders] & skill_filter(p, reqs, holders)
            req_pos, holder_pos = np.nonzero(ok)
            yield holders[holder_pos].astype(np.int32), reqs[req_pos].astype(np.int32)


def _file_weights(instance: Instance) -> dict[str, float]:
    """The weights the file sets, by term name (unset ones are left out)."""
    if instance.weights is None:
        return {}
    return {
        name: value for name, value in instance.weights.model_dump().items() if value is not None
    }


def _with_locks(problem: Problem, instance: Instance) -> Problem:
    """Resolve each lock to its candidate, or record why it can never hold."""
    locked: list[int] = []
    locked_file_index: list[int] = []
    impossible: list[tuple[int, Why]] = []
    seen: set[int] = set()
    for index, entry in enumerate(instance.locked):
        v = problem.volunteer_index[entry.volunteer]
        c = problem.camp_index[entry.camp]
        s = problem.skill_index[entry.skill]
        requirement = problem.requirement_index.get((c, s))
        if requirement is None:
            impossible.append((index, Why("no_slot", camp=entry.camp, skill=entry.skill)))
            continue
        candidate = problem.candidate_index(v, requirement)
        if candidate is None:
            impossible.append((index, candidate_failure(problem, v, requirement)))
        elif candidate not in seen:
            seen.add(candidate)
            locked.append(candidate)
            locked_file_index.append(index)
    return replace(
        problem,
        locked_candidates=frozen(np.array(locked, dtype=np.int64)),
        impossible_locks=tuple(impossible),
        locked_file_index=frozen(np.array(locked_file_index, dtype=np.int64)),
    )


# ------------------------------------------------------------- an edit, compiled


def recompiled(problem: Problem, instance: Instance, volunteers: list[int]) -> Problem:
    """The problem of ``instance``, an edit of the instance ``problem`` was compiled from
    that changes only the records of ``volunteers`` (indices; availability, skills,
    limits...), the forbidden pairs and locks (of anyone), the camps' capacities and the
    name: the candidates of those volunteers compiled again, every other candidate and
    array kept. The same problem as ``compile_instance(instance)``, array for array
    (``tests/test_resolve_reuse.py``), in a fraction of a second on the season instead of
    seconds: a re-solve of the review page starts from the current version's problem.

    Each changed volunteer's candidates come from compiling the instance with only the
    changed volunteers (every camp kept, so camps and requirements keep their indices):
    every candidate rule is applied by its one home, as ``compile_instance`` applies it.
    """
    changed = np.unique(np.asarray(volunteers, dtype=np.int64))
    changed_ids = {instance.volunteers[v].id for v in changed}
    part = compile_instance(
        instance.model_copy(
            update={
                "volunteers": [instance.volunteers[v] for v in changed],
                "locked": [],
                "forbidden": [f for f in instance.forbidden if f.volunteer in changed_ids],
            }
        )
    )
    p = problem
    keep = ~np.isin(p.candidate_volunteer, changed)
    new_volunteer = changed[part.candidate_volunteer].astype(np.int32)
    old_key = p.candidate_volunteer[keep].astype(np.int64) * p.num_requirements
    old_key += p.candidate_requirement[keep]
    new_key = new_volunteer.astype(np.int64) * p.num_requirements + part.candidate_requirement
    at = np.searchsorted(old_key, new_key)  # both sorted by (volunteer, requirement)

    def spliced(old: np.ndarray, new: np.ndarray) -> np.ndarray:
        return frozen(np.insert(old[keep], at, new.astype(old.dtype)))

    def per_volunteer(old: np.ndarray, new: np.ndarray) -> np.ndarray:
        array = old.copy()
        array[changed] = new
        return frozen(array)

    availability_ptr, availability_start, availability_end = _availability(instance)
    volunteer_of = p.volunteer_index
    camp_of = p.camp_index
    edited = replace(
        p,
        name=instance.name,
        volunteer_names=tuple(v.name for v in instance.volunteers),
        volunteer_home=per_volunteer(p.volunteer_home, part.volunteer_home),
        volunteer_group=per_volunteer(p.volunteer_group, part.volunteer_group),
        volunteer_gender=per_volunteer(p.volunteer_gender, part.volunteer_gender),
        volunteer_max_camps=per_volunteer(p.volunteer_max_camps, part.volunteer_max_camps),
        volunteer_max_km=per_volunteer(p.volunteer_max_km, part.volunteer_max_km),
        volunteer_skill_level=per_volunteer(p.volunteer_skill_level, part.volunteer_skill_level),
        availability_ptr=frozen(availability_ptr),
        availability_start=frozen(availability_start),
        availability_end=frozen(availability_end),
        camp_capacity=frozen(np.array([c.capacity for c in instance.camps], dtype=np.int32)),
        candidate_volunteer=spliced(p.candidate_volunteer, new_volunteer),
        candidate_requirement=spliced(p.candidate_requirement, part.candidate_requirement),
        candidate_km=spliced(p.candidate_km, part.candidate_km),
        locked_candidates=frozen(np.zeros(0, dtype=np.int64)),
        impossible_locks=(),
        locked_file_index=np.zeros(0, dtype=np.int64),
        forbidden_pairs=frozenset(
            (volunteer_of[f.volunteer], camp_of[f.camp]) for f in instance.forbidden
        ),
        weights=_file_weights(instance),
    )
    edited = _with_locks(edited, instance)
    for view in ("volunteer_index", "camp_index", "skill_index", "requirement_index"):
        if view in p.__dict__:  # ids and requirements are the same: share them
            edited.__dict__[view] = p.__dict__[view]
    return edited


def closed_camps(
    problem: Problem,
    closed: np.ndarray,
    forbidden: frozenset[tuple[int, int]],
    locks: np.ndarray,
    first_lock: int,
    capacity: dict[int, int],
    name: str,
) -> Problem | None:
    """The problem of an edit of the instance ``problem`` was compiled from that only
    narrows it: the camps ``closed`` (indices) closed to everyone (their candidates'
    pairs among ``forbidden``, the forbidden pairs the edited instance lists), ``locks``
    (rows of volunteer, camp and skill indices) appended to its locks (the first at
    ``first_lock`` in its list), the camps of ``capacity`` given those capacities, and
    ``name``: a county coordinator's re-solve keeps the other counties' camps as they
    are so. The same problem as ``compile_instance`` of that instance, array for array
    (``tests/test_resolve_reuse.py``), without compiling a candidate: the closed camps'
    candidates dropped, the locks found by a search. None when a lock has no candidate,
    or an earlier lock was on a closed camp (the full compile then says why)."""
    p = problem
    keep = ~np.isin(p.candidate_camp, np.asarray(closed, dtype=np.int64))
    narrowed = p.restricted(np.flatnonzero(keep))
    if len(narrowed.locked_candidates) != len(p.locked_candidates):
        return None
    locks = np.asarray(locks, dtype=np.int64).reshape(-1, 3)
    requirement_of = p.requirement_index
    requirement = np.array(
        [requirement_of.get((int(c), int(s)), -1) for _, c, s in locks], dtype=np.int64
    )
    key = narrowed.candidate_volunteer.astype(np.int64) * p.num_requirements
    key += narrowed.candidate_requirement  # ascending: sorted by volunteer, requirement
    wanted = locks[:, 0] * p.num_requirements + requirement
    found = np.searchsorted(key, wanted)
    hit = (requirement >= 0) & (found < len(key))
    hit[hit] = key[found[hit]] == wanted[hit]
    if not hit.all():
        return None
    # each candidate once, its first lock kept (as compile_instance resolves them)
    order = np.concatenate([narrowed.locked_candidates, found])
    _, first = np.unique(order, return_index=True)
    first.sort()
    file_index = np.concatenate(
        [narrowed.locked_file_index, first_lock + np.arange(len(locks), dtype=np.int64)]
    )
    capacities = p.camp_capacity.copy()
    for camp, size in capacity.items():
        capacities[camp] = size
    edited = replace(
        narrowed,
        name=name,
        candidate_volunteer=frozen(narrowed.candidate_volunteer),
        candidate_requirement=frozen(narrowed.candidate_requirement),
        candidate_km=frozen(narrowed.candidate_km),
        camp_capacity=frozen(capacities),
        forbidden_pairs=forbidden,
        locked_candidates=frozen(order[first].astype(np.int64)),
        locked_file_index=frozen(file_index[first]),
    )
    for view in ("volunteer_index", "camp_index", "skill_index", "requirement_index"):
        if view in p.__dict__:  # ids and requirements are the same: share them
            edited.__dict__[view] = p.__dict__[view]
    return edited
