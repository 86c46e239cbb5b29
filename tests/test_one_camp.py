"""Seasons of one camp per person (solver/one_camp.py): the integer program over camps
knows a camp runs whole, and the flow staffs the camps chosen as well as any roster can."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from builders import camp, compile_data, load_data, make_instance, requirement, volunteer
from campplanner.check import check_roster
from campplanner.generate import generate_instance
from campplanner.model.compile import compile_instance
from campplanner.model.rules import runnable_camps
from campplanner.model.terms import coverage
from campplanner.solver import CpSatSolver, SolveOptions
from campplanner.solver.bounds import column_lp, column_model, highs_work
from campplanner.solver.large import LargeSolver
from campplanner.solver.one_camp import best_staffing, camp_program, one_camp_each
from campplanner.solver.work import WorkBudget
from campplanner.whatif.diff import roster_triples


def one_leader_two_camps() -> dict[str, Any]:
    """One leader (essential in both camps), a nurse who can reach only A and one who
    can reach only B (their dates). Whole camps: the leader and one nurse, coverage 2.
    The LP runs each camp half: half the leader in each and both nurses, 3."""
    return make_instance(
        volunteers=[
            volunteer("L", skills={"leader": 1}),
            volunteer("NA", available=[["2021-07-01", "2021-07-05"]]),
            volunteer("NB", available=[["2021-07-08", "2021-07-15"]]),
        ],
        camps=[
            camp(
                "A",
                start="2021-07-01",
                end="2021-07-03",
                requirements=[requirement("leader", essential=True), requirement("nurse", 2)],
            ),
            camp(
                "B",
                start="2021-07-10",
                end="2021-07-12",
                requirements=[requirement("leader", essential=True), requirement("nurse", 2)],
            ),
        ],
    )


def test_the_integer_program_knows_a_camp_runs_whole_where_the_lp_does_not() -> None:
    problem = compile_data(one_leader_two_camps())
    assert one_camp_each(problem)
    runnable = runnable_camps(problem)
    everyone = np.arange(problem.num_candidates)
    none = np.zeros(0, dtype=np.int64)
    lp = column_lp(problem, runnable, everyone, none, 10)
    assert lp is not None and lp.value == pytest.approx(3.0)
    program = camp_program(problem, runnable, everyone, none, 10)
    assert program.bound == 2
    assert program.runs is not None and program.runs.sum() == 1


def test_the_flow_closes_a_camp_whose_essentials_it_cannot_fill() -> None:
    data = one_leader_two_camps()
    problem = compile_data(data)
    roster = best_staffing(problem, np.ones(problem.num_camps, dtype=bool))
    assert roster is not None and coverage(problem, roster) == 2
    assert len(np.unique(problem.candidate_camp[roster])) == 1
    report = check_roster(load_data(data), roster_triples(problem, roster))
    assert report.ok, [v.to_dict() for v in report.violations]


def test_the_large_method_proves_the_optimum_through_the_camps() -> None:
    data = one_leader_two_camps()
    problem = compile_data(data)
    result = LargeSolver(problem, SolveOptions(time_limit=120, work_limit=2)).solve()
    assert result.status == "optimal"
    assert result.coverage == result.coverage_bound == 2
    assert result.solver["camp_program"]["bound"] == 2
    report = check_roster(load_data(data), roster_triples(problem, result.assigned))
    assert report.ok


def test_only_seasons_of_one_camp_per_person_without_locks() -> None:
    data = one_leader_two_camps()
    assert not one_camp_each(compile_data({**data, "rules": {"max_camps": 2}}))
    locked = {**data, "locked": [{"volunteer": "NA", "camp": "A", "skill": "nurse"}]}
    assert not one_camp_each(compile_data(locked))


def teams(seed: int) -> Any:
    """A small season of the *teams* shape: everyone joins at most one camp."""
    data = generate_instance(volunteers=150, camps=8, slots=180, seed=seed)
    data["rules"]["max_camps"] = 1
    for person in data["volunteers"]:
        person.pop("max_camps", None)
    return load_data(data)


@pytest.mark.parametrize("seed", range(4))
def test_on_small_teams_seasons_the_flow_and_the_program_meet_the_exact_optimum(
    seed: int,
) -> None:
    instance = teams(seed)
    problem = compile_instance(instance)
    assert one_camp_each(problem)
    exact = CpSatSolver(problem, SolveOptions(time_limit=60, work_limit=30, secondary=False))
    reference = exact.solve()
    assert reference.status == "optimal"
    optimum = reference.coverage
    # the flow over the optimum's own camps finds a roster as good
    running = np.zeros(problem.num_camps, dtype=bool)
    running[problem.candidate_camp[reference.assigned]] = True
    staffed = best_staffing(problem, running)
    assert staffed is not None and coverage(problem, staffed) == optimum
    report = check_roster(instance, roster_triples(problem, staffed))
    assert report.ok, [v.to_dict() for v in report.violations]
    # the program's bound is a proof, and over all candidates it is the optimum
    runnable = runnable_camps(problem)
    everyone = np.arange(problem.num_candidates)
    program = camp_program(problem, runnable, everyone, np.zeros(0, dtype=np.int64), 60)
    assert program.bound == optimum
    assert program.runs is not None
    roster = best_staffing(problem, program.runs)
    assert roster is not None and coverage(problem, roster) == optimum
    # and the large method reaches it
    result = LargeSolver(problem, SolveOptions(time_limit=120, work_limit=2)).solve()
    assert result.coverage == optimum
    assert check_roster(instance, roster_triples(problem, result.assigned)).ok


def test_a_staffing_that_breaks_a_rule_of_the_roster_state_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A rule the network does not know (RosterState refuses every assignment here):
    the flow's roster is not offered, rather than offered wrong."""
    problem = compile_data(one_leader_two_camps())
    monkeypatch.setattr("campplanner.model.state.RosterState.fits", lambda self, i: False)
    assert best_staffing(problem, np.ones(problem.num_camps, dtype=bool)) is None


