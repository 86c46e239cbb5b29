"""Ctrl-C and SIGTERM during ``solve``: the best roster so far is written, exit 130/143.

A real process is started on the 300-volunteer instance with a long secondary stage;
the signal is sent once the progress line shows a roster exists.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builders import REPO
from campplanner.check import check_solution_file

SMALL = REPO / "instances" / "small.json"


@pytest.mark.parametrize(
    ("signal_number", "exit_code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)]
)
def test_signal_keeps_the_best_roster(tmp_path: Path, signal_number: int, exit_code: int) -> None:
    output = tmp_path / "interrupted.json"
    process = subprocess.Popen(
        [sys.executable, "-c", "from campplanner.cli import main; main()",
         "solve", str(SMALL), "-o", str(output), "--time-limit", "300",
         "--secondary-time", "300"],
        stdout=(tmp_path / "stdout.txt").open("w"), stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stderr is not None
        deadline = time.monotonic() + 120
        for line in process.stderr:
            if "best coverage" in line or time.monotonic() > deadline:
                break
        time.sleep(0.5)
        started = time.monotonic()
        process.send_signal(signal_number)
        returncode = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert returncode == exit_code
    assert time.monotonic() - started < 30, "the search must stop promptly"
    solution = json.loads(output.read_text(encoding="utf-8"))
    assert solution["status"] in ("optimal", "feasible")
    assert solution["stopped_by"] == "interrupted"
    assert solution["assignments"]
    report = check_solution_file(SMALL, output)
    assert report.ok, [v.to_dict() for v in report.violations[:5]]
    summary = (tmp_path / "stdout.txt").read_text(encoding="utf-8")
    assert "Summary" in summary


def test_ctrl_c_on_a_terminal_erases_the_progress_line(tmp_path: Path) -> None:
    # Run solve on a pseudo-terminal, as a planner does: the progress line is rewritten
    # in place; after Ctrl-C it must be erased (\r + clear to end of line) before the
    # summary, so the terminal is left clean.
    import os
    import pty

    output = tmp_path / "tty.json"
    options = ["-o", str(output), "--time-limit", "300", "--secondary-time", "300"]
    argv = [sys.executable, "-c", "from campplanner.cli import main; main()", "solve",
            str(SMALL), *options]  # fmt: skip
    pid, fd = pty.fork()
    if pid == 0:  # the child: becomes campplanner on the terminal
        os.execv(sys.executable, argv)
    seen = b""
    deadline = time.monotonic() + 120
    try:
        while b"best coverage" not in seen and time.monotonic() < deadline:
            seen += os.read(fd, 4096)
        time.sleep(0.5)
        os.kill(pid, signal.SIGINT)
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 130
    after_progress = seen[seen.rindex(b"best coverage") :]
    assert b"\r\x1b[K" in after_progress  # the progress line erased
    assert after_progress.index(b"\r\x1b[K") < after_progress.index(b"Summary")
    assert json.loads(output.read_text(encoding="utf-8"))["stopped_by"] == "interrupted"


@pytest.mark.parametrize(
    ("signal_number", "exit_code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)]
)
def test_a_signal_to_compare_leaves_no_worker_running(
    tmp_path: Path, signal_number: int, exit_code: int
) -> None:
    scenario = tmp_path / "away.json"
    scenario.write_text(json.dumps({"name": "away", "edits": [
        {"op": "remove_volunteers", "volunteers": ["v00001"]}]}), encoding="utf-8")  # fmt: skip
    season = REPO / "instances" / "markazi-season.json.gz"  # minutes of solving per column
    process = subprocess.Popen(
        [sys.executable, "-c", "from campplanner.cli import main; main()", "compare",
         str(season), str(scenario), "--jobs", "2", "--time-limit", "120"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    children: set[int] = set()
    deadline = time.monotonic() + 60
    while len(children) < 2 and time.monotonic() < deadline:  # both workers started
        time.sleep(0.2)
        for path in Path(f"/proc/{process.pid}/task").glob("*/children"):
            children |= {int(pid) for pid in path.read_text().split()}  # of every thread
    assert children, "the workers never started"
    time.sleep(3.0)
    process.send_signal(signal_number)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == exit_code, stderr
    assert "stopped" in stderr
    time.sleep(0.5)
    alive = [pid for pid in children if Path(f"/proc/{pid}").exists()
             and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()]  # fmt: skip
    assert not alive, f"workers left running: {alive}"
