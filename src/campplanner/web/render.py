"""Pages rendered from templates, in the planner's language, and refusals said as a page
or as JSON.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from campplanner.web.i18n import LANGUAGES, Words


def csrf_of(request: Request) -> str:
    """The CSRF token the request's pages carry: its login session's, else the server's."""
    actor = getattr(request.state, "actor", None)
    return (actor.csrf if actor is not None else None) or request.app.state.csrf


LANG_COOKIE = "campplanner_lang"


@cache
def environment() -> Environment:
    """The templates of ``web/templates``, every value escaped."""
    env = Environment(
        loader=PackageLoader("campplanner.web", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["q"] = lambda value: quote(str(value), safe="")
    return env


def language_of(request: Request) -> str:
    """The page's language: ``?lang=`` (API clients), else the switch's cookie, else
    Persian."""
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE, "fa")
    return lang if lang in LANGUAGES else "fa"


def page(request: Request, template: str, code: int = 200, **context: Any) -> HTMLResponse:
    """``template`` rendered with ``context`` inside the frame every page shares."""
    frame = request.app.state.session.frame(getattr(request.state, "actor", None))
    html = (
        environment()
        .get_template(template)
        .render(
            t=Words(language_of(request), frame.calendar),
            csrf=csrf_of(request),
            actor=getattr(request.state, "actor", None),
            rev=frame.revision,
            path=request.url.path,
            running=frame.running,
            **context,
        )
    )
    return HTMLResponse(html, status_code=code)


def failure(
    request: Request, status: int, message: str, refusal: Exception | None = None
) -> Response:
    """A refusal: ``{"error": message}`` to the API, a page to a browser (which may say
    it from the ``refusal``'s facts in its own language)."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status)
    return page(request, "message.html", status, message=message, status=status, refusal=refusal)
