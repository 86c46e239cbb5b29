"""The JSON API under ``/api/``: everything the pages do, as data (docs/review.md).

Each route parses the request, makes one call of the session and returns its answer;
changes carry the revision they were made on (``rev``) and the CSRF token.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from campplanner.web.handling import (
    Acting,
    Id,
    Refused,
    Session,
    expected,
    flag,
    off_loop,
    posted,
    shown_version,
    uploaded,
    versions_compared,
    whole_number,
)
from campplanner.web.render import csrf_of, language_of

router = APIRouter(prefix="/api")
fallback = APIRouter(prefix="/api")  # mounted last: any other /api/ address is a 404


@router.get("/session")
def api_session(request: Request, session: Session, actor: Acting) -> dict[str, Any]:
    return {"csrf": csrf_of(request)} | session.state(actor)


@router.get("/overview")
def api_overview(session: Session, actor: Acting) -> dict[str, Any]:
    data = session.overview(actor)
    if data is None:
        raise Refused(404, "the workspace has no version")
    return data


@router.get("/camps")
def api_camps(request: Request, session: Session, actor: Acting) -> dict[str, Any]:
    return session.camps(actor, request.query_params)


@router.get("/camps/{camp_id:path}/fit")
def api_camp_fit(request: Request, camp_id: str, session: Session, actor: Acting) -> dict[str, Any]:
    # ?skill=S: the best volunteers for an empty (or a new) slot of S, who has to move
    skill = request.query_params.get("skill", "")
    return session.camp_fit(actor, camp_id, skill, language_of(request))


@router.post("/volunteers/fit")
async def api_late_fit(request: Request, session: Session, actor: Acting) -> dict[str, Any]:
    # a late volunteer's record, as in the instance file: the best camps for them
    data = await posted(request)
    return await off_loop(session.late_fit, actor, data, language_of(request))


@router.get("/camps/{camp_id:path}")
def api_camp(request: Request, camp_id: str, session: Session, actor: Acting) -> dict[str, Any]:
    # ?replace=V: who could take this member's place, ranked
    leaving = request.query_params.get("replace")
    return session.camp(actor, camp_id, language_of(request), leaving)


@router.post("/volunteers/search")
async def api_search(request: Request, session: Session, actor: Acting) -> dict[str, Any]:
    data = await posted(request)
    query, skill = str(data.get("q", "")), str(data.get("skill", ""))
    unassigned = bool(data.get("unassigned"))
    county, group = str(data.get("county", "")), str(data.get("group", ""))
    dates = {name: str(data.get(name) or "") for name in ("from", "to")}  # a bad one: 400
    return await off_loop(
        session.search, actor, query, skill, False, unassigned, county, group, dates
    )


@router.get("/volunteers/{volunteer_id:path}")
def api_volunteer(volunteer_id: str, session: Session, actor: Acting) -> dict[str, Any]:
    return session.volunteer(actor, volunteer_id)


@router.get("/edits")
def api_edits(session: Session, actor: Acting) -> dict[str, Any]:
    return session.pending_edits(actor)


@router.post("/edits")
async def api_add_edit(request: Request, session: Session, actor: Acting) -> dict[str, Any]:
    return await off_loop(session.add_edit, actor, await posted(request))


@router.delete("/edits/{edit_id}")
async def api_drop_edit(
    request: Request, edit_id: Id, session: Session, actor: Acting
) -> dict[str, Any]:
    return await off_loop(session.drop_edit, actor, edit_id, expected(await posted(request)))


@router.post("/solve")
async def api_solve(request: Request, session: Session, actor: Acting) -> dict[str, Any]:
    data = await posted(request)  # {edits_only, version, freeze_until}
    freeze = str(data.get("freeze_until") or "")
    return {
        "job": await off_loop(
            session.start_resolve, actor, flag(data, "edits_only"), shown_version(data), freeze
        )
    }


@router.get("/jobs/{job_id}")
def api_job(request: Request, job_id: str, session: Session, actor: Acting) -> dict[str, Any]:
    return session.job(actor, job_id, whole_number(request, "since", 0))


@router.post("/jobs/{job_id}/cancel")
async def api_cancel(
    request: Request, job_id: str, session: Session, actor: Acting
) -> dict[str, Any]:
    await posted(request)
    await off_loop(session.cancel, actor, job_id)
    return {"cancelled": job_id}


@router.post("/jobs/{job_id}/accept")
async def api_accept(
    request: Request, job_id: str, session: Session, actor: Acting
) -> dict[str, Any]:
    data = await posted(request)
    return await off_loop(
        session.accept, actor, job_id, str(data.get("comment", "")), expected(data)
    )


@router.post("/jobs/{job_id}/discard")
async def api_discard(
    request: Request, job_id: str, session: Session, actor: Acting
) -> dict[str, Any]:
    await posted(request)
    await off_loop(session.discard, actor, job_id)
    return {"discarded": job_id}


@router.get("/versions")
def api_versions(session: Session, actor: Acting) -> dict[str, Any]:
    return session.version_list(actor)


@router.post("/versions/{version_id}/publish")
async def api_publish(
    request: Request, version_id: Id, session: Session, actor: Acting
) -> dict[str, Any]:
    return await off_loop(session.publish, actor, version_id, expected(await posted(request)))


@router.post("/versions/{version_id}/restore")
async def api_restore(
    request: Request, version_id: Id, session: Session, actor: Acting
) -> dict[str, Any]:
    return await off_loop(session.restore, actor, version_id, expected(await posted(request)))


@router.get("/versions/compare")
def api_compare(request: Request, session: Session, actor: Acting) -> dict[str, Any]:
    a, b = versions_compared(request)
    return session.compare(actor, a, b)


@router.get("/audit")
def api_audit(request: Request, session: Session, actor: Acting) -> dict[str, Any]:
    # ?account=&action=&since=YYYY-MM-DD&until=YYYY-MM-DD&limit=
    return {"audit": session.audit(actor, request.query_params)}


@router.post("/scenarios")
async def api_scenarios(request: Request, session: Session, actor: Acting) -> dict[str, Any]:
    files = await uploaded(await posted(request), session.max_upload)
    return {"job": await off_loop(session.start_comparison, actor, files)}


@fallback.get("/{rest:path}")
def api_unknown(rest: str) -> Response:
    raise Refused(404, "no such API route")
