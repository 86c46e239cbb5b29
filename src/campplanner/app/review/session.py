"""The review session: everything a front end does with a workspace, one call each.

A :class:`ReviewSession` is what ``campplanner serve`` holds (not a browser's login
session): the workspace, the versions opened from it with what their pages worked out
(:mod:`~campplanner.app.review.versions`), and the re-solves and comparisons running in
the background (:mod:`~campplanner.app.review.background`). Each route of the web makes
one call here, as each command of the command line calls one application function.

Every call takes the :class:`~campplanner.app.review.actor.Actor` it is made for: today
the one planner (``actor.py``), named in the audit log of every change; it is the place
where a rule on who may read or change what will be enforced.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from campplanner.app import audit
from campplanner.app.accounts import Accounts, Login
from campplanner.app.review import (
    calls,
    comparisons,
    conflicts,
    downloads,
    edits,
    reads,
    resolves,
)
from campplanner.app.review.actor import Actor, holder
from campplanner.app.review.background import Background
from campplanner.app.review.errors import (
    AcceptedAlready,
    BulkRefused,
    ContradictingPending,
    Contradicts,
    DamagedVersion,
    Forbidden,
    NotFound,
    NotYours,
    RestoreRefused,
    SolveRunning,
    TooLarge,
    UsageError,
    VersionReplaced,
    saves,
)
from campplanner.app.review.permissions import (
    ALL,
    ALL_BUT_VIEWER,
    PLANNERS,
    PROVINCE,
    READERS,
    camp_in_scope,
    check_camp,
    check_edit,
    check_restore,
    permitted,
    scope_ops,
)
from campplanner.app.review.versions import OpenVersion, OpenVersions, reading
from campplanner.contract.calendar import Calendar
from campplanner.contract.solution import roster_triples as solution_triples
from campplanner.contract.solution import solution_from_data
from campplanner.workspace import Workspace

COMMENT_LENGTH = 500  # characters of an accepted version's comment
MAX_REVISION = 2**53  # past any workspace's revision (SQLite stops at 2**63)


@dataclass(frozen=True)
class Frame:
    """What the frame of every page shows, whatever the page."""

    calendar: Calendar  # the current version's (Jalali without one)
    revision: int  # the workspace's, carried by every form
    running: str | None  # the id of a re-solve or comparison still running


def expected_revision(value: object) -> int:
    """The workspace revision a change was made on, as a front end received it."""
    try:
        revision = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):  # OverflowError: {"rev": 1e400}
        revision = -1
    if isinstance(value, bool) or not 0 <= revision <= MAX_REVISION:
        raise UsageError(
            "rev (the workspace revision the change was made on) is missing or not a whole number"
        )
    return revision


class ReviewSession:
    """A planner's review of the rosters of one workspace (see the module docstring)."""

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
        self.token = token  # the one credential of today (None: this machine only)
        self.time_limit = time_limit  # of every re-solve and comparison, in seconds
        self.max_upload = max_upload  # bytes of one uploaded file
        self.versions = OpenVersions(workspace)
        self.background = Background(scratch)
        self.accounts = Accounts(workspace)
        self.started_by: dict[str, str] = {}  # job id -> the account that started it
        # job id -> (version, by, when) of the re-solves accepted: a second tab's accept
        self.accepted: dict[str, tuple[int, str, str]] = {}
        # one job at a time: the check and the start, together (calls come from threads)
        self._starting = threading.Lock()

    @property
    def scratch(self) -> Path:
        """The folder of the background jobs' files (removed by :meth:`close`)."""
        return self.background.scratch

    def close(self) -> None:
        """Cancel the background jobs and remove their files."""
        self.background.close()

    # ------------------------------------------------------------------- who
    def actor_for(self, credential: str | None) -> Actor | None:
        """Who a request's credential names on a workspace without accounts (None:
        nobody)."""
        return holder(self.token, credential)

    def requires_login(self) -> bool:
        """Once a workspace has accounts, every request needs a session or an API key."""
        return self.accounts.any()

    def actor_for_session(self, token: str, address: str | None) -> Actor | None:
        """Who an open session's cookie names (None: unknown, expired or disabled)."""
        return self.accounts.for_session(token, address)

    def actor_for_key(self, key: str, address: str | None) -> Actor | None:
        """Who an API key names: its account, with its role (None: unknown or revoked)."""
        return self.accounts.for_key(key, address)

    @saves
    def login(self, name: str, password: str, address: str | None) -> Login:
        """Open a session for ``name`` (refused: :class:`LoginRefused`,
        :class:`TooManyAttempts`); every attempt is in the audit log."""
        return self.accounts.login(name, password, address)

    @permitted(ALL)
    def logout(self, actor: Actor, token: str | None) -> None:
        """End the session ``token`` (the request's own cookie)."""
        if token:
            self.accounts.logout(token, actor)

    # ------------------------------------------------------- the open version
    def head(self) -> OpenVersion | None:
        """The current (newest) version, open; None in a workspace without one."""
        return self.versions.head()

    def running_job(self) -> str | None:
        return self.background.running()

    def _head(self) -> OpenVersion:
        head = self.head()
        if head is None:
            raise NotFound("the workspace has no version")
        return head

    def frame(self, actor: Actor | None) -> Frame:
        """What every page's frame shows (asked for error pages too, where nobody may be
        known yet: ``actor`` None)."""
        try:
            head = self.head()
        except DamagedVersion:  # the page says so; the frame is drawn all the same
            head = None
        calendar = head.instance.calendar if head else "jalali"
        return Frame(calendar, self.workspace.revision(), self.running_job())

    @permitted(ALL)
    def state(self, actor: Actor) -> dict[str, Any]:
        """The workspace's revision, the current version's id and a running job's."""
        head = self.workspace.head()
        return {
            "rev": self.workspace.revision(),
            "version": head.id if head else None,
            "running": self.running_job(),
        }

    # ------------------------------------------------------------------ reads
    @permitted(ALL)
    def overview(self, actor: Actor) -> dict[str, Any] | None:
        """The overview of the current version (None without one)."""
        head = self.head()
        return reads.overview(head) if head else None

    @permitted(ALL)
    def camps(
        self, actor: Actor, params: Mapping[str, str], problems: list[str] | None = None
    ) -> dict[str, Any]:
        """The camps table filtered by ``params`` (see :func:`reads.camp_filters`)."""
        head = self._head()
        only = actor.camps if actor.role == "camp-leader" else None  # their own camps
        filters = reads.camp_filters(params, head.instance.calendar, problems)
        return reads.camps(head, **filters, only=only)

    @permitted(ALL)
    def camp(
        self, actor: Actor, camp_id: str, lang: str, leaving: str | None = None
    ) -> dict[str, Any]:
        """A camp's page in ``lang``; given ``leaving``, who could take that member's
        place, ranked (``replacements``)."""
        head = self._head()
        if actor.role == "camp-leader":
            check_camp(actor, head.problem, camp_id, "this camp's page")
        if head.problem.camp_index.get(camp_id) is None:
            raise NotFound("no such camp")
        may_edit = actor.role in PLANNERS and camp_in_scope(actor, head.problem, camp_id)
        if leaving and not may_edit:  # the swap form: an edit's
            check_camp(actor, head.problem, camp_id, "who could take a place")
            raise Forbidden("who could take a place: not for a viewer")
        data = dict(reads.camp(head, camp_id, lang) or {})
        if not data:
            raise NotFound("no such camp")
        data["may_edit"] = may_edit
        data["pending"] = edits.touching(head, self._visible_edits(actor), camp=camp_id)
        data["may_say_not_coming"] = actor.role == "camp-leader"
        data["may_see_phones"] = actor.role != "viewer" and camp_in_scope(
            actor, head.problem, camp_id
        )
        if leaving:
            data["replacements"] = reads.replacements(head, camp_id, leaving)
        return data

    @permitted(READERS)
    def search(
        self, actor: Actor, query: str, skill: str = "", every_id: bool = False
    ) -> dict[str, Any]:
        """Volunteers whose name or id contains ``query``, however it was typed, with
        ``skill`` if given (see :func:`reads.search`)."""
        return reads.search(self._head(), query, skill, every_id)

    @permitted(READERS)
    def volunteer(self, actor: Actor, volunteer_id: str) -> dict[str, Any]:
        head = self._head()
        data = reads.volunteer(head, volunteer_id)
        if data is None:
            raise NotFound("no such volunteer")
        pending = self._visible_edits(actor)
        return data | {"pending": edits.touching(head, pending, volunteer=volunteer_id)}

    # ------------------------------------------------------------------ edits
    @permitted(ALL)
    def pending_edits(self, actor: Actor) -> dict[str, Any]:
        visible = self._visible_edits(actor)
        clashes = self._clashes(visible)
        return {
            "pending": [e.as_dict() | {"conflicts_with": clashes.get(e.id, [])} for e in visible],
            "rev": self.workspace.revision(),
        }

    def _clashes(self, pending: list[Any]) -> dict[int, list[int]]:
        """Pending edits that contradict each other (recorded before the check, by an
        older server), each id with the ids it contradicts."""
        try:
            head = self.head()
        except DamagedVersion:
            return {}
        found: dict[int, list[int]] = {}
        for edit, conflict in conflicts.among(head, pending) if head else []:
            found.setdefault(edit.id, []).append(conflict.edit)
            found.setdefault(conflict.edit, []).append(edit.id)
        return {k: sorted(set(v)) for k, v in found.items()}

    def _visible_edits(self, actor: Actor) -> list[Any]:
        """The pending edits ``actor`` reads: a camp leader, those of its camps."""
        pending = self.workspace.pending_edits()
        if actor.role != "camp-leader":
            return pending
        return [e for e in pending if self._in_scope(actor, e)]

    @permitted(ALL)
    def edits_page(self, actor: Actor) -> dict[str, Any]:
        """The pending edits, each in one line, and the re-solves of this session."""
        head = self.workspace.head()
        visible = self._visible_edits(actor)
        clashes = self._clashes(visible)
        return {
            "version": head.id if head else None,  # the re-solve form says what it showed
            "pending": [
                e.as_dict()
                | {
                    "summary": edits.describe(e.ops),
                    "lines": self._lines(e.ops),
                    "conflicts_with": clashes.get(e.id, []),
                }
                for e in visible
            ],
            "jobs": [
                resolves.resolve_state(resolve, job_id, self.time_limit)
                for job_id, resolve in list(self.background.resolves.items())
                if self._may_see_job(actor, job_id)
            ],
        }

    def _lines(self, ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """An edit's lines with the current version's names (none without a version, or
        when it is damaged: the page that lists them is drawn all the same)."""
        try:
            head = self.head()
        except DamagedVersion:
            return []
        return edits.lines(head, ops) if head is not None else []

    @permitted(ALL_BUT_VIEWER)
    @saves
    def add_edit(self, actor: Actor, fields: Mapping[str, object]) -> dict[str, int]:
        """Record the edit ``fields`` describe (``kind``, ``volunteer``, ``camp``, ``skill``,
        ``out``, ``first``, ``last``), checked at once, on revision ``fields["rev"]``:
        ``{id, rev}``. With ``volunteers`` (a list of ids, or pasted text of ids or
        names) instead of ``volunteer``: one edit for all of them, all or none."""
        kind = str(fields.get("kind", ""))
        texts = {k: str(v) for k, v in fields.items() if isinstance(v, str | int)}
        head = self._head()
        if actor.role == "camp-leader" and kind != "remove":  # before the edit is read
            raise Forbidden("a camp leader may only say a member of their camp is not coming")
        if "volunteers" in fields:  # one edit for many people, all or none
            ops = self._bulk_ops(actor, head, kind, texts, fields["volunteers"])
        elif kind == "run":  # the set that runs a cancelled camp, locked in one edit
            ops = edits.run_ops(head, texts.get("camp", ""), reads.camp_to_run)
            self._check_edit(actor, head, "lock", ops)
        else:
            ops = edits.edit_ops(head, kind, texts)
            self._check_edit(actor, head, kind, ops)
        expected = expected_revision(fields.get("rev"))
        self._refuse_contradictions(head, ops)
        edit_id = self.workspace.add_edit(kind, ops, expected, by=actor.name, address=actor.address)
        return {"id": edit_id, "rev": self.workspace.revision()}

    def _refuse_contradictions(self, head: OpenVersion, ops: list[dict[str, Any]]) -> None:
        """Two planners' edits that cannot both hold: the second is refused, naming the
        first and who typed it (conflicts.py); nothing is recorded."""
        found = conflicts.contradictions(head, ops, self.workspace.pending_edits())
        if found:
            raise Contradicts(
                "nothing was recorded: this edit contradicts "
                + "; ".join(c.english() for c in found)
                + ". Drop one of them on the edits page (or ask who typed it), then record "
                "it again",
                conflicts=[c.as_dict() for c in found],
            )

    def _bulk_ops(
        self, actor: Actor, head: OpenVersion, kind: str, texts: dict[str, str], people: object
    ) -> list[dict[str, Any]]:
        """A bulk edit's scenario edits: ``people`` a list of ids (the API) or pasted
        text of ids or names (the page); every person checked, the role's scope too, and
        one message naming each one refused."""
        if isinstance(people, str):
            ids, unread = edits.pasted_people(head, people)
            if unread:
                said = "; ".join(f"{entry} ({error})" for entry, error in unread)
                raise BulkRefused(
                    f"nothing was recorded: {len(unread)} of the pasted entries name no "
                    f"one volunteer: {said}",
                    key="bulk_unread",
                    count=len(unread),
                    entries=unread,
                )
        elif isinstance(people, list) and all(isinstance(p, str) for p in people):
            ids = people
        else:
            raise UsageError("volunteers must be a list of volunteer ids")
        camps_of: dict[str, list[tuple[str, str]]] = {}
        for volunteer, camp, skill in head.triples:
            camps_of.setdefault(volunteer, []).append((camp, skill))
        per_volunteer = edits.bulk_edit_ops(head, kind, texts, ids, camps_of)
        refused = []
        for volunteer, ops in per_volunteer.items():
            try:
                self._check_edit(actor, head, kind, ops)
            except (Forbidden, UsageError) as error:
                refused.append((volunteer, error))
        if refused:
            said = "; ".join(f"{volunteer} ({error})" for volunteer, error in refused)
            raise NotYours(
                f"nothing was recorded: {len(refused)} of {len(per_volunteer)} volunteers "
                f"are not yours to edit: {said}",
                count=len(refused),
                of=len(per_volunteer),
                ids=[volunteer for volunteer, _ in refused],
            )
        return edits.merged(per_volunteer)

    def _check_edit(self, actor: Actor, head: OpenVersion, kind: str, ops: list) -> None:
        """The roles' scope of an edit (permissions.check_edit), over the current roster."""
        if actor.role == "province":
            return
        if "camps of" not in head.cache:  # built once per version: a bulk edit asks often
            built: dict[str, set[str]] = {}
            for volunteer, camp, _ in head.triples:
                built.setdefault(volunteer, set()).add(camp)
            head.cache["camps of"] = built
        camps_of: dict[str, set[str]] = head.cache["camps of"]
        problem = head.problem

        def home_county(volunteer: str) -> str | None:
            v = problem.volunteer_index.get(volunteer)
            if v is None:
                return None
            return problem.place_counties[int(problem.volunteer_home[v])]

        check_edit(actor, problem, kind, ops, lambda v: camps_of.get(v, set()), home_county)
        if actor.role == "camp-leader":  # not coming: a member of their camp
            for op in ops:
                for pair in op.get("pairs", []):
                    if pair["camp"] not in camps_of.get(pair["volunteer"], set()):
                        raise UsageError(
                            f"{pair['volunteer']} is not on camp {pair['camp']}'s team"
                        )

    @permitted(PLANNERS)
    @saves
    def drop_edit(self, actor: Actor, edit_id: int, expected: int) -> dict[str, int]:
        """Forget a pending edit: ``{rev}``."""
        if actor.role != "province":
            pending = {e.id: e for e in self.workspace.pending_edits()}
            if edit_id not in pending:
                raise NotFound("no such pending edit")
            self._check_edit(actor, self._head(), pending[edit_id].kind, pending[edit_id].ops)
        try:
            self.workspace.drop_edit(edit_id, expected, by=actor.name, address=actor.address)
        except KeyError:
            raise NotFound("no such pending edit") from None
        return {"rev": self.workspace.revision()}

    # ---------------------------------------------------------- re-solves, jobs
    @permitted(PLANNERS)
    @saves
    def start_resolve(self, actor: Actor, shown: int | None = None) -> str:
        """Re-plan from the current version with the pending edits, in the background;
        ``shown``: the version the asking page showed (refused if another has been
        accepted since: the edits it listed are not the pending ones any more).
        Refused while pending edits contradict each other, naming them."""
        head = self._head()
        if shown is not None and shown != head.version.id:
            raise self._replaced(shown, head.version.id)
        scope: list[dict[str, Any]] = []
        only = None
        pending = self.workspace.pending_edits()
        if actor.role != "province":  # the rest of the province stays as it is
            scope = scope_ops(actor, head.problem, head.triples)
            only = {e.id for e in pending if self._in_scope(actor, e)}
        clashing = conflicts.among(head, [e for e in pending if only is None or e.id in only])
        if clashing:
            raise ContradictingPending(
                "pending edits contradict each other: "
                + "; ".join(f"edit {edit.id} and {c.english()}" for edit, c in clashing)
                + ". Drop one of each pair on the edits page, then re-solve",
                pairs=[c.as_dict() | {"edit_by_id": edit.id} for edit, c in clashing],
            )
        with self._starting:
            if self.running_job() is not None:
                raise SolveRunning("a solve is already running: wait for it or cancel it")
            job_id = resolves.start_resolve(
                self.workspace, self.background, self.time_limit, scope, only
            )
            self.started_by[job_id] = actor.name
        return job_id

    def _replaced(self, shown: int, newest: int) -> VersionReplaced:
        """The refusal of a page that showed version ``shown`` when ``newest`` is
        current: who made ``newest`` current (accepted or restored it), and when."""
        by, at = "?", ""
        for entry in self.workspace.audit_log(50):
            made = entry["action"] in ("accept", "restore")
            if made and entry["detail"].get("version") == newest:
                by = entry.get("by") or "?"
                at = datetime.fromisoformat(str(entry["at"])).strftime("%Y-%m-%d %H:%M")
                break
        return VersionReplaced(
            f"version {newest} was accepted by {by} at {at} (UTC) since this page showed "
            f"version {shown}: the edits it listed are not the pending ones any more. "
            "Nothing was started; reload the page, check the edits, then re-solve",
            shown=shown,
            newest=newest,
            by=by,
            at=at,
        )

    def _in_scope(self, actor: Actor, edit: Any) -> bool:
        """Is a pending edit one ``actor`` may re-solve with (its counties' own)?"""
        try:
            self._check_edit(actor, self._head(), edit.kind, edit.ops)
        except Forbidden:
            return False
        return True

    def _may_see_job(self, actor: Actor, job_id: str) -> bool:
        """The province sees every job; a county coordinator the ones they started."""
        return (
            actor.role == "province"
            or self.started_by.get(job_id) == actor.name
            or job_id in self.background.comparisons  # the province's, for planners to read
        )

    def _own_job(self, actor: Actor, job_id: str) -> None:
        if not self._may_see_job(actor, job_id):
            raise Forbidden("this job was started by someone else")

    @permitted(PLANNERS)
    def resolve(self, actor: Actor, job_id: str, since: int = 0) -> dict[str, Any]:
        """A re-solve's state and progress from event ``since``, once finished its diff."""
        resolve = self.background.resolves.get(job_id)
        if resolve is None:
            raise NotFound("no such solve")
        self._own_job(actor, job_id)
        return resolves.resolve_state(resolve, job_id, self.time_limit, since)

    @permitted(PLANNERS)
    def job(self, actor: Actor, job_id: str, since: int = 0) -> dict[str, Any]:
        """A re-solve's or a comparison's state."""
        if self.background.job(job_id) is not None:
            self._own_job(actor, job_id)
        resolve = self.background.resolves.get(job_id)
        if resolve is not None:
            return resolves.resolve_state(resolve, job_id, self.time_limit, since)
        comparison = self.background.comparisons.get(job_id)
        if comparison is not None:
            return comparisons.comparison_state(comparison, job_id)
        raise NotFound("no such job")

    @permitted(PLANNERS)
    def cancel(self, actor: Actor, job_id: str) -> None:
        """Stop a re-solve or a comparison (it keeps its best roster)."""
        job = self.background.job(job_id)
        if job is None:
            raise NotFound("no such job")
        self._own_job(actor, job_id)
        job.cancel()

    @permitted(PLANNERS)
    @saves
    def accept(self, actor: Actor, job_id: str, comment: str, expected: int) -> dict[str, int]:
        """Store a finished re-solve's roster as a new version: ``{version, rev}``."""
        comment = comment[:COMMENT_LENGTH]
        if job_id in self.accepted:  # a second tab, or a second planner, too late
            version, by, at = self.accepted[job_id]
            raise AcceptedAlready(
                f"this re-solve was accepted already, as version {version} by {by} at {at} "
                "(UTC): nothing was changed",
                version=version,
                by=by,
                at=at,
            )
        if job_id in self.background.resolves:
            self._own_job(actor, job_id)
        version, opened = resolves.accept(
            self.workspace, self.background, job_id, comment, expected, actor.name, actor.address
        )
        info = self.workspace.version(version)
        at = info.created_at.strftime("%Y-%m-%d %H:%M") if info else ""
        self.accepted[job_id] = (version, actor.name, at)
        if opened is not None:  # the new version's pages, without compiling it again
            self.versions.adopt(opened)
        return {"version": version, "rev": self.workspace.revision()}

    @permitted(PLANNERS)
    @saves
    def discard(self, actor: Actor, job_id: str) -> None:
        if job_id in self.background.resolves:
            self._own_job(actor, job_id)
        resolves.discard(self.workspace, self.background, job_id, actor.name, actor.address)

    # --------------------------------------------------------------- versions
    @permitted(READERS)
    def versions_page(self, actor: Actor) -> dict[str, Any]:
        """Every version, newest first, the audit log (an edit in one line), and the
        kinds of file each version downloads as."""
        # the audit names people and addresses: the province's to read
        audit = self.workspace.audit_log() if actor.role == "province" else []
        return {
            "versions": self.workspace.versions(),
            "audit": self._with_lines(audit),
            "formats": list(downloads.DOWNLOADS),
        }

    @permitted(READERS)
    def version_list(self, actor: Actor) -> dict[str, Any]:
        return {
            "versions": [v.as_dict() for v in self.workspace.versions()],
            "published": self.workspace.published(),
            "rev": self.workspace.revision(),
        }

    @permitted(PROVINCE)
    @saves
    def publish(self, actor: Actor, version_id: int, expected: int) -> dict[str, int]:
        """Publish a version: ``{published, rev}``."""
        try:
            self.workspace.publish(version_id, expected, by=actor.name, address=actor.address)
        except KeyError:
            raise NotFound("no such version") from None
        return {"published": version_id, "rev": self.workspace.revision()}

    @permitted(PLANNERS)
    @saves
    def restore(self, actor: Actor, version_id: int, expected: int) -> dict[str, int]:
        """Make an earlier version current again, as a new version with its instance and
        roster as they were (audited as ``actor``'s restore): ``{version, restored, rev}``.
        Refused while a solve runs or edits are pending (they were made on the current
        roster)."""
        target = self.workspace.version(version_id)
        if target is None:
            raise NotFound("no such version")
        head = self._head()
        if head.version.id == version_id:
            raise RestoreRefused(
                f"version {version_id} is the current one already: nothing to do",
                why="current",
                version=version_id,
            )
        with self._starting:  # no solve starts while the roster is replaced
            if self.running_job() is not None:
                raise RestoreRefused(
                    "a solve is running: wait for it to finish (accept or discard it) or "
                    "cancel it, then restore",
                    why="running",
                )
            pending = self.workspace.pending_edits()
            if pending:
                raise RestoreRefused(
                    f"{len(pending)} pending edit(s) were made on the current roster: "
                    "re-solve and accept them, or drop them on the edits page, then restore",
                    why="pending",
                    count=len(pending),
                )
            if actor.role != "province":
                self._check_restore(actor, head, version_id)
            try:
                version = self.workspace.restore_version(
                    version_id, expected=expected, by=actor.name, address=actor.address
                )
            except KeyError:
                raise NotFound("no such version") from None
        return {"version": version, "restored": version_id, "rev": self.workspace.revision()}

    def _check_restore(self, actor: Actor, head: OpenVersion, version_id: int) -> None:
        """A county coordinator's restore stays inside its counties (permissions)."""
        then = self._roster(version_id)
        undone = [
            edit
            for info in self.workspace.versions()
            if info.id > version_id
            for edit in info.edits
        ]
        camps_of: dict[str, set[str]] = {}
        for volunteer, camp, _ in head.triples + then:
            camps_of.setdefault(volunteer, set()).add(camp)
        problem = head.problem

        def home_county(volunteer: str) -> str | None:
            v = problem.volunteer_index.get(volunteer)
            return None if v is None else problem.place_counties[int(problem.volunteer_home[v])]

        check_restore(
            actor,
            problem,
            head.triples,
            then,
            undone,
            lambda v: camps_of.get(v, set()),
            home_county,
        )

    @permitted(READERS)
    def compare(self, actor: Actor, a: int, b: int) -> dict[str, Any]:
        """Who to call between versions ``a`` and ``b`` (names from the current one)."""
        before, after = self._roster(a), self._roster(b)
        names = {v.id: v.name for v in self._head().instance.volunteers}
        return {"a": a, "b": b, "diff": reads.roster_diff(before, after, names)}

    def _roster(self, version_id: int) -> list[tuple[str, str, str]]:
        if self.workspace.version(version_id) is None:
            raise NotFound(f"no version {version_id}")
        with reading(version_id):
            raw = self.workspace.solution_json(version_id)
            return solution_triples(solution_from_data(json.loads(raw))) if raw else []

    @permitted(READERS)
    def solution(self, actor: Actor) -> bytes:
        """The current version's roster as a solution file."""
        head = self.workspace.head()
        with reading(head.id if head else 0):
            raw = self.workspace.solution_json(head.id) if head else None
        if raw is None:
            raise NotFound("no roster yet")
        self.workspace.log(  # names people: a download of personal data
            "download", by=actor.name, address=actor.address, version=head.id, kind="solution"
        )
        return raw

    @permitted(READERS)
    def download(self, actor: Actor, version_id: int, kind: str, lang: str) -> downloads.Download:
        """Version ``version_id`` as a file of ``kind``, its reasons in ``lang``."""
        try:
            head = self.head()
        except DamagedVersion:
            head = None
        compiled = head.problem if head is not None and head.version.id == version_id else None
        with reading(version_id):
            file = downloads.version_file(self.workspace, version_id, kind, lang, compiled)
        self.workspace.log(  # names people: a download of personal data
            "download", by=actor.name, address=actor.address, version=version_id, kind=kind
        )
        return file

    @permitted(READERS)
    def calls_file(self, actor: Actor, version_id: int, suffix: str) -> downloads.Download:
        """Who to call after version ``version_id`` (its re-plan from its parent) as a
        ``csv`` or ``xlsx`` file; phones only where ``actor`` may see them."""
        with reading(version_id):
            view = calls.version_calls(self.workspace, version_id, actor)
        file = calls.calls_file(view, version_id, suffix)
        self.workspace.log(  # names people (and phones): a download of personal data
            "download",
            by=actor.name,
            address=actor.address,
            version=version_id,
            kind=f"calls-{suffix}",
            phones=any(call.phone for call in view.calls or []),
        )
        return file

    @permitted(READERS)
    def calls_page(self, actor: Actor, version_id: int) -> dict[str, Any]:
        """Who to call after version ``version_id``, split into the calls its edits
        needed and the improvements the re-plan found; phones only where ``actor`` may
        see them (a page holding phones is a read of personal data: audited)."""
        with reading(version_id):
            data = calls.calls_page(self.workspace, version_id, actor)
        if data["phones"]:
            self.workspace.log(
                "download",
                by=actor.name,
                address=actor.address,
                version=version_id,
                kind="calls-page",
                phones=True,
            )
        return data

    # ---------------------------------------------------------------- accounts
    @permitted(PROVINCE)
    def users(self, actor: Actor) -> list[dict[str, Any]]:
        """Every account: name, role, counties, camps, disabled (never a hash)."""
        return [record.as_dict() for record in self.accounts.list()]

    @permitted(PROVINCE)
    @saves
    def add_user(self, actor: Actor, fields: Mapping[str, object]) -> dict[str, Any]:
        """A new account from ``name``, ``role``, ``password``, ``counties``, ``camps``
        (lists), checked as ``campplanner users add`` checks it."""

        def listed(key: str) -> list[str]:
            value = fields.get(key) or []
            return [str(v) for v in value] if isinstance(value, list) else [str(value)]

        head = self.head()
        known_counties = {c for c in head.problem.place_counties if c} if head else None
        known_camps = set(head.problem.camp_ids) if head else None
        record = self.accounts.add(
            str(fields.get("name", "")),
            str(fields.get("role", "")),
            str(fields.get("password", "")),
            listed("counties"),
            listed("camps"),
            known_counties=known_counties,
            known_camps=known_camps,
            by=actor.name,
        )
        return record.as_dict()

    @permitted(PROVINCE)
    @saves
    def disable_user(self, actor: Actor, name: str) -> dict[str, Any]:
        """No more logins for ``name``; its sessions end, its API keys stop."""
        if name == actor.name:
            raise UsageError("you cannot disable your own account")
        self.accounts.disable(name, by=actor.name)
        return {"disabled": name}

    @permitted(ALL_BUT_VIEWER)
    def camp_packet(self, actor: Actor, camp_id: str) -> downloads.Download:
        """A camp's packet with its people's phones: the province, the camp's county
        coordinator and its leader only (a viewer sees no phones)."""
        head = self._head()
        if head.problem.camp_index.get(camp_id) is None or head.view is None:
            raise NotFound("no such camp")
        check_camp(actor, head.problem, camp_id, "this camp's phones")
        file = downloads.camp_packet(head.view, camp_id)
        self.workspace.log(  # phones: a download of personal data
            "download",
            by=actor.name,
            address=actor.address,
            version=head.version.id,
            kind="packet",
            camp=camp_id,
        )
        return file

    @permitted(PROVINCE)
    def audit(self, actor: Actor, params: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
        """The audit log, newest first, filtered by ``params`` (``app/audit.py``); an
        edit's entry with its ``lines`` (named as on the edits page)."""
        return self._with_lines(audit.entries(self.workspace, params or {}))

    def _with_lines(self, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Each edit's entry with its lines, as the edits page words them."""
        for entry in entries:
            if isinstance(entry["detail"].get("ops"), list):
                entry["lines"] = self._lines(entry["detail"]["ops"])
        return entries

    # -------------------------------------------------------------- scenarios
    @permitted(PLANNERS)
    def comparisons(self, actor: Actor) -> list[dict[str, Any]]:
        return [
            comparisons.comparison_state(comparison, job_id)
            for job_id, comparison in list(self.background.comparisons.items())
        ]

    @permitted(PLANNERS)
    def comparison(self, actor: Actor, job_id: str) -> dict[str, Any]:
        comparison = self.background.comparisons.get(job_id)
        if comparison is None:
            raise NotFound("no such comparison")
        return comparisons.comparison_state(comparison, job_id)

    @permitted(PROVINCE)
    @saves
    def start_comparison(self, actor: Actor, uploads: list[tuple[str, bytes]]) -> str:
        """Compare the uploaded scenario files (name, content) against the current
        version in the background, once each is checked; returns the job's id."""
        for name, content in uploads:
            if len(content) > self.max_upload:
                raise TooLarge(f"{name}: too large: at most {self.max_upload:,} bytes")
        if not uploads:
            raise UsageError("choose one or more scenario files")
        with self._starting:
            if self.running_job() is not None:
                raise SolveRunning("a solve is already running: wait for it or cancel it")
            return comparisons.start_comparison(
                self.workspace, self.background, uploads, self.time_limit
            )
