"""The review's background work: re-solves and comparisons, by id, each with a scratch
folder.

They run as application-layer :class:`~campplanner.app.jobs.Job`\\ s, never in a request;
their results live in the scratch folder until the planner accepts one, and only then
reach the workspace. One runs at a time (the machines are small). A finished job is
kept for its page until it is accepted or discarded, or until :data:`KEEP_FINISHED`
newer ones have finished: then it is forgotten and its folder deleted (issue 26: each
re-solve of medium kept 21 MB and its folder, a season's folder hundreds of MB).
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from campplanner.app.jobs import Job

KEEP_FINISHED = 3  # finished, unaccepted re-solves (and comparisons) kept, the newest
# a planner's second click of accept this many seconds after the first stored its
# version joins it (a double click): the page goes on to the versions, not a refusal
REJOIN = 10.0
KEEP_FILES = 8  # files made for downloads kept, the newest (in memory)


@dataclass
class Resolve:
    """A re-solve in the background, from version ``base`` with the pending ``edit_ids``."""

    job: Job
    base: int | None
    edit_ids: list[int]
    folder: Path
    finished: dict[str, Any] | None = None  # the diff and measures, once read
    # what forgetting it stops (its new version's files made ahead), when not accepted
    on_forget: Callable[[], None] | None = None


@dataclass
class FileJob:
    """A version's file made in the background (the season's workbook takes seconds):
    fetched once made, by id."""

    job: Job
    version: int
    kind: str
    by: str  # the account that asked for it: theirs alone to read (phones)
    # what the audit entry of fetching it adds (a county, whether it holds phones)
    audit: dict[str, Any] = field(default_factory=dict)
    label: str = ""  # what it holds in the reader's words: a county's name
    name: str | None = None  # the file's name, when not the one it was made with


@dataclass
class Accepting:
    """A re-solve being accepted in the background (on the season a second or two: the
    new version's files awaited, stored, opened): the accept itself, once, however many
    clicks join it."""

    job: Job
    resolve: str  # the re-solve's id
    by: str  # who clicked first: the audit's accept is theirs

    def recent(self) -> bool:
        """Ended less than REJOIN seconds ago (its last phase begun then, at least)?"""
        control = self.job.control
        last = control.events[-1].elapsed if control.events else 0.0
        return time.monotonic() - (control.started + last) < REJOIN


@dataclass
class Comparison:
    """Scenario files compared in the background against version ``base``'s instance."""

    job: Job
    names: list[str]
    folder: Path


class Background:
    """The re-solves and comparisons started in this session, by id."""

    def __init__(self, scratch: str | None = None, run: int | None = None):
        self.scratch = Path(scratch or tempfile.mkdtemp(prefix="campplanner-serve-"))
        # a re-solve's id is ``RUN-N`` given ``run`` (the server's run of the workspace):
        # never one of an earlier run's, for the workspace keeps what became of it
        self.prefix = "" if run is None else f"{run}-"
        self.resolves: dict[str, Resolve] = {}
        self.comparisons: dict[str, Comparison] = {}
        self.files: dict[str, FileJob] = {}
        self.accepts: dict[str, Accepting] = {}  # by the accept's own id
        self._lock = threading.Lock()
        self._ids = iter(range(1, 1 << 62))

    def next_id(self) -> str:
        with self._lock:
            return str(next(self._ids))

    def next_resolve_id(self) -> str:
        """A re-solve's id: numbered apart from every earlier run's (the workspace keeps
        which re-solve was accepted by its id), and from this run's other jobs."""
        return self.prefix + self.next_id()

    def running(self) -> str | None:
        """The id of a re-solve or comparison still running, if there is one."""
        for job_id, resolve in list(self.resolves.items()):  # forgotten meanwhile: fine
            if not resolve.job.wait(0):
                return job_id
        for job_id, comparison in list(self.comparisons.items()):
            if not comparison.job.wait(0):
                return job_id
        return None

    def job(self, job_id: str) -> Job | None:
        """The job of a re-solve, a comparison or a file."""
        found = self.resolves.get(job_id) or self.comparisons.get(job_id) or self.files.get(job_id)
        return None if found is None else found.job

    def accepting(self, resolve_id: str) -> tuple[str, Accepting] | None:
        """The newest accept of re-solve ``resolve_id`` (its id and job), if any."""
        found = [(key, a) for key, a in list(self.accepts.items()) if a.resolve == resolve_id]
        return found[-1] if found else None

    def add_accept(self, accept_id: str, accepting: Accepting) -> None:
        """Keep an accept for its page; the oldest finished beyond KEEP_FILES are
        forgotten (what each keeps is its version's number, or why it was refused)."""
        with self._lock:
            self.accepts[accept_id] = accepting
            finished = [key for key, entry in self.accepts.items() if entry.job.wait(0)]
            for key in finished[:-KEEP_FILES] if len(finished) > KEEP_FILES else []:
                del self.accepts[key]

    def add_file(self, job_id: str, made: FileJob) -> None:
        """Keep a file being made; the oldest finished beyond KEEP_FILES are forgotten
        (the files are in memory: a season's workbook is megabytes)."""
        with self._lock:
            self.files[job_id] = made
            finished = [key for key, entry in self.files.items() if entry.job.wait(0)]
            for key in finished[:-KEEP_FILES] if len(finished) > KEEP_FILES else []:
                del self.files[key]

    def forget(self, job_id: str) -> None:
        """Forget a re-solve or a comparison (cancelled if it still runs) and delete its
        folder."""
        with self._lock:
            found = self.resolves.pop(job_id, None) or self.comparisons.pop(job_id, None)
            made = self.files.pop(job_id, None)
        if made is not None:
            made.job.cancel()
        if found is not None:
            found.job.cancel()
            if isinstance(found, Resolve) and found.on_forget is not None:
                found.on_forget()
            shutil.rmtree(found.folder, ignore_errors=True)

    def prune(self) -> None:
        """Keep the newest KEEP_FINISHED finished re-solves and as many comparisons;
        forget the older ones (their results and folders)."""
        for jobs in (self.resolves, self.comparisons):
            finished = [job_id for job_id, entry in list(jobs.items()) if entry.job.wait(0)]
            for job_id in finished[:-KEEP_FINISHED] if KEEP_FINISHED else finished:
                self.forget(job_id)

    def folder(self) -> Path:
        """A new job's folder, once the oldest finished jobs beyond those kept are gone."""
        self.prune()
        folder = self.scratch / f"job-{self.next_id()}"
        folder.mkdir(parents=True)
        return folder

    def close(self) -> None:
        for resolve in list(self.resolves.values()):
            resolve.job.cancel()
        for comparison in list(self.comparisons.values()):
            comparison.job.cancel()
        for made in list(self.files.values()):
            made.job.cancel()
        shutil.rmtree(self.scratch, ignore_errors=True)
