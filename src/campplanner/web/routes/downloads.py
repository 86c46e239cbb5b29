"""Files to take away: a version as a solution file, workbook, CSV (zipped) or HTML
report; the current roster for scripts (``/api/solution``); the pages' fonts.

Each names what it wants by id and kind, never by a path on disk.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from campplanner.app.review.downloads import Download
from campplanner.app.review.downloads import font as font_file
from campplanner.web.handling import Acting, Id, Session, off_loop, partial, posted
from campplanner.web.render import language_of, page

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


@router.post("/versions/{version_id}/download/{kind}")
async def make_file(
    request: Request, version_id: Id, kind: str, session: Session, actor: Acting
) -> Response:
    # made in the background: its page shows the phases, then the link (seconds on the
    # season's workbook, and a plain link showed nothing meanwhile)
    await posted(request)
    job_id = await off_loop(session.start_download, actor, version_id, kind, language_of(request))
    return RedirectResponse(f"/files/{job_id}", status_code=303)


@router.post("/api/versions/{version_id}/download/{kind}")
async def api_make_file(
    request: Request, version_id: Id, kind: str, session: Session, actor: Acting
) -> dict[str, Any]:
    await posted(request)
    return {
        "job": await off_loop(session.start_download, actor, version_id, kind, language_of(request))
    }


@router.get("/files/{job_id}", response_class=HTMLResponse)
def file_page(request: Request, job_id: str, session: Session, actor: Acting) -> Response:
    template = "file_job.html" if partial(request) else "file_page.html"
    return page(request, template, job=session.download_job(actor, job_id))


@router.get("/api/files/{job_id}")
def api_file_state(job_id: str, session: Session, actor: Acting) -> dict[str, Any]:
    return session.download_job(actor, job_id)


@router.get("/files/{job_id}/file")
@router.get("/api/files/{job_id}/file")
def made_file(job_id: str, session: Session, actor: Acting) -> Response:
    file = session.download_file(actor, job_id)
    return Response(
        file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": f'attachment; filename="{file.name}"'},
    )


@router.get("/versions/{version_id}/calls.csv")
@router.get("/api/versions/{version_id}/calls.csv")
def calls_csv(version_id: Id, session: Session, actor: Acting) -> Response:
    return _calls(session.calls_file(actor, version_id, "csv"))


@router.get("/versions/{version_id}/calls.xlsx")
@router.get("/api/versions/{version_id}/calls.xlsx")
def calls_xlsx(version_id: Id, session: Session, actor: Acting) -> Response:
    return _calls(session.calls_file(actor, version_id, "xlsx"))


def _calls(file: Download) -> Response:
    # who to call after the version (from its parent); ...-phones... when it holds phones
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
