"""The hard rules H1 to H10 of the data contract, each in one place.

Every part of campplanner that must respect a rule reads it from here: compiling the
candidates (:mod:`campplanner.model.compile`), the incremental rule check shared by the
greedy, the swaps and the large-neighbourhood search (:mod:`campplanner.model.state`),
the greedy's scalar pass, the exact CP-SAT model (``solver/cpsat_model.py`` has one
``add_<rule>`` per roster rule, keyed by rule id, which the neighbourhood search's
sub-models reuse), the bounds, re-planning, ``explain``, the search for conflicting
locks and the replacement rankings. Only the independent checker (``check.py``) keeps
its own reading, on purpose.

A rule acts at one of two scopes:

- *candidate* rules (H1 skill, H2 dates, H7 gender, H8 distance, the forbidden half of
  H10, and ``max_camps`` 0 of H5) judge one (volunteer, camp, skill) triple alone. They
  are applied once, when the candidates are compiled: a triple that fails one of them
  never becomes a candidate, so no solver has to think of it again. Each has a
  vectorised *filter* over a block of camps and every volunteer.
- *roster* rules (H3 one role, H4 no overlap, H5 load, H6 slots and beds, H9 essential,
  the locked half of H10) tie several assignments together. Each is one function here
  (``ROSTER_PREDICATES``): the conflict window ``windows_meet`` (H3, H4), the camp
  limit ``camps_left`` (H5), the room left ``slots_left`` and ``beds_left`` (H6), the
  essentials ``essentials_missing`` (H9). Every solver, ``explain`` and every ranking
  asks these, in numpy or (in a hot loop) on plain numbers; what they share on top
  (the cliques of conflicting camps, which camps can run at all, H9 on a roster) is
  built from them here too.

This module imports no solver: it is data and numpy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from campplanner.contract.calendar import format_day
from campplanner.contract.why import Why
from campplanner.model.geo import great_circle_km
from campplanner.model.problem import Problem

CANDIDATE = "candidate"
ROSTER = "roster"


@dataclass(frozen=True)
class Rule:
    """A hard rule of the contract: its id, its words, its maths and where it acts."""

    id: str  # "H1" .. "H10", as the contract and the checker name it
    title: str
    title_fa: str
    maths: str  # one line; docs/model.md has the full model
    scopes: frozenset[str]  # CANDIDATE and/or ROSTER


RULES: tuple[Rule, ...] = (
    Rule(
        "H1",
        "skill at the level asked",
        "مهارت در سطح خواسته‌شده",
        "x[v,c,s] = 0 unless level[v,s] >= level[c,s]",
        frozenset({CANDIDATE}),
    ),
    Rule(
        "H2",
        "available for the whole camp",
        "در دسترس در تمام روزهای اردو",
        "x[v,c,s] = 0 unless some range [a, b] of v has a <= start[c] and end[c] <= b",
        frozenset({CANDIDATE}),
    ),
    Rule(
        "H3",
        "one slot per volunteer per camp",
        "یک نقش برای هر نفر در هر اردو",
        "sum_s x[v,c,s] <= 1",
        frozenset({ROSTER}),
    ),
    Rule(
        "H4",
        "no overlap, rest days between camps",
        "بدون هم‌پوشانی، با روزهای استراحت",
        "sum_{c in K, s} x[v,c,s] <= 1 for every clique K of camps whose "
        "[start, end + rest_days] intervals overlap",
        frozenset({ROSTER}),
    ),
    Rule(
        "H5",
        "most camps per volunteer",
        "بیشترین تعداد اردو برای هر نفر",
        "sum_{c,s} x[v,c,s] <= max_camps[v]",
        frozenset({CANDIDATE, ROSTER}),
    ),
    Rule(
        "H6",
        "slots per requirement and beds per camp",
        "ظرفیت نقش‌ها و تخت‌های اردو",
        "sum_v x[v,c,s] <= count[c,s]; sum_{v,s} x[v,c,s] <= capacity[c]",
        frozenset({ROSTER}),
    ),
    Rule(
        "H7",
        "single-gender camp",
        "اردوی تک‌جنسیتی",
        "x[v,c,s] = 0 if gender[c] is set and gender[v] != gender[c]",
        frozenset({CANDIDATE}),
    ),
    Rule(
        "H8",
        "distance from home",
        "فاصله از محل سکونت",
        "x[v,c,s] = 0 if road_km(home[v], place[c]) > max_km[v]",
        frozenset({CANDIDATE}),
    ),
    Rule(
        "H9",
        "essential roles of a running camp",
        "نقش‌های ضروری اردوی برگزارشده",
        "x[v,c,s] <= runs[c]; sum_v x[v,c,s] >= count[c,s] runs[c] for essential (c,s)",
        frozenset({ROSTER}),
    ),
    Rule(
        "H10",
        "locked and forbidden",
        "قفل‌شده و ممنوع",
        "x[v,c,s] = 1 for locked triples; x[v,c,s] = 0 for forbidden pairs (v, c)",
        frozenset({CANDIDATE, ROSTER}),
    ),
)

RULE_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
ROSTER_RULES: tuple[str, ...] = tuple(r.id for r in RULES if ROSTER in r.scopes)
CANDIDATE_RULES: tuple[str, ...] = tuple(r.id for r in RULES if CANDIDATE in r.scopes)


# ------------------------------------------------------------------ candidate rules
# Each filter returns a boolean matrix (len(camps), num_volunteers): True where the
# volunteer passes the rule for that camp. H1 is per requirement (a camp asks for
# several skills), so its filter takes requirements instead.


def skill_filter(
    problem: Problem, requirements: np.ndarray, volunteers: np.ndarray | None = None
) -> np.ndarray:
    """H1: the volunteer holds the requirement's skill at its level or above, and the
    qualification is still valid on the camp's last day (``valid_until``, when given).

    A matrix (len(requirements), volunteers), over every volunteer by default.
    """
    skills = problem.requirement_skill[requirements]
    levels = problem.volunteer_skill_level[:, skills].T
    if volunteers is not None:
        levels = levels[:, volunteers]
    holds = levels >= problem.requirement_level[requirements][:, None]
    if problem.volunteer_skill_until is not None:
        until = problem.volunteer_skill_until[:, skills].T
        if volunteers is not None:
            until = until[:, volunteers]
        ends = problem.camp_end[problem.requirement_camp[requirements]]
        holds &= until >= ends[:, None]
    return holds


def skill_expired(problem: Problem, volunteer: int, requirement: int) -> str | None:
    """H1: the day (in the file's calendar) the volunteer's qualification for the
    requirement's skill ran out, when it runs out before the camp ends; else None."""
    if problem.volunteer_skill_until is None:
        return None
    skill = int(problem.requirement_skill[requirement])
    until = int(problem.volunteer_skill_until[volunteer, skill])
    if until >= int(problem.camp_end[problem.requirement_camp[requirement]]):
        return None
    return format_day(until, problem.calendar)


def dates_filter(problem: Problem, camps: np.ndarray) -> np.ndarray:
    """H2: one availability range of the volunteer holds the camp, first day to last."""
    p = problem
    eligible = np.zeros((len(camps), p.num_volunteers), dtype=bool)
    has_ranges = np.flatnonzero(np.diff(p.availability_ptr) > 0)
    if has_ranges.size:
        inside = (p.availability_start[None, :] <= p.camp_start[camps][:, None]) & (
            p.availability_end[None, :] >= p.camp_end[camps][:, None]
        )
        # reduceat over each volunteer's ranges (volunteers without ranges are skipped:
        # "available": [] means never)
        segment_starts = p.availability_ptr[:-1][has_ranges]
        eligible[:, has_ranges] = np.logical_or.reduceat(inside, segment_starts, axis=1)
    return eligible


def gender_filter(problem: Problem, camps: np.ndarray) -> np.ndarray:
    """H7: a single-gender camp takes only volunteers of its gender."""
    gender = problem.camp_gender[camps][:, None]
    return (gender == 0) | (problem.volunteer_gender[None, :] == gender)


def distance_filter(problem: Problem, camps: np.ndarray, km: np.ndarray) -> np.ndarray:
    """H8: road km from home to the camp is at most the volunteer's max_km."""
    return km <= problem.volunteer_max_km[None, :]


def forbidden_filter(problem: Problem, camps: np.ndarray) -> np.ndarray:
    """H10 (forbidden half): the (volunteer, camp) pair is not forbidden."""
    allowed = np.ones((len(camps), problem.num_volunteers), dtype=bool)
    row_of = {int(c): row for row, c in enumerate(camps.tolist())}
    for v, c in problem.forbidden_pairs:
        row = row_of.get(c)
        if row is not None:
            allowed[row, v] = False
    return allowed


def load_filter(problem: Problem, camps: np.ndarray) -> np.ndarray:
    """H5 (for one triple): a volunteer whose max_camps is 0 may join no camp."""
    return np.broadcast_to(
        problem.volunteer_max_camps[None, :] > 0, (len(camps), problem.num_volunteers)
    )


@dataclass(frozen=True)
class RoadKm:
    """Road km from every volunteer's home to every camp, kept over distinct places only
    (a season has ~700 places and 22,000 volunteers)."""

    camp_slot: np.ndarray  # per camp: its row in ``table``
    home_slot: np.ndarray  # per volunteer: its column in ``table``
    table: np.ndarray  # (distinct camp places, distinct home places), float64

    def of_camps(self, camps: np.ndarray) -> np.ndarray:
        """(len(camps), num_volunteers) road km."""
        return self.table[self.camp_slot[camps]][:, self.home_slot]

    def of_pairs(self, camps: np.ndarray, volunteers: np.ndarray) -> np.ndarray:
        flat = self.camp_slot[camps].astype(np.int64) * self.table.shape[1]
        flat += self.home_slot[volunteers]
        return np.take(self.table.ravel(), flat)


def road_km(problem: Problem) -> RoadKm:
    """Road km (great-circle km x road_factor) between homes and camp places (H8)."""
    p = problem
    home_places, home_slot = np.unique(p.volunteer_home, return_inverse=True)
    camp_places, camp_slot = np.unique(p.camp_place, return_inverse=True)
    table = p.road_factor * great_circle_km(
        p.place_lat[camp_places][:, None],
        p.place_lon[camp_places][:, None],
        p.place_lat[home_places][None, :],
        p.place_lon[home_places][None, :],
    )
    return RoadKm(camp_slot.astype(np.int64), home_slot.astype(np.int64), table)


# The camp-level candidate filters in the order `explain` asks about them (after H1):
# the first filter that leaves too few people is the reason a slot stays empty.
CAMP_FILTERS: tuple[tuple[str, str], ...] = (
    ("dates", "H2"),
    ("gender", "H7"),
    ("distance", "H8"),
    ("forbidden", "H10"),
    ("no_camps", "H5"),
)


def camp_filters(problem: Problem, camps: np.ndarray, km: np.ndarray) -> dict[str, np.ndarray]:
    """Every camp-level candidate filter for a block of camps, by funnel name."""
    return {
        "dates": dates_filter(problem, camps),
        "gender": gender_filter(problem, camps),
        "distance": distance_filter(problem, camps, km),
        "forbidden": forbidden_filter(problem, camps),
        "no_camps": load_filter(problem, camps),
    }


def candidate_failure(problem: Problem, volunteer: int, requirement: int) -> Why:
    """Which candidate rule rules out (volunteer, requirement), as a fact."""
    p = problem
    c = int(p.requirement_camp[requirement])
    s = int(p.requirement_skill[requirement])
    who, camp = p.volunteer_ids[volunteer], p.camp_ids[c]
    camps = np.array([c])
    level = int(p.volunteer_skill_level[volunteer, s])
    needed = int(p.requirement_level[requirement])
    if not skill_filter(p, np.array([requirement]))[0, volunteer]:
        skill = p.skill_ids[s]
        if level >= needed and (until := skill_expired(p, volunteer, requirement)):
            ends = format_day(int(p.camp_end[c]), p.calendar)
            return Why("expired", who=who, skill=skill, until=until, camp=camp, ends=ends)
        if level:
            return Why("level", who=who, skill=skill, level=level, camp=camp, needed=needed)
        return Why("no_skill", who=who, skill=skill, camp=camp, needed=needed)
    km = p.road_km(int(p.volunteer_home[volunteer]), int(p.camp_place[c]))
    passes = camp_filters(p, camps, np.full((1, p.num_volunteers), km))
    for kind in ("dates", "gender", "distance", "forbidden", "no_camps"):  # H2 H7 H8 H10 H5
        if passes[kind][0, volunteer]:
            continue
        if kind == "distance":
            limit = float(p.volunteer_max_km[volunteer])
            return Why("distance", who=who, camp=camp, km=float(km), limit=limit)
        return Why(kind, who=who, camp=camp)
    return Why("cannot", who=who, camp=camp)


# --------------------------------------------------------------------- roster rules
# Each rule that ties assignments together is one function here, and every form of it
# reads that function: the exact model's ``add_<rule>`` (solver/cpsat_model.py, which
# the neighbourhood search's sub-models reuse), ``RosterState`` and the greedy's scalar
# pass, the relaxations, ``explain``, the lock conflicts and the replacement rankings.
# ``ROSTER_PREDICATES`` names them by rule id; tests/test_rules_every_method.py removes
# each in turn and sees every method and every suggestion break. The functions work on
# numpy arrays and, where a hot loop needs it, on plain Python numbers alike.


def camps_left(
    problem: Problem, volunteers: np.ndarray | int, joined: np.ndarray | int
) -> np.ndarray:
    """H5 camp limit: how many more camps each of ``volunteers`` may join when they have
    joined ``joined`` camps already (0 or less: at their max_camps)."""
    return problem.volunteer_max_camps[volunteers].astype(np.int64) - joined


def slots_left(
    problem: Problem, requirements: np.ndarray | int, filled: np.ndarray | int
) -> np.ndarray:
    """H6 slots: how many more volunteers each of ``requirements`` takes when ``filled``
    of its slots are taken (0 or less: full)."""
    return problem.requirement_count[requirements].astype(np.int64) - filled


def beds_left(problem: Problem, camps: np.ndarray | int, people: np.ndarray | int) -> np.ndarray:
    """H6 beds: how many more volunteers each of ``camps`` can host when ``people`` are
    in it (0 or less: every bed is taken)."""
    return problem.camp_capacity[camps].astype(np.int64) - people


def essentials_missing(
    problem: Problem, requirements: np.ndarray | int, filled: np.ndarray | int
) -> np.ndarray:
    """H9 essentials: how many more of each requirement's slots must be filled before its
    camp may run when ``filled`` are taken (0 for a requirement that is not essential).
    A camp with its essentials has none missing; one without them has nobody (H9)."""
    count = problem.requirement_count[requirements].astype(np.int64)
    missing = np.maximum(count - filled, 0)
    return np.where(problem.requirement_essential[requirements], missing, 0)


def windows_meet(first_a: Any, reach_a: Any, first_b: Any, reach_b: Any) -> Any:
    """H3/H4 conflict window: True where two camps' windows [first, reach] (from
    :func:`conflict_window`) meet, so one volunteer cannot join both; a camp meets
    itself (H3: one role per camp). Scalars or arrays (broadcast)."""
    return (first_a <= reach_b) & (first_b <= reach_a)


# The function that is each roster rule's one home, by rule id (H10's locked half is
# the problem's ``locked_candidates``, where every roster starts).
ROSTER_PREDICATES: dict[str, tuple[str, ...]] = {
    "H3": ("windows_meet",),
    "H4": ("windows_meet",),
    "H5": ("camps_left",),
    "H6": ("slots_left", "beds_left"),
    "H9": ("essentials_missing",),
}


def conflict_window(
    problem: Problem, camps: np.ndarray | int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """H4 as intervals: the window [first, reach] of each of ``camps`` (every camp by
    default), with first = start and reach = end + rest_days; two camps conflict iff
    their windows meet (:func:`windows_meet`)."""
    start, end = problem.camp_start, problem.camp_end  # int64 day ordinals
    if camps is not None:
        start, end = start[camps], end[camps]
    return start, end + problem.rest_days


def camps_conflict(problem: Problem, camp_a: int, camp_b: int) -> bool:
    """H3/H4: True if one volunteer cannot join both camps (the same camp, an overlap, or
    fewer than rest_days free days between them)."""
    # the windows of two camps only: explaining a season asks this half a million times,
    # too often to build every camp's window each time (figures: docs/benchmarks.md)
    return bool(windows_meet(*conflict_window(problem, camp_a), *conflict_window(problem, camp_b)))


def conflicting_camps(problem: Problem, camp: int) -> np.ndarray:
    """Boolean per camp: which camps one volunteer cannot join together with ``camp``
    (``camp`` itself included)."""
    first, reach = conflict_window(problem)
    return np.asarray(windows_meet(first, reach, first[camp], reach[camp]), dtype=bool)


def rest_between(problem: Problem, camp_a: int, camp_b: int) -> int:
    """Free days between two camps (negative when they overlap)."""
    first, second = sorted((camp_a, camp_b), key=lambda c: problem.camp_start[c])
    return int(problem.camp_start[second]) - int(problem.camp_end[first]) - 1


def conflict_cliques(problem: Problem, camps: list[int]) -> list[list[int]]:
    """H4: maximal sets of mutually conflicting camps among ``camps``.

    Conflicts are overlaps of [first, reach] intervals, an interval graph, whose maximal
    cliques are found by a sweep over first days: the camps still active when a camp
    starts are those whose window meets it.
    """
    first_day, reach_day = conflict_window(problem)
    first = {c: int(first_day[c]) for c in camps}  # plain numbers: a season sweeps often
    reach = {c: int(reach_day[c]) for c in camps}
    order = sorted(camps, key=lambda c: (first[c], reach[c]))
    cliques: list[list[int]] = []
    active: list[int] = []  # camps whose window meets the current one
    for camp in order:
        survivors = [
            a for a in active if windows_meet(first[a], reach[a], first[camp], reach[camp])
        ]
        # The active set was maximal if this step drops one of its camps: the last camp
        # added is in it, so no earlier clique contains it, and later ones lack the dropped.
        if len(survivors) < len(active) and len(active) > 1:
            cliques.append(active)
        active = [*survivors, camp]
    if len(active) > 1:
        cliques.append(active)
    return cliques


def volunteer_clique_rows(
    problem: Problem, candidates: np.ndarray, first_row: int = 0
) -> tuple[np.ndarray, np.ndarray, list[float]]:
    """H3, H4 and H5 as linear rows over ``candidates`` (sorted by volunteer).

    Returns (row, position in ``candidates``) entries and each row's right-hand side. For
    each volunteer and each distinct first day d of its candidate camps, one row sums the
    candidates whose window meets the day d: every maximal clique of conflicting camps
    (and H3) is such a row. One more row for H5 when the volunteer has more camps than it
    may join. A volunteer who may join one camp gets that row alone: it implies every
    clique row, so the polytope is the same with far fewer rows (with ``max_camps`` 1 for
    everyone, as on the foreign seasons, the restricted LP without this shortcut no
    longer finished in the bound's budget).
    """
    p = problem
    rows: list[int] = []
    cols: list[int] = []
    upper: list[float] = []
    if len(candidates) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), upper
    camp_first, camp_reach = conflict_window(p)
    volunteer = p.candidate_volunteer[candidates]
    starts = np.flatnonzero(np.append(True, volunteer[1:] != volunteer[:-1]))
    stops = np.append(starts[1:], len(candidates))
    first = camp_first[p.candidate_camp[candidates]]
    reach = camp_reach[p.candidate_camp[candidates]]
    limits = camps_left(p, volunteer[starts], 0).tolist()
    row = first_row
    for a, b, limit in zip(starts.tolist(), stops.tolist(), limits, strict=True):
        if b - a == 1:
            continue
        if limit == 1:  # one row over all the volunteer's candidates
            rows += [row] * (b - a)
            cols += list(range(a, b))
            upper.append(1.0)
            row += 1
            continue
        f, e = first[a:b], reach[a:b]
        members_seen: set[tuple[int, ...]] = set()
        for day in np.unique(f).tolist():
            members = tuple(np.flatnonzero(windows_meet(f, e, day, day)).tolist())
            if len(members) < 2 or members in members_seen:
                continue
            members_seen.add(members)
            rows += [row] * len(members)
            cols += [a + m for m in members]
            upper.append(1.0)
            row += 1
        if len(np.unique(p.candidate_camp[candidates[a:b]])) > limit:
            rows += [row] * (b - a)
            cols += list(range(a, b))
            upper.append(float(limit))
            row += 1
    return np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), upper


