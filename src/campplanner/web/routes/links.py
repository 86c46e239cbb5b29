"""Volunteers' private links (issue 24): ``/v/TOKEN`` (their page, Persian with an
English switch, for a phone), ``POST /v/TOKEN/answer`` (confirm or decline a camp: a
form or JSON ``{camp, answer, reason}``) and ``/v/TOKEN/calendar.ics``; and the
planners' side: ``links-phones.csv`` of the published version and revoking a link.

A link needs no account or token: it is its own credential (checked by the session:
``app/links.py``), so the guard lets ``/v/`` through (``web/security.py``). It carries
no CSRF token: a page elsewhere cannot know the link's token, and without it the
request names nobody. Answers are refused past the body limits like any other post.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from campplanner.app.links import ANSWERS
from campplanner.app.review.errors import CampPlannerError, LinkRefused
from campplanner.web.handling import (
    STATUS,
    Acting,
    Id,
    Session,
    back,
    json_object,
    off_loop,
    posted,
)
from campplanner.web.limits import FORMS, judge_before_reading
from campplanner.web.refusals import Refusal
from campplanner.web.render import language_of, page

router = APIRouter()


def _refused(request: Request, refusal: LinkRefused) -> Response:
    """A link that opens nothing, said on a page of its own (no menu, nobody's data)."""
    return page(request, "link.html", 404 if refusal.why == "unknown" else 410, refused=refusal.why)


@router.get("/v/{token}")
def link_page(request: Request, token: str, session: Session) -> Response:
    try:
        data = session.link_page(token, language_of(request))
    except LinkRefused as refusal:
        return _refused(request, refusal)
    return page(
        request,
        "link.html",
        token=token,
        data=data,
        lang=language_of(request),
        done=request.query_params.get("done")
        if request.query_params.get("done") in ANSWERS
        else "",
    )


@router.post("/v/{token}/answer")
async def link_answer(request: Request, token: str, session: Session) -> Response:
    judge_before_reading(request.headers, session.max_upload)
    kind = request.headers.get("content-type", "")
    if kind.startswith("application/json"):
        fields: dict[str, Any] = json_object(await request.body())
    elif kind.startswith(FORMS):
        form = await request.form(max_files=0, max_fields=10)
        fields = {key: form.get(key) for key in form}
    else:
        raise Refusal(400, "not_json")
    scripted = kind.startswith("application/json")
    try:
        answer = await off_loop(session.link_answer, token, fields)
    except LinkRefused as refusal:
        if scripted:
            status = 404 if refusal.why == "unknown" else 410
            return JSONResponse({"error": str(refusal), "why": refusal.why}, status_code=status)
        return _refused(request, refusal)
    except CampPlannerError as error:  # not their camp, a bad answer: JSON to a script
        if not scripted:
            raise
        status = next(code for kind, code in STATUS.items() if isinstance(error, kind))
        return JSONResponse({"error": str(error)}, status_code=status)
    if scripted:
        return JSONResponse(answer)
    lang = "&lang=en" if language_of(request) == "en" else ""
    return RedirectResponse(f"/v/{token}?done={answer['answer']}{lang}", status_code=303)


@router.get("/v/{token}/calendar.ics")
def link_calendar(request: Request, token: str, session: Session) -> Response:
    try:
        file = session.link_calendar(token)
    except LinkRefused as refusal:
        return _refused(request, refusal)
    return Response(
        file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": f'attachment; filename="{file.name}"'},
    )


@router.get("/versions/{version_id}/links.csv")
@router.get("/api/versions/{version_id}/links.csv")
def links_csv(request: Request, version_id: Id, session: Session, actor: Acting) -> Response:
    # the server's own address starts every link (behind a proxy: export --links --base-url)
    file = session.links_file(actor, version_id, str(request.base_url))
    return Response(
        file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": f'attachment; filename="{file.name}"'},
    )


@router.post("/api/links/{volunteer_id:path}/revoke")
async def api_revoke(
    request: Request, volunteer_id: str, session: Session, actor: Acting
) -> dict[str, Any]:
    await posted(request)
    return session.revoke_link(actor, volunteer_id)


@router.post("/volunteers/{volunteer_id:path}/revoke-link")
async def revoke_form(
    request: Request, volunteer_id: str, session: Session, actor: Acting
) -> RedirectResponse:
    data = await posted(request)
    session.revoke_link(actor, volunteer_id)
    return back(data, "/volunteers")
