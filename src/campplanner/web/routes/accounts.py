"""Logging in and out (issue 23): the login page in Persian and English, ``POST /login``
(its form), ``POST /api/login`` (scripts: ``{name, password}`` as JSON, answered with the
session cookie and ``{csrf}`` for the ``X-CSRF-Token`` header), and logging out; the
audit page (who did what, filtered).

The login itself is open to everyone (web/sessions.py); what a wrong name or password,
or too many attempts, is told gives no hint whether the name exists.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from campplanner.app.review.errors import LoginRefused, TooManyAttempts
from campplanner.web.handling import Acting, Session, back, json_object, posted
from campplanner.web.refusals import Refusal
from campplanner.web.render import page
from campplanner.web.sessions import SESSION_COOKIE, address_of

router = APIRouter()


def _with_cookie(request: Request, answer: Response, token: str, expires: datetime) -> Response:
    seconds = max(0, int((expires - datetime.now(UTC)).total_seconds()))
    answer.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=seconds,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return answer


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    ended = request.query_params.get("ended") == "1"
    return page(
        request,
        "login.html",
        next=request.query_params.get("next", "/"),
        error="session_ended" if ended else None,
    )


@router.post("/login", response_class=HTMLResponse)
async def login_form(request: Request, session: Session) -> Response:
    data = await posted(request)
    target = str(data.get("next") or "/")
    try:
        login = session.login(
            str(data.get("name", "")), str(data.get("password", "")), address_of(request)
        )
    except (LoginRefused, TooManyAttempts) as refused:
        wrong = isinstance(refused, LoginRefused)
        return page(
            request,
            "login.html",
            401 if wrong else 429,
            next=target,
            error="wrong_login" if wrong else "too_many_logins",
        )
    return _with_cookie(request, back(data, "/"), login.token, login.expires)


@router.post("/api/login")
async def api_login(request: Request, session: Session) -> Response:
    # JSON only: a page elsewhere cannot post JSON here without the browser asking first
    if not request.headers.get("content-type", "").startswith("application/json"):
        raise Refusal(415, "login_json")
    data = json_object(await request.body())  # within the body limits (web/limits.py)
    login = session.login(
        str(data.get("name", "")), str(data.get("password", "")), address_of(request)
    )
    answer = JSONResponse(
        {
            "csrf": login.csrf,
            "name": login.actor.name,
            "role": login.actor.role,
            "expires": login.expires.isoformat(),
        }
    )
    return _with_cookie(request, answer, login.token, login.expires)


@router.post("/logout")
async def logout_form(request: Request, session: Session, actor: Acting) -> Response:
    await posted(request)
    session.logout(actor, request.cookies.get(SESSION_COOKIE))
    answer = back({}, "/login")
    answer.delete_cookie(SESSION_COOKIE, path="/")
    return answer


@router.post("/api/logout")
async def api_logout(request: Request, session: Session, actor: Acting) -> Response:
    await posted(request)
    session.logout(actor, request.cookies.get(SESSION_COOKIE))
    answer = JSONResponse({"logged_out": actor.name})
    answer.delete_cookie(SESSION_COOKIE, path="/")
    return answer


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, session: Session, actor: Acting) -> Response:
    # ?account=&action=&since=YYYY-MM-DD&until=YYYY-MM-DD
    entries = session.audit(actor, request.query_params)
    return page(request, "audit.html", entries=entries, params=request.query_params)


@router.get("/api/users")
def api_users(session: Session, actor: Acting) -> dict[str, Any]:
    return {"users": session.users(actor)}


@router.post("/api/users")
async def api_add_user(request: Request, session: Session, actor: Acting) -> dict[str, Any]:
    # {name, role, password, counties: [...], camps: [...]}: the province's
    return session.add_user(actor, await posted(request))


@router.post("/api/users/{name}/disable")
async def api_disable_user(
    request: Request, name: str, session: Session, actor: Acting
) -> dict[str, Any]:
    await posted(request)
    return session.disable_user(actor, name)
