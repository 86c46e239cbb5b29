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
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from campplanner.app.accounts import Accounts, Login
from campplanner.app.review import comparisons, downloads, edits, reads, resolves
from campplanner.app.review.actor import Actor, holder
from campplanner.app.review.background import Background
from campplanner.app.review.errors import NotFound, TooLarge, UsageError
from campplanner.app.review.versions import OpenVersion, OpenVersions
from campplanner.contract.calendar import Calendar
from campplanner.contract.solution import roster_triples as solution_triples
from campplanner.contract.solution import solution_from_data
from campplanner.workspace import Workspace

COMMENT_LENGTH = 500  # characters of an accepted version's comment


@dataclass(frozen=True)
class Frame:
    """What the frame of every page shows, whatever the page."""

    calendar: Calendar  # the current version's (Jalali without one)
    revision: int  # the workspace's, carried by every form
    running: str | None  # the id of a re-solve or comparison still running


def expected_revision(value: object) -> int:
    """The workspace revision a change was made on, as a front end received it."""
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise UsageError("rev (the workspace revision the change was made on) is missing") from None


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

    def login(self, name: str, password: str, address: str | None) -> Login:
        """Open a session for ``name`` (refused: :class:`LoginRefused`,
        :class:`TooManyAttempts`); every attempt is in the audit log."""
        return self.accounts.login(name, password, address)

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
        head = self.head()
        calendar = head.instance.calendar if head else "jalali"
        return Frame(calendar, self.workspace.revision(), self.running_job())

    def state(self, actor: Actor) -> dict[str, Any]:
        """The workspace's revision, the current version's id and a running job's."""
        head = self.workspace.head()
        return {
            "rev": self.workspace.revision(),
            "version": head.id if head else None,
            "running": self.running_job(),
        }

    # ------------------------------------------------------------------ reads
    def overview(self, actor: Actor) -> dict[str, Any] | None:
        """The overview of the current version (None without one)."""
        head = self.head()
        return reads.overview(head) if head else None

    def camps(
        self, actor: Actor, params: Mapping[str, str], problems: list[str] | None = None
    ) -> dict[str, Any]:
        """The camps table filtered by ``params`` (see :func:`reads.camp_filters`)."""
        head = self._head()
        return reads.camps(head, **reads.camp_filters(params, head.instance.calendar, problems))

    def camp(
        self, actor: Actor, camp_id: str, lang: str, leaving: str | None = None
    ) -> dict[str, Any]:
        """A camp's page in ``lang``; given ``leaving``, who could take that member's
        place, ranked (``replacements``)."""
        head = self._head()
        data = reads.camp(head, camp_id, lang)
        if data is None:
            raise NotFound("no such camp")
        if leaving:
            data["replacements"] = reads.replacements(head, camp_id, leaving)
        return data

    def search(self, actor: Actor, query: str) -> dict[str, Any]:
        """Volunteers whose name or id contains ``query``, however it was typed."""
        return reads.search(self._head(), query)

    def volunteer(self, actor: Actor, volunteer_id: str) -> dict[str, Any]:
        data = reads.volunteer(self._head(), volunteer_id)
        if data is None:
            raise NotFound("no such volunteer")
        return data

    # ------------------------------------------------------------------ edits
    def pending_edits(self, actor: Actor) -> dict[str, Any]:
        return {
            "pending": [e.as_dict() for e in self.workspace.pending_edits()],
            "rev": self.workspace.revision(),
        }

    def edits_page(self, actor: Actor) -> dict[str, Any]:
        """The pending edits, each in one line, and the re-solves of this session."""
        return {
            "pending": [
                e.as_dict() | {"summary": edits.describe(e.ops)}
                for e in self.workspace.pending_edits()
            ],
            "jobs": [self.resolve(actor, job_id) for job_id in list(self.background.resolves)],
        }

    def add_edit(self, actor: Actor, fields: Mapping[str, object]) -> dict[str, int]:
        """Record the edit ``fields`` describe (``kind``, ``volunteer``, ``camp``, ``skill``,
        ``out``, ``first``, ``last``), checked at once, on revision ``fields["rev"]``:
        ``{id, rev}``."""
        kind = str(fields.get("kind", ""))
        texts = {k: str(v) for k, v in fields.items() if isinstance(v, str | int)}
        ops = edits.edit_ops(self._head(), kind, texts)
        expected = expected_revision(fields.get("rev"))
        edit_id = self.workspace.add_edit(kind, ops, expected, by=actor.name)
        return {"id": edit_id, "rev": self.workspace.revision()}

    def drop_edit(self, actor: Actor, edit_id: int, expected: int) -> dict[str, int]:
        """Forget a pending edit: ``{rev}``."""
        try:
            self.workspace.drop_edit(edit_id, expected, by=actor.name)
        except KeyError:
            raise NotFound("no such pending edit") from None
        return {"rev": self.workspace.revision()}

    # ---------------------------------------------------------- re-solves, jobs
    def start_resolve(self, actor: Actor) -> str:
        """Re-plan from the current version with the pending edits, in the background."""
        if self.running_job() is not None:
            raise UsageError("a solve is already running: wait for it or cancel it")
        return resolves.start_resolve(self.workspace, self.background, self.time_limit)

    def resolve(self, actor: Actor, job_id: str, since: int = 0) -> dict[str, Any]:
        """A re-solve's state and progress from event ``since``, once finished its diff."""
        resolve = self.background.resolves.get(job_id)
        if resolve is None:
            raise NotFound("no such solve")
        return resolves.resolve_state(resolve, job_id, self.time_limit, since)

    def job(self, actor: Actor, job_id: str, since: int = 0) -> dict[str, Any]:
        """A re-solve's or a comparison's state."""
        resolve = self.background.resolves.get(job_id)
        if resolve is not None:
            return resolves.resolve_state(resolve, job_id, self.time_limit, since)
        comparison = self.background.comparisons.get(job_id)
        if comparison is not None:
            return comparisons.comparison_state(comparison, job_id)
        raise NotFound("no such job")

    def cancel(self, actor: Actor, job_id: str) -> None:
        """Stop a re-solve or a comparison (it keeps its best roster)."""
        job = self.background.job(job_id)
        if job is None:
            raise NotFound("no such job")
        job.cancel()

    def accept(self, actor: Actor, job_id: str, comment: str, expected: int) -> dict[str, int]:
        """Store a finished re-solve's roster as a new version: ``{version, rev}``."""
        comment = comment[:COMMENT_LENGTH]
        version, opened = resolves.accept(
            self.workspace, self.background, job_id, comment, expected, actor.name
        )
        if opened is not None:  # the new version's pages, without compiling it again
            self.versions.adopt(opened)
        return {"version": version, "rev": self.workspace.revision()}

    def discard(self, actor: Actor, job_id: str) -> None:
        resolves.discard(self.workspace, self.background, job_id, actor.name)

    # --------------------------------------------------------------- versions
    def versions_page(self, actor: Actor) -> dict[str, Any]:
        """Every version, newest first, the audit log (an edit in one line), and the
        kinds of file each version downloads as."""
        audit = self.workspace.audit_log()
        for entry in audit:  # an edit in one line, as on the edits page
            if "ops" in entry["detail"]:
                ops = entry["detail"].pop("ops")
                entry["detail"]["edit"] = f"{entry['detail'].get('edit')}: {edits.describe(ops)}"
        return {
            "versions": self.workspace.versions(),
            "audit": audit,
            "formats": list(downloads.DOWNLOADS),
        }

    def version_list(self, actor: Actor) -> dict[str, Any]:
        return {
            "versions": [v.as_dict() for v in self.workspace.versions()],
            "published": self.workspace.published(),
            "rev": self.workspace.revision(),
        }

    def publish(self, actor: Actor, version_id: int, expected: int) -> dict[str, int]:
        """Publish a version: ``{published, rev}``."""
        try:
            self.workspace.publish(version_id, expected, by=actor.name)
        except KeyError:
            raise NotFound("no such version") from None
        return {"published": version_id, "rev": self.workspace.revision()}

    def compare(self, actor: Actor, a: int, b: int) -> dict[str, Any]:
        """Who to call between versions ``a`` and ``b`` (names from the current one)."""
        before, after = self._roster(a), self._roster(b)
        names = {v.id: v.name for v in self._head().instance.volunteers}
        return {"a": a, "b": b, "diff": reads.roster_diff(before, after, names)}

    def _roster(self, version_id: int) -> list[tuple[str, str, str]]:
        if self.workspace.version(version_id) is None:
            raise NotFound(f"no version {version_id}")
        raw = self.workspace.solution_json(version_id)
        return solution_triples(solution_from_data(json.loads(raw))) if raw else []

    def solution(self, actor: Actor) -> bytes:
        """The current version's roster as a solution file."""
        head = self.workspace.head()
        raw = self.workspace.solution_json(head.id) if head else None
        if raw is None:
            raise NotFound("no roster yet")
        return raw

    def download(self, actor: Actor, version_id: int, kind: str, lang: str) -> downloads.Download:
        """Version ``version_id`` as a file of ``kind``, its reasons in ``lang``."""
        head = self.head()
        compiled = head.problem if head is not None and head.version.id == version_id else None
        return downloads.version_file(self.workspace, version_id, kind, lang, compiled)

    def audit(self, actor: Actor) -> list[dict[str, Any]]:
        """The audit log, newest first."""
        return self.workspace.audit_log()

    # -------------------------------------------------------------- scenarios
    def comparisons(self, actor: Actor) -> list[dict[str, Any]]:
        return [
            comparisons.comparison_state(comparison, job_id)
            for job_id, comparison in list(self.background.comparisons.items())
        ]

    def comparison(self, actor: Actor, job_id: str) -> dict[str, Any]:
        comparison = self.background.comparisons.get(job_id)
        if comparison is None:
            raise NotFound("no such comparison")
        return comparisons.comparison_state(comparison, job_id)

    def start_comparison(self, actor: Actor, uploads: list[tuple[str, bytes]]) -> str:
        """Compare the uploaded scenario files (name, content) against the current
        version in the background, once each is checked; returns the job's id."""
        for name, content in uploads:
            if len(content) > self.max_upload:
                raise TooLarge(f"{name}: too large: at most {self.max_upload:,} bytes")
        if not uploads:
            raise UsageError("choose one or more scenario files")
        if self.running_job() is not None:
            raise UsageError("a solve is already running: wait for it or cancel it")
        return comparisons.start_comparison(
            self.workspace, self.background, uploads, self.time_limit
        )
