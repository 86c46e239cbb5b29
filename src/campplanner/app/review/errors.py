"""What the review session refuses, by kind, for a front end to say in its own way (the
web: 404 for :class:`NotFound`, 409 for :class:`StaleRevision`, 413 for
:class:`TooLarge`, 401 for :class:`LoginRefused` and :class:`NotLoggedIn`, 403 for
:class:`Forbidden`, 429 for :class:`TooManyAttempts`, 400 for any other
:class:`CampPlannerError`).

The contract's and the workspace's errors are named here too, so that a front end reads
every refusal from the application layer alone.
"""

from __future__ import annotations

import errno
import functools
from collections.abc import Callable
from typing import Any, TypeVar

from campplanner.app.accounts import LoginRefused, NotLoggedIn, TooManyAttempts
from campplanner.app.links import LinkRefused
from campplanner.contract.errors import (
    CampPlannerError,
    FilesError,
    InstanceError,
    UsageError,
    plain_reason,
)
from campplanner.contract.problems_fa import Isolate, error_in, number, plain, problem_fa
from campplanner.workspace import EditsChanged, StaleRevision, Superseded

F = TypeVar("F", bound=Callable[..., Any])


class NotFound(CampPlannerError):
    """No such version, camp, volunteer, pending edit, job or file."""


class TooLarge(CampPlannerError):
    """An uploaded file over the session's limit."""


class Forbidden(CampPlannerError):
    """Known, but not allowed to: another county's camp, phones for a viewer... Says
    why, for a front end to word in its own language: ``key`` (``forbidden:role``,
    ``forbidden:county_camp``, ...; see ``permissions.py``) and the ``values`` it
    quotes; ``str()`` is the English."""

    key = "forbidden"

    def __init__(self, message: str, key: str | None = None, **values: Any):
        super().__init__(message)
        if key is not None:
            self.key = key
        self.values = values


class DiskFull(CampPlannerError):
    """The disk (or the database) refused to store a change: nothing was stored."""

    def __init__(self) -> None:
        super().__init__(
            "the server's disk is full: nothing was stored and nothing was lost. "
            "Free some space and try again"
        )


class DamagedVersion(CampPlannerError):
    """A version whose stored instance or roster cannot be read back."""

    def __init__(self, version_id: int, reason: str):
        self.version_id = version_id
        self.reason = reason
        super().__init__(
            f"version {version_id} is damaged in the workspace ({reason}): it cannot be "
            "shown. The other versions are untouched; accept or open another roster"
        )


class FileRefused(UsageError):
    """Uploaded files that cannot be used, with every problem found in them (the
    contract's :class:`InstanceError` or :class:`FilesError`), named by the planner's
    file names, never by a path of the server's disk; ``str()`` is the English, and
    :meth:`said` words the problems in a front end's language."""

    def __init__(self, error: InstanceError | FilesError, folder: str):
        self.folder = folder.rstrip("/") + "/"
        errors = error.errors if isinstance(error, FilesError) else [error]
        named = [InstanceError(e.source.replace(self.folder, ""), e.issues) for e in errors]
        self.error: InstanceError | FilesError = (
            FilesError(named) if isinstance(error, FilesError) else named[0]
        )
        super().__init__(str(error).replace(self.folder, ""))

    def said(self, lang: str, isolate: Isolate = plain) -> str:
        """The problems in ``lang`` (ids, paths and file names wrapped by ``isolate``)."""
        if lang == "en":
            return str(self)
        return error_in(self.error, lang, isolate).replace(self.folder, "")


# a path of a late volunteer's record -> the form's fields (the free days: from and to)
LATE_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "name": ("name",),
    "home": ("home",),
    "skills": ("skills",),
    "gender": ("gender",),
    "available[0][0]": ("first",),
    "available[0][1]": ("last",),
    "available": ("first", "last"),
}


