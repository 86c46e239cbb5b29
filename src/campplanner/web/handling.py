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
from typing import Annotated, Any

from fastapi import Depends, FastAPI
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from campplanner.app.review.actor import Actor
from campplanner.app.review.errors import (
    CampPlannerError,
    Forbidden,
    LoginRefused,
    NotFound,
    NotLoggedIn,
    StaleRevision,
    TooLarge,
    TooManyAttempts,
)
from campplanner.app.review.session import ReviewSession, expected_revision
from campplanner.web.render import csrf_of, failure
from campplanner.web.security import same

MAX_FILES, MAX_FIELDS = 20, 50  # of one posted form


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
    StaleRevision: 409,
    TooLarge: 413,
    LoginRefused: 401,
    NotLoggedIn: 401,
    Forbidden: 403,
    TooManyAttempts: 429,
    CampPlannerError: 400,
}


def attach(app: FastAPI, session: ReviewSession, csrf: str) -> None:
    """Give ``app``'s routes ``session`` and the CSRF token of its pages, and say every
    refusal as a page or as JSON."""
    app.state.session = session
    app.state.csrf = csrf

    async def refused(request: Request, error: Exception) -> Response:
        status = (
            error.status
            if isinstance(error, Refused)
            else next(code for kind, code in STATUS.items() if isinstance(error, kind))
        )
        return failure(request, status, str(error), error)

    for kind in (Refused, *STATUS):
        app.add_exception_handler(kind, refused)


async def posted(request: Request) -> dict[str, Any]:
    """The request's fields, once its size and CSRF token are checked."""
    max_upload = request.app.state.session.max_upload
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > max_upload:
        raise Refused(413, f"too large: at most {max_upload:,} bytes")
    kind = request.headers.get("content-type", "")
    data: dict[str, Any] = {}
    if kind.startswith("application/json"):
        body = await request.body()
        try:
            loaded = json.loads(body or b"{}")
        except ValueError:
            raise Refused(400, "the body is not JSON") from None
        if not isinstance(loaded, dict):
            raise Refused(400, "the body must be a JSON object")
        data = loaded
    elif kind.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        form = await request.form(max_files=MAX_FILES, max_fields=MAX_FIELDS)
        for key in form:
            values = form.getlist(key)
            data[key] = values if key == "files" else values[0]
    token = request.headers.get("x-csrf-token") or data.get("csrf")
    if not same(token if isinstance(token, str) else None, csrf_of(request)):
        raise Refused(403, "missing or wrong CSRF token: reload the page and try again")
    return data


def expected(data: dict[str, Any]) -> int:
    """The workspace revision the posted change was made on."""
    return expected_revision(data.get("rev"))


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
    try:
        return int(request.query_params["a"]), int(request.query_params["b"])
    except (KeyError, ValueError):
        raise Refused(400, "say which versions to compare: ?a=ID&b=ID") from None


async def uploaded(data: dict[str, Any], max_upload: int) -> list[tuple[str, bytes]]:
    """The posted scenario files, (name, content), each read to one byte past the limit
    at most (the session refuses what is over it)."""
    files = [f for f in data.get("files", []) if isinstance(f, UploadFile)]
    return [
        (upload.filename or "scenario.json", await upload.read(max_upload + 1)) for upload in files
    ]
