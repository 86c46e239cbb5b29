"""Every hard rule, on every solving backend: the micro-instances of tests/rule_cases.py.

PyJobShop runs each constraint test on each of its backends; so do we. A backend that
forgets a rule (a rule added to model/rules.py and to the CP-SAT model, but not to the
greedy's RosterState, say) produces a roster the independent checker rejects here.
"""

from __future__ import annotations

from typing import Any

import pytest

from builders import load_data
from campplanner.check import check_roster
from campplanner.model.compile import compile_instance
from campplanner.model.rules import RULES
from campplanner.solver import BACKENDS, SolveOptions, make_solver
from campplanner.whatif.diff import roster_triples
from rule_cases import FEASIBLE, INFEASIBLE, Case

FEASIBLE_CASES = [(rule, case) for rule, cases in FEASIBLE.items() for case in cases]
INFEASIBLE_CASES = [(rule, case) for rule, cases in INFEASIBLE.items() for case in cases]


def _solve(case: Case, method: str) -> tuple[Any, Any, Any]:
    instance = load_data(case.data())
    problem = compile_instance(instance)
    result = make_solver(problem, SolveOptions(time_limit=20, method=method)).solve()
    return instance, problem, result


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
