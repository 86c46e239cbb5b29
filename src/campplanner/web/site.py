"""What the server holds: the workspace, the loaded versions, the running jobs.

A version is loaded once (instance, compiled problem, roster view, search keys) and kept
for the next pages; the newest two stay in memory. The reasons for a camp's empty slots
are worked out when its page is first asked for, in the page's language, and kept.
Solves and comparisons run as application-layer :class:`~campplanner.app.jobs.Job`\\ s, never in a
request; their results live in a temporary folder until the planner accepts one, and
only then reach the workspace.
"""

from __future__ import annotations

import json
import secrets
import shutil
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from campplanner.app.jobs import Job
from campplanner.contract.instance import instance_from_data, read_json
from campplanner.contract.schema import Instance, SolutionFile, Volunteer
from campplanner.contract.solution import roster_triples as solution_triples
from campplanner.contract.solution import solution_from_data
from campplanner.explain import Context, roster_from_assignments
from campplanner.io.solution_reader import load_solution
from campplanner.io.text import header_key
from campplanner.model.compile import compile_instance
from campplanner.model.problem import Problem
from campplanner.report.roster import CampView, Itinerary, RosterView
from campplanner.whatif.replace import EmptySlots
from campplanner.workspace import VersionInfo, Workspace

KEEP_LOADED = 2


def search_key(text: str) -> str:
    """Text reduced for search: Persian letters for Arabic ones, ASCII digits, no case,
    no spaces, zero-width non-joiners, ``_`` or ``-`` (``io/text.header_key``)."""
    return header_key(text)


@dataclass
class Loaded:
    """One version, ready for pages."""

    version: VersionInfo
    instance: Instance
    problem: Problem
    solution: SolutionFile | None
    view: RosterView | None
    assigned: np.ndarray
    camps: dict[str, CampView] = field(default_factory=dict)
    itineraries: dict[str, Itinerary] = field(default_factory=dict)
    volunteers: dict[str, Volunteer] = field(default_factory=dict)
    search_keys: list[tuple[str, str]] = field(default_factory=list)  # (key, volunteer id)
    cache: dict[str, Any] = field(default_factory=dict)  # what pages worked out, kept
    warmed: threading.Event = field(default_factory=threading.Event)  # see warm()

    @property
    def triples(self) -> list[tuple[str, str, str]]:
        return solution_triples(self.solution) if self.solution else []

    @property
    def empty_slots(self) -> EmptySlots:
        """Who could fill each empty slot, ranked (``replace``), built once."""
        if "empty slots" not in self.cache:
            self.cache["empty slots"] = EmptySlots(self.problem, self.assigned)
        return self.cache["empty slots"]

    def warm(self) -> None:
        """Build, ahead of the first camp page, what every camp page needs: the
        candidates grouped by requirement (a sort of 12 million on the season) and their
        camps, skills and values, the roster seen from each volunteer, the empty-slot
        ranking. Seconds on the season,
        run in the background once a version is loaded: the first planner to open a
        camp no longer waits for them."""
        try:
            for derived in (
                "requirement_candidates",
                "candidate_camp",
                "candidate_skill",
                "candidate_value",
            ):  # the problem's cached views of its arrays
                getattr(self.problem, derived)
            self.roster_context.volunteer_assignments  # noqa: B018
            self.roster_context.at_limit  # noqa: B018
            self.empty_slots  # noqa: B018
        finally:
            self.warmed.set()

    @property
    def roster_context(self) -> Context:
        """The roster seen from each volunteer and camp, for ``explain`` (built once)."""
        if "explain context" not in self.cache:
            status = self.solution.status if self.solution else "unknown"
            self.cache["explain context"] = Context(self.problem, self.assigned, status)
        return self.cache["explain context"]


def load_version(workspace: Workspace, info: VersionInfo) -> Loaded:
    """Read and compile a version from the workspace."""
    source = f"version {info.id}"
    instance = instance_from_data(json.loads(workspace.instance_json(info.id)), source)
    raw = workspace.solution_json(info.id)
    solution = None if raw is None else solution_from_data(json.loads(raw), source)
    return ready(info, instance, compile_instance(instance), solution)


def ready(
    info: VersionInfo, instance: Instance, problem: Problem, solution: SolutionFile | None
) -> Loaded:
    """A version for pages, from its parts (a solve's outcome has most of them already)."""
    source = f"version {info.id}"
    view = None
    assigned = np.zeros(0, dtype=np.int64)
    if solution is not None:
        view = RosterView.from_solution(instance, solution, source)
        if solution.assignments:
            assigned = roster_from_assignments(problem, solution_triples(solution))
    loaded = Loaded(info, instance, problem, solution, view, assigned)
    if view is not None:
        loaded.camps = {camp.id: camp for camp in view.camps}
        loaded.itineraries = {i.volunteer_id: i for i in view.itineraries}
    loaded.volunteers = {v.id: v for v in instance.volunteers}
    loaded.search_keys = [
        (search_key(v.name) + "\0" + search_key(v.id), v.id) for v in instance.volunteers
    ]
    return loaded


