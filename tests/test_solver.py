"""The CP-SAT model: one micro-instance per hard rule, the optimum derived by hand.

Every roster is also judged by the independent checker (campplanner.check), so a
model that breaks a rule fails here even when its coverage looks right.

Geometry of the builders' default places: the village lies about 21 great-circle km
from the town, so about 27.5 road km with the default road factor 1.3.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from builders import (
    camp,
    compile_data,
    load_data,
    make_instance,
    requirement,
    tiny_data,
    volunteer,
)
from campplanner.check import check_roster
from campplanner.model.compile import compile_instance
from campplanner.model.terms import DEFAULT_WEIGHTS, secondary_terms
from campplanner.solver import CpSatSolver, SolveOptions
from campplanner.solver.result import Result
from campplanner.whatif import diff as replan
from rule_cases import (
    h1_data,
    h2_data,
    h3_data,
    h4_data,
    h5_data,
    h6_data,
    h7_data,
    h8_data,
    h9_data,
    h10_data,
    lock,
)


def roster_triples(problem: Any, result: Result) -> list[tuple[str, str, str]]:
    return replan.roster_triples(problem, result.assigned)


def solve(data: dict[str, Any], **options: Any) -> tuple[Any, Result]:
    """Solve ``data``; when there is a roster, assert the checker accepts it."""
    instance = load_data(data)
    problem = compile_instance(instance)
    result = CpSatSolver(problem, SolveOptions(time_limit=20, **options)).solve()
    if result.has_roster:
        report = check_roster(instance, roster_triples(problem, result))
        assert report.ok, [str(v.to_dict()) for v in report.violations]
        assert report.coverage == result.coverage
    return problem, result


def assert_optimal(data: dict[str, Any], coverage: int) -> tuple[Any, Result]:
    problem, result = solve(data)
    assert result.status == "optimal"
    assert result.coverage == coverage
    assert result.coverage_bound == coverage
    return problem, result


def assert_infeasible(data: dict[str, Any]) -> Result:
    _, result = solve(data)
    assert result.status == "infeasible"
    assert len(result.assigned) == 0
    assert result.infeasible_reasons
    return result


def test_h1_skill_level_or_above() -> None:
    problem, result = assert_optimal(h1_data(), 1)
    assert roster_triples(problem, result)[0][0] in ("v2", "v3")


def test_h1_lock_below_level_is_infeasible() -> None:
    result = assert_infeasible(h1_data(locked=[lock("v1", "c1")]))
    assert "H1" in result.infeasible_reasons[0]


# ---------------------------------------------------------------------- H2 dates


def test_h2_one_range_must_hold_the_whole_camp() -> None:
    problem, result = assert_optimal(h2_data(), 2)
    assert {t[0] for t in roster_triples(problem, result)} == {"v3", "v4"}


def test_h2_lock_outside_availability_is_infeasible() -> None:
    result = assert_infeasible(h2_data(locked=[lock("v2", "c1")]))
    assert "H2" in result.infeasible_reasons[0]


# ---------------------------------------------------------------------- H3 one role


def test_h3_one_role_per_camp() -> None:
    assert_optimal(h3_data(), 1)


def test_h3_two_locked_roles_in_one_camp_are_infeasible() -> None:
    assert_infeasible(h3_data(locked=[lock("v1", "c1", "nurse"), lock("v1", "c1", "mason")]))


# ---------------------------------------------------------------------- H4 no overlap


def test_h4_no_overlap_with_rest_days() -> None:
    problem, result = assert_optimal(h4_data(), 4)
    assert sorted(t[1] for t in roster_triples(problem, result)) == ["A", "C"]


def test_h4_one_rest_day_short_is_a_conflict() -> None:
    # With rest_days 3, A and C (2 free days between) conflict too: best is B alone = 3.
    data = h4_data()
    data["rules"]["rest_days"] = 3
    assert_optimal(data, 3)


def test_h4_locks_on_conflicting_camps_are_infeasible() -> None:
    assert_infeasible(h4_data(locked=[lock("v1", "A"), lock("v1", "B")]))


# ---------------------------------------------------------------------- H5 load


def test_h5_max_camps_and_its_override() -> None:
    assert_optimal(h5_data(), 3)
    data = h5_data()
    del data["volunteers"][0]["max_camps"]
    assert_optimal(data, 2)


def test_h5_locks_beyond_max_camps_are_infeasible() -> None:
    assert_infeasible(h5_data(locked=[lock("v2", "A"), lock("v2", "B")]))


# ---------------------------------------------------------------------- H6 slots and beds


def test_h6_beds_bind() -> None:
    _problem, result = assert_optimal(h6_data(capacity=3), 3)
    assert len(result.assigned) == 3


def test_h6_slots_bind() -> None:
    assert_optimal(h6_data(capacity=10), 4)


def test_h6_locks_beyond_slots_are_infeasible() -> None:
    assert_infeasible(h6_data(capacity=10, locked=[lock(f"n{k}", "c1") for k in range(3)]))


# ---------------------------------------------------------------------- H7 gender


def test_h7_single_gender_camp() -> None:
    problem, result = assert_optimal(h7_data(), 1)
    assert roster_triples(problem, result) == [("v1", "c1", "nurse")]


def test_h7_lock_of_other_gender_is_infeasible() -> None:
    result = assert_infeasible(h7_data(locked=[lock("v2", "c1")]))
    assert "H7" in result.infeasible_reasons[0]


# ---------------------------------------------------------------------- H8 distance


def test_h8_max_km() -> None:
    problem, result = assert_optimal(h8_data(), 2)
    assert 20 < problem.candidate_km.min() < 40  # the geometry the comment relies on
    assert {t[0] for t in roster_triples(problem, result)} == {"v2", "v3"}


def test_h8_lock_too_far_is_infeasible() -> None:
    result = assert_infeasible(h8_data(locked=[lock("v1", "c1")]))
    assert "H8" in result.infeasible_reasons[0]


# ---------------------------------------------------------------------- H9 essential


def test_h9_camp_without_its_essential_role_is_cancelled() -> None:
    _problem, result = assert_optimal(h9_data(leaders=0), 0)
    assert len(result.assigned) == 0


def test_h9_camp_with_its_essential_role_runs() -> None:
    assert_optimal(h9_data(leaders=1), 3)


def test_h9_essential_count_must_be_reached() -> None:
    # Two essential nurse slots and one nurse: the camp cannot run -> 0; a second
    # camp without essentials still takes her -> optimum 1.
    data = make_instance(
        volunteers=[volunteer("n1")],
        camps=[
            camp("c1", requirements=[requirement("nurse", count=2, essential=True)]),
            camp("c2", start="2021-08-01", end="2021-08-02"),
        ],
    )
    problem, result = assert_optimal(data, 1)
    assert roster_triples(problem, result) == [("n1", "c2", "nurse")]


def test_h9_lock_in_a_camp_that_cannot_run_is_infeasible() -> None:
    assert_infeasible(h9_data(leaders=0, locked=[lock("n1", "c1")]))


# ---------------------------------------------------------------------- H10 locks


def test_h10_free_choice_takes_the_higher_priority() -> None:
    assert_optimal(h10_data(), 2)


def test_h10_lock_wins_over_coverage() -> None:
    # Locked in B, she cannot also serve A (overlap): optimum 1.
    problem, result = assert_optimal(h10_data(locked=[lock("v1", "B")]), 1)
    assert roster_triples(problem, result) == [("v1", "B", "nurse")]


def test_h10_forbidden_pair() -> None:
    problem, result = assert_optimal(h10_data(forbidden=[{"volunteer": "v1", "camp": "A"}]), 1)
    assert roster_triples(problem, result) == [("v1", "B", "nurse")]


def test_h10_locked_and_forbidden_pair_is_infeasible() -> None:
    data = h10_data(locked=[lock("v1", "A")], forbidden=[{"volunteer": "v1", "camp": "A"}])
    result = assert_infeasible(data)
    assert "H10" in result.infeasible_reasons[0]


def test_lock_for_a_slot_the_camp_lacks_is_infeasible() -> None:
    result = assert_infeasible(h10_data(locked=[lock("v1", "A", "mason")]))
    assert "no slot" in result.infeasible_reasons[0]


# ---------------------------------------------------------------------- the contract example


def test_tiny_is_optimal_at_29_and_passes_the_checker() -> None:
    problem, result = assert_optimal(tiny_data(), 29)
    assert ("v04", "c2", "mason") in roster_triples(problem, result)  # locked


def test_same_seed_same_roster() -> None:
    _, first = solve(tiny_data(), seed=7, work_limit=10)
    _, second = solve(tiny_data(), seed=7, work_limit=10)
    assert np.array_equal(first.assigned, second.assigned)
    assert first.terms == second.terms


def test_secondary_terms_never_worse_than_the_first_roster() -> None:
    problem, result = solve(tiny_data())
    weights = DEFAULT_WEIGHTS
    assert result.terms is not None and result.first_terms is not None
    assert result.terms.weighted(weights) <= result.first_terms.weighted(weights)
    assert result.terms == secondary_terms(problem, result.assigned)


def test_secondary_prefers_the_nearer_volunteer() -> None:
    # Two equal nurses for one slot, one at home in the village (0 km), one in the
    # town (~27.5 km): same coverage, less travel -> the villager.
    data = make_instance(
        volunteers=[volunteer("town"), volunteer("villager", home="village")],
        camps=[camp("c1")],
    )
    problem, result = assert_optimal(data, 1)
    assert roster_triples(problem, result) == [("villager", "c1", "nurse")]


def test_secondary_keeps_a_group_together() -> None:
    # Two camps far apart in time, each with 2 nurse slots; g1 has two members,
    # g2 has two. Any roster fills all 4 slots (coverage 4); keeping each group in one
    # camp gives 0 group splits.
    data = make_instance(
        groups=[{"id": "g1", "name": "g1"}, {"id": "g2", "name": "g2"}],
        volunteers=[
            volunteer("a1", group="g1"),
            volunteer("a2", group="g1"),
            volunteer("b1", group="g2"),
            volunteer("b2", group="g2"),
        ],
        camps=[
            camp("A", requirements=[requirement("nurse", count=2)]),
            camp("B", requirements=[requirement("nurse", count=2)]),
        ],
    )
    _problem, result = assert_optimal(data, 4)
    assert result.terms is not None and result.terms["group"] == 0


def test_empty_instance_is_trivially_optimal() -> None:
    problem = compile_data(make_instance(volunteers=[], camps=[]))
    result = CpSatSolver(problem, SolveOptions(time_limit=5)).solve()
    assert result.status == "optimal" and result.coverage == 0


@pytest.mark.parametrize("workers", [1, 2])
def test_workers_do_not_change_the_optimum(workers: int) -> None:
    _, result = solve(tiny_data(), workers=workers)
    assert result.coverage == 29


def test_exact_method_refuses_a_problem_too_large_to_build(monkeypatch: pytest.MonkeyPatch) -> None:
    import campplanner.solver as solvers
    from campplanner.contract.errors import UsageError

    monkeypatch.setattr(solvers, "EXACT_MAX_CANDIDATES", 10)
    problem = compile_data(tiny_data())  # 24 candidates
    with pytest.raises(UsageError, match="--method large"):
        solvers.make_solver(problem, SolveOptions(method="exact"))
    assert solvers.make_solver(problem, SolveOptions(method="auto")) is not None
