"""What every route shares: the session and the actor of a request, the posted fields
(size and CSRF checked first), where to go next, and every refusal said as a page or
as JSON.

A route gets the session and the actor as FastAPI dependencies (:data:`Session`,
:data:`Acting`), so that any router runs on a bare application given a session
(:func:`attach`) and an actor (the guard of ``security.py``, or a test's override of
:func:`actor_of`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, FastAPI, Path
from fastapi.exceptions import RequestValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from campplanner.app.review.actor import Actor
from campplanner.app.review.errors import (
    AcceptedAlready,
    CampPlannerError,
    Contradicts,
    DamagedVersion,
    DiskFull,
    EditsChanged,
    FileRefused,
    Forbidden,
    LateRefused,
    LinkRefused,
    LoginRefused,
    NotFound,
    NotLoggedIn,
    StaleRevision,
    TooLarge,
    TooManyAttempts,
    VersionReplaced,
    Worded,
)
from campplanner.app.review.session import ReviewSession, expected_revision
from campplanner.web.i18n import Words
from campplanner.web.limits import judge_before_reading, judge_csrf_header
from campplanner.web.refusals import Refusal, answer, not_found_fa, refusal_language, worded
from campplanner.web.render import csrf_of, failure, isolated
from campplanner.web.security import same

MAX_FILES, MAX_FIELDS = 20, 50  # of one posted form
T = TypeVar("T")


class Refused(Exception):
    """A request refused by the web itself (its size, its CSRF token, its shape)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


async def session_of(request: Request) -> ReviewSession:
    return request.app.state.session


async def actor_of(request: Request) -> Actor:
    """Who the request acts for, as the guard found them (``security.py``)."""
    actor = getattr(request.state, "actor", None)
    if actor is None:
        raise Refused(401, "who is asking is not known")
    return actor


Session = Annotated[ReviewSession, Depends(session_of)]
Acting = Annotated[Actor, Depends(actor_of)]

# What the application layer refuses, and the status that says it (the first match of
# an error's classes wins: a NotFound is a CampPlannerError too).
STATUS = {
    NotFound: 404,
    LinkRefused: 404,  # a volunteer's link that opens nothing (its routes say why)
    StaleRevision: 409,
    Contradicts: 409,  # two planners' edits: the second refused
    VersionReplaced: 409,
    AcceptedAlready: 409,
    TooLarge: 413,
    LoginRefused: 401,
    NotLoggedIn: 401,
    Forbidden: 403,
    TooManyAttempts: 429,
    DamagedVersion: 422,  # stored, but it cannot be read back: the other versions can
    DiskFull: 507,
    CampPlannerError: 400,
}


async def refused(request: Request, error: Exception) -> Response:
    """A refusal said as a page or as JSON: the web's own in the request's language."""
    if isinstance(error, RequestValidationError):  # a path's id or a field FastAPI parses
        error = malformed(error)
    elif isinstance(error, HTTPException):  # no such address or method: Starlette's own
        if error.status_code not in ROUTING:
            return failure(request, error.status_code, str(error.detail))
        error = Refusal(error.status_code, ROUTING[error.status_code])
    elif isinstance(error, DiskFull):
        error = Refusal(507, "disk_full")
    elif isinstance(error, EditsChanged):
        error = Refusal(409, "edits_changed")
    elif isinstance(error, DamagedVersion):
        error = Refusal(422, "damaged", version=error.version_id, reason=error.reason)
    if isinstance(error, Refusal):
        return answer(request, error)
    if isinstance(error, Forbidden):  # why, in the page's words; to a script, its key too
        why = {"reason": error.key, **error.values} if error.key.startswith("forbidden:") else {}
        return failure(request, 403, said(error, request), error, details=why)
    if isinstance(
        error, Worded | StaleRevision | NotFound | FileRefused | LateRefused
    ) or not_found_fa(str(error)):
        status = next(code for kind, code in STATUS.items() if isinstance(error, kind))
        return failure(request, status, said(error, request), error)  # in the page's words
    status = (
        error.status
        if isinstance(error, Refused)
        else next(code for kind, code in STATUS.items() if isinstance(error, kind))
    )
    return failure(request, status, str(error), error)  # a page may say it from its facts


def said(error: Exception, request: Request) -> str:
    """An application refusal in the request's language (its own text when it has no
    words of the page's)."""
    lang = refusal_language(request)
    if isinstance(error, FileRefused):  # an uploaded file's problems, ids isolated
        return error.said(lang, isolated)
    if isinstance(error, LateRefused):  # the late volunteer's form: its fields by their labels
        words = Words(lang, "jalali")
        return error.said(lang, isolated, lambda field: words(LATE_LABELS[field]))
    if isinstance(error, Worded | StaleRevision | Forbidden):
        return worded(error, lang)
    if lang == "fa" and isinstance(error, NotFound | CampPlannerError):
        return not_found_fa(str(error)) or str(error)
    return str(error)


def said_together(errors: list[Worded], request: Request) -> str:
    """Refusals said at once (a filter's every problem) in the request's language."""
    joined = "؛ " if refusal_language(request) == "fa" else "; "
    return joined.join(said(error, request) for error in errors)


# the late volunteer's form (volunteers.html): a field -> the words of its label
LATE_LABELS = {
    "id": "id",
    "name": "name",
    "home": "home",
    "skills": "skills",
    "gender": "gender",
    "first": "from",
    "last": "to",
}

