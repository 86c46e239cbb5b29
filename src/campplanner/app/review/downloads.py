"""A version as a file to download, and the fonts the pages are set in.

A version downloads as its solution JSON, or as the workbook, the CSV files (zipped)
or the HTML report that ``export`` writes, with the reasons for empty slots in the
asker's language, as ``export`` gives them.
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from campplanner.app.files import attach_reasons
from campplanner.app.jobs import Job
from campplanner.app.review.background import Background, FileJob
from campplanner.app.review.errors import NotFound
from campplanner.contract.errors import plain_reason
from campplanner.contract.instance import instance_from_data
from campplanner.contract.solution import solution_from_data
from campplanner.io.formats import EXPORT_FORMATS
from campplanner.model.problem import Problem
from campplanner.report.roster import RosterView
from campplanner.workspace import Workspace

# kind -> (media type, file suffix)
DOWNLOADS = {
    "solution": ("application/json", "json"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("application/zip", "zip"),
    "html": ("text/html; charset=utf-8", "html"),
}
FONTS = {f"vazirmatn-{s}-{w}-normal.woff2" for s in ("arabic", "latin") for w in (400, 700)}


@dataclass(frozen=True)
class Download:
    """A file to hand over: its name, media type and content."""

    name: str
    media_type: str
    content: bytes | str
    # what it holds in the reader's words, for a name in their language: a county's name
    label: str = ""


def version_file(
    workspace: Workspace, version_id: int, kind: str, lang: str, compiled: Problem | None
) -> Download:
    """Version ``version_id`` as a ``kind`` file (``DOWNLOADS``), its reasons in ``lang``;
    ``compiled``: the version's problem if it is open already (saves compiling it)."""
    return made_file(stored(workspace, version_id, kind), kind, lang, compiled)


@dataclass(frozen=True)
class Stored:
    """What a version's file is made from, as the workspace keeps it."""

    version: int
    solution_json: bytes
    instance_json: bytes | None  # None: not needed (the solution file itself)


def stored(workspace: Workspace, version_id: int, kind: str) -> Stored:
    """Read what version ``version_id``'s ``kind`` file is made from (NotFound: no such
    version, format or roster): in the request, so that making it needs no workspace."""
    if kind not in DOWNLOADS or workspace.version(version_id) is None:
        raise NotFound("no such version or format")
    raw = workspace.solution_json(version_id)
    if raw is None:
        raise NotFound("this version has no roster")
    instance_json = None if kind == "solution" else workspace.instance_json(version_id)
    return Stored(version_id, raw, instance_json)


def made_file(
    source: Stored,
    kind: str,
    lang: str,
    compiled: Problem | None,
    report: Callable[[str], None] = lambda phase: None,
) -> Download:
    """The ``kind`` file of a stored version; ``report`` hears each phase begin
    (``reading``, ``reasons``, ``writing``: a download job's progress)."""
    media, suffix = DOWNLOADS[kind]
    content: bytes | str = source.solution_json
    if kind != "solution":
        assert source.instance_json is not None
        report("reading")
        instance = instance_from_data(json.loads(source.instance_json))
        solution = solution_from_data(json.loads(source.solution_json))
        view = RosterView.from_solution(instance, solution)
        report("reasons")
        attach_reasons(view, instance, solution, lang, compiled)
        report("writing")
        render = {f.name: f.render for f in EXPORT_FORMATS}[kind]
        rendered = render(view)
        content = zipped(rendered) if isinstance(rendered, dict) else rendered
    return Download(f"roster-v{source.version}.{suffix}", media, content)


def file_state(made: FileJob, job_id: str) -> dict[str, Any]:
    """A download job's state: its phases, and once made the file's name, size and
    address (``url``), or why it could not be made."""
    job = made.job
    state: dict[str, Any] = {
        "id": job_id,
        "state": job.state,
        "version": made.version,
        "kind": made.kind,
        "label": made.label,
        "events": [{"elapsed": round(e.elapsed, 2), "phase": e.phase} for e in job.events()],
        "elapsed": round(time.monotonic() - job.control.started, 1),
    }
    if job.wait(0):
        if job.control.events:  # the clock stops with the work
            state["elapsed"] = round(job.control.events[-1].elapsed, 1)
        if job.error is not None:
            state["error"] = plain_reason(job.error)
        else:
            file = job.result()
            content = file.content
            size = len(content.encode() if isinstance(content, str) else content)
            state["file"] = {"name": file.name, "size": size}
            state["url"] = f"/api/files/{job_id}/file"
    return state


def start_file(
    background: Background,
    make: Callable[[Callable[[str], None]], Download],
    version: int,
    kind: str,
    by: str,
    audit: dict[str, Any] | None = None,
    label: str = "",
) -> str:
    """Make a file in the background (``make`` hears a ``report`` of each phase begin):
    the job's id at once, its page shows the phases, then the link. ``audit``: what the
    audit entry of fetching it adds (the file is audited when fetched, not when made)."""
    job = Job(lambda control: make(control.report), "download").start()
    job_id = background.next_id()
    background.add_file(job_id, FileJob(job, version, kind, by, audit or {}, label))
    return job_id


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def font(name: str) -> bytes:
    """One of the package's fonts (Vazirmatn), by its file name; no other file."""
    if name not in FONTS:
        raise NotFound("no such font")
    return (resources.files("campplanner.io") / "fonts" / name).read_bytes()


def camp_packet(
    view: RosterView, camp_id: str, answers: dict[tuple[str, str], str] | None = None
) -> Download:
    """A camp leader's page of camp ``camp_id`` (team, phones, reserves, empty slots),
    as ``export --camp-packets`` writes it, with each member's answer to their link
    (``answers``, issue 24) when there are any; its name ends in ``-phones`` when it
    holds phone numbers."""
    from campplanner.io.packets import packet_html

    camp = next((c for c in view.camps if c.id == camp_id), None)
    if camp is None:
        raise NotFound("no such camp")
    phones = any(m.phone for m in camp.members) or any(r.phone for r in camp.reserves)
    stem = "packet-" + "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in camp_id)
    return Download(
        stem + ("-phones" if phones else "") + ".html",
        "text/html; charset=utf-8",
        packet_html(view, camp.id, [camp], answers),
    )


def county_packets(view: RosterView, county: str) -> Download:
    """The camp leaders' pages of every camp of ``county`` (a county's name, as the camps
    table filters it) in one file, as ``export --packets`` writes it (HTML: printed from
    the browser); ``packets-...-phones.html`` when it holds phone numbers."""
    from campplanner.io.packets import packet_html
    from campplanner.report.roster import NO_COUNTY

    camps = [c for c in view.camps if (c.county or NO_COUNTY) == county]
    if not camps:
        raise NotFound("no such county")
    phones = any(m.phone for c in camps for m in c.members) or any(
        r.phone for c in camps for r in c.reserves
    )
    ident = camps[0].county_id or "none"
    stem = "packets-" + "".join(
        ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "_" for ch in ident
    )
    return Download(
        stem + ("-phones" if phones else "") + ".html",
        "text/html; charset=utf-8",
        packet_html(view, county, camps),
        label=county,
    )
