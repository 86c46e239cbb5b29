"""The independent checker: judge a roster against the data contract, from the files alone.

Every roster the solver produces in a test passes through here, so this module must
not share the solver's mistakes: it imports nothing from ``campplanner.model`` or
``campplanner.solver`` and recomputes each hard rule (H1..H10 of
``docs/spec/instance-format.md``) and the coverage in plain dicts and loops, one
function per rule, as the contract words it. Only the data-contract layer (``contract``,
``loader``, ``calendar``, ``errors``) is shared, to read the files.

Violations that are not hard rules:

- ``REF``: an assignment names a volunteer or camp that does not exist, or a skill the
  camp does not ask for. Such a triple fills no slot, so it is reported once as REF and
  left out of every other rule and of the coverage.
- ``COVERAGE``: the solution file claims a coverage other than the recomputed one.
- ``BOUND``: the solution file's ``coverage_bound`` is below the recomputed coverage.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from campplanner.contract.instance import day_of, load_instance
from campplanner.contract.schema import Camp, Instance, Volunteer
from campplanner.contract.solution import match_instance
from campplanner.contract.suggest import Suggestions
from campplanner.io.solution_reader import load_solution

EARTH_RADIUS_KM = 6371.0
# Two haversine implementations (numpy in the solver, math here) may differ in the last
# bits; no real plan turns on a millimetre, and a real excess is caught all the same.
KM_TOLERANCE = 1e-6

# Every rule id a violation can carry, in the order reports list them, with a title.
RULES: dict[str, str] = {
    "REF": "unknown id or a slot the camp does not have",
    "H1": "skill level",
    "H2": "availability",
    "H3": "one slot per volunteer per camp",
    "H4": "no overlap, rest days between camps",
    "H5": "most camps per volunteer",
    "H6": "slots per requirement and beds per camp",
    "H7": "single-gender camp",
    "H8": "distance from home",
    "H9": "essential slots of a running camp",
    "H10": "locked and forbidden",
    "COVERAGE": "claimed coverage",
    "BOUND": "claimed coverage bound",
    "STATUS": "claimed status",
    "GAP": "claimed gap",
}

Triple = tuple[str, str, str]  # (volunteer id, camp id, skill id)

# Statuses of a solution file that claim no roster (spec: "no roster found", "infeasible").
NO_ROSTER = ("infeasible", "unknown")


@dataclass(frozen=True)
class Violation:
    """One broken rule, in words a planner reads, with the ids of whom it concerns."""

    rule: str  # a key of RULES
    message: str
    volunteers: tuple[str, ...] = ()
    camps: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "message": self.message,
            "volunteers": list(self.volunteers),
            "camps": list(self.camps),
        }


@dataclass
class CheckReport:
    """What the checker found: violations, the recomputed coverage, slots filled per camp.

    ``filled`` counts the assignments (slots) of every camp of the instance, 0 included;
    ``filled_by_skill`` breaks them down per requirement. The ``claimed_*`` fields and
    ``status`` come from a solution file and stay None for a bare roster.
    """

    violations: list[Violation]
    coverage: int
    filled: dict[str, int]
    filled_by_skill: dict[str, dict[str, int]]
    num_assignments: int
    status: str | None = None
    claimed_coverage: int | None = None
    claimed_bound: int | None = None
    claimed_gap: float | None = None
    source: str | None = field(default=None, compare=False)
    note: str | None = None  # what changed in the instance since the roster was made

    @property
    def ok(self) -> bool:
        return not self.violations

    def by_rule(self) -> dict[str, list[Violation]]:
        """The violations grouped by rule id, in the order of RULES."""
        grouped: dict[str, list[Violation]] = {rule: [] for rule in RULES}
        for violation in self.violations:
            grouped.setdefault(violation.rule, []).append(violation)
        return {rule: found for rule, found in grouped.items() if found}

    def rules_broken(self) -> set[str]:
        return {violation.rule for violation in self.violations}

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "num_violations": len(self.violations),
            "violations_per_rule": {rule: len(v) for rule, v in self.by_rule().items()},
            "coverage": self.coverage,
            "claimed_coverage": self.claimed_coverage,
            "claimed_bound": self.claimed_bound,
            "status": self.status,
            "num_assignments": self.num_assignments,
            "filled": self.filled,
            "filled_by_skill": self.filled_by_skill,
            "violations": [violation.to_dict() for violation in self.violations],
        }


# ------------------------------------------------------------------------- entry points


def check_roster(
    instance: Instance, assignments: list[Triple], *, locks_apply: bool = True
) -> CheckReport:
    """Judge ``assignments`` (volunteer, camp, skill) against every hard rule of ``instance``.

    ``instance`` is a loaded, cross-checked instance
    (:func:`campplanner.contract.instance.load_instance`).
    ``locks_apply=False`` leaves out "every locked triple is assigned" (H10), for a file
    that claims no roster at all.
    """
    roster = _Roster(instance, [(v, c, s) for v, c, s in assignments], locks_apply)
    violations = list(roster.unknown_references())
    for rule in (
        roster.h1_skill,
        roster.h2_dates,
        roster.h3_one_role,
        roster.h4_no_overlap,
        roster.h5_load,
        roster.h6_slots_and_beds,
        roster.h7_gender,
        roster.h8_distance,
        roster.h9_essential,
        roster.h10_locked_and_forbidden,
    ):
        violations.extend(rule())
    return CheckReport(
        violations=violations,
        coverage=roster.coverage(),
        filled=roster.filled(),
        filled_by_skill=roster.filled_by_skill(),
        num_assignments=len(assignments),
    )


def check_solution_file(instance_path: str | Path, solution_path: str | Path) -> CheckReport:
    """Check a solution file against its instance file, and its claimed coverage and bound.

    Raises :class:`InstanceError` (with JSON paths) when either file cannot be read.
    """
    instance = load_instance(instance_path)
    solution = load_solution(solution_path, instance)
    note = match_instance(solution, str(solution_path), instance, str(instance_path))
    triples = [(a.volunteer, a.camp, a.skill) for a in solution.assignments]
    if solution.status in NO_ROSTER and not triples:
        # "infeasible" or "unknown" with no assignments claims no roster: there is nothing
        # to judge (judging an empty roster would report every lock as missing, H10).
        report = check_roster(instance, [], locks_apply=False)
    else:
        report = check_roster(instance, triples)
    report.status = solution.status
    report.claimed_coverage = solution.coverage
    report.claimed_bound = solution.coverage_bound
    report.claimed_gap = solution.gap
    report.source = str(solution_path)
    report.note = note
    report.violations.extend(_claims(report))
    return report


def _claims(report: CheckReport) -> Iterator[Violation]:
    if report.claimed_coverage is not None and report.claimed_coverage != report.coverage:
        yield Violation(
            "COVERAGE",
            f"the file claims coverage {report.claimed_coverage}, "
            f"but its assignments add up to {report.coverage}",
        )
    if report.claimed_bound is not None and report.claimed_bound < report.coverage:
        yield Violation(
            "BOUND",
            f"the file claims coverage_bound {report.claimed_bound}, "
            f"below the coverage {report.coverage} of its own assignments",
        )
    status, bound = report.status, report.claimed_bound
    if status == "optimal" and bound is not None and bound > report.coverage:
        yield Violation(
            "STATUS",
            f"the file claims an optimal roster, but its own bound {bound} is above the "
            f"coverage {report.coverage} of its assignments: optimal means they are equal",
        )
    if status in NO_ROSTER and report.num_assignments:
        yield Violation(
            "STATUS",
            f"the file says {status!r} (no roster) but lists {report.num_assignments} "
            "assignment(s)",
        )
    if report.claimed_gap is not None and bound is not None and bound > 0:
        gap = (bound - report.coverage) / bound
        if abs(report.claimed_gap - gap) > 1e-4:
            yield Violation(
                "GAP",
                f"the file claims a gap of {100 * report.claimed_gap:.2f}%, but its bound "
                f"{bound} and coverage {report.coverage} make {100 * gap:.2f}%",
            )


# ----------------------------------------------------------------------------- rules


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in km on a sphere of radius 6371 km."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2) - math.radians(lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, max(0.0, h))))


class _Roster:
    """A roster seen through the instance: lookups by id, then one method per rule."""

    def __init__(self, instance: Instance, triples: list[Triple], locks_apply: bool = True):
        self.instance = instance
        self.locks_apply = locks_apply
        self.rules = instance.rules
        self.all_triples = triples
        self.volunteers: dict[str, Volunteer] = {v.id: v for v in instance.volunteers}
        self.camps: dict[str, Camp] = {c.id: c for c in instance.camps}
        self.places = {p.id: p for p in instance.places}
        self.skill_ids = {s.id for s in instance.skills}
        # camp id -> skill id -> requirement; the loader guarantees one per skill.
        self.requirements = {c.id: {r.skill: r for r in c.requirements} for c in instance.camps}
        calendar = instance.calendar
        self.days = {
            c.id: (day_of(c.start, calendar), day_of(c.end, calendar)) for c in instance.camps
        }

        # The triples that name a real volunteer, a real camp and a slot that camp has.
        self.valid: list[Triple] = [
            (v, c, s)
            for v, c, s in triples
            if v in self.volunteers and c in self.camps and s in self.requirements[c]
        ]
        # Sets, so that a duplicated triple counts once outside H3 and coverage.
        self.volunteer_camps: dict[str, list[str]] = {}  # distinct camps, in roster order
        self.camp_volunteers: dict[str, set[str]] = {}
        self.slot_volunteers: dict[tuple[str, str], set[str]] = {}
        for v, c, s in self.valid:
            camps_of_v = self.volunteer_camps.setdefault(v, [])
            if c not in camps_of_v:
                camps_of_v.append(c)
            self.camp_volunteers.setdefault(c, set()).add(v)
            self.slot_volunteers.setdefault((c, s), set()).add(v)
        self.volunteer_camp_pairs = {(v, c) for v, c, _ in self.valid}

    # ---- naming people and camps in messages

    def who(self, volunteer_id: str) -> str:
        volunteer = self.volunteers.get(volunteer_id)
        return f"{volunteer_id} ({volunteer.name})" if volunteer else repr(volunteer_id)

    def where(self, camp_id: str) -> str:
        camp = self.camps.get(camp_id)
        return f"{camp_id} ({camp.name})" if camp else repr(camp_id)

    def people(self, volunteer_ids: list[str], limit: int = 10) -> str:
        named = ", ".join(self.who(v) for v in volunteer_ids[:limit])
        more = len(volunteer_ids) - limit
        return named + (f" ... and {more} more" if more > 0 else "")

    def when(self, camp_id: str) -> str:
        camp = self.camps[camp_id]
        return f"{camp.start}..{camp.end}"

    # ---- REF

    def unknown_references(self) -> Iterator[Violation]:
        """Assignments naming an unknown volunteer, camp or skill, or a slot not asked for."""
        known = {
            "volunteer": Suggestions(self.volunteers),
            "camp": Suggestions(self.camps),
            "skill": Suggestions(self.skill_ids),
        }
        for v, c, s in self.all_triples:
            problems = []
            if v not in self.volunteers:
                problems.append(f"unknown volunteer {v!r}{known['volunteer'].hint(v)}")
            if c not in self.camps:
                problems.append(f"unknown camp {c!r}{known['camp'].hint(c)}")
            if s not in self.skill_ids:
                problems.append(f"unknown skill {s!r}{known['skill'].hint(s)}")
            elif c in self.camps and s not in self.requirements[c]:
                problems.append(f"camp {self.where(c)} does not ask for {s!r}")
            if problems:
                yield Violation(
                    "REF",
                    f"assignment ({v}, {c}, {s}): " + "; ".join(problems),
                    volunteers=(v,),
                    camps=(c,),
                )

    # ---- the hard rules, one method each, as the contract words them

    def h1_skill(self) -> Iterator[Violation]:
        """Hard. The volunteer has the skill at the requirement's level or above, and (a
        campplanner extension, ``valid_until``) still holds it on the camp's last day."""
        for v, c, s in self.valid:
            needed = self.requirements[c][s].level
            has = self.volunteers[v].skills.get(s, 0)
            if has < needed:
                held = f"has {s} at level {has}" if has else f"does not have {s}"
                yield Violation(
                    "H1",
                    f"{self.who(v)} {held}, but {self.where(c)} asks for level {needed}",
                    (v,),
                    (c,),
                )
                continue
            until = (self.volunteers[v].valid_until or {}).get(s)
            if until is not None:
                end = self.days[c][1]
                if day_of(until, self.instance.calendar) < end:
                    yield Violation(
                        "H1",
                        f"{self.who(v)}'s {s} is valid until {until}, but {self.where(c)} "
                        f"ends on {self.camps[c].end}",
                        (v,),
                        (c,),
                    )

    def h2_dates(self) -> Iterator[Violation]:
        """Hard. One single ``available`` range contains the whole camp (ranges not merged)."""
        calendar = self.instance.calendar
        for v, camps in self.volunteer_camps.items():
            available = self.volunteers[v].available
            if available is None:  # absent: available every day
                continue
            for c in camps:
                start, end = self.days[c]
                inside_one_range = any(
                    day_of(first, calendar) <= start and end <= day_of(last, calendar)
                    for first, last in available
                )
                if not inside_one_range:
                    said = (
                        "is available on no day"
                        if not available
                        else "is available " + ", ".join(f"{a}..{b}" for a, b in available)
                    )
                    yield Violation(
                        "H2",
                        f"{self.who(v)} {said}; no single range holds "
                        f"{self.where(c)} ({self.when(c)})",
                        (v,),
                        (c,),
                    )

    def h3_one_role(self) -> Iterator[Violation]:
        """Hard. A volunteer holds at most one slot per camp (a repeated triple is two)."""
        slots_held = Counter((v, c) for v, c, _ in self.valid)
        skills_held: dict[tuple[str, str], list[str]] = {}
        for v, c, s in self.valid:
            skills_held.setdefault((v, c), []).append(s)
        for (v, c), count in slots_held.items():
            if count > 1:
                yield Violation(
                    "H3",
                    f"{self.who(v)} holds {count} slots in {self.where(c)} "
                    f"({', '.join(skills_held[(v, c)])})",
                    (v,),
                    (c,),
                )

    def h4_no_overlap(self) -> Iterator[Violation]:
        """Hard. Any two camps a, b of a volunteer, a before b: b.start - a.end - 1 >= rest_days.

        Every pair is checked, not only neighbours in time: a long camp can overlap a
        short one that a third camp follows.
        """
        rest_days = self.rules.rest_days
        for v, camps in self.volunteer_camps.items():
            for i in range(len(camps)):
                for j in range(i + 1, len(camps)):
                    a, b = camps[i], camps[j]
                    if self.days[b][0] < self.days[a][0]:
                        a, b = b, a  # a starts first
                    a_end, b_start = self.days[a][1], self.days[b][0]
                    if b_start <= a_end:
                        yield Violation(
                            "H4",
                            f"{self.who(v)} is in {self.where(a)} ({self.when(a)}) and "
                            f"{self.where(b)} ({self.when(b)}), which overlap",
                            (v,),
                            (a, b),
                        )
                        continue
                    free_days = b_start - a_end - 1
                    if free_days < rest_days:
                        yield Violation(
                            "H4",
                            f"{self.who(v)} has {free_days} free day(s) between "
                            f"{self.where(a)} ({self.when(a)}) and {self.where(b)} "
                            f"({self.when(b)}); the rules ask for {rest_days}",
                            (v,),
                            (a, b),
                        )

    def h5_load(self) -> Iterator[Violation]:
        """Hard. A volunteer joins at most max_camps distinct camps (own value, else the rules')."""
        for v, camps in self.volunteer_camps.items():
            own = self.volunteers[v].max_camps
            limit = own if own is not None else self.rules.max_camps
            if len(camps) > limit:
                whose = "their own limit" if own is not None else "rules.max_camps"
                yield Violation(
                    "H5",
                    f"{self.who(v)} joins {len(camps)} camps "
                    f"({', '.join(self.where(c) for c in camps)}); "
                    f"{whose} is {limit}",
                    (v,),
                    tuple(camps),
                )

    def h6_slots_and_beds(self) -> Iterator[Violation]:
        """Hard. At most ``count`` volunteers per requirement and ``capacity`` per camp."""
        for (c, s), holders in self.slot_volunteers.items():
            count = self.requirements[c][s].count
            if len(holders) > count:
                yield Violation(
                    "H6",
                    f"{self.where(c)} asks for {count} {s}, but {len(holders)} volunteers "
                    f"hold it: {self.people(sorted(holders))}",
                    tuple(sorted(holders)),
                    (c,),
                )
        for c, people in self.camp_volunteers.items():
            capacity = self.camps[c].capacity
            if len(people) > capacity:
                yield Violation(
                    "H6",
                    f"{self.where(c)} has {capacity} beds, but {len(people)} volunteers "
                    f"are assigned: {self.people(sorted(people))}",
                    tuple(sorted(people)),
                    (c,),
                )

    def h7_gender(self) -> Iterator[Violation]:
        """Hard. Everyone in a single-gender camp has that gender (none given is not that)."""
        for v, c in sorted(self.volunteer_camp_pairs):
            wanted = self.camps[c].gender
            if wanted is None:
                continue
            has = self.volunteers[v].gender
            if has != wanted:
                yield Violation(
                    "H7",
                    f"{self.where(c)} is for gender {wanted!r} only, but {self.who(v)} "
                    + (f"has gender {has!r}" if has else "has no gender given"),
                    (v,),
                    (c,),
                )

    def h8_distance(self) -> Iterator[Violation]:
        """Hard. great-circle km(home, camp place) x road_factor <= the volunteer's max_km."""
        for v, c in sorted(self.volunteer_camp_pairs):
            max_km = self.volunteers[v].max_km
            if max_km is None:
                continue
            home = self.places[self.volunteers[v].home]
            place = self.places[self.camps[c].place]
            km = great_circle_km(home.lat, home.lon, place.lat, place.lon)
            road_km = km * self.rules.road_factor
            if road_km > max_km + KM_TOLERANCE:
                yield Violation(
                    "H8",
                    f"{self.where(c)} is {road_km:.1f} road km from the home of "
                    f"{self.who(v)}, who travels at most {max_km:g} km",
                    (v,),
                    (c,),
                )

    def h9_essential(self) -> Iterator[Violation]:
        """Hard. A camp with anyone assigned fills every essential requirement to its count."""
        for c in self.camp_volunteers:
            for requirement in self.camps[c].requirements:
                if not requirement.essential:
                    continue
                filled = len(self.slot_volunteers.get((c, requirement.skill), ()))
                if filled < requirement.count:
                    yield Violation(
                        "H9",
                        f"{self.where(c)} has people assigned but {filled} of "
                        f"{requirement.count} essential {requirement.skill} slot(s) filled; "
                        "a camp that cannot run must be empty",
                        tuple(sorted(self.camp_volunteers[c])),
                        (c,),
                    )

    def h10_locked_and_forbidden(self) -> Iterator[Violation]:
        """Hard. Every locked triple is assigned; no forbidden (volunteer, camp) pair is."""
        present = set(self.all_triples)
        for lock in self.instance.locked if self.locks_apply else ():
            if (lock.volunteer, lock.camp, lock.skill) not in present:
                yield Violation(
                    "H10",
                    f"locked assignment missing: {self.who(lock.volunteer)} as "
                    f"{lock.skill} in {self.where(lock.camp)}",
                    (lock.volunteer,),
                    (lock.camp,),
                )
        for pair in self.instance.forbidden:
            if (pair.volunteer, pair.camp) in self.volunteer_camp_pairs:
                yield Violation(
                    "H10",
                    f"{self.who(pair.volunteer)} is assigned to {self.where(pair.camp)}, "
                    "which is forbidden",
                    (pair.volunteer,),
                    (pair.camp,),
                )

    # ---- coverage and counts

    def coverage(self) -> int:
        """Sum over assignments (REF ones left out) of the camp's priority."""
        return sum(self.camps[c].priority for _, c, _ in self.valid)

    def filled(self) -> dict[str, int]:
        slots = {c.id: 0 for c in self.instance.camps}
        for _, c, _ in self.valid:
            slots[c] += 1
        return slots

    def filled_by_skill(self) -> dict[str, dict[str, int]]:
        slots = {c.id: {r.skill: 0 for r in c.requirements} for c in self.instance.camps}
        for _, c, s in self.valid:
            slots[c][s] += 1
        return slots
