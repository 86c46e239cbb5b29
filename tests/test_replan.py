"""Re-planning from a published roster: coverage first, then the fewest changes.

Each case states the published roster, what changed, and the minimum number of
changed assignments (a dropped assignment counts 1, a new one 1, a move 2).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from builders import (
    REPO,
    TINY_PATH,
    camp,
    compile_data,
    load_data,
    make_instance,
    requirement,
    volunteer,
    write_instance,
)
from campplanner.check import check_roster
from campplanner.cli import main
from campplanner.model.baseline import baseline_from_triples
from campplanner.model.compile import compile_instance
from campplanner.solver import CpSatSolver, SolveOptions
from campplanner.whatif.diff import diff_rosters, roster_triples


def replan(data: dict[str, Any], published: list[tuple[str, str, str]]) -> tuple[Any, Any]:
    instance = load_data(data)
    problem = compile_instance(instance)
    baseline = baseline_from_triples(problem, published)
    result = CpSatSolver(problem, SolveOptions(time_limit=20), baseline=baseline).solve()
    assert check_roster(instance, roster_triples(problem, result.assigned)).ok
    return problem, result


def test_nothing_changed_means_no_change_even_among_equal_rosters() -> None:
    # Two nurses, one slot: either roster has coverage 1 and the same travel. The
    # published one (n2) is kept: 0 changes, although n1 comes first in the file.
    data = make_instance(volunteers=[volunteer("n1"), volunteer("n2")], camps=[camp("c1")])
    problem, result = replan(data, [("n2", "c1", "nurse")])
    assert roster_triples(problem, result.assigned) == [("n2", "c1", "nurse")]
    assert result.changes == result.changes_bound == 0


def test_a_dropout_is_replaced_and_nothing_else_moves() -> None:
    # Camps A and B (far apart in time), one nurse slot each. Published: a in A,
    # b in B. a drops out; c is free. Minimum: drop (a, A) and add (c, A) = 2 changes;
    # b stays in B.
    data = make_instance(
        volunteers=[volunteer("b"), volunteer("c")],
        camps=[camp("A"), camp("B", start="2021-08-01", end="2021-08-03")],
    )
    problem, result = replan(data, [("a", "A", "nurse"), ("b", "B", "nurse")])
    assert set(roster_triples(problem, result.assigned)) == {
        ("c", "A", "nurse"),
        ("b", "B", "nurse"),
    }
    assert result.coverage == 2
    assert result.changes == result.changes_bound == 2


def test_published_assignments_move_only_when_coverage_rises() -> None:
    # Published: x in A (priority 1). Camp B (priority 3, same dates) was added and only
    # x can serve it. Coverage first: x moves to B (3 > 1): 2 changes, coverage 3.
    data = make_instance(
        volunteers=[volunteer("x")],
        camps=[camp("A", priority=1), camp("B", priority=3)],
    )
    problem, result = replan(data, [("x", "A", "nurse")])
    assert roster_triples(problem, result.assigned) == [("x", "B", "nurse")]
    assert result.coverage == 3 and result.changes == 2


def test_a_lost_slot_is_a_forced_change() -> None:
    # The camp no longer asks for a mason: the published mason assignment is dropped
    # (1 forced change); the nurse stays.
    data = make_instance(
        volunteers=[volunteer("n"), volunteer("m", skills={"mason": 1})],
        camps=[camp("A", requirements=[requirement("nurse")])],
    )
    problem, result = replan(data, [("n", "A", "nurse"), ("m", "A", "mason")])
    baseline = baseline_from_triples(problem, [("n", "A", "nurse"), ("m", "A", "mason")])
    assert [why for _, why in baseline.dropped] == ["camp A no longer asks for mason"]
    assert result.changes == result.changes_bound == 1


def test_diff_names_added_removed_and_moved() -> None:
    before = [("a", "A", "nurse"), ("b", "B", "nurse"), ("c", "A", "mason")]
    after = [("b", "B", "nurse"), ("c", "B", "mason"), ("d", "A", "nurse")]
    diff = diff_rosters(before, after)
    assert diff.added == {"d": [("A", "nurse")]}
    assert diff.removed == {"a": [("A", "nurse")]}
    assert diff.moved == {"c": ([("A", "mason")], [("B", "mason")])}
    assert diff.changed_assignments == 4  # a out, d in, c out of A, c into B
    assert diff.camps_affected == {"A", "B"}


def test_solve_with_baseline_through_the_cli(tmp_path: Path) -> None:
    published = tmp_path / "published.json"
    runner = CliRunner()
    assert runner.invoke(main, ["solve", str(TINY_PATH), "-q", "-o", str(published)]).exit_code == 0
    # v02, the only level-3 physician, drops out.
    data = json.loads(TINY_PATH.read_text(encoding="utf-8"))
    data["volunteers"] = [v for v in data["volunteers"] if v["id"] != "v02"]
    edited = write_instance(tmp_path / "edited.json", data)
    output = tmp_path / "replanned.json"
    result = runner.invoke(
        main, ["solve", str(edited), "--baseline", str(published), "-o", str(output), "-q"]
    )
    assert result.exit_code == 0, result.output
    assert "Who to call" in result.output
    replanned = json.loads(output.read_text(encoding="utf-8"))
    section = replanned["replan"]
    assert section["no_longer_possible"][0]["volunteer"] == "v02"
    assert section["changed_assignments"] == section["fewest_possible"]
    assert section["changes_lower_bound"] == section["fewest_possible"]
    assert "the fewest possible (proven)" in " ".join(result.output.split())
    assert any(entry["volunteer"] == "v02" for entry in section["removed"])
    assert runner.invoke(main, ["check", str(edited), str(output)]).exit_code == 0

    # The neighbourhood re-plan of full seasons proves only that the forced removal (v02's
    # slot) is a change: a lower bound it does not reach is said to be one, never
    # "the fewest possible".
    output = tmp_path / "neighbourhood.json"
    result = runner.invoke(
        main,
        [
            "solve",
            str(edited),
            "--baseline",
            str(published),
            "-o",
            str(output),
            "-q",
            "--method",
            "large",
            "--time-limit",
            "5",
        ],
    )
    assert result.exit_code == 0, result.output
    section = json.loads(output.read_text(encoding="utf-8"))["replan"]
    assert section["changes_lower_bound"] == 1 < section["changed_assignments"]
    assert section["fewest_possible"] is None
    said = " ".join(result.output.split())
    assert "at least 1 needed (a lower bound, not proven reachable)" in said
    assert "fewest possible" not in said


def test_neighbourhood_replan_of_a_generated_season() -> None:
    # A generated season is solved, then four of its assigned volunteers drop out and it
    # is re-planned on the neighbourhood of the change (the method used at full scale).
    from campplanner.generate import generate_instance
    from campplanner.solver.neighbourhood import NeighbourhoodReplanner, neighbourhood

    data = generate_instance(volunteers=300, camps=20, seed=4)
    instance = load_data(data)
    problem = compile_instance(instance)
    # every solve ends on work, the clock a safety net: the test does not depend on speed
    first = CpSatSolver(
        problem, SolveOptions(time_limit=600, work_limit=2, secondary=False)
    ).solve()
    published = roster_triples(problem, first.assigned)
    gone = sorted({v for v, _, _ in published})[:4]
    data["volunteers"] = [v for v in data["volunteers"] if v["id"] not in gone]
    instance = load_data(data)
    problem = compile_instance(instance)
    baseline = baseline_from_triples(problem, published)
    assert len(baseline.dropped) >= 4
    subset = neighbourhood(problem, baseline)
    assert set(baseline.kept) <= set(subset) and len(subset) < problem.num_candidates
    options = SolveOptions(time_limit=600, work_limit=2, secondary=False)
    result = NeighbourhoodReplanner(problem, options, baseline).solve()
    assert result.has_roster
    report = check_roster(instance, roster_triples(problem, result.assigned))
    assert report.ok and report.coverage == result.coverage
    exact = CpSatSolver(
        problem, SolveOptions(time_limit=600, work_limit=5, secondary=False)
    ).solve()
    assert exact.status == "optimal"
    assert result.coverage <= exact.coverage <= result.coverage_bound  # a valid bound
    assert result.changes is not None and result.changes >= len(baseline.dropped)


def test_a_season_replan_proves_the_bound_a_solve_from_scratch_proves() -> None:
    # medium.json without 10 of its physicians: the re-plan on the neighbourhood once
    # claimed only the Lagrangian bound (9,885) where a solve from scratch proves 9,870
    # optimal; with CP-SAT's bound on the scarce core, as the large method has, it
    # proves the same in its bound phase.
    from campplanner.solver import make_solver
    from campplanner.solver.neighbourhood import NeighbourhoodReplanner

    base = json.loads((REPO / "instances" / "medium.json").read_text(encoding="utf-8"))
    problem = compile_data(base)
    # on work, not the clock: "optimal" and the bound must not depend on the machine's load
    published = roster_triples(
        problem,
        make_solver(problem, SolveOptions(time_limit=600, work_limit=10, secondary=False))
        .solve()
        .assigned,
    )
    physician = problem.skill_index["physician"]
    away = {
        problem.volunteer_ids[v]
        for v in range(problem.num_volunteers)
        if problem.volunteer_skill_level[v, physician]
    }
    away = set(sorted(away)[:10])
    base["volunteers"] = [v for v in base["volunteers"] if v["id"] not in away]
    changed = compile_data(base)
    scratch = make_solver(
        changed, SolveOptions(time_limit=600, work_limit=30, secondary=False)
    ).solve()
    assert scratch.status == "optimal"
    solver = make_solver(
        changed,
        SolveOptions(time_limit=600, work_limit=20, secondary=False),
        baseline=baseline_from_triples(changed, published),
    )
    assert isinstance(solver, NeighbourhoodReplanner)
    replanned = solver.solve()
    assert replanned.coverage_bound == scratch.coverage_bound


def test_a_large_replan_with_locks_that_clash_is_infeasible(tmp_path: Path) -> None:
    # A has one bed and two nurses locked in it: no roster, whatever the published one.
    # The neighbourhood re-plan returned both in A (H6 broken) with exit 0.
    data = make_instance(
        volunteers=[volunteer("n1"), volunteer("n2")],
        camps=[camp("A", capacity=1, requirements=[requirement("nurse", count=2)])],
        locked=[{"volunteer": v, "camp": "A", "skill": "nurse"} for v in ("n1", "n2")],
    )
    instance = write_instance(tmp_path / "clash.json", data)
    published = tmp_path / "published.json"
    published.write_text(json.dumps({"status": "feasible", "assignments": []}))
    args = ["solve", str(instance), "--baseline", str(published), "--method", "large", "-q"]
    result = CliRunner().invoke(main, [*args, "--time-limit", "5"])
    assert result.exit_code == 3, result.output


def test_the_lp_guided_start_of_a_replan_keeps_the_published_holder_among_equals() -> None:
    # c1 needs a leader (essential) and a nurse; n_a and n_b are equal nurses and n_b
    # was published (a, the lower index, is what the greedy takes among equals). The
    # LP-guided greedy of a solve from scratch, run inside the re-plan after the
    # season's LP, prefers the published holder: the start it offers is the published
    # roster (0 changes), checked by the independent checker.
    import time

    import numpy as np

    from campplanner.model.rules import runnable_camps
    from campplanner.solver.bounds import restricted_lp
    from campplanner.solver.neighbourhood import NeighbourhoodReplanner, _ReplanIncumbent

    data = make_instance(
        volunteers=[volunteer("lead", skills={"leader": 1}), volunteer("n_a"), volunteer("n_b")],
        camps=[camp("c1", requirements=[requirement("leader", essential=True), requirement()])],
    )
    instance = load_data(data)
    problem = compile_instance(instance)
    published = [("lead", "c1", "leader"), ("n_b", "c1", "nurse")]
    baseline = baseline_from_triples(problem, published)
    replanner = NeighbourhoodReplanner(
        problem, SolveOptions(time_limit=600, work_limit=1, secondary=False), baseline
    )
    runnable = runnable_camps(problem)
    # no requirement saturated: every candidate is a column of the LP
    lp = restricted_lp(problem, runnable, np.zeros(problem.num_requirements, bool), 600)
    assert lp is not None
    incumbent = _ReplanIncumbent(problem, time.monotonic(), None, replanner._changes)
    replanner._guided_start(lp, runnable, incumbent, time.monotonic() + 600)
    assert incumbent.roster is not None
    assert sorted(roster_triples(problem, incumbent.roster)) == sorted(published)
    assert replanner._changes(incumbent.roster) == 0
    assert check_roster(instance, published).ok
    # the greedy's own choice, before the published people are put back
    from campplanner.solver.greedy import greedy_roster

    chosen = greedy_roster(problem, runnable, cost=replanner._published_costs())
    assert chosen is not None
    assert sorted(roster_triples(problem, chosen)) == sorted(published)


def test_a_replan_runs_one_lp_round_at_the_larger_saturation_that_fits(monkeypatch: Any) -> None:
    # Re-planning, one round of the restricted LP from the first roster: at the larger
    # saturation threshold (fewer requirements saturated, more columns) when its LP is
    # small enough, else at the smaller one, else none (column generation). Two rounds
    # (as a solve from scratch runs them) took twice the time for a worse start with
    # more changes on tight-22k-s1 (docs/benchmarks.md, issue 22).
    from campplanner.generate import generate_instance
    from campplanner.model.rules import runnable_camps
    from campplanner.solver import neighbourhood
    from campplanner.solver.bounds import scarce_candidates
    from campplanner.solver.first_roster import first_roster
    from campplanner.solver.greedy import free_counts
    from campplanner.solver.large import SATURATION

    problem = compile_data(generate_instance(volunteers=300, camps=20, seed=4))
    runnable = runnable_camps(problem)
    free = free_counts(problem, runnable, first_roster(problem))
    small, large = (len(scarce_candidates(problem, runnable, free >= t)) for t in SATURATION)
    assert 0 < small < large  # a larger threshold saturates fewer requirements
    assert neighbourhood.replan_threshold(problem, runnable, free) == SATURATION[-1]
    monkeypatch.setattr(neighbourhood, "LP_MAX_COLUMNS", large - 1)
    assert neighbourhood.replan_threshold(problem, runnable, free) == SATURATION[0]
    monkeypatch.setattr(neighbourhood, "LP_MAX_COLUMNS", small - 1)
    assert neighbourhood.replan_threshold(problem, runnable, free) is None


def tight_dropouts(volunteers: int, seed: int) -> tuple[Any, Any, Any]:
    """A small season of bench_robust.py's *tight* shape, solved and published at equal
    work, then re-planned after its scarcest essential holders drop out (as the
    benchmark's re-plan matrix does at 22,000): (problem, baseline, published problem)."""
    import numpy as np

    from campplanner.generate import generate_instance
    from campplanner.solver.greedy import skill_pressure
    from campplanner.solver.large import LargeSolver

    camps = max(10, round(volunteers * 1_200 / 22_000))
    slots = round(volunteers * 30_000 / 22_000)
    data = generate_instance(volunteers=volunteers, camps=camps, slots=slots, seed=seed)
    before = compile_data(data)
    options = SolveOptions(time_limit=600, work_limit=1, secondary=False)
    published = roster_triples(before, LargeSolver(before, options).solve().assigned)
    pressure = skill_pressure(before)
    essential = {
        (
            before.camp_ids[int(before.requirement_camp[r])],
            before.skill_ids[int(before.requirement_skill[r])],
        )
        for r in np.flatnonzero(before.requirement_essential)
    }
    serving = sorted(
        {
            (float(pressure[before.skill_index[s]]), v)
            for v, c, s in published
            if (c, s) in essential
        }
    )
    gone = {v for _, v in serving[::-1][: max(3, volunteers // 100)]}
    for person in data["volunteers"]:
        if person["id"] in gone:
            person["available"] = []
    problem = compile_data(data)
    return problem, baseline_from_triples(problem, published), before


def plain_refill_changes(problem: Any, baseline: Any) -> tuple[int, int]:
    """bench_robust.py's plain refill (``model.baseline.plain_refill``): (coverage, changes)."""
    import numpy as np

    from campplanner.model.baseline import plain_refill
    from campplanner.model.terms import coverage

    roster = plain_refill(problem, baseline)
    return coverage(problem, roster), len(np.setxor1d(roster, baseline.kept)) + len(
        baseline.dropped
    )


def test_a_replan_at_equal_work_covers_as_much_as_a_fresh_solve_with_fewer_changes() -> None:
    # Issue 22's re-plan targets at small scale, at equal work (no clock): the re-plan
    # of the large method covers at least what a solve from scratch covers with the
    # same work, with no more changes than the plain refill (which covers less here:
    # 1,344 against 1,556), and with the fewest changes the exact model proves for that
    # coverage.
    from campplanner.solver.large import LargeSolver
    from campplanner.solver.neighbourhood import NeighbourhoodReplanner

    problem, baseline, _ = tight_dropouts(400, seed=2)
    options = SolveOptions(time_limit=600, work_limit=1, secondary=False)
    fresh = LargeSolver(problem, options).solve()
    replanned = NeighbourhoodReplanner(problem, options, baseline).solve()
    refill_coverage, refill_changes = plain_refill_changes(problem, baseline)
    assert replanned.coverage is not None and fresh.coverage is not None
    assert replanned.coverage >= fresh.coverage > refill_coverage
    assert replanned.changes is not None and replanned.changes <= refill_changes
    exact = CpSatSolver(
        problem, SolveOptions(time_limit=600, work_limit=30, secondary=False), baseline=baseline
    ).solve()
    assert exact.coverage == replanned.coverage  # both optimal
    assert exact.changes == exact.changes_bound == replanned.changes  # fewest, proven


def test_a_replan_reports_the_refilled_published_roster_before_any_lp() -> None:
    # The first roster of a re-plan is the published one refilled, reported as soon as
    # it exists: before the season's bound, its LP and the starts it guides (on a
    # season that is the difference between about 7 s and 20 s). Event order, not time.
    import numpy as np

    from campplanner.solver.first_roster import GreedyPass, greedy_order
    from campplanner.solver.neighbourhood import NeighbourhoodReplanner, refilled_start

    problem, baseline, _ = tight_dropouts(400, seed=2)
    events: list[tuple[str, int | None]] = []
    options = SolveOptions(time_limit=600, work_limit=1, secondary=False)
    NeighbourhoodReplanner(problem, options, baseline).solve(
        lambda elapsed, coverage, bound, stage="": events.append((stage, coverage))
    )
    first = next(i for i, (_, coverage) in enumerate(events) if coverage is not None)
    assert events[first][0] == "published, refilled"
    stages = [stage for stage, _ in events]
    # the bound phase (counting, the restricted LP, the scarce cores) comes after
    assert first < stages.index("bound")
    assert set(stages[: stages.index("bound")]) <= {
        "published, refilled",
        "greedy, published first",
    }
    # built from the candidates of the requirements with room alone, it is the roster
    # of the whole season's order (published first among equals)
    prefer = np.zeros(problem.num_candidates, dtype=bool)
    prefer[baseline.kept] = True
    whole = GreedyPass(problem, greedy_order(problem, prefer))
    assert np.array_equal(
        refilled_start(problem, baseline.kept),
        refilled_start(problem, baseline.kept, passes=whole),
    )


def test_the_greedy_order_among_some_candidates_is_their_order_in_the_whole() -> None:
    import numpy as np

    from campplanner.solver.first_roster import greedy_order

    problem, baseline, _ = tight_dropouts(400, seed=2)
    prefer = np.zeros(problem.num_candidates, dtype=bool)
    prefer[baseline.kept] = True
    whole = greedy_order(problem, prefer)
    among = np.flatnonzero(np.random.default_rng(0).random(problem.num_candidates) < 0.1)
    assert np.array_equal(greedy_order(problem, prefer, among), whole[np.isin(whole, among)])
