"""A roster seen as planners read it: camps with their teams and empty slots, itineraries,
the people on no camp, and the totals every front end shows, computed once beside them.

One read model for every front end. The exports and the review page have an instance
and a solution file (any tool may have written it): :meth:`RosterView.from_solution`
reads them by ids. The terminal and ``compare`` have a compiled problem and a solver's
:class:`~campplanner.solver.result.Result`: :meth:`RosterView.from_result` reads them by
indices. Each constructor only describes the instance's camps and people and the
roster's assignments in the same plain terms (:class:`_CampFacts`, :class:`_Person`,
:class:`_Assignments`); :func:`_assemble` builds everything else, and :func:`_totals`
is the one place where slots asked and filled are summed per skill, per county and in
all. For the same roster both give equal views, except for what only the files carry:
phone numbers (personal data stays out of the compiled problem), a solution file's
reserves and the calls of its re-plan.
"""

from __future__ import annotations

import gc
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

import numpy as np
from pydantic import BaseModel

from campplanner.contract.calendar import Calendar, format_day
from campplanner.contract.errors import InstanceError
from campplanner.contract.instance import day_of
from campplanner.contract.problems import problem
from campplanner.contract.schema import Instance, SolutionFile
from campplanner.contract.why import why_read
from campplanner.model.geo import great_circle_km
from campplanner.model.problem import GENDER_CODE, Problem
from campplanner.solver.result import Result

NO_COUNTY = "بدون شهرستان"
# What a camp's state is called (the page's filters, the terminal's worst camps).
FULL, SHORT, CANCELLED = "full", "short", "cancelled"
GENDER_OF_CODE = {code: gender for gender, code in GENDER_CODE.items()}


@dataclass(frozen=True)
class Member:
    volunteer_id: str
    volunteer_name: str
    group_name: str
    home_name: str
    skill_id: str
    skill_name: str
    road_km: float
    phone: str | None = None  # 09123456789 (contract/contact.py); personal data

    @property
    def role(self) -> str | None:
        """ "leader" or "driver" for the two people a packet names first, else None."""
        return ROLE_OF_SKILL.get(self.skill_id)


# The skills whose holders a camp's packet names at the top, with their phones.
ROLE_OF_SKILL = {"camp_leader": "leader", "leader": "leader", "driver": "driver"}


@dataclass(frozen=True)
class Reserve:
    """Someone off the roster a camp may call in (the solution file's ``reserves``)."""

    volunteer_id: str
    volunteer_name: str
    skill_name: str  # the role they could fill, "" when the file does not say
    phone: str | None = None


@dataclass(frozen=True)
class Slot:
    """One requirement of a camp and how many hold it."""

    skill_id: str
    skill_name: str
    count: int
    level: int
    essential: bool
    filled: int

    @property
    def missing(self) -> int:
        return max(0, self.count - self.filled)


@dataclass(frozen=True)
class Reason:
    """Why slots are empty or a camp is cancelled, in the export's language."""

    cause: str  # a key of explain.CAUSES
    cause_text: str  # that cause in words
    why: str
    fix: str


@dataclass
class CampView:
    id: str
    name: str
    index: int  # the camp's place in the instance file (the compiled problem's index)
    place_name: str
    county_id: str  # as the instance says it, "" for none (the terminal shows it)
    county: str  # its name: the name of the place of that id, if any ("arak" -> اراک)
    start: str  # YYYY-MM-DD in the instance's calendar
    end: str
    first_day: int
    last_day: int
    capacity: int
    priority: int
    gender: str | None
    slots: list[Slot]
    members: list[Member] = field(default_factory=list)
    reserves: list[Reserve] = field(default_factory=list)
    reason: Reason | None = None  # why the camp is cancelled (when it is, and explained)
    slot_reasons: dict[str, Reason] = field(default_factory=dict)  # skill id -> why empty

    @property
    def days(self) -> int:
        return self.last_day - self.first_day + 1

    @property
    def runs(self) -> bool:
        """A camp with nobody assigned does not run (it is cancelled, H9)."""
        return bool(self.members)

    @property
    def asked(self) -> int:
        return sum(slot.count for slot in self.slots)

    @property
    def filled(self) -> int:
        return sum(min(slot.filled, slot.count) for slot in self.slots)

    @property
    def status(self) -> str:
        """FULL, SHORT (runs with an empty slot) or CANCELLED."""
        if not self.runs:
            return CANCELLED
        return FULL if self.filled >= self.asked else SHORT

    @property
    def coverage_lost(self) -> int:
        """Coverage the camp could still give: its empty slots that a bed could take,
        times its priority (what the terminal ranks the worst camps by)."""
        return (min(self.asked, self.capacity) - self.filled) * self.priority

    @property
    def label(self) -> str:
        """ "c1 (Building, Khondab)", or the id alone when the name is the id."""
        return self.id if self.name == self.id else f"{self.id} ({self.name})"


