"""Same input, seed and options, same roster: on any machine and at any load.

A solve given ``--work-limit`` ends every phase on counted work (solver/work.py), so a
run on an idle machine and a run beside two CPU hogs (this machine has two cores) write
the same solution file, byte for byte once the timings are left out (seconds, the
trace of the moments each roster was found). Nothing here compares the clock.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from builders import REPO, TINY_PATH, write_instance
from campplanner.cli import main
from campplanner.generate import generate_instance

TIMED = {"timings", "trace", "seconds"}  # what a clock measures: left out of the comparison
HOG = "while True: pass"


@contextmanager
def cpu_hogs(count: int) -> Iterator[None]:
    """``count`` processes that keep a core busy each, for the duration."""
    hogs = [subprocess.Popen([sys.executable, "-c", HOG]) for _ in range(count)]
    try:
        yield
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()


def untimed(data: Any) -> Any:
    """``data`` without what the clock measured."""
    if isinstance(data, dict):
        return {key: untimed(value) for key, value in data.items() if key not in TIMED}
    if isinstance(data, list):
        return [untimed(value) for value in data]
    return data


def solve_file(instance: Path, output: Path, method: str) -> dict[str, Any]:
    arguments = ["solve", str(instance), "--method", method, "--work-limit", "1.5"]
    arguments += ["--time-limit", "600", "--seed", "5", "-q", "-o", str(output)]
    run = CliRunner().invoke(main, arguments)
    assert run.exit_code == 0, run.output
    return json.loads(output.read_text(encoding="utf-8"))


@pytest.mark.parametrize("method", ["auto", "large", "exact"])
def test_a_work_limited_solve_under_load_writes_the_same_file(tmp_path: Path, method: str) -> None:
    data = generate_instance(volunteers=260, camps=14, slots=420, seed=8)
    instance = write_instance(tmp_path / "season.json", data)
    quiet = solve_file(instance, tmp_path / "quiet.json", method)
    with cpu_hogs(2):
        busy = solve_file(instance, tmp_path / "busy.json", method)
    assert "stopped_by" not in quiet and "stopped_by" not in busy  # no clock cut either
    assert json.dumps(untimed(quiet), sort_keys=True) == json.dumps(untimed(busy), sort_keys=True)
    assert quiet["solver"]  # the solver's account is compared too, work spent included


def test_the_camps_program_under_load_ends_at_the_same_point(tmp_path: Path) -> None:
    """A season of one camp per person (the *teams* shape) goes through the integer
    program over camps (HiGHS), which a work limit ends on its LP iterations: cut by
    its work at the same point beside two CPU hogs as on a quiet machine, so the same
    camps are staffed and the same file is written."""
    from test_one_camp import teams_data

    instance = write_instance(tmp_path / "teams.json", teams_data(600, 2))
    files = []
    for name, hogs in (("quiet.json", 0), ("busy.json", 2)):
        arguments = ["solve", str(instance), "--method", "large", "--work-limit", "0.2"]
        arguments += ["--time-limit", "600", "-q", "-o", str(tmp_path / name)]
        with cpu_hogs(hogs):
            run = CliRunner().invoke(main, arguments)
        assert run.exit_code == 0, run.output
        files.append(json.loads((tmp_path / name).read_text(encoding="utf-8")))
    quiet, busy = files
    assert quiet["solver"]["camp_program"]["cut_by_work"] is True  # the budget decided
    assert "stopped_by" not in quiet and "stopped_by" not in busy
    assert json.dumps(untimed(quiet), sort_keys=True) == json.dumps(untimed(busy), sort_keys=True)


def documented_commands() -> list[str]:
    """The example commands of docs/reliability.md's determinism section, as printed."""
    text = (REPO / "docs" / "reliability.md").read_text(encoding="utf-8")
    section = text.split("## Determinism", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.startswith("campplanner ")]


def test_the_documented_commands_give_the_same_file(tmp_path: Path) -> None:
    commands = documented_commands()
    assert len(commands) == 2
    (tmp_path / "instances").mkdir()
    shutil.copy(REPO / "instances" / "small.json", tmp_path / "instances" / "small.json")
    for command in commands:
        arguments = shlex.split(command)[1:]
        run = subprocess.run(
            [sys.executable, "-c", "from campplanner.cli import main; main()", *arguments],
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, run.stderr
    first, second = (
        json.loads((tmp_path / name).read_text(encoding="utf-8"))
        for name in ("first.json", "second.json")
    )
    assert untimed(first) == untimed(second)


def test_compare_with_a_work_limit_is_the_same_under_load(tmp_path: Path) -> None:
    """compare --work-limit: the base solved and the scenario re-planned on work, so the
    comparison beside two CPU hogs is the one of a quiet machine (timings aside)."""
    from test_scenario import away_scenario

    scenario = away_scenario(tmp_path)
    reports = []
    for name, hogs in (("quiet.json", 0), ("busy.json", 2)):
        output = tmp_path / name
        arguments = ["compare", str(TINY_PATH), str(scenario), "--work-limit", "1"]
        arguments += ["--time-limit", "300", "--jobs", "1", "-o", str(output)]
        with cpu_hogs(hogs):
            run = CliRunner().invoke(main, arguments)
        assert run.exit_code == 0, run.output
        reports.append(untimed(json.loads(output.read_text(encoding="utf-8"))))
    assert reports[0] == reports[1]
