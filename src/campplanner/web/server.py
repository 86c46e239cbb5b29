"""Start the server: open the workspace, import the files, print the address, run uvicorn."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from campplanner.contract.errors import UsageError, plain_reason
from campplanner.web.security import LOCAL_HOSTS

if TYPE_CHECKING:  # the command line imports this module: keep its start fast
    from fastapi import FastAPI

    from campplanner.web.site import Site


@dataclass(frozen=True)
class ServeSettings:
    instance_path: str
    solution_path: str | None = None
    workspace_url: str | None = None  # None: SQLite next to the instance
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    time_limit: float = 30.0


def build(
    settings: ServeSettings, say: Callable[[str], None] = print
) -> tuple[Site, FastAPI, str | None]:
    """The workspace, the site and the ASGI app for ``settings`` (no server yet)."""
    from campplanner.web.app import create_app
    from campplanner.web.site import Site, open_files, read_files
    from campplanner.workspace import Workspace, default_workspace_url

    token = settings.token
    if token is None and settings.host not in LOCAL_HOSTS:
        token = secrets.token_urlsafe(18)  # any other address: never without a token
    files = read_files(settings.instance_path, settings.solution_path)  # before any workspace
    url = settings.workspace_url or default_workspace_url(settings.instance_path)
    try:
        workspace = Workspace(url)
    except Exception as error:  # a bad URL or an unreachable server: one clear message
        reason = plain_reason(error)
        raise UsageError(
            f"--db {url.split('@')[-1]}: cannot open the workspace ({reason})"
        ) from None
    say(open_files(workspace, settings.instance_path, settings.solution_path, files))
    site = Site(workspace, token=token, time_limit=settings.time_limit)
    head = site.head()  # load the current version before the first page asks for it
    if head is not None:
        say(
            f"loaded version {head.version.id}: {len(head.instance.camps):,} camps, "
            f"{len(head.instance.volunteers):,} volunteers"
        )
    return site, create_app(site), token


def serve(settings: ServeSettings, say: Callable[[str], None] = print) -> None:
    """Run the web application until Ctrl-C; accepted versions are already in the database."""
    import uvicorn

    site, app, token = build(settings, say)
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    address = f"http://{host}:{settings.port}/"
    say(f"campplanner serve: {address}" + (f"?token={token}" if token else ""))
    try:
        uvicorn.run(
            app, host=settings.host, port=settings.port, log_level="warning", access_log=False
        )
    finally:
        site.close()
