"""Logging in on a workspace with accounts: the session cookie, API keys, and what a
request without either may still reach.

Once the workspace has an account, every request names one (on 127.0.0.1 too): the
session cookie set by ``POST /login`` or ``POST /api/login`` (HTTP-only, SameSite
strict, ending with the session), or ``Authorization: Bearer KEY`` with an account's API
key (scripts). Without either, a page redirects to the login page (302) and the API
answers 401; an expired or ended session is treated alike, and says so. The server's
shared token names nobody there: each person acts as their own account.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

if TYPE_CHECKING:
    from campplanner.app.review.actor import Actor
    from campplanner.app.review.session import ReviewSession

SESSION_COOKIE = "campplanner_session"
# reachable without logging in: the login itself and what its page needs (no one's data)
OPEN_PATHS = ("/login", "/api/login")
# and a volunteer's private link, its own credential (web/routes/links.py)
OPEN_PREFIXES = ("/static/", "/fonts/", "/lang/", "/v/")


def is_open(path: str) -> bool:
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)


def address_of(request: Request) -> str | None:
    return request.client.host if request.client else None


def identify(session: ReviewSession, request: Request) -> Actor | None:
    """The account a request's API key or session cookie names, if any."""
    address = address_of(request)
    bearer = request.headers.get("authorization", "")
    if bearer.lower().startswith("bearer "):
        return session.actor_for_key(bearer[7:].strip(), address)
    cookie = request.cookies.get(SESSION_COOKIE)
    return session.actor_for_session(cookie, address) if cookie else None


def unknown(request: Request) -> Response:
    """A request that names no account: 401 to the API, the login page to a browser."""
    ended = SESSION_COOKIE in request.cookies
    if request.url.path.startswith("/api/"):
        message = (
            "your session has ended: log in again (POST /api/login)"
            if ended
            else "log in first (POST /api/login with name and password) or send an API key"
        )
        answer: Response = JSONResponse({"error": message}, status_code=401)
    else:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        ended_note = "&ended=1" if ended else ""  # the login page says the session ended
        answer = RedirectResponse(
            f"/login?next={quote(target, safe='')}{ended_note}", status_code=302
        )
    if ended:
        answer.delete_cookie(SESSION_COOKIE, path="/")
    return answer
