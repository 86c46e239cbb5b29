"""Every hard rule, on every solving backend: the micro-instances of tests/rule_cases.py.

PyJobShop runs each constraint test on each of its backends; so do we. A backend that
forgets a rule (a rule added to model/rules.py and to the CP-SAT model, but not to the
greedy's RosterState, say) produces a roster the independent checker rejects here.

The other way round: each roster rule lives in one function of model/rules.py
(``ROSTER_PREDICATES``); with that function removed (tests/rule_removal.py) every
backend must break the rule on a case where it binds, and every suggestion that the
rule shapes (the empty-slot ranking, the replacements for a dropout, ``explain``'s
causes) must make a claim the checker finds false (tests/claims.py). A method or a
ranking that still obeys the rule wrote it out again by itself: a ninth home.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from ortools.sat.python import cp_model

import claims
from builders import camp, load_data, make_instance, requirement, volunteer
from campplanner.check import check_roster
from campplanner.explain import roster_from_assignments
from campplanner.model.compile import compile_instance
from campplanner.model.rules import ROSTER_PREDICATES, ROSTER_RULES, RULES
from campplanner.model.state import RosterState
from campplanner.solver import BACKENDS, SolveOptions, make_solver
from campplanner.solver.lns import SubModel
from campplanner.whatif.diff import roster_triples
from rule_cases import FEASIBLE, INFEASIBLE, Case
from rule_removal import PREDICATES, removed

FEASIBLE_CASES = [(rule, case) for rule, cases in FEASIBLE.items() for case in cases]
INFEASIBLE_CASES = [(rule, case) for rule, cases in INFEASIBLE.items() for case in cases]


def _solve(case: Case, method: str) -> tuple[Any, Any, Any]:
    instance = load_data(case.data())
    problem = compile_instance(instance)
    result = make_solver(problem, SolveOptions(time_limit=20, method=method)).solve()
    return instance, problem, result


def _search_step(case: Case) -> tuple[Any, Any, np.ndarray]:
    """The neighbourhood search's sub-model with every camp freed from an empty roster:
    the roster one step of the large method's search would choose (it is built from
    the exact model's add_<rule> functions, with a fixed rest of the roster)."""
    instance = load_data(case.data())
    problem = compile_instance(instance)
    nothing_fixed = RosterState(problem, np.ones(problem.num_camps, dtype=bool))
    step = SubModel(problem, np.arange(problem.num_candidates), nothing_fixed)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(step.model) == cp_model.OPTIMAL
    chosen = np.array([solver.boolean_value(x) for x in step.x], dtype=bool)
    return instance, problem, np.flatnonzero(chosen)


def test_every_rule_has_a_feasible_and_an_infeasible_case() -> None:
    ids = {rule.id for rule in RULES}
    assert set(FEASIBLE) == ids
    assert set(INFEASIBLE) == ids


@pytest.mark.parametrize("method", sorted(BACKENDS))
@pytest.mark.parametrize(
    ("rule", "case"), FEASIBLE_CASES, ids=[f"{r}: {c.name}" for r, c in FEASIBLE_CASES]
)
def test_every_method_keeps_every_rule(method: str, rule: str, case: Case) -> None:
    instance, problem, result = _solve(case, method)
    assert result.has_roster, result.summary()
    report = check_roster(instance, roster_triples(problem, result.assigned))
    assert report.ok, [v.to_dict() for v in report.violations]
    assert report.coverage == result.coverage
    if method == "greedy":  # a first roster: valid, never better than the optimum
        assert result.coverage <= case.optimum
    else:
        assert result.coverage == case.optimum
        assert result.status == "optimal"


@pytest.mark.parametrize("method", sorted(BACKENDS))
@pytest.mark.parametrize(
    ("rule", "case"), INFEASIBLE_CASES, ids=[f"{r}: {c.name}" for r, c in INFEASIBLE_CASES]
)
def test_no_method_returns_a_roster_for_contradicting_locks(
    method: str, rule: str, case: Case
) -> None:
    _, _, result = _solve(case, method)
    assert not result.has_roster
    assert len(result.assigned) == 0
    if method != "greedy":  # the greedy claims no proof: "unknown" is its honest answer
        assert result.status == "infeasible"
        assert result.infeasible_reasons
        assert case.reason in result.infeasible_reasons[0]


