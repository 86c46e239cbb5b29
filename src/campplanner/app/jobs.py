"""Jobs: work that runs in the background, streams progress, and can be cancelled.

Every long job of the application layer (a solve, a re-plan, a comparison) is a
function of a :class:`JobControl`: it reports :class:`ProgressEvent`\\ s through it and
registers what stops it (a solver's ``stop``). A :class:`Job` runs such a function in a
worker thread; the command line waits for it while Ctrl-C and SIGTERM cancel it
(:func:`run_in_foreground`), a web page polls its events and offers a cancel button
(:class:`JobRunner` keeps jobs by id). Cancelling never throws the work away: a
cancelled solve still returns, and writes, its best roster.
"""

from __future__ import annotations

import itertools
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

SIGNAL_EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}
STOP_GRACE = 1.0  # seconds a cancelled job gets to return before its snapshot is taken
FRESH_PROCESS = 30.0  # a process younger than this is one command, its clock from its start
COMMAND_GAP = 5.0  # a command that begins this long after the CLI was imported is not fresh
LEFTOVER_WAIT = 5.0  # seconds to wait, before exiting, for a job left running by a snapshot

# Jobs still running after their snapshot answered. They must end before the interpreter
# is torn down: a solver thread inside CP-SAT or HiGHS at exit aborts the process
# ("terminate called without an active exception", exit -6).
_leftover: list[Job] = []


_commands_started = 0  # commands that asked process_started() in this process


def process_started(loaded: float | None = None) -> float:
    """``time.monotonic()`` at the start of this process (Linux) if it started less than
    FRESH_PROCESS seconds ago and this is its first command, else now.

    The time limit covers the whole command; on a loaded machine, starting Python and
    importing the solvers alone can take seconds. ``loaded``: when the command-line
    module was imported; a command that starts more than COMMAND_GAP seconds after it
    is not the process's own (a test runner calling the CLI in process): it starts now.
    """
    global _commands_started
    now = time.monotonic()
    _commands_started += 1
    if _commands_started > 1 or (loaded is not None and now - loaded > COMMAND_GAP):
        return now
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


@dataclass(frozen=True)
class ProgressEvent:
    """One step of a job: a phase change, or a better roster or bound."""

    elapsed: float  # seconds since the job started
    phase: str  # "reading", "solving", "writing", ... (free text, short)
    coverage: int | None = None  # best coverage so far
    bound: float | None = None  # best proven bound so far (inf or None: none yet)
    message: str = ""
    # within "solving": the solver's stage now, or what found the roster or bound
    # ("coverage", "secondary terms", "neighbourhood search": see ProgressCallback)
    stage: str = ""


class JobControl:
    """What a job's work sees: report progress, learn of cancellation, register stops."""

    def __init__(self, started: float | None = None):
        self.started = time.monotonic() if started is None else started
        self._cancelled = threading.Event()
        # why the job was cancelled: "interrupted" (a signal, a cancel button) or "time
        # limit" (run_in_foreground's deadline); a result says which, not always the first
        self.cancel_reason: str | None = None
        self._stops: list[Callable[[], None]] = []
        self._snapshot: Callable[[], object] | None = None
        self._listeners: list[Callable[[ProgressEvent], None]] = []
        self._lock = threading.Lock()
        self.events: list[ProgressEvent] = []

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def report(
        self,
        phase: str,
        coverage: int | None = None,
        bound: float | None = None,
        message: str = "",
        stage: str = "",
    ) -> None:
        """Record a progress event and pass it to every listener."""
        event = ProgressEvent(
            time.monotonic() - self.started, phase, coverage, bound, message, stage
        )
        with self._lock:
            self.events.append(event)
            listeners = list(self._listeners)
        for listener in listeners:
            listener(event)

    def on_cancel(self, stop: Callable[[], None]) -> None:
        """Call ``stop`` when the job is cancelled (at once if it already is)."""
        with self._lock:
            self._stops.append(stop)
        if self.cancelled:
            stop()

    def listen(self, listener: Callable[[ProgressEvent], None]) -> None:
        with self._lock:
            self._listeners.append(listener)

    def on_snapshot(self, take: Callable[[], object]) -> None:
        """``take()`` gives the job's answer from what it holds now, for a caller that
        cannot wait for the work to stop (a signal, a time limit: see run_in_foreground)."""
        self._snapshot = take

    def snapshot(self) -> object | None:
        take = self._snapshot
        return None if take is None else take()

    def cancel(self, reason: str = "interrupted") -> None:
        with self._lock:
            if self.cancel_reason is None:
                self.cancel_reason = reason
        self._cancelled.set()
        with self._lock:
            stops = list(self._stops)
        for stop in stops:
            stop()


