"""Files to take away: a version as a solution file, workbook, CSV (zipped) or HTML
report; the current roster for scripts (``/api/solution``); the pages' fonts.

Each names what it wants by id and kind, never by a path on disk.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from campplanner.app.review.downloads import font as font_file
from campplanner.web.handling import Acting, Id, Session
from campplanner.web.render import language_of

router = APIRouter()


@router.get("/versions/{version_id}/download/{kind}")
@router.get("/api/versions/{version_id}/download/{kind}")
def download(
    request: Request, version_id: Id, kind: str, session: Session, actor: Acting
) -> Response:
    # the reasons for empty slots in the page's language, as `export` gives them
    file = session.download(actor, version_id, kind, language_of(request))
    return Response(
        file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": f'attachment; filename="{file.name}"'},
    )


@router.get("/packets/{camp_id:path}")
@router.get("/api/packets/{camp_id:path}")
def packet(camp_id: str, session: Session, actor: Acting) -> Response:
    # a camp leader's page with phones: the file's name says so (…-phones.html)
    file = session.camp_packet(actor, camp_id)
    return Response(
        file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": f'attachment; filename="{file.name}"'},
    )


@router.get("/api/solution")
def solution(session: Session, actor: Acting) -> Response:
    return Response(session.solution(actor), media_type="application/json")


@router.get("/fonts/{name}")
def font(name: str) -> Response:
    return Response(
        font_file(name),
        media_type="font/woff2",
        headers={"Cache-Control": "public, max-age=86400"},
    )
