"""What would run a cancelled camp (issue 25), on micro-instances worked out by hand.

The independent checker judges every roster the answer holds, and every change it
makes is listed: who joins the camp, who leaves another, which camps stop running.
"""

from __future__ import annotations

from typing import Any

from builders import load_data, one_physician_two_camps, requirement, volunteer
from campplanner.check import check_roster
from campplanner.explain.reasons import roster_from_assignments
from campplanner.model.compile import compile_instance
from campplanner.model.terms import coverage
from campplanner.solver import CpSatSolver, SolveOptions
from campplanner.whatif.diff import roster_triples
from campplanner.whatif.to_run import what_would_run

SKILLS = [{"id": s, "name": s} for s in ("physician", "nurse", "mason")]


def _two_camps(*extra: dict[str, Any]) -> dict[str, Any]:
    return one_physician_two_camps(SKILLS, *extra)  # the optimum: A's 6 (builders)


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
    assert "To run it: 3 changes, coverage 6 -> 2 (-4)" in text
    assert "p1 p1: joins B B as physician (physician); leaves A A as physician" in text
    assert "stops running: A A" in text
    # a camp that runs is not given the section
    ran = runner.invoke(main, ["explain", str(instance), str(solution), "--camp", "A"])
    assert ran.exit_code == 0 and "To run it" not in ran.output


def test_the_page_and_the_api_say_what_would_run_a_cancelled_camp(tmp_path: Any) -> None:
    import json

    from web_helpers import served, solved

    instance = tmp_path / "two.json"
    instance.write_text(json.dumps(_two_camps()), encoding="utf-8")
    _, client = served(instance, tmp_path, solution=solved(instance, tmp_path))
    answer = client.get("/api/camps/B").json()["to_run"]
    assert answer["runs"] and answer["coverage_change"] == -4
    assert answer["stops"] == [{"camp": "A", "camp_name": "A"}]
    p1 = next(m for m in answer["moves"] if m["volunteer"] == "p1")
    assert p1["joins_camp"] and p1["joins"][0]["camp"] == "B" and p1["leaves"][0]["camp"] == "A"
    assert client.get("/api/camps/A").json()["to_run"] is None  # A runs
    page = client.get("/camps/B").text  # Persian by default
    assert "برای برپایی این اردو" in page and "این اردو لغو می‌شود" in page
    assert "What would run" not in page and "every rule" not in page
    english = client.get("/lang/en?next=/camps/B").text  # the switch, then the page
    assert "What would run this camp" in english and "this camp stops running" in english


def test_one_click_locks_the_set_that_runs_a_cancelled_camp(tmp_path: Any) -> None:
    """The page's one button (POST /api/edits ``kind: run``) records the whole set as
    one edit: who joins B locked in, each mover kept from the camp they leave; after a
    re-solve under a work limit, and after the page's own re-solve, B runs."""
    import json
    import re

    from campplanner.app.review.edits import edited_instance
    from campplanner.app.solving import SolveRequest, solve
    from web_helpers import post, served, session, solved, wait_for_job

    instance = tmp_path / "two.json"
    instance.write_text(json.dumps(_two_camps()), encoding="utf-8")
    site, client = served(instance, tmp_path, solution=solved(instance, tmp_path))
    page = client.get("/camps/B").text
    assert 'id="run-camp"' in page and "قفل همهٔ این جابه‌جایی‌ها" in page
    assert 'id="run-camp"' not in client.get("/camps/A").text  # A runs: nothing to lock
    moves = client.get("/api/camps/B").json()["to_run"]["moves"]
    joining = {m["volunteer"] for m in moves if m["joins"]}
    recorded = post(client, "/api/edits", {"kind": "run", "camp": "B"})
    assert recorded.status_code == 200, recorded.text
    (edit,) = client.get("/api/edits").json()["pending"]
    assert edit["kind"] == "run"
    locks = {(a["volunteer"], a["camp"]) for a in edit["ops"][0]["assignments"]}
    assert locks == {(v, "B") for v in joining} and ("p1", "B") in locks
    assert {(p["volunteer"], p["camp"]) for p in edit["ops"][1]["pairs"]} == {
        (v, "A") for v in joining
    }
    # the camp page says the set is pending, in Persian
    assert "برپایی اردو" in client.get("/edits").text
    assert "pending-here" in client.get("/camps/B").text
    # a re-solve of the edited season under a work limit runs B
    edited = tmp_path / "edited.json"
    edited.write_bytes(edited_instance(instance.read_bytes(), edit["ops"]))
    output = tmp_path / "after.json"
    solve(
        SolveRequest(
            str(edited), SolveOptions(work_limit=5, secondary=False), output_path=str(output)
        )
    )
    after = json.loads(output.read_text())["assignments"]
    assert {(a["volunteer"], a["camp"]) for a in after} >= locks
    assert any(a["camp"] == "B" and a["skill"] == "physician" for a in after)
    # and so does the page's re-solve
    job = post(client, "/api/solve").json()["job"]
    assert wait_for_job(client, job)["state"] == "done"
    assert post(client, f"/api/jobs/{job}/accept").status_code == 200
    assert client.get("/api/camps/B").json()["camp"]["status"] != "cancelled"
    # a camp that runs already: nothing to lock, said in Persian on the page
    state = session(client)
    refused = client.post(
        "/edits", data={"csrf": state["csrf"], "rev": state["rev"], "kind": "run", "camp": "B"}
    )
    text = re.sub(r"<[^>]+>", " ", refused.text.split("<main", 1)[1])
    assert refused.status_code == 400 and "برپاست" in text and "runs" not in text
    assert "runs already" in post(client, "/api/edits", {"kind": "run", "camp": "B"}).text
    site.close()
