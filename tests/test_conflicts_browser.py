"""Two planners in two browsers (issue 25): Playwright driving Debian's chromium
against ``campplanner serve`` on a workspace with accounts.

The province removes v03 from camp c1 in one browser; the khomein county coordinator,
in another, reloads the camp, sees the province's pending edit on the camp page (who
typed it, by name, in Persian), and locks v03 into c1 all the same: refused in Persian,
naming the province's edit and its author, with a button that drops it; dropped, the
lock is recorded, and the province's tab sees it on the same camp page.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from builders import TINY_PATH
from test_accounts_browser import _campplanner
from test_serve_browser import CHROMIUM, _chromium_or_skip
from web_helpers import first_start, free_port, log_in, solved

PORT = free_port()  # asked of the system: two runs on one machine never collide
BASE = f"http://127.0.0.1:{PORT}"
COUNTY_PASSWORD = "khomein office 2026"


def _start(workspace: Path, solution: Path) -> tuple[subprocess.Popen[str], str]:
    """The server, and the province password its first start printed."""
    args = [str(TINY_PATH), str(solution), "--workspace", str(workspace), "--time-limit", "8"]
    return first_start(args, PORT)


def _log_in(page, name: str, password: str) -> None:
    log_in(page, BASE, name, password)


@pytest.mark.slow
def test_two_planners_contradicting_edits_are_refused_naming_the_first(tmp_path: Path) -> None:
    _chromium_or_skip()
    workspace = tmp_path / "office.sqlite"
    server, province_password = _start(workspace, solved(TINY_PATH, tmp_path))
    try:
        adding = ("users", "add", "reza", "--role", "county", "--county", "khomein")
        added = _campplanner(*adding, "--workspace", str(workspace), stdin=COUNTY_PASSWORD + "\n")
        assert added.returncode == 0, added.stderr
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            province = browser.new_context().new_page()
            county = browser.new_context().new_page()
            _log_in(province, "province", province_password)
            _log_in(county, "reza", COUNTY_PASSWORD)
            county.goto(BASE + "/camps/c1")
            assert county.locator("#pending-here").count() == 0

            # the province: v03 is not coming to c1
            province.goto(BASE + "/camps/c1")
            row = province.locator("#team tr").filter(
                has=province.locator("a[href='/volunteers/v03']")
            )
            row.locator("button.remove").click()
            province.wait_for_url(BASE + "/camps/c1")
            assert "province" in province.locator("#pending-here").inner_text()

            # the county, after a reload: the province's edit is on the camp page
            county.reload()
            badge = county.locator("#pending-here").inner_text()
            assert "province" in badge and "زهرا کریمی" in badge and "حذف" in badge
            assert "۱" in badge
            # and locks v03 all the same: refused, naming the province's edit
            row = county.locator("#team tr").filter(has=county.locator("a[href='/volunteers/v03']"))
            row.locator("button.lock").click()
            message = county.locator("section.message")
            message.wait_for()
            said = message.inner_text()
            assert "تغییرهای ناسازگار" in said and "province" in said and "ناسازگار است" in said
            assert not re.search(r"[A-Za-z]{3,} [A-Za-z]{3,}", said), said
            assert county.locator("html").get_attribute("dir") == "rtl"
            # resolved: the county drops the province's edit (audited), then locks
            county.locator("ul.conflicts button").first.click()
            county.wait_for_url(BASE + "/edits")
            assert county.locator("#pending tbody tr").count() == 0
            county.goto(BASE + "/camps/c1")
            row = county.locator("#team tr").filter(has=county.locator("a[href='/volunteers/v03']"))
            row.locator("button.lock").click()
            county.wait_for_url(BASE + "/camps/c1")
            assert "reza" in county.locator("#pending-here").inner_text()

            # the province's tab sees the county's lock where it acts
            province.reload()
            assert "reza" in province.locator("#pending-here").inner_text()
            province.goto(BASE + "/audit")
            dropped = province.locator("#audit tbody tr", has_text="حذف تغییر")
            assert dropped.filter(has_text="reza").count() == 1
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
