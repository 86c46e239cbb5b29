"""The forms that change something: record or drop an edit, re-solve, cancel, accept
(the accept's page of phases) or discard a re-solve, publish or restore a version,
compare uploaded scenarios.

Each checks the posted form (size, CSRF token), makes one call of the session and
sends the browser back to a page (303), as the JSON API (``api.py``) answers the same
calls with data.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from campplanner.app.review.errors import CampPlannerError
from campplanner.web.handling import (
    STATUS,
    Acting,
    Id,
    Session,
    back,
    expected,
    flag,
    off_loop,
    partial,
    posted,
    said,
    shown_version,
    uploaded,
)
from campplanner.web.render import failure, page

router = APIRouter()
BULK_FIELDS = ("kind", "volunteers", "camp", "skill", "first", "last")


EDIT_FIELDS = ("kind", "volunteer", "camp", "skill", "out", "first", "last", "next")


@router.post("/edits")
async def add_edit(request: Request, session: Session, actor: Acting) -> Response:
    """Record one edit; refused, the refusal said with the form again below it, as it
    was typed (the dates of an absence kept), ready to send once corrected."""
    data = await posted(request)
    try:
        await off_loop(session.add_edit, actor, data)
    except CampPlannerError as error:
        status = next(code for kind, code in STATUS.items() if isinstance(error, kind))
        typed = {k: str(data[k]) for k in EDIT_FIELDS if isinstance(data.get(k), str)}
        return failure(request, status, said(error, request), error, retry=typed)
    return back(data, "/edits")


@router.post("/edits/bulk")
async def add_bulk_edit(request: Request, session: Session, actor: Acting) -> Response:
    """One edit for a pasted list of people; refused, the volunteers page again with
    everything typed kept and the refusal above the form (no redirect that loses it)."""
    data = await posted(request)
    fields = {k: str(data.get(k, "")) for k in BULK_FIELDS}
    fields["volunteers"] = fields["volunteers"] or str(data.get("volunteer", ""))  # one
    try:
        await off_loop(session.add_edit, actor, {**fields, "rev": data.get("rev")})
    except CampPlannerError as error:
        status = next(code for kind, code in STATUS.items() if isinstance(error, kind))
        return page(
            request,
            "volunteers.html",
            status,
            data=None,
            query="",
            bulk=fields,
            bulk_error=said(error, request),
        )
    return back(data, "/edits")


@router.post("/edits/{edit_id}/delete")
async def drop_edit(request: Request, edit_id: Id, session: Session, actor: Acting) -> Response:
    data = await posted(request)
    await off_loop(session.drop_edit, actor, edit_id, expected(data))
    return back(data, "/edits")


@router.post("/solve")
async def solve(request: Request, session: Session, actor: Acting) -> Response:
    data = await posted(request)  # edits_only, version, freeze_until: only the future moves
    freeze = str(data.get("freeze_until") or "")
    job_id = await off_loop(
        session.start_resolve, actor, flag(data, "edits_only"), shown_version(data), freeze
    )
    return back({"next": f"/edits#job-{job_id}"} | data, "/edits")


@router.post("/jobs/{job_id}/cancel")
async def cancel(request: Request, job_id: str, session: Session, actor: Acting) -> Response:
    data = await posted(request)
    await off_loop(session.cancel, actor, job_id)
    return back(data, "/edits")


@router.post("/jobs/{job_id}/accept")
async def accept(request: Request, job_id: str, session: Session, actor: Acting) -> Response:
    # answered at once (on the season an accept takes a second or two, more on a loaded
    # machine): the accept's page shows its phases, then the versions; a second click
    # joins the accept under way; a refusal found at once is said here, as it was
    data = await posted(request)
    accept_id = await off_loop(
        session.start_accept, actor, job_id, str(data.get("comment", "")), expected(data)
    )
    return RedirectResponse(f"/accepts/{accept_id}", status_code=303)


@router.get("/accepts/{accept_id}", response_class=HTMLResponse)
def accepting(request: Request, accept_id: str, session: Session, actor: Acting) -> Response:
    """An accept's phases while it runs; done, the versions page; refused during the
    work (a stale page, a version replaced meanwhile, a full disk), the refusal as the
    accept itself said it (the page polled in place loads the whole page to say it)."""
    try:
        job = session.accept_state(actor, accept_id)
    except Exception:
        if partial(request):
            return Response(headers={"HX-Redirect": f"/accepts/{accept_id}"})
        raise
    if job["state"] == "done":
        if partial(request):
            return Response(headers={"HX-Redirect": "/versions"})
        return RedirectResponse("/versions", status_code=303)
    template = "accept_job.html" if partial(request) else "accept_page.html"
    return page(request, template, job=job)


@router.post("/jobs/{job_id}/discard")
async def discard(request: Request, job_id: str, session: Session, actor: Acting) -> Response:
    data = await posted(request)
    await off_loop(session.discard, actor, job_id)
    return back(data, "/edits")


@router.post("/versions/{version_id}/publish")
async def publish(request: Request, version_id: Id, session: Session, actor: Acting) -> Response:
    data = await posted(request)
    await off_loop(session.publish, actor, version_id, expected(data))
    return back(data, "/versions")


@router.post("/versions/{version_id}/restore")
async def restore(request: Request, version_id: Id, session: Session, actor: Acting) -> Response:
    data = await posted(request)
    await off_loop(session.restore, actor, version_id, expected(data))
    return back(data, "/versions")


@router.post("/scenarios")
async def upload_scenarios(request: Request, session: Session, actor: Acting) -> Response:
    data = await posted(request)
    job_id = await off_loop(
        session.start_comparison, actor, await uploaded(data, session.max_upload)
    )
    return back({"next": f"/scenarios#job-{job_id}"}, "/scenarios")
