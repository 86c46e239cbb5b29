"""Access, phones and paper (issue 25) in a real browser: Playwright driving Debian's
chromium against ``campplanner serve`` on ``instances/medium.json``, with a re-plan
accepted (so that there is a call list and a comparison) and another one left finished
(the re-solve's panel on the edits page).

- axe-core (the copy the ``axe-playwright-python`` package ships) finds no serious or
  critical problem on any page, in Persian and in English, at 1,400 px and at 390 x 844
  (a phone): the overview,
  the camps list, a running and a cancelled camp (with what would run it), a volunteer,
  a search, the edits with a finished re-solve, the versions, a comparison, the call
  list, the scenarios, the audit and the login page;
- every page starts with a skip link ("پرش به محتوا"), the first tab stop, that moves
  the focus to the content; the overview's map comes after its tables in the tab order;
- at 390 px nothing is wider than the screen (a wide table scrolls inside its own box),
  every target a finger can hit is at least 44 x 44 px, the map's dots give way to
  links, and a camp's team stacks so that no column is cut;
- a camp page prints without the menu and buttons (the print stylesheet applied, and
  Chromium's PDF read back with pdftotext).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright

from builders import REPO
from test_serve_browser import CHROMIUM, MEDIUM, _chromium_or_skip
from web_helpers import free_port, solved

PORT = free_port()  # asked of the system: two runs on one machine never collide
BASE = f"http://127.0.0.1:{PORT}"
SIZES = {"desktop": (1400, 1000), "phone": (390, 844)}


def _axe_script() -> str:
    """axe-core as the axe-playwright-python package ships it (a test dependency)."""
    try:
        import axe_playwright_python
    except ImportError:  # pragma: no cover - the test extra installs it
        message = "ACCESS WAS NOT TESTED: pip install axe-playwright-python (the test extra)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text("utf-8")


def _api(path: str, body: dict[str, Any] | None = None) -> Any:
    with urllib.request.urlopen(BASE + "/api/session") as answer:
        state = json.load(answer)
    data = None if body is None else json.dumps({"rev": state["rev"], **body}).encode()
    request = urllib.request.Request(
        BASE + path,
        data=data,
        method="GET" if body is None else "POST",
        headers={"X-CSRF-Token": state["csrf"], "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)


def _replan(camp: str) -> str:
    """Remove the first member of ``camp`` and re-solve: the finished job's id."""
    member = _api(f"/api/camps/{camp}")["team"][0]["volunteer"]
    _api("/api/edits", {"kind": "remove", "volunteer": member, "camp": camp})
    job = _api("/api/solve", {})["job"]
    deadline = time.monotonic() + 120
    while _api(f"/api/jobs/{job}")["state"] not in ("done", "failed"):
        assert time.monotonic() < deadline, "the re-solve did not end"
        time.sleep(0.5)
    return job


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The server, a version 2 re-planned from version 1, a re-solve left finished, and
    the addresses of the pages to try."""
    _chromium_or_skip()
    folder = tmp_path_factory.mktemp("access")
    published = solved(MEDIUM, folder, time_limit=10.0)
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from campplanner.cli import main; main()",
            "serve",
            str(MEDIUM),
            str(published),
            "--workspace",
            str(folder / "ws.sqlite"),
            "--port",
            str(PORT),
            "--time-limit",
            "6",
            "--single-user",
        ],
        env=dict(os.environ, PYTHONPATH=str(REPO / "src")),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                _api("/api/session")
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "no server"
                time.sleep(0.3)
        cancelled = _api("/api/camps?status=cancelled")["rows"][0]["id"]
        short = _api("/api/camps?status=short")["rows"][0]["id"]
        job = _replan(short)
        _api(f"/api/jobs/{job}/accept", {"comment": "v2"})
        _replan(_api("/api/camps?status=full")["rows"][0]["id"])  # left finished
        yield {"cancelled": cancelled, "running": short}
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def _pages(site: dict[str, str]) -> list[str]:
    return [
        "/",
        "/camps",
        "/camps?empty=essential",
        f"/camps/{site['running']}",
        f"/camps/{site['cancelled']}",
        "/volunteers",
        "/volunteers/v00004",
        "/edits",
        "/versions",
        "/versions/compare?a=1&b=2",
        "/versions/2/calls",
        "/scenarios",
        "/audit",
        "/login",
    ]


@pytest.fixture(scope="module")
def browser(site: dict[str, str]) -> Iterator[Any]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


def _serious(page: Page, axe: str) -> list[str]:
    page.evaluate(axe)
    found = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {node['target']} {node.get('failureSummary', '')[:160]}"
        for v in found["violations"]
        if v["impact"] in ("serious", "critical")
        for node in v["nodes"][:3]
    ]


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES)
def test_axe_finds_nothing_serious_on_any_page(site, browser, size: str) -> None:
    axe = _axe_script()
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    findings: dict[str, list[str]] = {}
    for url in _pages(site):
        page.goto(BASE + url)
        findings[url] = _serious(page, axe)
    # a search, its results as typed
    page.goto(BASE + "/volunteers")
    page.locator("input[name=q]").press_sequentially("علی", delay=30)
    page.locator("#results").wait_for(timeout=10_000)
    findings["search"] = _serious(page, axe)
    # the same pages in English (left to right, longer words: wider tables)
    page.goto(BASE + "/lang/en?next=/")
    for url in _pages(site):
        page.goto(BASE + url)
        findings["en " + url] = _serious(page, axe)
    page.close()
    assert {url: found for url, found in findings.items() if found} == {}


@pytest.mark.slow
def test_a_skip_link_first_and_the_map_after_the_tables(site, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    for url in _pages(site):
        page.goto(BASE + url)
        first_in_order = page.evaluate(
            "document.querySelector('a[href], button, input:not([type=hidden]), select, "
            "textarea').outerHTML"
        )
        assert 'class="skip"' in first_in_order and "پرش به محتوا" in first_in_order, url
        if page.evaluate("document.activeElement.closest('main') !== null"):
            continue  # a search field focused on arrival (autofocus): already in the content
        page.keyboard.press("Tab")
        first = page.evaluate("document.activeElement.outerHTML")
        assert 'class="skip"' in first, (url, first)
        assert page.locator("a.skip").bounding_box()["y"] >= 0  # shown when focused
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "content", url
    page.goto(BASE + "/")
    every = page.evaluate(
        "() => [...document.querySelectorAll('a[href], button, input, select')]"
        ".filter(e => e.getClientRects().length).map(e => e.closest('svg') ? 'map' : "
        "(e.closest('table') ? 'table' : 'other'))"
    )
    assert "map" in every and "table" in every
    last_table = len(every) - 1 - every[::-1].index("table")
    assert every.index("map") > last_table  # the map's 150 dots after every table link
    page.close()


SMALL_TARGETS = """() => [...document.querySelectorAll('a, button, select, input, textarea')]
    .filter(e => e.type !== 'hidden' && !e.classList.contains('skip'))
    .map(e => [e, (e.type === 'checkbox' && e.closest('label')) || e])
    .map(([e, t]) => [e, t.getBoundingClientRect()])
    .filter(([e, r]) => r.width && r.height && (r.width < 44 || r.height < 44))
    .map(([e, r]) => e.outerHTML.slice(0, 80) + ' ' + Math.round(r.width) + 'x'
         + Math.round(r.height))"""


@pytest.mark.slow
def test_on_a_phone_nothing_is_cut_and_every_target_is_a_finger_wide(site, browser) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True)
    small = {}
    for url in _pages(site):
        page.goto(BASE + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{url} is {width} px wide on a 390 px phone"
        small[url] = page.evaluate(SMALL_TARGETS)
    assert {url: found[:5] for url, found in small.items() if found} == {}
    # a tablet (a finger, 820 px wide): the same targets, no map dots
    tablet = browser.new_page(viewport={"width": 820, "height": 1180}, has_touch=True)
    for url in ("/", f"/camps/{site['running']}", "/versions"):
        tablet.goto(BASE + url)
        assert tablet.evaluate(SMALL_TARGETS) == [], url
    assert not tablet.locator("svg.map").is_visible()
    tablet.close()
    # the map's dots give way to links by status
    page.goto(BASE + "/")
    assert not page.locator("svg.map").is_visible()
    assert page.locator(".map-list a[href='/camps?status=cancelled']").is_visible()
    # the team of a camp stacks: every cell inside the screen, its heading beside it
    page.goto(BASE + f"/camps/{site['running']}")
    cells = page.locator("#team td")
    assert cells.count() > 0
    for k in range(min(cells.count(), 24)):
        box = cells.nth(k).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (k, box)
    page.close()


@pytest.mark.slow
def test_a_camp_page_prints_its_team_and_facts_without_the_menu_or_buttons(
    site, browser, tmp_path: Path
) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(BASE + f"/camps/{site['running']}")
    # the page's print button prints (no inline script: the policy forbids them)
    page.evaluate("window.print = () => { window.printed = true; }")
    page.locator("#papers button[data-print]").click()
    assert page.evaluate("window.printed") is True
    page.goto(BASE + "/versions/2/calls")  # and the call list's
    page.evaluate("window.print = () => { window.printed = true; }")
    page.locator("button[data-print]").click()
    assert page.evaluate("window.printed") is True
    page.goto(BASE + f"/camps/{site['running']}")
    page.emulate_media(media="print")
    for hidden in ("header.top", "#team button", "form", "a.skip", "#papers", "h2.no-print"):
        if page.locator(hidden).count():
            assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator("#team").is_visible() and page.locator("h1").is_visible()
    name = page.locator("h1 bdi").first.inner_text()
    member = page.locator("#team tbody tr td a").first.inner_text()
    pdf = tmp_path / "camp.pdf"
    page.pdf(path=str(pdf))
    page.close()
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is missing (poppler-utils): the PDF was not read back")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert text.strip()
    words = "".join(text.split())
    for word in ("نسخه‌ها", "سناریوها", "تغییرات", "جایگزین", "English"):  # menu, buttons
        assert "".join(word.split()) not in words, word
    assert name.split()[0] in text or member.split()[0] in text