@dataclass(frozen=True)
class Stop:
    camp: CampView
    skill_name: str


@dataclass
class Itinerary:
    volunteer_id: str
    volunteer_name: str
    group_name: str
    home_name: str
    stops: list[Stop]


@dataclass(frozen=True)
class Unassigned:
    """A volunteer on no camp of the roster who could serve (max_camps not 0)."""

    volunteer_id: str
    volunteer_name: str
    group_name: str
    home_name: str
    county: str
    skills: tuple[tuple[str, int], ...]  # (skill name, level), in the instance's skill order
    phone: str | None = None


@dataclass(frozen=True)
class Call:
    """One person to phone after a re-plan: what changed for them, and where."""

    action: str  # "added", "moved", "role_changed", "removed" or "no_longer_possible"
    volunteer_id: str
    volunteer_name: str
    phone: str | None
    group_name: str
    before: list[tuple[CampView, str]]  # (camp, role name) published
    after: list[tuple[CampView, str]]  # (camp, role name) in the new roster
    # why an assignment is no longer possible, one by one: facts where the file kept them
    # (contract.why.Why), worded in the call list's language
    reasons: tuple[str, ...] = ()

    @property
    def why(self) -> str:
        """The reasons in the solution file's English, joined."""
        return "; ".join(self.reasons)

    @property
    def first_day(self) -> int:
        """The first day of any camp the change touches: whom to call first."""
        return min(camp.first_day for camp, _ in self.before + self.after)


# ------------------------------------------------------------------------ the totals


class _Slots:
    """What follows from slots asked and filled, for every kind of total."""

    asked: int
    filled: int

    @property
    def missing(self) -> int:
        return self.asked - self.filled

    @property
    def percent(self) -> int | None:
        """The share of slots filled, in whole percent; None when nothing is asked."""
        return round(100 * self.filled / self.asked) if self.asked else None


@dataclass(frozen=True)
class SkillTotal(_Slots):
    id: str
    name: str
    asked: int
    filled: int


@dataclass(frozen=True)
class CountyTotal(_Slots):
    """A county's camps (full, short or cancelled) and their slots."""

    name: str  # the county's name, NO_COUNTY for camps in none
    id: str  # as the instance says it, "" for none
    camps: int
    full: int
    short: int
    cancelled: int
    asked: int
    filled: int

    @property
    def run(self) -> int:
        return self.full + self.short


@dataclass(frozen=True)
class RosterTotals(_Slots):
    """What a summary says of a roster (or of one county's part of it)."""

    camps: int
    full: int
    short: int
    cancelled: int
    asked: int  # slots
    filled: int
    volunteers_sent: int
    skills: list[SkillTotal]  # skills asked for, in the instance's order
    counties: list[CountyTotal]  # by name

    @property
    def run(self) -> int:
        return self.full + self.short

    @property
    def unfilled_per_skill(self) -> dict[str, int]:
        """Skill id -> empty slots (cancelled camps' included), skills with any, by id."""
        return {s.id: s.missing for s in sorted(self.skills, key=lambda s: s.id) if s.missing}