# ------------------------------------------------------- each rule's home, removed

# Per rule function: the feasible cases of tests/rule_cases.py where it binds (without
# it the best roster is worth more, so every method must then break the rule).
BINDING: dict[str, list[tuple[str, str]]] = {
    "windows_meet": [
        ("H3", "one role per camp"),
        ("H4", "rest days"),
        ("H4", "one rest day short"),
    ],
    "camps_left": [("H5", "max_camps binds")],
    "slots_left": [("H6", "slots bind")],
    "beds_left": [("H6", "beds bind")],
    "essentials_missing": [("H9", "no leader, no camp")],
}
CASE_BY_NAME = {(rule, case.name): case for rule, cases in FEASIBLE.items() for case in cases}
REMOVALS = [(name, rule, case) for name, cases in BINDING.items() for rule, case in cases]


@pytest.mark.parametrize(
    ("rule", "case"), FEASIBLE_CASES, ids=[f"{r}: {c.name}" for r, c in FEASIBLE_CASES]
)
def test_the_search_sub_model_keeps_every_rule(rule: str, case: Case) -> None:
    instance, problem, roster = _search_step(case)
    report = check_roster(instance, roster_triples(problem, roster))
    assert report.ok, [v.to_dict() for v in report.violations]
    assert report.coverage == case.optimum


def test_every_roster_rule_has_one_home_and_a_case_where_it_binds() -> None:
    assert set(ROSTER_PREDICATES) == set(ROSTER_RULES) - {"H10"}  # locks: where rosters start
    assert set(BINDING) == set(PREDICATES)
    for name, cases in BINDING.items():
        for rule, case in cases:
            assert name in ROSTER_PREDICATES[rule]
            assert (rule, case) in CASE_BY_NAME


@pytest.mark.parametrize("method", sorted(BACKENDS))
@pytest.mark.parametrize(
    ("name", "rule", "case"), REMOVALS, ids=[f"{n} ({r}: {c})" for n, r, c in REMOVALS]
)
def test_every_method_breaks_a_rule_whose_home_is_removed(
    monkeypatch: pytest.MonkeyPatch, method: str, name: str, rule: str, case: str
) -> None:
    assert removed(monkeypatch, name), f"nothing imports rules.{name}"
    instance, problem, result = _solve(CASE_BY_NAME[(rule, case)], method)
    assert result.has_roster, result.summary()
    report = check_roster(instance, roster_triples(problem, result.assigned))
    assert rule in report.rules_broken(), f"{method} still keeps {rule} without rules.{name}"


@pytest.mark.parametrize(
    ("name", "rule", "case"), REMOVALS, ids=[f"{n} ({r}: {c})" for n, r, c in REMOVALS]
)
def test_the_search_sub_model_breaks_a_rule_whose_home_is_removed(
    monkeypatch: pytest.MonkeyPatch, name: str, rule: str, case: str
) -> None:
    # the large method may prove a micro case optimal before it searches: the search's
    # sub-model on its own
    removed(monkeypatch, name)
    instance, problem, roster = _search_step(CASE_BY_NAME[(rule, case)])
    report = check_roster(instance, roster_triples(problem, roster))
    assert rule in report.rules_broken(), f"the sub-model still keeps {rule}"


# Per rule function, a roster where it shapes the suggestions: (instance data, the
# roster as (volunteer, camp, skill), which suggestions it shapes). A dropout frees a
# slot and a bed, so the slot and bed rules never shape the replacements for one.
def _windows() -> dict:
    # rest_days 0: A (07-01..07-05) and B (07-03..07-07) overlap. v1 in A, v3 in B, one
    # of B's two nurse slots empty: v1 could fill it only by leaving A (H4).
    return make_instance(
        rules={"max_camps": 2},
        volunteers=[volunteer("v1"), volunteer("v3")],
        camps=[
            camp("A", start="2021-07-01", end="2021-07-05"),
            camp("B", start="2021-07-03", end="2021-07-07", requirements=[requirement(count=2)]),
        ],
    )


