"""The large-scale method (solver/large.py) on small instances, the checker as the judge.

What must hold whatever the instance:
- every roster passes ``check_roster`` (H1..H10) and its coverage is recomputed exactly;
- every bound it reports, and each of its parts (the Lagrangian at any multipliers, the
  LP-guided Lagrangian, the CP-SAT bound of the scarce core), is at least the optimum
  the exact model proves: a bound is a proof, so it is tested on many seeds;
- the greedy never staffs a camp whose essential slots are not all filled (H9);
- ``stop()`` returns a roster at once; the same instance gives the same roster.
Speed is measured in benchmarks/bench_scale.py, not here.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from builders import camp, compile_data, load_data, make_instance, requirement, volunteer
from campplanner.check import check_roster, check_solution_file
from campplanner.cli import main
from campplanner.generate import generate_instance
from campplanner.model.compile import compile_instance
from campplanner.model.problem import Problem
from campplanner.model.rules import runnable_camps
from campplanner.model.terms import coverage
from campplanner.solver import (
    AUTO_LARGE_CANDIDATES,
    CpSatSolver,
    LargeSolver,
    PortfolioSolver,
    SolveOptions,
    make_solver,
)
from campplanner.solver.bounds import LagrangianBound, restricted_lp
from campplanner.solver.core import CoreModel
from campplanner.solver.greedy import free_counts, greedy_roster
from test_solver_properties import instances, triples_of

# (volunteers, camps, slots): supply-rich and tight, as in the benchmark, only smaller
SHAPES = [(200, 10, None), (120, 8, 200), (300, 16, None), (250, 14, 400)]
SEEDS = range(4)


def generated(volunteers: int, camps: int, slots: int | None, seed: int) -> tuple[Any, Problem]:
    data = generate_instance(volunteers=volunteers, camps=camps, slots=slots, seed=seed)
    instance = load_data(data)
    return instance, compile_instance(instance)


def exact_reference(problem: Problem) -> int:
    """The exact model's coverage: the optimum when it proves it (it nearly always does
    here within seconds), else the coverage of a feasible roster. Either way no valid
    bound may be below it."""
    result = CpSatSolver(problem, SolveOptions(time_limit=5, secondary=False)).solve()
    assert result.coverage is not None
    return result.coverage


def large(problem: Problem, time_limit: float = 4, **options: Any) -> Any:
    """The large method ended by work, not by the clock (a test must not depend on the
    machine's load: two clock-cut runs ended at different moments and differed): about
    ``time_limit`` seconds' worth of it, the clock a generous safety net."""
    options.setdefault("work_limit", 0.25 * time_limit)
    safety = max(120.0, 10 * time_limit)
    return LargeSolver(problem, SolveOptions(time_limit=safety, **options)).solve()


def assert_passes_check(instance: Any, problem: Problem, result: Any) -> None:
    report = check_roster(instance, triples_of(problem, result))
    assert report.ok, [v.to_dict() for v in report.violations[:5]]
    assert report.coverage == result.coverage


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("seed", SEEDS)
def test_generated_rosters_pass_check_and_bounds_hold(shape: tuple, seed: int) -> None:
    instance, problem = generated(*shape, seed=seed)
    optimum = exact_reference(problem)
    result = large(problem)
    assert_passes_check(instance, problem, result)
    assert optimum <= result.coverage_bound
    assert (result.status == "optimal") == (result.coverage == result.coverage_bound)

    # each part of the bound on its own, at its most aggressive settings
    runnable = runnable_camps(problem)
    bounds = LagrangianBound(problem)
    assert bounds.offer(*bounds.initial_multipliers()) >= optimum
    roster = greedy_roster(problem, runnable)
    free = free_counts(problem, runnable, roster)
    for threshold in (1, 2, 5):
        lp = restricted_lp(problem, runnable, free >= threshold, 10)
        assert lp is not None
        assert bounds.evaluate(lp.lam, lp.mu).value >= optimum - 1e-6
        assert lp.value >= optimum - 1e-6  # the LP is a relaxation too
        _, _, core_bound = CoreModel(problem, runnable, free >= threshold).solve(2, 2)
        assert core_bound is None or core_bound >= optimum


@pytest.mark.parametrize("seed", range(3))
def test_the_lagrangian_bounds_at_any_multipliers(seed: int) -> None:
    """L(lam, mu) >= optimum for random lam >= 0 (any sign if essential), mu >= 0."""
    _, problem = generated(120, 8, 200, seed)
    optimum = exact_reference(problem)
    bounds = LagrangianBound(problem)
    rng = np.random.default_rng(seed)
    for _ in range(20):
        lam = rng.uniform(0, 6, problem.num_requirements)
        essential = problem.requirement_essential
        lam[essential] = rng.uniform(-20, 6, int(essential.sum()))
        mu = rng.uniform(0, 3, problem.num_camps) * rng.integers(0, 2, problem.num_camps)
        assert bounds.evaluate(lam, mu).value >= optimum - 1e-6


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_volunteers=8, max_camps=4))
def test_random_tiny_instances(data: dict[str, Any]) -> None:
    """Hand-shaped corner cases: locks, forbidden pairs, rest days, empty availability."""
    instance = load_data(data)
    problem = compile_instance(instance)
    exact = CpSatSolver(problem, SolveOptions(time_limit=20, secondary=False)).solve()
    result = large(problem)
    assert result.status in ("optimal", "feasible", "infeasible")
    if exact.status == "infeasible":
        assert result.status == "infeasible"
        return
    assert result.status != "infeasible"
    assert_passes_check(instance, problem, result)
    assert result.coverage <= exact.coverage <= result.coverage_bound


