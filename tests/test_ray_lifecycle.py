"""A Ray of campplanner's own: sized from the memory it may use, gone when the command is.

Issue 26: under a 6 GiB memory cap Ray's object store asked for 30% of the machine's
memory, waited 37 s, then a traceback; after a terminal Ctrl-C two Ray helper processes
outlived the command in 3 of 8 runs; SIGTERM exited 134 with a native stack dump; a
double Ctrl-C printed a traceback from Ray's shutdown. Each process here is a real
``campplanner stress --engine ray`` starting a real local Ray, in a session of its own,
so that every process it leaves behind can be found.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builders import REPO
from campplanner.contract.errors import CampPlannerError
from campplanner.contract.limits import MEMORY_ENV
from campplanner.whatif.engines import STORE_MINIMUM, object_store_size

SMALL = REPO / "instances" / "small.json"
ENTRY = "from campplanner.cli import run; run()"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("published") / "small.json"
    done = subprocess.run(
        [sys.executable, "-c", ENTRY, "solve", str(SMALL), "-o", str(path), "-q", "--force"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return path


def _stress(published: Path, report: Path, runs: int, **popen: object) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", ENTRY, "stress", str(SMALL), str(published)]
    command += ["--runs", str(runs), "--jobs", "1", "--engine", "ray", "-o", str(report)]
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        **popen,  # type: ignore[arg-type]
    )


def _left_in_session(session: int) -> list[str]:
    """The processes of ``session`` still alive a few seconds after its leader ended."""
    left: list[str] = []
    for _ in range(10):
        listing = subprocess.run(
            ["ps", "-s", str(session), "-o", "pid=,stat=,args="], capture_output=True, text=True
        ).stdout
        left = [line for line in listing.splitlines() if line.split()[1][0] != "Z"]
        if not left:
            break
        time.sleep(1)
    return left


def _kill_session(session: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(session, signal.SIGKILL)


@pytest.mark.parametrize(
    ("how", "exit_code"), [("ctrl-c", 130), ("ctrl-c twice", 130), ("sigterm", 143)]
)
def test_every_way_of_stopping_a_ray_sweep_leaves_no_ray_process(
    published: Path, tmp_path: Path, how: str, exit_code: int
) -> None:
    report = tmp_path / "partial.json"
    process = _stress(published, report, 500)
    try:
        assert process.stderr is not None
        seen = ""
        deadline = time.monotonic() + 240
        for line in process.stderr:
            seen += line
            if "/500 runs" in line or time.monotonic() > deadline:
                break
        if how == "sigterm":
            process.send_signal(signal.SIGTERM)  # from a supervisor: the command alone
        else:  # a terminal's Ctrl-C reaches the whole process group, Ray's included
            os.killpg(process.pid, signal.SIGINT)
            if how == "ctrl-c twice":
                time.sleep(0.3)
                os.killpg(process.pid, signal.SIGINT)
        _, rest = process.communicate(timeout=120)
        stderr = seen + rest
        left = _left_in_session(process.pid)
    finally:
        _kill_session(process.pid)
    assert process.returncode == exit_code, stderr[-3000:]
    assert "Traceback" not in stderr and "***" not in stderr, stderr[-3000:]
    assert "SIGTERM handler is not set" not in stderr
    assert left == [], left
    partial = json.loads(report.read_text(encoding="utf-8"))
    assert partial["partial"] is True and partial["sweep"]["engine"] == "ray"


def test_a_ray_sweep_under_a_6_gib_cap_runs_and_ends_with_ray(
    published: Path, tmp_path: Path
) -> None:
    cap = 6 * 1024**3

    def capped() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    environment = {k: v for k, v in os.environ.items() if k != MEMORY_ENV}
    report = tmp_path / "report.json"
    process = _stress(published, report, 2, preexec_fn=capped, env=environment)
    try:
        _, stderr = process.communicate(timeout=300)
        left = _left_in_session(process.pid)
    finally:
        _kill_session(process.pid)
    assert process.returncode == 0, stderr[-3000:]
    assert "Traceback" not in stderr
    assert left == [], left
    assert json.loads(report.read_text(encoding="utf-8"))["runs_done"] == 2


def test_a_memory_limit_too_small_for_ray_is_refused_before_ray_starts(
    published: Path, tmp_path: Path
) -> None:
    environment = {**os.environ, MEMORY_ENV: "0.2"}
    process = _stress(published, tmp_path / "report.json", 2, env=environment)
    try:
        _, stderr = process.communicate(timeout=300)
        left = _left_in_session(process.pid)
    finally:
        _kill_session(process.pid)
    assert process.returncode == 2, stderr[-3000:]
    words = " ".join(stderr.split())
    assert "--engine ray: Ray's object store would get 61 MB (30% of the memory limit" in words
    assert "use --engine local, or raise the limit" in words
    assert left == [] and "Traceback" not in stderr


def test_the_object_store_is_a_share_of_the_limit_and_fits_the_shared_object(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(MEMORY_ENV, "6")
    assert object_store_size(100 * 1024**2) == int(6 * 1024**3 * 0.3)
    assert object_store_size(0) >= STORE_MINIMUM
    with pytest.raises(CampPlannerError, match="needs about 2,048 MB"):
        object_store_size(int(2048 / 1.5 * 1024**2))


def test_sigterm_to_compare_on_ray_leaves_no_ray_process(tmp_path: Path) -> None:
    scenario = tmp_path / "away.json"
    edits = [{"op": "remove_volunteers", "volunteers": ["v00001"]}]
    scenario.write_text(json.dumps({"name": "away", "edits": edits}), encoding="utf-8")
    season = REPO / "instances" / "markazi-season.json.gz"  # minutes of solving per column
    command = [sys.executable, "-c", ENTRY, "compare", str(season), str(scenario)]
    command += ["--engine", "ray", "--time-limit", "300", "-o", str(tmp_path / "c.json")]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        assert process.stderr is not None
        seen = ""
        deadline = time.monotonic() + 240
        for line in process.stderr:  # Ray says it is up (its token line); give it the tasks
            seen += line
            if "Ray cluster" in line or time.monotonic() > deadline:
                break
        time.sleep(5)
        process.send_signal(signal.SIGTERM)
        _, rest = process.communicate(timeout=120)
        stderr = seen + rest
        left = _left_in_session(process.pid)
    finally:
        _kill_session(process.pid)
    assert process.returncode == 143, stderr[-3000:]
    assert "Traceback" not in stderr and "***" not in stderr, stderr[-3000:]
    assert left == [], left