def _camp_limit() -> dict:
    # max_camps 1, A and B far apart: v1 in A, v2 in B, one of B's slots empty: v1 could
    # fill it only by leaving A (H5).
    return make_instance(
        rules={"max_camps": 1},
        volunteers=[volunteer("v1"), volunteer("v2")],
        camps=[
            camp("A", start="2021-07-01", end="2021-07-02"),
            camp("B", start="2021-07-20", end="2021-07-21", requirements=[requirement(count=2)]),
        ],
    )


def _beds() -> dict:
    # Two beds, two nurses in them, the mason slot empty: m1 comes only if a nurse goes.
    return make_instance(
        volunteers=[
            volunteer("n1"),
            volunteer("n2"),
            volunteer("n3"),
            volunteer("m1", skills={"mason": 1}),
        ],
        camps=[
            camp(
                "A",
                capacity=2,
                requirements=[requirement("nurse", count=2), requirement("mason")],
            )
        ],
    )


def _slots() -> dict:
    # One nurse slot, held by n1; n2 is free, beds are plenty: n2 comes only if n1 goes.
    return make_instance(
        volunteers=[volunteer("n1"), volunteer("n2")],
        camps=[camp("A", capacity=5, requirements=[requirement("nurse"), requirement("mason")])],
    )


def _essentials() -> dict:
    # max_camps 1, far-apart camps. A needs an essential leader (L, who is also a nurse)
    # and a nurse (n1); B a nurse; C an essential level-3 leader nobody is, and a nurse.
    # n3 is free. L leaving A cancels it (H9); C cannot run whoever comes.
    return make_instance(
        rules={"max_camps": 1},
        volunteers=[
            volunteer("L", skills={"leader": 1, "nurse": 1}),
            volunteer("n1"),
            volunteer("n3"),
        ],
        camps=[
            camp(
                "A",
                start="2021-07-01",
                end="2021-07-02",
                requirements=[requirement("leader", essential=True), requirement("nurse")],
            ),
            camp("B", start="2021-07-20", end="2021-07-21"),
            camp(
                "C",
                start="2021-08-10",
                end="2021-08-11",
                requirements=[
                    requirement("leader", level=3, essential=True),
                    requirement("nurse"),
                ],
            ),
        ],
    )


ALL = ("empty slots", "dropouts", "explain")
SUGGESTION_CASES = {
    "windows_meet": (_windows, [("v1", "A", "nurse"), ("v3", "B", "nurse")], ALL),
    "camps_left": (_camp_limit, [("v1", "A", "nurse"), ("v2", "B", "nurse")], ALL),
    "slots_left": (_slots, [("n1", "A", "nurse")], ("empty slots", "explain")),
    "beds_left": (_beds, [("n1", "A", "nurse"), ("n2", "A", "nurse")], ("empty slots", "explain")),
    "essentials_missing": (_essentials, [("L", "A", "leader"), ("n1", "A", "nurse")], ALL),
}


def _lies(data: dict, assignments: list[tuple[str, str, str]]) -> dict[str, list[str]]:
    instance = load_data(data)
    problem = compile_instance(instance)
    roster = roster_from_assignments(problem, assignments)
    return {
        "empty slots": claims.empty_slot_lies(instance, problem, roster),
        "dropouts": claims.dropout_lies(instance, problem, roster),
        "explain": claims.explanation_lies(instance, problem, roster),
    }


def test_every_rule_function_has_a_roster_where_it_shapes_the_suggestions() -> None:
    assert set(SUGGESTION_CASES) == set(PREDICATES)


@pytest.mark.parametrize("name", sorted(SUGGESTION_CASES))
def test_every_suggestion_is_true(name: str) -> None:
    data, roster, _ = SUGGESTION_CASES[name]
    assert check_roster(load_data(data()), roster).ok  # the roster itself keeps every rule
    assert _lies(data(), roster) == {kind: [] for kind in ALL}


@pytest.mark.parametrize("name", sorted(SUGGESTION_CASES))
def test_every_suggestion_breaks_when_a_rule_home_is_removed(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    data, roster, shaped = SUGGESTION_CASES[name]
    removed(monkeypatch, name)
    lies = _lies(data(), roster)
    assert {kind for kind, found in lies.items() if found} == set(shaped), lies
