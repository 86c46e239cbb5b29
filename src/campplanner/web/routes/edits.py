"""The forms that change something: record or drop an edit, re-solve, cancel, accept or
discard a re-solve, publish or restore a version, compare uploaded scenarios.

Each checks the posted form (size, CSRF token), makes one call of the session and
sends the browser back to a page (303), as the JSON API (``api.py``) answers the same
calls with data.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from campplanner.web.handling import (
    Acting,
    Id,
    Session,
    back,
    expected,
    off_loop,
    posted,
    uploaded,
)

router = APIRouter()


@router.post("/edits")
async def add_edit(request: Request, session: Session, actor: Acting) -> Response:
    data = await posted(request)
    await off_loop(session.add_edit, actor, data)
    return back(data, "/edits")


@router.post("/edits/{edit_id}/delete")
async def drop_edit(request: Request, edit_id: Id, session: Session, actor: Acting) -> Response:
    data = await posted(request)
    await off_loop(session.drop_edit, actor, edit_id, expected(data))
    return back(data, "/edits")


@router.post("/solve")
async def solve(request: Request, session: Session, actor: Acting) -> Response:
    data = await posted(request)
    job_id = await off_loop(session.start_resolve, actor)
    return back({"next": f"/edits#job-{job_id}"} | data, "/edits")


@router.post("/jobs/{job_id}/cancel")
async def cancel(request: Request, job_id: str, session: Session, actor: Acting) -> Response:
    data = await posted(request)
    await off_loop(session.cancel, actor, job_id)
    return back(data, "/edits")


@router.post("/jobs/{job_id}/accept")
async def accept(request: Request, job_id: str, session: Session, actor: Acting) -> Response:
    data = await posted(request)
    await off_loop(session.accept, actor, job_id, str(data.get("comment", "")), expected(data))
    return back(data, "/versions")


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