def _totals(camps: Sequence[CampView], skill_order: Sequence[str], sent: int) -> RosterTotals:
    """Slots asked and filled per skill (in ``skill_order``), per county and in all, and
    camps by state: the one place any front end's totals come from."""
    states = Counter(camp.status for camp in camps)
    per_skill: dict[str, list[Any]] = {}
    per_county: dict[str, list[Any]] = {}
    for camp in camps:
        county = per_county.setdefault(
            camp.county or NO_COUNTY, [camp.county_id, 0, Counter(), 0, 0]
        )
        county[1] += 1
        county[2][camp.status] += 1
        county[3] += camp.asked
        county[4] += camp.filled
        for slot in camp.slots:
            skill = per_skill.setdefault(slot.skill_id, [slot.skill_name, 0, 0])
            skill[1] += slot.count
            skill[2] += min(slot.filled, slot.count)
    return RosterTotals(
        camps=len(camps),
        full=states[FULL],
        short=states[SHORT],
        cancelled=states[CANCELLED],
        asked=sum(camp.asked for camp in camps),
        filled=sum(camp.filled for camp in camps),
        volunteers_sent=sent,
        skills=[SkillTotal(s, *per_skill[s]) for s in skill_order if s in per_skill],
        counties=[
            CountyTotal(name, cid, n, state[FULL], state[SHORT], state[CANCELLED], asked, got)
            for name, (cid, n, state, asked, got) in sorted(per_county.items())
        ],
    )


# ------------------------------------------------------------------------ the view


@dataclass(frozen=True)
class RosterView:
    """One roster as every front end shows it; build it with :meth:`from_solution` or
    :meth:`from_result`, read its totals from :attr:`totals`."""

    name: str
    calendar: Calendar
    status: str
    coverage: int
    coverage_bound: int | None
    camps: list[CampView]  # by first day, then id
    itineraries: list[Itinerary]  # by volunteer id
    totals: RosterTotals
    unassigned: list[Unassigned] = field(default_factory=list)
    calls: list[Call] | None = None  # None: the solution file is no re-plan
    # The solution file's reserves as rows (camp, rank, volunteer, fill-ins), for the
    # workbook's reserves sheet and the report's reserves section.
    reserve_rows: list[list[Any]] = field(default_factory=list)
    # The checker's findings when the roster breaks rules and is exported all the same
    # (export --allow-violations): every output shows them.
    violations: list[str] = field(default_factory=list)

    @classmethod
    def from_solution(
        cls, instance: Instance, solution: SolutionFile, source: str = "<solution>"
    ) -> RosterView:
        """The roster of ``solution`` over ``instance``; unknown ids are refused with their
        path (InstanceError)."""
        with collector_paused():
            return _from_solution(instance, solution, source)

    @classmethod
    def from_result(cls, problem: Problem, result: Result) -> RosterView:
        """The roster of a solver's ``result`` over ``problem`` (no roster: every camp
        cancelled)."""
        with collector_paused():
            return _from_result(problem, result)

    # -------------------------------------------------------------- the totals, read
    @property
    def skills(self) -> list[SkillTotal]:
        return self.totals.skills

    @property
    def asked(self) -> int:
        return self.totals.asked

    @property
    def filled(self) -> int:
        return self.totals.filled

    @property
    def camps_run(self) -> int:
        return self.totals.run

    @property
    def camps_cancelled(self) -> int:
        return self.totals.cancelled

    @property
    def in_file_order(self) -> list[CampView]:
        """The camps in the instance file's order (the terminal's, compare's)."""
        return sorted(self.camps, key=lambda camp: camp.index)

    def worst(self, count: int) -> list[CampView]:
        """The ``count`` camps that lose most coverage (``coverage_lost``), those that
        lose any, in that order (the file's order among equals)."""
        ranked = sorted(self.in_file_order, key=lambda camp: -camp.coverage_lost)
        return [camp for camp in ranked[:count] if camp.coverage_lost > 0]

    @property
    def counties(self) -> dict[str, list[CampView]]:
        """County name -> its camps (by first day), counties by name."""
        grouped: dict[str, list[CampView]] = {}
        for camp in self.camps:
            grouped.setdefault(camp.county or NO_COUNTY, []).append(camp)
        return dict(sorted(grouped.items()))

    @property
    def has_phones(self) -> bool:
        """Whether any exported paper would carry a phone number."""
        return any(m.phone for c in self.camps for m in c.members) or any(
            r.phone for c in self.camps for r in c.reserves
        )

    def of_county(self, county: str) -> RosterView:
        """The part of the roster in ``county`` (a name of :attr:`counties`): its camps,
        the itineraries of the people serving there, its people on no camp, and its
        totals. Coverage and its bound stay the whole roster's: a bound is proven for
        the whole roster only."""
        camps = [camp for camp in self.camps if (camp.county or NO_COUNTY) == county]
        ids = {camp.id for camp in camps}
        plans = [p for p in self.itineraries if any(s.camp.id in ids for s in p.stops)]
        return replace(
            self,
            camps=camps,
            itineraries=plans,
            unassigned=[u for u in self.unassigned if (u.county or NO_COUNTY) == county],
            totals=_totals(camps, [s.id for s in self.skills], len(plans)),
        )