def teams_data(volunteers: int, seed: int) -> dict[str, Any]:
    """A season of ``bench_robust.py``'s *teams* shape, scaled down: 600 camps and
    26,000 slots per 22,000 volunteers, one camp per person. From 300 volunteers its
    program needs cuts at the root (its first LP is not integral)."""
    camps = max(10, round(volunteers * 600 / 22_000))
    data = generate_instance(
        volunteers=volunteers, camps=camps, slots=round(volunteers * 26_000 / 22_000), seed=seed
    )
    data["rules"]["max_camps"] = 1
    data["rules"]["rest_days"] = 1 + seed % 2
    for person in data["volunteers"]:
        person.pop("max_camps", None)
    return data


def teams_season(volunteers: int, seed: int) -> Any:
    return load_data(teams_data(volunteers, seed))


def test_the_program_ends_on_its_iterations_not_the_clock() -> None:
    """With a work budget the program is interrupted once HiGHS' LPs have taken the
    budget's simplex iterations (read off its log): a budget of a few iterations ends it
    at its first check after the root LP, said as cut by work. Its bound is still a
    proof and its camps a solution; the same budget twice stops at the same point."""
    problem = compile_instance(teams_season(300, 1))
    runnable = runnable_camps(problem)
    everyone = np.arange(problem.num_candidates)
    none = np.zeros(0, dtype=np.int64)
    full = camp_program(problem, runnable, everyone, none, 60, work=1e6)
    assert not full.cut_by_work and full.bound is not None and full.value == full.bound
    assert full.iterations > 10
    setup, per_iteration = highs_work(column_model(problem, runnable, everyone, none)[0])
    tiny = setup + 3 * per_iteration
    cut = camp_program(problem, runnable, everyone, none, 60, work=tiny)
    assert cut.cut_by_work
    assert 3 <= cut.iterations < full.iterations
    assert cut.work_done >= tiny
    assert cut.bound is not None and cut.bound >= full.bound  # a proof all the same
    again = camp_program(problem, runnable, everyone, none, 60, work=tiny)
    assert (again.iterations, again.bound, again.value) == (cut.iterations, cut.bound, cut.value)
    assert again.runs is not None and cut.runs is not None
    assert (again.runs == cut.runs).all()


def test_the_large_method_says_the_program_was_cut_by_work() -> None:
    """A work limit too small for the program: the solution file says it was cut by its
    work, not by the clock (the safety net cut nothing), and the flow still staffs.
    (On this season the program over the scarce requirements needs cuts at its root.)"""
    problem = compile_instance(teams_season(600, 2))
    result = LargeSolver(problem, SolveOptions(time_limit=600, work_limit=1e-5)).solve()
    program = result.solver["camp_program"]
    assert program["cut_by_work"] is True
    assert program["iterations"] >= 1
    assert result.solver["work"]["clock_cut"] == []
    assert result.stopped_by is None or "time limit" not in result.stopped_by
    assert "staffed" in program
    assert result.solver["rounds"] == 0  # the restricted LP after it: cut by work as well


def test_a_restricted_lp_given_work_ends_on_its_iterations() -> None:
    """With a work budget an LP is interrupted once its simplex iterations pass it (HiGHS
    says its count at each iteration): None, as when the clock cuts, and the work done
    is spent; with enough work the same LP as without a budget."""
    problem = compile_instance(teams_season(300, 1))
    runnable = runnable_camps(problem)
    everyone = np.arange(problem.num_candidates)
    none = np.zeros(0, dtype=np.int64)
    free = column_lp(problem, runnable, everyone, none, 60)
    assert free is not None
    setup, per_iteration = highs_work(column_model(problem, runnable, everyone, none)[0])
    budget = WorkBudget(30.0)
    cut = column_lp(problem, runnable, everyone, none, 60, None, setup + 5 * per_iteration, budget)
    assert cut is None
    assert setup < budget.spent < setup + 50 * per_iteration
    unpaid = WorkBudget(30.0)  # less than its setup: not run at all
    assert column_lp(problem, runnable, everyone, none, 60, None, setup / 2, unpaid) is None
    assert unpaid.spent == 0.0
    enough = column_lp(problem, runnable, everyone, none, 60, None, 1e6, WorkBudget(30.0))
    assert enough is not None and enough.value == pytest.approx(free.value)
