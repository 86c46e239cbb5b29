"""A version of the workspace, opened for reading: its instance, compiled problem, roster
view and search keys, and what pages worked out from them, kept.

A version is opened once and kept for the next pages (:class:`OpenVersions` holds the
newest two). The reasons for a camp's empty slots are worked out when its page is first
asked for, in the page's language, and kept; what every camp page shares is built in the
background as soon as a version is opened (:meth:`OpenVersion.warm`).
"""

from __future__ import annotations

import json
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from campplanner.app.review.errors import (
    CampPlannerError,
    DamagedVersion,
    NotFound,
    UsageError,
    damaged,
)
from campplanner.contract.instance import instance_from_data
from campplanner.contract.schema import Instance, SolutionFile, Volunteer
from campplanner.contract.solution import roster_triples as solution_triples
from campplanner.contract.solution import solution_from_data
from campplanner.explain import Context, roster_from_assignments
from campplanner.io.text import header_key
from campplanner.model.compile import compile_instance
from campplanner.model.problem import Problem
from campplanner.report.roster import CampView, Itinerary, RosterView
from campplanner.whatif.replace import EmptySlots
from campplanner.workspace import VersionInfo, Workspace

KEEP_OPEN = 2
# What a version whose stored data is damaged raises when it is read back: the
# contract's refusal, bad JSON or gzip, a record of the wrong shape.
UNREADABLE = (CampPlannerError, ValueError, OSError, EOFError, zlib.error, LookupError, TypeError)


def search_key(text: str) -> str:
    """Text reduced for search: Persian letters for Arabic ones, ASCII digits, no case,
    no spaces, zero-width non-joiners, ``_`` or ``-`` (``io/text.header_key``)."""
    return header_key(text)


@dataclass
class OpenVersion:
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
    cache: dict[Any, Any] = field(default_factory=dict)  # what pages worked out, kept
    # the files it was opened from (instance, roster), for files made apart from it
    stored: tuple[bytes, bytes] | None = None
    warmed: threading.Event = field(default_factory=threading.Event)  # see warm()

    @property
    def triples(self) -> list[tuple[str, str, str]]:
        return solution_triples(self.solution) if self.solution else []

    @property
    def search_keys(self) -> list[tuple[str, str]]:
        """(name and id reduced for search, volunteer id) of every volunteer, built once
        (by ``warm``, off the accept's path: 44,000 texts on the season)."""
        if "search keys" not in self.cache:
            self.cache["search keys"] = [
                (search_key(v.name) + "\0" + search_key(v.id), v.id)
                for v in self.instance.volunteers
            ]
        return self.cache["search keys"]

    @property
    def empty_slots(self) -> EmptySlots:
        """Who could fill each empty slot, ranked (``replace``), built once."""
        if "empty slots" not in self.cache:
            self.cache["empty slots"] = EmptySlots(self.problem, self.assigned)
        return self.cache["empty slots"]

    def warm(self, then: Callable[[OpenVersion], None] = lambda opened: None) -> None:
        """Build, ahead of the first camp page, what every camp page needs: the
        candidates grouped by requirement (a sort of 12 million on the season) and their
        camps, skills and values, the roster seen from each volunteer, the empty-slot
        ranking, then start ``then`` (files made ahead). Seconds on the season,
        run in the background once a version is opened: the first planner to open a
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
            self.search_keys  # noqa: B018
            then(self)
        finally:
            self.warmed.set()

    @property
    def roster_context(self) -> Context:
        """The roster seen from each volunteer and camp, for ``explain`` (built once)."""
        if "explain context" not in self.cache:
            status = self.solution.status if self.solution else "unknown"
            self.cache["explain context"] = Context(self.problem, self.assigned, status)
        return self.cache["explain context"]


@contextmanager
def reading(version_id: int) -> Iterator[None]:
    """Read version ``version_id`` back from the workspace: what cannot be read is
    :class:`DamagedVersion` (said on the page), not an internal error; the session's own
    refusals (no such version...) pass."""
    try:
        yield
    except (NotFound, UsageError, DamagedVersion):
        raise
    except UNREADABLE as error:
        raise damaged(version_id, error) from error


def open_version(workspace: Workspace, info: VersionInfo) -> OpenVersion:
    """Read and compile a version from the workspace."""
    source = f"version {info.id}"
    instance_json = workspace.instance_json(info.id)
    instance = instance_from_data(json.loads(instance_json), source)
    raw = workspace.solution_json(info.id)
    solution = None if raw is None else solution_from_data(json.loads(raw), source)
    opened = ready(info, instance, compile_instance(instance), solution)
    opened.stored = None if raw is None else (instance_json, raw)
    return opened


def ready(
    info: VersionInfo,
    instance: Instance,
    problem: Problem,
    solution: SolutionFile | None,
    assigned: np.ndarray | None = None,
) -> OpenVersion:
    """A version for pages, from its parts (a solve's outcome has most of them already:
    ``assigned``, the roster as candidate indices of ``problem``, if known)."""
    source = f"version {info.id}"
    view = None
    if assigned is not None:
        assigned = np.unique(assigned).astype(np.int64)
    elif solution is not None and solution.assignments:
        assigned = roster_from_assignments(problem, solution_triples(solution))
    else:
        assigned = np.zeros(0, dtype=np.int64)
    if solution is not None:
        view = RosterView.from_solution(instance, solution, source)
    opened = OpenVersion(info, instance, problem, solution, view, assigned)
    if view is not None:
        opened.camps = {camp.id: camp for camp in view.camps}
        opened.itineraries = {i.volunteer_id: i for i in view.itineraries}
    opened.volunteers = {v.id: v for v in instance.volunteers}
    return opened


class OpenVersions:
    """The versions opened so far, the newest ``KEEP_OPEN`` of them kept in memory."""

    def __init__(
        self, workspace: Workspace, then: Callable[[OpenVersion], None] = lambda opened: None
    ):
        self.workspace = workspace
        self.then = then  # what to do with a version once warm (make files ahead)
        self._open: OrderedDict[int, OpenVersion] = OrderedDict()
        self._lock = threading.Lock()
        self._open_locks: dict[int, threading.Lock] = {}

    def get(self, version_id: int) -> OpenVersion | None:
        """The version, opened once (concurrent requests wait for the one opening)."""
        with self._lock:
            if version_id in self._open:
                self._open.move_to_end(version_id)
                return self._open[version_id]
            open_lock = self._open_locks.setdefault(version_id, threading.Lock())
        with open_lock:
            with self._lock:
                if version_id in self._open:
                    return self._open[version_id]
            info = self.workspace.version(version_id)
            if info is None:
                return None
            with reading(info.id):  # what was stored may not read back
                opened = open_version(self.workspace, info)
            self.adopt(opened)
            return opened

    def adopt(self, opened: OpenVersion) -> None:
        """Keep an open version (one built from a solve's outcome needs no second
        compile after accepting) and warm its camp pages in the background."""
        with self._lock:
            self._open[opened.version.id] = opened
            while len(self._open) > KEEP_OPEN:
                self._open.popitem(last=False)
        if opened.solution is not None:
            threading.Thread(
                target=opened.warm, args=(self.then,), name="campplanner-warm", daemon=True
            ).start()
        else:
            opened.warmed.set()  # no roster: no camp page to warm

    def head(self) -> OpenVersion | None:
        """The newest version, open (the one edits and re-solves start from)."""
        info = self.workspace.head()
        if info is None:
            return None
        opened = self.get(info.id)
        if opened is not None and opened.version != info:  # published flag moved on
            opened.version = info
        return opened
