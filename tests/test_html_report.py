"""The printable HTML report: structure, escaping, and a real browser's view of it.

The browser test opens the report in headless Chromium (Debian's ``chromium``, which
``.ci/run`` installs), takes a screenshot and the DOM, and checks that the page is
right to left, shows every camp, prints a page per camp, and draws its Persian text
on the right-hand side. Outside CI, without Chromium, it is skipped with a loud reason;
in CI (``CI`` set) a missing Chromium fails it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import warnings
import zlib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from builders import camp, make_instance, place, requirement, tiny_data, volunteer
from campplanner.cli import main
from campplanner.contract.instance import instance_from_data
from campplanner.contract.solution import solution_from_data
from campplanner.io.html_report import anchor, roster_html, skill_chart
from campplanner.io.solution_writer import solution_data
from campplanner.model.compile import compile_instance
from campplanner.report import RosterView
from campplanner.solver import CpSatSolver, SolveOptions


def solved(data: dict[str, Any]) -> dict[str, Any]:
    problem = compile_instance(instance_from_data(data))
    return solution_data(problem, CpSatSolver(problem, SolveOptions(time_limit=20)).solve())


@pytest.fixture(scope="module")
def tiny_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """instances/tiny.json solved and exported with ``campplanner export --html``."""
    folder = tmp_path_factory.mktemp("report")
    instance = folder / "tiny.json"
    instance.write_text(json.dumps(tiny_data(), ensure_ascii=False), encoding="utf-8")
    solution = folder / "solution.json"
    solution.write_text(json.dumps(solved(tiny_data()), ensure_ascii=False), encoding="utf-8")
    report = folder / "report.html"
    result = CliRunner().invoke(
        main, ["export", str(instance), str(solution), "--html", str(report)]
    )
    assert result.exit_code == 0, result.output
    return report


def test_report_is_persian_rtl_and_self_contained(tiny_report: Path) -> None:
    html = tiny_report.read_text(encoding="utf-8")
    assert '<html lang="fa" dir="rtl">' in html
    assert "@font-face" in html and "data:font/woff2;base64," in html
    # Nothing is fetched: no http(s) URL, no script, a policy that forbids both.
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:|//)", html)
    assert "<script" not in html.casefold()
    assert "default-src 'none'" in html
    for camp_data in tiny_data()["camps"]:
        assert f'data-camp="{camp_data["id"]}"' in html
        assert camp_data["name"] in html
    assert "۱۴۰۰/۰۴/۱۰" in html  # Jalali dates in Persian digits
    assert "break-before: page" in html  # a page per camp when printed
    assert "<svg" in html and "جاهای پرشده به تفکیک مهارت" in html


def test_chart_has_a_bar_per_skill_and_escapes_names() -> None:
    from campplanner.report import SkillTotal

    svg = str(skill_chart([SkillTotal("a", "<b>x</b>", 4, 3), SkillTotal("b", "پزشک", 2, 2)]))
    assert svg.count("<rect") == 4  # asked and filled, per skill
    assert "&lt;b&gt;x&lt;/b&gt;" in svg and "<b>" not in svg
    assert "۳ از ۴" in svg


ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "header",
    "section",
    "footer",
    "div",
    "span",
    "b",
    "h1",
    "h2",
    "h3",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "svg",
    "text",
    "rect",
    "bdi",
    "nav",
    "ul",
    "li",
    "a",
    "p",
    "br",
}


def _markup(html: str) -> tuple[set[str], set[str]]:
    """The tag names and attribute names a browser would see in ``html``."""
    from html.parser import HTMLParser

    tags: set[str] = set()
    attributes: set[str] = set()

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            tags.add(tag)
            attributes.update(name for name, _ in attrs)

    Collect().feed(html)
    return tags, attributes


def test_hostile_names_are_shown_not_run() -> None:
    data = make_instance(
        places=[place("arak", county='"><script>alert(1)</script>'), place("village", 34.2, 49.5)],
        volunteers=[
            volunteer("v1", name="<script>alert('v')</script>"),
            volunteer('"><img src=x onerror=alert(1)>', name="javascript:alert(1)"),
        ],
        camps=[
            camp(
                'c1" onclick="alert(1)',
                name="<iframe src=//evil>",
                requirements=[requirement("nurse", count=2)],
            )
        ],
    )
    data["name"] = "</title><script>alert('t')</script>"
    data["skills"][1]["name"] = "<style>body{display:none}</style>"
    instance = instance_from_data(data)
    html = roster_html(RosterView.from_solution(instance, solution_from_data(solved(data))))
    tags, attributes = _markup(html)
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS  # no script, iframe, img, extra style
    assert not {a for a in attributes if a.startswith("on")}  # no event handlers
    assert html.casefold().count("<style") == 1
    assert "&lt;script&gt;alert(&#39;v&#39;)&lt;/script&gt;" in html
    # Links only to places inside the report: its camps and counties.
    assert set(re.findall(r"href=\"?([^\" >]+)", html)) <= {
        f"#{anchor(c, 'camp')}" for c in ['c1" onclick="alert(1)']
    } | {f"#{anchor(n, 'county')}" for n in ['"><script>alert(1)</script>', "بدون شهرستان"]}
    assert 'data-camp="c1&#34; onclick=&#34;alert(1)"' in html


# ----------------------------------------------------------------------- in a browser


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed, and CI must run the browser test (.ci/run)")
    message = (
        "CHROMIUM IS MISSING: the HTML report was NOT checked in a browser "
        "(apt-get install chromium; CI installs it)"
    )
    warnings.warn(message, stacklevel=2)
    pytest.skip(message)


def _browser(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


def _png_rows(data: bytes, rows: int) -> tuple[int, int, list[bytes]]:
    """Width, channels, and the first ``rows`` scanlines of an 8-bit PNG (no PIL needed)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, width = 8, b"", 0
    channels = 4
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, _, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0
            channels = {2: 3, 6: 4, 0: 1, 4: 2}[color]
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    raw = zlib.decompressobj().decompress(idat, (width * channels + 1) * rows)
    stride = width * channels
    lines: list[bytes] = []
    previous = bytearray(stride)
    for y in range(rows):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + pred) & 255
        lines.append(bytes(line))
        previous = line
    return width, channels, lines


