"""Reasons for empty slots and cancelled camps, infeasible cores, and the objective breakdown.

Each micro-instance below has one camp ``c1`` (2021-07-01..05 in the village, ~20 km
from town) with a leader slot that ``L`` fills, so the camp runs, and one nurse slot
that stays empty for exactly one reason. Cancelled camps and cores follow.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from builders import (
    TINY_PATH,
    camp,
    compile_data,
    make_instance,
    requirement,
    triples,
    volunteer,
    write_instance,
)
from campplanner.cli import main
from campplanner.contract.instance import load_instance
from campplanner.explain import (
    CAUSES,
    FUNNEL,
    CampReason,
    SlotReason,
    explain_roster,
    objective_breakdown,
    roster_from_assignments,
)
from campplanner.model.compile import compile_instance
from campplanner.model.problem import Problem
from campplanner.model.terms import SECONDARY, secondary_terms
from campplanner.solver import CpSatSolver, SolveOptions
from campplanner.solver.conflicts import find_lock_conflict
from test_solver_properties import instances as random_instances

LEADER = volunteer("L", skills={"leader": 1})
TWO_ROLES = [requirement("leader"), requirement("nurse")]


def solved(problem: Problem) -> np.ndarray:
    result = CpSatSolver(problem, SolveOptions(time_limit=10, secondary=False)).solve()
    assert result.status == "optimal"
    return result.assigned


def only_slot_reason(data: dict[str, Any]) -> SlotReason:
    """Solve, and return the one reason given for the one unfilled slot."""
    problem = compile_data(data)
    explanation = explain_roster(problem, solved(problem))
    assert not explanation.cancelled
    assert len(explanation.slots) == 1
    slot = explanation.slots[0]
    assert problem.skill_ids[problem.requirement_skill[slot.requirement]] == "nurse"
    assert slot.cause in CAUSES
    return slot


def nurse_case(nurse: dict[str, Any] | None, **fields: Any) -> dict[str, Any]:
    volunteers = [LEADER] + ([nurse] if nurse else [])
    camps = fields.pop("camps", [camp("c1", requirements=TWO_ROLES, **fields.pop("camp", {}))])
    return make_instance(volunteers=volunteers, camps=camps, **fields)


# ------------------------------------------------------------------ one case per reason


def test_nobody_has_the_skill() -> None:
    slot = only_slot_reason(nurse_case(volunteer("v2", skills={"mason": 3})))
    assert slot.cause == "no_skill"
    assert "nobody in the file has nurse" in slot.why
    assert slot.fix.startswith("1 more person with nurse, available 2021-07-01 to 2021-07-05")


def test_the_skill_below_the_level() -> None:
    data = nurse_case(volunteer("v2", skills={"nurse": 1}))
    data["camps"][0]["requirements"][1]["level"] = 2
    slot = only_slot_reason(data)
    assert slot.cause == "level"
    assert "v2 level 1" in slot.why
    assert "nurse at level 2+" in slot.fix
    assert slot.fix.endswith("; or accept level 1, which 1 person below level 2 has")


def test_an_expired_qualification_is_not_called_a_level_below() -> None:
    # v2 is a level-2 nurse whose nursing expires before the camp ends (valid_until):
    # H1 drops her at the level stage, but she is not "below level 2", and accepting a
    # lower level would not bring her.
    nurse = volunteer("v2", skills={"nurse": 2}, valid_until={"nurse": "2021-07-02"})
    data = nurse_case(nurse)
    data["camps"][0]["requirements"][1]["level"] = 2
    slot = only_slot_reason(data)
    assert slot.cause == "level"
    assert "v2 level" not in slot.why
    assert "accept level" not in slot.fix


def test_not_available_for_the_whole_camp() -> None:
    nurse = volunteer("v2", available=[["2021-07-03", "2021-07-20"]])
    slot = only_slot_reason(nurse_case(nurse))
    assert slot.cause == "dates"
    assert "v2 available 2021-07-03..2021-07-20" in slot.why
    assert dict(slot.funnel.stages)["level"] == 1 and slot.funnel.qualified == 0


def test_not_of_the_camps_gender() -> None:
    leader = volunteer("L", skills={"leader": 1}, gender="f")
    data = make_instance(
        volunteers=[leader, volunteer("v2", gender="m")],
        camps=[camp("c1", requirements=TWO_ROLES, gender="f")],
    )
    slot = only_slot_reason(data)
    assert slot.cause == "gender"
    assert "for women only" in slot.why
    assert slot.fix.startswith("1 more woman with nurse")


def test_too_far_from_home() -> None:
    slot = only_slot_reason(nurse_case(volunteer("v2", max_km=5)))
    assert slot.cause == "distance"
    assert "max 5 km" in slot.why
    assert "or v2 agrees to travel" in slot.fix


def test_forbidden_at_the_camp() -> None:
    data = nurse_case(volunteer("v2"), forbidden=[{"volunteer": "v2", "camp": "c1"}])
    slot = only_slot_reason(data)
    assert slot.cause == "forbidden"
    assert "lift the forbidden entry of v2" in slot.fix


def test_may_join_no_camp() -> None:
    slot = only_slot_reason(nurse_case(volunteer("v2", max_camps=0)))
    assert slot.cause == "no_camps"


def test_serving_in_an_overlapping_camp_of_higher_priority() -> None:
    # v2 is the only nurse; c0 (priority 5) overlaps c1 (priority 1): v2 goes to c0.
    camps = [
        camp("c0", priority=5, start="2021-07-03", end="2021-07-06"),
        camp("c1", requirements=TWO_ROLES),
    ]
    slot = only_slot_reason(nurse_case(volunteer("v2"), camps=camps))
    assert slot.cause == "busy"
    assert [(b.volunteer, b.camp, b.rule) for b in slot.busy] == [(1, 0, "H4")]
    assert "c0 as nurse (priority 5, overlaps)" in slot.why
    assert slot.fix.startswith("1 more person with nurse, free 2021-07-01 to 2021-07-05")


def test_serving_in_a_camp_that_leaves_too_little_rest() -> None:
    # c0 ends 2021-06-29, c1 starts 2021-07-01: 1 free day, the rules ask for 2 (H4).
    camps = [
        camp("c0", priority=5, start="2021-06-25", end="2021-06-29"),
        camp("c1", requirements=TWO_ROLES),
    ]
    data = nurse_case(volunteer("v2", max_camps=3), camps=camps, rules={"rest_days": 2})
    slot = only_slot_reason(data)
    assert slot.cause == "busy"
    assert "c0 as nurse (priority 5, 1 rest day between, 2 needed)" in slot.why


def test_serving_elsewhere_at_most_camps() -> None:
    # c0 does not overlap c1, but v2 may join one camp only (H5).
    camps = [
        camp("c0", priority=5, start="2021-08-01", end="2021-08-03"),
        camp("c1", requirements=TWO_ROLES),
    ]
    slot = only_slot_reason(nurse_case(volunteer("v2"), camps=camps))
    assert slot.cause == "busy"
    assert {b.rule for b in slot.busy} == {"H5"}
    assert "max 1 camp" in slot.why


def test_beds_ran_out() -> None:
    # Capacity 1: L and v2 cannot both sleep there; coverage 1 either way.
    data = nurse_case(volunteer("v2"), camp={"capacity": 1})
    problem = compile_data(data)
    explanation = explain_roster(problem, solved(problem))
    (slot,) = explanation.slots
    assert slot.cause == "beds"
    assert slot.fix == "1 more bed at c1"


def test_a_roster_that_is_not_the_best() -> None:
    problem = compile_data(nurse_case(volunteer("v2")))
    leader_only = roster_from_assignments(problem, [("L", "c1", "leader")])
    (slot,) = explain_roster(problem, leader_only, status="feasible").slots
    assert slot.cause == "improvable"
    assert "--time-limit" in slot.fix


def test_every_funnel_stage_has_a_reason() -> None:
    assert set(FUNNEL) <= set(CAUSES)


# ---------------------------------------------------------------------- cancelled camps


def cancelled_reason(data: dict[str, Any]) -> CampReason:
    problem = compile_data(data)
    explanation = explain_roster(problem, solved(problem))
    (reason,) = [c for c in explanation.cancelled if problem.camp_ids[c.camp] == "c1"]
    return reason


def test_cancelled_for_want_of_an_essential_role() -> None:
    data = make_instance(
        volunteers=[volunteer("v2")],
        camps=[camp("c1", requirements=[requirement("leader", essential=True), requirement()])],
    )
    reason = cancelled_reason(data)
    assert reason.cause == "essential"
    assert reason.root_cause == "no_skill"
    assert "essential role leader could not be filled" in reason.why
    assert "1 more person with leader" in reason.fix


def test_cancelled_because_the_essential_person_serves_elsewhere() -> None:
    camps = [
        camp("c0", priority=5, requirements=[requirement("leader")]),
        camp("c1", requirements=[requirement("leader", essential=True), requirement()]),
    ]
    data = make_instance(volunteers=[LEADER, volunteer("v2")], camps=camps)
    reason = cancelled_reason(data)
    assert reason.root_cause == "busy"
    assert "c0 as leader (priority 5, overlaps)" in reason.why


def test_cancelled_because_one_of_two_essential_nurses_serves_elsewhere() -> None:
    # c1 needs two nurses to run; one of v1, v2 serves in c0 (priority 5, overlapping).
    camps = [
        camp("c0", priority=5),
        camp("c1", requirements=[requirement(count=2, essential=True)]),
    ]
    data = make_instance(volunteers=[volunteer("v1"), volunteer("v2")], camps=camps)
    reason = cancelled_reason(data)
    assert reason.root_cause == "busy"
    assert "only 1 is free" in reason.why
    assert reason.fix.startswith("1 more person with nurse, free 2021-07-01 to 2021-07-05")


def test_a_camp_without_essential_roles_whose_people_serve_elsewhere() -> None:
    camps = [camp("c0", priority=5), camp("c1")]
    reason = cancelled_reason(make_instance(volunteers=[volunteer("v1")], camps=camps))
    assert reason.cause == "nobody"
    assert reason.root_cause == "busy"


def test_a_cancelled_camp_someone_free_could_run() -> None:
    problem = compile_data(make_instance(volunteers=[volunteer("v1")]))
    (reason,) = explain_roster(problem, np.zeros(0, np.int64), "feasible").cancelled
    assert reason.cause == "improvable"
    assert "free people could fill its slots" in reason.why


def test_cancelled_because_one_person_is_needed_for_two_essential_roles() -> None:
    both = volunteer("v1", skills={"leader": 1, "nurse": 1})
    essentials = [requirement("leader", essential=True), requirement("nurse", essential=True)]
    data = make_instance(volunteers=[both], camps=[camp("c1", requirements=essentials)])
    reason = cancelled_reason(data)
    assert reason.cause == "shared"
    assert "the free people who could: v1" in reason.why
    assert reason.fix == "1 more person for leader, nurse, free 2021-07-01 to 2021-07-05"


def test_cancelled_because_the_essential_roles_need_more_beds() -> None:
    essentials = [requirement("leader", essential=True), requirement("nurse", essential=True)]
    data = make_instance(
        volunteers=[LEADER, volunteer("v2")],
        camps=[camp("c1", capacity=1, requirements=essentials)],
    )
    reason = cancelled_reason(data)
    assert reason.cause == "beds"
    assert reason.fix == "1 more bed at c1"


def test_tiny_explained() -> None:
    problem = compile_instance(load_instance(TINY_PATH))
    assigned = solved(problem)
    explanation = explain_roster(problem, assigned)
    assert [(problem.camp_ids[s.camp], s.cause) for s in explanation.slots] == [("c2", "busy")]
    assert explanation.slot_counts() == {"busy": 1}


# ------------------------------------------------------------------------------ cores

HARMLESS = [
    {"volunteer": "h1", "camp": "far", "skill": "nurse"},
    {"volunteer": "h2", "camp": "far", "skill": "mason"},
]


def core_case(
    volunteers: list[dict[str, Any]],
    camps: list[dict[str, Any]],
    locked: list[dict[str, str]],
    **kw: Any,
) -> Problem:
    """Add two harmless locks in a camp of its own, before and after the tested ones."""
    far = camp(
        "far",
        start="2021-09-01",
        end="2021-09-05",
        requirements=[requirement("nurse"), requirement("mason")],
    )
    people = [volunteer("h1"), volunteer("h2", skills={"mason": 1})]
    data = make_instance(
        volunteers=people + volunteers,
        camps=[far, *camps],
        locked=[HARMLESS[0], *locked, HARMLESS[1]],
        **kw,
    )
    return compile_data(data)


def lock(v: str, c: str, s: str = "nurse") -> dict[str, str]:
    return {"volunteer": v, "camp": c, "skill": s}


def test_two_conflicting_locks_are_named() -> None:
    # v1 locked into A and B, which overlap (H4); locked[0] and locked[3] are harmless.
    problem = core_case(
        [volunteer("v1")], [camp("A"), camp("B")], [lock("v1", "A"), lock("v1", "B")]
    )
    conflict = find_lock_conflict(problem)
    assert conflict is not None and conflict.minimal
    assert conflict.locks == (1, 2)
    assert conflict.rule == "H4"
    assert conflict.named[0].startswith("locked[1]: v1 as nurse in A, 2021-07-01 to 2021-07-05")

    result = CpSatSolver(problem, SolveOptions(time_limit=10)).solve()
    assert result.status == "infeasible"
    assert result.infeasible_reasons[0].startswith("H4: v1 is locked into camps that overlap")
    assert [line.split(":")[0] for line in result.infeasible_reasons[1:]] == [
        "locked[1]",
        "locked[2]",
    ]


def test_three_conflicting_locks_are_named() -> None:
    # Three nurses locked into two nurse slots: any two fit, the three do not (H6).
    # A fourth lock (v4 as mason in A) is unrelated and must not be named.
    people = [volunteer(v) for v in ("v1", "v2", "v3")] + [volunteer("v4", skills={"mason": 1})]
    camps = [camp("A", requirements=[requirement("nurse", count=2), requirement("mason")])]
    locked = [lock("v1", "A"), lock("v4", "A", "mason"), lock("v2", "A"), lock("v3", "A")]
    problem = core_case(people, camps, locked)
    conflict = find_lock_conflict(problem)
    assert conflict is not None and conflict.minimal
    assert conflict.locks == (1, 3, 4)
    assert conflict.rule == "H6"


def test_three_locks_break_max_camps() -> None:
    # v1 may join 2 camps; three locks in camps a week apart: H5.
    people = [volunteer("v1", max_camps=2), volunteer("v2")]
    camps = [
        camp("A"),
        camp("B", start="2021-07-10", end="2021-07-12"),
        camp("C", start="2021-07-20", end="2021-07-22"),
    ]
    locked = [lock("v1", "A"), lock("v2", "B"), lock("v1", "B"), lock("v1", "C")]
    # v2 and v1 in B: B has one nurse slot, so {locked[2], locked[3]} conflict too (H6);
    # give B two slots so that only H5 remains.
    camps[1]["requirements"] = [requirement("nurse", count=2)]
    problem = core_case(people, camps, locked)
    conflict = find_lock_conflict(problem)
    assert conflict is not None
    assert conflict.locks == (1, 3, 4)
    assert conflict.rule == "H5"


def test_a_lock_that_forces_a_camp_with_an_unfillable_essential_role() -> None:
    # v1 locked into A, which needs a leader; L, the only leader, is locked into B (overlap).
    camps = [
        camp("A", requirements=[requirement("leader", essential=True), requirement()]),
        camp("B", requirements=[requirement("leader")]),
    ]
    problem = core_case(
        [volunteer("v1"), LEADER], camps, [lock("v1", "A"), lock("L", "B", "leader")]
    )
    conflict = find_lock_conflict(problem)
    assert conflict is not None and conflict.locks == (1, 2)
    assert conflict.rule == "H9"


def test_compatible_locks_have_no_conflict() -> None:
    problem = core_case([volunteer("v1")], [camp("A")], [lock("v1", "A")])
    assert find_lock_conflict(problem) is None


# --------------------------------------------------------------------- objective breakdown


@pytest.mark.parametrize("secondary", [False, True])
def test_breakdown_sums_to_the_roster_totals(secondary: bool) -> None:
    problem = compile_instance(load_instance(TINY_PATH))
    result = CpSatSolver(problem, SolveOptions(time_limit=10, secondary=secondary)).solve()
    breakdown = objective_breakdown(problem, result.assigned)
    terms = secondary_terms(problem, result.assigned)
    assert breakdown.coverage == result.coverage == 29
    # every term's split sums to the roster's value, whichever way it is split
    for term in SECONDARY:
        assert breakdown.total(term) == pytest.approx(terms[term.name])
        if term.per_volunteer is not None:
            total = sum(v.terms[term.name] for v in breakdown.volunteers)
            assert total == pytest.approx(terms[term.name])
    assert sum(v.terms["coverage"] for v in breakdown.volunteers) == result.coverage
    assert sum(c.filled for c in breakdown.camps) == len(result.assigned)


def test_breakdown_charges_a_group_split_to_the_smaller_camp() -> None:
    # g1 has two members in c1 and one in c2: one split, charged to c2.
    people = [volunteer(v, group="g1") for v in ("a", "b", "c")]
    camps = [
        camp("c1", requirements=[requirement(count=2)]),
        camp("c2", start="2021-08-01", end="2021-08-03"),
    ]
    problem = compile_data(make_instance(volunteers=people, camps=camps))
    roster = roster_from_assignments(
        problem, [("a", "c1", "nurse"), ("b", "c1", "nurse"), ("c", "c2", "nurse")]
    )
    breakdown = objective_breakdown(problem, roster)
    assert [c.terms["group"] for c in breakdown.camps] == [0, 1]
    assert secondary_terms(problem, roster)["group"] == 1


# ----------------------------------------------------------------------------------- CLI


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def tiny_solution(tmp_path_factory: pytest.TempPathFactory) -> str:
    output = tmp_path_factory.mktemp("explain") / "tiny.solution.json"
    assert invoke("solve", str(TINY_PATH), "-o", str(output), "-q").exit_code == 0
    return str(output)


def test_explain_command_prints_reasons_and_costs(tiny_solution: str) -> None:
    result = invoke("explain", str(TINY_PATH), tiny_solution)
    assert result.exit_code == 0, result.output
    for text in ("busy", "v01", "fix:", "Objective per camp", "Objective per volunteer", "29"):
        assert text in result.output


def test_explain_rounds_km_as_the_solution_file_does(tiny_solution: str) -> None:
    """One rounding: the breakdown's total road km (per camp and per volunteer) reads as the
    solution file's secondary.travel_km (one decimal), not rounded once more to whole km."""
    written = json.loads(Path(tiny_solution).read_text(encoding="utf-8"))["secondary"]
    result = invoke("explain", str(TINY_PATH), tiny_solution)
    totals = [line for line in result.output.splitlines() if "total" in line]
    assert len(totals) == 2, result.output
    for line in totals:
        assert f" {written['travel_km']:,.1f} " in line, (line, written)


