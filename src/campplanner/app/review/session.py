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
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from campplanner.app import audit
from campplanner.app.accounts import Accounts, Login
from campplanner.app.jobs import Job, JobControl
from campplanner.app.links import checked_answer, issue, season_end, verify
from campplanner.app.review import (
    attendance,
    calls,
    comparisons,
    conflicts,
    downloads,
    edits,
    links,
    reads,
    resolves,
)
from campplanner.app.review.actor import Actor, holder
from campplanner.app.review.background import Accepting, Background, FileJob
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
    Worded,
    saves,
)
from campplanner.app.review.permissions import (
    ALL,
    ALL_BUT_VIEWER,
    PLANNERS,
    PROVINCE,
    READERS,
    Scope,
    by_link,
    camp_in_scope,
    check_camp,
    check_edit,
    check_restore,
    county_names,
    leader_removes_only,
    not_doing,
    not_for,
    permitted,
    scope_of,
)
from campplanner.app.review.versions import OpenVersion, OpenVersions, reading
from campplanner.contract.calendar import Calendar
from campplanner.contract.errors import plain_reason
from campplanner.contract.instance import day_of
from campplanner.contract.solution import roster_triples as solution_triples
from campplanner.contract.solution import solution_from_data
from campplanner.workspace import Workspace
from campplanner.workspace.attendance import AttendanceStore
from campplanner.workspace.links import LinkStore

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
        raise Worded(
            "rev (the workspace revision the change was made on) is missing or not a whole number",
            key="bad_rev",
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
        # re-solves end on deterministic work (SolveOptions.work_limit), the time limit
        # then a safety net: for tests and benchmarks that compare rosters
        self.work_limit: float | None = None
        self.max_upload = max_upload  # bytes of one uploaded file
        # every version opened makes its season workbook ahead of the click
        self.versions = OpenVersions(workspace, then=downloads.make_ahead)
        # job ids of this run start with its number: an id names one job for good, so the
        # re-solves accepted (kept in the workspace) are told apart across restarts
        self.background = Background(scratch, run=workspace.start_run())
        self.accounts = Accounts(workspace)
        self.links = LinkStore(workspace)
        self.attendance_marks = AttendanceStore(workspace)
        self._published: links.Published | None = None  # the links' published roster
        self._found: tuple[Any, dict[tuple[str, str], str]] | None = None  # statuses, kept
        self.started_by: dict[str, str] = {}  # job id -> the account that started it
        # one job at a time: the check and the start, together (calls come from threads)
        self._starting = threading.Lock()
        # one accept of a re-solve at a time: the check and the start, together
        self._accepting = threading.Lock()

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
        if head is None:
            return None
        data = dict(reads.overview(head))
        found = self._statuses(head)
        if found and head.view is not None:  # the volunteers' answers (issue 24)
            risky = []
            for camp in head.view.camps:
                if actor.role == "camp-leader" and camp.id not in actor.camps:
                    continue  # names of other camps' people: not a camp leader's to read
                confirmation = links.camp_confirmation(camp, found)
                if confirmation["at_risk"]:
                    risky.append({"id": camp.id, "name": camp.name} | confirmation)
            data["answers"] = {
                "confirmed": sum(1 for s in found.values() if s == "confirmed"),
                "declined": sum(1 for s in found.values() if s == "declined"),
                "assignments": len(found),
                "at_risk": risky,
            }
        return data

    @permitted(ALL)
    def camps(
        self, actor: Actor, params: Mapping[str, str], problems: list[Worded] | None = None
    ) -> dict[str, Any]:
        """The camps table filtered by ``params`` (see :func:`reads.camp_filters`)."""
        head = self._head()
        only = actor.camps if actor.role == "camp-leader" else None  # their own camps
        filters = reads.camp_filters(params, head.instance.calendar, problems)
        if filters["status"] == "at_risk" and head.view is not None:  # a decline, or silence
            found = self._statuses(head)
            risky = frozenset(
                camp.id
                for camp in head.view.camps
                if links.camp_confirmation(camp, found)["at_risk"]
            )
            only = risky if only is None else only & risky
            filters["status"] = ""
        data = reads.camps(head, **filters, only=only)
        data["packets"] = self._may_take_packets(actor, head, filters["county"])
        return data

    @staticmethod
    def _may_take_packets(actor: Actor, head: OpenVersion, county: str) -> bool:
        """Whether ``actor`` may take the packets of ``county`` (a county's name)."""
        in_county = head.view.counties.get(county, []) if head.view and county else []
        return (
            bool(in_county)
            and actor.role in PLANNERS
            and all(camp_in_scope(actor, head.problem, c.id) for c in in_county)
        )

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
            raise not_doing(actor, "who could take a place")
        data = dict(reads.camp(head, camp_id, lang) or {})
        if not data:
            raise NotFound("no such camp")
        data["may_edit"] = may_edit
        data["pending"] = edits.touching(head, self._visible_edits(actor), camp=camp_id)
        data["may_say_not_coming"] = actor.role == "camp-leader"
        data["may_see_phones"] = actor.role != "viewer" and camp_in_scope(
            actor, head.problem, camp_id
        )
        county = data["camp"]["county"]  # its county's packets, for who answers for it all
        data["county_packets"] = county if self._may_take_packets(actor, head, county) else None
        if leaving:
            data["replacements"] = reads.replacements(head, camp_id, leaving)
        found = self._statuses(head)
        data["team"] = [
            member | {"confirmation": found.get((member["volunteer"], camp_id))}
            for member in data.get("team", [])
        ]
        view = head.camps.get(camp_id)
        data["confirmation"] = links.camp_confirmation(view, found) if found and view else None
        if data["confirmation"] and may_edit:  # a decline is work: who could take the place
            said = self.links.answers()
            data["declines"] = [
                {
                    "volunteer": member["volunteer"],
                    "name": member["name"],
                    "reason": said[(member["volunteer"], camp_id)].reason,
                    "text": said[(member["volunteer"], camp_id)].text,
                    "replacements": reads.replacements(head, camp_id, member["volunteer"]),
                }
                for member in data["team"]
                if member["confirmation"] == "declined"
            ]
        return data

    @permitted(READERS)
    def search(
        self,
        actor: Actor,
        query: str,
        skill: str = "",
        every_id: bool = False,
        unassigned: bool = False,
        county: str = "",
        group: str = "",
        dates: Mapping[str, str] | None = None,
        problems: list[Worded] | None = None,
    ) -> dict[str, Any]:
        """Volunteers whose name or id contains ``query``, however it was typed, with
        ``skill`` if given, living in ``county``, of ``group``, on no camp with
        ``unassigned``, serving on a camp overlapping ``dates`` (``from``, ``to``: dates
        of the season's calendar; a wrong one refused, or said in ``problems`` and left
        out, as the camps table's filter does; see :func:`reads.search`)."""
        head = self._head()
        days = [
            reads.filter_day(dates or {}, name, head.instance.calendar, problems)
            for name in ("from", "to")
        ]
        return reads.search(head, query, skill, every_id, unassigned, county, group, *days)

    @permitted(ALL)
    def camp_fit(self, actor: Actor, camp_id: str, skill_id: str, lang: str) -> dict[str, Any]:
        """The best volunteers for an empty or a new slot of ``skill_id`` in the camp,
        with who would have to move (``campplanner fit --camp --skill``)."""
        head = self._head()
        if actor.role == "camp-leader":
            check_camp(actor, head.problem, camp_id, "this camp's page")
        if head.problem.camp_index.get(camp_id) is None:
            raise NotFound("no such camp")
        return reads.camp_fit(head, camp_id, skill_id, lang)

    @permitted(READERS)
    def late_fit(self, actor: Actor, fields: Mapping[str, object], lang: str) -> dict[str, Any]:
        """The best camps for a volunteer who registers late (the volunteers page's form,
        ``campplanner fit --volunteer``): nothing is stored."""
        return reads.late_fit(self._head(), fields, lang)

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
        droppable = self._listed_droppable(actor, visible)
        return {
            "pending": [
                e.as_dict()
                | {"conflicts_with": clashes.get(e.id, []), "may_drop": e.id in droppable}
                for e in visible
            ],
            "rev": self.workspace.revision(),
        }

    def _listed_droppable(self, actor: Actor, visible: list[Any]) -> set[int]:
        """The pending edits a list shows with a drop button (:meth:`_droppable`); with
        no version to judge them on, the province's alone."""
        try:
            return self._droppable(actor, visible)
        except (DamagedVersion, NotFound):
            return {e.id for e in visible} if actor.role == "province" else set()

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
        droppable = self._listed_droppable(actor, visible)
        return {
            "version": head.id if head else None,  # the re-solve form says what it showed
            "pending": [
                e.as_dict()
                | {
                    "summary": edits.describe(e.ops),
                    "lines": self._lines(e.ops),
                    "conflicts_with": clashes.get(e.id, []),
                    "may_drop": e.id in droppable,
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
            raise leader_removes_only()
        if "volunteers" in fields:  # one edit for many people, all or none
            ops = self._bulk_ops(actor, head, kind, texts, fields["volunteers"])
        elif kind == "run":  # the set that runs a cancelled camp, locked in one edit
            ops = edits.run_ops(head, texts.get("camp", ""), reads.camp_to_run)
            self._check_edit(actor, head, "lock", ops)
        else:
            ops = edits.edit_ops(head, kind, texts)
            self._check_edit(actor, head, kind, ops)
        expected = expected_revision(fields.get("rev"))
        self._refuse_contradictions(actor, head, ops)
        edit_id = self.workspace.add_edit(kind, ops, expected, by=actor.name, address=actor.address)
        return {"id": edit_id, "rev": self.workspace.revision()}

    def _refuse_contradictions(
        self, actor: Actor, head: OpenVersion, ops: list[dict[str, Any]]
    ) -> None:
        """Two planners' edits that cannot both hold: the second is refused, naming the
        first and who typed it (conflicts.py) and whether ``actor`` may drop it (the
        page's button); nothing is recorded."""
        pending = self.workspace.pending_edits()
        found = conflicts.contradictions(head, ops, pending)
        if found:
            named = {c.edit for c in found}
            droppable = self._droppable(actor, [e for e in pending if e.id in named])
            raise Contradicts(
                "nothing was recorded: this edit contradicts "
                + "; ".join(c.english() for c in found)
                + ". Drop one of them on the edits page (or ask who typed it), then record "
                "it again",
                conflicts=[c.as_dict() | {"droppable": sorted(droppable)} for c in found],
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
            raise Worded("volunteers must be a list of volunteer ids", key="bulk:not_a_list")
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
                        raise Worded(
                            f"{pair['volunteer']} is not on camp {pair['camp']}'s team",
                            key="not_on_team",
                            volunteer=pair["volunteer"],
                            camp=pair["camp"],
                        )

    @permitted(PLANNERS)
    @saves
    def drop_edit(self, actor: Actor, edit_id: int, expected: int) -> dict[str, int]:
        """Forget a pending edit: ``{rev}``."""
        if actor.role != "province":
            pending = {e.id: e for e in self.workspace.pending_edits()}
            if edit_id not in pending:
                raise NotFound("no such pending edit")
            self._check_drop(actor, pending[edit_id])
        try:
            self.workspace.drop_edit(edit_id, expected, by=actor.name, address=actor.address)
        except KeyError:
            raise NotFound("no such pending edit") from None
        return {"rev": self.workspace.revision()}

    def _check_drop(self, actor: Actor, edit: Any) -> None:
        """The one rule of dropping a pending edit, for the drop itself and for every
        page that offers its button (:meth:`_droppable`): a planner, and a county
        coordinator only an edit of its counties' camps. Forbidden, saying why."""
        if actor.role not in PLANNERS:
            raise not_for(actor, "drop_edit", PLANNERS)
        self._check_edit(actor, self._head(), edit.kind, edit.ops)

    def _droppable(self, actor: Actor, edits: list[Any]) -> set[int]:
        """The ids of ``edits`` (pending ones) that ``actor`` may drop."""
        if actor.role == "province":
            return {edit.id for edit in edits}
        allowed = set()
        for edit in edits:
            try:
                self._check_drop(actor, edit)
            except Forbidden:
                continue
            allowed.add(edit.id)
        return allowed

    # ---------------------------------------------------------- re-solves, jobs
    @permitted(PLANNERS)
    @saves
    def start_resolve(
        self,
        actor: Actor,
        edits_only: bool = False,
        shown: int | None = None,
        freeze_until: str = "",
    ) -> str:
        """Re-plan from the current version with the pending edits, in the background;
        ``edits_only``: change only what the edits force (nobody else is moved, added or
        given another camp: no "improvement" on the call list); ``shown``: the version
        the asking page showed (refused if another has been accepted since: the edits it
        listed are not the pending ones any more); given ``freeze_until`` (a day of the
        instance's calendar), only the future moves (``solve --freeze-until``). Refused
        while pending edits contradict each other, naming them."""
        head = self._head()
        if shown is not None and shown != head.version.id:
            raise self._replaced(shown, head.version.id)
        freeze = freeze_until.strip() or None
        if freeze is not None:
            try:
                day_of(freeze, head.instance.calendar)
            except ValueError as error:
                raise Worded(
                    f"freeze until: {error}", key="freeze_until:not_a_day", day=freeze
                ) from None
        scope: Scope | None = None
        only = None
        pending = self.workspace.pending_edits()
        if actor.role != "province":  # the rest of the province stays as it is
            scope = scope_of(actor, head.problem, head.triples)
            only = {e.id for e in pending if self._in_scope(actor, e)}
        clashing = conflicts.among(head, [e for e in pending if only is None or e.id in only])
        if clashing:
            droppable = sorted(self._droppable(actor, pending))
            raise ContradictingPending(
                "pending edits contradict each other: "
                + "; ".join(f"edit {edit.id} and {c.english()}" for edit, c in clashing)
                + ". Drop one of each pair on the edits page, then re-solve",
                pairs=[
                    c.as_dict() | {"edit_by_id": edit.id, "droppable": droppable}
                    for edit, c in clashing
                ],
            )
        with self._starting:
            if self.running_job() is not None:
                raise SolveRunning("a solve is already running: wait for it or cancel it")
            try:
                opened = self.head()  # its compiled season is reused, the edits applied
            except DamagedVersion:
                opened = None  # the re-solve reads it and says what is wrong
            asked = [made.job for made in self.background.files.values()]
            if opened is not None:
                downloads.stop_ahead(opened, asked)  # the solve needs the cores more
            resolves.stop_ahead_of_resolves(self.background, asked)  # and their new versions'
            job_id = resolves.start_resolve(
                self.workspace,
                self.background,
                self.time_limit,
                scope,
                only,
                opened=opened,
                work_limit=self.work_limit,
                only_forced=edits_only,
                freeze_until=freeze,
                confirmed=self._confirmed(head) if freeze else None,
            )
            self.started_by[job_id] = actor.name
        return job_id

    def _confirmed(self, head: OpenVersion) -> list[dict[str, str]]:
        """The current version's assignments its volunteers confirmed through their
        links (when it is the published one): a frozen re-plan keeps them."""
        found = self._statuses(head)
        return [
            {"volunteer": volunteer, "camp": camp}
            for (volunteer, camp), status in sorted(found.items())
            if status == "confirmed"
        ]

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
            by = self.started_by.get(job_id) or ""
            raise Forbidden(
                f"this job was started by {by or 'someone else'}, not by you: only they and "
                "the province coordinator may follow, stop or accept it",
                key="forbidden:not_your_job",
                by=by,
            )

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
    def accept(self, actor: Actor, job_id: str, comment: str, expected: int) -> dict[str, int]:
        """Store a finished re-solve's roster as a new version: ``{version, rev}``, once
        stored and opened (a script's accept; the page's is :meth:`start_accept`, whose
        accept under way this one joins)."""
        accept_id = self.start_accept(actor, job_id, comment, expected, rejoin=False)
        return self.background.accepts[accept_id].job.result()

    @permitted(PLANNERS)
    def start_accept(
        self, actor: Actor, job_id: str, comment: str, expected: int, rejoin: bool = True
    ) -> str:
        """Accept a finished re-solve in the background: the accept's id, at once, once
        the refusals that need no work are said (accepted already, not theirs, no
        roster); its page shows its phases (``resolves.ACCEPT_PHASES``), then the
        versions. Exactly once: the same planner's second click joins the accept under
        way (and, ``rejoin``, one that stored its version less than REJOIN seconds ago:
        a double click); another planner's waits for it, then is refused as today."""
        comment = comment[:COMMENT_LENGTH]
        while True:
            with self._accepting:
                found = self.background.accepting(job_id)
                ended = found is not None and found[1].job.wait(0)
                if found is not None and found[1].by == actor.name:
                    accept_id, accepting = found
                    if not ended or (rejoin and accepting.job.error is None and accepting.recent()):
                        return accept_id
                if found is None or ended:
                    self._refuse_accept(actor, job_id, expected)
                    accept_id = self.background.next_id()
                    job: Job[dict[str, int]] = Job(
                        lambda control: self._accept_now(actor, job_id, comment, expected, control),
                        "accept",
                    )
                    self.background.add_accept(accept_id, Accepting(job, job_id, actor.name))
                    job.start()
                    return accept_id
            found[1].job.wait()  # another planner's accept: refused as a late one once done

    def _refuse_accept(self, actor: Actor, job_id: str, expected: int) -> None:
        """What refuses an accept before any work: the re-solve accepted already (the
        workspace keeps it: a restart forgets not), someone else's, unfinished or with no
        roster, a stale page (``expected``), its version replaced or an edit dropped
        since (the workspace's checks, which hold again when it stores the version)."""
        accepted = self.workspace.accepted_job(job_id)
        if accepted is not None:  # a second tab, or a second planner, too late
            version, by, when = accepted
            at = when.strftime("%Y-%m-%d %H:%M")
            raise AcceptedAlready(
                f"this re-solve was accepted already, as version {version} by {by} at {at} "
                "(UTC): nothing was changed",
                version=version,
                by=by or "",
                at=at,
            )
        if job_id in self.background.resolves:
            self._own_job(actor, job_id)
        resolve, _ = resolves.acceptable(self.background, job_id)
        self.workspace.check_version(expected, resolve.base, resolve.edit_ids)

    @saves
    def _accept_now(
        self, actor: Actor, job_id: str, comment: str, expected: int, control: JobControl
    ) -> dict[str, int]:
        """The accept's work (its job's): store the version, open it."""
        version, opened = resolves.accept(
            self.workspace,
            self.background,
            job_id,
            comment,
            expected,
            actor.name,
            actor.address,
            control.report,
        )
        control.report(resolves.ACCEPT_PHASES[-1])
        if opened is not None:  # the new version's pages, without compiling it again
            self.versions.adopt(opened)
        return {"version": version, "rev": self.workspace.revision()}

    @permitted(PLANNERS)
    def accept_state(self, actor: Actor, accept_id: str) -> dict[str, Any]:
        """An accept under way: its phases; once done, its version; failed, its refusal
        (raised: said as the accept's own would be)."""
        accepting = self.background.accepts.get(accept_id)
        if accepting is None:
            raise NotFound("no such accept: see the versions page")
        if accepting.by != actor.name and actor.role != "province":
            self._own_job(actor, accepting.resolve)
        job = accepting.job
        state: dict[str, Any] = {
            "id": accept_id,
            "job": accepting.resolve,
            "by": accepting.by,
            "phases": list(resolves.ACCEPT_PHASES),
            **job.progress(),
        }
        if job.wait(0):
            if job.error is not None:
                raise job.error
            state |= job.result()
        return state

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
        answers = None  # who has not opened their link or answered (issue 24)
        if actor.role in PLANNERS and self.workspace.published() is not None:
            try:
                opened = self._published_version()
            except DamagedVersion:  # the versions page lists the others all the same
                opened = None
            if opened is not None:
                found = self._statuses(opened)
                answers = links.unanswered(opened, found) | {"links": bool(found)}
        return {
            "versions": self.workspace.versions(),
            "audit": self._with_lines(audit),
            "formats": list(downloads.DOWNLOADS),
            "answers": answers,
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
        self._issue_links(version_id, actor)
        return {"published": version_id, "rev": self.workspace.revision()}

    def _issue_links(self, version_id: int, actor: Actor) -> int:
        """A link for every volunteer of a published version who has no live one (none
        once its season is over): how many volunteers have one."""
        opened = self._published_version()
        if not opened.camps:
            return 0
        expires = season_end(c.last_day for c in opened.camps.values() if c.members)
        if expires <= datetime.now(UTC):
            return 0
        people = [v for v, _, _ in opened.triples]
        return len(issue(self.links, people, version_id, expires, actor.name, actor.address))

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
        instance = self._head().instance
        names = {v.id: v.name for v in instance.volunteers}
        return {"a": a, "b": b, "diff": reads.roster_diff(before, after, names, instance)}

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
        ahead = None if compiled is None else downloads.ahead_file(head, kind, lang)
        with reading(version_id):
            if ahead is not None:  # made, or being made, since the version was opened
                file = replace(ahead.result(), name=downloads.file_name(version_id, kind))
            else:
                file = downloads.version_file(self.workspace, version_id, kind, lang, compiled)
        self.workspace.log(  # names people: a download of personal data
            "download", by=actor.name, address=actor.address, version=version_id, kind=kind
        )
        return file

    @permitted(READERS)
    def start_download(self, actor: Actor, version_id: int, kind: str, lang: str) -> str:
        """Make version ``version_id``'s ``kind`` file (its reasons in ``lang``) in the
        background: the job's id, at once. Its page shows the phases, then the link to
        the file (``download_file``): the season's workbook takes seconds to make."""
        try:
            head = self.head()
        except DamagedVersion:
            head = None
        compiled = head.problem if head is not None and head.version.id == version_id else None
        with reading(version_id):
            source = downloads.stored(self.workspace, version_id, kind)
        ahead = None if compiled is None else downloads.ahead_file(head, kind, lang)
        if ahead is None:
            return downloads.start_file(
                self.background,
                lambda report: downloads.made_file(source, kind, lang, compiled, report),
                version_id,
                kind,
                actor.name,
            )
        # made (or being made) since the version was opened: named for it now
        name = downloads.file_name(version_id, kind)
        job_id = self.background.next_id()
        self.background.add_file(job_id, FileJob(ahead, version_id, kind, actor.name, name=name))
        return job_id

    def _file_job(self, job_id: str, actor: Actor | None = None) -> FileJob:
        made = self.background.files.get(job_id)
        if made is None:
            raise NotFound("no such file: make it again from the versions page")
        if actor is not None and made.by != actor.name:  # phones: theirs alone
            raise Forbidden("this file was made for someone else")
        return made

    @permitted(READERS)
    def download_job(self, actor: Actor, job_id: str) -> dict[str, Any]:
        """A file being made: its phases, and once made its name and address."""
        made = self._file_job(job_id, actor)
        return downloads.file_state(made, job_id)

    @permitted(READERS)
    def download_file(self, actor: Actor, job_id: str) -> downloads.Download:
        """The file a download job made (audited as a download of its version)."""
        made = self._file_job(job_id, actor)
        if not made.job.wait(0):
            raise Worded("the file is still being made: wait for its link", key="file:not_ready")
        if made.job.error is not None:
            raise Worded(
                f"the file could not be made: {plain_reason(made.job.error)}", key="file:failed"
            )
        file = downloads.named(made, made.job.result())
        self.workspace.log(  # names people: a download of personal data
            "download",
            by=actor.name,
            address=actor.address,
            version=made.version,
            kind=made.kind,
            **made.audit,
        )
        return file

    @permitted(READERS)
    def calls_file(self, actor: Actor, version_id: int, suffix: str) -> downloads.Download:
        """Who to call after version ``version_id`` (its re-plan from its parent) as a
        ``csv`` or ``xlsx`` file; phones only where ``actor`` may see them."""
        with reading(version_id):
            view = calls.version_calls(
                self.workspace, version_id, actor, self._open_view(version_id)
            )
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
    def start_calls_file(self, actor: Actor, version_id: int, suffix: str) -> str:
        """Make who to call after version ``version_id`` as a ``csv`` or ``xlsx`` file in
        the background (a version not open is read again: seconds on the season): the
        job's id at once (``download_job``, ``download_file``, audited when fetched)."""
        if suffix not in calls.CALL_FORMATS:
            raise NotFound("no such format")
        with reading(version_id):
            source = calls.calls_source(self.workspace, version_id, self._open_view(version_id))
        audit: dict[str, Any] = {}

        def make(report: Any) -> downloads.Download:
            file, audit["phones"] = calls.made_calls_file(source, actor, suffix, report)
            return file

        kind = f"calls-{suffix}"
        return downloads.start_file(self.background, make, version_id, kind, actor.name, audit)

    @permitted(PLANNERS)
    def start_county_packets(self, actor: Actor, county: str) -> str:
        """Make the packets of every camp of ``county`` in the background (the season's
        largest county: a megabyte of pages), checked as :meth:`county_packets` checks
        them: the job's id at once."""
        head = self._head()
        in_county = head.view.counties.get(county, []) if head.view is not None else []
        if not in_county:
            raise NotFound("no such county")
        for camp in in_county:
            check_camp(actor, head.problem, camp.id, "this county's phones")
        view = head.view
        assert view is not None

        def make(report: Any) -> downloads.Download:
            report("writing")
            return downloads.county_packets(view, county)

        return downloads.start_file(
            self.background,
            make,
            head.version.id,
            "packets",
            actor.name,
            {"county": county},
            label=county,
        )

    def _open_view(self, version_id: int) -> Any:
        """The roster view of version ``version_id`` when it is the current one, open
        (with its solution's call list), else None (read from the workspace)."""
        try:
            head = self.head()
        except DamagedVersion:
            return None
        if head is None or head.version.id != version_id or head.view is None:
            return None
        return head.view

    @permitted(READERS)
    def calls_page(self, actor: Actor, version_id: int) -> dict[str, Any]:
        """Who to call after version ``version_id``, split into the calls its edits
        needed and the improvements the re-plan found; phones only where ``actor`` may
        see them (a page holding phones is a read of personal data: audited)."""
        with reading(version_id):
            data = calls.calls_page(self.workspace, version_id, actor, self._open_view(version_id))
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

    # ------------------------------------------------------ volunteers' links
    def _published_version(self) -> links.Roster:
        """The published version as the links read it: the open head when it is the
        published one, else read once (not compiled) and kept."""
        info = self.workspace.version(self.workspace.published() or -1)
        if info is None:
            raise NotFound("no roster has been published yet")
        head = self.head()
        if head is not None and head.version.id == info.id:
            return head
        kept = self._published
        if kept is None or kept.version.id != info.id:
            with reading(info.id):
                kept = links.published_roster(self.workspace, info)
            self._published = kept
        return kept

    @by_link
    def link_page(self, token: str, lang: str) -> dict[str, Any]:
        """A volunteer's page (their link is the credential: no account): their camps
        in the published version, in ``lang``; the link counts as opened."""
        record = verify(self.links, token)
        opened = self._published_version()
        self.links.mark([record.id], "opened_at")
        answers = self.links.answers(record.volunteer)
        return links.page(opened, record.volunteer, answers, lang)

    @by_link
    @saves
    def link_answer(self, token: str, fields: Mapping[str, object]) -> dict[str, Any]:
        """A volunteer confirms or declines one of their camps (``camp``, ``answer``,
        ``reason``, ``text``); a decline is an edit at once (the volunteer away from the
        camp), a confirmation drops their earlier decline's edit while it is pending."""
        record = verify(self.links, token)
        camp, answer, reason, text = checked_answer(dict(fields))
        opened = self._published_version()
        volunteer = record.volunteer
        if not any(v == volunteer and c == camp for v, c, _ in opened.triples):
            raise NotFound("this link has no such camp")
        before = self.links.answers(volunteer).get((volunteer, camp))
        pending = {e.id for e in self.workspace.pending_edits()}
        earlier = before.edit if before and before.edit in pending else None
        edit = earlier
        if answer == "decline" and earlier is None:
            ops = [{"op": "forbid", "pairs": [{"volunteer": volunteer, "camp": camp}]}]
            edit = self.workspace.add_edit("remove", ops, by=links.VOLUNTEER)
        elif answer == "confirm" and earlier is not None:
            self.workspace.drop_edit(earlier, by=links.VOLUNTEER)
            edit = None
        self.links.answer(volunteer, camp, answer, reason, text, opened.version.id, edit)
        self.links.mark([record.id], "opened_at")
        return {"camp": camp, "answer": answer, "reason": reason, "edit": edit}

    @by_link
    def link_calendar(self, token: str) -> downloads.Download:
        """The volunteer's camps as an ``.ics`` file, with stable event ids."""
        record = verify(self.links, token)
        opened = self._published_version()
        content = links.calendar(opened, record.volunteer, self.links.answers(record.volunteer))
        return downloads.Download("camps.ics", "text/calendar; charset=utf-8", content)

    def _statuses(self, opened: links.Roster) -> dict[tuple[str, str], str]:
        """Each assignment's status in ``opened`` (none before any link was made): the
        answers hold for the same volunteer and camp in any version. Kept until a link
        or an answer changes (asked of the database in two counts), or the hour turns
        (an answer overdue)."""
        now = datetime.now(UTC)
        key = (opened.version.id, self.links.stamp(), now.strftime("%Y%m%d%H"))
        kept = self._found
        if kept is not None and kept[0] == key:
            return kept[1]
        newest = self.links.newest()
        found = links.statuses(opened.triples, newest, self.links.answers(), now) if newest else {}
        self._found = (key, found)
        return found

    @permitted(PLANNERS)
    def links_file(self, actor: Actor, version_id: int, base_url: str) -> downloads.Download:
        """``links-phones.csv`` of a published version (what ``export --links`` writes):
        the province's every volunteer, a county's those on its counties' camps; the
        links count as sent (audited: phones)."""
        opened = self._published_version()
        if opened.version.id != version_id:
            raise Worded(
                f"version {version_id} is not the published one: publish it first",
                key="links:not_published",
                version=version_id,
            )
        expires = season_end(c.last_day for c in opened.camps.values() if c.members)
        if expires <= datetime.now(UTC):
            raise Worded(
                "this roster's season is over: its links would open nothing",
                key="links:season_over",
            )
        camps_of: dict[str, set[str]] = {}
        for volunteer, camp, _ in opened.triples:
            camps_of.setdefault(volunteer, set()).add(camp)
        issued = issue(self.links, camps_of, version_id, expires, actor.name, actor.address)

        def may_see(volunteer: str) -> bool:  # the province all, a county its camps' people
            return actor.role == "province" or any(
                opened.camps[c].county_id in actor.counties for c in camps_of.get(volunteer, ())
            )

        file = links.links_file(
            opened, {v: token for v, (_, token) in issued.items()}, base_url, may_see
        )
        live = self.links.live(datetime.now(UTC))
        self.links.mark([live[v].id for v in camps_of if v in live and may_see(v)], "sent_at")
        self.workspace.log(
            "download",
            by=actor.name,
            address=actor.address,
            version=version_id,
            kind="links",
            phones=True,
        )
        return file

    # ------------------------------------------------------ attendance (issue 24)
    def _attended_version(self) -> OpenVersion | links.Published:
        """The roster people were sent to: the published version, else the current."""
        return self._published_version() if self.workspace.published() else self._head()

    def _attended_camp(self, actor: Actor, camp_id: str) -> OpenVersion | links.Published:
        """The roster of :meth:`_attended_version`, once ``camp_id`` is known there and
        ``actor`` answers for it (a camp leader: their own camps; a county: its counties')."""
        opened = self._attended_version()
        if camp_id not in opened.camps:
            raise NotFound("no such camp")
        check_camp(actor, self._head().problem, camp_id, "this camp's attendance")
        return opened

    @permitted(ALL_BUT_VIEWER)
    def attendance(self, actor: Actor, camp_id: str) -> dict[str, Any]:
        """Camp ``camp_id``'s attendance sheet: its team (of the published roster), each
        with their mark, and whether ``actor`` may record (a camp leader: their own
        camps; a county: its counties')."""
        opened = self._attended_camp(actor, camp_id)
        camp = opened.camps[camp_id]
        team = attendance.sheet(opened, camp_id, self.attendance_marks.marks(camp_id))
        return {
            "camp": {
                "id": camp.id,
                "name": camp.name,
                "first_day": camp.first_day,
                "last_day": camp.last_day,
            },
            "version": opened.version.id,
            "team": team,
            "recorded": sum(1 for row in team if row["came"] is not None),
        }

    @permitted(ALL_BUT_VIEWER)
    def record_attendance(
        self, actor: Actor, camp_id: str, fields: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Record who of ``camp_id``'s team came (``attendance.checked_marks``), as
        ``actor`` (audited with their name); the sheet as it is now."""
        opened = self._attended_camp(actor, camp_id)
        marks = attendance.checked_marks(opened, camp_id, fields)
        self.attendance_marks.record(camp_id, marks, actor.name, actor.address, opened.version.id)
        return self.attendance(actor, camp_id)

    @permitted(PROVINCE)
    def attendance_history(self, actor: Actor) -> downloads.Download:
        """Every mark recorded, as an attendance history file (``contract/history.py``)
        whose season is this season's name: next season's ``stress --history``."""
        season = self._attended_version().instance.name
        content = attendance.history_file(season, self.attendance_marks.marks())
        self.workspace.log("download", by=actor.name, address=actor.address, kind="history")
        return downloads.Download("attendance-history.json", "application/json", content)

    @permitted(PLANNERS)
    @saves
    def revoke_link(self, actor: Actor, volunteer_id: str) -> dict[str, Any]:
        """Revoke ``volunteer_id``'s link (a lost phone, a link forwarded): it opens
        nothing from now on; the next publication or export makes a new one. A county
        coordinator: for people on its counties' camps."""
        head = self._head()
        if volunteer_id not in head.volunteers:
            raise NotFound("no such volunteer")
        if actor.role != "province":
            theirs = {c for v, c, _ in head.triples if v == volunteer_id}
            if not any(camp_in_scope(actor, head.problem, c) for c in theirs):
                counties = county_names(head.problem, sorted(actor.counties))
                raise Forbidden(
                    f"{volunteer_id} is on none of your counties' camps ({', '.join(counties)})",
                    key="forbidden:volunteer_not_yours",
                    volunteer=volunteer_id,
                    counties=counties,
                )
        revoked = self.links.revoke(volunteer_id, actor.name, actor.address)
        return {"volunteer": volunteer_id, "revoked": revoked}

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
            raise Worded("you cannot disable your own account", key="accounts:own")
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
        file = downloads.camp_packet(head.view, camp_id, self._statuses(head))
        self.workspace.log(  # phones: a download of personal data
            "download",
            by=actor.name,
            address=actor.address,
            version=head.version.id,
            kind="packet",
            camp=camp_id,
        )
        return file

    @permitted(PLANNERS)
    def county_packets(self, actor: Actor, county: str) -> downloads.Download:
        """The packets of every camp of ``county`` (its name, as the camps table filters
        it), with phones: the province, and the coordinator of that county only."""
        head = self._head()
        if head.view is None:
            raise NotFound("no such county")
        file = downloads.county_packets(head.view, county)
        for camp in head.view.counties.get(county, []):
            check_camp(actor, head.problem, camp.id, "this county's phones")
        self.workspace.log(  # phones: a download of personal data
            "download",
            by=actor.name,
            address=actor.address,
            version=head.version.id,
            kind="packets",
            county=county,
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
            raise Worded("choose one or more scenario files", key="scenarios:none")
        with self._starting:
            if self.running_job() is not None:
                raise SolveRunning("a solve is already running: wait for it or cancel it")
            return comparisons.start_comparison(
                self.workspace, self.background, uploads, self.time_limit
            )
