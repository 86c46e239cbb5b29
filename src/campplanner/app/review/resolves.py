"""Re-solving with the pending edits, in the background, and accepting the result.

Re-solving applies every pending edit to the current version's instance, exactly as a
scenario file would (``edits.edited_instance``), and re-plans from its roster with the
fewest changes. Nothing reaches the workspace until the planner accepts the roster.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from campplanner.app.jobs import STOP_GRACE, Job, JobControl, ProgressEvent, run_in_foreground
from campplanner.app.review.background import Background, Resolve
from campplanner.app.review.calls import edited_people
from campplanner.app.review.downloads import Handover, make_ahead, start_ahead, stop_ahead
from campplanner.app.review.edits import edited_instance
from campplanner.app.review.errors import Worded
from campplanner.app.review.permissions import Scope
from campplanner.app.review.reads import bound_season, named_stops, roster_diff
from campplanner.app.review.versions import OpenVersion, ready
from campplanner.app.solving import (
    Prepared,
    Published,
    SolveOutcome,
    SolveRequest,
    load_published,
    solve_work,
    unexplained_solution_json,
)
from campplanner.contract.errors import plain_reason
from campplanner.contract.instance import instance_from_data, load_instance
from campplanner.contract.schema import Instance
from campplanner.contract.solution import instance_fingerprint, solution_from_data
from campplanner.model.baseline import baseline_from_triples
from campplanner.model.compile import closed_camps, compile_instance, recompiled
from campplanner.model.problem import Problem
from campplanner.solver import SolveOptions
from campplanner.whatif.diff import published_roster, roster_triples
from campplanner.whatif.scenario import edited_model
from campplanner.workspace import VersionInfo, Workspace

DIFF_KEYS = (
    "changed_assignments",
    "people_changed",
    "added",
    "removed",
    "moved",
    "camps_affected",
)  # what the re-plan section and roster_diff share


@dataclass(frozen=True)
class Accepted:
    """What accepting a re-solve stores (its instance and roster) and opens (its pages,
    from the solve's own compiled problem, or the season's it narrowed; None for a
    county's scope or a freeze read from the file)."""

    instance_json: bytes
    solution_json: bytes
    opened: OpenVersion | None


class AheadOfAccept:
    """What accepting stores that the solve's roster does not change, worked out while
    the search runs (it leaves the GIL to CP-SAT most of the time): the instance with
    the edits as the version keeps it, and its fingerprint. On the season they are 2-3
    CPU seconds that an accept clicked at once would otherwise wait for. Then the new
    version's files made ahead (``downloads.start_ahead``: the season's workbook), its
    instance read in their child process while the search runs, its roster handed over
    (``roster``) as soon as the solve ends: an accept clicked at once finds it (nearly)
    made. ``season``: the version's compiled season, for the files' reasons."""

    def __init__(
        self,
        base_json: bytes,
        ops: list[dict[str, Any]],
        instance: Instance,
        season: Problem | None = None,
    ):
        self.base_json, self.ops, self.instance = base_json, ops, instance
        self.season = season
        self.edited_json: bytes | None = None
        self.fingerprint: dict[str, Any] | None = None
        self.roster = Handover()
        self.workbooks: dict[tuple[str, str, str], Job] = {}  # by ``opened.cache`` key
        self._dropped = False
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start_at_search(self, event: ProgressEvent) -> None:
        """A solve's listener: start once its neighbourhood search does (not before: the
        first roster is Python's work, which this would slow)."""
        if self._thread is None and event.stage == SEARCH_STAGE:
            self._thread = threading.Thread(
                target=self._work, name="campplanner-ahead-of-accept", daemon=True
            )
            self._thread.start()

    def _work(self) -> None:
        try:
            self.edited_json = edited_instance(self.base_json, self.ops)
            self.fingerprint = instance_fingerprint(self.instance)
        except Exception:  # made again at accept, which then says why
            self.edited_json = self.fingerprint = None
            return
        if self.season is None:
            return
        with self._lock:
            if not self._dropped:
                self.workbooks = start_ahead(
                    self.edited_json, self.season, len(self.instance.volunteers), self.roster
                )

    def finished(self) -> AheadOfAccept:
        """Wait for the work under way (none if the search never started)."""
        if self._thread is not None:
            self._thread.join()
        return self

    def hand_over(
        self, solution_json: bytes, instance_json: bytes, assigned: np.ndarray | None = None
    ) -> None:
        """The roster is known: the files started ahead make themselves of it (started
        now, of ``instance_json``, if the search did not start them: a solve that never
        reached its search)."""
        self.finished()
        with self._lock:
            if not self._dropped and not self.workbooks and self.season is not None:
                volunteers = len(self.instance.volunteers)
                self.workbooks = start_ahead(instance_json, self.season, volunteers, self.roster)
        self.roster.give(solution_json, assigned)

    def drop(self, asked: Collection[Job] = ()) -> None:
        """Stop the files started ahead that no planner has ``asked`` for, and start
        none (the re-solve was discarded or failed, or another needs the cores)."""
        with self._lock:
            self._dropped = True
            for key, job in list(self.workbooks.items()):
                if job not in asked and not job.wait(0):
                    job.cancel()
                    del self.workbooks[key]


SEARCH_STAGE = "neighbourhood search"  # the solver's stage that AheadOfAccept waits for


@dataclass
class Replanned:
    """A finished re-solve: the solve's outcome and what the page shows of it."""

    outcome: SolveOutcome
    base_json: bytes  # the current version's instance
    ops: list[dict[str, Any]]  # the edits the re-solve applied to it
    shown: dict[str, Any]  # status, coverage, bound and the diff (who to call), or error
    # solved with a county's scope, or a freeze (outcome.problem is not the version's;
    # ``season`` is, when the scope was applied in memory)
    scoped: bool = False
    edited_json: bytes | None = None  # the instance with the edits, once written
    # the version whose season the bound was proven for, when it is an earlier one's
    # that the edits cannot raise (None: this re-plan's own)
    bound_season: int | None = None
    # the edited season's problem when the one solved had fewer candidates (the edits'
    # changes only): the accepted version's pages need the whole season
    season: Problem | None = None
    base_info: VersionInfo | None = None  # the version re-planned from
    ahead: AheadOfAccept | None = None  # what was made while the search ran
    accepted: bool = False  # its files made ahead are the new version's: kept
    _stopped: bool = False  # its files made ahead stopped: none started again
    _files: Accepted | None = None
    _unscoped_json: bytes | None = None  # the solution file, before a scope is taken off
    _making: threading.Lock = field(default_factory=threading.Lock)

    def files(self) -> Accepted:
        """What accepting stores and opens, made once: by ``prepare`` in the background
        as soon as the diff is shown (the planner reads it meanwhile), or by the accept
        that comes first (it waits for the one under way)."""
        with self._making:
            if self._files is None:
                self._files = self._make_files()
            return self._files

    def files_ready(self) -> bool:
        """Are the accept's files made (accepting then only writes the workspace)?"""
        return self._files is not None

    def prepare(self) -> None:
        """Make the files in the background (a daemon thread), at once; then the new
        version's season workbook (``downloads.make_ahead``), so that a download
        clicked after accepting answers at once too."""
        threading.Thread(target=self._prepare, name="campplanner-accept", daemon=True).start()

    def _prepare(self) -> None:
        opened = self.files().opened
        if opened is not None and not self._stopped:
            make_ahead(opened)

    def hand_over_early(self) -> None:
        """Hand the roster to the files the search started ahead (the season's
        workbook), as soon as the solve ends, before the diff is worked out: the
        solution file the version keeps (a county's scope, taken off it, waits for
        ``files``)."""
        if self.scoped or self.ahead is None or not self.ahead.finished().workbooks:
            return
        with self._making:
            self.ahead.roster.give(self._solution_json(), self._assigned())

    def _assigned(self) -> np.ndarray | None:
        """The roster as the accepted version's season's candidates (sorted), when the
        solve's are those (not a narrowed problem's)."""
        if self.season is not None:
            return None
        return np.unique(self.outcome.result.assigned).astype(np.int64)

    def _solution_json(self) -> bytes:
        """The roster's solution file, made once (before a county's scope is taken off
        it)."""
        if self._unscoped_json is None:
            more = None
            if self.bound_season is not None:
                more = {"bound_season": {"version": self.bound_season}}
            fingerprint = None
            ahead = self.ahead
            if ahead is not None and ahead.finished().instance is self.outcome.instance:
                fingerprint = ahead.fingerprint  # None if it could not be made
            made = unexplained_solution_json(self.outcome, more, fingerprint)
            self._unscoped_json = made.encode()
        return self._unscoped_json

    def _make_files(self) -> Accepted:
        solution_json = self._solution_json()
        instance_json = self.instance_json()
        if self.scoped and self.season is None:  # read from the file: not the version's
            fingerprint = instance_fingerprint(instance_from_data(json.loads(instance_json)))
            return Accepted(instance_json, unscoped(solution_json, fingerprint), None)
        if self.scoped:  # a county's, in memory: the outcome's instance is the version's
            solution_json = unscoped(solution_json, instance_fingerprint(self.outcome.instance))
        if self.ahead is not None:  # the files started ahead make themselves of it now
            assigned = None if self.scoped else self._assigned()
            self.ahead.hand_over(solution_json, instance_json, assigned)
        solution = solution_from_data(json.loads(solution_json))
        if self.season is None:  # the solve's own problem: its roster's indices hold
            problem, assigned = self.outcome.problem, self.outcome.result.assigned
        else:
            problem, assigned = self.season, None
        # opened with the base's record; the new version's replaces it at accept
        opened = ready(self.base_info, self.outcome.instance, problem, solution, assigned)
        opened.stored = (instance_json, solution_json)
        if self.ahead is not None:  # the version's own: made of this instance and roster
            opened.cache.update(self.ahead.workbooks)
        return Accepted(instance_json, solution_json, opened)

    def drop_ahead(self, asked: Collection[Job] = ()) -> None:
        """Stop the new version's files being made ahead that nobody has ``asked`` for
        (the re-solve discarded or forgotten, or another re-solve needs the cores),
        unless it was accepted: a later click makes them, for the version it is of."""
        if self.accepted:
            return
        self._stopped = True
        if self.ahead is not None:
            self.ahead.drop(asked)
        if self._files is not None and self._files.opened is not None:
            stop_ahead(self._files.opened, asked)

    def instance_json(self) -> bytes:
        """The instance with the edits, what the accepted version keeps: written when
        asked (at accept) when the re-solve edited the version's compiled instance in
        memory rather than reading the edited file (a second or two on the season)."""
        if self.edited_json is None and self.ahead is not None:
            self.edited_json = self.ahead.finished().edited_json
        if self.edited_json is None:
            self.edited_json = edited_instance(self.base_json, self.ops)
        return self.edited_json


# Edits that cannot raise the season's maximum coverage: each takes rosters away (a
# day someone is away, a pair forbidden, a lock that holds) and adds none, so a bound
# proven for the season before them holds after them (docs/model.md, "One bound per
# season").
BOUND_KEEPING_EDITS = ("unavailable", "forbid", "lock")


def parent_bound(
    solution: dict[str, Any] | None, base: int, ops: list[dict[str, Any]]
) -> tuple[int, int] | None:
    """(the bound, the version whose season it was proven for) that a re-plan from
    version ``base`` (its solution file's data: ``solution``) with the edits ``ops``
    inherits; None when an edit could raise it, or the version has no bound."""
    if solution is None or any(op.get("op") not in BOUND_KEEPING_EDITS for op in ops):
        return None
    bound = solution.get("coverage_bound")
    if not isinstance(bound, int) or isinstance(bound, bool):
        return None
    return bound, bound_season(solution, base)


def edits_only(prepared: Prepared, ops: list[dict[str, Any]]) -> Prepared:
    """The re-plan that changes only what the edits force: everyone the edits do not
    name (``calls.edited_people``, the split of the call list) may keep their own places
    of the roster re-planned from, or lose them, and take no other; the people named,
    anything the rules allow. A problem with those candidates alone (and the locks):
    every roster of it is a roster of the season, and its re-plan makes no call but the
    ones the edits need (or that losing a place forces: a camp left without its essential
    roles cannot run)."""
    problem, published = prepared.problem, prepared.published
    named = [
        problem.volunteer_index[v]
        for v in edited_people([{"ops": ops}])
        if v in problem.volunteer_index
    ]
    keep = np.isin(problem.candidate_volunteer, np.asarray(named, dtype=np.int64))
    keep[problem.locked_candidates] = True
    if published is not None:
        keep[published.baseline.kept] = True
    candidates = np.flatnonzero(keep)
    small = problem.restricted(candidates)
    if published is not None:
        kept = np.searchsorted(candidates, published.baseline.kept).astype(np.int64)
        published = replace(published, baseline=replace(published.baseline, kept=kept))
    return Prepared(prepared.instance, small, published)


def read_prepared(request: SolveRequest) -> Prepared:
    """The instance and roster files of ``request``, read and compiled as ``solve_work``
    reads them (a re-solve that cannot reuse the current version's season, as a
    county's, when it must restrict the candidates before solving)."""
    instance = load_instance(request.instance_path)
    problem = compile_instance(instance)
    published = None
    if request.baseline_path is not None:
        published = load_published(problem, request.baseline_path, instance, request.instance_path)
    return Prepared(instance, problem, published)


def reused(opened: OpenVersion, ops: list[dict[str, Any]]) -> Prepared | None:
    """The current version's instance and compiled problem with the edits ``ops``
    applied in memory (``whatif.scenario.edited_model``, ``model.compile.recompiled``),
    and its roster to re-plan from: the season is not read and compiled again (8 CPU
    seconds of a re-solve before, a fraction of one now). None when an edit is of a
    kind this does not apply (a county's scope closes camps) or cannot be applied: the
    re-solve then reads the edited instance as a file would be read."""
    if ops:
        found = edited_model(opened.instance, ops, opened.instance.name)  # as the file
        if found is None:
            return None
        instance, changed = found
        problem = recompiled(opened.problem, instance, changed)
    else:
        instance, problem = opened.instance, opened.problem
    published = None
    if opened.solution is not None:
        triples, cancelled = published_roster(opened.solution)
        published = Published(
            triples, cancelled, baseline_from_triples(problem, triples, cancelled)
        )
    return Prepared(instance, problem, published)


def scoped(prepared: Prepared, scope: Scope) -> Prepared | None:
    """The season with the edits (``prepared``, from :func:`reused`) with a county
    coordinator's ``scope`` applied in memory (``model.compile.closed_camps``): the other
    counties' camps keep their teams (locked, no bed left) and the empty ones are closed,
    as ``Scope.ops`` does to the instance file, the problem array for array the one the
    file compiles to, without reading or compiling the season. None when it cannot be
    (a lock with no candidate: the file path then says why)."""
    problem = prepared.problem
    volunteers, camps = scope.closed_pairs()  # of the current version's season
    closing = zip(volunteers.tolist(), camps.tolist(), strict=True)
    forbidden = problem.forbidden_pairs | frozenset(closing)
    volunteer_of, camp_of = problem.volunteer_index, problem.camp_index
    skill_of = problem.skill_index
    locks = np.array(
        [
            (volunteer_of[a["volunteer"]], camp_of[a["camp"]], skill_of[a["skill"]])
            for team in scope.teams.values()
            for a in team
        ],
        dtype=np.int64,
    ).reshape(-1, 3)
    capacity = {camp_of[camp]: len(team) for camp, team in scope.teams.items()}
    first_lock = len(prepared.instance.locked)
    empty = np.asarray(scope.empty, dtype=np.int64)
    name = prepared.instance.name  # the season's, as the scoped file keeps it
    narrowed = closed_camps(problem, empty, forbidden, locks, first_lock, capacity, name)
    if narrowed is None:
        return None
    published = prepared.published
    if published is not None:
        baseline = baseline_from_triples(narrowed, published.triples, published.cancelled)
        published = replace(published, baseline=baseline)
    return Prepared(prepared.instance, narrowed, published)


def with_confirmed(baseline: bytes, confirmed: list[dict[str, str]] | None) -> bytes:
    """The current version's solution file with the assignments its volunteers confirmed
    (their links' answers) as its ``confirmed`` list: what ``solve --freeze-until``
    keeps unless moving one runs an essential role (docs/cli.md)."""
    if not confirmed:
        return baseline
    data = json.loads(baseline)
    data["confirmed"] = confirmed
    return json.dumps(data, ensure_ascii=False).encode()


def start_resolve(
    workspace: Workspace,
    background: Background,
    time_limit: float,
    scope: Scope | None = None,
    only: set[int] | None = None,
    opened: OpenVersion | None = None,
    work_limit: float | None = None,
    only_forced: bool = False,
    freeze_until: str | None = None,
    confirmed: list[dict[str, str]] | None = None,
) -> str:
    """Re-plan from the current version with the pending edits, in the background;
    ``scope``: what keeps a county coordinator's re-solve inside its counties
    (``permissions.Scope``: applied to the compiled season, ``scoped``, else as scenario
    edits to the file), solved with but not kept in the accepted version;
    ``only``: the pending edits it applies (the county's own; None: every one), the
    others stay pending; ``opened``: the current version, open (its compiled season is
    reused, the edits applied to it: ``reused``); ``work_limit``: end on deterministic
    work (SolveOptions.work_limit), for tests and benchmarks that compare rosters.
    ``freeze_until``: only the future moves (``solve --freeze-until``): camps starting
    before that day keep their teams as in the current version, and its confirmed
    assignments hold (the edited season read, not reused).

    The time limit counts from here, the planner's click: applying the edits, reading
    and compiling the edited instance, solving and the diff all happen inside it (the
    solver gets what is left after compiling). Nothing is explained: a camp's page
    explains its own empty slots when it is opened; the solution file is written when
    the planner accepts the roster.
    """
    started = time.monotonic()
    head = workspace.head()
    if head is None:
        raise Worded("the workspace has no version", key="no_version")
    pending = [e for e in workspace.pending_edits() if only is None or e.id in only]
    edit_ids = [e.id for e in pending]
    ops = [op for edit in pending for op in edit.ops]
    instance_json = workspace.instance_json(head.id)
    baseline = workspace.solution_json(head.id)
    folder = background.folder()
    options = SolveOptions(time_limit=time_limit, work_limit=work_limit)
    inherited = None
    if scope is None:  # a county's scope is solved apart and keeps no bound
        if opened is not None and opened.version.id == head.id and opened.solution is not None:
            parent = opened.solution.model_dump(include={"coverage_bound"})
            parent.update(opened.solution.model_extra or {})
        else:
            parent = None if baseline is None else json.loads(baseline)
        inherited = parent_bound(parent, head.id, ops)
    if inherited is not None:
        options = replace(options, known_bound=inherited[0])
    if opened is not None and opened.version.id != head.id:
        opened = None  # not the current version: read the workspace's

    # the instance file solved is not the version's: the other counties' camps closed,
    # or the past frozen (the accepted version is then opened from the workspace)
    narrowed_file = scope is not None or (freeze_until is not None and baseline is not None)

    def work(control: JobControl) -> Replanned:
        prepared = None
        if opened is not None and freeze_until is None:
            control.report("applying the edits")
            prepared = reused(opened, ops)
        season = None  # the season's problem, when the one solved has fewer candidates
        if prepared is not None and scope is not None:
            season = prepared.problem  # the version accepted keeps the whole season's
            prepared = scoped(prepared, scope)
            season = season if prepared is not None else None
        if prepared is not None and only_forced:
            season = prepared.problem if season is None else season  # the whole season
            prepared = edits_only(prepared, ops)
        if prepared is not None:
            request = SolveRequest(
                "the current version with the edits", options, explain=False, prepared=prepared
            )
            edited = None
        else:
            control.report("reading")
            edited = edited_instance(instance_json, ops)
            solved_json = edited_instance(edited, scope.ops()) if scope is not None else edited
            (folder / "instance.json").write_bytes(solved_json)
            baseline_path = None
            if baseline is not None:
                baseline_path = str(folder / "baseline.json")
                (folder / "baseline.json").write_bytes(with_confirmed(baseline, confirmed))
            request = SolveRequest(
                str(folder / "instance.json"),
                options,
                baseline_path=baseline_path,
                explain=False,
                freeze_until=freeze_until if baseline_path else None,
            )
            if only_forced:  # read and compiled here, to solve the edits' changes alone
                prepared = read_prepared(request)
                season = None if narrowed_file else prepared.problem  # else not the version's
                prepared = edits_only(prepared, ops)
                request = replace(request, prepared=prepared)
        # The solve in its own job, watched as the command line watches it: it is
        # stopped STOP_GRACE seconds before the limit, and one that cannot stop at once
        # (a model being built) answers at the limit with the best roster it holds, and
        # winds down alone.
        solving = Job(lambda inner: solve_work(request, inner), "solve", control.started)
        solving.listen(lambda e: control.report(e.phase, e.coverage, e.bound, e.message, e.stage))
        ahead = None
        if prepared is not None and edited is None:  # the edited file is not written yet
            # the accepted version's season: the one solved, or the whole one it narrowed
            whole = prepared.problem if season is None else season
            ahead = AheadOfAccept(instance_json, ops, prepared.instance, whole)
            solving.listen(ahead.start_at_search)
        control.on_cancel(solving.cancel)
        stop_at = control.started + max(options.time_limit - STOP_GRACE, options.time_limit / 2)
        try:
            outcome, _ = run_in_foreground(solving, deadline=stop_at)
        except BaseException:
            if ahead is not None:
                ahead.finished().drop()  # no roster for the files started ahead
            raise
        if only_forced:
            outcome = forced_only_outcome(outcome, inherited)
        bound_of = None
        if inherited is not None and outcome.result.coverage_bound == inherited[0]:
            bound_of = inherited[1]  # the parent's bound held: it is its season's
        replanned = Replanned(
            outcome, instance_json, ops, {}, narrowed_file, edited, bound_of, season, head, ahead
        )
        if outcome.result.has_roster and not forgotten.is_set():
            replanned.hand_over_early()  # the new version's workbook made of it from now
        forced = edited_people([{"ops": ops}])
        replanned.shown = shown_outcome(outcome, head.id, bound_of, forced)
        if replanned.shown.get("error") is None and not forgotten.is_set():
            replanned.prepare()  # what accept stores, while the planner reads the diff
        else:  # no roster to accept, or discarded meanwhile: nothing made ahead kept
            if ahead is not None:
                ahead.finished()
            replanned.drop_ahead()
        return replanned

    forgotten = threading.Event()  # discarded, or forgotten for newer ones

    def forget() -> None:
        forgotten.set()
        if job.wait(0) and job.error is None:
            job.result().drop_ahead()

    job = Job(work, "solve", started).start()
    job_id = background.next_resolve_id()
    background.resolves[job_id] = Resolve(job, head.id, edit_ids, folder, on_forget=forget)
    return job_id


def stop_ahead_of_resolves(background: Background, asked: Collection[Job]) -> None:
    """Stop the files being made ahead for the finished re-solves' new versions that
    nobody has ``asked`` for (a new re-solve needs the cores); accepting one of those
    re-solves later makes its files on the click."""
    for resolve in list(background.resolves.values()):
        if resolve.job.wait(0) and resolve.job.error is None:
            resolve.job.result().drop_ahead(asked)


def forced_only_outcome(outcome: SolveOutcome, inherited: tuple[int, int] | None) -> SolveOutcome:
    """A re-plan of the edits' changes alone, with no bound but the parent's: the one
    proven on its fewer candidates bounds them, not the season."""
    result = outcome.result
    bound = None if inherited is None else inherited[0]
    optimal = bound is not None and result.coverage is not None and result.coverage >= bound
    if result.has_roster:
        status = "optimal" if optimal else "feasible"
        result = replace(result, coverage_bound=bound, status=status)
    return replace(outcome, result=result)


def shown_outcome(
    outcome: SolveOutcome,
    base: int | None = None,
    season: int | None = None,
    forced: set[str] | None = None,
) -> dict[str, Any]:
    """What the page shows of a finished re-solve: its measures and who to call (the
    solve's own diff against the version it started from, with names); the bound's
    season: ``bound_season``, the version whose season it was proven for (``season``,
    an earlier version's the edits cannot raise), or None for the re-plan's own season
    (version ``base`` with the edits). Given ``forced``, the people the edits name,
    each change says whether the edits needed it (``needed``: they name the person, or
    their place is no longer possible) or the re-plan found it besides, and the diff
    counts both (``needed``, ``improvements``: people), as the call list splits them."""
    result = outcome.result
    if not result.has_roster:
        return {"error": f"no roster: {result.status}", "status": result.status}
    names = {v.id: v.name for v in outcome.instance.volunteers}
    if outcome.replan is not None:
        diff = {key: outcome.replan[key] for key in DIFF_KEYS}
        for key in ("added", "removed", "moved"):
            diff[key] = [entry | {"name": names.get(entry["volunteer"], "")} for entry in diff[key]]
        diff = named_stops(diff, outcome.instance)  # camps by name, days, roles
    else:  # no roster to start from: everyone is added
        assigned = roster_triples(outcome.problem, result.assigned)
        diff = roster_diff([], assigned, names, outcome.instance)
    if forced is not None:
        dropped = (outcome.replan or {}).get("no_longer_possible", [])
        needed_people = set(forced) | {entry["volunteer"] for entry in dropped}
        people: dict[str, bool] = {}
        for key in ("added", "removed", "moved"):
            for entry in diff[key]:
                entry["needed"] = entry["volunteer"] in needed_people
                people[entry["volunteer"]] = entry["needed"]
        diff["needed"] = sum(people.values())
        diff["improvements"] = len(people) - diff["needed"]
    return {
        "status": result.status,
        "coverage": result.coverage,
        "bound": result.coverage_bound,
        "bound_season": season,
        "base": base,
        "diff": diff,
        "timings": {k: round(float(v), 2) for k, v in result.timings.items()},
    }


# The solver's stages and the sources of its rosters and bounds, as the steps a page
# shows (web/i18n.py words each "step:..." in Persian and English); a stage not listed
# shows as its phase ("solving").
STEPS = {
    "first_roster": (
        "published, refilled",
        "greedy, published first",
        "first roster",
        "greedy by scarcity",
        "LP-guided greedy",
        "scarce core",
        "integer program over camps, staffed by a flow",
    ),
    "bound": (
        "bound",
        "counting",
        "demand",
        "Lagrangian at restricted-LP duals",
        "Lagrangian at column-generation duals",
        "CP-SAT on the scarce core",
        "integer program over camps",
        "the parent season's bound",
        # a re-plan's starts from the season's LP and cores, found while it proves
        "LP-guided greedy, published preferred",
        "scarce core, published preferred",
    ),
    "search": ("exact on the neighbourhood", "neighbourhood search"),
    "restore": ("published restored",),
    "secondary": ("secondary terms (swaps)", "swaps"),
}
STEP_OF = {stage: f"step:{step}" for step, stages in STEPS.items() for stage in stages}


def resolve_state(
    resolve: Resolve, job_id: str, time_limit: float, since: int = 0
) -> dict[str, Any]:
    """A re-solve's state, its progress events, and once finished its diff."""
    job = resolve.job
    events = [
        {
            "elapsed": round(e.elapsed, 2),
            "phase": e.phase,
            "coverage": e.coverage,
            "bound": None if e.bound is None or not np.isfinite(e.bound) else e.bound,
            "stage": e.stage,
            "step": STEP_OF.get(e.stage),  # what the page says of the stage
        }
        for e in job.events(since)
    ]
    state: dict[str, Any] = {
        "id": job_id,
        "state": job.state,
        "base": resolve.base,
        "edits": resolve.edit_ids,
        "events": events,
        "time_limit": time_limit,
        "elapsed": round(time.monotonic() - job.control.started, 1),
    }
    if job.wait(0) and job.control.events:  # the clock stops with the work
        state["elapsed"] = round(job.control.events[-1].elapsed, 1)
    if job.wait(0):
        state["finished"] = finished(resolve)
        if job.error is None and "error" not in state["finished"]:
            # the new version being made while the planner reads the diff
            state["accept_ready"] = job.result().files_ready()
    return state


def finished(resolve: Resolve) -> dict[str, Any]:
    """What a finished re-solve shows (read once, then kept)."""
    if resolve.finished is not None:
        return resolve.finished
    job = resolve.job
    if job.error is not None:
        error = job.error
        message = plain_reason(error)  # never a class name or a repr
        resolve.finished = {"error": message}
        return resolve.finished
    resolve.finished = job.result().shown
    return resolve.finished


def accept(
    workspace: Workspace,
    background: Background,
    job_id: str,
    comment: str,
    expected: int,
    by: str,
    address: str | None = None,
    report: Callable[[str], None] = lambda phase: None,
) -> tuple[int, OpenVersion | None]:
    """Store a finished re-solve's roster as a new version (with its edits), recorded as
    ``by``'s; returns its id and the version opened from the solve's own outcome (its
    pages without compiling it again). ``report`` hears each phase begin (ACCEPT_PHASES
    but the last, the opening: the caller's)."""
    resolve, replanned = acceptable(background, job_id)
    report(ACCEPT_PHASES[0])
    files = replanned.files()  # made while the planner read the diff, or now
    report(ACCEPT_PHASES[1])
    version = workspace.add_version(
        files.instance_json,
        files.solution_json,
        comment=comment,
        parent=resolve.base,
        edit_ids=resolve.edit_ids,
        expected=expected,
        by=by,
        address=address,
        on_top_of=resolve.base,  # refused if someone else replaced it meanwhile
        job=job_id,  # remembered: a late accept, even after a restart, is told who and when
    )
    replanned.accepted = True  # its files made ahead are the new version's
    background.forget(job_id)  # its roster is in the workspace now
    info = workspace.version(version)
    if info is None or files.opened is None:  # a scoped solve's problem is not the version's
        return version, None
    files.opened.version = info
    return version, files.opened


# what an accept does, in order: wait for the new version's files (made while the
# planner read the diff), store the version, open it (its pages, from memory)
ACCEPT_PHASES = ("accept:files", "accept:storing", "accept:opening")


def acceptable(background: Background, job_id: str) -> tuple[Resolve, Replanned]:
    """The finished re-solve ``job_id`` and its result, refused in words when there is none
    to accept (still running, unknown, or ended with no roster)."""
    resolve = background.resolves.get(job_id)
    if resolve is None or not resolve.job.wait(0):
        raise Worded("no finished solve to accept", key="accept:not_finished")
    done = finished(resolve)
    if "error" in done:
        raise Worded(
            f"this solve has no roster to accept ({done['error']})", key="accept:no_roster"
        )
    return resolve, resolve.job.result()


def unscoped(solution_json: bytes, fingerprint: str) -> bytes:
    """A county's re-solve as a roster of the province's instance: the ``fingerprint``
    of the instance the version keeps (not of the one solved with the other counties'
    camps closed), and no claim of optimality or bound, which held for that scope
    only."""
    data = json.loads(solution_json)
    data["fingerprint"] = fingerprint
    for key in ("status", "secondary_status"):
        if data.get(key) == "optimal":
            data[key] = "feasible"
    for key in ("coverage_bound", "gap"):
        data.pop(key, None)
    return json.dumps(data, ensure_ascii=False).encode()


def discard(
    workspace: Workspace, background: Background, job_id: str, by: str, address: str | None = None
) -> None:
    """Forget a re-solve (cancelled if it still runs), recorded as ``by``'s."""
    resolve = background.resolves.get(job_id)
    if resolve is None:
        raise Worded("no such solve", key="no_such_solve")
    background.forget(job_id)
    workspace.log("discard", base=resolve.base, edits=resolve.edit_ids, by=by, address=address)