def essential_mask(problem: Problem) -> np.ndarray:
    """H9: per requirement, True for an essential one (its camp runs only with it full)."""
    return essentials_missing(problem, np.arange(problem.num_requirements), 0) > 0


def essential_requirements(problem: Problem, camp: int) -> list[int]:
    """H9: the camp's essential requirements (the camp runs only with all of them full)."""
    first, last = problem.camp_requirements[camp], problem.camp_requirements[camp + 1]
    requirements = np.arange(first, last)
    return requirements[essentials_missing(problem, requirements, 0) > 0].tolist()


def camps_with_essentials(problem: Problem) -> np.ndarray:
    """H9: boolean per camp, True for a camp with essential roles (it runs only with all
    of them filled; a camp without any runs with anyone at all)."""
    p = problem
    need = essentials_missing(p, np.arange(p.num_requirements), 0)
    return np.bincount(p.requirement_camp, weights=need, minlength=p.num_camps) > 0


def essential_short_of_candidates(problem: Problem) -> np.ndarray:
    """H9 before any roster: per requirement, True for an essential one with fewer
    candidates (distinct volunteers) than its count."""
    pointer, _ = problem.requirement_candidates
    available = np.diff(pointer)  # one candidate per (volunteer, requirement)
    return essentials_missing(problem, np.arange(problem.num_requirements), available) > 0


