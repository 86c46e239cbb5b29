"""The ASGI application: the guard, the static files, and the routers over one session.

The routes (``web/routes/``) read and change the workspace through the application
layer's :class:`~campplanner.app.review.session.ReviewSession` alone, so the API does
everything the pages do (docs/review.md). No route takes a path on disk: versions are
named by id, files are uploaded.
"""

from __future__ import annotations

import secrets

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from campplanner.app.review.session import ReviewSession
from campplanner.web.handling import attach
from campplanner.web.routes import api, downloads, edits, pages
from campplanner.web.security import token_guard

# In this order: the catch-all of unknown API addresses last.
ROUTERS = (pages.router, edits.router, downloads.router, api.router, api.fallback)


def create_app(session: ReviewSession, csrf: str | None = None) -> FastAPI:
    """The ASGI application over ``session``; ``csrf``: the token its pages' forms carry
    (a new one by default)."""
    app = FastAPI(title="campplanner", docs_url=None, redoc_url=None, openapi_url=None)
    app.middleware("http")(token_guard(session))
    app.mount("/static", StaticFiles(packages=[("campplanner.web", "static")]), name="static")
    attach(app, session, csrf or secrets.token_urlsafe(24))
    for router in ROUTERS:
        app.include_router(router)
    return app