def test_explain_one_camp_and_one_volunteer(tiny_solution: str) -> None:
    camp_view = invoke("explain", str(TINY_PATH), tiny_solution, "--camp", "c2")
    assert camp_view.exit_code == 0, camp_view.output
    assert "mason" in camp_view.output and "c1 " not in camp_view.output
    filled = invoke("explain", str(TINY_PATH), tiny_solution, "--camp", "c1")
    assert "Every slot of this camp is filled" in filled.output

    person = invoke("explain", str(TINY_PATH), tiny_solution, "--volunteer", "v01")
    assert person.exit_code == 0, person.output
    assert "Empty slots v01 could have filled" in person.output
    assert "c2 (" in person.output and "c4 (" in person.output  # camps by name too


@pytest.mark.parametrize("option", ["--camp", "--volunteer"])
def test_explain_unknown_ids_exit_2(tiny_solution: str, option: str) -> None:
    result = invoke("explain", str(TINY_PATH), tiny_solution, option, "[nope]")
    assert result.exit_code == 2
    assert "[nope]" in result.output


def test_explain_refuses_a_roster_the_instance_does_not_allow(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"status": "feasible", "assignments": [{"volunteer": "v08", "camp": "c1", '
        '"skill": "nurse"}]}',
        encoding="utf-8",
    )
    result = invoke("explain", str(TINY_PATH), str(bad))
    assert result.exit_code == 2
    assert "campplanner check" in result.output


def test_solve_prints_the_short_form_and_writes_reasons(tmp_path: Path) -> None:
    # c1 needs a physician (essential) that nobody has: cancelled; c2 runs with a gap.
    data = make_instance(
        volunteers=[volunteer("v1"), volunteer("v2", skills={"leader": 1})],
        camps=[
            camp("c1", requirements=[requirement("mason", essential=True), requirement()]),
            camp(
                "c2",
                start="2021-08-01",
                end="2021-08-03",
                requirements=[*TWO_ROLES, requirement("mason")],
            ),
        ],
    )
    path = write_instance(tmp_path / "short.json", data)
    output = tmp_path / "short.solution.json"
    result = invoke("solve", str(path), "-o", str(output))
    assert result.exit_code == 0, result.output
    assert "Unfilled slots by reason: no_skill 1" in result.output
    assert "Cancelled c1" in result.output and "nobody has the skill" in result.output
    solution = json.loads(output.read_text(encoding="utf-8"))
    (cancelled,) = solution["cancelled_camps"]
    assert cancelled["camp"] == "c1" and cancelled["reason"] == "essential"
    assert cancelled["roles"] == [{"skill": "mason", "reason": "no_skill"}]
    assert [s["reason"] for s in solution["unfilled_slots"]] == ["no_skill"]
    assert invoke("check", str(path), str(output)).exit_code == 0


def test_explain_an_infeasible_solution_names_the_locks(tmp_path: Path) -> None:
    data = make_instance(
        volunteers=[volunteer("v1")],
        camps=[camp("A"), camp("B")],
        locked=[lock("v1", "A"), lock("v1", "B")],
    )
    path = write_instance(tmp_path / "locks.json", data)
    output = tmp_path / "locks.solution.json"
    solved_cli = invoke("solve", str(path), "-o", str(output))
    assert solved_cli.exit_code == 3
    assert "locked[0]" in solved_cli.output and "locked[1]" in solved_cli.output
    explained = invoke("explain", str(path), str(output))
    assert explained.exit_code == 0
    assert "H4" in explained.output and "locked[1]: v1 as nurse in B" in explained.output


# ------------------------------------------------------------------------ properties


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_instances(max_volunteers=6, max_camps=4))
def test_an_optimal_roster_is_never_blamed_and_the_funnel_agrees(data: dict[str, Any]) -> None:
    """If a reason said "improvable", one more assignment would raise coverage: a proven
    optimum never gets that reason. The funnel's last count is the candidate count."""
    problem = compile_data(data)
    result = CpSatSolver(problem, SolveOptions(time_limit=20)).solve()
    if not result.has_roster:
        return
    explanation = explain_roster(problem, result.assigned, result.status)
    pointer, _ = problem.requirement_candidates
    for slot in [*explanation.slots, *(s for c in explanation.cancelled for s in c.short)]:
        count = pointer[slot.requirement + 1] - pointer[slot.requirement]
        assert slot.funnel.qualified == count
    if result.status == "optimal":
        assert all(s.cause != "improvable" for s in explanation.slots)
        assert all(c.cause != "improvable" for c in explanation.cancelled)
    breakdown = objective_breakdown(problem, result.assigned)
    terms = secondary_terms(problem, result.assigned)
    assert breakdown.coverage == result.coverage
    for term in SECONDARY:
        assert breakdown.total(term) == pytest.approx(terms[term.name])


@st.composite
def locked_instances(draw: st.DrawFn) -> dict[str, Any]:
    """Random instances with two to six locks, each on a triple that passes H1, H2, H7,
    H8 and forbidden on its own (so that only the rules between locks can clash)."""
    data = draw(random_instances(max_volunteers=5, max_camps=4))
    data["locked"] = []
    possible = sorted(triples(compile_data(data)))
    assume(len(possible) >= 2)
    chosen = draw(st.lists(st.sampled_from(possible), min_size=2, max_size=6, unique=True))
    data["locked"] = [lock(v, c, s) for v, c, s in chosen]
    return data


def feasible_with(data: dict[str, Any], locks: list[int]) -> bool:
    subset = dict(data, locked=[data["locked"][i] for i in locks])
    result = CpSatSolver(compile_data(subset), SolveOptions(time_limit=20)).solve()
    assert result.status != "unknown"
    return result.status != "infeasible"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(locked_instances())
def test_a_named_conflict_is_infeasible_and_minimal(data: dict[str, Any]) -> None:
    """Judged by re-solving the file with only those locks, and with each one left out."""
    problem = compile_data(data)
    assert not problem.impossible_locks
    conflict = find_lock_conflict(problem)
    if conflict is None:
        assert feasible_with(data, list(range(len(data["locked"]))))
        return
    assert conflict.minimal
    core = list(conflict.locks)
    assert not feasible_with(data, core)
    for left_out in core:
        assert feasible_with(data, [i for i in core if i != left_out])


def test_explain_in_a_real_process(tiny_solution: str) -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            "from campplanner.cli import main; main()",
            "explain",
            str(TINY_PATH),
            tiny_solution,
            "--camp",
            "c2",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "busy" in completed.stdout and "Traceback" not in completed.stderr


def test_locks_too_close_for_the_rest_days() -> None:
    camps = [camp("A"), camp("B", start="2021-07-07", end="2021-07-09")]  # 1 free day
    problem = core_case(
        [volunteer("v1", max_camps=2)],
        camps,
        [lock("v1", "A"), lock("v1", "B")],
        rules={"rest_days": 2},
    )
    conflict = find_lock_conflict(problem)
    assert conflict is not None and conflict.locks == (1, 2)
    assert conflict.summary == "v1 is locked into camps with fewer than 2 rest days between them"


def test_explain_a_file_without_a_roster(tmp_path: Path) -> None:
    unknown = tmp_path / "unknown.json"
    unknown.write_text('{"status": "unknown"}', encoding="utf-8")
    result = invoke("explain", str(TINY_PATH), str(unknown))
    assert result.exit_code == 0
    assert "nothing to explain" in result.output

    data = make_instance(volunteers=[volunteer("v1", max_km=5)], locked=[lock("v1", "c1")])
    path = write_instance(tmp_path / "far.json", data)
    infeasible = tmp_path / "infeasible.json"
    infeasible.write_text('{"status": "infeasible"}', encoding="utf-8")
    result = invoke("explain", str(path), str(infeasible))
    assert result.exit_code == 0
    assert "can never hold" in result.output and "locked[0]: H8" in result.output
