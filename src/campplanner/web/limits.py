"""The limits every request passes before a route reads it: the size of its body counted
as the bytes arrive (declared or chunked), the CSRF header judged before a byte of the
body is read, a deadline for the body, and the slow client's connection closed.

- :class:`BodyGuard` (ASGI middleware, inside the token guard): a state-changing request
  whose declared size is over the limit is refused (413) unread; the body is then
  passed on as it arrives, counted, and refused (413) at the first byte past the limit,
  chunked or not, so that neither memory nor the temporary folder (a form's files)
  holds more than the limit. A body that has not arrived within :data:`BODY_SECONDS` is
  refused (408).
- :class:`CloseUnread` (outermost): an answer sent before the body is all in closes
  the connection, the token guard's too.
- :func:`judge_csrf_header`, the first step of every route that reads a posted body
  (``handling.posted``): a wrong ``X-CSRF-Token``, or none on a body that is not a form
  (the API), is refused (403) before a byte of the body is read.
- :func:`uvicorn_settings`: the server's own timeouts: an idle connection is closed
  after :data:`IDLE_SECONDS`, one whose request line and headers take longer than
  :data:`HEADER_SECONDS` too (a client that sends a byte a second holds no connection).

A form posted by a page carries its CSRF token as a field, so it is judged after its
body, which is bounded by the limit; the pages' own scripts (htmx) send the header.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.datastructures import Headers
from starlette.requests import Request

from campplanner.web.refusals import Refusal, answer
from campplanner.web.security import SAFE_METHODS, same

HEADER_SECONDS = 10.0  # for a request line and its headers
BODY_SECONDS = 60.0  # for a whole body (2 MB at 35 KB/s)
IDLE_SECONDS = 5.0  # between two requests on one connection
FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyGuard:
    """The body limits of every request (see the module docstring); ``limit`` and
    ``csrf`` are read from the application's state at each request (the session's
    ``max_upload``, the pages' CSRF token)."""

    def __init__(self, app: ASGIApp, body_seconds: float | None = None):
        self.app = app
        self.body_seconds = body_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        headers = Headers(scope=scope)
        body = Body(receive, state.session.max_upload, self.body_seconds or BODY_SECONDS)
        body.complete = bodiless(headers)
        try:
            if scope["method"] not in SAFE_METHODS:
                judge_before_reading(headers, body.limit)
            await self.app(scope, body.receive, send)
        except Refusal as refusal:  # refused before (or while) the app read the body
            said = answer(Request(scope), refusal)
            await said(scope, body.receive, send)


def bodiless(headers: Headers) -> bool:
    """A request that announces no body (nothing to wait for)."""
    return headers.get("content-length", "0") == "0" and "transfer-encoding" not in headers


class CloseUnread:
    """The outermost layer: an answer that starts before the request's body is all in
    (a refusal of the token guard, of BodyGuard or of a route) closes the connection,
    so the rest of the body is never read; a stranger streaming a GiB at a 401 is cut
    off at once. It only watches: nothing is refused here."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        complete = bodiless(Headers(scope=scope))

        async def watched() -> Message:
            nonlocal complete
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body", False):
                complete = True
            return message

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start" and not complete:
                message = dict(message)
                message["headers"] = [*message.get("headers", []), (b"connection", b"close")]
            await send(message)

        await self.app(scope, watched, sending)


class Body:
    """A request's body as it arrives: counted, and on a deadline."""

    def __init__(self, receive: Receive, limit: int, seconds: float):
        self.upstream = receive
        self.limit = limit
        self.deadline = asyncio.get_running_loop().time() + seconds
        self.received = 0
        self.complete = False

    async def receive(self) -> Message:
        if self.complete:  # the body is in: what follows is a disconnect, whenever
            return await self.upstream()
        loop = asyncio.get_running_loop()
        try:
            message = await asyncio.wait_for(self.upstream(), max(0.0, self.deadline - loop.time()))
        except TimeoutError:
            raise Refusal(408, "too_slow") from None
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.limit:
                raise Refusal(413, "too_large", limit=self.limit)
            self.complete = not message.get("more_body", False)
        else:
            self.complete = True
        return message


def judge_before_reading(headers: Headers, limit: int) -> None:
    """The size a state-changing request declares, judged before its body is read."""
    length = headers.get("content-length")
    if length is not None and (not length.isascii() or not length.isdigit()):
        raise Refusal(400, "bad_number", name="Content-Length")
    if length is not None and int(length) > limit:
        raise Refusal(413, "too_large", limit=limit)


def judge_csrf_header(headers: Headers, expected: str) -> None:
    """The CSRF header, judged before a byte of the body is read: a wrong one is 403,
    and so is none on a body that is not a form (the API's carry the header; only a
    page's form carries the token as a field, judged once the form, within the size
    limit, is read)."""
    offered = headers.get("x-csrf-token")
    if offered is not None:
        if not same(offered, expected):
            raise Refusal(403, "csrf")
    elif not headers.get("content-type", "").startswith(FORMS):
        raise Refusal(403, "csrf")


def uvicorn_settings(header_seconds: float | None = None) -> dict[str, Any]:
    """The options of uvicorn's ``Config`` that time slow clients out."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    header_seconds = header_seconds or HEADER_SECONDS

    class Deadlined(H11Protocol):
        """uvicorn's HTTP/1.1 protocol, closing a connection whose request line and
        headers have not all arrived ``header_seconds`` after it was opened or after
        the last answer on it."""

        _header_deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport: Any) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.cycle is not None and not self.cycle.response_complete:
                self._disarm()  # a request is in: the body's deadline is BodyGuard's

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _arm(self) -> None:
            self._disarm()
            self._header_deadline = self.loop.call_later(header_seconds, self._too_slow)

        def _disarm(self) -> None:
            if self._header_deadline is not None:
                self._header_deadline.cancel()
                self._header_deadline = None

        def _too_slow(self) -> None:
            self._header_deadline = None
            if self.cycle is None or self.cycle.response_complete:
                self.transport.close()

    return {"http": Deadlined, "timeout_keep_alive": IDLE_SECONDS}
