"""The HTML report at a season's size, a long camp printed over several pages, a phone.

A synthetic season (1,200 camps of 20 people with names as long as Markazi's) must stay
under 3 MB; a camp of 120 people printed by Chromium carries its name on every page it
runs over; at 400 px the page does not scroll sideways. The browser tests need
Debian's ``chromium`` and ``pdftotext`` (.ci/run installs both).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from builders import camp, group, make_instance, place, requirement, volunteer
from campplanner.contract.instance import instance_from_data
from campplanner.contract.solution import solution_from_data
from campplanner.io.html_report import DETAIL_UP_TO, by_share, county_reports, roster_html
from campplanner.io.pdf import find_browser
from campplanner.report import RosterView, SkillTotal

NAME = "زهرا سلطانی‌نژاد"  # 16 letters, as long as the season's average name
GROUP = "گروه جهادی شهید صالحی اراک (خواهران)"


def season(camps: int, people: int, counties: int = 12) -> RosterView:
    """``camps`` camps of ``people`` each (everyone a labourer), spread over counties."""
    places = [place(f"k{k}", 34.0 + k / 50, 49.7, county=f"k{k}") for k in range(counties)]
    for p in places:
        p["name"] = f"شهرستان‌نمای {p['id']}"
    data = make_instance(
        places=places,
        groups=[group(f"g{k}", home=None, name=f"{GROUP} {k}") for k in range(50)],
        volunteers=[
            volunteer(
                f"v{n:05d}",
                name=f"{NAME} {n}",
                home=f"k{n % counties}",
                group=f"g{n % 50}",
                skills={"labourer": 1},
            )
            for n in range(camps * people)
        ],
        camps=[
            camp(
                f"c{c:04d}",
                name=f"اردوی سلامت و درمان روستای قلعه‌نو {c}",
                place=f"k{c % counties}",
                capacity=people,
                requirements=[requirement("labourer", count=people)],
            )
            for c in range(camps)
        ],
        skills=[{"id": "labourer", "name": "نیروی کار عمومی"}],
    )
    assignments = [
        {"volunteer": f"v{c * people + k:05d}", "camp": f"c{c:04d}", "skill": "labourer"}
        for c in range(camps)
        for k in range(people)
    ]
    return RosterView.from_solution(
        instance_from_data(data),
        solution_from_data({"status": "feasible", "assignments": assignments}),
    )


def test_a_season_report_stays_under_3_mb() -> None:
    view = season(1200, 20)
    html = roster_html(view)
    assert len(html.encode("utf-8")) < 3_000_000
    assert html.count("<section class=camp") == 1200
    assert 'href="#county-' in html and "href=#camp-c0001" in html  # the table of contents
    reports = county_reports(view)
    assert len(reports) == 12
    assert sum(r.count(b"<section class=camp") for r in reports.values()) == 1200


def test_the_skill_chart_puts_the_scarcest_first() -> None:
    skills = [
        SkillTotal("a", "کارگر", 1200, 1150),
        SkillTotal("b", "پزشک", 40, 22),
        SkillTotal("c", "معلم", 10, 10),
    ]
    assert [s.id for s in by_share(skills)] == ["b", "a", "c"]


def _tools() -> tuple[str, str]:
    browser, pdftotext = find_browser(), shutil.which("pdftotext")
    if browser is None or pdftotext is None:
        if os.environ.get("CI"):
            pytest.fail("chromium and pdftotext are missing, and CI must print (.ci/run)")
        pytest.skip(
            "CHROMIUM OR PDFTOTEXT IS MISSING: nothing was printed "
            "(apt-get install chromium poppler-utils; .ci/run installs both)"
        )
    return browser, pdftotext


def _chromium(browser: str, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={folder / 'profile'}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


def test_every_page_of_a_long_camp_carries_its_name(tmp_path: Path) -> None:
    browser, pdftotext = _tools()
    view = season(3, 120, counties=1)  # three camps of 120: each runs over 3 pages or more
    page = tmp_path / "report.html"
    page.write_text(roster_html(view), encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    printed = _chromium(
        browser, tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()
    )
    assert printed.returncode == 0 and pdf.exists(), printed.stderr[-2000:]
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[:-1]
    first_camp = next(k for k, p in enumerate(pages) if "c0000" in p)
    last = next((k for k, p in enumerate(pages) if "برنامه داوطلبان" in p), len(pages))
    camp_pages = pages[first_camp:last]
    assert len(camp_pages) >= 3 * 3
    for camp_view in view.camps:
        mine = [
            p
            for p in camp_pages
            if f"{NAME} {int(camp_view.id[1:]) * 120 + 60}" in p or camp_view.id in p
        ]
        assert len(mine) >= 3
    # Every page of the teams names its camp (the table's head repeats on each page).
    for number, content in enumerate(camp_pages):
        assert re.search(r"c000[0-2]", content), f"page {first_camp + number + 1} has no camp"


def _sticking_out(tmp_path: Path, html: str, width: int) -> str:
    """The elements that stick out of a page held to ``width`` px ("" for none)."""
    browser, _ = _tools()
    # A copy for measuring only: without the report's no-script policy, plus a script
    # that writes how wide the page is into the DOM that Chromium dumps.
    probe = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    # Headless Chromium keeps windows at least ~500 px wide: the page is held to width.
    probe = probe.replace("</head>", f"<style>html {{ width: {width}px; }}</style></head>")
    probe = probe.replace(
        "</body>",
        """<script>
var page = document.documentElement.getBoundingClientRect(), outside = [];
document.querySelectorAll("body *").forEach(function (e) {
  var r = e.getBoundingClientRect();
  if (r.width > 0 && (r.left < page.left - 1 || r.right > page.right + 1))
    outside.push(e.tagName + "." + e.getAttribute("class"));
});
document.body.setAttribute("data-width", Math.round(page.width));
document.body.setAttribute("data-outside", outside.slice(0, 10).join(" "));
</script></body>""",
    )
    page = tmp_path / f"probe-{width}.html"
    page.write_text(probe, encoding="utf-8")
    dom = _chromium(
        browser, tmp_path, f"--window-size={max(width, 400)},800", "--dump-dom", page.as_uri()
    )
    measured = re.search(r'data-width="(\d+)"', dom.stdout)
    assert measured is not None and measured.group(1) == str(width), dom.stderr[-2000:]
    outside = re.search(r'data-outside="([^"]*)"', dom.stdout)
    assert outside is not None, dom.stdout[-2000:]
    return outside.group(1)


def test_at_400_pixels_nothing_scrolls_sideways(tmp_path: Path) -> None:
    html = roster_html(season(3, 30, counties=2))
    assert "@media (max-width: 600px)" in html
    assert _sticking_out(tmp_path, html, 400) == ""  # nothing sticks out


@pytest.mark.parametrize("width", [400, 690])  # a phone; A4 within its 14 mm margins
def test_a_seasons_teams_wrap_on_a_phone_and_on_a4(tmp_path: Path, width: int) -> None:
    """Issue 26: the overview's team column (a line of names per role) did not wrap
    (``white-space: nowrap``): 492 of the season's 1,200 camps ran off an A4 page and
    the page scrolled sideways at 400 px."""
    view = season(DETAIL_UP_TO + 1, 24, counties=2)  # the overview, a line per role
    html = roster_html(view)
    assert '<table class="team brief">' in html
    assert _sticking_out(tmp_path, html, width) == ""
