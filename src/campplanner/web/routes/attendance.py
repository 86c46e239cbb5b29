"""Attendance at the camp: the sheet a camp leader fills in on a phone, its API, and the
season's attendance history for the province (issue 24).

The page lives at ``/attendance/CAMP`` (``/camps/CAMP`` takes every path below it).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from campplanner.app.review.errors import CampPlannerError
from campplanner.web.handling import STATUS, Acting, Session, back, off_loop, posted, said
from campplanner.web.render import failure, page
from campplanner.web.routes.downloads import attachment

router = APIRouter()


@router.get("/attendance/{camp_id:path}", response_class=HTMLResponse)
def attendance_page(request: Request, camp_id: str, session: Session, actor: Acting) -> Response:
    return page(request, "attendance.html", data=session.attendance(actor, camp_id))


@router.post("/attendance/{camp_id:path}")
async def record_attendance(
    request: Request, camp_id: str, session: Session, actor: Acting
) -> Response:
    """Record the sheet; refused, said in the page's language with nothing recorded."""
    data = await posted(request)
    try:
        await off_loop(session.record_attendance, actor, camp_id, data)
    except CampPlannerError as error:
        status = next(code for kind, code in STATUS.items() if isinstance(error, kind))
        return failure(request, status, said(error, request), error)
    return back({"next": f"/attendance/{camp_id}#recorded"}, "/")


@router.get("/api/attendance/{camp_id:path}")
def api_attendance(camp_id: str, session: Session, actor: Acting) -> dict[str, Any]:
    return session.attendance(actor, camp_id)


@router.post("/api/attendance/{camp_id:path}")
async def api_record_attendance(
    request: Request, camp_id: str, session: Session, actor: Acting
) -> dict[str, Any]:
    data = await posted(request)
    return await off_loop(session.record_attendance, actor, camp_id, data)


@router.get("/api/history.json")
def history(request: Request, session: Session, actor: Acting) -> Response:
    return attachment(request, session.attendance_history(actor))