# ------------------------------------------------------- what both constructors give


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a view is built: a season's view is
    100,000 new objects without cycles (reference counting frees them), and every
    collection they would trigger walks the instance's and the problem's millions of
    objects too: a third of the build's time on the season."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# Named tuples, not dataclasses: a season has 22,000 people, built at every view.
class _CampFacts(NamedTuple):
    """A camp as the instance describes it, by position in the file."""

    id: str
    name: str
    place_name: str
    county_id: str
    county: str
    first_day: int
    last_day: int
    capacity: int
    priority: int
    gender: str | None
    requirements: list[tuple[str, str, int, int, bool]]  # skill id, name, count, level, essential


class _Person(NamedTuple):
    """A volunteer as the instance describes them, by position in the file."""

    id: str
    name: str
    group_name: str
    home_name: str
    county: str
    skills: tuple[tuple[str, int], ...]  # (skill id, level), in any order
    phone: str | None
    may_serve: bool  # max_camps is not 0


@dataclass(frozen=True)
class _Assignments:
    """The roster, one entry per assignment: who (person index), where (camp index),
    which requirement of the camp (its position in the camp's list), and the road km."""

    person: list[int]
    camp: list[int]
    requirement: list[int]
    km: list[float]


def _road_km(
    home_lat: np.ndarray,
    home_lon: np.ndarray,
    camp_lat: np.ndarray,
    camp_lon: np.ndarray,
    road_factor: float,
) -> list[float]:
    """Road km of each assignment, as H8 and travel measure it (great circle times the
    road factor), computed the same way whichever constructor asks."""
    km = great_circle_km(
        np.asarray(home_lat, dtype=np.float64),
        np.asarray(home_lon, dtype=np.float64),
        np.asarray(camp_lat, dtype=np.float64),
        np.asarray(camp_lon, dtype=np.float64),
    )
    return (km * road_factor).tolist()


def _assemble(
    name: str,
    calendar: Calendar,
    status: str,
    coverage_bound: int | None,
    skill_names: dict[str, str],
    camps: list[_CampFacts],
    people: list[_Person],
    roster: _Assignments,
) -> RosterView:
    """The read model, from what both constructors give (``skill_names``: id -> name,
    in the instance's order): teams, slots filled, itineraries, the people on no camp,
    coverage and totals."""
    filled = Counter(zip(roster.camp, roster.requirement, strict=True))
    days = _Days(calendar)
    views = [_camp_view(c, facts, filled, days) for c, facts in enumerate(camps)]
    stops = _teams(views, people, roster)
    itineraries = sorted(
        (_itinerary(people[p], found) for p, found in stops.items()),
        key=lambda plan: plan.volunteer_id,
    )
    by_date = sorted(views, key=lambda view: (view.first_day, view.id))
    return RosterView(
        name=name,
        calendar=calendar,
        status=status,
        coverage=sum(view.priority * len(view.members) for view in views),
        coverage_bound=coverage_bound,
        camps=by_date,
        itineraries=itineraries,
        totals=_totals(by_date, list(skill_names), len(itineraries)),
        unassigned=_on_no_camp(people, stops, skill_names),
    )


