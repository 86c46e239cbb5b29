"""``--method auto`` below 50,000 candidates: both methods, never worse than either.

What must hold (issue 22):
- at equal work, auto's coverage is at least the better of the exact and the large
  method's (each alone, same work limit), on small random instances of every shape;
- the solution file says which method gave the roster and why;
- the counting bound: a camp fills at most its slots, candidates, beds and people;
  a roster that fills every fillable slot is optimal whoever found it;
- the ptask files of bench_external.py become jobs of one slot, all covered.
Rosters are compared under a work limit, never two clock-cut runs.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

from builders import REPO, camp, compile_data, load_data, make_instance, requirement, volunteer
from campplanner.check import check_roster
from campplanner.generate import generate_instance
from campplanner.model.compile import compile_instance
from campplanner.solver import PortfolioSolver, SolveOptions, make_solver
from campplanner.solver.counting import counting_bound, fillable_slots
from test_solver_properties import triples_of

# (volunteers, camps, slots): supply-rich, tight, and tight with few people
SHAPES = [(120, 8, None), (150, 10, 260), (60, 8, 200)]
WORK = 2.0  # deterministic work per solve; the clock below is only a safety net
SAFETY = 300.0


def solved(problem: Any, method: str) -> Any:
    options = SolveOptions(time_limit=SAFETY, work_limit=WORK, method=method, secondary=False)
    return make_solver(problem, options).solve()


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("seed", range(3))
def test_auto_is_never_worse_than_either_method_at_equal_work(shape: tuple, seed: int) -> None:
    data = generate_instance(volunteers=shape[0], camps=shape[1], slots=shape[2], seed=seed)
    instance = load_data(data)
    problem = compile_instance(instance)
    auto, exact, large = (solved(problem, m) for m in ("auto", "exact", "large"))
    assert auto.coverage >= max(exact.coverage, large.coverage)
    assert auto.stopped_by is None  # every phase ended on work, none on the clock
    assert auto.coverage <= auto.coverage_bound <= counting_bound(problem)
    report = check_roster(instance, triples_of(problem, auto))
    assert report.ok and report.coverage == auto.coverage


def test_the_solution_says_which_method_won_and_why() -> None:
    problem = compile_instance(load_data(generate_instance(volunteers=80, camps=6, seed=4)))
    stages: list[str] = []
    result = PortfolioSolver(problem, SolveOptions(time_limit=SAFETY, work_limit=1)).solve(
        lambda elapsed, coverage, bound, stage="": stages.append(stage)
    )
    assert result.solver["name"] == "auto (portfolio)"
    assert result.solver["chosen"] in ("large", "exact")
    assert str(result.solver["why"])
    assert result.solver["large"]["coverage"] <= result.coverage
    # the log shows both methods' turns
    assert "auto: the large method first" in stages
    assert "auto: the exact model from the large method's roster" in stages


def test_counting_bound_counts_slots_candidates_beds_and_people() -> None:
    """c1 asks 3 physicians and 2 nurses, 4 beds, priority 2: only 2 physicians and 3
    nurses are candidates, so 2 + 2 = 4 fillable, 4 beds: 4 x 2 = 8. c2 asks 2 drivers,
    one candidate, who is also a nurse there (one role each): 1 fillable, priority 1. The
    counting bound is 9, and it is also the optimum (v1, v2 physicians; v3, v4 nurses at
    c1; v5 driver at c2 on other days)."""
    data = make_instance(
        skills=[{"id": s, "name": s} for s in ("physician", "nurse", "driver")],
        volunteers=[
            volunteer("v1", skills={"physician": 1}),
            volunteer("v2", skills={"physician": 1}),
            volunteer("v3", skills={"nurse": 1}),
            volunteer("v4", skills={"nurse": 1}),
            volunteer("v5", skills={"nurse": 1, "driver": 1}),
        ],
        camps=[
            camp(
                "c1",
                requirements=[requirement("physician", 3), requirement("nurse", 2)],
                capacity=4,
                priority=2,
                start="2021-07-01",
                end="2021-07-05",
            ),
            camp(
                "c2",
                requirements=[requirement("driver", 2), requirement("nurse", 1)],
                capacity=1,
                start="2021-07-10",
                end="2021-07-12",
            ),
        ],
    )
    problem = compile_data(data)
    per_camp, per_requirement = fillable_slots(problem)
    assert per_camp.tolist() == [4, 1]
    assert counting_bound(problem) == 9
    result = make_solver(problem, SolveOptions(time_limit=SAFETY, work_limit=1)).solve()
    assert result.coverage == 9 and result.coverage_bound == 9 and result.status == "optimal"
    # beds bind first in c2 (2 fillable, 1 bed): its requirements are not pinned one by one
    first, last = problem.camp_requirements[1], problem.camp_requirements[2]
    assert per_requirement[first:last].tolist() == [-1, -1]


def _bench_external() -> Any:
    path = REPO / "benchmarks" / "bench_external.py"
    spec = importlib.util.spec_from_file_location("bench_external", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


# A ptask file written here (the format of Krishnamoorthy, Ernst and Baatar's files): 4
# jobs, 2 workers. Worker 0 can do jobs 0, 1, 2; worker 1 jobs 1, 3. Jobs 0 [0, 10) and
# 1 [10, 20) touch but do not overlap; job 2 [5, 15) overlaps both; job 3 [12, 30).
# Cover all four? Worker 1 takes 3, so not 1 (they overlap); worker 0 then needs 0, 1
# and 2, but 2 overlaps 0: at most 3 jobs. Optimum 3, the counting bound 4.
PTASK = """# written for the test
Type = 1
Jobs = 4
  0  10
 10  20
  5  15
 12  30
Qualifications = 2
3:  0 1 2
2:  1 3
"""


def test_a_ptask_file_becomes_jobs_of_one_slot(tmp_path: Path) -> None:
    bench = _bench_external()
    task = bench.parse_ptask("mini", PTASK)
    assert task.jobs == [(0, 10), (10, 20), (5, 15), (12, 30)]
    data = bench.ptask_instance(task)
    instance = load_data(data)
    problem = compile_instance(instance)
    assert problem.num_candidates == 5 and counting_bound(problem) == 4
    result = make_solver(problem, SolveOptions(time_limit=SAFETY, work_limit=1)).solve()
    assert result.coverage == 3
    assert check_roster(instance, triples_of(problem, result)).ok
    assert bench.exactly_once_baseline(task, 10)["full"] is False  # no full cover exists
