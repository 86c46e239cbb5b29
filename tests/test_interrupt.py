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
