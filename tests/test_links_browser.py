"""A volunteer's private link in a real browser (issue 24): Playwright driving Debian's
chromium at a phone's size (390 x 844) against ``campplanner serve``.

tiny ten years on (``test_links.future_data``) is solved and served; the planner
publishes version 1 and writes the links for the SMS panel (``export --links``). A
volunteer with two camps opens their link from the CSV: a Persian page, right to left,
that does not scroll sideways, with the camp leader's phone; they confirm the first
camp and decline the second (a reason from the list, a note). The planner's overview
then lists the declined camp among the camps at risk, and its page shows the decline
with the ranked replacements and the re-plan button. Screenshots go to
``tests/artefacts/`` (not committed).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from builders import REPO
from test_links import future_data
from test_serve_browser import CHROMIUM, _chromium_or_skip
from web_helpers import free_port, solved

PORT = free_port()  # asked of the system: two runs on one machine never collide
BASE = f"http://127.0.0.1:{PORT}"
ARTEFACTS = REPO / "tests" / "artefacts"


def _campplanner(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from campplanner.cli import main; main()", *args],
        env=dict(os.environ, PYTHONPATH=str(REPO / "src")),
        capture_output=True,
        text=True,
        check=False,
    )


def _json(method: str, path: str, body: dict | None = None, csrf: str = "") -> dict:
    request = urllib.request.Request(
        BASE + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "X-CSRF-Token": csrf},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


@pytest.fixture()
def server(tmp_path: Path):
    season = tmp_path / "season.json"
    season.write_text(json.dumps(future_data(), ensure_ascii=False), encoding="utf-8")
    roster = solved(season, tmp_path)
    workspace = tmp_path / "season.workspace.sqlite"
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from campplanner.cli import main; main()",
            "serve",
            str(season),
            str(roster),
            "--workspace",
            str(workspace),
            "--single-user",
            "--port",
            str(PORT),
            "--time-limit",
            "8",
        ],
        env=dict(os.environ, PYTHONPATH=str(REPO / "src")),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{BASE}/api/session", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        raise AssertionError("the server did not start within 60 s")
    yield season, roster, workspace, tmp_path
    process.terminate()
    process.wait(timeout=30)


@pytest.mark.slow
def test_a_volunteer_confirms_one_camp_and_declines_another_on_a_phone(server) -> None:
    _chromium_or_skip()
    season, roster, workspace, folder = server
    state = _json("GET", "/api/session")
    _json("POST", "/api/versions/1/publish", {"rev": state["rev"]}, state["csrf"])
    sms = ["--links", str(folder / "sms"), "--workspace", str(workspace), "--base-url", BASE]
    written = _campplanner("export", str(season), str(roster), *sms)
    assert written.returncode == 0, written.stderr
    rows = list(
        csv.DictReader(io.StringIO((folder / "sms" / "links-phones.csv").read_text("utf-8-sig")))
    )
    camps: dict[str, list[str]] = {}
    for a in json.loads(roster.read_text())["assignments"]:
        camps.setdefault(a["volunteer"], []).append(a["camp"])
    row = next(r for r in rows if len(camps[r["volunteer"]]) >= 2)
    names = {c["id"]: c["name"] for c in future_data()["camps"]}
    ARTEFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        page = phone.new_page()
        page.goto(row["link"])
        assert page.locator("html").get_attribute("dir") == "rtl"
        sections = page.locator("section.link-camp")
        assert sections.count() == len(camps[row["volunteer"]])
        wide = page.evaluate("document.scrollingElement.scrollWidth")
        assert wide <= 390, f"the page scrolls sideways: {wide} px"
        page.screenshot(path=str(ARTEFACTS / "link-390.png"), full_page=True)
        first, second = (sections.nth(k).get_attribute("data-camp") for k in (0, 1))
        sections.nth(0).locator("button.confirm").click()
        page.wait_for_url("**done=confirm*")
        assert "state-confirm" in (
            page.locator(f'section[data-camp="{first}"] .link-state').get_attribute("class") or ""
        )
        declining = page.locator(f'section[data-camp="{second}"]')
        declining.locator("select[name=reason]").select_option("family")
        declining.locator("input[name=text]").fill("عروسی خواهرم است")
        declining.locator("button.decline").click()
        page.wait_for_url("**done=decline*")
        assert page.locator(f'section[data-camp="{second}"] .state-decline').count() == 1
        page.screenshot(path=str(ARTEFACTS / "link-390-answered.png"), full_page=True)
        # the planner's side, on a desk
        desk = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
        desk.goto(BASE + "/")
        at_risk = desk.locator("#at-risk")
        assert names[second] in at_risk.inner_text()
        assert names[first] not in at_risk.inner_text() or first == second
        desk.click(f'#at-risk a[href="/camps/{second}"]')
        desk.wait_for_url(f"**/camps/{second}")
        assert desk.locator("#declines").count() == 1
        assert desk.locator("#replan-form button").is_visible()
        desk.screenshot(path=str(ARTEFACTS / "link-decline-camp-1400.png"), full_page=True)
        # the decline is an edit by the volunteer, waiting for the re-plan
        pending = _json("GET", "/api/edits")["pending"]
        assert [p["ops"][0]["pairs"] for p in pending] == [
            [{"volunteer": row["volunteer"], "camp": second}]
        ]
        # the re-plan that touches only the future: camps starting before the declined
        # one keep their teams exactly as published
        starts = {c["id"]: c["start"] for c in future_data()["camps"]}
        until = starts[second]
        desk.goto(BASE + "/edits")
        desk.fill("#solve-form input[name=freeze_until]", until)
        desk.click("#solve-form button[type=submit]")
        desk.wait_for_selector("#accept-form", timeout=120_000)
        desk.click("#accept-form button[type=submit]")
        desk.wait_for_url("**/versions*")
        browser.close()
    before = {(a["volunteer"], a["camp"]) for a in json.loads(roster.read_text())["assignments"]}
    after = {(a["volunteer"], a["camp"]) for a in _json("GET", "/api/solution")["assignments"]}
    frozen = {c for c, start in starts.items() if start < until}
    assert frozen, "no camp starts before the declined one: the freeze would test nothing"
    assert {p for p in before if p[1] in frozen} == {p for p in after if p[1] in frozen}
    assert (row["volunteer"], second) not in after  # the decline was re-planned
