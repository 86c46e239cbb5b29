"""Files to take away: a version as a solution file, workbook, CSV (zipped) or HTML
report; the current roster for scripts (``/api/solution``); the pages' fonts.

Each names what it wants by id and kind, never by a path on disk.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from campplanner.app.review.downloads import Download
from campplanner.app.review.downloads import font as font_file
from campplanner.web.handling import Acting, Id, Session, off_loop, partial, posted
from campplanner.web.i18n import file_name
from campplanner.web.render import language_of, page

router = APIRouter()


@router.get("/versions/{version_id}/download/{kind}")
@router.get("/api/versions/{version_id}/download/{kind}")
def download(
    request: Request, version_id: Id, kind: str, session: Session, actor: Acting
) -> Response:
    # the reasons for empty slots in the page's language, as `export` gives them
    file = session.download(actor, version_id, kind, language_of(request))
    return attachment(request, file)


def attachment(request: Request, file: Download) -> Response:
    """``file`` to save, named in the page's language: a Persian page's download has a
    Persian name (``filename*``), the plain name after it for older programs."""
    shown = file_name(file.name, file.label, language_of(request))
    disposition = f'attachment; filename="{file.name}"'
    if shown != file.name:
        disposition = f"attachment; filename*=UTF-8''{quote(shown)}; filename=\"{file.name}\""
    return Response(
        file.content, media_type=file.media_type, headers={"Content-Disposition": disposition}
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
    job = session.download_job(actor, job_id)
    if "file" in job:  # the name it is saved under, in the page's language
        job["file"]["shown"] = file_name(job["file"]["name"], job["label"], language_of(request))
    return page(request, template, job=job)


@router.get("/api/files/{job_id}")
def api_file_state(job_id: str, session: Session, actor: Acting) -> dict[str, Any]:
    return session.download_job(actor, job_id)


@router.get("/files/{job_id}/file")
@router.get("/api/files/{job_id}/file")
def made_file(request: Request, job_id: str, session: Session, actor: Acting) -> Response:
    return attachment(request, session.download_file(actor, job_id))


@router.get("/versions/{version_id}/calls.csv")
@router.get("/api/versions/{version_id}/calls.csv")
def calls_csv(request: Request, version_id: Id, session: Session, actor: Acting) -> Response:
    # who to call after the version (from its parent); ...-phones... when it holds phones
    return attachment(request, session.calls_file(actor, version_id, "csv"))


@router.get("/versions/{version_id}/calls.xlsx")
@router.get("/api/versions/{version_id}/calls.xlsx")
def calls_xlsx(request: Request, version_id: Id, session: Session, actor: Acting) -> Response:
    return attachment(request, session.calls_file(actor, version_id, "xlsx"))


@router.post("/versions/{version_id}/calls.{suffix}")
async def make_calls_file(
    request: Request, version_id: Id, suffix: str, session: Session, actor: Acting
) -> Response:
    # in the background: a version not open is read again (seconds on the season)
    await posted(request)
    job_id = await off_loop(session.start_calls_file, actor, version_id, suffix)
    return RedirectResponse(f"/files/{job_id}", status_code=303)


@router.post("/api/versions/{version_id}/calls.{suffix}")
async def api_make_calls_file(
    request: Request, version_id: Id, suffix: str, session: Session, actor: Acting
) -> dict[str, Any]:
    await posted(request)
    return {"job": await off_loop(session.start_calls_file, actor, version_id, suffix)}


@router.post("/county-packets/{county:path}")
async def make_county_packets(
    request: Request, county: str, session: Session, actor: Acting
) -> Response:
    # in the background: the season's largest county is a megabyte of pages
    await posted(request)
    job_id = await off_loop(session.start_county_packets, actor, county)
    return RedirectResponse(f"/files/{job_id}", status_code=303)


@router.post("/api/county-packets/{county:path}")
async def api_make_county_packets(
    request: Request, county: str, session: Session, actor: Acting
) -> dict[str, Any]:
    await posted(request)
    return {"job": await off_loop(session.start_county_packets, actor, county)}


@router.get("/packets/{camp_id:path}")
@router.get("/api/packets/{camp_id:path}")
def packet(request: Request, camp_id: str, session: Session, actor: Acting) -> Response:
    # a camp leader's page with phones: the file's name says so (…-phones.html)
    return attachment(request, session.camp_packet(actor, camp_id))


@router.get("/county-packets/{county:path}")
@router.get("/api/county-packets/{county:path}")
def county_packets(request: Request, county: str, session: Session, actor: Acting) -> Response:
    # the pages of every camp of a county (its name, as the camps table filters it)
    return attachment(request, session.county_packets(actor, county))


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