def essential_slots(problem: Problem) -> np.ndarray:
    """Per camp: the slots of its essential requirements (it runs only with them all)."""
    p = problem
    need = essentials_missing(p, np.arange(p.num_requirements), 0)
    return np.bincount(p.requirement_camp, weights=need, minlength=p.num_camps).astype(np.int64)


def runnable_camps(problem: Problem) -> np.ndarray:
    """H9 before any roster: False for a camp that can run in no roster at all: an
    essential requirement short of candidates, or fewer beds than essential slots."""
    p = problem
    runnable = np.ones(p.num_camps, dtype=bool)
    runnable[p.requirement_camp[essential_short_of_candidates(p)]] = False
    runnable &= beds_left(p, np.arange(p.num_camps), essential_slots(p)) >= 0
    return runnable


def camps_short_of_essentials(problem: Problem, roster: np.ndarray) -> np.ndarray:
    """H9 on a roster: boolean per camp, True where an essential requirement is not full."""
    p = problem
    filled = np.bincount(p.candidate_requirement[roster], minlength=p.num_requirements)
    short = essentials_missing(p, np.arange(p.num_requirements), filled) > 0
    cancelled = np.zeros(p.num_camps, dtype=bool)
    cancelled[p.requirement_camp[short]] = True
    return cancelled


def enforce_essentials(problem: Problem, roster: np.ndarray) -> np.ndarray:
    """H9: drop everyone from camps whose essential slots are not all filled (sorted)."""
    roster = np.asarray(roster, dtype=np.int64)
    short = camps_short_of_essentials(problem, roster)
    return np.sort(roster[~short[problem.candidate_camp[roster]]])