class Job(Generic[T]):
    """``work(control)`` in a worker thread; see the module docstring."""

    def __init__(
        self, work: Callable[[JobControl], T], name: str = "job", started: float | None = None
    ):
        self.name = name
        self.control = JobControl(started)
        self._work = work
        self._thread: threading.Thread | None = None
        self._result: T | None = None
        self._error: BaseException | None = None
        self._finished = threading.Event()

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> Job[T]:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name=f"campplanner-{self.name}", daemon=True
            )
            self._thread.start()
        return self

    def _run(self) -> None:
        try:
            self._result = self._work(self.control)
        except BaseException as error:  # re-raised by result() in the waiting thread
            self._error = error
        finally:
            self._finished.set()

    def cancel(self, reason: str = "interrupted") -> None:
        """Stop the work as soon as it can; it still returns what it has."""
        self.control.cancel(reason)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the work ends (True) or ``timeout`` seconds pass (False)."""
        return self._finished.wait(timeout)

    def result(self) -> T:
        """The work's return value; its exception if it failed. Waits for the end."""
        self.start()
        self._finished.wait()
        if self._error is not None:
            raise self._error
        return self._result  # type: ignore[return-value]

    # --------------------------------------------------------------------- status
    @property
    def state(self) -> str:
        if self._thread is None:
            return "pending"
        if not self._finished.is_set():
            return "cancelling" if self.control.cancelled else "running"
        if self._error is not None:
            return "failed"
        return "cancelled" if self.control.cancelled else "done"

    @property
    def error(self) -> BaseException | None:
        return self._error

    def progress(self) -> dict[str, object]:
        """What a page polling the job shows: its state, its phases so far (seconds from
        its start) and how long it has run."""
        return {
            "state": self.state,
            "events": [{"elapsed": round(e.elapsed, 2), "phase": e.phase} for e in self.events()],
            "elapsed": round(time.monotonic() - self.control.started, 1),
        }

    def events(self, since: int = 0) -> list[ProgressEvent]:
        """Progress events from number ``since`` on (for polling)."""
        return self.control.events[since:]

    def listen(self, listener: Callable[[ProgressEvent], None]) -> Job[T]:
        """Pass every later progress event to ``listener`` (in the worker's thread)."""
        self.control.listen(listener)
        return self


class JobRunner:
    """Jobs by id, at most ``max_running`` of them running at once; later ones wait."""

    def __init__(self, max_running: int = 1):
        self._jobs: dict[str, Job] = {}
        self._ids = itertools.count(1)
        self._slots = threading.Semaphore(max_running)
        self._lock = threading.Lock()

    def submit(self, work: Callable[[JobControl], T], name: str = "job") -> str:
        def queued(control: JobControl) -> T:
            with self._slots:
                if control.cancelled:
                    raise JobCancelled(f"{name} was cancelled before it started")
                return work(control)

        job: Job[T] = Job(queued, name)
        with self._lock:
            job_id = str(next(self._ids))
            self._jobs[job_id] = job
        job.start()
        return job_id

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def cancel(self, job_id: str) -> bool:
        job = self.get(job_id)
        if job is None:
            return False
        job.cancel()
        return True

    def jobs(self) -> dict[str, Job]:
        with self._lock:
            return dict(self._jobs)


class JobCancelled(Exception):
    """A queued job cancelled before it ran."""


def run_in_foreground(
    job: Job[T], deadline: float | None = None
) -> tuple[T, signal.Signals | None]:
    """Run ``job`` while this (main) thread takes SIGINT and SIGTERM: the first signal
    cancels the job, which still returns its result. Returns it and the signal received.

    Past ``deadline`` (monotonic seconds) the job is cancelled as for a signal. A job
    still running STOP_GRACE seconds after its cancel answers with its snapshot (the best
    roster it holds, written), if it offers one, and is left to wind down.
    """
    received: list[signal.Signals] = []
    cancelled_at: list[float] = []

    def cancel(reason: str) -> None:
        if not cancelled_at:
            cancelled_at.append(time.monotonic())
        job.cancel(reason)

    def on_signal(number: int, _frame: object) -> None:
        if not received:
            received.append(signal.Signals(number))
        cancel("interrupted")

    previous = {}
    if threading.current_thread() is threading.main_thread():
        for number in SIGNAL_EXIT_CODES:
            previous[number] = signal.signal(number, on_signal)
    snapshot = None
    try:
        job.start()
        while not job.wait(0.05 if cancelled_at else 0.2):
            now = time.monotonic()
            if not cancelled_at and deadline is not None and now > deadline:
                cancel("time limit")
            if cancelled_at and now > cancelled_at[0] + STOP_GRACE:
                snapshot = job.control.snapshot()
                if snapshot is not None:
                    break
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    signalled = received[0] if received else None
    if snapshot is not None:
        # the snapshot is the answer even if the job ends a moment later: its file is
        # the one written (see app.solving), so what is printed is that same roster
        if not job.wait(0):
            _leftover.append(job)
        return snapshot, signalled  # type: ignore[return-value]
    return job.result(), signalled


def exit_after_jobs(code: int) -> None:
    """``sys.exit(code)``, once a job left running by a snapshot has stopped.

    It was cancelled; its phases stop within a second or two. One that does not within
    LEFTOVER_WAIT seconds (a call that cannot be interrupted) is left behind by
    ``os._exit``: its answer is written already, and tearing the interpreter down around
    a running solver thread would abort the process.
    """
    deadline = time.monotonic() + LEFTOVER_WAIT
    for job in _leftover:
        job.wait(max(0.0, deadline - time.monotonic()))
    if any(not job.wait(0) for job in _leftover):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
