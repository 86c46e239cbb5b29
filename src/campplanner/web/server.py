"""Start the server: open the review (files, workspace, session), print the address, run
uvicorn."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from campplanner.web.security import LOCAL_HOSTS

if TYPE_CHECKING:  # the command line imports this module: keep its start fast
    from fastapi import FastAPI

    from campplanner.app.review.session import ReviewSession


@dataclass(frozen=True)
class ServeSettings:
    instance_path: str
    solution_path: str | None = None
    workspace_url: str | None = None  # None: SQLite next to the instance
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    time_limit: float = 30.0
    # a new workspace for one planner at this machine: no accounts, as before issue 23
    single_user: bool = False


def build(
    settings: ServeSettings, say: Callable[[str], None] = print
) -> tuple[ReviewSession, FastAPI, str | None]:
    """The session and the ASGI app for ``settings`` (no server yet), and the token."""
    from campplanner.app.review.opening import open_review
    from campplanner.web.app import create_app

    token = settings.token
    if token is None and settings.host not in LOCAL_HOSTS:
        token = secrets.token_urlsafe(18)  # any other address: never without a token
    session = open_review(
        settings.instance_path,
        settings.solution_path,
        settings.workspace_url,
        token=token,
        time_limit=settings.time_limit,
        say=say,
        first_account=not settings.single_user,
    )
    return session, create_app(session), token


def serve(settings: ServeSettings, say: Callable[[str], None] = print) -> None:
    """Run the web application until Ctrl-C; accepted versions are already in the database."""
    import uvicorn

    session, app, token = build(settings, say)
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    address = f"http://{host}:{settings.port}/"
    if session.requires_login():  # accounts: each person logs in, the token names nobody
        say(f"campplanner serve: {address} (log in with your account)")
    else:
        say(f"campplanner serve: {address}" + (f"?token={token}" if token else ""))
    try:
        uvicorn.run(
            app, host=settings.host, port=settings.port, log_level="warning", access_log=False
        )
    finally:
        session.close()
