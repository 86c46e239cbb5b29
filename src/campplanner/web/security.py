"""Who may talk to the server: the token, the CSRF check, and the headers every page gets.

- Bound to 127.0.0.1 the server needs no token unless one is given; on any other
  address it always does. Every request carries it (a cookie, ``Authorization: Bearer``
  or, on the first visit only, ``?token=``, which sets the cookie and redirects to the
  same page without it, so that it stays out of the address bar and the history).
  Without it: 401; with a wrong one: 403.
- Without a token, the server answers only requests addressed to a local name
  (``Host: 127.0.0.1``, ``localhost``, ``::1``): a web page elsewhere that points its own
  domain name at 127.0.0.1 (DNS rebinding) cannot read the pages, nor their CSRF token.
- Every state-changing request carries the CSRF token (a form field ``csrf`` or the
  header ``X-CSRF-Token``), which only the server's own pages know.

On a workspace with accounts, a session or an API key instead (``sessions.py``). A
volunteer's private link (``/v/TOKEN``) needs neither: the token in it is the credential.

Who a credential names is the application layer's to say (``ReviewSession.actor_for``);
the guard finds the credential in the request and keeps the answer as the request's
actor (``request.state.actor``), which every route hands to the session.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

from campplanner.web.sessions import identify, is_open, unknown

if TYPE_CHECKING:  # the command line imports this module (via server.py): keep it light
    from campplanner.app.review.session import ReviewSession

TOKEN_COOKIE = "campplanner_token"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# a volunteer's private link (web/routes/links.py): no token or account, the link is the
# credential, checked by the session
LINK_PREFIX = "/v/"
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and hmac.compare_digest(a.encode(), b.encode())


def on_this_site(path: str) -> str:
    """``path`` as an address of this server: ``//other.host/x``, ``/\\other.host`` or
    ``/%2F%2Fother.host`` would take a browser to another site (a scheme-relative
    address); one leading slash, every other character percent-encoded, cannot."""
    return "/" + quote(path.lstrip("/\\"), safe="/-._~!$&'()*+,;=:@")


def refuse(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status)
    return PlainTextResponse(message, status_code=status)


def token_guard(
    session: ReviewSession,
) -> Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]:
    """The middleware: the token on every request (if the session has one), else a local
    Host; the actor it names kept on the request; headers on every answer."""

    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if session.token is None and request.url.hostname not in LOCAL_HOSTS:
            return refuse(
                request,
                403,
                "this server answers only at 127.0.0.1 or localhost "
                "(start it with --token to reach it by another name)",
            )
        if request.url.path.startswith(LINK_PREFIX):  # a volunteer's link: its own credential
            request.state.actor = None
            return with_headers(request, await call_next(request))
        if session.requires_login():  # a workspace with accounts (web/sessions.py)
            # a database read: in a worker thread, not on the event loop
            actor = await run_in_threadpool(identify, session, request)
            if actor is None and not is_open(request.url.path):
                return with_headers(request, unknown(request))
            request.state.actor = actor
            return with_headers(request, await call_next(request))
        given = None
        if session.token is not None:
            offered = request.query_params.get("token")
            if offered is not None:
                if session.actor_for(offered) is None:
                    return refuse(request, 403, "wrong token")
                rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
                target = on_this_site(request.url.path) + (f"?{urlencode(rest)}" if rest else "")
                answer = RedirectResponse(target, status_code=303)
                answer.set_cookie(TOKEN_COOKIE, offered, httponly=True, samesite="strict")
                return answer
            bearer = request.headers.get("authorization", "")
            given = bearer[7:] if bearer.lower().startswith("bearer ") else None
            given = given or request.cookies.get(TOKEN_COOKIE)
            if given is None:
                return refuse(
                    request,
                    401,
                    "this server needs its token: open the address it printed at start (…?token=…)",
                )
        actor = session.actor_for(given)
        if actor is None:
            return refuse(request, 403, "wrong token")
        request.state.actor = actor
        return with_headers(request, await call_next(request))

    return guard


def with_headers(request: Request, answer: Response) -> Response:
    """The headers every answer gets."""
    if request.url.path.startswith(("/static/", "/fonts/")):  # the package's own files
        answer.headers.setdefault("Cache-Control", "public, max-age=3600")
    for name, value in HEADERS.items():
        answer.headers.setdefault(name, value)
    return answer
