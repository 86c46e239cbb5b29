"""Accepting a re-solve from the page as a job (issue 25: on the season an accept took
1-2 s, 8 s on a loaded machine, with nothing shown): the click answers at once with a
page of the accept's phases (waiting for the new version's files, storing it, opening
it), in the page's language, then goes on to the versions page; a second click joins
the accept under way (one version, one audit entry); refusals are said as before, at
once, or once the accept ends if it is refused in the work; the JSON API answers when
the version is stored, as before."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from html import unescape
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from builders import REPO, TINY_PATH
from campplanner.app.review import resolves
from web_helpers import free_port, post, served, session, solved, wait_for_job


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return solved(TINY_PATH, tmp_path_factory.mktemp("published"))


@pytest.fixture
def web(tmp_path: Path, published: Path):
    site, client = served(TINY_PATH, tmp_path, solution=published)
    yield site, client
    site.close()
    site.workspace.close()


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Accepts wait in their first phase (the new version's files) until the event is
    set: on tiny they take milliseconds, on the season seconds."""
    release = threading.Event()
    files = resolves.Replanned.files

    def slow(self: resolves.Replanned) -> resolves.Accepted:
        assert release.wait(60), "never released"
        return files(self)

    monkeypatch.setattr(resolves.Replanned, "files", slow)
    return release


def _solved_job(client: TestClient) -> str:
    job = post(client, "/api/solve").json()["job"]
    assert wait_for_job(client, job)["state"] == "done"
    return job


def _click(client: TestClient, job: str, rev: int | None = None, comment: str = "") -> object:
    """The re-solve panel's accept button, as a browser submits it (no redirect followed)."""
    state = session(client)
    form = {"csrf": state["csrf"], "rev": str(state["rev"] if rev is None else rev)}
    form["comment"] = comment
    return client.post(f"/jobs/{job}/accept", data=form, follow_redirects=False)


def _ended(client: TestClient, address: str) -> object:
    """The accept's page once the accept has ended: a redirect, or its refusal."""
    deadline = time.monotonic() + 60  # a safety net, never the test's measure
    while time.monotonic() < deadline:
        answer = client.get(address, follow_redirects=False)
        if answer.status_code != 200:
            return answer
        time.sleep(0.05)
    raise AssertionError(f"{address} still accepting")


def _main(html: str) -> str:
    """The text of a page's main part, tags out."""
    return unescape(re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1].split("</main>", 1)[0]))


def _audited_accepts(site) -> list[dict]:
    """The audit's accepts of re-solves (version 1: the files the server opened)."""
    entries = site.audit(site.actor_for(None))
    return [e for e in entries if e["action"] == "accept" and e["detail"]["version"] != 1]


def test_the_page_shows_the_accepts_phases_then_the_versions(web, held) -> None:
    site, client = web
    job = _solved_job(client)
    answer = _click(client, job, comment="از صفحه")
    assert answer.status_code == 303  # at once: the accept waits in its first phase
    address = answer.headers["location"]
    assert re.fullmatch(r"/accepts/\d+", address), address
    page = client.get(address)
    assert page.status_code == 200
    text = _main(page.text)
    assert "پذیرفتن نسخهٔ تازه" in text and "آماده شدن پرونده‌های نسخهٔ تازه" in text
    assert "ذخیرهٔ نسخه" in text and "باز کردن نسخهٔ تازه" in text  # the phases to come
    assert 'data-phase="accept:files" aria-current="step"' in page.text
    assert f'hx-get="{address}"' in page.text  # it polls itself
    assert not re.search(r"[A-Za-z]{3,}", text), text  # a Persian page says no English
    part = client.get(address, headers={"HX-Request": "true"})
    assert part.status_code == 200
    assert "<html" not in part.text and 'id="accept-' in part.text
    assert [v["id"] for v in client.get("/api/versions").json()["versions"]] == [1]
    held.set()
    done = _ended(client, address)
    assert done.status_code == 303 and done.headers["location"] == "/versions"
    # the part polled in place sends the whole page on to the versions
    part = client.get(address, headers={"HX-Request": "true"})
    assert part.headers["hx-redirect"] == "/versions"
    versions = client.get("/api/versions").json()["versions"]
    assert [v["id"] for v in versions] == [2, 1] and versions[0]["comment"] == "از صفحه"
    accepts = _audited_accepts(site)
    assert len(accepts) == 1 and accepts[0]["detail"]["version"] == 2
    accepting = next(iter(site.background.accepts.values()))
    phases = [e.phase for e in accepting.job.events()]
    assert phases == list(resolves.ACCEPT_PHASES)  # files, storing, opening, in order
    assert site.head().version.id == 2  # opened: the new version is the current one


def test_an_english_page_says_the_phases_in_english(web, held) -> None:
    _, client = web
    client.cookies.set("campplanner_lang", "en")
    job = _solved_job(client)
    address = _click(client, job).headers["location"]
    text = _main(client.get(address).text)
    assert "Accepting the new version" in text and "waiting for the new version's files" in text
    assert "آماده" not in text
    held.set()
    assert _ended(client, address).headers["location"] == "/versions"