def _teams(
    views: list[CampView], people: list[_Person], roster: _Assignments
) -> dict[int, list[Stop]]:
    """Each assignment as a member of its camp's team (teams in the order of the camp's
    requirements, then by volunteer id) and as a stop of its person: person -> stops."""
    stops: dict[int, list[Stop]] = defaultdict(list)
    for p, c, k, km in zip(roster.person, roster.camp, roster.requirement, roster.km, strict=True):
        person, view = people[p], views[c]
        slot = view.slots[k]
        view.members.append(
            Member(
                person.id,
                person.name,
                person.group_name,
                person.home_name,
                slot.skill_id,
                slot.skill_name,
                km,
                person.phone,
            )
        )
        stops[p].append(Stop(view, slot.skill_name))
    for view in views:
        order = {slot.skill_id: k for k, slot in enumerate(view.slots)}
        view.members.sort(key=lambda m: (order[m.skill_id], m.volunteer_id))
    return stops


def _on_no_camp(
    people: list[_Person], stops: dict[int, list[Stop]], skill_names: dict[str, str]
) -> list[Unassigned]:
    """The people with no stop who could serve (a skill, max_camps not 0), in the file's
    order, their skills named in the instance's order of skills."""
    rank = {skill: k for k, skill in enumerate(skill_names)}
    return [
        Unassigned(
            p.id,
            p.name,
            p.group_name,
            p.home_name,
            p.county,
            tuple(
                (skill_names[s], level) for s, level in sorted(p.skills, key=lambda h: rank[h[0]])
            ),
            p.phone,
        )
        for index, p in enumerate(people)
        if index not in stops and p.may_serve and p.skills
    ]


class _Days(dict[int, str]):
    """Days written in the calendar, each once (a season's 2,400 camp dates fall on a
    few hundred days, and Jalali formatting is slow)."""

    def __init__(self, calendar: Calendar):
        super().__init__()
        self.calendar = calendar

    def __missing__(self, day: int) -> str:
        self[day] = written = format_day(day, self.calendar)
        return written


def _camp_view(
    index: int, facts: _CampFacts, filled: Counter[tuple[int, int]], days: _Days
) -> CampView:
    return CampView(
        id=facts.id,
        name=facts.name,
        index=index,
        place_name=facts.place_name,
        county_id=facts.county_id,
        county=facts.county,
        start=days[facts.first_day],
        end=days[facts.last_day],
        first_day=facts.first_day,
        last_day=facts.last_day,
        capacity=facts.capacity,
        priority=facts.priority,
        gender=facts.gender,
        slots=[
            Slot(skill, skill_name, count, level, essential, filled[(index, k)])
            for k, (skill, skill_name, count, level, essential) in enumerate(facts.requirements)
        ],
    )


def _itinerary(person: _Person, stops: list[Stop]) -> Itinerary:
    stops.sort(key=lambda stop: (stop.camp.first_day, stop.camp.id))
    return Itinerary(person.id, person.name, person.group_name, person.home_name, stops)


def _county_names(place_ids: Sequence[str], place_names: Sequence[str]) -> dict[str, str]:
    """County id -> its name: the name of the place of that id, when there is one."""
    return dict(zip(place_ids, place_names, strict=True))


# -------------------------------------------------------------- from a solution file


def _from_solution(instance: Instance, solution: SolutionFile, source: str) -> RosterView:
    _refuse_unknown_ids(instance, solution, source)
    counties = _county_names([p.id for p in instance.places], [p.name for p in instance.places])
    view = _assemble(
        instance.name,
        instance.calendar,
        solution.status,
        solution.coverage_bound,
        {s.id: s.name for s in instance.skills},
        _camps_of_instance(instance, counties),
        _people_of_instance(instance, counties),
        _assignments_of_solution(instance, solution),
    )
    by_id = {camp.id: camp for camp in view.camps}
    _attach_reserves(by_id, instance, solution)
    return replace(
        view,
        calls=_calls(by_id, instance, solution),
        reserve_rows=reserve_table(instance, solution),
    )


def _camps_of_instance(instance: Instance, counties: dict[str, str]) -> list[_CampFacts]:
    places = {p.id: p for p in instance.places}
    skill_names = {s.id: s.name for s in instance.skills}
    camps = []
    for camp in instance.camps:
        county_id = places[camp.place].county or ""
        camps.append(
            _CampFacts(
                camp.id,
                camp.name,
                places[camp.place].name,
                county_id,
                counties.get(county_id, county_id),
                day_of(camp.start, instance.calendar),
                day_of(camp.end, instance.calendar),
                camp.capacity,
                camp.priority,
                camp.gender,
                [
                    (r.skill, skill_names[r.skill], r.count, r.level, r.essential)
                    for r in camp.requirements
                ],
            )
        )
    return camps


