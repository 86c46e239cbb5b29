"""A re-solve's new version has its season workbook made ahead of the accept (issue 25:
the workbook clicked right after an accept clicked at once came 17.7 s later): its
instance read in a child process while the search runs, its roster handed over as
soon as the solve ends. The accepted version adopts that file, which is of its own
roster; a discarded re-solve's is dropped, and a new re-solve stops it.

On the small instance (400 volunteers) with ``AHEAD_FROM_VOLUNTEERS`` at 0, solved
under a work limit.
"""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import pytest

from builders import REPO, away_for_first_camp, solved_on_work
from campplanner.app.jobs import Job, JobCancelled, ProgressEvent
from campplanner.app.review import downloads, resolves
from campplanner.app.review.actor import Actor
from campplanner.app.review.opening import open_review
from campplanner.app.review.session import ReviewSession
from campplanner.contract.instance import load_instance
from campplanner.contract.solution import roster_triples
from campplanner.io.roster_in import solution_from_workbook

SMALL = REPO / "instances" / "small.json"
ANA = Actor("ana", "province")
WORK = 1.0  # deterministic work of each re-solve
KEY = ("ahead", "xlsx", "fa")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return solved_on_work(SMALL, tmp_path_factory.mktemp("published") / "published.json", WORK)


@pytest.fixture
def session(tmp_path: Path, published: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(downloads, "AHEAD_FROM_VOLUNTEERS", 0)  # the small season too
    opened = open_review(
        str(SMALL), str(published), f"sqlite:///{tmp_path / 'ws.sqlite'}", say=lambda _: None
    )
    opened.time_limit = 120.0  # the safety net: the re-solves end on their work
    opened.work_limit = WORK
    yield opened
    opened.close()
    opened.workspace.close()


def _away(session: ReviewSession, people: int, skip: int = 0) -> None:
    away_for_first_camp(session, ANA, people, skip)


def _replanned(session: ReviewSession, skip: int = 0):
    """A finished re-solve of two people away: (its id, its Replanned)."""
    _away(session, 2, skip)
    job_id = session.start_resolve(ANA)
    resolve = session.background.resolves[job_id]
    assert resolve.job.wait(300)  # a safety net, never the measure
    return job_id, resolve.job.result()


def _early(replanned):
    """The workbook job started before anything was accepted: during the search, or
    (the small season never searches) as soon as the solve ended, while the diff is
    shown (``files``: what the accept stores, made then in the background)."""
    assert replanned.ahead is not None
    replanned.files()
    jobs = replanned.ahead.workbooks
    assert KEY in jobs, "no workbook started ahead"
    return jobs[KEY]


def test_the_accepted_version_adopts_the_workbook_made_of_its_roster(
    session: ReviewSession, tmp_path: Path
) -> None:
    job_id, replanned = _replanned(session)
    early = _early(replanned)  # there before the accept was clicked
    version = session.accept(ANA, job_id, "", session.state(ANA)["rev"])["version"]
    head = session.head()
    assert head.version.id == version
    assert downloads.ahead_file(head, "xlsx", "fa") is early  # adopted, not made again
    file_job = session.start_download(ANA, version, "xlsx", "fa")
    made = session.background.files[file_job]
    assert made.job is early
    assert made.job.wait(300)
    file = session.download_file(ANA, file_job)
    assert file.name == f"roster-v{version}.xlsx"
    # its roster sheet is the accepted version's roster, and the workbook is the one
    # the stored version gives, byte for byte
    path = tmp_path / "ahead.xlsx"
    path.write_bytes(file.content)
    instance = load_instance(str(SMALL))
    read = solution_from_workbook(path, head.instance)
    assert sorted(roster_triples(read)) == sorted(head.triples)
    assert sorted(head.triples) != sorted(session.versions.get(1).triples)  # a new roster
    stored = downloads.stored(session.workspace, version, "xlsx")
    assert file.content == downloads.made_file(stored, "xlsx", "fa", None).content
    assert len(instance.volunteers) == len(head.instance.volunteers)


def test_a_discarded_resolves_workbook_is_dropped(session: ReviewSession) -> None:
    job_id, replanned = _replanned(session)
    early = _early(replanned)
    session.discard(ANA, job_id)
    assert early.wait(60)  # a safety net: cancelled, its process ended
    assert early.control.cancelled and isinstance(early.error, JobCancelled)
    # nothing of it is served for the current version
    assert downloads.ahead_file(session.head(), "xlsx", "fa") is not early


def test_a_new_resolve_stops_the_workbook_of_one_not_accepted(session: ReviewSession) -> None:
    """A re-solve started while an earlier one's new version still makes its workbook
    (nobody asked for it) stops it: the cores go to the search."""
    _, replanned = _replanned(session)
    _early(replanned)
    release = threading.Event()
    slow = Job(lambda control: release.wait(30), "download").start()  # still being made
    replanned.ahead.workbooks[KEY] = slow
    replanned.files().opened.cache[KEY] = slow
    later = session.start_resolve(ANA)  # the same edits, again
    release.set()
    assert slow.control.cancelled and replanned._stopped
    assert KEY not in replanned.files().opened.cache
    session.background.resolves[later].job.wait(300)


def test_the_workbook_waits_for_its_roster_and_is_cancelled_while_waiting() -> None:
    """A file started ahead of its roster waits for it; cancelled meanwhile, its child
    process ends and the job says the file was not made."""
    roster = downloads.Handover()
    jobs = downloads.start_ahead(b"{}", None, downloads.AHEAD_FROM_VOLUNTEERS, roster)
    job = jobs[KEY]
    assert not job.wait(0.5)  # waiting for the roster, never the measure
    job.cancel()
    assert job.wait(60)
    assert isinstance(job.error, JobCancelled)


def test_the_search_starts_the_workbook_and_the_roster_finishes_it(
    session: ReviewSession,
) -> None:
    """On the season the search starts the new version's workbook (its instance read
    in the child meanwhile); it waits for the roster, handed over with the accept's
    files, and is the workbook of that roster, byte for byte."""
    _, replanned = _replanned(session)
    made = replanned.files()
    assert made.opened is not None
    ahead = resolves.AheadOfAccept(
        replanned.base_json, replanned.ops, replanned.outcome.instance, made.opened.problem
    )
    ahead.start_at_search(ProgressEvent(0.0, "solving", stage=resolves.SEARCH_STAGE))
    job = ahead.finished().workbooks[KEY]  # started with the search
    assert not job.wait(0.2)  # it cannot end before its roster is known
    again = dataclasses.replace(replanned, ahead=ahead, edited_json=None, _files=None)
    files = again.files()
    assert files.opened is not None and files.opened.cache[KEY] is job
    assert job.wait(300)  # a safety net
    source = downloads.Stored(0, files.solution_json, files.instance_json)
    assert job.result().content == downloads.made_file(source, "xlsx", "fa", None).content
