"""Running a solver so that Ctrl-C and SIGTERM stop it gracefully.

The search runs in a worker thread (CP-SAT and HiGHS release the GIL), so the main
thread stays free to receive signals; a signal stops the search, and the best roster
found so far comes back as a normal result.

The best roster is written within two seconds of the signal whatever phase is running:
the worker gets ``STOP_GRACE`` seconds to return its result; a solver with a
``snapshot()`` method (the best roster it holds, see
:class:`campplanner.solver.anytime.Incumbent`) is then asked for it, and the worker is
left to wind down in the background. The same holds for the time limit: a solve still
running ``STOP_GRACE`` seconds past its deadline is stopped and its snapshot taken.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

from campplanner.result import Result

SIGNAL_EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}
STOP_GRACE = 1.0  # seconds a stopped solver gets to return before its snapshot is taken
FRESH_PROCESS = 30.0  # seconds from process start within which a command is "fresh"
LEFTOVER_WAIT = 5.0  # seconds to wait, after writing, for a solver stopped by a snapshot

# Solver threads still running after their snapshot was taken. They must end before the
# interpreter is torn down: a solver thread inside CP-SAT or HiGHS at exit aborts the
# process ("terminate called without an active exception", exit -6).
_leftover: list[threading.Thread] = []


class Stoppable(Protocol):
    def stop(self) -> None: ...


def process_started() -> float:
    """``time.monotonic()`` at the start of this process (Linux) if it started less than
    FRESH_PROCESS seconds ago, else now.

    The time limit covers the whole command; on a loaded machine, starting Python and
    importing the solvers alone can take seconds.
    """
    now = time.monotonic()
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as uptime:
            since_boot = float(uptime.read().split()[0])
        age = since_boot - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return now
    # A process older than that is no fresh command (a test runner calling the CLI in
    # process, say): the command starts now.
    return now - age if 0 <= age < FRESH_PROCESS else now


def run_interruptibly(
    solver: Stoppable, solve: Callable[[], Result], deadline: float | None = None
) -> tuple[Result, signal.Signals | None]:
    """Run ``solve()``; on SIGINT or SIGTERM call ``solver.stop()`` and still return its result.

    ``deadline`` (monotonic seconds): past it, the solver is stopped as for a signal.
    Returns the result and the signal received, if any.
    """
    received: list[signal.Signals] = []
    stopped_at: list[float] = []
    outcome: list[Result] = []
    failure: list[BaseException] = []

    def on_signal(number: int, _frame: object) -> None:
        if not received:
            received.append(signal.Signals(number))
        if not stopped_at:
            stopped_at.append(time.monotonic())
        solver.stop()

    def work() -> None:
        try:
            outcome.append(solve())
        except BaseException as error:  # re-raised in the main thread
            failure.append(error)

    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = {}
    if in_main_thread:
        for number in SIGNAL_EXIT_CODES:
            previous[number] = signal.signal(number, on_signal)
    snapshot: Result | None = None
    try:
        worker = threading.Thread(target=work, name="campplanner-solve", daemon=True)
        worker.start()
        while worker.is_alive():
            worker.join(0.05 if stopped_at else 0.2)
            now = time.monotonic()
            if not stopped_at and deadline is not None and now > deadline:
                stopped_at.append(now)
                solver.stop()
            if stopped_at and worker.is_alive() and now > stopped_at[0] + STOP_GRACE:
                snapshot = _snapshot(solver, "interrupted" if received else "time limit")
                if snapshot is not None:
                    break
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if snapshot is not None and not outcome:
        _leftover.append(worker)
        return snapshot, (received[0] if received else None)
    if failure:
        raise failure[0]
    return outcome[0], (received[0] if received else None)


def exit_after_solving(code: int) -> None:
    """``sys.exit(code)``, once a solver left running by a snapshot has stopped.

    It was asked to stop; phases stop within a second or two. One that does not within
    LEFTOVER_WAIT seconds (a call that cannot be interrupted) is left behind by
    ``os._exit``: the roster is written already, and tearing the interpreter down
    around a running solver thread would abort the process.
    """
    while _leftover:
        worker = _leftover[0]
        worker.join(LEFTOVER_WAIT)
        if worker.is_alive():
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        _leftover.pop(0)
    sys.exit(code)


def _snapshot(solver: object, reason: str) -> Result | None:
    take = getattr(solver, "snapshot", None)
    result = take() if callable(take) else None
    return None if result is None else replace(result, stopped_by=reason)