def _people_of_instance(instance: Instance, counties: dict[str, str]) -> list[_Person]:
    places = {p.id: p for p in instance.places}
    groups = {g.id: g.name for g in instance.groups}
    default_max_camps = instance.rules.max_camps
    people = []
    for v in instance.volunteers:
        home = places[v.home]
        county_id = home.county or ""
        people.append(
            _Person(
                v.id,
                v.name,
                groups.get(v.group or "", ""),
                home.name,
                counties.get(county_id, county_id),
                tuple(v.skills.items()),
                v.phone,
                (default_max_camps if v.max_camps is None else v.max_camps) != 0,
            )
        )
    return people


def _assignments_of_solution(instance: Instance, solution: SolutionFile) -> _Assignments:
    places = {p.id: p for p in instance.places}
    person_of = {v.id: k for k, v in enumerate(instance.volunteers)}
    camp_of = {c.id: k for k, c in enumerate(instance.camps)}
    requirement_of = {
        (c.id, r.skill): k for c in instance.camps for k, r in enumerate(c.requirements)
    }
    person = [person_of[a.volunteer] for a in solution.assignments]
    camp = [camp_of[a.camp] for a in solution.assignments]
    homes = [places[instance.volunteers[k].home] for k in person]
    sites = [places[instance.camps[c].place] for c in camp]
    return _Assignments(
        person=person,
        camp=camp,
        requirement=[requirement_of[(a.camp, a.skill)] for a in solution.assignments],
        km=_road_km(
            [p.lat for p in homes],
            [p.lon for p in homes],
            [p.lat for p in sites],
            [p.lon for p in sites],
            instance.rules.road_factor,
        ),
    )


def _refuse_unknown_ids(instance: Instance, solution: SolutionFile, source: str) -> None:
    """Every assignment names a known volunteer and camp, and a skill the camp asks for."""
    volunteers = {v.id for v in instance.volunteers}
    camps = {c.id: {r.skill for r in c.requirements} for c in instance.camps}
    issues = []
    for index, a in enumerate(solution.assignments):
        if a.volunteer not in volunteers:
            at = f"assignments[{index}].volunteer"
            issues.append(problem(at, "unknown_ref", kind="volunteer", value=a.volunteer))
        if a.camp not in camps:
            issues.append(
                problem(f"assignments[{index}].camp", "unknown_ref", kind="camp", value=a.camp)
            )
        elif a.skill not in camps[a.camp]:
            at = f"assignments[{index}].skill"
            issues.append(problem(at, "not_asked", camp=a.camp, skill=a.skill))
    if issues:
        raise InstanceError(source, issues)


def _attach_reserves(
    camps: dict[str, CampView], instance: Instance, solution: SolutionFile
) -> None:
    """Each camp's reserves from the solution file, known volunteers only."""
    volunteers = {v.id: v for v in instance.volunteers}
    skill_names = {s.id: s.name for s in instance.skills}
    for camp_id, entries in _reserves(solution).items():
        if camp_id not in camps:
            continue
        for volunteer_id, skill_id in entries:
            volunteer = volunteers.get(volunteer_id)
            if volunteer is not None:
                camps[camp_id].reserves.append(
                    Reserve(
                        volunteer.id,
                        volunteer.name,
                        skill_names.get(skill_id or "", ""),
                        volunteer.phone,
                    )
                )


def _changed_only(
    action: str, before: list[list[str]], after: list[list[str]]
) -> tuple[str, list[list[str]], list[list[str]]]:
    """A move says only what changes: the (camp, role) kept on both sides is left out; a
    move that only leaves camps is a removal, one that only joins is an addition, and
    one that keeps the camps but changes a role is ``role_changed`` (no "moved" for a
    person whose camps stay the same)."""
    if action != "moved":
        return action, before, after
    kept = {tuple(p) for p in before} & {tuple(p) for p in after}
    before = [p for p in before if tuple(p) not in kept]
    after = [p for p in after if tuple(p) not in kept]
    if not after:
        return "removed", before, after
    if not before:
        return "added", before, after
    if {p[0] for p in before} == {p[0] for p in after}:
        return "role_changed", before, after
    return action, before, after