@dataclass
class Resolve:
    """A re-solve in the background, from version ``base`` with the pending ``edit_ids``."""

    job: Job
    base: int | None
    edit_ids: list[int]
    folder: Path
    finished: dict[str, Any] | None = None  # the diff and measures, once read


@dataclass
class Comparison:
    job: Job
    names: list[str]
    folder: Path


class Site:
    """The server's state (see the module docstring)."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        token: str | None = None,
        time_limit: float = 30.0,
        max_upload: int = 2_000_000,
        scratch: str | None = None,
    ):
        self.workspace = workspace
        self.token = token
        self.csrf = secrets.token_urlsafe(24)
        self.time_limit = time_limit
        self.max_upload = max_upload
        self.scratch = Path(scratch or tempfile.mkdtemp(prefix="campplanner-serve-"))
        self._loaded: OrderedDict[int, Loaded] = OrderedDict()
        self._lock = threading.Lock()
        self._load_locks: dict[int, threading.Lock] = {}
        self.resolves: dict[str, Resolve] = {}
        self.comparisons: dict[str, Comparison] = {}
        self._ids = iter(range(1, 1 << 62))

    def next_id(self) -> str:
        with self._lock:
            return str(next(self._ids))

    def loaded(self, version_id: int) -> Loaded | None:
        """The version, loaded once (concurrent requests wait for the one load)."""
        with self._lock:
            if version_id in self._loaded:
                self._loaded.move_to_end(version_id)
                return self._loaded[version_id]
            load_lock = self._load_locks.setdefault(version_id, threading.Lock())
        with load_lock:
            with self._lock:
                if version_id in self._loaded:
                    return self._loaded[version_id]
            info = self.workspace.version(version_id)
            if info is None:
                return None
            loaded = load_version(self.workspace, info)
            self.adopt(loaded)
            return loaded

    def adopt(self, loaded: Loaded) -> None:
        """Keep a loaded version (one built from a solve's outcome needs no second
        compile after accepting) and warm its camp pages in the background."""
        with self._lock:
            self._loaded[loaded.version.id] = loaded
            while len(self._loaded) > KEEP_LOADED:
                self._loaded.popitem(last=False)
        if loaded.solution is not None:
            threading.Thread(target=loaded.warm, name="campplanner-warm", daemon=True).start()
        else:
            loaded.warmed.set()  # no roster: no camp page to warm

    def head(self) -> Loaded | None:
        info = self.workspace.head()
        if info is None:
            return None
        loaded = self.loaded(info.id)
        if loaded is not None and loaded.version != info:  # published flag moved on
            loaded.version = info
        return loaded

    def running_job(self) -> str | None:
        for job_id, resolve in self.resolves.items():
            if not resolve.job.wait(0):
                return job_id
        for job_id, comparison in self.comparisons.items():
            if not comparison.job.wait(0):
                return job_id
        return None

    def folder(self) -> Path:
        folder = self.scratch / f"job-{self.next_id()}"
        folder.mkdir(parents=True)
        return folder

    def close(self) -> None:
        for resolve in self.resolves.values():
            resolve.job.cancel()
        for comparison in self.comparisons.values():
            comparison.job.cancel()
        shutil.rmtree(self.scratch, ignore_errors=True)


def read_files(instance_path: str, solution_path: str | None) -> tuple[bytes, bytes | None]:
    """The instance and the roster the planner opened, checked like ``validate`` and
    ``check`` read them (every problem of a file is an InstanceError naming it)."""
    data = read_json(instance_path)
    instance = instance_from_data(data, instance_path)
    instance_json = json.dumps(data, ensure_ascii=False).encode()
    solution_json = None
    if solution_path is not None:
        solution = load_solution(solution_path, instance)
        # unknown ids are refused with their path
        RosterView.from_solution(instance, solution, solution_path)
        solution_json = Path(solution_path).read_bytes()
        if Path(solution_path).suffix.lower() not in (".json", ".gz"):  # a roster workbook
            solution_json = solution.model_dump_json(exclude_none=True).encode()
    return instance_json, solution_json


def open_files(
    workspace: Workspace,
    instance_path: str,
    solution_path: str | None,
    files: tuple[bytes, bytes | None] | None = None,
) -> str:
    """Put the files the planner opened into the workspace, unless it has them already;
    the files themselves are never written. Returns what was done, in words."""
    instance_json, solution_json = files or read_files(instance_path, solution_path)
    head = workspace.head()
    known = workspace.find_version(instance_json, solution_json)
    if head is not None and known is not None:  # opened before: carry on where we were
        return f"workspace: version {head.id} (the files are version {known})"
    if head is not None and solution_json is None:
        return (
            f"workspace: version {head.id}; {instance_path} differs from it and was "
            "not imported (open it with a solution, or use another --workspace)"
        )
    version = workspace.add_version(
        instance_json,
        solution_json,
        parent=head.id if head else None,
        comment=f"opened {Path(instance_path).name}"
        + (f" + {Path(solution_path).name}" if solution_path else ""),
    )
    return f"workspace: imported the files as version {version}"