def test_report_in_headless_chromium(tiny_report: Path, tmp_path: Path) -> None:
    chromium = _chromium()
    url = tiny_report.resolve().as_uri()

    dom = _browser(chromium, tmp_path / "profile1", "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert re.search(r'<html[^>]*\bdir="rtl"', dom.stdout)
    assert re.search(r'<html[^>]*\blang="fa"', dom.stdout)
    for camp_data in tiny_data()["camps"]:
        assert f'data-camp="{camp_data["id"]}"' in dom.stdout
        assert camp_data["name"] in dom.stdout

    screenshot = tmp_path / "report.png"
    shot = _browser(
        chromium,
        tmp_path / "profile2",
        f"--screenshot={screenshot}",
        "--window-size=1200,2000",
        "--hide-scrollbars",
        url,
    )
    assert shot.returncode == 0 and screenshot.exists(), shot.stderr[-2000:]
    # Right to left, as drawn: the title and the line under it sit on the right-hand side.
    width, channels, lines = _png_rows(screenshot.read_bytes(), 110)
    dark_left = dark_right = 0
    for line in lines[10:]:
        for x in range(width):
            if line[x * channels] < 128:
                if x < width // 2:
                    dark_left += 1
                else:
                    dark_right += 1
    assert dark_right > 200 and dark_left < dark_right / 10, (dark_left, dark_right)

    pdf = tmp_path / "report.pdf"
    printed = _browser(
        chromium, tmp_path / "profile3", f"--print-to-pdf={pdf}", "--no-pdf-header-footer", url
    )
    assert printed.returncode == 0 and pdf.exists(), printed.stderr[-2000:]
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))
    assert pages >= 1 + len(tiny_data()["camps"])  # the summary, then a page per camp


def test_missing_chromium_is_loud_outside_ci_and_fatal_in_ci(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    with (
        pytest.warns(UserWarning, match="CHROMIUM IS MISSING"),
        pytest.raises(pytest.skip.Exception),
    ):
        _chromium()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run the browser test"):
        _chromium()