def _calls(
    camps: dict[str, CampView], instance: Instance, solution: SolutionFile
) -> list[Call] | None:
    """Whom to phone after a re-plan, the soonest camp first; None for no re-plan."""
    if solution.replan is None:
        return None
    volunteers = {v.id: v for v in instance.volunteers}
    groups = {g.id: g.name for g in instance.groups}
    skill_names = {s.id: s.name for s in instance.skills}

    def person(volunteer_id: str) -> tuple[str, str | None, str]:
        v = volunteers.get(volunteer_id)
        if v is None:
            return volunteer_id, None, ""
        return v.name, v.phone, groups.get(v.group or "", "")

    def places_of(pairs: list[list[str]]) -> list[tuple[CampView, str]]:
        return [(camps[c], skill_names.get(k, k)) for c, k in pairs if c in camps]

    replan = solution.replan
    # why a published assignment is no longer possible, per person: said on the row of
    # their change (one row per person), or a row of its own when the roster kept them
    dropped: dict[str, list[Any]] = {}
    for e in replan.no_longer_possible:
        dropped.setdefault(e.volunteer, []).append(e)
    changes = (
        [("added", e.volunteer, [], e.to) for e in replan.added]
        + [("moved", e.volunteer, e.from_, e.to) for e in replan.moved]
        + [("removed", e.volunteer, e.from_, []) for e in replan.removed]
    )
    changed = {vid for _, vid, _, _ in changes}
    changes += [
        ("no_longer_possible", vid, [[e.camp, e.skill] for e in entries], [])
        for vid, entries in dropped.items()
        if vid not in changed
    ]
    calls = []
    for action, vid, before, after in changes:
        reasons = tuple(why_read(e.why, e.why_facts) for e in dropped.get(vid, []))
        if action == "removed" and vid in dropped:
            action = "no_longer_possible"  # the reason they go: their place is no more
        action, before, after = _changed_only(action, before, after)
        if places_of(before) or places_of(after):
            calls.append(
                Call(action, vid, *person(vid), places_of(before), places_of(after), reasons)
            )
    calls.sort(key=lambda call: (call.first_day, call.volunteer_name, call.volunteer_id))
    return calls


def _reserves(solution: SolutionFile) -> dict[str, list[tuple[str, str | None]]]:
    """The solution file's ``reserves`` section, if any: camp id -> (volunteer, skill).

    The section is another tool's (issue 15's ``solve --reserves``); both shapes it may
    take are read: ``{"c1": ["v7", {"volunteer": "v9", "skill": "nurse"}]}`` and
    ``[{"camp": "c1", "reserves": [...]}]`` (``volunteers`` for ``reserves`` too).
    Anything else is left out: reserves are a help on paper, not part of the roster.
    """
    section: Any = solution.reserves
    if isinstance(section, BaseModel):  # campplanner's own (contract.Reserves)
        section = [camp.model_dump() for camp in section.camps]
    if isinstance(section, dict):
        pairs = list(section.items())
    elif isinstance(section, list):
        pairs = [
            (e.get("camp"), e.get("reserves", e.get("volunteers")))
            for e in section
            if isinstance(e, dict)
        ]
    else:
        return {}
    found: dict[str, list[tuple[str, str | None]]] = {}
    for camp_id, entries in pairs:
        if not isinstance(camp_id, str) or not isinstance(entries, list):
            continue
        for entry in entries:
            if isinstance(entry, str):
                found.setdefault(camp_id, []).append((entry, None))
            elif isinstance(entry, dict) and isinstance(entry.get("volunteer"), str):
                skill = entry.get("skill")
                found.setdefault(camp_id, []).append(
                    (entry["volunteer"], skill if isinstance(skill, str) else None)
                )
    return found