def test_greedy_empties_a_camp_whose_essential_slots_cannot_all_be_filled() -> None:
    """Camp c1 needs 2 essential nurses and has one: it is cancelled (H9), and its masons
    go to c2, which needs none. Optimum: c2's 2 mason slots, coverage 2."""
    data = make_instance(
        volunteers=[
            volunteer("n1", skills={"nurse": 1}),
            volunteer("m1", skills={"mason": 1}),
            volunteer("m2", skills={"mason": 1}),
        ],
        camps=[
            camp(
                "c1",
                requirements=[
                    requirement("nurse", count=2, essential=True),
                    requirement("mason", count=2),
                ],
                capacity=4,
            ),
            camp(
                "c2",
                start="2021-07-10",
                end="2021-07-12",
                requirements=[requirement("mason", count=2)],
            ),
        ],
    )
    problem = compile_data(data)
    roster = greedy_roster(problem, runnable_camps(problem))
    assert not runnable_camps(problem)[0]
    assert set(problem.candidate_camp[roster].tolist()) == {1}
    result = large(problem)
    assert result.status == "optimal"
    assert result.coverage == result.coverage_bound == 2
    assert_passes_check(load_data(data), problem, result)


@pytest.mark.parametrize("seed", range(3))
def test_greedy_keeps_h9_on_generated_instances(seed: int) -> None:
    instance, problem = generated(300, 20, 700, seed)
    roster = greedy_roster(problem, runnable_camps(problem))
    filled = np.bincount(problem.candidate_requirement[roster], minlength=problem.num_requirements)
    running = np.zeros(problem.num_camps, dtype=bool)
    running[problem.candidate_camp[roster]] = True
    essential = problem.requirement_essential & running[problem.requirement_camp]
    assert (filled[essential] == problem.requirement_count[essential]).all()
    report = check_roster(instance, triples_of(problem, type("R", (), {"assigned": roster})))
    assert report.ok


def test_stop_before_solving_still_gives_a_checked_roster() -> None:
    instance, problem = generated(300, 16, None, 7)
    solver = LargeSolver(problem, SolveOptions(time_limit=30))
    solver.stop()
    result = solver.solve()
    assert result.has_roster
    assert result.stopped_by == "interrupted"
    assert result.coverage <= result.coverage_bound
    assert_passes_check(instance, problem, result)


def test_same_instance_same_roster() -> None:
    _, problem = generated(300, 16, None, 3)
    first, second = large(problem, time_limit=60), large(problem, time_limit=60)
    assert first.stopped_by is None
    assert np.array_equal(first.assigned, second.assigned)
    assert first.coverage_bound == second.coverage_bound


