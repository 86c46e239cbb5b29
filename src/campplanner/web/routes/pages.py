"""The pages a planner reads: overview, camps, a camp, volunteers, edits, versions,
compare, scenarios, the panels of running jobs, and the language switch.

Each parses the address, makes one call of the session and renders a template.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from campplanner.app.review.errors import Worded
from campplanner.web.handling import (
    Acting,
    Id,
    Session,
    back,
    off_loop,
    partial,
    posted,
    said_together,
    versions_compared,
)
from campplanner.web.i18n import LANGUAGES
from campplanner.web.render import LANG_COOKIE, language_of, page

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def overview_page(request: Request, session: Session, actor: Acting) -> Response:
    return page(request, "overview.html", data=session.overview(actor))


@router.get("/camps", response_class=HTMLResponse)
def camps_page(request: Request, session: Session, actor: Acting) -> Response:
    problems: list[Worded] = []
    data = session.camps(actor, request.query_params, problems)
    others = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    # A live filter (htmx) gets the table alone; going back in history, the page.
    template = "camps_results.html" if partial(request) else "camps.html"
    answer = page(
        request,
        template,
        400 if problems else 200,
        data=data,
        params=request.query_params,
        others=urlencode(others),
        error=said_together(problems, request),
    )
    answer.headers["Vary"] = "HX-Request"
    return answer


@router.get("/camps/{camp_id:path}/fit", response_class=HTMLResponse)
def camp_fit_page(request: Request, camp_id: str, session: Session, actor: Acting) -> Response:
    # ?skill=S: the best people for an empty or a new slot of S, and who has to move
    skill = request.query_params.get("skill", "")
    data = session.camp_fit(actor, camp_id, skill, language_of(request))
    return page(request, "fit_slot.html", data=data)


@router.get("/camps/{camp_id:path}", response_class=HTMLResponse)
def camp_page(request: Request, camp_id: str, session: Session, actor: Acting) -> Response:
    leaving = request.query_params.get("replace")
    data = session.camp(actor, camp_id, language_of(request), leaving)
    swaps = data.pop("replacements", None)
    return page(request, "camp.html", data=data, leaving=leaving, swaps=swaps)


@router.get("/volunteers", response_class=HTMLResponse)
def volunteers_page(request: Request, session: Session, actor: Acting) -> Response:
    # no query yet: the skills of the filter only; ?unassigned=1 (the overview's count of
    # the people on no camp): those people, a list no name is needed for
    unassigned = request.query_params.get("unassigned") == "1"
    data = session.search(actor, "", "", False, unassigned)
    return page(request, "volunteers.html", data=data, query="", bulk={})


@router.post("/volunteers", response_class=HTMLResponse)
async def volunteers_search(request: Request, session: Session, actor: Acting) -> Response:
    # POST: a name typed into the search must not end up in an address or a log
    data = await posted(request)
    query, skill = str(data.get("q", "")), str(data.get("skill", ""))
    unassigned = bool(data.get("unassigned"))  # only the people on no camp
    to_bulk = bool(data.get("to_bulk"))  # "edit them all": their ids into the bulk form
    only_results = partial(request) and not to_bulk  # the bulk form: from the whole page
    template = "volunteers_results.html" if only_results else "volunteers.html"
    county, group = str(data.get("county", "")), str(data.get("group", ""))
    dates = {name: str(data.get(name) or "") for name in ("from", "to")}
    problems: list[Worded] = []  # a date still being typed: said above the results
    found = await off_loop(
        session.search, actor, query, skill, to_bulk, unassigned, county, group, dates, problems
    )
    bulk = {"volunteers": "\n".join(found.get("ids", []))} if to_bulk else {}
    error = said_together(problems, request)
    status = 400 if problems else 200
    answer = page(
        request, template, status, data=found, query=query, bulk=bulk, dates=dates, error=error
    )
    answer.headers["Vary"] = "HX-Request"
    return answer


@router.post("/volunteers/fit", response_class=HTMLResponse)
async def late_volunteer_fit(request: Request, session: Session, actor: Acting) -> Response:
    # the late volunteer's form: the best camps for them (nothing is stored)
    data = await posted(request)
    found = await off_loop(session.late_fit, actor, data, language_of(request))
    return page(request, "fit.html", data=found)


@router.get("/volunteers/{volunteer_id:path}", response_class=HTMLResponse)
def volunteer_page(
    request: Request, volunteer_id: str, session: Session, actor: Acting
) -> Response:
    return page(request, "volunteer.html", data=session.volunteer(actor, volunteer_id))


@router.get("/edits", response_class=HTMLResponse)
def edits_page(request: Request, session: Session, actor: Acting) -> Response:
    return page(request, "edits.html", **session.edits_page(actor))


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_panel(request: Request, job_id: str, session: Session, actor: Acting) -> Response:
    return page(request, "job.html", job=session.resolve(actor, job_id))


@router.get("/versions", response_class=HTMLResponse)
def versions_page(request: Request, session: Session, actor: Acting) -> Response:
    return page(request, "versions.html", **session.versions_page(actor))


@router.get("/versions/compare", response_class=HTMLResponse)
def compare_page(request: Request, session: Session, actor: Acting) -> Response:
    a, b = versions_compared(request)
    return page(request, "compare.html", data=session.compare(actor, a, b))


@router.get("/versions/{version_id}/calls", response_class=HTMLResponse)
def calls_page(request: Request, version_id: Id, session: Session, actor: Acting) -> Response:
    # who to call after a version: what its edits needed, then the improvements found
    return page(request, "calls.html", data=session.calls_page(actor, version_id))


@router.get("/scenarios", response_class=HTMLResponse)
def scenarios_page(request: Request, session: Session, actor: Acting) -> Response:
    return page(request, "scenarios.html", jobs=session.comparisons(actor))


@router.get("/scenarios/jobs/{job_id}", response_class=HTMLResponse)
def scenario_panel(request: Request, job_id: str, session: Session, actor: Acting) -> Response:
    return page(request, "scenario_job.html", job=session.comparison(actor, job_id))


@router.get("/lang/{lang}")
def language(request: Request, lang: str) -> Response:
    target = request.query_params.get("next", "/")
    answer = back({"next": target}, "/")
    if lang in LANGUAGES:
        answer.set_cookie(LANG_COOKIE, lang, samesite="strict", max_age=365 * 86400)
    return answer
