"""Recommended fit, both ways (``campplanner fit``, whatif.fit): the best camps for a
late volunteer and the best volunteers for one slot, each worked out by hand below,
every roster rule counted (slots and beds, essentials, conflicts, most camps)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from builders import camp, make_instance, requirement, volunteer, write_instance
from campplanner.app.scenarios import fit
from campplanner.cli import main

LATE = {"id": "late", "name": "late", "home": "arak", "skills": {"nurse": 1, "leader": 1}}
LATE["gender"] = "m"


def season() -> dict[str, Any]:
    # Five camps on separate weeks (no conflicts), one nurse n1 published in B.
    #   A priority 1: one nurse slot, empty.                      late -> +1
    #   B priority 3: one nurse slot held by n1, one bed.         late takes n1's place: 0,
    #      but n1 is then free for E (08-20..08-22, priority 4, late is not): +4
    #   C priority 2: an essential leader (nobody has one) and a nurse: cancelled.
    #      late as leader runs it: +2 (as nurse it still cannot run: 0)
    #   D priority 5: a women's camp.                             late is a man: gender
    #   E priority 4: 08-20..08-22, late is free only to 08-15.  dates
    # Best: B with n1 moving to E (+4), C as leader (+2), then A (+1); D gender; E dates.
    week = [("07-01", "07-03"), ("07-08", "07-10"), ("07-15", "07-17"), ("07-22", "07-24")]
    days = [{"start": f"2021-{a}", "end": f"2021-{b}"} for a, b in week]
    return make_instance(
        volunteers=[volunteer("n1")],
        camps=[
            camp("A", **days[0]),
            camp("B", capacity=1, priority=3, **days[1]),
            camp(
                "C",
                priority=2,
                requirements=[requirement("leader", essential=True), requirement("nurse")],
                **days[2],
            ),
            camp("D", gender="f", priority=5, **days[3]),
            camp("E", start="2021-08-20", end="2021-08-22", priority=4),
        ],
    )


def files(
    tmp_path: Path, data: dict[str, Any], roster: list[tuple[str, str, str]]
) -> tuple[str, str]:
    instance = write_instance(tmp_path / "season.json", data)
    solution = tmp_path / "published.json"
    assignments = [{"volunteer": v, "camp": c, "skill": s} for v, c, s in roster]
    solution.write_text(json.dumps({"status": "feasible", "assignments": assignments}))
    return str(instance), str(solution)


def late_file(tmp_path: Path, record: dict[str, Any]) -> str:
    path = tmp_path / "late.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    return str(path)


def test_the_best_camps_for_a_late_volunteer(tmp_path: Path) -> None:
    instance, solution = files(tmp_path, season(), [("n1", "B", "nurse")])
    record = {**LATE, "available": [["2021-06-01", "2021-08-15"]]}
    answer = fit(instance, solution, volunteer_path=late_file(tmp_path, record)).as_dict()
    ranked = [(o["camp"], o["skill"], o["coverage_change"]) for o in answer["options"]]
    assert ranked == [("B", "nurse", 4), ("C", "leader", 2), ("A", "nurse", 1)]
    assert answer["options"][0]["moved_to"] == {"volunteer": "n1", "camp": "E", "skill": "nurse"}
    why = {entry["camp"]: entry["cause"] for entry in answer["not_possible"]}
    assert why == {"D": "gender", "E": "dates"}
    # the score change: the km late travels (27.5 road km; weight 1, whole km counted:
    # 55 - round(27.5) = 27); n1 moving from B to E travels as far as before
    assert [(o["km"], o["score_change"]) for o in answer["options"]] == [(27.5, 27.0)] * 3
    assert answer["options"][1]["displaces"] == [] and answer["options"][1]["cancels"] == []


def test_a_late_volunteer_who_helps_only_by_someone_moving(tmp_path: Path) -> None:
    # A 07-01..07-03 priority 1: one nurse slot, empty. B 07-08..07-10 priority 3: one
    # nurse slot and one bed, n1 in it. late is free 07-06..07-12 only: not for A.
    # late -> B alone: takes n1's place, 3 - 3 = 0. But n1 is free for A: n1 -> A (+1)
    # and late -> B (0): +1, naming n1 and where she goes. Best: B, +1.
    data = make_instance(
        volunteers=[volunteer("n1")],
        camps=[
            camp("A", start="2021-07-01", end="2021-07-03"),
            camp("B", start="2021-07-08", end="2021-07-10", capacity=1, priority=3),
        ],
    )
    instance, solution = files(tmp_path, data, [("n1", "B", "nurse")])
    record = {**LATE, "available": [["2021-07-06", "2021-07-12"]]}
    answer = fit(instance, solution, volunteer_path=late_file(tmp_path, record)).as_dict()
    [option] = answer["options"]
    assert (option["camp"], option["coverage_change"]) == ("B", 1)
    assert option["displaces"] == [{"volunteer": "n1", "camp": "B", "skill": "nurse"}]
    assert option["moved_to"] == {"volunteer": "n1", "camp": "A", "skill": "nurse"}
    assert {n["camp"]: n["cause"] for n in answer["not_possible"]} == {"A": "dates"}
    said = CliRunner().invoke(
        main, ["fit", instance, solution, "--volunteer", late_file(tmp_path, record)]
    )
    assert "n1 moves to nurse in A" in " ".join(said.output.split())


def test_a_slot_ranks_who_would_have_to_move(tmp_path: Path) -> None:
    # X priority 3, 07-01..07-05, two nurse slots, x1 in one. Y priority 1, 07-03..07-06
    # (overlaps X), one nurse slot held by b1. f1 is free.
    #   f1 takes the empty slot: +3, nobody moves.
    #   b1 must leave Y (overlap): +3 - 1 = +2, leaves Y.
    # -> f1 (+3), then b1 (+2, leaves Y). x1 is there already.
    data = make_instance(
        volunteers=[volunteer("x1"), volunteer("b1"), volunteer("f1")],
        camps=[
            camp("X", priority=3, requirements=[requirement("nurse", count=2)]),
            camp("Y", start="2021-07-03", end="2021-07-06"),
        ],
    )
    instance, solution = files(tmp_path, data, [("x1", "X", "nurse"), ("b1", "Y", "nurse")])
    answer = fit(instance, solution, camp_id="X", skill_id="nurse").as_dict()
    ranked = [(o["volunteer"], o["coverage_change"]) for o in answer["options"]]
    assert ranked == [("f1", 3), ("b1", 2)]
    assert answer["options"][1]["leaves"] == [{"volunteer": "b1", "camp": "Y", "skill": "nurse"}]
    assert answer["options"][0]["moves"] == 0 and answer["options"][1]["moves"] == 1


def test_a_new_slot_of_a_full_role(tmp_path: Path) -> None:
    # X asks one nurse, held by x1; a new (second) nurse slot: f1 free -> +1 (a bed is
    # left: capacity 10). Without the new slot, f1 could only take x1's place (0).
    data = make_instance(volunteers=[volunteer("x1"), volunteer("f1")], camps=[camp("X")])
    instance, solution = files(tmp_path, data, [("x1", "X", "nurse")])
    answer = fit(instance, solution, camp_id="X", skill_id="nurse").as_dict()
    assert [(o["volunteer"], o["coverage_change"], o["displaces"]) for o in answer["options"]] == [
        ("f1", 1, [])
    ]


def test_fit_through_the_cli_in_both_languages(tmp_path: Path) -> None:
    instance, solution = files(tmp_path, season(), [("n1", "B", "nurse")])
    late = late_file(tmp_path, {**LATE, "available": [["2021-06-01", "2021-08-15"]]})
    runner = CliRunner()
    result = runner.invoke(main, ["fit", instance, solution, "--volunteer", late])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "The best camps for late" in said and "is not of the camp's gender" in said
    assert "instance changed" not in said  # the late volunteer is no change of the file
    result = runner.invoke(main, ["fit", instance, solution, "--volunteer", late, "--lang", "fa"])
    assert "بهترین اردوها برای late" in result.output and "Camps" not in result.output
    # every number in Persian digits: the rank, coverage, score and km (issue 25)
    assert not re.search("[0-9]", re.sub(r"\b[a-z][\w-]*\b|/\S+", "", result.output))
    result = runner.invoke(
        main, ["fit", instance, solution, "--camp", "A", "--skill", "nurse", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["camp"] == "A"


def test_bad_fit_requests_are_one_clear_message(tmp_path: Path) -> None:
    instance, solution = files(tmp_path, season(), [("n1", "B", "nurse")])
    runner = CliRunner()
    bad = late_file(tmp_path, {**LATE, "home": "nowhere"})
    cases = [
        (["--volunteer", bad], "late.json: 1 problem"),
        (["--camp", "A"], "--skill"),
        (["--camp", "Z", "--skill", "nurse"], "no such camp"),
        (["--camp", "A", "--skill", "mason"], "camp A asks for nurse"),
        ([], "either --volunteer"),
    ]
    for extra, expected in cases:
        result = runner.invoke(main, ["fit", instance, solution, *extra])
        assert result.exit_code == 2, (extra, result.output)
        assert expected in " ".join(result.output.split()), (extra, result.output)
        assert "Traceback" not in result.output
    result = runner.invoke(main, ["fit", instance, solution, "--volunteer", bad])
    assert "home" in result.output and "volunteers[" not in result.output
