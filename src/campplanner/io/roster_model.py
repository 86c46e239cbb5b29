"""A roster seen as planners read it: camps with their teams and empty slots, itineraries.

Built from the instance and a solution file alone (any tool may have written the
solution), and shared by the workbook, CSV and HTML exports so that all three say the
same thing. The tables here (:func:`master_table` and its siblings) are plain rows; the
writers only lay them out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from campplanner.contract.calendar import Calendar
from campplanner.contract.errors import InstanceError, Issue
from campplanner.contract.instance import day_of
from campplanner.contract.schema import Instance, SolutionFile
from campplanner.model.geo import great_circle_km

NO_COUNTY = "بدون شهرستان"
# With this many camps or fewer, the workbook has a sheet per camp; otherwise per county.
SHEET_PER_CAMP_UP_TO = 8


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
    place_name: str
    county: str
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
    skills: tuple[tuple[str, int], ...]  # (skill name, level)
    phone: str | None = None


@dataclass(frozen=True)
class Call:
    """One person to phone after a re-plan: what changed for them, and where."""

    action: str  # a key of CALL_ACTIONS
    volunteer_id: str
    volunteer_name: str
    phone: str | None
    group_name: str
    before: list[tuple[CampView, str]]  # (camp, role name) published
    after: list[tuple[CampView, str]]  # (camp, role name) in the new roster
    why: str = ""  # for an assignment no longer possible

    @property
    def first_day(self) -> int:
        """The first day of any camp the change touches: whom to call first."""
        return min(camp.first_day for camp, _ in self.before + self.after)


CALL_ACTIONS = {
    "added": "افزوده (added)",
    "moved": "جابه‌جا (moved)",
    "removed": "حذف (removed)",
    "no_longer_possible": "ناممکن (no longer possible)",
}


@dataclass(frozen=True)
class SkillTotal:
    id: str
    name: str
    asked: int
    filled: int


@dataclass
class RosterView:
    name: str
    calendar: Calendar
    status: str
    coverage: int
    coverage_bound: int | None
    camps: list[CampView]
    itineraries: list[Itinerary]
    skills: list[SkillTotal]
    # The checker's findings when the roster breaks rules and is exported all the same
    # (export --allow-violations): every output shows them.
    violations: list[str] = field(default_factory=list)
    unassigned: list[Unassigned] = field(default_factory=list)
    calls: list[Call] | None = None  # None: the solution file is no re-plan

    @property
    def has_phones(self) -> bool:
        """Whether any exported paper would carry a phone number."""
        return any(m.phone for c in self.camps for m in c.members) or any(
            r.phone for c in self.camps for r in c.reserves
        )

    # The solution file's reserves as rows (camp, rank, volunteer, fill-ins), for the
    # workbook's reserves sheet and the report's reserves section.
    reserve_rows: list[list[Any]] = field(default_factory=list)

    @property
    def counties(self) -> dict[str, list[CampView]]:
        grouped: dict[str, list[CampView]] = {}
        for camp in self.camps:
            grouped.setdefault(camp.county or NO_COUNTY, []).append(camp)
        return dict(sorted(grouped.items()))

    @property
    def asked(self) -> int:
        return sum(camp.asked for camp in self.camps)

    @property
    def filled(self) -> int:
        return sum(camp.filled for camp in self.camps)


def roster_view(
    instance: Instance, solution: SolutionFile, source: str = "<solution>"
) -> RosterView:
    """The roster of ``solution`` over ``instance``; unknown ids are refused with their path."""
    volunteers = {v.id: v for v in instance.volunteers}
    places = {p.id: p for p in instance.places}
    groups = {g.id: g.name for g in instance.groups}
    skill_names = {s.id: s.name for s in instance.skills}
    camps_by_id = {c.id: c for c in instance.camps}

    issues = []
    for index, a in enumerate(solution.assignments):
        camp = camps_by_id.get(a.camp)
        if a.volunteer not in volunteers:
            issues.append(
                Issue(f"assignments[{index}].volunteer", f"unknown volunteer {a.volunteer!r}")
            )
        if camp is None:
            issues.append(Issue(f"assignments[{index}].camp", f"unknown camp {a.camp!r}"))
        elif a.skill not in {r.skill for r in camp.requirements}:
            issues.append(
                Issue(
                    f"assignments[{index}].skill", f"camp {a.camp!r} does not ask for {a.skill!r}"
                )
            )
    if issues:
        raise InstanceError(source, issues)

    filled: dict[tuple[str, str], int] = defaultdict(int)
    for a in solution.assignments:
        filled[(a.camp, a.skill)] += 1

    calendar = instance.calendar
    # A county is named by the place of that id when there is one ("arak" -> اراک).
    county_names = {p.id: p.name for p in instance.places}
    views: dict[str, CampView] = {}
    for camp in instance.camps:
        place = places[camp.place]
        views[camp.id] = CampView(
            id=camp.id,
            name=camp.name,
            place_name=place.name,
            county=county_names.get(place.county or "", place.county or ""),
            start=_canonical(camp.start, calendar),
            end=_canonical(camp.end, calendar),
            first_day=day_of(camp.start, calendar),
            last_day=day_of(camp.end, calendar),
            capacity=camp.capacity,
            priority=camp.priority,
            gender=camp.gender,
            slots=[
                Slot(
                    r.skill,
                    skill_names[r.skill],
                    r.count,
                    r.level,
                    r.essential,
                    filled[(camp.id, r.skill)],
                )
                for r in camp.requirements
            ],
        )

    by_volunteer: dict[str, list[Stop]] = defaultdict(list)
    road_factor = instance.rules.road_factor
    for a in solution.assignments:
        volunteer = volunteers[a.volunteer]
        home = places[volunteer.home]
        camp_place = places[camps_by_id[a.camp].place]
        km = great_circle_km(home.lat, home.lon, camp_place.lat, camp_place.lon) * road_factor
        view = views[a.camp]
        view.members.append(
            Member(
                volunteer_id=volunteer.id,
                volunteer_name=volunteer.name,
                group_name=groups.get(volunteer.group or "", ""),
                home_name=home.name,
                skill_id=a.skill,
                skill_name=skill_names[a.skill],
                road_km=km,
                phone=volunteer.phone,
            )
        )
        by_volunteer[volunteer.id].append(Stop(view, skill_names[a.skill]))

    for view in views.values():
        requirement_order = {slot.skill_id: k for k, slot in enumerate(view.slots)}
        view.members.sort(key=lambda m: (requirement_order[m.skill_id], m.volunteer_id))

    itineraries = []
    for volunteer_id, stops in sorted(by_volunteer.items()):
        volunteer = volunteers[volunteer_id]
        stops.sort(key=lambda stop: (stop.camp.first_day, stop.camp.id))
        itineraries.append(
            Itinerary(
                volunteer_id,
                volunteer.name,
                groups.get(volunteer.group or "", ""),
                places[volunteer.home].name,
                stops,
            )
        )

    totals = []
    for skill in instance.skills:
        asked = sum(r.count for c in instance.camps for r in c.requirements if r.skill == skill.id)
        got = sum(
            min(filled[(c.id, r.skill)], r.count)
            for c in instance.camps
            for r in c.requirements
            if r.skill == skill.id
        )
        if asked:
            totals.append(SkillTotal(skill.id, skill.name, asked, got))

    for camp_id, entries in _reserves(solution).items():
        if camp_id not in views:
            continue
        for volunteer_id, skill_id in entries:
            volunteer = volunteers.get(volunteer_id)
            if volunteer is not None:
                views[camp_id].reserves.append(
                    Reserve(
                        volunteer.id,
                        volunteer.name,
                        skill_names.get(skill_id or "", ""),
                        volunteer.phone,
                    )
                )

    unassigned = []
    for volunteer in instance.volunteers:
        if volunteer.id in by_volunteer or volunteer.max_camps == 0 or not volunteer.skills:
            continue
        home = places[volunteer.home]
        unassigned.append(
            Unassigned(
                volunteer.id,
                volunteer.name,
                groups.get(volunteer.group or "", ""),
                home.name,
                county_names.get(home.county or "", home.county or ""),
                tuple((skill_names[s], level) for s, level in volunteer.skills.items()),
                volunteer.phone,
            )
        )

    calls = None
    if solution.replan is not None:

        def person(volunteer_id: str) -> tuple[str, str | None, str]:
            v = volunteers.get(volunteer_id)
            if v is None:
                return volunteer_id, None, ""
            return v.name, v.phone, groups.get(v.group or "", "")

        def places_of(pairs: list[list[str]]) -> list[tuple[CampView, str]]:
            return [(views[c], skill_names.get(k, k)) for c, k in pairs if c in views]

        replan = solution.replan
        changes = (
            [("added", e.volunteer, [], e.to, "") for e in replan.added]
            + [("moved", e.volunteer, e.from_, e.to, "") for e in replan.moved]
            + [("removed", e.volunteer, e.from_, [], "") for e in replan.removed]
            + [
                ("no_longer_possible", e.volunteer, [[e.camp, e.skill]], [], e.why)
                for e in replan.no_longer_possible
            ]
        )
        calls = [
            Call(action, vid, *person(vid), places_of(before), places_of(after), why)
            for action, vid, before, after, why in changes
            if places_of(before) or places_of(after)
        ]
        calls.sort(key=lambda call: (call.first_day, call.volunteer_name, call.volunteer_id))

    coverage = sum(camps_by_id[a.camp].priority for a in solution.assignments)
    return RosterView(
        name=instance.name,
        calendar=calendar,
        status=solution.status,
        coverage=coverage,
        coverage_bound=solution.coverage_bound,
        camps=sorted(views.values(), key=lambda c: (c.first_day, c.id)),
        itineraries=itineraries,
        skills=totals,
        unassigned=unassigned,
        calls=calls,
        reserve_rows=reserve_table(instance, solution),
    )


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


RESERVE_HEADERS = (
    "شناسه اردو (camp id)",
    "اردو (camp)",
    "رتبه (rank)",
    "شناسه (volunteer id)",
    "نام (name)",
    "جایگزینی‌ها (fill-ins)",
    "سهم اجراها (share of runs)",
)


def reserve_table(instance: Instance, solution: SolutionFile) -> list[list[Any]]:
    """The reserves section as rows, best first per camp (camps in the file's order)."""
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


def _canonical(text: str, calendar: Calendar) -> str:
    from campplanner.contract.calendar import format_day

    return format_day(day_of(text, calendar), calendar)


# ------------------------------------------------------------------------ the tables

# Headers name the column in Persian, then in English (what `check` reads back).
MASTER_HEADERS = (
    "شناسه اردو (camp)",
    "نام اردو (camp name)",
    "شهرستان (county)",
    "محل (place)",
    "شروع (start)",
    "پایان (end)",
    "شناسه مهارت (skill)",
    "نام مهارت (skill name)",
    "شناسه داوطلب (volunteer)",
    "نام داوطلب (volunteer name)",
    "گروه (group)",
    "محل سکونت (home)",
    "کیلومتر جاده (road km)",
    "وضعیت اردو (camp status)",
)
RUNS = "برگزار"
CANCELLED = "لغو (cancelled)"
EMPTY_SLOT = "— خالی —"
EMPTY_ROWS_PER_REQUIREMENT = 50


def master_table(view: RosterView, date: Any = None) -> list[list[Any]]:
    """One row per slot, filled or not: a planner fills an empty one by typing an id.

    ``date(camp, "start")`` gives the cell of a date (text, or a date for Gregorian workbooks).
    """
    date = date or (lambda camp, which: getattr(camp, which))
    rows = []
    for camp in view.camps:
        head = [
            camp.id,
            camp.name,
            camp.county,
            camp.place_name,
            date(camp, "start"),
            date(camp, "end"),
        ]
        status = RUNS if camp.runs else CANCELLED
        members_by_skill: dict[str, list[Member]] = defaultdict(list)
        for member in camp.members:
            members_by_skill[member.skill_id].append(member)
        for slot in camp.slots:
            for m in members_by_skill[slot.skill_id]:
                rows.append(
                    [
                        *head,
                        slot.skill_id,
                        slot.skill_name,
                        m.volunteer_id,
                        m.volunteer_name,
                        m.group_name,
                        m.home_name,
                        round(m.road_km),
                        status,
                    ]
                )
            for label in empty_slot_labels(slot.missing):
                rows.append(
                    [*head, slot.skill_id, slot.skill_name, None, label, None, None, None, status]
                )
    return rows


def empty_slot_labels(missing: int) -> list[str]:
    """One label per empty slot, at most EMPTY_ROWS_PER_REQUIREMENT (the last says how many more).

    A requirement may ask for 10,000 slots; a sheet of millions of empty rows helps nobody
    and overflows Excel's 1,048,576 rows.
    """
    if missing <= EMPTY_ROWS_PER_REQUIREMENT:
        return [EMPTY_SLOT] * missing
    more = missing - EMPTY_ROWS_PER_REQUIREMENT  # the last row is a slot, and these more
    return [EMPTY_SLOT] * (EMPTY_ROWS_PER_REQUIREMENT - 1) + [f"{EMPTY_SLOT} (+{more:,})"]


ITINERARY_HEADERS = (
    "شناسه داوطلب (volunteer)",
    "نام داوطلب (volunteer name)",
    "گروه (group)",
    "محل سکونت (home)",
    "شروع (start)",
    "پایان (end)",
    "شناسه اردو (camp)",
    "نام اردو (camp name)",
    "محل (place)",
    "شهرستان (county)",
    "نقش (role)",
)


def itinerary_table(view: RosterView, date: Any = None) -> list[list[Any]]:
    """Each volunteer's camps in order of dates, one row a camp."""
    date = date or (lambda camp, which: getattr(camp, which))
    return [
        [
            plan.volunteer_id,
            plan.volunteer_name,
            plan.group_name,
            plan.home_name,
            date(stop.camp, "start"),
            date(stop.camp, "end"),
            stop.camp.id,
            stop.camp.name,
            stop.camp.place_name,
            stop.camp.county,
            stop.skill_name,
        ]
        for plan in view.itineraries
        for stop in plan.stops
    ]


UNFILLED_HEADERS = (
    "شناسه اردو (camp)",
    "نام اردو (camp name)",
    "شهرستان (county)",
    "شروع (start)",
    "پایان (end)",
    "شناسه مهارت (skill)",
    "نام مهارت (skill name)",
    "حداقل سطح (level)",
    "ضروری (essential)",
    "درخواستی (asked)",
    "پرشده (filled)",
    "خالی (missing)",
    "وضعیت اردو (camp status)",
    "علت (reason)",
    "چرا (why)",
    "راه‌حل (fix)",
)


def unfilled_table(view: RosterView, date: Any = None) -> list[list[Any]]:
    """Every requirement with an empty slot; a cancelled camp's requirements all are."""
    date = date or (lambda camp, which: getattr(camp, which))
    rows = []
    for camp in view.camps:
        for slot in camp.slots:
            if not slot.missing:
                continue
            reason = camp.slot_reasons.get(slot.skill_id) or camp.reason
            rows.append(
                [
                    camp.id,
                    camp.name,
                    camp.county,
                    date(camp, "start"),
                    date(camp, "end"),
                    slot.skill_id,
                    slot.skill_name,
                    slot.level,
                    "بله" if slot.essential else "خیر",
                    slot.count,
                    slot.filled,
                    slot.missing,
                    RUNS if camp.runs else CANCELLED,
                    reason.cause_text if reason else None,
                    reason.why if reason else None,
                    reason.fix if reason else None,
                ]
            )
    return rows


SKILL_HEADERS = (
    "شناسه مهارت (skill)",
    "نام مهارت (skill name)",
    "درخواستی (asked)",
    "پرشده (filled)",
    "درصد (percent)",
)


def skill_table(view: RosterView) -> list[list[Any]]:
    return [[s.id, s.name, s.asked, s.filled, round(100 * s.filled / s.asked)] for s in view.skills]


SUMMARY_HEADERS = ("مورد (item)", "مقدار (value)")


def summary_table(view: RosterView) -> list[list[Any]]:
    running = sum(camp.runs for camp in view.camps)
    return [
        ["نام (name)", view.name],
        ["وضعیت (status)", view.status],
        ["پوشش (coverage)", view.coverage],
        ["کران پوشش (coverage bound)", view.coverage_bound],
        ["اردوها (camps)", len(view.camps)],
        ["اردوهای برگزار (camps run)", running],
        ["اردوهای لغو (camps cancelled)", len(view.camps) - running],
        ["جاهای درخواستی (slots asked)", view.asked],
        ["جاهای پرشده (slots filled)", view.filled],
        ["داوطلبان اعزامی (volunteers sent)", len(view.itineraries)],
        ["تقویم (calendar)", view.calendar],
        *([["نقض قواعد (RULE VIOLATIONS)", v] for v in view.violations]),
    ]
