"""The independent checker: for every hard rule a roster that passes and one that breaks
exactly that rule, unknown references, coverage worked out by hand, solution files with
their claims, and the ``campplanner check`` command."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from builders import (
    TINY_PATH,
    camp,
    load_data,
    make_instance,
    place,
    requirement,
    tiny_data,
    volunteer,
)
from campplanner.check import (
    RULES,
    CheckReport,
    Violation,
    check_roster,
    check_solution_file,
    great_circle_km,
)
from campplanner.cli import main
from campplanner.contract.errors import InstanceError
from campplanner.contract.solution import solution_from_data

Roster = list[tuple[str, str, str]]


def judge(data: dict[str, Any], roster: Roster) -> CheckReport:
    return check_roster(load_data(data), roster)


def passes(data: dict[str, Any], roster: Roster) -> None:
    report = judge(data, roster)
    assert report.ok, [v.message for v in report.violations]


def only_violation(data: dict[str, Any], roster: Roster, rule: str) -> Violation:
    """The one violation of ``roster``; fails unless there is exactly one, of ``rule``."""
    report = judge(data, roster)
    assert [v.rule for v in report.violations] == [rule], [v.message for v in report.violations]
    assert not report.ok
    return report.violations[0]


def solution(roster: Roster, status: str = "feasible", **fields: Any) -> dict[str, Any]:
    assignments = [{"volunteer": v, "camp": c, "skill": s} for v, c, s in roster]
    return {
        "format": "campplanner-solution/1",
        "status": status,
        **fields,
        "assignments": assignments,
    }


# The optimum of tiny.json (coverage 29), worked out by hand.
#
# c4 needs a leader at level 3: only v10. c1 and c2 overlap (04-10..14 and 04-13..20), and
# each needs a leader that only v01 or v10 can be (v02 is level 1 but leaves on 04-15,
# before c2 ends; v05 arrives 04-16, after c1 starts), so v01 and v10 lead c1 and c2 in
# some order. c2's only electrician at level 2 is v06 (one slot per camp), so its masons
# come from v01, v04, v12 (v08 is never available, v06 holds the electrician slot), and
# one of v01 leads a camp: c2 gets at most 2 masons, 4 of its 5 slots. Everything else
# fills: c1 4 slots, c3 3 (women: teachers v05 and v11, nurse v03), c4 3 (v10 leads, v01
# and v04 are masons: v06 is 156 road km away > his max_km 120, v12 is forbidden in c4).
# Rest days hold: v01 c1 (ends 04-14) then c4 (starts 04-25); v04 and v10 c2 (ends 04-20)
# then c4; nobody passes max_camps 2, and v09 (max_camps 1) serves c1 only.
#   coverage = c1 4 x 3 + c2 4 x 2 + c3 3 x 1 + c4 3 x 2 = 12 + 8 + 3 + 6 = 29
TINY_ROSTER: Roster = [
    ("v01", "c1", "camp_leader"),
    ("v02", "c1", "physician"),
    ("v07", "c1", "nurse"),
    ("v09", "c1", "nurse"),
    ("v10", "c2", "camp_leader"),
    ("v04", "c2", "mason"),  # locked
    ("v12", "c2", "mason"),
    ("v06", "c2", "electrician"),
    ("v05", "c3", "teacher"),
    ("v11", "c3", "teacher"),
    ("v03", "c3", "nurse"),
    ("v10", "c4", "camp_leader"),
    ("v01", "c4", "mason"),
    ("v04", "c4", "mason"),
]


# ------------------------------------------------------------------------ tiny.json


def test_hand_made_optimum_of_tiny_passes_with_coverage_29() -> None:
    report = judge(tiny_data(), TINY_ROSTER)
    assert report.ok, [v.message for v in report.violations]
    assert report.coverage == 29
    assert report.filled == {"c1": 4, "c2": 4, "c3": 3, "c4": 3}
    assert report.filled_by_skill["c2"] == {"camp_leader": 1, "mason": 2, "electrician": 1}


def test_tiny_roster_without_its_lock_breaks_h10() -> None:
    roster = [t for t in TINY_ROSTER if t != ("v04", "c2", "mason")]
    violation = only_violation(tiny_data(), roster, "H10")
    assert violation.volunteers == ("v04",)
    assert violation.camps == ("c2",)
    assert "حسین موسوی" in violation.message  # the volunteer's name, not only the id


def test_tiny_with_many_faults_names_each_rule() -> None:
    roster = [
        *TINY_ROSTER,
        ("v06", "c4", "mason"),  # too far (H8), c4 over its masons and beds (H6)
        ("v12", "c4", "mason"),  # forbidden (H10)
        ("v08", "c2", "mason"),  # never available (H2)
        ("v10", "c1", "physician"),  # overlaps c2 (H4), a third camp (H5)
    ]
    rules = {v.rule for v in judge(tiny_data(), roster).violations}
    assert rules == {"H2", "H4", "H5", "H6", "H8", "H10"}


# --------------------------------------------------------------------- H1 skill level


def h1_instance(level: int | None) -> dict[str, Any]:
    skills = {"nurse": level} if level else {"mason": 3}
    return make_instance(
        volunteers=[volunteer("v1", skills=skills)],
        camps=[camp("c1", requirements=[requirement("nurse", level=2)])],
    )


def test_h1_level_equal_to_the_requirement_or_above_passes() -> None:
    passes(h1_instance(2), [("v1", "c1", "nurse")])
    passes(h1_instance(3), [("v1", "c1", "nurse")])


@pytest.mark.parametrize("level", [1, None], ids=["level below", "skill missing"])
def test_h1_level_below_or_skill_missing(level: int | None) -> None:
    violation = only_violation(h1_instance(level), [("v1", "c1", "nurse")], "H1")
    assert (violation.volunteers, violation.camps) == (("v1",), ("c1",))
    assert "level 2" in violation.message


@pytest.mark.parametrize(
    ("until", "calendar", "ok"),
    [
        ("2021-07-05", "gregorian", True),  # the camp's last day: still valid
        ("2021-07-04", "gregorian", False),  # runs out a day before the camp ends
        ("1400-04-14", "jalali", True),  # 1400-04-14 is 2021-07-05
        ("۱۴۰۰-۰۴-۱۳", "jalali", False),  # 2021-07-04, in Persian digits
    ],
)
def test_h1_a_qualification_must_last_to_the_camps_end(until: str, calendar: str, ok: bool) -> None:
    data = make_instance(volunteers=[volunteer("v1", valid_until={"nurse": until})])
    if calendar == "jalali":  # the camp of 2021-07-01..05 written in Jalali
        data["calendar"] = "jalali"
        data["camps"][0].update(start="1400-04-10", end="1400-04-14")
    if ok:
        passes(data, [("v1", "c1", "nurse")])
    else:
        violation = only_violation(data, [("v1", "c1", "nurse")], "H1")
        assert "valid until" in violation.message


def test_h1_level_defaults_to_1() -> None:
    data = make_instance(
        volunteers=[volunteer("v1", skills={"nurse": 1})],
        camps=[camp("c1", requirements=[{"skill": "nurse", "count": 1}])],
    )
    passes(data, [("v1", "c1", "nurse")])


# ---------------------------------------------------------------------- H2 availability


@pytest.mark.parametrize(
    "available",
    [
        None,  # absent: every day
        [["2021-07-01", "2021-07-05"]],  # exactly the camp
        [["2021-06-01", "2021-06-10"], ["2021-06-28", "2021-07-09"]],
    ],
    ids=["absent", "exactly the camp", "second range"],
)
def test_h2_one_range_holds_the_camp(available: list[list[str]] | None) -> None:
    fields = {} if available is None else {"available": available}
    data = make_instance(volunteers=[volunteer("v1", **fields)])  # camp c1: 07-01..07-05
    passes(data, [("v1", "c1", "nurse")])


@pytest.mark.parametrize(
    "available",
    [
        [],  # never available
        [["2021-07-02", "2021-07-10"]],  # misses the first day
        [["2021-06-20", "2021-07-04"]],  # misses the last day
        [["2021-07-01", "2021-07-03"], ["2021-07-04", "2021-07-05"]],  # touching, not merged
    ],
    ids=["empty list", "first day", "last day", "two touching ranges"],
)
def test_h2_no_single_range_holds_the_camp(available: list[list[str]]) -> None:
    data = make_instance(volunteers=[volunteer("v1", available=available)])
    violation = only_violation(data, [("v1", "c1", "nurse")], "H2")
    assert (violation.volunteers, violation.camps) == (("v1",), ("c1",))


# ------------------------------------------------------------------- H3 one role


def test_h3_one_slot_per_camp() -> None:
    data = make_instance(
        volunteers=[volunteer("v1", skills={"nurse": 1, "mason": 1})],
        camps=[camp("c1", requirements=[requirement("nurse"), requirement("mason")])],
    )
    passes(data, [("v1", "c1", "nurse")])
    violation = only_violation(data, [("v1", "c1", "nurse"), ("v1", "c1", "mason")], "H3")
    assert (violation.volunteers, violation.camps) == (("v1",), ("c1",))


def test_h3_a_repeated_triple_holds_two_slots() -> None:
    # count 2: the repeat is not an excess of nurses (H6 counts people), only of roles.
    data = make_instance(camps=[camp("c1", requirements=[requirement("nurse", count=2)])])
    violation = only_violation(data, [("v1", "c1", "nurse")] * 2, "H3")
    assert (violation.volunteers, violation.camps) == (("v1",), ("c1",))


# ---------------------------------------------------------------- H4 overlap, rest


def two_camps(first_end: str, second_start: str, second_end: str, rest_days: int | None):
    rules = {"max_camps": 2} if rest_days is None else {"max_camps": 2, "rest_days": rest_days}
    return make_instance(
        rules=rules,
        camps=[
            camp("a", start="2021-07-01", end=first_end),
            camp("b", start=second_start, end=second_end),
        ],
    )


BOTH = [("v1", "a", "nurse"), ("v1", "b", "nurse")]


def test_h4_rest_days_boundary() -> None:
    # a ends 07-05; b starting 07-08 leaves 07-06 and 07-07 free: 8 - 5 - 1 = 2 days.
    passes(two_camps("2021-07-05", "2021-07-08", "2021-07-10", rest_days=2), BOTH)
    # one day less: b starts 07-07, 7 - 5 - 1 = 1 free day < 2.
    violation = only_violation(
        two_camps("2021-07-05", "2021-07-07", "2021-07-10", rest_days=2), BOTH, "H4"
    )
    assert violation.volunteers == ("v1",)
    assert set(violation.camps) == {"a", "b"}
    assert "1 free day" in violation.message


def test_h4_back_to_back_is_fine_without_rest_days_and_a_shared_day_is_not() -> None:
    passes(two_camps("2021-07-05", "2021-07-06", "2021-07-10", rest_days=None), BOTH)
    violation = only_violation(
        two_camps("2021-07-05", "2021-07-05", "2021-07-10", rest_days=None), BOTH, "H4"
    )
    assert "overlap" in violation.message


def test_h4_order_in_the_roster_does_not_matter() -> None:
    data = two_camps("2021-07-05", "2021-07-07", "2021-07-10", rest_days=2)
    only_violation(data, list(reversed(BOTH)), "H4")


def test_h4_checks_all_pairs_not_only_neighbours() -> None:
    # a = days 1..10, b = 2..3, c = 12..13, rest_days 2. Sorted by start: a, b, c. The
    # neighbours (a, b) overlap and (b, c) have 8 free days; only comparing a with c, two
    # apart in that order, finds that a and c have 12 - 10 - 1 = 1 free day < 2.
    data = make_instance(
        rules={"rest_days": 2, "max_camps": 3},
        camps=[
            camp("a", start="2021-07-01", end="2021-07-10"),
            camp("b", start="2021-07-02", end="2021-07-03"),
            camp("c", start="2021-07-12", end="2021-07-13"),
        ],
    )
    roster = [("v1", "a", "nurse"), ("v1", "b", "nurse"), ("v1", "c", "nurse")]
    report = judge(data, roster)
    assert {v.rule for v in report.violations} == {"H4"}
    assert sorted(tuple(sorted(v.camps)) for v in report.violations) == [("a", "b"), ("a", "c")]
    # With rest_days 1, a and c have just enough rest: only the overlap remains.
    data["rules"]["rest_days"] = 1
    violation = only_violation(data, roster, "H4")
    assert set(violation.camps) == {"a", "b"}


def test_h4_jalali_month_ends() -> None:
    # Shahrivar has 31 days (Gregorian would reject 06-31). a ends 1400-06-31; b starting
    # 1400-07-02 leaves 07-01 free, enough for rest_days 1; b starting 07-01 leaves none.
    def jalali(second_start: str) -> dict[str, Any]:
        return make_instance(
            calendar="jalali",
            rules={"rest_days": 1, "max_camps": 2},
            camps=[
                camp("a", start="1400-06-28", end="1400-06-31"),
                camp("b", start=second_start, end="1400-07-05"),
            ],
        )

    passes(jalali("1400-07-02"), BOTH)
    violation = only_violation(jalali("۱۴۰۰-۰۷-۰۱"), BOTH, "H4")  # Persian digits too
    assert "0 free day" in violation.message


def test_h2_jalali_ranges_with_persian_digits() -> None:
    def jalali(last_day: str) -> dict[str, Any]:
        return make_instance(
            calendar="jalali",
            volunteers=[volunteer("v1", available=[["۱۴۰۰-۰۶-۲۵", last_day]])],
            camps=[camp("c1", start="1400-06-28", end="1400-06-31")],
        )

    passes(jalali("۱۴۰۰-۰۶-۳۱"), [("v1", "c1", "nurse")])
    only_violation(jalali("۱۴۰۰-۰۶-۳۰"), [("v1", "c1", "nurse")], "H2")


# --------------------------------------------------------------------------- H5 load


def h5_instance(rules_max: int | None, own_max: int | None) -> dict[str, Any]:
    own = {} if own_max is None else {"max_camps": own_max}
    return make_instance(
        rules=None if rules_max is None else {"max_camps": rules_max},
        volunteers=[volunteer("v1", **own)],
        camps=[
            camp("a", start="2021-07-01", end="2021-07-05"),
            camp("b", start="2021-07-10", end="2021-07-12"),
        ],
    )


@pytest.mark.parametrize(
    ("rules_max", "own_max"), [(2, None), (1, 2), (None, 3)], ids=["rules 2", "own 2", "own 3"]
)
def test_h5_within_the_limit(rules_max: int | None, own_max: int | None) -> None:
    passes(h5_instance(rules_max, own_max), BOTH)


@pytest.mark.parametrize(
    ("rules_max", "own_max"),
    [(None, None), (3, 1)],
    ids=["rules default 1", "own 1 beats rules 3"],
)
def test_h5_over_the_limit(rules_max: int | None, own_max: int | None) -> None:
    violation = only_violation(h5_instance(rules_max, own_max), BOTH, "H5")
    assert violation.volunteers == ("v1",)
    assert set(violation.camps) == {"a", "b"}


def test_h5_max_camps_zero_means_no_camp() -> None:
    only_violation(h5_instance(2, 0), [("v1", "a", "nurse")], "H5")


# ------------------------------------------------------------ H6 slots and beds


def h6_instance(count: int, capacity: int) -> dict[str, Any]:
    return make_instance(
        volunteers=[volunteer("v1"), volunteer("v2")],
        camps=[camp("c1", capacity=capacity, requirements=[requirement("nurse", count)])],
    )


TWO_NURSES = [("v1", "c1", "nurse"), ("v2", "c1", "nurse")]


def test_h6_within_slots_and_beds() -> None:
    passes(h6_instance(count=2, capacity=2), TWO_NURSES)


def test_h6_more_people_than_slots() -> None:
    violation = only_violation(h6_instance(count=1, capacity=5), TWO_NURSES, "H6")
    assert violation.volunteers == ("v1", "v2")
    assert violation.camps == ("c1",)
    assert "asks for 1 nurse" in violation.message


def test_h6_more_people_than_beds() -> None:
    violation = only_violation(h6_instance(count=2, capacity=1), TWO_NURSES, "H6")
    assert violation.volunteers == ("v1", "v2")
    assert "1 beds" in violation.message


# ------------------------------------------------------------------------ H7 gender


@pytest.mark.parametrize(
    ("camp_gender", "gender"), [("f", "f"), ("m", "m"), (None, "f"), (None, None)]
)
def test_h7_gender_allowed(camp_gender: str | None, gender: str | None) -> None:
    data = make_instance(
        volunteers=[volunteer("v1", **({"gender": gender} if gender else {}))],
        camps=[camp("c1", **({"gender": camp_gender} if camp_gender else {}))],
    )
    passes(data, [("v1", "c1", "nurse")])


@pytest.mark.parametrize("gender", ["m", None], ids=["other gender", "no gender given"])
def test_h7_single_gender_camp(gender: str | None) -> None:
    data = make_instance(
        volunteers=[volunteer("v1", **({"gender": gender} if gender else {}))],
        camps=[camp("c1", gender="f")],
    )
    violation = only_violation(data, [("v1", "c1", "nurse")], "H7")
    assert (violation.volunteers, violation.camps) == (("v1",), ("c1",))


# ---------------------------------------------------------------------- H8 distance

# One degree of longitude on the equator is 1/360 of a great circle of radius 6371 km.
ONE_DEGREE_KM = 6371.0 * math.pi / 180  # 111.19492664455873


def h8_instance(max_km: float | None, road_factor: float = 1.0) -> dict[str, Any]:
    own = {} if max_km is None else {"max_km": max_km}
    return make_instance(
        rules={"road_factor": road_factor},
        places=[place("home", 0.0, 0.0), place("site", 0.0, 1.0)],
        volunteers=[volunteer("v1", home="home", **own)],
        camps=[camp("c1", place="site")],
    )


def test_great_circle_km_of_known_arcs() -> None:
    assert great_circle_km(0.0, 0.0, 0.0, 1.0) == pytest.approx(ONE_DEGREE_KM, rel=1e-12)
    assert great_circle_km(0.0, 0.0, 1.0, 0.0) == pytest.approx(ONE_DEGREE_KM, rel=1e-12)
    assert great_circle_km(90.0, 0.0, -90.0, 0.0) == pytest.approx(6371.0 * math.pi)


@pytest.mark.parametrize(
    ("max_km", "road_factor"),
    [(None, 1.0), (ONE_DEGREE_KM, 1.0), (1.5 * ONE_DEGREE_KM, 1.5), (500.0, 1.3)],
    ids=["no cap", "exactly the cap", "exactly the cap, factor 1.5", "well within"],
)
def test_h8_within_reach(max_km: float | None, road_factor: float) -> None:
    passes(h8_instance(max_km, road_factor), [("v1", "c1", "nurse")])


@pytest.mark.parametrize(
    ("max_km", "road_factor"),
    [(ONE_DEGREE_KM - 0.001, 1.0), (ONE_DEGREE_KM, 1.5)],
    ids=["a metre short", "the factor makes the road longer"],
)
def test_h8_too_far(max_km: float, road_factor: float) -> None:
    violation = only_violation(h8_instance(max_km, road_factor), [("v1", "c1", "nurse")], "H8")
    assert (violation.volunteers, violation.camps) == (("v1",), ("c1",))


# --------------------------------------------------------------------- H9 essential


def h9_instance(leaders: int = 1) -> dict[str, Any]:
    return make_instance(
        volunteers=[
            volunteer("lead1", skills={"leader": 1}),
            volunteer("lead2", skills={"leader": 1}),
            volunteer("n1"),
        ],
        camps=[
            camp(
                "c1",
                requirements=[
                    requirement("leader", count=leaders, essential=True),
                    requirement("nurse", count=2),
                ],
            )
        ],
    )


def test_h9_running_camp_with_its_essentials_or_a_cancelled_camp() -> None:
    passes(h9_instance(), [("lead1", "c1", "leader"), ("n1", "c1", "nurse")])
    passes(h9_instance(), [("lead1", "c1", "leader")])
    passes(h9_instance(), [])  # nobody assigned: the camp is cancelled, which is allowed


def test_h9_people_in_a_camp_without_its_essential_slots() -> None:
    violation = only_violation(h9_instance(), [("n1", "c1", "nurse")], "H9")
    assert violation.camps == ("c1",)
    assert violation.volunteers == ("n1",)


def test_h9_essential_count_is_filled_in_full() -> None:
    roster = [("lead1", "c1", "leader"), ("lead2", "c1", "leader")]
    passes(h9_instance(leaders=2), roster)
    violation = only_violation(h9_instance(leaders=2), roster[:1], "H9")
    assert "1 of 2" in violation.message


# ----------------------------------------------------------- H10 locked and forbidden


def test_h10_locked_triple_present_or_missing() -> None:
    data = make_instance(
        volunteers=[volunteer("v1"), volunteer("v2")],
        locked=[{"volunteer": "v1", "camp": "c1", "skill": "nurse"}],
    )
    passes(data, [("v1", "c1", "nurse")])
    violation = only_violation(data, [], "H10")
    assert (violation.volunteers, violation.camps) == (("v1",), ("c1",))
    # Someone else in the locked slot does not make the lock hold.
    only_violation(data, [("v2", "c1", "nurse")], "H10")


def test_h10_lock_holds_only_in_the_locked_skill() -> None:
    data = make_instance(
        volunteers=[volunteer("v1", skills={"nurse": 1, "mason": 1})],
        camps=[camp("c1", requirements=[requirement("nurse"), requirement("mason")])],
        locked=[{"volunteer": "v1", "camp": "c1", "skill": "nurse"}],
    )
    violation = only_violation(data, [("v1", "c1", "mason")], "H10")
    assert "as nurse" in violation.message


def test_h10_forbidden_pair() -> None:
    data = make_instance(
        volunteers=[volunteer("v1"), volunteer("v2")],
        forbidden=[{"volunteer": "v1", "camp": "c1"}],
    )
    passes(data, [("v2", "c1", "nurse")])
    violation = only_violation(data, [("v1", "c1", "nurse")], "H10")
    assert (violation.volunteers, violation.camps) == (("v1",), ("c1",))
    assert "forbidden" in violation.message


# ------------------------------------------------------------------------------ REF


@pytest.mark.parametrize(
    ("triple", "words"),
    [
        (("ghost", "c1", "nurse"), "unknown volunteer 'ghost'"),
        (("v1", "c9", "nurse"), "unknown camp 'c9'"),
        (("v1", "c1", "pilot"), "unknown skill 'pilot'"),
        (("v1", "c1", "mason"), "does not ask for 'mason'"),  # a skill, not of this camp
    ],
    ids=["volunteer", "camp", "skill", "skill not asked"],
)
def test_ref_unknown_ids_and_slots_the_camp_does_not_have(
    triple: tuple[str, str, str], words: str
) -> None:
    data = make_instance(volunteers=[volunteer("v1", skills={"nurse": 1, "mason": 3})])
    violation = only_violation(data, [triple], "REF")
    assert words in violation.message
    assert violation.volunteers == (triple[0],)
    assert violation.camps == (triple[1],)
    assert judge(data, [triple]).coverage == 0  # it fills no slot


def test_ref_triples_are_left_out_of_the_other_rules() -> None:
    # v1 is forbidden in c1 and has no mason skill; the triple names a slot c1 lacks,
    # so it is one REF, not also H1 or H10.
    data = make_instance(forbidden=[{"volunteer": "v1", "camp": "c1"}])
    only_violation(data, [("v1", "c1", "mason")], "REF")


# ------------------------------------------------------------------------- coverage


def test_coverage_worked_by_hand() -> None:
    # c1 priority 3 with two nurses, c2 priority 1 (the default) with one nurse, c3 empty,
    # plus one REF triple that fills nothing: 3 + 3 + 1 = 7.
    data = make_instance(
        rules={"max_camps": 2},
        volunteers=[volunteer("v1"), volunteer("v2"), volunteer("v3")],
        camps=[
            camp("c1", priority=3, requirements=[requirement("nurse", count=2)]),
            camp("c2", start="2021-07-10", end="2021-07-12"),
            camp("c3", start="2021-08-01", end="2021-08-02", priority=5),
        ],
    )
    roster = [("v1", "c1", "nurse"), ("v2", "c1", "nurse"), ("v3", "c2", "nurse")]
    report = judge(data, [*roster, ("v3", "c9", "nurse")])
    assert report.coverage == 7
    assert report.filled == {"c1": 2, "c2": 1, "c3": 0}
    assert report.num_assignments == 4
    assert report.rules_broken() == {"REF"}


def test_every_violation_uses_a_known_rule_id() -> None:
    roster = [*TINY_ROSTER, ("v06", "c4", "mason"), ("x", "c1", "nurse")]
    assert all(v.rule in RULES for v in judge(tiny_data(), roster).violations)


def test_report_as_json_data() -> None:
    data = judge(tiny_data(), [*TINY_ROSTER, ("v12", "c4", "mason")]).to_dict()
    json.dumps(data)  # JSON-ready
    assert data["ok"] is False
    assert data["coverage"] == 31
    assert data["violations_per_rule"] == {"H6": 2, "H10": 1}
    assert data["violations"][0].keys() == {"rule", "message", "volunteers", "camps"}


# ------------------------------------------------------------------- solution files


@pytest.fixture
def write_solution(tmp_path: Path) -> Callable[[Any], Path]:
    def write(data: Any) -> Path:
        path = tmp_path / "solution.json"
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    return write


def test_solution_file_of_tiny(write_solution: Callable[[Any], Path]) -> None:
    path = write_solution(solution(TINY_ROSTER, "optimal", coverage=29, coverage_bound=29))
    report = check_solution_file(TINY_PATH, path)
    assert report.ok
    assert (report.coverage, report.claimed_coverage, report.claimed_bound) == (29, 29, 29)
    assert report.status == "optimal"


def test_claimed_coverage_must_match(write_solution: Callable[[Any], Path]) -> None:
    path = write_solution(solution(TINY_ROSTER, coverage=30))
    report = check_solution_file(TINY_PATH, path)
    assert [v.rule for v in report.violations] == ["COVERAGE"]
    assert "30" in report.violations[0].message and "29" in report.violations[0].message


def test_coverage_bound_must_not_be_below_coverage(
    write_solution: Callable[[Any], Path],
) -> None:
    path = write_solution(solution(TINY_ROSTER, coverage=29, coverage_bound=31))
    assert check_solution_file(TINY_PATH, path).ok
    path = write_solution(solution(TINY_ROSTER, coverage=29, coverage_bound=28))
    assert [v.rule for v in check_solution_file(TINY_PATH, path).violations] == ["BOUND"]


@pytest.mark.parametrize("status", ["infeasible", "unknown"])
def test_no_roster_claimed_is_not_judged_for_locks(
    status: str, write_solution: Callable[[Any], Path]
) -> None:
    # tiny.json locks v04 in c2: an empty roster would break H10, but these claim none.
    assert check_solution_file(TINY_PATH, write_solution(solution([], status))).ok
    # A roster that is there is judged, whatever the status says.
    report = check_solution_file(TINY_PATH, write_solution(solution([("v08", "c2", "mason")])))
    assert report.rules_broken() == {"H2", "H9", "H10"}


# Four good assignments, then one without its camp.
FIFTH_WITHOUT_CAMP = solution([("v01", "c1", "camp_leader")] * 4)
FIFTH_WITHOUT_CAMP["assignments"].append({"volunteer": "v02", "skill": "physician"})


@pytest.mark.parametrize(
    ("data", "path", "words"),
    [
        (FIFTH_WITHOUT_CAMP, "assignments[4].camp", "missing"),
        (
            solution([("v01", 7, "camp_leader")]),  # type: ignore[list-item]
            "assignments[0].camp",
            "expected text in quotes, got 7",
        ),
        (solution([], "done"), "status", "'optimal'"),
        ({"assignments": []}, "status", "missing"),
        (solution([], coverage="29"), "coverage", 'expected a whole number, got "29"'),
        (solution([], coverage_bound=29.5), "coverage_bound", "expected a whole number, got 29.5"),
        ([], "", "top level must be a JSON object"),
    ],
    ids=[
        "field missing",
        "wrong type",
        "bad status",
        "no status",
        "string count",
        "fractional bound",
        "not an object",
    ],
)
def test_bad_solution_files_name_the_json_path(data: Any, path: str, words: str) -> None:
    with pytest.raises(InstanceError) as error:
        solution_from_data(data, "solution.json")
    issues = error.value.issues
    assert [issue.path for issue in issues] == [path], issues
    assert words in issues[0].message


def test_solution_that_is_not_json(write_solution: Callable[[Any], Path]) -> None:
    with pytest.raises(InstanceError, match="not valid JSON"):
        check_solution_file(TINY_PATH, write_solution('{"status": "optimal",'))


# ---------------------------------------------------------------------------- CLI


def run_check(*args: str | Path) -> Any:
    return CliRunner().invoke(main, ["check", *map(str, args)])


def test_cli_exit_0_for_a_good_roster(write_solution: Callable[[Any], Path]) -> None:
    path = write_solution(solution(TINY_ROSTER, coverage=29, coverage_bound=29))
    result = run_check(TINY_PATH, path)
    assert result.exit_code == 0, result.output
    assert "OK" in result.output
    assert "29 recomputed, 29 claimed" in result.output


def test_cli_exit_1_lists_violations_by_rule(write_solution: Callable[[Any], Path]) -> None:
    roster = [*TINY_ROSTER, ("v12", "c4", "mason"), ("v06", "c4", "mason")]
    path = write_solution(solution(roster, coverage=29))
    result = run_check(TINY_PATH, path)
    assert result.exit_code == 1, result.output
    for label in ("H6 (2)", "H8 (1)", "H10 (1)", "COVERAGE (1)"):
        assert label in result.output
    assert "33 recomputed, 29 claimed" in result.output
    assert "FAIL" in result.output


def test_cli_json_report(write_solution: Callable[[Any], Path]) -> None:
    path = write_solution(solution([*TINY_ROSTER, ("v12", "c4", "mason")], coverage=31))
    result = run_check(TINY_PATH, path, "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["violations_per_rule"] == {"H6": 2, "H10": 1}
    assert report["coverage"] == report["claimed_coverage"] == 31
    h10 = next(v for v in report["violations"] if v["rule"] == "H10")
    assert (h10["volunteers"], h10["camps"]) == (["v12"], ["c4"])


def test_cli_exit_2_for_a_bad_solution_file(write_solution: Callable[[Any], Path]) -> None:
    result = run_check(TINY_PATH, write_solution(FIFTH_WITHOUT_CAMP))
    assert result.exit_code == 2
    assert "assignments[4].camp" in result.output
    assert "Traceback" not in result.output


def test_cli_exit_2_for_a_bad_instance(
    tmp_path: Path, write_solution: Callable[[Any], Path]
) -> None:
    instance = tmp_path / "instance.json"
    instance.write_text('{"name": "x"}', encoding="utf-8")
    result = run_check(instance, write_solution(solution(TINY_ROSTER)))
    assert result.exit_code == 2
    assert "volunteers" in result.output


def test_cli_exit_2_for_a_missing_file(tmp_path: Path) -> None:
    result = run_check(TINY_PATH, tmp_path / "nowhere.json")
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_cli_in_a_real_process(write_solution: Callable[[Any], Path]) -> None:
    path = write_solution(solution(TINY_ROSTER[1:], coverage=26))
    command = [sys.executable, "-c", "from campplanner.cli import main; main()"]
    result = subprocess.run(
        [*command, "check", str(TINY_PATH), str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    # Without v01 c1 loses its leader: the rest of c1 breaks H9.
    assert result.returncode == 1, result.stderr
    assert "H9" in result.stdout


def test_checker_shares_no_code_with_the_model() -> None:
    # The judge must not load the solver's modules, however it is reached.
    code = (
        "import sys, campplanner.check, campplanner.cli.inspect_view; "
        "loaded = [m for m in sys.modules if m.startswith(('campplanner.model', "
        "'campplanner.solver', 'campplanner.explain.overview'))]; "
        "print(loaded); sys.exit(1 if loaded else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_claim_its_own_numbers_contradict_is_flagged(
    write_solution: Callable[[Any], Path],
) -> None:
    # "optimal" means coverage equals the proven bound: a bound of 1,000 over 29 says not
    data = solution(TINY_ROSTER, "optimal", coverage=29, coverage_bound=1000)
    report = check_solution_file(TINY_PATH, write_solution(data))
    assert [v.rule for v in report.violations] == ["STATUS"]
    # a gap that the file's own bound and coverage do not make
    data = solution(TINY_ROSTER, "feasible", coverage=29, coverage_bound=31)
    data["gap"] = 0.0
    report = check_solution_file(TINY_PATH, write_solution(data))
    assert [v.rule for v in report.violations] == ["GAP"]
    data["gap"] = 2 / 31
    assert check_solution_file(TINY_PATH, write_solution(data)).ok


def test_a_file_that_says_no_roster_but_lists_one_is_flagged(
    write_solution: Callable[[Any], Path],
) -> None:
    report = check_solution_file(TINY_PATH, write_solution(solution(TINY_ROSTER, "unknown")))
    assert "STATUS" in report.rules_broken()


def test_a_solution_read_from_a_pipe_is_read_whole(tmp_path: Path) -> None:
    """Telling a workbook from JSON must not eat a pipe's first bytes (it lost 4)."""
    import os
    import threading

    from builders import TINY_PATH

    solution = {
        "format": "campplanner-solution/1",
        "instance": "tiny",
        "status": "feasible",
        "assignments": [{"volunteer": v, "camp": c, "skill": s} for v, c, s in TINY_ROSTER],
    }
    pipe = tmp_path / "roster.json"
    os.mkfifo(pipe)

    def feed() -> None:
        with pipe.open("w", encoding="utf-8") as handle:
            json.dump(solution, handle)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    result = CliRunner().invoke(main, ["check", str(TINY_PATH), str(pipe)])
    writer.join(5)
    assert result.exit_code == 0, result.output
    assert "29" in result.output
