"""What would run a cancelled camp (issue 25), on micro-instances worked out by hand.

The independent checker judges every roster the answer holds, and every change it
makes is listed: who joins the camp, who leaves another, which camps stop running.
"""

from __future__ import annotations

from typing import Any

from builders import camp, load_data, make_instance, requirement, volunteer
from campplanner.check import check_roster
from campplanner.explain.reasons import roster_from_assignments
from campplanner.model.compile import compile_instance
from campplanner.model.terms import coverage
from campplanner.solver import CpSatSolver, SolveOptions
from campplanner.whatif.diff import roster_triples
from campplanner.whatif.to_run import what_would_run

SKILLS = [{"id": s, "name": s} for s in ("physician", "nurse", "mason")]


def _two_camps(*extra: dict[str, Any]) -> dict[str, Any]:
    # Camps A (priority 2) and B (priority 1) on the same days; each needs a physician
    # (essential) and A two nurses, B one. With one physician only one camp runs: A
    # with p1, n1, n2 is worth 3 x 2 = 6, B at most 2 x 1 = 2; so the optimum is A's 6.
    return make_instance(
        skills=SKILLS,
        rules={"max_camps": 1},
        volunteers=[
            volunteer("p1", skills={"physician": 1}),
            volunteer("n1"),
            volunteer("n2"),
            *extra,
        ],
        camps=[
            camp(
                "A",
                priority=2,
                requirements=[
                    requirement("physician", essential=True),
                    requirement("nurse", count=2),
                ],
            ),
            camp(
                "B",
                priority=1,
                requirements=[requirement("physician", essential=True), requirement("nurse")],
            ),
        ],
    )


def _checked(instance: Any, problem: Any, roster: Any) -> None:
    report = check_roster(instance, roster_triples(problem, roster))
    assert report.ok, [v.to_dict() for v in report.violations[:5]]
    assert report.coverage == coverage(problem, roster)


def test_a_camp_that_costs_another_says_who_moves_and_which_camp_stops() -> None:
    instance = load_data(_two_camps())
    problem = compile_instance(instance)
    result = CpSatSolver(problem, SolveOptions(time_limit=10, secondary=False)).solve()
    assert result.status == "optimal" and result.coverage == 6
    b = problem.camp_index["B"]
    answer = what_would_run(problem, result.assigned, b)
    # B runs only with p1, who leaves A: A loses its essential physician and stops, its
    # nurses leave it; one of them is B's nurse. Coverage 6 -> 2: the price, shown.
    assert answer.runs and answer.coverage_before == 6 and answer.coverage_after == 2
    assert answer.coverage_change == -4
    assert [problem.camp_ids[c] for c in answer.stops] == ["A"]
    joining = {problem.volunteer_ids[m.volunteer] for m in answer.joining}
    assert "p1" in joining and len(joining) == 2 and joining <= {"p1", "n1", "n2"}
    # everyone of A changes: three moves, each leaving A
    assert len(answer.moves) == 3
    a_requirements = set(range(problem.camp_requirements[0], problem.camp_requirements[1]))
    assert all(set(m.left) <= a_requirements and m.left for m in answer.moves)
    _checked(instance, problem, answer.roster)


def test_free_people_run_a_camp_at_no_cost_to_anyone() -> None:
    # With a second physician and a third nurse, free, a roster that left B cancelled
    # (A's team only, made by hand) runs B with p2 and n3: +2, nobody leaves A.
    instance = load_data(_two_camps(volunteer("p2", skills={"physician": 1}), volunteer("n3")))
    problem = compile_instance(instance)
    roster = roster_from_assignments(
        problem, [("p1", "A", "physician"), ("n1", "A", "nurse"), ("n2", "A", "nurse")]
    )
    answer = what_would_run(problem, roster, problem.camp_index["B"])
    assert answer.runs and answer.coverage_change == 2 and not answer.stops
    assert {problem.volunteer_ids[m.volunteer] for m in answer.moves} == {"p2", "n3"}
    assert all(m.joins_camp and not m.left for m in answer.moves)
    _checked(instance, problem, answer.roster)


def test_beds_count_when_a_camp_is_run() -> None:
    # B has one bed: a physician and a nurse cannot both sleep there, so the fewest
    # changes that run B bring only the physician (the nurse slot stays empty): +1.
    data = _two_camps(volunteer("p2", skills={"physician": 1}), volunteer("n3"))
    data["camps"][1]["capacity"] = 1
    instance = load_data(data)
    problem = compile_instance(instance)
    roster = roster_from_assignments(
        problem, [("p1", "A", "physician"), ("n1", "A", "nurse"), ("n2", "A", "nurse")]
    )
    answer = what_would_run(problem, roster, problem.camp_index["B"])
    assert answer.runs and answer.coverage_change == 1
    assert {problem.volunteer_ids[m.volunteer] for m in answer.moves} == {"p2"}
    _checked(instance, problem, answer.roster)


def test_a_camp_nobody_can_lead_is_said_so() -> None:
    # B needs a mason as its essential role and nobody is one: it cannot run at all.
    data = _two_camps()
    data["camps"][1]["requirements"] = [requirement("mason", essential=True)]
    instance = load_data(data)
    problem = compile_instance(instance)
    roster = roster_from_assignments(
        problem, [("p1", "A", "physician"), ("n1", "A", "nurse"), ("n2", "A", "nurse")]
    )
    answer = what_would_run(problem, roster, problem.camp_index["B"])
    assert not answer.runs and answer.why_not == "too_few_qualified"
    assert not answer.moves


def test_the_same_roster_gives_the_same_answer() -> None:
    instance = load_data(_two_camps(volunteer("p2", skills={"physician": 1})))
    problem = compile_instance(instance)
    roster = roster_from_assignments(
        problem, [("p1", "A", "physician"), ("n1", "A", "nurse"), ("n2", "A", "nurse")]
    )
    b = problem.camp_index["B"]
    first, second = what_would_run(problem, roster, b), what_would_run(problem, roster, b)
    assert first.moves == second.moves and list(first.roster) == list(second.roster)


def test_explain_camp_of_a_cancelled_camp_prints_what_would_run_it(tmp_path: Any) -> None:
    import json

    from click.testing import CliRunner

    from campplanner.cli import main

    instance = tmp_path / "two.json"
    instance.write_text(json.dumps(_two_camps()), encoding="utf-8")
    solution = tmp_path / "two.solution.json"
    runner = CliRunner()
    solved = runner.invoke(main, ["solve", str(instance), "-q", "-o", str(solution)])
    assert solved.exit_code == 0, solved.output
    explained = runner.invoke(main, ["explain", str(instance), str(solution), "--camp", "B"])
    assert explained.exit_code == 0, explained.output
    text = " ".join(explained.output.split())  # rich wraps long lines
    assert "To run it: 3 change(s), coverage 6 -> 2 (-4)" in text
    assert "p1 p1: joins B B as physician (physician); leaves A A as physician" in text
    assert "stops running: A A" in text
    # a camp that runs is not given the section
    ran = runner.invoke(main, ["explain", str(instance), str(solution), "--camp", "A"])
    assert ran.exit_code == 0 and "To run it" not in ran.output
