"""Micro-instances, one set per hard rule, with the optimum worked out by hand.

``FEASIBLE`` holds, per rule id, instances where the rule binds (without it the best
roster would be worth more) and their optimum; ``INFEASIBLE`` holds, per rule id, a twin
whose locks break the rule, and the word the reason must name. Every rule of
``campplanner.model.rules.RULES`` has both (a test says so), and every solving backend
is run on all of them (tests/test_rules_every_method.py), each roster judged by the
independent checker.

Geometry of the builders' default places: the village lies about 21 great-circle km
from the town, so about 27.5 road km with the default road factor 1.3.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from builders import camp, make_instance, requirement, volunteer


def lock(v: str, c: str, s: str = "nurse") -> dict[str, str]:
    return {"volunteer": v, "camp": c, "skill": s}


# ---------------------------------------------------------------------- H1 skill


def h1_data(**fields: Any) -> dict[str, Any]:
    # One nurse slot at level 2. v1 is a level-1 nurse, v2 level 2, v3 level 3:
    # v2 and v3 qualify, one slot, priority 1 -> optimum 1.
    return make_instance(
        volunteers=[
            volunteer("v1", skills={"nurse": 1}),
            volunteer("v2", skills={"nurse": 2}),
            volunteer("v3", skills={"nurse": 3}),
        ],
        camps=[camp("c1", requirements=[requirement("nurse", level=2)])],
        **fields,
    )


def h1_expiry_data(**fields: Any) -> dict[str, Any]:
    # valid_until (a campplanner extension of H1): c1 07-01..07-05 with two nurse slots,
    # priority 1; c2 07-10..07-12 with one, priority 3; max_camps 1.
    # v1's nursing is valid until 07-05: c1 (it ends that day, inclusive), not c2.
    # v2's until 07-04: not even c1. v3 never expires but is free only for c2.
    # v1 -> c1 (1), v3 -> c2 (3): optimum 4 (5 if v2's expiry were ignored: v2 -> c1).
    return make_instance(
        volunteers=[
            volunteer("v1", valid_until={"nurse": "2021-07-05"}),
            volunteer("v2", valid_until={"nurse": "2021-07-04"}),
            volunteer("v3", available=[["2021-07-10", "2021-07-12"]]),
        ],
        camps=[
            camp("c1", requirements=[requirement("nurse", count=2)]),
            camp("c2", start="2021-07-10", end="2021-07-12", priority=3),
        ],
        **fields,
    )


def h2_data(**fields: Any) -> dict[str, Any]:
    # Camp 07-01..07-05 with 3 nurse slots.
    # v1 free 07-01..07-04: misses the last day.
    # v2 free 06-20..07-03 and 07-04..07-10: the ranges touch, but no ONE range holds
    #    the camp, and the contract does not merge ranges.
    # v3 free 06-30..07-05: holds it. v4 has no "available": always free.
    # v5 has "available": []: never free. -> v3 and v4 serve: optimum 2.
    return make_instance(
        volunteers=[
            volunteer("v1", available=[["2021-07-01", "2021-07-04"]]),
            volunteer("v2", available=[["2021-06-20", "2021-07-03"], ["2021-07-04", "2021-07-10"]]),
            volunteer("v3", available=[["2021-06-30", "2021-07-05"]]),
            volunteer("v4"),
            volunteer("v5", available=[]),
        ],
        camps=[camp("c1", requirements=[requirement("nurse", count=3)])],
        **fields,
    )


def h3_data(**fields: Any) -> dict[str, Any]:
    # One camp asking a nurse and a mason; the only volunteer has both skills.
    # Without H3 she would fill both (coverage 2); with it, one: optimum 1. She may join
    # two camps, so that H5 (counted in camps) does not keep her to one role by itself.
    return make_instance(
        rules={"max_camps": 2},
        volunteers=[volunteer("v1", skills={"nurse": 1, "mason": 1})],
        camps=[camp("c1", requirements=[requirement("nurse"), requirement("mason")])],
        **fields,
    )


def h4_data(**fields: Any) -> dict[str, Any]:
    # rest_days 2, one nurse v1 who may join 3 camps. One nurse slot per camp:
    #   A 07-01..07-05 priority 2, B 07-07..07-09 priority 3, C 07-08..07-10 priority 2.
    # A,B: 7 - 5 - 1 = 1 free day < 2: conflict. A,C: 8 - 5 - 1 = 2 >= 2: allowed
    # (the boundary). B,C overlap. Best: {A, C} = 4 > {B} = 3 -> optimum 4.
    return make_instance(
        rules={"rest_days": 2, "max_camps": 3},
        volunteers=[volunteer("v1")],
        camps=[
            camp("A", start="2021-07-01", end="2021-07-05", priority=2),
            camp("B", start="2021-07-07", end="2021-07-09", priority=3),
            camp("C", start="2021-07-08", end="2021-07-10", priority=2),
        ],
        **fields,
    )


def h5_data(**fields: Any) -> dict[str, Any]:
    # rules.max_camps 1; v1 overrides it with 2; three far-apart camps, one nurse each.
    # v1 takes 2, v2 takes 1: optimum 3 (it would be 2 if v1 kept the default 1).
    return make_instance(
        rules={"max_camps": 1},
        volunteers=[volunteer("v1", max_camps=2), volunteer("v2")],
        camps=[
            camp("A", start="2021-07-01", end="2021-07-02"),
            camp("B", start="2021-07-10", end="2021-07-11"),
            camp("C", start="2021-07-20", end="2021-07-21"),
        ],
        **fields,
    )


def h6_data(capacity: int = 3, **fields: Any) -> dict[str, Any]:
    # Two nurse and two mason slots; three of each volunteer. Slots allow 4 people,
    # 3 beds allow 3: optimum 3. With 10 beds the slots bind: optimum 4.
    nurses = [volunteer(f"n{k}") for k in range(3)]
    masons = [volunteer(f"m{k}", skills={"mason": 1}) for k in range(3)]
    return make_instance(
        volunteers=nurses + masons,
        camps=[
            camp(
                "c1",
                capacity=capacity,
                requirements=[requirement("nurse", count=2), requirement("mason", count=2)],
            )
        ],
        **fields,
    )


def h7_data(**fields: Any) -> dict[str, Any]:
    # A women's camp with 3 nurse slots; v1 "f", v2 "m", v3 no gender: only v1 -> 1.
    return make_instance(
        volunteers=[
            volunteer("v1", gender="f"),
            volunteer("v2", gender="m"),
            volunteer("v3"),
        ],
        camps=[camp("c1", gender="f", requirements=[requirement("nurse", count=3)])],
        **fields,
    )


def h8_data(**fields: Any) -> dict[str, Any]:
    # The camp is ~27.5 road km from home: max_km 20 excludes v1; 40 admits v2;
    # v3 has no cap. 3 slots -> optimum 2.
    return make_instance(
        volunteers=[
            volunteer("v1", max_km=20),
            volunteer("v2", max_km=40),
            volunteer("v3"),
        ],
        camps=[camp("c1", requirements=[requirement("nurse", count=3)])],
        **fields,
    )


def h9_data(leaders: int, **fields: Any) -> dict[str, Any]:
    # A camp needing 1 essential leader and 2 nurses (priority 1), two nurses available.
    # With no leader the camp cannot run: optimum 0, although 2 nurses could serve.
    # With one leader: 1 + 2 = 3.
    people = [volunteer("n1"), volunteer("n2")]
    people += [volunteer(f"l{k}", skills={"leader": 1}) for k in range(leaders)]
    return make_instance(
        volunteers=people,
        camps=[
            camp(
                "c1",
                requirements=[
                    requirement("leader", essential=True),
                    requirement("nurse", count=2),
                ],
            )
        ],
        **fields,
    )


def h10_data(**fields: Any) -> dict[str, Any]:
    # One nurse, two overlapping camps: A priority 2, B priority 1. Free: A -> 2.
    return make_instance(
        volunteers=[volunteer("v1")],
        camps=[camp("A", priority=2), camp("B", priority=1)],
        **fields,
    )


@dataclass(frozen=True)
class Case:
    name: str
    data: Callable[[], dict[str, Any]]
    optimum: int | None = None  # for feasible cases
    reason: str = ""  # for infeasible ones: a word the first reason names


def _h4_rest_3() -> dict[str, Any]:
    # With rest_days 3, A and C (2 free days between) conflict too: best is B alone = 3.
    data = h4_data()
    data["rules"]["rest_days"] = 3
    return data


def _h5_binds() -> dict[str, Any]:
    # One nurse who may join 2 camps; four far-apart camps, one nurse slot each: she
    # serves 2 -> optimum 2 (without H5 she would serve all four: 4).
    return make_instance(
        rules={"max_camps": 1},
        volunteers=[volunteer("v1", max_camps=2)],
        camps=[
            camp("A", start="2021-07-01", end="2021-07-02"),
            camp("B", start="2021-07-10", end="2021-07-11"),
            camp("C", start="2021-07-20", end="2021-07-21"),
            camp("D", start="2021-07-30", end="2021-07-31"),
        ],
    )


def _h9_count() -> dict[str, Any]:
    # Two essential nurse slots and one nurse: the camp cannot run -> 0; a second
    # camp without essentials still takes her -> optimum 1.
    return make_instance(
        volunteers=[volunteer("n1")],
        camps=[
            camp("c1", requirements=[requirement("nurse", count=2, essential=True)]),
            camp("c2", start="2021-08-01", end="2021-08-02"),
        ],
    )


FEASIBLE: dict[str, list[Case]] = {
    "H1": [Case("level 2 asked", h1_data, 1), Case("a qualification expires", h1_expiry_data, 4)],
    "H2": [Case("one range holds the camp", h2_data, 2)],
    "H3": [Case("one role per camp", h3_data, 1)],
    "H4": [Case("rest days", h4_data, 4), Case("one rest day short", _h4_rest_3, 3)],
    "H5": [Case("max_camps and its override", h5_data, 3), Case("max_camps binds", _h5_binds, 2)],
    "H6": [
        Case("beds bind", lambda: h6_data(capacity=3), 3),
        Case("slots bind", lambda: h6_data(capacity=10), 4),
    ],
    "H7": [Case("women's camp", h7_data, 1)],
    "H8": [Case("max_km", h8_data, 2)],
    "H9": [
        Case("no leader, no camp", lambda: h9_data(leaders=0), 0),
        Case("a leader, the camp runs", lambda: h9_data(leaders=1), 3),
        Case("essential count", _h9_count, 1),
    ],
    "H10": [
        Case("lock wins over coverage", lambda: h10_data(locked=[lock("v1", "B")]), 1),
        Case("forbidden pair", lambda: h10_data(forbidden=[{"volunteer": "v1", "camp": "A"}]), 1),
    ],
}

INFEASIBLE: dict[str, list[Case]] = {
    "H1": [
        Case("lock below level", lambda: h1_data(locked=[lock("v1", "c1")]), reason="H1"),
        Case(
            "lock past the qualification's date",
            lambda: h1_expiry_data(locked=[lock("v1", "c2")]),
            reason="valid until",
        ),
    ],
    "H2": [
        Case("lock outside availability", lambda: h2_data(locked=[lock("v2", "c1")]), reason="H2")
    ],
    "H3": [
        Case(
            "two roles locked in one camp",
            lambda: h3_data(locked=[lock("v1", "c1", "nurse"), lock("v1", "c1", "mason")]),
        )
    ],
    "H4": [
        Case(
            "locks on conflicting camps", lambda: h4_data(locked=[lock("v1", "A"), lock("v1", "B")])
        )
    ],
    "H5": [
        Case("locks beyond max_camps", lambda: h5_data(locked=[lock("v2", "A"), lock("v2", "B")]))
    ],
    "H6": [
        Case(
            "locks beyond slots",
            lambda: h6_data(capacity=10, locked=[lock(f"n{k}", "c1") for k in range(3)]),
        )
    ],
    "H7": [
        Case("lock of the other gender", lambda: h7_data(locked=[lock("v2", "c1")]), reason="H7")
    ],
    "H8": [Case("lock too far", lambda: h8_data(locked=[lock("v1", "c1")]), reason="H8")],
    "H9": [
        Case(
            "lock in a camp that cannot run", lambda: h9_data(leaders=0, locked=[lock("n1", "c1")])
        )
    ],
    "H10": [
        Case(
            "locked and forbidden",
            lambda: h10_data(
                locked=[lock("v1", "A")], forbidden=[{"volunteer": "v1", "camp": "A"}]
            ),
            reason="H10",
        )
    ],
}
