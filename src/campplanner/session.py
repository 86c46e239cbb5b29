"""Running a solver so that Ctrl-C and SIGTERM stop it gracefully.

The search runs in a worker thread (CP-SAT releases the GIL), so the main thread stays
free to receive signals; a signal stops the search, and the best roster found so far
comes back as a normal result.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from typing import Protocol

from campplanner.result import Result

SIGNAL_EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}


class Stoppable(Protocol):
    def stop(self) -> None: ...


def run_interruptibly(
    solver: Stoppable, solve: Callable[[], Result]
) -> tuple[Result, signal.Signals | None]:
    """Run ``solve()``; on SIGINT or SIGTERM call ``solver.stop()`` and still return its result.

    Returns the result and the signal received, if any.
    """
    received: list[signal.Signals] = []
    outcome: list[Result] = []
    failure: list[BaseException] = []

    def on_signal(number: int, _frame: object) -> None:
        if not received:
            received.append(signal.Signals(number))
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
    try:
        worker = threading.Thread(target=work, name="campplanner-solve", daemon=True)
        worker.start()
        while worker.is_alive():
            worker.join(0.2)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if failure:
        raise failure[0]
    return outcome[0], (received[0] if received else None)