def test_a_double_click_accepts_once(web, held) -> None:
    site, client = web
    job = _solved_job(client)
    rev = session(client)["rev"]
    first = _click(client, job, rev)
    second = _click(client, job, rev)  # the same form, sent again while the first runs
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]  # joined, not a second
    held.set()
    address = first.headers["location"]
    assert _ended(client, address).headers["location"] == "/versions"
    third = _click(client, job, rev)  # a click that comes once it is done joins it too
    assert third.headers["location"] == address
    assert _ended(client, address).headers["location"] == "/versions"
    assert [v["id"] for v in client.get("/api/versions").json()["versions"]] == [2, 1]
    assert len(_audited_accepts(site)) == 1
    assert len(site.background.accepts) == 1
    # a script's accept of it afterwards is refused as a second accept always was
    late = post(client, f"/api/jobs/{job}/accept")
    assert late.status_code == 409 and "accepted already, as version 2" in late.json()["error"]


def test_a_scripts_accept_joins_the_pages_accept_under_way(web, held) -> None:
    site, client = web
    job = _solved_job(client)
    address = _click(client, job).headers["location"]
    answers: list[object] = []
    script = threading.Thread(
        target=lambda: answers.append(post(client, f"/api/jobs/{job}/accept"))
    )
    script.start()
    time.sleep(0.2)  # the script's request waits for the page's accept (no timing measured)
    held.set()
    script.join(60)
    (answer,) = answers
    assert answer.status_code == 200 and answer.json()["version"] == 2  # the same accept
    assert _ended(client, address).headers["location"] == "/versions"
    assert len(_audited_accepts(site)) == 1


def test_a_stale_accept_is_refused_at_once_in_the_pages_words(web) -> None:
    site, client = web
    job = _solved_job(client)
    old = session(client)["rev"]
    edit = {"kind": "unavailable", "volunteer": "v01", "first": "1400-04-01", "last": "1400-04-02"}
    assert post(client, "/api/edits", edit).status_code == 200  # the revision moves on
    answer = _click(client, job, old)
    assert answer.status_code == 409  # said at once, as before: no accept started
    text = _main(answer.text)
    assert "صفحه را دوباره باز کنید" in text and not re.search(r"[A-Za-z]{3,}", text)
    assert not site.background.accepts
    assert [v["id"] for v in client.get("/api/versions").json()["versions"]] == [1]
    unknown = _click(client, "999")
    assert unknown.status_code == 400 and not site.background.accepts


def test_a_refusal_found_in_the_work_is_said_on_the_accepts_page(
    web, held, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refused while storing (another tab's change between the click's checks and the
    store, said here by the workspace's own refusal): the accept's page says it, in
    the page's words, with its status; nothing stored; accepted again, it is stored."""
    site, client = web
    job = _solved_job(client)
    store = site.workspace.add_version

    def raced(*args, **kwargs) -> int:
        site.workspace.check_version(-1, None, [])  # what the store finds: a stale page
        raise AssertionError("not refused")

    monkeypatch.setattr(site.workspace, "add_version", raced)
    address = _click(client, job).headers["location"]
    held.set()
    refused = _ended(client, address)
    assert refused.status_code == 409 and "صفحه را دوباره باز کنید" in _main(refused.text)
    part = client.get(address, headers={"HX-Request": "true"})  # polled: the whole page
    assert part.headers["hx-redirect"] == address
    assert [v["id"] for v in client.get("/api/versions").json()["versions"]] == [1]
    monkeypatch.setattr(site.workspace, "add_version", store)
    again = _click(client, job)
    assert again.headers["location"] != address  # a new accept, not the refused one
    assert _ended(client, again.headers["location"]).headers["location"] == "/versions"
    assert len(_audited_accepts(site)) == 1


@pytest.mark.slow
def test_in_a_browser_a_double_clicked_accept_goes_on_to_the_versions(
    tmp_path: Path, published: Path
) -> None:
    """Chromium: the re-solve panel's accept, double-clicked, goes through the accept's
    page to the versions page, with one new version."""
    from playwright.sync_api import sync_playwright

    from test_serve_browser import CHROMIUM, _chromium_or_skip

    _chromium_or_skip()
    port = free_port()
    command = [sys.executable, "-c", "from campplanner.cli import main; main()", "serve"]
    args = [str(TINY_PATH), str(published), "--workspace", str(tmp_path / "ws.sqlite")]
    server = subprocess.Popen(
        [*command, *args, "--port", str(port), "--time-limit", "5", "--single-user"],
        env=dict(os.environ, PYTHONPATH=str(REPO / "src")),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page()
            asked: list[str] = []
            page.on("request", lambda request: asked.append(request.url))
            deadline = time.monotonic() + 120  # a safety net: the server starting
            while True:
                try:
                    page.goto(base + "/edits")
                    break
                except Exception:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise
                    time.sleep(0.3)
            page.click("#solve-form button[type=submit]")
            page.wait_for_selector("#accept-form", timeout=90_000)
            page.dblclick("#accept-form button[type=submit]")
            page.wait_for_url(re.compile(r".*/versions$"), timeout=60_000)
            assert any(re.search(r"/accepts/\d+$", url) for url in asked), asked
            assert page.locator("#versions tbody tr").count() == 2  # one new version
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
