"""Ctrl-C and SIGTERM from the command's first instruction, before any heavy import.

Python's own SIGINT handler raises ``KeyboardInterrupt`` wherever the main thread is. In
the first second of a command that is mostly inside imports (click, rich, numpy,
OR-Tools): an import cut there leaves a half-initialised module, OR-Tools' native
module turns the interrupt into ``ImportError: initialization failed``, and a library
that tries an optional import (``except ImportError``) then swallows the Ctrl-C: the
command ran on for minutes and exited 0. SIGTERM, left to the system, killed the
process without a word (exit -15).

``install`` replaces both handlers, first thing, with one that never interrupts the
initialisation of a native module: a signal that lands inside one is held, and
re-checked every 20 ms (SIGALRM) until it is done. Then (elsewhere, at once) it is
raised as :class:`Interrupted` (a ``KeyboardInterrupt``, so every existing clean-up
still runs), unless another handler has taken the signal meanwhile (a solve's
``run_in_foreground``), which then gets it.
The command line turns ``Interrupted`` into the usual "interrupted" and exit code 130
(SIGINT) or 143 (SIGTERM). Only the standard library is imported here.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}
RECHECK = 0.02  # seconds between looks at a signal held inside an import

_NATIVE_STEPS = ("create_module", "exec_module")

_pending: list[int] = []
_previous: dict[int, Any] = {}


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM, raised where it is safe; ``exit_code`` is 130 or 143."""

    def __init__(self, number: int) -> None:
        super().__init__(signal.Signals(number).name)
        self.exit_code = EXIT_CODES.get(signal.Signals(number), 130)


def exit_code_of(interrupt: BaseException) -> int:
    """The exit code a shell expects after this interrupt: 143 for SIGTERM, else 130."""
    return getattr(interrupt, "exit_code", 130)


def install() -> bool:
    """Take SIGINT and SIGTERM (main thread only; idempotent). True if installed now."""
    if threading.current_thread() is not threading.main_thread():
        return False
    if signal.getsignal(signal.SIGINT) is _on_signal:
        return False
    for number in EXIT_CODES:
        _previous[number] = signal.signal(number, _on_signal)
    _previous[signal.SIGALRM] = signal.signal(signal.SIGALRM, _on_recheck)
    return True


def uninstall() -> None:
    """Give the handlers back (a command run inside another program, such as a test)."""
    if threading.current_thread() is not threading.main_thread():
        return
    signal.setitimer(signal.ITIMER_REAL, 0)
    _pending.clear()
    for number, handler in _previous.items():
        signal.signal(number, handler)
    _previous.clear()


@contextmanager
def handled() -> Iterator[None]:
    """Signals handled by ``install`` inside the block, given back after it if it took them."""
    installed = install()
    try:
        yield
    finally:
        if installed:
            uninstall()


def pending() -> int | None:
    """A signal held inside an import and not delivered yet, taken (a job about to start
    treats it as received at once)."""
    if not _pending:
        return None
    signal.setitimer(signal.ITIMER_REAL, 0)
    return _pending.pop(0)


def _on_signal(number: int, frame: FrameType | None) -> None:
    if _inside_import(frame):
        if not _pending:
            _pending.append(number)
            signal.setitimer(signal.ITIMER_REAL, RECHECK)
        return
    _pending.clear()
    raise Interrupted(number)


def _on_recheck(_number: int, frame: FrameType | None) -> None:
    if not _pending:
        return
    if _inside_import(frame):
        signal.setitimer(signal.ITIMER_REAL, RECHECK)
        return
    number = _pending.pop()
    current = signal.getsignal(number)
    if current is _on_signal or not callable(current):
        raise Interrupted(number)
    handler: Callable[[int, FrameType | None], Any] = current
    handler(number, frame)  # another handler took the signal meanwhile: it decides


def _native_loaders() -> type:
    """importlib's loader of native modules (imported already by any import of one)."""
    from importlib.machinery import ExtensionFileLoader

    return ExtensionFileLoader


def _inside_import(frame: FrameType | None) -> bool:
    """Whether a native module is being initialised: an interrupt raised in the Python
    code it runs becomes its ``ImportError``. (Cutting a pure Python import is safe: the
    ``KeyboardInterrupt`` goes through and the half module is dropped.)"""
    while frame is not None:
        code = frame.f_code
        if (
            code.co_name in _NATIVE_STEPS
            and code.co_filename.startswith("<frozen importlib")
            and isinstance(frame.f_locals.get("self"), _native_loaders())
        ):
            return True
        frame = frame.f_back
    return False


def interrupted_exit(interrupt: BaseException) -> None:
    """The one way a command ends on an interrupt: "interrupted" on stderr, 130 or 143.

    A second Ctrl-C while the command winds down (its clean-ups are bounded: workers
    terminated, a solver thread given 5 s) must not cut them with a traceback: from here
    on both signals are ignored."""
    if threading.current_thread() is threading.main_thread():
        signal.setitimer(signal.ITIMER_REAL, 0)
        for number in EXIT_CODES:
            signal.signal(number, signal.SIG_IGN)
    try:
        sys.stderr.write("interrupted\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    sys.exit(exit_code_of(interrupt))
