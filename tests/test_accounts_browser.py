"""Accounts in a real browser (issue 23): Playwright driving Debian's chromium against
``campplanner serve`` on a new workspace.

The first start prints the province coordinator's password once; the province adds a
county coordinator from the command line while the server runs; the coordinator logs in
(Persian page), sees the province's overview, cannot open another county's edit form
or its phones, says a member of their county's camp is not coming, re-solves and
accepts; the province coordinator logs in and finds that acceptance in the audit under
the coordinator's name.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from builders import REPO, TINY_PATH, emptied
from test_serve_browser import CHROMIUM, _chromium_or_skip
from web_helpers import first_start, free_port, log_in, solved

PG_URL = os.environ.get("CAMPPLANNER_TEST_PG_URL")
PORT = free_port()  # asked of the system: two runs on one machine never collide
BASE = f"http://127.0.0.1:{PORT}"
COUNTY_PASSWORD = "khomein office 2026"


def _campplanner(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from campplanner.cli import main; main()", *args],
        env=dict(os.environ, PYTHONPATH=str(REPO / "src")),
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


def _start(where: list[str], solution: Path) -> tuple[subprocess.Popen[str], str]:
    """The server on the workspace ``where`` names, and the province password it printed
    once."""
    return first_start([str(TINY_PATH), str(solution), *where, "--time-limit", "8"], PORT)


def _log_in(page, name: str, password: str) -> None:
    log_in(page, BASE, name, password)


@pytest.fixture(params=["sqlite", "postgresql"])
def where(request: pytest.FixtureRequest, tmp_path: Path) -> list[str]:
    """A new workspace: a SQLite file, or an emptied PostgreSQL database."""
    if request.param == "sqlite":
        return ["--workspace", str(tmp_path / "tiny.workspace.sqlite")]
    if not PG_URL:
        pytest.skip("PostgreSQL: set CAMPPLANNER_TEST_PG_URL to run the browser test on it")
    return ["--db", emptied(PG_URL)]


@pytest.mark.slow
def test_a_county_coordinator_edits_their_county_and_the_province_sees_it(
    tmp_path: Path, where: list[str]
) -> None:
    _chromium_or_skip()
    published = solved(TINY_PATH, tmp_path)
    server, province_password = _start(where, published)
    try:
        added = _campplanner(
            "users",
            "add",
            "reza",
            "--role",
            "county",
            "--county",
            "khomein",
            *where,
            stdin=COUNTY_PASSWORD + "\n",
        )
        assert added.returncode == 0, added.stderr
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page()

            # the county coordinator: the login page in Persian, then the overview
            page.goto(BASE + "/")
            page.wait_for_url("**/login?next=*")
            assert page.locator("html").get_attribute("dir") == "rtl"
            assert page.locator("h1").inner_text() == "ورود"
            _log_in(page, "reza", COUNTY_PASSWORD)
            assert page.locator("header .who").inner_text().startswith("reza")
            assert page.locator("section table.data").count() >= 1  # the province's totals
            assert page.locator("header a[href='/audit']").count() == 0

            # another county's camp: readable, but no edit form, no phones, no swaps
            page.goto(BASE + "/camps/c2")
            assert page.locator("#lock-form").count() == 0
            assert page.locator("#packet").count() == 0
            assert page.goto(BASE + "/camps/c2?replace=v01").status == 403
            assert page.goto(BASE + "/packets/c2").status == 403

            # their own camp: v07 is not coming; re-solve; accept
            page.goto(BASE + "/camps/c1")
            assert page.locator("#lock-form").count() == 1
            member = page.locator("#team tr").filter(has=page.locator("a[href='/volunteers/v07']"))
            member.locator("button.remove").click()
            page.wait_for_url(BASE + "/camps/c1")
            page.goto(BASE + "/edits")
            assert page.locator("#pending tbody tr").count() == 1
            page.click("#solve-form button")
            job = page.locator("section.job").first
            job.locator("#accept-form, .message").first.wait_for(timeout=90_000)
            assert job.get_attribute("data-state") == "done"
            page.fill("#accept-form input[name=comment]", "v07 نمی‌آید")
            page.click("#accept-form button")
            page.wait_for_url("**/versions")
            assert page.locator("#versions tbody tr").count() == 2
            assert page.locator("#audit").count() == 0  # the audit is the province's
            page.click("header form button")  # log out
            page.wait_for_url("**/login")

            # the province coordinator finds the acceptance under reza's name
            _log_in(page, "province", province_password)
            page.click("header a[href='/audit']")
            page.wait_for_url("**/audit")
            rows = page.locator("#audit tbody tr", has_text="پذیرش نسخه")  # accept, in Persian
            assert rows.filter(has_text="reza").count() == 1
            page.fill("input[name=account]", "reza")
            page.click("form.filters button")
            page.wait_for_url("**/audit?account=reza*")
            shown = page.locator("#audit tbody tr")
            assert shown.count() >= 3  # login, edit, accept (and the re-solve's download)
            assert shown.filter(has_text="province").count() == 0
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
