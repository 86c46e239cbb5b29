"""Start the server: the token checked, the port bound, the review opened (files,
workspace, session), the address printed, uvicorn run on the bound socket.

Nothing is printed before the port is ours: on a busy port the planner reads one
message (exit 2), never the address of the program that holds it, nor uvicorn's error.
"""

from __future__ import annotations

import errno
import os
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from campplanner.app.review.errors import UsageError
from campplanner.web.security import LOCAL_HOSTS

if TYPE_CHECKING:  # the command line imports this module: keep its start fast
    from fastapi import FastAPI

    from campplanner.app.review.session import ReviewSession

TOKEN_ENV = "CAMPPLANNER_TOKEN"  # the token without putting it in the process arguments
MIN_TOKEN = 16  # characters: a shorter token is guessed (or was an unset variable)


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


def checked_token(token: str | None, source: str = "--token") -> str | None:
    """``token`` if it can be used; an empty or short one is refused (an unset shell
    variable, ``--token "$T"``, would otherwise open the server to anyone)."""
    if token is None:
        return None
    if not token.strip():
        raise UsageError(
            f"{source} is empty: a server with an empty token is open to anyone. "
            f"Give a token of at least {MIN_TOKEN} characters, or leave it out for a new one"
        )
    if len(token) < MIN_TOKEN or token != token.strip():
        raise UsageError(
            f"{source} is too short or has spaces around it: at least {MIN_TOKEN} "
            "characters, none of them spaces at either end "
            "(python -c 'import secrets; print(secrets.token_urlsafe(18))' makes one)"
        )
    return token


def given_token(
    option: str | None, token_file: str | None, environ: dict[str, str] | None = None
) -> str | None:
    """The token from ``--token``, ``--token-file`` or the environment (CAMPPLANNER_TOKEN),
    checked; at most one of them. The last two keep it out of the process arguments,
    which every user of the machine can read."""
    environ = dict(os.environ) if environ is None else environ
    sources = []
    if option is not None:
        sources.append(("--token", option))
    if token_file is not None:
        try:
            text = Path(token_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
            raise UsageError(f"--token-file {token_file}: cannot read it ({reason})") from None
        sources.append((f"--token-file {token_file}", text.rstrip("\r\n")))
    if TOKEN_ENV in environ:
        sources.append((TOKEN_ENV, environ[TOKEN_ENV]))
    if len(sources) > 1:
        raise UsageError(
            "the token is given twice (" + ", ".join(name for name, _ in sources) + "): give one"
        )
    if not sources:
        return None
    name, value = sources[0]
    return checked_token(value, name)


def bound_socket(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``; a busy port or an address of another machine
    is one clear message."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        raise UsageError(f"--host {host}: not an address of this machine") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise UsageError(
                f"port {port} on {host} is in use by another program: "
                "stop it, or choose another --port"
            ) from None
        if error.errno in (errno.EACCES, errno.EPERM):
            raise UsageError(
                f"port {port} on {host}: not allowed (ports below 1024 need the "
                "administrator): choose another --port"
            ) from None
        raise UsageError(
            f"cannot listen on {host}:{port} ({error.strerror or 'refused'})"
        ) from None
    sock.set_inheritable(True)
    return sock


def build(
    settings: ServeSettings, say: Callable[[str], None] = print
) -> tuple[ReviewSession, FastAPI, str | None]:
    """The session and the ASGI app for ``settings`` (no server yet), and the token."""
    from campplanner.app.review.opening import open_review
    from campplanner.web.app import create_app

    token = checked_token(settings.token)
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

    from campplanner.web.limits import uvicorn_settings

    checked_token(settings.token)
    sock = bound_socket(settings.host, settings.port)  # before anything is opened or said
    try:
        session, app, token = build(settings, say)
        try:
            host = f"[{settings.host}]" if ":" in settings.host else settings.host
            address = f"http://{host}:{settings.port}/"
            if session.requires_login():  # accounts: each person logs in, the token names nobody
                if settings.token is not None:
                    say(
                        "warning: the token is not used on a workspace with accounts: each "
                        "person logs in, scripts use an API key (campplanner users api-key NAME)"
                    )
                address += " (log in with your account)"
            elif token and token != settings.token:  # a new one: the planner needs to see it
                address += f"?token={token}"
            elif token:
                address += " (with the token you gave: open it once as ?token=…)"
            say(f"campplanner serve: {address}")
            config = uvicorn.Config(
                app, log_level="warning", access_log=False, **uvicorn_settings()
            )
            uvicorn.Server(config).run(sockets=[sock])
        finally:
            session.close()
    finally:
        sock.close()
