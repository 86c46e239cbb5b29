"""A version's file made in the background (issue 25: the season's workbook came 56 s
after a plain link with nothing shown): the click answers with a job at once, the
page shows its phases and then the link; the file is the one the plain download
gives."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from builders import TINY_PATH
from campplanner.app.jobs import Job, JobCancelled
from campplanner.app.review import downloads
from campplanner.contract.errors import UsageError
from web_helpers import post, served, session, solved


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return solved(TINY_PATH, tmp_path_factory.mktemp("published"))


@pytest.fixture
def web(tmp_path: Path, published: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(downloads, "AHEAD_FROM_VOLUNTEERS", 0)  # tiny made ahead too
    site, client = served(TINY_PATH, tmp_path, solution=published)
    site.head().warmed.wait()  # and its workbook started ahead of any click
    yield site, client
    site.close()
    site.workspace.close()


def _made(client, job: str) -> dict:
    deadline = time.monotonic() + 120  # a safety net, never the test's measure
    while time.monotonic() < deadline:
        state = client.get(f"/api/files/{job}").json()
        if state["state"] not in ("pending", "running"):
            return state
        time.sleep(0.1)
    raise AssertionError("the file was never made")


@pytest.mark.parametrize("kind", ["xlsx", "csv", "html"])
def test_a_file_is_made_in_the_background_with_its_phases(web, kind: str) -> None:
    site, client = web
    answer = post(client, f"/api/versions/1/download/{kind}")
    assert answer.status_code == 200, answer.text
    state = _made(client, answer.json()["job"])
    assert [e["phase"] for e in state["events"]] == ["reading", "reasons", "writing"]
    assert state["file"]["name"] == f"roster-v1.{'zip' if kind == 'csv' else kind}"
    made = client.get(state["url"])
    assert made.status_code == 200 and len(made.content) == state["file"]["size"]
    assert state["file"]["name"] in made.headers["content-disposition"]
    if kind == "html":  # the plain download's file, byte for byte
        assert made.content == client.get("/api/versions/1/download/html").content
    audit = [e for e in site.audit(site.actor_for(None)) if e["action"] == "download"]
    assert audit and audit[0]["detail"]["kind"] == kind  # fetching it is the download


def test_the_page_shows_the_phases_then_the_link_in_persian(web) -> None:
    _, client = web
    state = session(client)
    form = {"csrf": state["csrf"], "rev": str(state["rev"])}
    answer = client.post("/versions/1/download/xlsx", data=form, follow_redirects=False)
    assert answer.status_code == 303
    address = answer.headers["location"]
    assert re.fullmatch(r"/files/\d+", address)
    _made(client, address.rsplit("/", 1)[1])
    page = client.get(address).text
    assert "پرونده آماده است" in page and f'href="{address}/file"' in page
    assert client.get(f"{address}/file").status_code == 200


def test_a_file_unknown_or_of_no_version_is_refused(web) -> None:
    _, client = web
    assert client.get("/api/files/999").status_code == 404
    assert post(client, "/api/versions/99/download/xlsx").status_code == 404
    assert post(client, "/api/versions/1/download/exe").status_code == 404


def test_the_workbook_made_ahead_is_the_one_made_from_the_stored_version(web) -> None:
    """Made in a process of its own as the version opened, it is the stored version's
    workbook, byte for byte; a second click shares it."""
    site, client = web
    ahead = downloads.ahead_file(site.head(), "xlsx", "fa")
    assert ahead is not None  # started as the version opened, before any click
    job = post(client, "/api/versions/1/download/xlsx").json()["job"]
    assert site.background.files[job].job is ahead  # the click takes it
    first = _made(client, job)
    second = _made(client, post(client, "/api/versions/1/download/xlsx").json()["job"])
    made = client.get(first["url"]).content
    assert client.get(second["url"]).content == made
    stored = downloads.stored(site.workspace, 1, "xlsx")
    assert made == downloads.made_file(stored, "xlsx", "fa", None).content
    assert client.get("/api/versions/1/download/xlsx").content == made  # the plain GET too


def test_a_workbook_made_ahead_gives_way_to_a_re_solve_unless_asked_for() -> None:
    """``stop_ahead`` cancels a file still being made that nobody has asked for (a
    re-solve needs the cores), and leaves one a planner waits for."""
    release = threading.Event()

    def slow(control) -> None:
        release.wait(30)

    opened = SimpleNamespace(cache={})
    waiting = Job(slow, "download").start()
    asked = Job(slow, "download").start()
    opened.cache[("ahead", "xlsx", "fa")] = waiting
    opened.cache[("ahead", "xlsx", "en")] = asked
    downloads.stop_ahead(opened, [asked])
    release.set()
    assert waiting.control.cancelled and ("ahead", "xlsx", "fa") not in opened.cache
    assert not asked.control.cancelled and downloads.ahead_file(opened, "xlsx", "en") is asked


def test_a_file_made_apart_ends_with_its_process_when_cancelled() -> None:
    """The workbook made ahead runs in a process of its own (not the pages' GIL);
    cancelling the job (a re-solve starting) ends that process, and the job says the
    file was not made."""
    source = downloads.Stored(0, b"{}", b"{}")
    job = Job(lambda control: downloads._made_apart(source, "xlsx", "fa", None, control)).start()
    job.cancel()
    assert job.wait(60)  # a safety net, never the measure
    assert isinstance(job.error, JobCancelled)


def test_a_file_made_apart_says_why_it_could_not_be_made() -> None:
    """A stored version that cannot be read is refused in the child, and said in the
    parent as a file made there would say it."""
    source = downloads.Stored(0, b"{}", b"{}")
    job = Job(lambda control: downloads._made_apart(source, "xlsx", "fa", None, control)).start()
    assert job.wait(120)
    assert isinstance(job.error, UsageError) and "instance" in str(job.error)


def test_a_small_season_makes_its_workbook_on_the_click(tmp_path: Path, published: Path) -> None:
    """Below AHEAD_FROM_VOLUNTEERS nothing is made ahead (no process started for a
    file made in a second on the click)."""
    site, client = served(TINY_PATH, tmp_path, solution=published)
    try:
        site.head().warmed.wait()
        assert downloads.ahead_file(site.head(), "xlsx", "fa") is None
        state = _made(client, post(client, "/api/versions/1/download/xlsx").json()["job"])
        assert state["state"] == "done"
    finally:
        site.close()
        site.workspace.close()
