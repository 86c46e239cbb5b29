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
# The controls that embed, override or isolate a direction (LRE RLE PDF LRO RLO, LRI RLI
# FSI PDI): where a name cannot sit inside <bdi> (a title, an option of a drop-down),
# they are taken out and the name is isolated by FSI ... PDI instead.
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def isolated(value: object) -> str:
    """``value`` as plain text that cannot turn the text around it: its direction
    controls removed, the rest isolated (First Strong Isolate ... Pop Directional
    Isolate), for the places where no element may hold it (``<title>``, ``<option>``)."""
    return "\u2068" + str(value).translate(BIDI_CONTROLS) + "\u2069"


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
    env.filters["isolated"] = isolated
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
    request: Request,
    status: int,
    message: str,
    refusal: Exception | None = None,
    retry: dict[str, str] | None = None,
    details: dict[str, object] | None = None,
) -> Response:
    """A refusal: ``{"error": message}`` to the API (with ``details``, what a script
    reads of it: a 403's ``reason`` and the ids it names), a page to a browser (which
    may say it from the ``refusal``'s facts in its own language, and give the refused
    form back as it was typed: ``retry``)."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message, **(details or {})}, status_code=status)
    return page(
        request,
        "message.html",
        status,
        message=message,
        status=status,
        refusal=refusal,
        retry=retry,
    )