def test_secondary_terms_do_not_get_worse_and_coverage_stays() -> None:
    instance, problem = generated(300, 16, None, 2)
    weights = {"travel": 1.0, "group": 50.0, "fairness": 100.0}
    plain = large(problem, secondary=False, weights=weights)
    polished = large(problem, weights=weights)
    assert polished.coverage == plain.coverage
    assert polished.first_terms.weighted(weights) == plain.terms.weighted(weights)
    assert polished.terms.weighted(weights) < polished.first_terms.weighted(weights)
    assert coverage(problem, polished.assigned) == polished.coverage
    assert_passes_check(instance, problem, polished)


def test_auto_picks_the_method_by_size() -> None:
    _, small = generated(200, 10, None, 0)
    assert small.num_candidates < AUTO_LARGE_CANDIDATES
    assert isinstance(make_solver(small, SolveOptions()), PortfolioSolver)
    assert isinstance(make_solver(small, SolveOptions(method="exact")), CpSatSolver)
    assert isinstance(make_solver(small, SolveOptions(method="large")), LargeSolver)
    with pytest.raises(ValueError):
        make_solver(small, SolveOptions(method="fastest"))


def test_cli_solve_method_large_writes_a_file_that_passes_check(tmp_path: Any) -> None:
    from builders import write_instance

    data = generate_instance(volunteers=250, camps=14, slots=400, seed=1)
    instance_path = write_instance(tmp_path / "season.json", data)
    output = tmp_path / "solution.json"
    run = CliRunner().invoke(
        main, ["solve", str(instance_path), "--method", "large", "-q", "-o", str(output)]
    )
    assert run.exit_code == 0, run.output
    report = check_solution_file(instance_path, output)
    assert report.ok
    assert report.claimed_bound is not None and report.claimed_bound >= report.coverage


def test_clashing_locks_are_infeasible_without_building_the_exact_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """v1 is locked into two camps on the same days (H4): no roster holds both locks."""
    import campplanner.solver.large as large_module

    data = make_instance(
        volunteers=[volunteer("v1", skills={"nurse": 1})],
        camps=[camp("c1"), camp("c2")],
        locked=[
            {"volunteer": "v1", "camp": "c1", "skill": "nurse"},
            {"volunteer": "v1", "camp": "c2", "skill": "nurse"},
        ],
    )
    problem = compile_data(data)
    exact = CpSatSolver(problem, SolveOptions(time_limit=10)).solve()
    assert exact.status == "infeasible"
    monkeypatch.setattr(large_module, "EXACT_FALLBACK_CANDIDATES", 0)  # as on a full season
    result = large(problem)
    assert result.status == "infeasible"
    assert "locked[1]" in result.infeasible_reasons[0]


def test_a_stopped_greedy_gives_up() -> None:
    import threading

    _, problem = generated(200, 10, None, 0)
    stop = threading.Event()
    stop.set()
    assert greedy_roster(problem, runnable_camps(problem), stop=stop) is None


def test_swaps_never_move_a_locked_assignment() -> None:
    """v_far is locked into c1 although v_near, free, would travel less: the swap that
    would lower travel is not made."""
    data = make_instance(
        volunteers=[
            volunteer("v_far", home="far", skills={"nurse": 1}),
            volunteer("v_near", skills={"nurse": 1}),
        ],
        places=[
            {"id": "arak", "name": "arak", "lat": 34.09, "lon": 49.69},
            {"id": "village", "name": "village", "lat": 34.2, "lon": 49.5},
            {"id": "far", "name": "far", "lat": 35.02, "lon": 50.36},
        ],
        camps=[camp("c1")],
        locked=[{"volunteer": "v_far", "camp": "c1", "skill": "nurse"}],
    )
    problem = compile_data(data)
    result = large(problem)
    assert result.solver["name"] == "large"  # kept by the swaps, not rescued by the exact model
    assert triples_of(problem, result) == [("v_far", "c1", "nurse")]
    assert_passes_check(load_data(data), problem, result)