ROUTING = {404: "not_found", 405: "bad_method"}  # Starlette's refusals, in words


def malformed(error: RequestValidationError) -> Refusal:
    """What FastAPI could not parse: an id in the path that is no number, or larger than
    any a workspace holds (:data:`Id`), names nothing (404); anything else is 400."""
    where = [str(part) for problem in error.errors() for part in problem.get("loc", ())]
    name = where[-1].removesuffix("_id") if where else "?"
    if where and where[0] == "path":
        return Refusal(404, "no_such_id", name=name)
    return Refusal(400, "bad_number", name=name)


MAX_ID = 2**53  # larger than any id or revision of a workspace; SQLite stops at 2**63
# An id in a route's path: a 20-digit one names nothing (404), never a database overflow.
Id = Annotated[int, Path(ge=0, le=MAX_ID)]


def whole_number(request: Request, name: str, default: int) -> int:
    """The query parameter ``name`` as a whole number (``default`` when absent or empty);
    ``abc``, ``²`` or 5,000 digits are refused in words (400)."""
    text = request.query_params.get(name, "")
    if not text:
        return default
    if not (text.isascii() and text.isdigit() and len(text) <= 15):
        raise Refusal(400, "bad_number", name=name)
    return int(text)


def attach(app: FastAPI, session: ReviewSession, csrf: str) -> None:
    """Give ``app``'s routes ``session`` and the CSRF token of its pages, and say every
    refusal as a page or as JSON."""
    app.state.session = session
    app.state.csrf = csrf
    for kind in (Refused, Refusal, RequestValidationError, HTTPException, *STATUS):
        app.add_exception_handler(kind, refused)


async def posted(request: Request) -> dict[str, Any]:
    """The request's fields, once its size and CSRF token are checked (the header before
    the body is read, limits.judge_csrf_header; a form's field after)."""
    max_upload = request.app.state.session.max_upload
    judge_before_reading(request.headers, max_upload)
    judge_csrf_header(request.headers, csrf_of(request))  # a login's own, else the server's
    kind = request.headers.get("content-type", "")
    data: dict[str, Any] = {}
    if kind.startswith("application/json"):
        data = json_object(await request.body())
    elif kind.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        form = await request.form(max_files=MAX_FILES, max_fields=MAX_FIELDS)
        for key in form:
            values = form.getlist(key)
            data[key] = values if key == "files" else values[0]
    token = request.headers.get("x-csrf-token") or data.get("csrf")
    if not same(token if isinstance(token, str) else None, csrf_of(request)):
        raise Refusal(403, "csrf")
    return data


def json_object(body: bytes) -> dict[str, Any]:
    """A posted JSON object, refused in words when it is no JSON or no object (one nested
    100,000 deep exhausts the parser's stack: no JSON either)."""
    try:
        loaded = json.loads(body or b"{}")
    except (ValueError, RecursionError):
        raise Refusal(400, "not_json") from None
    if not isinstance(loaded, dict):
        raise Refusal(400, "not_object")
    return loaded


async def off_loop(call: Callable[..., T], *args: Any) -> T:
    """``call(*args)`` in a worker thread: a session call that reads files, compiles or
    writes a version (seconds on the season) never holds the event loop, so every other
    request is answered meanwhile."""
    return await run_in_threadpool(call, *args)


def flag(data: dict[str, Any], name: str) -> bool:
    """A yes-or-no field: JSON true, or a ticked checkbox of a form ("on", "1", "true")."""
    value = data.get(name)
    if isinstance(value, bool):
        return value
    return isinstance(value, str) and value.strip().lower() in ("on", "1", "true", "yes")


def expected(data: dict[str, Any]) -> int:
    """The workspace revision the posted change was made on."""
    return expected_revision(data.get("rev"))


def shown_version(data: dict[str, Any]) -> int | None:
    """The version the asking page showed (``version``, optional): a re-solve from a
    page older than the current version is refused in words."""
    value = data.get("version")
    if value is None or value == "":
        return None
    text = str(value)
    if isinstance(value, bool) or not (text.isascii() and text.isdigit() and len(text) <= 15):
        raise Refusal(400, "bad_number", name="version")
    return int(text)


def back(data: dict[str, Any], default: str) -> RedirectResponse:
    """Back to the page the form named (``next``), on this server only, else ``default``."""
    target = str(data.get("next") or default)
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = default
    return RedirectResponse(target, status_code=303)


def partial(request: Request) -> bool:
    """Asked by htmx for a part of the page (a live filter or search as you type)."""
    return (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-history-restore-request") != "true"
    )


def versions_compared(request: Request) -> tuple[int, int]:
    """The two versions ``?a=ID&b=ID`` names."""
    params = request.query_params
    if not all(params.get(k, "").isascii() and params.get(k, "").isdigit() for k in "ab"):
        raise Refusal(400, "compare_which")
    a, b = int(params["a"][:20]), int(params["b"][:20])
    if max(a, b) > MAX_ID:
        raise Refusal(404, "no_such_id", name="version")
    return a, b


async def uploaded(data: dict[str, Any], max_upload: int) -> list[tuple[str, bytes]]:
    """The posted scenario files, (name, content), each read to one byte past the limit
    at most (the session refuses what is over it)."""
    files = [f for f in data.get("files", []) if isinstance(f, UploadFile)]
    return [
        (upload.filename or "scenario.json", await upload.read(max_upload + 1)) for upload in files
    ]
