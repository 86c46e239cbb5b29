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
from campplanner.solver.bounds import column_lp
from campplanner.solver.large import LargeSolver
from campplanner.solver.one_camp import best_staffing, camp_program, one_camp_each
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
