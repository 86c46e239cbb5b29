"""A version as a file to download, and the fonts the pages are set in.

A version downloads as its solution JSON, or as the workbook, the CSV files (zipped)
or the HTML report that ``export`` writes, with the reasons for empty slots in the
asker's language, as ``export`` gives them.
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import multiprocessing
import os
import threading
import zipfile
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from importlib import resources
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from campplanner.app.files import attach_reasons
from campplanner.app.jobs import Job, JobCancelled, JobControl
from campplanner.app.review.background import Background, FileJob
from campplanner.app.review.errors import NotFound
from campplanner.app.review.versions import OpenVersion
from campplanner.contract.errors import UsageError, plain_reason
from campplanner.contract.instance import instance_from_data
from campplanner.contract.schema import Instance, SolutionFile
from campplanner.contract.solution import solution_from_data
from campplanner.io.formats import EXPORT_FORMATS
from campplanner.model.problem import Problem
from campplanner.report.roster import RosterView, collector_paused
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
    media = DOWNLOADS[kind][0]
    content: bytes | str = source.solution_json
    if kind != "solution":
        assert source.instance_json is not None
        report("reading")
        instance = instance_from_data(json.loads(source.instance_json))
        solution = solution_from_data(json.loads(source.solution_json))
        content = rendered(instance, solution, kind, lang, compiled, report)
    return Download(file_name(source.version, kind), media, content)


def file_name(version: int, kind: str) -> str:
    """A version's file's name (the page gives it in the reader's words)."""
    return f"roster-v{version}.{DOWNLOADS[kind][1]}"


def rendered(
    instance: Instance,
    solution: SolutionFile,
    kind: str,
    lang: str,
    compiled: Problem | None,
    report: Callable[[str], None],
    assigned: np.ndarray | None = None,
) -> bytes | str:
    """The ``kind`` file's content (not the solution file) of a roster read already;
    ``assigned``: the roster as ``compiled``'s candidates, sorted, if known."""
    view = RosterView.from_solution(instance, solution)
    render = {f.name: f.render for f in EXPORT_FORMATS}[kind]
    with collector_paused():  # a season's file: millions of objects, no cycles among them
        report("reasons")
        attach_reasons(view, instance, solution, lang, compiled, assigned)
        report("writing")
        made = render(view)
    return zipped(made) if isinstance(made, dict) else made


# --------------------------------------------------------------- made ahead
# The file made for every version as soon as it is open, so that the page's download
# answers at once: the season's workbook, in Persian, the planners' language. It is
# made in a process of its own (on the season: reading 2 CPU seconds, the roster's view,
# reasons and writing 3), on the other core, at a lower priority: in a thread it
# took the pages' share of the GIL (a camp page's 30 ms became 200 ms meanwhile).
# A re-solve's new version starts its file before it is accepted (``start_ahead``):
# the edited instance is read while the search runs, the roster handed over when the
# search ends (``Handover``), and the accepted version adopts the file.
AHEAD = (("xlsx", "fa"),)
AHEAD_NICENESS = 10
# A re-solve's new version's file is asked for seconds after its accept: made at the
# server's own priority (on a loaded machine, at nice 10 it got a third of a core).
AWAITED_NICENESS = 0
# Smaller seasons make their workbook on the click in a second or less: no process
# started for them (the test suite opens hundreds of small versions).
AHEAD_FROM_VOLUNTEERS = 2_000
_ahead_lock = threading.Lock()


def make_ahead(opened: OpenVersion) -> None:
    """Start making ``opened``'s AHEAD files in the background, once (kept in its
    cache; ``ahead_file`` finds them), from the files it was opened from."""
    if opened.solution is None or opened.stored is None:
        return
    if len(opened.instance.volunteers) < AHEAD_FROM_VOLUNTEERS:
        return
    instance_json, solution_json = opened.stored
    source = Stored(0, solution_json, instance_json)  # named when asked for
    problem = opened.problem  # sent along: a tenth of a second, compiling it 4 s
    roster = Handover()
    roster.give(solution_json, opened.assigned)  # its candidates: not worked out again
    for kind, lang in AHEAD:
        with _ahead_lock:
            if ("ahead", kind, lang) in opened.cache:
                continue
            job: Job[Download] = Job(
                lambda control, k=kind, lang=lang: _made_apart(
                    source, k, lang, problem, control, roster
                ),
                "download",
            )
            opened.cache[("ahead", kind, lang)] = job
        job.start()


class Handover:
    """A roster's solution file, handed once known to the files started ahead of it
    (``start_ahead``): they wait for it, or for their cancelling."""

    def __init__(self) -> None:
        self._given = threading.Event()
        self.solution_json: bytes | None = None
        self.assigned: np.ndarray | None = None

    def give(self, solution_json: bytes, assigned: np.ndarray | None = None) -> None:
        """The solution file, and its roster as the compiled season's candidates
        (sorted), if known: the reasons then need not work it out (half a second)."""
        self.solution_json, self.assigned = solution_json, assigned
        self._given.set()

    def wait(self, control: JobControl) -> tuple[bytes, np.ndarray | None]:
        control.on_cancel(self._given.set)  # a cancelled file waits no more
        self._given.wait()
        if self.solution_json is None or control.cancelled:
            raise JobCancelled("the file was not made: ask for it again")
        return self.solution_json, self.assigned


def start_ahead(
    instance_json: bytes, problem: Problem, volunteers: int, roster: Handover
) -> dict[tuple[str, str, str], Job[Download]]:
    """Start the AHEAD files of a version not stored yet (a re-solve's new version),
    by their ``opened.cache`` keys: the instance ``instance_json`` (its compiled season
    ``problem``) is read at once in the child, the roster when ``roster`` is given.
    None started for a season of fewer than AHEAD_FROM_VOLUNTEERS ``volunteers``."""
    if volunteers < AHEAD_FROM_VOLUNTEERS:
        return {}
    source = Stored(0, b"", instance_json)  # named when asked for
    jobs: dict[tuple[str, str, str], Job[Download]] = {}
    for kind, lang in AHEAD:
        jobs[("ahead", kind, lang)] = Job(
            lambda control, k=kind, lang=lang: _made_apart(
                source, k, lang, problem, control, roster, AWAITED_NICENESS
            ),
            "download",
        ).start()
    return jobs


class _Maker:
    """A child process that makes one file (``_make_in_child``), spawned ahead of its
    file: its modules are imported (3-6 s on the season's machine) before it is asked;
    it lowers its priority when told the file is not awaited (``niceness``)."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")  # a clean interpreter: no lock held
        self.connection, child = context.Pipe(duplex=True)
        self.process = context.Process(
            target=_make_in_child, args=(child,), name="campplanner-file", daemon=True
        )
        self.process.start()  # daemon: ends with the server
        child.close()


_spare: _Maker | None = None
_spare_lock = threading.Lock()


def _maker() -> _Maker:
    """A child for one file: the spare one (warm), or a new one if there is none; a
    new spare is started in its place, warm by the next file."""
    global _spare
    with _spare_lock:
        taken = _spare
        if taken is None or not taken.process.is_alive():
            taken = _Maker()
        _spare = _Maker()
    return taken


def _made_apart(
    source: Stored,
    kind: str,
    lang: str,
    problem: Problem | None,
    control: JobControl,
    roster: Handover | None = None,
    niceness: int = AHEAD_NICENESS,
) -> Download:
    """``made_file`` in a process of its own (``_make_in_child``), its phases heard
    here; cancelling the job ends the process. ``problem``: the version's compiled
    season, if open (sent, not compiled again); ``roster``: the solution file, when it
    is not known yet (``source``'s is then unused): the instance is read meanwhile;
    ``niceness``: the child's, below the server's."""
    maker = _maker()
    connection = maker.connection
    control.on_cancel(maker.process.terminate)
    try:
        control.report("reading")
        connection.send(("instance", niceness, source.instance_json, problem))
        solution_json, assigned = (
            (source.solution_json, None) if roster is None else roster.wait(control)
        )
        connection.send(("roster", solution_json, assigned, kind, lang))
        while True:
            what, value = connection.recv()
            if what == "phase":
                control.report(value)
            elif what == "file":
                return Download(file_name(source.version, kind), DOWNLOADS[kind][0], value)
            else:
                raise UsageError(value)
    except (EOFError, OSError):  # ended without a word: terminated, or it died
        raise JobCancelled("the file was not made: ask for it again") from None
    finally:
        connection.close()
        maker.process.terminate()  # idle or done: one file each
        maker.process.join(timeout=5)


def _warm_imports() -> None:
    """What making a file imports (pandas, xlsxwriter, the explainer...), before it is
    asked for."""
    import campplanner.explain
    import campplanner.io.csv_out
    import campplanner.io.html_report
    import campplanner.io.summaries
    import campplanner.io.workbook_out
    import campplanner.model.compile  # noqa: F401

    with contextlib.suppress(ImportError):
        import pandas  # noqa: F401


def _make_in_child(connection: Connection) -> None:
    """The child process's work: its modules imported, then the instance (read as soon
    as it comes), then the roster and what to make of it; the file's phases and then
    its content (or why it could not be made) sent back through ``connection``."""
    # One file, then the process ends: the collector stays off (every collection walked
    # the season's and the compiled problem's millions of objects: 40% of the file).
    gc.disable()
    try:
        _warm_imports()
        _, niceness, instance_json, problem = connection.recv()
        if niceness > 0:
            with contextlib.suppress(OSError):
                os.nice(niceness)  # the server's pages and solves come first
        instance: Instance | None = None
        failed: Exception | None = None
        try:
            instance = instance_from_data(json.loads(instance_json))
        except Exception as error:  # said once the roster comes, as a file would say it
            failed = error
        _, solution_json, assigned, kind, lang = connection.recv()
        try:
            if failed is not None:
                raise failed
            assert instance is not None
            solution = solution_from_data(json.loads(solution_json))
            content = rendered(
                instance,
                solution,
                kind,
                lang,
                problem,
                lambda phase: connection.send(("phase", phase)),
                assigned,
            )
            connection.send(("file", content))
        except Exception as error:  # said in the parent, as a file made there would say it
            connection.send(("error", plain_reason(error)))
    except (EOFError, OSError):  # the parent gone, or the file no longer wanted
        pass
    finally:
        connection.close()


def ahead_file(opened: OpenVersion, kind: str, lang: str) -> Job[Download] | None:
    """The job making (or that made) ``opened``'s ``kind`` file in ``lang`` ahead of
    the click; None if none was started or it did not end well."""
    job = opened.cache.get(("ahead", kind, lang))
    if job is None or job.control.cancelled or (job.wait(0) and job.error is not None):
        return None
    return job


def stop_ahead(opened: OpenVersion, asked: Collection[Job]) -> None:
    """Cancel ``opened``'s files still being made ahead (a re-solve needs the cores)
    that no planner has ``asked`` for yet; a later click makes them."""
    with _ahead_lock:
        for key in [k for k in opened.cache if isinstance(k, tuple) and k[0] == "ahead"]:
            if not opened.cache[key].wait(0) and opened.cache[key] not in asked:
                opened.cache[key].cancel()
                del opened.cache[key]


def file_state(made: FileJob, job_id: str) -> dict[str, Any]:
    """A download job's state: its phases, and once made the file's name, size and
    address (``url``), or why it could not be made."""
    job = made.job
    state: dict[str, Any] = {
        "id": job_id,
        "version": made.version,
        "kind": made.kind,
        "label": made.label,
        **job.progress(),
    }
    if job.wait(0):
        if job.control.events:  # the clock stops with the work
            state["elapsed"] = round(job.control.events[-1].elapsed, 1)
        if job.error is not None:
            state["error"] = plain_reason(job.error)
        else:
            file = named(made, job.result())
            content = file.content
            size = len(content.encode() if isinstance(content, str) else content)
            state["file"] = {"name": file.name, "size": size}
            state["url"] = f"/api/files/{job_id}/file"
    return state


def named(made: FileJob, file: Download) -> Download:
    """The file under the name its job gives it (a file made ahead of its version's
    number being known is named when asked for)."""
    return file if made.name is None else replace(file, name=made.name)


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