class LateRefused(UsageError):
    """A late volunteer's record the season cannot take (the contract's problems in it,
    an :class:`InstanceError`): ``str()`` is the English; :meth:`said` words it in a
    front end's language. Typed into the volunteers page's form (``typed``), each
    problem is said at the form's fields it concerns (``label`` names a field as the
    planner sees it), never at a JSON key; a record as the instance file writes it (the
    API) keeps the file's keys."""

    def __init__(self, error: InstanceError, typed: bool):
        self.error = error
        self.typed = typed
        super().__init__(str(error))

    @classmethod
    def fields(cls, path: str) -> tuple[str, ...]:
        """The form's fields of the problem at ``path`` (none for the record as a whole)."""
        for prefix, fields in LATE_FIELDS.items():  # the days before the whole list
            if path == prefix or path.startswith((prefix + ".", prefix + "[")):
                return fields
        return ()

    def said(self, lang: str, isolate: Isolate = plain, label: Callable[[str], str] = str) -> str:
        """The problems in ``lang`` (values quoted from the form wrapped by ``isolate``)."""
        if lang == "en":
            return str(self)
        if not self.typed:
            return error_in(self.error, lang, isolate)
        lines = []
        for issue in self.error.issues:
            text = problem_fa(issue, isolate)
            if text is None:  # a problem with no Persian words: its English, at its path
                lines.append(isolate(str(issue)))
                continue
            where = "، ".join(label(field) for field in self.fields(issue.path))
            lines.append(f"{where}: {text}" if where else text)
        head = f"این داوطلب را نمی‌توان سنجید: {number(len(lines))} مشکل در فرم"
        return "\n".join([head] + [f"  - {line}" for line in lines])


class Worded(UsageError):
    """A refusal a front end says in its own language: the words of ``key`` with
    ``values`` (the web's ``refusals.APP_WORDS``); ``str()`` is the English."""

    key = ""

    def __init__(self, message: str, key: str | None = None, **values: Any):
        super().__init__(message)
        if key is not None:
            self.key = key
        self.values = values


class Contradicts(Worded):
    """An edit that contradicts pending ones (``conflicts``: each as a dict, see
    ``conflicts.Conflict``): refused, nothing recorded; or, at a re-solve, pending
    edits that contradict each other (``pairs``)."""

    key = "contradicts"


class AttendanceRefused(Worded):
    """Marks of a camp's attendance that cannot be recorded: ``people`` names the
    entries (a person not on the team, a value neither yes nor no); none when nobody was
    marked at all (key ``attendance_nothing``)."""

    key = "attendance_refused"


class ContradictingPending(Worded):
    key = "contradicting_pending"


class VersionReplaced(Worded):
    """A page that showed version ``shown`` asks for a re-solve (or accepts a re-solve)
    after ``newest`` was accepted by ``by`` at ``at``: the edits it showed are no longer
    the pending ones."""

    key = "version_replaced"


class AcceptedAlready(Worded):
    """A re-solve someone already accepted (as version ``version``, by ``by`` at ``at``)."""

    key = "accepted_already"


class NotYours(Forbidden):
    """A bulk edit that names people outside the actor's scope: ``ids``, of ``of``."""

    key = "bulk_not_yours"


class SolveRunning(Worded):
    key = "solve_running"


class RestoreRefused(Worded):
    """A restore refused: ``why`` is ``current``, ``running`` or ``pending``."""

    key = "restore_refused"


class BulkRefused(Worded):
    """A bulk edit refused: every entry named (``entries``: the text of each)."""

    key = "bulk_refused"


def disk_full(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it, or the database driver's error inside it)
    says the disk or the database is full."""
    seen: set[int] = set()
    stack: list[BaseException | None] = [error]
    while stack:
        found = stack.pop()
        if found is None or id(found) in seen:
            continue
        seen.add(id(found))
        if isinstance(found, OSError) and found.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        text = str(found).lower()
        if "disk is full" in text or "no space left" in text or "disk full" in text:
            return True  # SQLite's SQLITE_FULL; PostgreSQL's 53100 disk_full
        if getattr(found, "sqlstate", None) == "53100":
            return True
        stack += [found.__cause__, found.__context__, getattr(found, "orig", None)]
    return False


def saves(method: F) -> F:
    """A session call that stores something: a full disk is :class:`DiskFull` (one
    clear message), never a bare internal error."""

    @functools.wraps(method)
    def storing(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except CampPlannerError:
            raise
        except Exception as error:
            if disk_full(error):
                raise DiskFull() from error
            raise

    return storing  # type: ignore[return-value]


def damaged(version_id: int, error: BaseException) -> DamagedVersion:
    return DamagedVersion(version_id, plain_reason(error))


__all__ = [
    "AcceptedAlready",
    "BulkRefused",
    "CampPlannerError",
    "ContradictingPending",
    "Contradicts",
    "DamagedVersion",
    "DiskFull",
    "EditsChanged",
    "Forbidden",
    "LinkRefused",
    "LoginRefused",
    "NotFound",
    "NotLoggedIn",
    "NotYours",
    "RestoreRefused",
    "SolveRunning",
    "StaleRevision",
    "Superseded",
    "TooLarge",
    "TooManyAttempts",
    "UsageError",
    "VersionReplaced",
    "Worded",
]
