"""The compiled problem: candidate triples (H1, H2, H7, H8, forbidden), locks, and views.

The candidates of ``instances/tiny.json`` are derived by hand below; a hypothesis test
compares the vectorised candidates of random small instances with a slow, plain
recomputation written here, sharing no code with ``problem.py``.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import (
    camp,
    compile_data,
    make_instance,
    place,
    requirement,
    skill,
    tiny_data,
    triples,
    volunteer,
)
from campplanner.contract.instance import load_instance
from campplanner.model.compile import compile_instance
from campplanner.model.rules import camps_conflict

# ------------------------------------------------------------------- tiny by hand
#
# tiny.json: Jalali 1400, month 4 (Tir, 31 days). No volunteer has max_km except v06.
# Camps and their requirements (level defaults to 1):
#   c1 v-khomein-01 04-10..04-14 mixed:  camp_leader L2, physician L2, nurse L1
#   c2 v-saveh-01   04-13..04-20 mixed:  camp_leader L1, mason L1, electrician L2
#   c3 v-arak-01    04-16..04-22 women:  teacher L1, nurse L1
#   c4 v-arak-01    04-25..04-29 mixed:  camp_leader L3, mason L1
#
# Road km for v06 (home saveh 35.0213, 50.3566; max_km 120), haversine R = 6371 km
# times road_factor 1.3:
#   to v-khomein-01 (33.55, 50.20): 164.2 km great-circle -> 213.5 road km  > 120: no c1
#   to v-saveh-01   (35.10, 50.10):  24.9 km great-circle ->  32.4 road km <= 120: c2 ok
#   to v-arak-01    (34.20, 49.50): 120.4 km great-circle -> 156.5 road km  > 120: no c3, c4
#
# v01 m, always, camp_leader 2, mason 2:
#   c1 camp_leader (2 >= 2); c2 camp_leader, mason; c3 women only; c4 camp_leader needs 3,
#   mason ok.                                                               -> 4 triples
# v02 f, 04-01..04-15, physician 3, camp_leader 1:
#   c1 inside the range: physician (3 >= 2), camp_leader 1 < 2 no; c2 ends 04-20 > 04-15,
#   c3 and c4 outside the range.                                            -> 1
# v03 f, always, nurse 2, teacher 1: c1 nurse; c3 teacher, nurse.          -> 3
# v04 m, always, mason 3, electrician 1:
#   c2 mason (electrician needs 2); c3 women only; c4 mason.                -> 2
# v05 f, 04-16..04-31, teacher 2, camp_leader 2:
#   c1, c2 start before 04-16; c3 teacher; c4 camp_leader needs 3.          -> 1
# v06 m, saveh, max_km 120, electrician 2, mason 1:
#   only c2 is near enough: mason, electrician (2 >= 2).                    -> 2
# v07 f, always, nurse 1: c1 nurse, c3 nurse.                               -> 2
# v08 m, available [] (never):                                              -> 0
# v09 f, always, teacher 1, nurse 2 (max_camps 1 does not limit candidates):
#   c1 nurse; c3 teacher, nurse.                                            -> 3
# v10 m, always, camp_leader 3, physician 2:
#   c1 camp_leader, physician; c2 camp_leader; c4 camp_leader (3 >= 3).     -> 4
# v11 f, always, teacher 3: c3 teacher.                                     -> 1
# v12 m, saveh, always, mason 2: c2 mason; c4 mason is forbidden.           -> 1
#                                                                   total: 24
TINY_CANDIDATES = {
    ("v01", "c1", "camp_leader"),
    ("v01", "c2", "camp_leader"),
    ("v01", "c2", "mason"),
    ("v01", "c4", "mason"),
    ("v02", "c1", "physician"),
    ("v03", "c1", "nurse"),
    ("v03", "c3", "teacher"),
    ("v03", "c3", "nurse"),
    ("v04", "c2", "mason"),
    ("v04", "c4", "mason"),
    ("v05", "c3", "teacher"),
    ("v06", "c2", "mason"),
    ("v06", "c2", "electrician"),
    ("v07", "c1", "nurse"),
    ("v07", "c3", "nurse"),
    ("v09", "c1", "nurse"),
    ("v09", "c3", "teacher"),
    ("v09", "c3", "nurse"),
    ("v10", "c1", "camp_leader"),
    ("v10", "c1", "physician"),
    ("v10", "c2", "camp_leader"),
    ("v10", "c4", "camp_leader"),
    ("v11", "c3", "teacher"),
    ("v12", "c2", "mason"),
}


def test_tiny_candidates_match_the_hand_derivation(tiny_path: Path) -> None:
    problem = compile_instance(load_instance(tiny_path))
    assert problem.num_candidates == len(TINY_CANDIDATES)  # no duplicates either
    assert triples(problem) == TINY_CANDIDATES


def test_tiny_road_km_of_v06(tiny_path: Path) -> None:
    problem = compile_instance(load_instance(tiny_path))
    v06 = problem.volunteer_index["v06"]
    km = {
        problem.camp_ids[problem.requirement_camp[r]]: float(k)
        for v, r, k in zip(
            problem.candidate_volunteer,
            problem.candidate_requirement,
            problem.candidate_km,
            strict=True,
        )
        if v == v06
    }
    assert km == {"c2": pytest.approx(32.4, abs=0.1)}


def test_tiny_lock_resolves_to_its_candidate(tiny_path: Path) -> None:
    problem = compile_instance(load_instance(tiny_path))
    assert problem.impossible_locks == ()
    [candidate] = problem.locked_candidates
    v = problem.candidate_volunteer[candidate]
    r = problem.candidate_requirement[candidate]
    assert problem.volunteer_ids[v] == "v04"
    assert problem.camp_ids[problem.requirement_camp[r]] == "c2"
    assert problem.skill_ids[problem.requirement_skill[r]] == "mason"


# (lock added to tiny.json, the rule named in the reason)
IMPOSSIBLE_TINY_LOCKS = {
    "H1 lacks the skill": ({"volunteer": "v01", "camp": "c1", "skill": "physician"}, "H1"),
    "H1 level too low": ({"volunteer": "v02", "camp": "c1", "skill": "camp_leader"}, "H1"),
    "H1 reported before H2": ({"volunteer": "v02", "camp": "c4", "skill": "camp_leader"}, "H1"),
    "H2 dates": ({"volunteer": "v05", "camp": "c1", "skill": "camp_leader"}, "H2"),
    "H2 never available": ({"volunteer": "v08", "camp": "c2", "skill": "mason"}, "H2"),
    "H8 too far": ({"volunteer": "v06", "camp": "c4", "skill": "mason"}, "H8"),
    "H10 forbidden": ({"volunteer": "v12", "camp": "c4", "skill": "mason"}, "H10"),
    "no such slot": ({"volunteer": "v01", "camp": "c1", "skill": "mason"}, "no slot"),
}


@pytest.mark.parametrize(
    ("lock", "rule"), list(IMPOSSIBLE_TINY_LOCKS.values()), ids=list(IMPOSSIBLE_TINY_LOCKS)
)
def test_impossible_lock_is_recorded_with_its_rule(lock: dict[str, str], rule: str) -> None:
    data = tiny_data()
    data["locked"].append(lock)
    problem = compile_data(data)
    [(index, reason)] = problem.impossible_locks
    assert index == len(data["locked"]) - 1
    assert rule in reason
    assert lock["volunteer"] in reason or lock["camp"] in reason
    assert len(problem.locked_candidates) == 1  # the file's own lock still resolves


def test_gender_lock_is_impossible_for_the_other_gender() -> None:
    data = make_instance(
        volunteers=[volunteer("v1", gender="m")],
        camps=[camp("c1", gender="f")],
        locked=[{"volunteer": "v1", "camp": "c1", "skill": "nurse"}],
    )
    [(_, reason)] = compile_data(data).impossible_locks
    assert reason.startswith("H7")


def test_lock_of_a_volunteer_who_may_join_no_camp_is_impossible() -> None:
    data = make_instance(
        volunteers=[volunteer("v1", max_camps=0)],
        locked=[{"volunteer": "v1", "camp": "c1", "skill": "nurse"}],
    )
    [(_, reason)] = compile_data(data).impossible_locks
    assert "H5" in reason


def test_the_same_lock_twice_is_one_locked_candidate() -> None:
    lock = {"volunteer": "v1", "camp": "c1", "skill": "nurse"}
    problem = compile_data(make_instance(locked=[lock, dict(lock)]))
    assert len(problem.locked_candidates) == 1
    assert problem.impossible_locks == ()


# ----------------------------------------------------------------- single rules


def _two_places(km_apart_north: float) -> list[dict[str, Any]]:
    # One degree of latitude is 6371 * pi / 180 = 111.19 km on the haversine sphere.
    return [place("home", 34.0, 49.7), place("site", 34.0 + km_apart_north / 111.19493, 49.7)]


@pytest.mark.parametrize(("max_km", "expected"), [(129.0, 0), (131.0, 1), (None, 1)])
def test_distance_uses_road_factor(max_km: float | None, expected: int) -> None:
    # 100 km great-circle x road_factor 1.3 = 130 road km.
    fields = {} if max_km is None else {"max_km": max_km}
    data = make_instance(
        places=_two_places(100.0),
        volunteers=[volunteer("v1", home="home", **fields)],
        camps=[camp("c1", place="site")],
        rules={"road_factor": 1.3},
    )
    problem = compile_data(data)
    assert problem.num_candidates == expected
    assert problem.road_km(0, 1) == pytest.approx(130.0, rel=1e-6)


def test_max_km_zero_allows_a_camp_at_home() -> None:
    data = make_instance(
        places=_two_places(5.0),
        volunteers=[volunteer("v1", home="home", max_km=0)],
        camps=[camp("c1", place="home"), camp("c2", place="site")],
    )
    assert triples(compile_data(data)) == {("v1", "c1", "nurse")}


@pytest.mark.parametrize(
    ("ranges", "expected"),
    [
        (None, 1),  # absent: always available
        ([], 0),  # empty: never
        ([["2021-07-01", "2021-07-05"]], 1),  # exactly the camp
        ([["2021-07-02", "2021-07-05"]], 0),  # misses the first day
        ([["2021-07-01", "2021-07-04"]], 0),  # misses the last day
        ([["2021-07-01", "2021-07-03"], ["2021-07-04", "2021-07-05"]], 0),  # not ONE range
        ([["2021-06-01", "2021-06-05"], ["2021-06-20", "2021-07-30"]], 1),  # second range
    ],
)
def test_camp_must_fit_in_one_range(ranges: list[list[str]] | None, expected: int) -> None:
    fields = {} if ranges is None else {"available": ranges}
    data = make_instance(volunteers=[volunteer("v1", **fields)], camps=[camp("c1")])
    assert compile_data(data).num_candidates == expected


@pytest.mark.parametrize(
    ("volunteer_gender", "camp_gender", "expected"),
    [(None, None, 1), ("f", None, 1), ("m", None, 1), ("f", "f", 1), ("m", "f", 0), (None, "f", 0)],
)
def test_single_gender_camps(
    volunteer_gender: str | None, camp_gender: str | None, expected: int
) -> None:
    v_fields = {} if volunteer_gender is None else {"gender": volunteer_gender}
    c_fields = {} if camp_gender is None else {"gender": camp_gender}
    data = make_instance(volunteers=[volunteer("v1", **v_fields)], camps=[camp("c1", **c_fields)])
    assert compile_data(data).num_candidates == expected


@pytest.mark.parametrize(("has", "needs", "expected"), [(1, 1, 1), (1, 2, 0), (3, 2, 1), (0, 1, 0)])
def test_skill_level(has: int, needs: int, expected: int) -> None:
    skills = {"nurse": has} if has else {"mason": 1}
    data = make_instance(
        volunteers=[volunteer("v1", skills=skills)],
        camps=[camp("c1", requirements=[requirement("nurse", level=needs)])],
    )
    assert compile_data(data).num_candidates == expected


def test_forbidden_pair_removes_every_skill_of_that_camp_only() -> None:
    data = make_instance(
        volunteers=[volunteer("v1", skills={"nurse": 1, "mason": 1})],
        camps=[
            camp("c1", requirements=[requirement("nurse"), requirement("mason")]),
            camp("c2", requirements=[requirement("nurse"), requirement("mason")]),
        ],
        forbidden=[{"volunteer": "v1", "camp": "c1"}],
    )
    assert triples(compile_data(data)) == {("v1", "c2", "nurse"), ("v1", "c2", "mason")}


def test_empty_instances_compile() -> None:
    for problem in (
        compile_data(make_instance(volunteers=[])),
        compile_data(make_instance(camps=[])),
        compile_data(make_instance(camps=[camp("c1", requirements=[])])),
        compile_data(make_instance(skills=[], volunteers=[volunteer("v1", skills={})], camps=[])),
    ):
        assert problem.num_candidates == 0
        assert problem.volunteer_candidates[-1] == 0
        assert len(problem.volunteer_candidates) == problem.num_volunteers + 1


# ----------------------------------------------------------------- derived views


def test_views_agree_with_the_candidate_arrays(tiny_path: Path) -> None:
    problem = compile_instance(load_instance(tiny_path))
    order = list(zip(problem.candidate_volunteer, problem.candidate_camp, strict=True))
    assert order == sorted(order)  # sorted by volunteer, then camp
    pointer = problem.volunteer_candidates
    for v in range(problem.num_volunteers):
        assert set(problem.candidate_volunteer[pointer[v] : pointer[v + 1]]) <= {v}
    req_pointer, req_order = problem.requirement_candidates
    for r in range(problem.num_requirements):
        chosen = req_order[req_pointer[r] : req_pointer[r + 1]]
        assert set(problem.candidate_requirement[chosen]) <= {r}
    assert sorted(req_order) == list(range(problem.num_candidates))
    for k in range(problem.num_candidates):
        v, r = int(problem.candidate_volunteer[k]), int(problem.candidate_requirement[k])
        assert problem.candidate_index(v, r) == k
        assert problem.candidate_value[k] == problem.camp_priority[problem.requirement_camp[r]]
    for (c, s), r in problem.requirement_index.items():
        assert problem.requirement_camp[r] == c and problem.requirement_skill[r] == s


def test_arrays_are_read_only(tiny_path: Path) -> None:
    problem = compile_instance(load_instance(tiny_path))
    with pytest.raises(ValueError):
        problem.candidate_volunteer[0] = 1
    with pytest.raises(ValueError):
        problem.camp_start[0] = 0


def test_camps_conflict_uses_rest_days() -> None:
    camps = [
        camp("c1", start="2021-07-01", end="2021-07-05"),
        camp("c2", start="2021-07-07", end="2021-07-09"),  # one free day after c1
        camp("c3", start="2021-07-05", end="2021-07-06"),  # overlaps c1 on the 5th
    ]
    one_day = compile_data(make_instance(camps=camps, rules={"rest_days": 1}))
    two_days = compile_data(make_instance(camps=camps, rules={"rest_days": 2}))
    assert not camps_conflict(one_day, 0, 1) and not camps_conflict(one_day, 1, 0)
    assert camps_conflict(two_days, 0, 1)
    assert camps_conflict(one_day, 0, 2)
    assert camps_conflict(one_day, 0, 0)


# ----------------------------------------------------- property: slow recomputation

# Real county seats of Markazi and nearby, so distances look like the province's.
COORDINATES = [
    (34.0917, 49.6892),  # Arak
    (33.6406, 50.0789),  # Khomein
    (35.0213, 50.3566),  # Saveh
    (33.9850, 51.4100),  # somewhere east, toward Kashan
    (34.3100, 49.2400),  # a village west of Arak
    (34.0917, 49.6892),  # a second place at Arak's coordinates
]
SKILLS = ("leader", "nurse", "mason", "teacher")
FIRST_DAY = dt.date(2021, 6, 1)


def _day(offset: int) -> str:
    return (FIRST_DAY + dt.timedelta(days=offset)).isoformat()


@st.composite
def small_instances(draw: st.DrawFn) -> dict[str, Any]:
    num_places = draw(st.integers(1, len(COORDINATES)))
    places = [place(f"p{i}", *COORDINATES[i]) for i in range(num_places)]
    place_ids = st.sampled_from([p["id"] for p in places])
    skill_ids = st.sampled_from(SKILLS)
    genders = st.sampled_from([None, "f", "m"])

    volunteers = []
    for i in range(draw(st.integers(0, 10))):
        fields: dict[str, Any] = {}
        if (gender := draw(genders)) is not None:
            fields["gender"] = gender
        if draw(st.booleans()):
            ranges = []
            for _ in range(draw(st.integers(0, 3))):
                first = draw(st.integers(0, 30))
                ranges.append([_day(first), _day(first + draw(st.integers(0, 40)))])
            fields["available"] = ranges
        if draw(st.booleans()):
            fields["max_km"] = draw(st.integers(0, 300))
        if draw(st.booleans()):
            fields["max_camps"] = draw(st.integers(0, 2))
        levels = draw(st.dictionaries(skill_ids, st.integers(1, 3), min_size=1, max_size=4))
        volunteers.append(volunteer(f"v{i}", home=draw(place_ids), skills=levels, **fields))

    camps = []
    for i in range(draw(st.integers(0, 6))):
        asked = draw(st.lists(skill_ids, unique=True, min_size=1, max_size=4))
        requirements = [
            requirement(s, draw(st.integers(1, 3)), level=draw(st.integers(1, 3))) for s in asked
        ]
        start = draw(st.integers(0, 40))
        fields = {}
        if (gender := draw(genders)) is not None:
            fields["gender"] = gender
        camps.append(
            camp(
                f"c{i}",
                place=draw(place_ids),
                start=_day(start),
                end=_day(start + draw(st.integers(0, 6))),
                requirements=requirements,
                **fields,
            )
        )

    forbidden = []
    if volunteers and camps:
        pairs = st.tuples(st.integers(0, len(volunteers) - 1), st.integers(0, len(camps) - 1))
        for v, c in draw(st.lists(pairs, unique=True, max_size=4)):
            forbidden.append({"volunteer": f"v{v}", "camp": f"c{c}"})

    return make_instance(
        skills=[skill(s) for s in SKILLS],
        places=places,
        groups=[],
        volunteers=volunteers,
        camps=camps,
        forbidden=forbidden,
        rules={
            "road_factor": draw(st.sampled_from([1.0, 1.3, 1.75])),
            "max_camps": draw(st.integers(1, 2)),
        },
    )


def _haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def slow_candidates(data: dict[str, Any]) -> set[tuple[str, str, str]]:
    """Every (volunteer, camp, skill) passing H1, H2, H7, H8, forbidden and max_camps > 0,
    recomputed one triple at a time straight from the file's words."""
    where = {p["id"]: (p["lat"], p["lon"]) for p in data["places"]}
    factor = data["rules"]["road_factor"]
    default_max_camps = data["rules"]["max_camps"]
    forbidden = {(f["volunteer"], f["camp"]) for f in data["forbidden"]}
    result = set()
    for v in data["volunteers"]:
        if v.get("max_camps", default_max_camps) == 0:
            continue
        for c in data["camps"]:
            if (v["id"], c["id"]) in forbidden:
                continue
            if "gender" in c and v.get("gender") != c["gender"]:
                continue
            road_km = factor * _haversine_km(where[v["home"]], where[c["place"]])
            if "max_km" in v and road_km > v["max_km"]:
                continue
            # ISO dates compare as text in the Gregorian calendar.
            if "available" in v and not any(
                a <= c["start"] and c["end"] <= b for a, b in v["available"]
            ):
                continue
            for r in c["requirements"]:
                if v["skills"].get(r["skill"], 0) >= r.get("level", 1):
                    result.add((v["id"], c["id"], r["skill"]))
    return result


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances())
def test_candidates_equal_a_slow_recomputation(data: dict[str, Any]) -> None:
    problem = compile_data(data)
    assert triples(problem) == slow_candidates(data)
    assert problem.num_candidates == len(triples(problem))  # each triple once
    # Distances of the candidates agree with the slow haversine too.
    where = {p["id"]: (p["lat"], p["lon"]) for p in data["places"]}
    for v, r, km in zip(
        problem.candidate_volunteer,
        problem.candidate_requirement,
        problem.candidate_km,
        strict=True,
    ):
        home = data["volunteers"][v]["home"]
        site = data["camps"][problem.requirement_camp[r]]["place"]
        expected = data["rules"]["road_factor"] * _haversine_km(where[home], where[site])
        assert km == pytest.approx(expected, rel=1e-5, abs=1e-3)
    assert np.all(np.diff(problem.candidate_volunteer) >= 0)
