"""Every bound the solvers report is a proof: never below the optimum, never below a roster.

On random small instances whose optimum is found by brute force (every subset of the
possible triples judged by the independent checker, see test_solver_properties.py):

- the bound of every method (exact, large, re-plan) is at least the optimum;
- so is each relaxation the large method takes its bound from: the Lagrangian at the
  demand multipliers, at random multipliers, at the duals of column generation;
- and no reported bound is below the coverage of any roster found (the method's own,
  the first roster, the plain greedy), nor above the slots that can be filled at all
  (the counting bound: demand and per-requirement candidates, priorities counted), so
  a full cover always reads as optimal.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings

from builders import load_data
from campplanner.model.baseline import baseline_from_triples
from campplanner.model.compile import compile_instance
from campplanner.model.terms import coverage
from campplanner.solver import CpSatSolver, LargeSolver, PortfolioSolver, SolveOptions
from campplanner.solver import SolveOptions as LargeOptions
from campplanner.solver.bounds import LagrangianBound
from campplanner.solver.counting import counting_bound
from campplanner.solver.first_roster import first_roster, plain_greedy
from campplanner.solver.lagrangian import ColumnGeneration
from campplanner.solver.neighbourhood import NeighbourhoodReplanner
from campplanner.whatif.diff import roster_triples
from test_solver_properties import brute_force_optimum, instances


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(instances(max_volunteers=3, max_camps=3))
def test_every_bound_is_at_least_the_brute_force_optimum(data: dict[str, Any]) -> None:
    instance = load_data(data)
    optimum = brute_force_optimum(instance, data)
    problem = compile_instance(instance)
    if optimum is None:  # infeasible: no roster, nothing to bound
        return
    rosters = [plain_greedy(problem), first_roster(problem)]
    bounds: list[int] = []

    exact = CpSatSolver(problem, SolveOptions(time_limit=5)).solve()
    large = LargeSolver(problem, LargeOptions(time_limit=1.5)).solve()
    auto = PortfolioSolver(problem, SolveOptions(time_limit=120, work_limit=1)).solve()
    reported: list[int] = []
    for result in (exact, large, auto):
        if result.has_roster:
            rosters.append(result.assigned)
            if result.coverage_bound is not None:
                reported.append(result.coverage_bound)
            # optimal exactly when coverage meets the bound, whoever proved it
            assert (result.status == "optimal") == (result.coverage == result.coverage_bound)

    lagrangian = LagrangianBound(problem)
    lagrangian.offer(*lagrangian.initial_multipliers())
    rng = np.random.default_rng(len(data["volunteers"]) * 7 + len(data["camps"]))
    for _ in range(3):
        lagrangian.offer(
            rng.normal(1.0, 2.0, problem.num_requirements), rng.normal(0.5, 1.0, problem.num_camps)
        )
    columns = ColumnGeneration(problem, lagrangian, rosters[-1])
    for _ in range(3):
        if not columns.round(float("inf")):
            break
    if lagrangian.bound is not None:
        bounds.append(lagrangian.bound)

    if exact.has_roster:
        published = roster_triples(problem, exact.assigned)
        baseline = baseline_from_triples(problem, published)
        replan = NeighbourhoodReplanner(problem, SolveOptions(time_limit=1.5), baseline).solve()
        assert replan.has_roster  # the published roster is intact: never without a roster
        rosters.append(replan.assigned)
        if replan.coverage_bound is not None:
            reported.append(replan.coverage_bound)

    best_roster = max(coverage(problem, roster) for roster in rosters)
    assert best_roster <= optimum <= counting_bound(problem)
    for bound in bounds + reported:
        assert bound >= optimum >= best_roster
    for bound in reported:
        assert bound <= counting_bound(problem)
