"""Progress that moves: every stage of a solve says so, on a terminal and in a log."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console

from builders import TINY_PATH, compile_data, tiny_data
from campplanner.app.jobs import Job, JobControl
from campplanner.cli.solve_view import ProgressLine
from campplanner.solver import CpSatSolver, SolveOptions

LOG_LINE = re.compile(r"^\s*\d+\.\d s  (.+)$")


def test_a_log_gets_every_phase_and_every_better_roster(tmp_path: Path) -> None:
    # stderr is a pipe, not a terminal: one line per phase, stage and better roster or
    # bound (it got one line a second, of "solving" only, and nothing in the second stage)
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            "from campplanner.cli import main; main()",
            "solve",
            str(TINY_PATH),
            "-o",
            str(tmp_path / "sol.json"),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    said = [m.group(1) for line in completed.stderr.splitlines() if (m := LOG_LINE.match(line))]
    assert said[0] == "reading" and said[-1] == "coverage 29  bound 29  (writing)", said
    stages = [re.sub(r".*\((.*)\)$", r"\1", line) for line in said[1:]]
    # auto on a small instance: the large method's turn, then the exact model's
    exact_turn = stages.index("auto: the exact model from the large method's roster")
    assert stages[:2] == ["auto: the large method first", "first roster"], said
    assert "counting" in stages[:exact_turn]  # the bound, and what proved it
    assert "secondary terms" in stages[exact_turn:], said
    assert stages[-1] == "writing"


def test_every_stage_of_the_exact_method_is_reported() -> None:
    stages: list[str] = []
    solver = CpSatSolver(compile_data(tiny_data()), SolveOptions(time_limit=20))
    result = solver.solve(lambda _e, _c, _b, stage="": stages.append(stage))
    assert result.status == "optimal"
    assert stages[0] == "first roster" and "secondary terms" in stages
    assert stages.index("secondary terms") > stages.index("coverage")


def terminal() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True, width=100), out


def test_the_terminal_line_moves_in_a_stage_that_finds_nothing() -> None:
    console, out = terminal()
    control = JobControl()
    job: Job[None] = Job(lambda _c: None)
    job.control = control
    line = ProgressLine(console, 60).follow(job)
    control.report("solving", 1_187, 1_187.0, stage="secondary terms")
    drawn = out.getvalue()
    assert "secondary terms" in drawn and "1,187" in drawn
    time.sleep(3 * ProgressLine.TICK)  # no event: the clock is redrawn all the same
    redrawn = out.getvalue()[len(drawn) :]
    assert redrawn.count("\r") >= 2 and "secondary terms" in redrawn
    line.close()
    assert out.getvalue().endswith("\r\033[K")  # the line is cleared for what follows
