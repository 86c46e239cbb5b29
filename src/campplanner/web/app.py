"""The routes: pages (server-rendered Jinja2) and the JSON API under ``/api/``.

Both read the same data from :mod:`campplanner.web.views` and change the workspace
through the same functions (:mod:`campplanner.web.edits`), so the API does everything
the pages do (docs/review.md lists it). No route takes a path on disk: versions are
named by id, files are uploaded.
"""

from __future__ import annotations

import io
import json
import zipfile
from importlib import resources
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI
from jinja2 import Environment, PackageLoader
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from campplanner.app.files import attach_reasons
from campplanner.contract.errors import CampPlannerError
from campplanner.contract.instance import day_of, instance_from_data
from campplanner.contract.solution import roster_triples as solution_triples
from campplanner.contract.solution import solution_from_data
from campplanner.io.formats import EXPORT_FORMATS
from campplanner.report.roster import RosterView
from campplanner.web import edits, scenarios, views
from campplanner.web.i18n import LANGUAGES, Words
from campplanner.web.security import same, token_guard
from campplanner.web.site import Loaded, Site
from campplanner.workspace import StaleRevision

LANG_COOKIE = "campplanner_lang"
FONTS = {f"vazirmatn-{s}-{w}-normal.woff2" for s in ("arabic", "latin") for w in (400, 700)}
DOWNLOADS = {
    "solution": ("application/json", "json"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("application/zip", "zip"),
    "html": ("text/html; charset=utf-8", "html"),
}


class Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("campplanner.web", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["q"] = lambda value: quote(str(value), safe="")
    return env


def create_app(site: Site) -> FastAPI:
    """The ASGI application over ``site``."""
    app = FastAPI(title="campplanner", docs_url=None, redoc_url=None, openapi_url=None)
    app.middleware("http")(token_guard(site.token))
    app.mount("/static", StaticFiles(packages=[("campplanner.web", "static")]), name="static")
    env = _environment()

    # ---------------------------------------------------------------- helpers
    def language_of(request: Request) -> str:
        """The page's language: ``?lang=`` (API clients), else the switch's cookie, else
        Persian."""
        lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE, "fa")
        return lang if lang in LANGUAGES else "fa"

    def words(request: Request) -> Words:
        head = site.head()
        calendar = head.instance.calendar if head else "jalali"
        return Words(language_of(request), calendar)

    def page(request: Request, template: str, code: int = 200, **context: Any) -> HTMLResponse:
        w = words(request)
        html = env.get_template(template).render(
            t=w,
            csrf=site.csrf,
            rev=site.workspace.revision(),
            path=request.url.path,
            running=site.running_job(),
            **context,
        )
        return HTMLResponse(html, status_code=code)

    def head_or_refuse() -> Loaded:
        head = site.head()
        if head is None:
            raise Refused(404, "the workspace has no version")
        return head

    async def posted(request: Request) -> dict[str, Any]:
        """The request's fields, once its size and CSRF token are checked."""
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > site.max_upload:
            raise Refused(413, f"too large: at most {site.max_upload:,} bytes")
        kind = request.headers.get("content-type", "")
        data: dict[str, Any] = {}
        if kind.startswith("application/json"):
            body = await request.body()
            try:
                loaded = json.loads(body or b"{}")
            except ValueError:
                raise Refused(400, "the body is not JSON") from None
            if not isinstance(loaded, dict):
                raise Refused(400, "the body must be a JSON object")
            data = loaded
        elif kind.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            form = await request.form(max_files=20, max_fields=50)
            for key in form:
                values = form.getlist(key)
                data[key] = values if key == "files" else values[0]
        token = request.headers.get("x-csrf-token") or data.get("csrf")
        if not same(token if isinstance(token, str) else None, site.csrf):
            raise Refused(403, "missing or wrong CSRF token: reload the page and try again")
        return data

    def expected(data: dict[str, Any]) -> int:
        value = data.get("rev")
        try:
            return int(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise Refused(
                400, "rev (the workspace revision the change was made on) is missing"
            ) from None

    def back(data: dict[str, Any], default: str) -> RedirectResponse:
        target = str(data.get("next") or default)
        if not target.startswith("/") or target.startswith("//") or "\\" in target:
            target = default
        return RedirectResponse(target, status_code=303)

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    @app.exception_handler(Refused)
    async def refused(request: Request, error: Refused) -> Response:
        return failure(request, error.status, str(error))

    @app.exception_handler(StaleRevision)
    async def stale(request: Request, error: StaleRevision) -> Response:
        return failure(request, 409, str(error))

    @app.exception_handler(CampPlannerError)
    async def bad_input(request: Request, error: CampPlannerError) -> Response:
        return failure(request, 400, str(error))

    def failure(request: Request, status: int, message: str) -> Response:
        if wants_json(request):
            return JSONResponse({"error": message}, status_code=status)
        return page(request, "message.html", status, message=message, status=status)

    # ------------------------------------------------------------------ pages
    @app.get("/", response_class=HTMLResponse)
    def overview_page(request: Request) -> Response:
        head = site.head()
        data = views.overview(head) if head else None
        return page(request, "overview.html", data=data)

    def camp_filters(
        request: Request, loaded: Loaded, problems: list[str] | None = None
    ) -> dict[str, Any]:
        """The camps table's filters from the address. A date that is not one is refused
        (400), or, given ``problems``, left out and said there (a live filter while the
        planner is still typing it)."""
        params = request.query_params
        calendar = loaded.instance.calendar

        def day(name: str) -> int | None:
            text = (params.get(name) or "").strip()
            if not text:
                return None
            try:
                return day_of(text, calendar)
            except ValueError:
                message = f"{name}: {text!r} is not a date (YYYY-MM-DD)"
                if problems is None:
                    raise Refused(400, message) from None
                problems.append(message)
                return None

        page = params.get("page", "1")
        return {
            "county": params.get("county", ""),
            "first": day("from"),
            "last": day("to"),
            "status": params.get("status", ""),
            "skill": params.get("skill", ""),
            "query": params.get("q", ""),
            "page": int(page) if page.isdigit() else 1,
        }

    @app.get("/camps", response_class=HTMLResponse)
    def camps_page(request: Request) -> Response:
        head = head_or_refuse()
        problems: list[str] = []
        data = views.camps(head, **camp_filters(request, head, problems))
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
            error="; ".join(problems),
        )
        answer.headers["Vary"] = "HX-Request"
        return answer

    def partial(request: Request) -> bool:
        """Asked by htmx for a part of the page (a live filter or search as you type)."""
        return (
            request.headers.get("hx-request") == "true"
            and request.headers.get("hx-history-restore-request") != "true"
        )

    @app.get("/camps/{camp_id:path}", response_class=HTMLResponse)
    def camp_page(request: Request, camp_id: str) -> Response:
        head = head_or_refuse()
        data = views.camp(head, camp_id, language_of(request))
        if data is None:
            raise Refused(404, "no such camp")
        leaving = request.query_params.get("replace")
        swaps = views.replacements(head, camp_id, leaving) if leaving else None
        return page(request, "camp.html", data=data, leaving=leaving, swaps=swaps)

    @app.get("/volunteers", response_class=HTMLResponse)
    def volunteers_page(request: Request) -> Response:
        return page(request, "volunteers.html", data=None, query="")

    @app.post("/volunteers", response_class=HTMLResponse)
    async def volunteers_search(request: Request) -> Response:
        # POST: a name typed into the search must not end up in an address or a log
        data = await posted(request)
        query = str(data.get("q", ""))
        template = "volunteers_results.html" if partial(request) else "volunteers.html"
        found = views.search(head_or_refuse(), query) if query.strip() else None  # cleared
        answer = page(request, template, data=found, query=query)
        answer.headers["Vary"] = "HX-Request"
        return answer

    @app.get("/volunteers/{volunteer_id:path}", response_class=HTMLResponse)
    def volunteer_page(request: Request, volunteer_id: str) -> Response:
        data = views.volunteer(head_or_refuse(), volunteer_id)
        if data is None:
            raise Refused(404, "no such volunteer")
        return page(request, "volunteer.html", data=data)

    @app.get("/edits", response_class=HTMLResponse)
    def edits_page(request: Request) -> Response:
        pending = [
            e.as_dict() | {"summary": edits.describe(e.ops)} for e in site.workspace.pending_edits()
        ]
        jobs = [edits.job_state(site, job_id) for job_id in list(site.resolves)]
        return page(request, "edits.html", pending=pending, jobs=jobs)

    @app.post("/edits")
    async def add_edit(request: Request) -> Response:
        data = await posted(request)
        record_edit(data)
        return back(data, "/edits")

    def record_edit(data: dict[str, Any]) -> int:
        kind = str(data.get("kind", ""))
        fields = {k: str(v) for k, v in data.items() if isinstance(v, str | int)}
        ops = edits.edit_ops(head_or_refuse(), kind, fields)
        return site.workspace.add_edit(kind, ops, expected(data))

    @app.post("/edits/{edit_id}/delete")
    async def drop_edit(request: Request, edit_id: int) -> Response:
        data = await posted(request)
        forget_edit(edit_id, data)
        return back(data, "/edits")

    def forget_edit(edit_id: int, data: dict[str, Any]) -> None:
        try:
            site.workspace.drop_edit(edit_id, expected(data))
        except KeyError:
            raise Refused(404, "no such pending edit") from None

    @app.post("/solve")
    async def solve(request: Request) -> Response:
        data = await posted(request)
        job_id = edits.start_resolve(site)
        return back({"next": f"/edits#job-{job_id}"} | data, "/edits")

    @app.get("/jobs/{job_id}", response_class=HTMLResponse)
    def job_panel(request: Request, job_id: str) -> Response:
        state = edits.job_state(site, job_id)
        if state is None:
            raise Refused(404, "no such solve")
        return page(request, "job.html", job=state)

    @app.post("/jobs/{job_id}/cancel")
    async def cancel(request: Request, job_id: str) -> Response:
        data = await posted(request)
        cancel_job(job_id)
        return back(data, "/edits")

    def cancel_job(job_id: str) -> None:
        resolve = site.resolves.get(job_id)
        comparison = site.comparisons.get(job_id)
        if resolve is None and comparison is None:
            raise Refused(404, "no such job")
        (resolve or comparison).job.cancel()  # type: ignore[union-attr]

    @app.post("/jobs/{job_id}/accept")
    async def accept(request: Request, job_id: str) -> Response:
        data = await posted(request)
        edits.accept(site, job_id, str(data.get("comment", ""))[:500], expected(data))
        return back(data, "/versions")

    @app.post("/jobs/{job_id}/discard")
    async def discard(request: Request, job_id: str) -> Response:
        data = await posted(request)
        edits.discard(site, job_id)
        return back(data, "/edits")

    @app.get("/versions", response_class=HTMLResponse)
    def versions_page(request: Request) -> Response:
        audit = site.workspace.audit_log()
        for entry in audit:  # an edit in one line, as on the edits page
            if "ops" in entry["detail"]:
                ops = entry["detail"].pop("ops")
                entry["detail"]["edit"] = f"{entry['detail'].get('edit')}: {edits.describe(ops)}"
        return page(
            request,
            "versions.html",
            versions=site.workspace.versions(),
            audit=audit,
            formats=list(DOWNLOADS),
        )

    @app.post("/versions/{version_id}/publish")
    async def publish(request: Request, version_id: int) -> Response:
        data = await posted(request)
        publish_version(version_id, data)
        return back(data, "/versions")

    def publish_version(version_id: int, data: dict[str, Any]) -> None:
        try:
            site.workspace.publish(version_id, expected(data))
        except KeyError:
            raise Refused(404, "no such version") from None

    @app.get("/versions/compare", response_class=HTMLResponse)
    def compare_page(request: Request) -> Response:
        return page(request, "compare.html", data=compare_versions(request))

    def compare_versions(request: Request) -> dict[str, Any]:
        try:
            a, b = int(request.query_params["a"]), int(request.query_params["b"])
        except (KeyError, ValueError):
            raise Refused(400, "say which versions to compare: ?a=ID&b=ID") from None
        before, after = version_roster(a), version_roster(b)
        names = {v.id: v.name for v in head_or_refuse().instance.volunteers}
        return {"a": a, "b": b, "diff": views.roster_diff(before, after, names)}

    def version_roster(version_id: int) -> list[tuple[str, str, str]]:
        if site.workspace.version(version_id) is None:
            raise Refused(404, f"no version {version_id}")
        raw = site.workspace.solution_json(version_id)
        return solution_triples(solution_from_data(json.loads(raw))) if raw else []

    @app.get("/versions/{version_id}/download/{kind}")
    @app.get("/api/versions/{version_id}/download/{kind}")
    def download(request: Request, version_id: int, kind: str) -> Response:
        if kind not in DOWNLOADS or site.workspace.version(version_id) is None:
            raise Refused(404, "no such version or format")
        raw = site.workspace.solution_json(version_id)
        if raw is None:
            raise Refused(404, "this version has no roster")
        media, suffix = DOWNLOADS[kind]
        content: bytes | str = raw
        if kind != "solution":
            instance = instance_from_data(json.loads(site.workspace.instance_json(version_id)))
            solution = solution_from_data(json.loads(raw))
            view = RosterView.from_solution(instance, solution)
            # the reasons for empty slots, in the page's language, as `export` gives them
            head = site.head()
            compiled = head.problem if head is not None and head.version.id == version_id else None
            attach_reasons(view, instance, solution, language_of(request), compiled)
            render = {f.name: f.render for f in EXPORT_FORMATS}[kind]
            content = render(view)  # type: ignore[assignment]
            if isinstance(content, dict):
                content = zipped(content)
        name = f"roster-v{version_id}.{suffix}"
        return Response(
            content,
            media_type=media,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @app.get("/scenarios", response_class=HTMLResponse)
    def scenarios_page(request: Request) -> Response:
        jobs = [scenarios.job_state(site, job_id) for job_id in list(site.comparisons)]
        return page(request, "scenarios.html", jobs=jobs)

    @app.post("/scenarios")
    async def upload_scenarios(request: Request) -> Response:
        data = await posted(request)
        job_id = await start_comparison(data)
        return back({"next": f"/scenarios#job-{job_id}"}, "/scenarios")

    async def start_comparison(data: dict[str, Any]) -> str:
        files = [f for f in data.get("files", []) if isinstance(f, UploadFile)]
        uploads = []
        for upload in files:
            content = await upload.read(site.max_upload + 1)
            if len(content) > site.max_upload:
                raise Refused(
                    413, f"{upload.filename}: too large: at most {site.max_upload:,} bytes"
                )
            uploads.append((upload.filename or "scenario.json", content))
        if not uploads:
            raise Refused(400, "choose one or more scenario files")
        return scenarios.start_compare(site, uploads)

    @app.get("/scenarios/jobs/{job_id}", response_class=HTMLResponse)
    def scenario_panel(request: Request, job_id: str) -> Response:
        state = scenarios.job_state(site, job_id)
        if state is None:
            raise Refused(404, "no such comparison")
        return page(request, "scenario_job.html", job=state)

    @app.get("/lang/{lang}")
    def language(request: Request, lang: str) -> Response:
        target = request.query_params.get("next", "/")
        answer = back({"next": target}, "/")
        if lang in LANGUAGES:
            answer.set_cookie(LANG_COOKIE, lang, samesite="strict", max_age=365 * 86400)
        return answer

    @app.get("/fonts/{name}")
    def font(name: str) -> Response:
        if name not in FONTS:
            raise Refused(404, "no such font")
        data = (resources.files("campplanner.io") / "fonts" / name).read_bytes()
        return Response(
            data, media_type="font/woff2", headers={"Cache-Control": "public, max-age=86400"}
        )

    # -------------------------------------------------------------------- API
    @app.get("/api/session")
    def api_session() -> dict[str, Any]:
        head = site.workspace.head()
        return {
            "csrf": site.csrf,
            "rev": site.workspace.revision(),
            "version": head.id if head else None,
            "running": site.running_job(),
        }

    @app.get("/api/overview")
    def api_overview() -> dict[str, Any]:
        return views.overview(head_or_refuse())

    @app.get("/api/camps")
    def api_camps(request: Request) -> dict[str, Any]:
        head = head_or_refuse()
        return views.camps(head, **camp_filters(request, head))

    @app.get("/api/camps/{camp_id:path}")
    def api_camp(request: Request, camp_id: str) -> dict[str, Any]:
        head = head_or_refuse()
        data = views.camp(head, camp_id, language_of(request))
        if data is None:
            raise Refused(404, "no such camp")
        leaving = request.query_params.get("replace")
        if leaving:  # who could take this member's place, ranked
            data["replacements"] = views.replacements(head, camp_id, leaving)
        return data

    @app.post("/api/volunteers/search")
    async def api_search(request: Request) -> dict[str, Any]:
        data = await posted(request)
        return views.search(head_or_refuse(), str(data.get("q", "")))

    @app.get("/api/volunteers/{volunteer_id:path}")
    def api_volunteer(volunteer_id: str) -> dict[str, Any]:
        data = views.volunteer(head_or_refuse(), volunteer_id)
        if data is None:
            raise Refused(404, "no such volunteer")
        return data

    @app.get("/api/edits")
    def api_edits() -> dict[str, Any]:
        return {
            "pending": [e.as_dict() for e in site.workspace.pending_edits()],
            "rev": site.workspace.revision(),
        }

    @app.post("/api/edits")
    async def api_add_edit(request: Request) -> dict[str, Any]:
        edit_id = record_edit(await posted(request))
        return {"id": edit_id, "rev": site.workspace.revision()}

    @app.delete("/api/edits/{edit_id}")
    async def api_drop_edit(request: Request, edit_id: int) -> dict[str, Any]:
        forget_edit(edit_id, await posted(request))
        return {"rev": site.workspace.revision()}

    @app.post("/api/solve")
    async def api_solve(request: Request) -> dict[str, Any]:
        await posted(request)
        return {"job": edits.start_resolve(site)}

    @app.get("/api/jobs/{job_id}")
    def api_job(request: Request, job_id: str) -> dict[str, Any]:
        since = int(request.query_params.get("since", "0") or 0)
        state = edits.job_state(site, job_id, since) or scenarios.job_state(site, job_id)
        if state is None:
            raise Refused(404, "no such job")
        return state

    @app.post("/api/jobs/{job_id}/cancel")
    async def api_cancel(request: Request, job_id: str) -> dict[str, Any]:
        await posted(request)
        cancel_job(job_id)
        return {"cancelled": job_id}

    @app.post("/api/jobs/{job_id}/accept")
    async def api_accept(request: Request, job_id: str) -> dict[str, Any]:
        data = await posted(request)
        version = edits.accept(site, job_id, str(data.get("comment", ""))[:500], expected(data))
        return {"version": version, "rev": site.workspace.revision()}

    @app.post("/api/jobs/{job_id}/discard")
    async def api_discard(request: Request, job_id: str) -> dict[str, Any]:
        await posted(request)
        edits.discard(site, job_id)
        return {"discarded": job_id}

    @app.get("/api/versions")
    def api_versions() -> dict[str, Any]:
        return {
            "versions": [v.as_dict() for v in site.workspace.versions()],
            "published": site.workspace.published(),
            "rev": site.workspace.revision(),
        }

    @app.post("/api/versions/{version_id}/publish")
    async def api_publish(request: Request, version_id: int) -> dict[str, Any]:
        publish_version(version_id, await posted(request))
        return {"published": version_id, "rev": site.workspace.revision()}

    @app.get("/api/versions/compare")
    def api_compare(request: Request) -> dict[str, Any]:
        return compare_versions(request)

    @app.get("/api/solution")
    def api_solution() -> Response:
        head = site.workspace.head()
        raw = site.workspace.solution_json(head.id) if head else None
        if raw is None:
            raise Refused(404, "no roster yet")
        return Response(raw, media_type="application/json")

    @app.get("/api/audit")
    def api_audit() -> dict[str, Any]:
        return {"audit": site.workspace.audit_log()}

    @app.post("/api/scenarios")
    async def api_scenarios(request: Request) -> dict[str, Any]:
        return {"job": await start_comparison(await posted(request))}

    @app.get("/api/{rest:path}")
    def api_unknown(rest: str) -> Response:
        raise Refused(404, "no such API route")

    app.state.site = site
    return app


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()
