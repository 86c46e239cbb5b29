"""``campplanner solve`` as a planner runs it: rosters, solution file, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from builders import TINY_PATH, camp, make_instance, tiny_data, volunteer, write_instance
from campplanner.cli import main


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_solve_tiny_prints_rosters_and_writes_a_checked_solution(tmp_path: Path) -> None:
    output = tmp_path / "tiny.solution.json"
    result = invoke("solve", str(TINY_PATH), "-o", str(output), "--time-limit", "20")
    assert result.exit_code == 0, result.output
    for text in ("اردوی سلامت خمین", "1400-04-10", "unfilled", "optimal", "29"):
        assert text in result.output
    solution = json.loads(output.read_text(encoding="utf-8"))
    assert solution["format"] == "campplanner-solution/1"
    assert solution["status"] == "optimal"
    assert solution["coverage"] == solution["coverage_bound"] == 29
    assert {"volunteer": "v04", "camp": "c2", "skill": "mason"} in solution["assignments"]
    (unfilled,) = solution["unfilled_slots"]
    assert {k: unfilled[k] for k in ("camp", "skill", "missing", "reason")} == {
        "camp": "c2",
        "skill": "mason",
        "missing": 1,
        "reason": "busy",
    }
    assert unfilled["why"] and unfilled["fix"]
    assert set(solution["secondary"]) == {"travel_km", "group_splits", "extra_camps"}

    checked = invoke("check", str(TINY_PATH), str(output))
    assert checked.exit_code == 0, checked.output


def test_solve_replaces_its_own_solution_but_not_other_files(tmp_path: Path) -> None:
    output = tmp_path / "out.json"
    assert invoke("solve", str(TINY_PATH), "-o", str(output), "-q").exit_code == 0
    assert invoke("solve", str(TINY_PATH), "-o", str(output), "-q").exit_code == 0  # replaced

    precious = tmp_path / "notes.json"
    precious.write_text('{"mine": true}', encoding="utf-8")
    refused = invoke("solve", str(TINY_PATH), "-o", str(precious), "-q")
    assert refused.exit_code == 2
    assert "--force" in refused.output
    assert precious.read_text(encoding="utf-8") == '{"mine": true}'
    assert invoke("solve", str(TINY_PATH), "-o", str(precious), "-q", "--force").exit_code == 0


def test_solve_refuses_to_write_over_its_input(tmp_path: Path) -> None:
    instance = write_instance(tmp_path / "tiny.json", tiny_data())
    before = instance.read_bytes()
    result = invoke("solve", str(instance), "-o", str(instance), "--force")
    assert result.exit_code == 2
    assert "input" in result.output
    assert instance.read_bytes() == before


def test_solve_bad_input_exits_2_with_the_path(tmp_path: Path) -> None:
    data = tiny_data()
    data["camps"][1]["capacity"] = "5"
    bad = write_instance(tmp_path / "bad.json", data)
    result = invoke("solve", str(bad))
    assert result.exit_code == 2
    assert "camps[1].capacity" in result.output
    assert "Traceback" not in result.output


def test_solve_infeasible_locks_exit_3_and_say_why(tmp_path: Path) -> None:
    # v1 is locked into two overlapping camps: H4 makes that impossible.
    data = make_instance(
        volunteers=[volunteer("v1")],
        camps=[camp("A"), camp("B")],
        locked=[
            {"volunteer": "v1", "camp": "A", "skill": "nurse"},
            {"volunteer": "v1", "camp": "B", "skill": "nurse"},
        ],
    )
    path = write_instance(tmp_path / "locks.json", data)
    output = tmp_path / "locks.solution.json"
    result = invoke("solve", str(path), "-o", str(output))
    assert result.exit_code == 3
    assert "infeasible" in result.output
    solution = json.loads(output.read_text(encoding="utf-8"))
    assert solution["status"] == "infeasible"
    assert solution["assignments"] == []


def test_solve_weights_from_the_command_line(tmp_path: Path) -> None:
    output = tmp_path / "w.json"
    result = invoke("solve", str(TINY_PATH), "-o", str(output), "-q", "--weight-travel", "0")
    assert result.exit_code == 0
    assert json.loads(output.read_text(encoding="utf-8"))["coverage"] == 29


def test_solve_quiet_prints_the_summary_only() -> None:
    result = invoke("solve", str(TINY_PATH), "--quiet")
    assert result.exit_code == 0
    assert "Summary" in result.output
    assert "امیر قاسمی" not in result.output  # no roster


def test_solve_in_a_real_process(tmp_path: Path) -> None:
    output = tmp_path / "sol.json"
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            "from campplanner.cli import main; main()",
            "solve",
            str(TINY_PATH),
            "-o",
            str(output),
            "-q",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(output.read_text(encoding="utf-8"))["coverage"] == 29


@pytest.mark.parametrize(
    "option",
    [
        ["--time-limit", "nan"],
        ["--time-limit", "inf"],
        ["--weight-travel", "nan"],
        ["--weight-group", "1e300"],
        ["--weight-fairness", "-inf"],
        ["--seed", "99999999999999"],
        ["--secondary-time", "inf"],
    ],
)
def test_option_values_that_are_no_numbers_are_refused(option: list[str]) -> None:
    # nan passes click's range check (every comparison with it is false): refused by name
    result = CliRunner().invoke(main, ["solve", str(TINY_PATH), "-q", *option])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Invalid value" in result.output


def test_control_characters_in_names_never_reach_the_terminal(tmp_path: Path) -> None:
    # An OSC sequence in a name would set the terminal's title; a bell would ring.
    data = tiny_data()
    data["volunteers"][0]["name"] = "Ali\x1b]0;pwned\x07 Rezaei\x9b"
    data["camps"][0]["name"] = "Camp\x1b[2J one"
    path = write_instance(tmp_path / "escapes.json", data)
    result = CliRunner().invoke(main, ["solve", str(path), "--time-limit", "20"])
    assert result.exit_code == 0, result.output
    for control in ("\x1b", "\x07", "\x9b"):
        assert control not in result.output
    assert "Ali]0;pwned Rezaei" in result.output and "Camp[2J one" in result.output


def test_a_season_prints_a_summary_unless_asked_for_every_roster() -> None:
    medium = str(TINY_PATH.parent / "medium.json")  # 150 camps: above the 60 shown in full
    summary = CliRunner().invoke(main, ["solve", medium, "--time-limit", "30"])
    assert summary.exit_code == 0, summary.output
    assert "Per county" in summary.output and "lose most coverage" in summary.output
    assert "--full prints them here" in summary.output
    full = CliRunner().invoke(main, ["solve", medium, "--time-limit", "30", "--full"])
    assert full.exit_code == 0 and "Per county" not in full.output
    assert full.output.count("beds") >= 100  # a heading per camp that runs
    # a small instance shows every roster by default
    tiny = CliRunner().invoke(main, ["solve", str(TINY_PATH), "--time-limit", "20"])
    assert "Per county" not in tiny.output and "beds" in tiny.output
