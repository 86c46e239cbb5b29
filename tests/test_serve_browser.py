"""``campplanner serve`` in a real browser: Playwright driving Debian's chromium.

A planner's whole loop on ``instances/medium.json`` against a real uvicorn server:
open the overview, filter the camps, open a camp, lock a volunteer, re-solve, accept
the diff, download the workbook and check it with ``campplanner check``; then kill the
server in the middle of a solve and find every accepted version still there.
Screenshots at 1,400 and 400 px wide are kept in ``tests/artefacts/`` (not committed).
Without chromium (a system package) the test is skipped with a loud reason (in CI it
fails); the playwright package is in the test extra, so it is imported plainly.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import warnings
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import sync_playwright

from builders import REPO
from web_helpers import free_port, solved

MEDIUM = REPO / "instances" / "medium.json"
ARTEFACTS = REPO / "tests" / "artefacts"
CHROMIUM = "/usr/bin/chromium"
PORT = free_port()  # asked of the system: two runs on one machine never collide


def _chromium_or_skip() -> None:
    if Path(CHROMIUM).exists():
        return
    message = "SERVE WAS NOT TESTED IN A BROWSER: missing chromium (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)
    warnings.warn(message, stacklevel=2)
    pytest.skip(message)


def _start(workspace: Path, solution: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from campplanner.cli import main; main()",
            "serve",
            str(MEDIUM),
            str(solution),
            "--workspace",
            str(workspace),
            "--port",
            str(PORT),
            "--time-limit",
            "8",
            "--single-user",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(server.stdout.read().decode())  # type: ignore[union-attr]
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/session", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise AssertionError("the server did not start within 120 s")


def _versions() -> list[int]:
    import json

    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/versions") as answer:
        return [v["id"] for v in json.load(answer)["versions"]]


@pytest.mark.slow
def test_a_planner_reviews_edits_resolves_and_downloads(tmp_path: Path) -> None:
    _chromium_or_skip()
    ARTEFACTS.mkdir(exist_ok=True)
    published = solved(MEDIUM, tmp_path, time_limit=10.0)
    workspace = tmp_path / "medium.workspace.sqlite"
    server = _start(workspace, published)
    base = f"http://127.0.0.1:{PORT}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
            external = []
            page.on("request", lambda r: None if r.url.startswith(base) else external.append(r.url))

            # the overview, right to left
            page.goto(base + "/")
            assert page.locator("html").get_attribute("dir") == "rtl"
            brand = page.locator("header a.brand").bounding_box()
            lang = page.locator("header a.lang").bounding_box()
            assert brand["x"] > lang["x"]  # the menu starts on the right
            heads = page.locator("section table.data").first.locator("th")
            assert heads.first.bounding_box()["x"] > heads.last.bounding_box()["x"]
            assert page.locator("svg.map circle").count() == 150
            page.screenshot(path=ARTEFACTS / "overview-1400.png", full_page=True)

            # filter the camps live: the short ones, then a search as it is typed; the
            # table changes, the page is not reloaded (a mark left on it stays)
            page.goto(base + "/camps")
            every = page.locator("#camps tbody tr").count()
            page.evaluate("window.campplannerMark = 'same page'")
            page.select_option("select[name=status]", "short")
            page.wait_for_url("**/camps?*status=short*")
            page.wait_for_function(f"document.querySelectorAll('#camps tbody tr').length < {every}")
            short = page.locator("#camps tbody tr")
            assert 0 < short.count() < every
            assert short.locator(".badge.short").count() == short.count()
            shorts = short.count()
            camp_name = short.first.locator("a").first.inner_text()
            typed = camp_name.replace("ی", "ي")[:6]  # an Arabic yeh, as a keyboard may type
            page.locator("input[name=q]").press_sequentially(typed, delay=40)
            page.wait_for_url(f"**q={quote(typed)}*")  # the search itself, not the select
            rows = "document.querySelectorAll('#camps tbody tr').length"
            page.wait_for_function(f"{rows} < {shorts}")
            assert page.locator("#camps tbody tr", has_text=camp_name).count() >= 1
            assert short.locator(".badge.short").count() == short.count()  # both filters
            assert page.evaluate("window.campplannerMark") == "same page"
            page.screenshot(path=ARTEFACTS / "camps-1400.png")

            # volunteers searched as the name is typed (Arabic yeh for the Persian one)
            page.goto(base + "/volunteers")
            page.evaluate("window.campplannerMark = 'same page'")
            page.locator("input[name=q]").press_sequentially("نرگس رضاي", delay=40)
            page.locator("#results a[href='/volunteers/v00004']").wait_for(timeout=10_000)
            assert page.evaluate("window.campplannerMark") == "same page"
            assert "%D8" not in page.url and page.url.endswith("/volunteers")  # no name in it
            page.screenshot(path=ARTEFACTS / "volunteers-1400.png")

            page.goto(base + "/camps?status=short&q=" + quote(typed))
            short = page.locator("#camps tbody tr")

            # open a camp and lock a candidate into an empty slot
            short.first.locator("a").first.click()
            page.wait_for_url("**/camps/*")
            camp_url = page.url
            page.screenshot(path=ARTEFACTS / "camp-1400.png", full_page=True)
            slots = page.locator("section.slot")
            if slots.count():  # an empty slot: its reason (in Persian), fix and candidates
                reason = slots.first.locator("p").first.inner_text()
                assert re.search("[\u0600-\u06ff]{3}", reason.split(":", 1)[-1]), reason
                slots.first.screenshot(path=ARTEFACTS / "camp-slot-1400.png")
            lock = page.locator("table.candidates button.lock")
            if lock.count() == 0:
                lock = page.locator("#team button.lock")
            lock.first.click()
            page.wait_for_url(camp_url)
            page.goto(base + "/edits")
            assert page.locator("#pending tbody tr").count() == 1

            # re-solve in the background, watch it, accept the diff
            page.click("#solve-form button")
            job = page.locator("section.job").first
            job.locator("#accept-form, .message").first.wait_for(timeout=90_000)
            assert job.get_attribute("data-state") == "done"
            page.screenshot(path=ARTEFACTS / "resolve-1400.png", full_page=True)
            page.fill("#accept-form input[name=comment]", "قفل از مرورگر")
            page.click("#accept-form button")
            page.wait_for_url("**/versions")
            assert page.locator("#versions tbody tr").count() == 2
            page.screenshot(path=ARTEFACTS / "versions-1400.png", full_page=True)

            # download the new version's workbook and check it: the button answers with
            # the file's page, which shows the phases, then the link
            page.locator("#versions tbody tr").first.locator(
                "form[action$='/download/xlsx'] button.download"  # named in the page's words
            ).click()
            page.wait_for_url("**/files/*")
            link = page.locator("section.job a.download")
            link.wait_for(timeout=90_000)
            with page.expect_download() as download:
                link.click()
            workbook = tmp_path / "roster.xlsx"
            download.value.save_as(workbook)
            checked = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "from campplanner.cli import main; main()",
                    "check",
                    str(MEDIUM),
                    str(workbook),
                ],
                env=dict(os.environ, PYTHONPATH=str(REPO / "src")),
                capture_output=True,
                text=True,
            )
            assert checked.returncode == 0, checked.stdout + checked.stderr

            # narrow: a phone
            narrow = browser.new_page(viewport={"width": 400, "height": 900})
            for name, url in (("overview", "/"), ("camp", camp_url)):
                narrow.goto(url if url.startswith("http") else base + url)
                width = narrow.evaluate("document.documentElement.scrollWidth")
                assert width <= 400 + 1, f"{name} is {width} px wide on a 400 px screen"
                narrow.screenshot(path=ARTEFACTS / f"{name}-400.png", full_page=True)
            narrow.goto(base + "/lang/en?next=/")
            assert narrow.locator("html").get_attribute("dir") == "ltr"
            narrow.goto(base + "/lang/fa?next=/")
            browser.close()
            assert external == []  # offline: nothing fetched from outside

        # the server dies in the middle of a solve: no accepted version is lost
        with urllib.request.urlopen(f"{base}/api/session") as answer:
            import json

            session = json.load(answer)
        request = urllib.request.Request(
            f"{base}/api/solve",
            data=b"{}",
            method="POST",
            headers={"X-CSRF-Token": session["csrf"], "Content-Type": "application/json"},
        )
        urllib.request.urlopen(request)
        server.send_signal(signal.SIGKILL)
        server.wait()
        server = _start(workspace, published)
        assert _versions() == [2, 1]
    finally:
        server.terminate()
        server.wait(timeout=30)
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)