def reserve_table(instance: Instance, solution: SolutionFile) -> list[list[Any]]:
    """The reserves section as rows (camp id, camp name, rank, volunteer id, name,
    fill-ins, share of runs), best first per camp, camps in the file's order."""
    if not isinstance(solution.reserves, BaseModel):  # only campplanner's own shape ranks
        return []
    camp_names = {c.id: c.name for c in instance.camps}
    names = {v.id: v.name for v in instance.volunteers}
    rows = []
    for entry in solution.reserves.camps:
        for rank, reserve in enumerate(entry.reserves, start=1):
            rows.append(
                [
                    entry.camp,
                    camp_names.get(entry.camp, ""),
                    rank,
                    reserve.volunteer,
                    names.get(reserve.volunteer, reserve.name or ""),
                    reserve.fill_ins,
                    reserve.share_of_runs,
                ]
            )
    return rows


# ----------------------------------------------------------------- from a Result


def _from_result(problem: Problem, result: Result) -> RosterView:
    counties = _county_names(problem.place_ids, problem.place_names)
    return _assemble(
        problem.name,
        problem.calendar,
        result.status,
        result.coverage_bound,
        dict(zip(problem.skill_ids, problem.skill_names, strict=True)),
        _camps_of_problem(problem, counties),
        _people_of_problem(problem, counties),
        _assignments_of_result(problem, result),
    )


def _camps_of_problem(p: Problem, counties: dict[str, str]) -> list[_CampFacts]:
    camps = []
    for c in range(p.num_camps):
        place = int(p.camp_place[c])
        county_id = p.place_counties[place] or ""
        first, last = int(p.camp_requirements[c]), int(p.camp_requirements[c + 1])
        camps.append(
            _CampFacts(
                p.camp_ids[c],
                p.camp_names[c],
                p.place_names[place],
                county_id,
                counties.get(county_id, county_id),
                int(p.camp_start[c]),
                int(p.camp_end[c]),
                int(p.camp_capacity[c]),
                int(p.camp_priority[c]),
                GENDER_OF_CODE[int(p.camp_gender[c])],
                [
                    (
                        p.skill_ids[p.requirement_skill[r]],
                        p.skill_names[p.requirement_skill[r]],
                        int(p.requirement_count[r]),
                        int(p.requirement_level[r]),
                        bool(p.requirement_essential[r]),
                    )
                    for r in range(first, last)
                ],
            )
        )
    return camps


def _assignments_of_result(p: Problem, result: Result) -> _Assignments:
    assigned = np.asarray(result.assigned, dtype=np.int64)
    person = p.candidate_volunteer[assigned]
    camp = p.candidate_camp[assigned]
    homes, sites = p.volunteer_home[person], p.camp_place[camp]
    return _Assignments(
        person=person.tolist(),
        camp=camp.tolist(),
        requirement=(p.candidate_requirement[assigned] - p.camp_requirements[camp]).tolist(),
        km=_road_km(
            p.place_lat[homes],
            p.place_lon[homes],
            p.place_lat[sites],
            p.place_lon[sites],
            p.road_factor,
        ),
    )


def _people_of_problem(p: Problem, counties: dict[str, str]) -> list[_Person]:
    """Every volunteer of the compiled problem (it keeps no phone numbers)."""
    held_by, skill = np.nonzero(p.volunteer_skill_level)  # row-major: by volunteer, then skill
    held = list(
        zip(
            [p.skill_ids[s] for s in skill.tolist()],
            p.volunteer_skill_level[held_by, skill].tolist(),
            strict=True,
        )
    )
    starts = np.searchsorted(held_by, np.arange(p.num_volunteers + 1)).tolist()
    homes = p.volunteer_home.tolist()
    groups = p.volunteer_group.tolist()
    may_serve = (p.volunteer_max_camps != 0).tolist()
    home_county = [counties.get(c or "", c or "") for c in p.place_counties]
    return [
        _Person(
            p.volunteer_ids[v],
            p.volunteer_names[v],
            p.group_names[groups[v]] if groups[v] >= 0 else "",
            p.place_names[homes[v]],
            home_county[homes[v]],
            tuple(held[starts[v] : starts[v + 1]]),
            None,
            may_serve[v],
        )
        for v in range(p.num_volunteers)
    ]
