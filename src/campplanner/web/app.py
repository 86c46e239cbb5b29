"""The ASGI application: the guard, the static files, and the routers over one session.

The routes (``web/routes/``) read and change the workspace through the application
layer's :class:`~campplanner.app.review.session.ReviewSession` alone, so the API does
everything the pages do (docs/review.md). No route takes a path on disk: versions are
named by id, files are uploaded.
"""

from __future__ import annotations

import secrets

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from starlette.staticfiles import StaticFiles

from campplanner.app.review.session import ReviewSession
from campplanner.web.handling import attach
from campplanner.web.limits import BodyGuard, CloseUnread
from campplanner.web.routes import accounts, api, attendance, downloads, edits, links, pages
from campplanner.web.security import token_guard

# In this order: the catch-all of unknown API addresses last.
ROUTERS = (
    accounts.router,
    pages.router,
    edits.router,
    downloads.router,
    links.router,
    attendance.router,
    api.router,
    api.fallback,
)


def create_app(session: ReviewSession, csrf: str | None = None) -> FastAPI:
    """The ASGI application over ``session``; ``csrf``: the token its pages' forms carry
    (a new one by default)."""
    app = FastAPI(title="campplanner", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(BodyGuard)  # inside the token guard: a stranger is refused first
    app.middleware("http")(token_guard(session))
    app.add_middleware(CloseUnread)  # outermost: an early answer closes the connection
    app.mount("/static", StaticFiles(packages=[("campplanner.web", "static")]), name="static")
    attach(app, session, csrf or secrets.token_urlsafe(24))
    for router in ROUTERS:
        add_routes(app, router)
    return app


def add_routes(app: FastAPI, router: APIRouter) -> None:
    """``router``'s routes added to ``app`` itself. Included with ``include_router``, they
    would be matched through a layer of FastAPI's own on every request (0.165: some 600
    more Python calls per API request, 1 to 2 ms of a page that takes 10); added here,
    each route costs what it did when the routes were closures of one function."""
    for route in router.routes:
        if isinstance(route, APIRoute):
            app.add_api_route(
                route.path,
                route.endpoint,
                methods=sorted(route.methods),
                response_class=route.response_class,
                name=route.name,
            )
