"""``campplanner replace`` on tiny.json: ranked replacements with their effects.

The published roster is fixed by hand (the optimum of 29 found by solve):
  c1 (priority 3): v10 camp_leader, v02 physician, v03 nurse, v07 nurse
  c2 (priority 2): v01 camp_leader, v04 mason (locked), v12 mason, v06 electrician
  c3 (priority 1): v05 teacher, v11 teacher, v09 nurse
  c4 (priority 2): v10 camp_leader, v01 mason, v04 mason
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import claims
from builders import (
    TINY_PATH,
    beds_bind,
    camp,
    compile_data,
    load_data,
    make_instance,
    tiny_data,
    volunteer,
)
from campplanner.cli import main
from campplanner.explain import explain_roster
from campplanner.model.baseline import baseline_from_triples
from campplanner.model.compile import compile_instance
from campplanner.solver import CpSatSolver, SolveOptions
from campplanner.whatif.replace import EmptySlots, suggest_replacements

PUBLISHED = [
    ("v10", "c1", "camp_leader"),
    ("v02", "c1", "physician"),
    ("v03", "c1", "nurse"),
    ("v07", "c1", "nurse"),
    ("v01", "c2", "camp_leader"),
    ("v04", "c2", "mason"),
    ("v12", "c2", "mason"),
    ("v06", "c2", "electrician"),
    ("v05", "c3", "teacher"),
    ("v11", "c3", "teacher"),
    ("v09", "c3", "nurse"),
    ("v10", "c4", "camp_leader"),
    ("v01", "c4", "mason"),
    ("v04", "c4", "mason"),
]


def dropout_of(volunteer: str, camp: str | None = None):  # type: ignore[no-untyped-def]
    problem = compile_data(tiny_data())
    roster = baseline_from_triples(problem, PUBLISHED).kept
    c = None if camp is None else problem.camp_index[camp]
    return problem, suggest_replacements(problem, roster, problem.volunteer_index[volunteer], c)


def test_nurse_dropout_ranks_the_busy_nurse_of_a_lower_priority_camp() -> None:
    # v03 leaves c1: the empty nurse slot costs 3. Nurses who could come: v09 (in c3,
    # priority 1; max_camps 1, so she must leave c3: +3 - 1 = +2). v07 is already in c1.
    problem, dropout = dropout_of("v03")
    assert dropout.loss_if_unreplaced == 3 and dropout.cancelled_if_unreplaced == []
    (slot,) = dropout.slots
    (best,) = dropout.suggestions[slot]
    assert problem.volunteer_ids[best.volunteer] == "v09"
    assert best.coverage_change == 2
    assert [problem.camp_ids[problem.candidate_camp[i]] for i in best.leaves] == ["c3"]
    assert best.cancels == ()  # c3 has no essential requirement


def test_leader_dropout_cancels_camps_and_respects_the_lock() -> None:
    # v10 leads c1 (4 people x 3) and c4 (3 people x 2): unreplaced, both are
    # cancelled (essential leaders): -12 - 6 = -18. The only other level-2 leader for
    # c1 is v01, but he would leave c2 (overlap), cancelling c2 which holds the locked
    # v04: not suggested. c4 needs level 3: nobody.
    problem, dropout = dropout_of("v10")
    assert dropout.loss_if_unreplaced == 18
    assert [problem.camp_ids[c] for c in dropout.cancelled_if_unreplaced] == ["c1", "c4"]
    assert all(not options for options in dropout.suggestions.values())
    assert sum(dropout.blocked_by_locks.values()) == 1


def test_only_the_named_camp() -> None:
    problem, dropout = dropout_of("v10", "c4")
    assert [problem.camp_ids[problem.candidate_camp[i]] for i in dropout.slots] == ["c4"]
    assert dropout.loss_if_unreplaced == 6


def test_replace_command(tmp_path: Path) -> None:
    solution = tmp_path / "published.json"
    assignments = [{"volunteer": v, "camp": c, "skill": s} for v, c, s in PUBLISHED]
    solution.write_text(json.dumps({"status": "optimal", "assignments": assignments}), "utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["replace", str(TINY_PATH), str(solution), "--volunteer", "v03"])
    assert result.exit_code == 0, result.output
    assert "نرگس باقری" in result.output and "+2" in result.output
    assert "Best re-plan" in result.output
    as_json = runner.invoke(
        main, ["replace", str(TINY_PATH), str(solution), "--volunteer", "v03", "--json"]
    )
    data = json.loads(as_json.output)
    assert data["slots"][0]["suggestions"][0] == {
        "volunteer": "v09",
        "km": 213.5,
        "coverage_change": 2,
        "leaves": ["c3"],
        "cancels": [],
        "displaces": [],  # the dropout's bed and slot are free: nobody gives theirs up
    }
    unknown = runner.invoke(main, ["replace", str(TINY_PATH), str(solution), "--volunteer", "x"])
    assert unknown.exit_code == 2 and "no such volunteer" in unknown.output


def test_replace_and_its_replan_are_deterministic(tmp_path: Path) -> None:
    solution = tmp_path / "published.json"
    assignments = [{"volunteer": v, "camp": c, "skill": s} for v, c, s in PUBLISHED]
    solution.write_text(json.dumps({"status": "optimal", "assignments": assignments}), "utf-8")
    runner = CliRunner()
    # on work, not the clock: two clock-cut re-plans may differ on a busy machine
    args = ["replace", str(TINY_PATH), str(solution), "--volunteer", "v10", "--work-limit", "1"]
    first, second = runner.invoke(main, args), runner.invoke(main, args)
    assert first.exit_code == second.exit_code == 0
    assert first.output == second.output  # ranked suggestions and the re-plan's figures


def test_replace_writes_its_ranked_candidates_with_o(tmp_path: Path) -> None:
    """Issue 17: replace had no -o; its suggestions lived only on the screen."""
    solution = tmp_path / "published.json"
    assignments = [{"volunteer": v, "camp": c, "skill": s} for v, c, s in PUBLISHED]
    solution.write_text(json.dumps({"status": "optimal", "assignments": assignments}), "utf-8")
    output = tmp_path / "replacements.json"
    runner = CliRunner()
    args = ["replace", str(TINY_PATH), str(solution), "--volunteer", "v03", "-o", str(output)]
    result = runner.invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(output.read_text(encoding="utf-8"))
    assert data["format"] == "campplanner-replacements/1" and data["volunteer"] == "v03"
    assert data["slots"][0]["suggestions"][0] == {
        "volunteer": "v09",
        "km": 213.5,
        "coverage_change": 2,
        "leaves": ["c3"],
        "cancels": [],
        "displaces": [],  # the dropout's bed and slot are free: nobody gives theirs up
    }
    assert data["replan"]["status"] in ("optimal", "feasible")
    assert data["replan"]["coverage"] >= data["replan"]["published_coverage"] - 2
    assert "changed_assignments" in data["replan"]["changes"]
    # its own earlier output is replaced; anything else needs --force; inputs never
    assert runner.invoke(main, args).exit_code == 0
    stranger = tmp_path / "notes.json"
    stranger.write_text("my notes", encoding="utf-8")
    refused = runner.invoke(main, [*args[:-1], str(stranger)])
    assert refused.exit_code == 2 and "--force" in refused.output
    assert stranger.read_text(encoding="utf-8") == "my notes"
    refused = runner.invoke(main, [*args[:-1], str(solution), "--force"])
    assert refused.exit_code == 2 and "input" in refused.output
    assert [p.name for p in sorted(tmp_path.iterdir())] == [
        "notes.json",
        "published.json",
        "replacements.json",
    ]  # no temporary file left


# ------------------------------------------------------- empty slots, beds binding


def test_no_slot_empty_for_lack_of_beds_is_offered_a_gain_nobody_pays_for() -> None:
    instance = load_data(beds_bind())
    problem = compile_instance(instance)
    result = CpSatSolver(problem, SolveOptions(time_limit=10, secondary=False)).solve()
    assert result.status == "optimal" and result.coverage == 11  # see _beds_bind
    roster = result.assigned
    beds = [s for s in explain_roster(problem, roster).slots if s.cause == "beds"]
    assert sum(s.missing for s in beds) == 2
    assert {problem.camp_ids[s.camp] for s in beds} == {"A"}
    base = {int(i) for i in roster}
    offered = 0
    for slot in beds:
        suggestions, _ = EmptySlots(problem, roster).suggest(slot.requirement, limit=100)
        for s in suggestions:
            offered += 1
            # no bed is left: every newcomer needs someone in A to give their place up,
            # and the net effect is what the checker finds once that is done
            assert s.displaces, problem.volunteer_ids[s.volunteer]
            assert not set(s.displaces) & set(problem.locked_candidates.tolist())
            assert claims.suggestion_lies(instance, problem, base, 11, s) == []
            # a bed in A changes hands: A stays at 9 unless the leader goes (cancelled)
            assert s.coverage_change <= 0
    assert offered >= 2  # the free people, and the masons of B (who would leave B)


# ------------------------------------------------- the dropout stays out of the re-plan


def test_the_best_replan_keeps_the_dropout_out_of_every_camp(tmp_path: Path) -> None:
    """Issue 26: the re-plan forbade the dropout only in the camp they left, then moved
    them to another camp in its best re-plan, and counted them as a call.

    Camps A and B overlap, a nurse slot each; the published roster has v1 in A and B
    empty. v1 drops out: the best re-plan puts v2 in A or B (coverage 1 either way) and
    never v1 in B (coverage 2, but v1 is out); v1's leaving is no call to make."""
    instance = tmp_path / "instance.json"
    instance.write_text(
        json.dumps(
            make_instance(
                volunteers=[volunteer("v1"), volunteer("v2")],
                camps=[camp("A"), camp("B")],
            )
        ),
        "utf-8",
    )
    solution = tmp_path / "published.json"
    solution.write_text(
        json.dumps(
            {
                "status": "feasible",
                "assignments": [{"volunteer": "v1", "camp": "A", "skill": "nurse"}],
            }
        ),
        "utf-8",
    )
    output = tmp_path / "replacements.json"
    args = ["replace", str(instance), str(solution), "--volunteer", "v1", "-o", str(output)]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    replan = json.loads(output.read_text(encoding="utf-8"))["replan"]
    changes = replan["changes"]
    assert replan["coverage"] == 1  # v2 alone: v1 is in no camp
    called = [e["volunteer"] for kind in ("added", "removed", "moved") for e in changes[kind]]
    assert called == ["v2"], changes
    assert changes["people_changed"] == 1 and changes["changed_assignments"] == 1
    assert "v1" not in result.output.split("Who to call")[-1]
