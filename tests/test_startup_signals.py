"""Ctrl-C and SIGTERM from the command's first instruction (``cli/startup.py``).

A signal that landed while OR-Tools loaded (0.6-1.2 s after the start) was swallowed
(the solve ran on and exited 0) or ended in an ``ImportError`` traceback; SIGTERM before
a solve killed the process without a word (exit -15). Now the entry point takes both
signals before any heavy import: whenever one lands, the command ends promptly, exit
130 or 143, with no traceback.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from builders import REPO

SMALL = REPO / "instances" / "small.json"
ENTRY = "import sys; from campplanner.cli import run; sys.exit(run())"  # as the script does


def _catches_sigterm(pid: int) -> bool:
    """Whether the process has its own SIGTERM handler (the entry point's first step)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    caught = next(line for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(int(caught.split()[1], 16) & (1 << (signal.SIGTERM - 1)))


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_at_any_moment_of_the_start_ends_the_command_cleanly(
    tmp_path: Path, signal_number: int
) -> None:
    # The moments are counted from the entry point's first instruction (seen from here as
    # the process catching SIGTERM); before it, Python itself is starting up. 0.05 s:
    # click and rich load; 0.3-1.5 s: pydantic, numpy, OR-Tools and the instance load.
    expected = {signal.SIGINT: 130, signal.SIGTERM: 143}[signal_number]
    for delay in (0.0, 0.05, 0.3, 0.6, 0.8, 1.0, 1.2, 1.5):
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                ENTRY,
                "solve",
                str(SMALL),
                "-o",
                str(tmp_path / "roster.json"),
                "--time-limit",
                "300",
                "--secondary-time",
                "300",
                "-q",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            # (a process that never takes SIGTERM itself, as before, gets it 1 s after start)
            waited = time.monotonic() + 1.0
            while not _catches_sigterm(process.pid) and time.monotonic() < waited:
                time.sleep(0.002)
            time.sleep(delay)
            sent = time.monotonic()
            process.send_signal(signal_number)
            _, stderr = process.communicate(timeout=60)
            took = time.monotonic() - sent
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        assert process.returncode == expected, (delay, process.returncode, stderr[-2000:])
        assert "Traceback" not in stderr and "Error" not in stderr, (delay, stderr[-2000:])
        assert took < 20, f"a signal {delay} s in took {took:.1f} s to end the command"


def test_a_signal_inside_a_native_module_s_initialisation_waits_until_it_is_done() -> None:
    # OR-Tools' native module runs Python code while it initialises: an interrupt raised
    # there became "ImportError: initialization failed" (and was swallowed by libraries
    # that try an import). Here a native loader, in importlib's file, runs Python code
    # after a SIGINT: the interrupt must come after it returns, as a KeyboardInterrupt.
    script = textwrap.dedent(
        """
        import importlib.machinery, os, signal, sys, time
        from campplanner.cli import startup

        startup.install()
        loader = '''
        class Loader(ExtensionFileLoader):
            def create_module(self, spec):
                os.kill(os.getpid(), signal.SIGINT)
                total = sum(range(200_000))  # Python code run by the native init
                time.sleep(0.1)
                return total
        '''
        space = {"os": os, "signal": signal, "time": time}
        space["ExtensionFileLoader"] = importlib.machinery.ExtensionFileLoader
        exec(compile(loader, "<frozen importlib._bootstrap_external>", "exec"), space)
        try:
            native = space["Loader"]("native", "/nowhere/native.so")
            print("initialised", native.create_module(None))
            time.sleep(5)
            print("never interrupted")
        except KeyboardInterrupt as interrupt:
            print("interrupted after it, exit", startup.exit_code_of(interrupt))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.splitlines() == [
        f"initialised {sum(range(200_000))}",
        "interrupted after it, exit 130",
    ], done.stderr


def test_sigterm_outside_a_solve_is_one_message_and_exit_143(tmp_path: Path) -> None:
    # validate reading a file from a FIFO nobody writes: it waits in open(); SIGTERM there
    # was the system's (exit -15, nothing said).
    fifo = tmp_path / "instance.json"
    os.mkfifo(fifo)
    process = subprocess.Popen(
        [sys.executable, "-c", ENTRY, "validate", str(fifo)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(3)  # well into the command: it waits for the FIFO's writer
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 143, stderr
    assert stderr.strip().splitlines()[-1] == "interrupted"
    assert "Traceback" not in stderr


def test_the_entry_point_is_the_one_that_takes_signals_first() -> None:
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"] == {"campplanner": "campplanner.cli:run"}
