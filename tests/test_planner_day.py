"""A planner's day on the full season, in a real browser (issue 25's "done when").

Playwright drives Debian's chromium against ``campplanner serve`` on
``instances/markazi-season.json.gz`` (22,000 volunteers, 1,200 camps), opened with a
greedy roster (the day is about the page, not the solver: the greedy roster is what a
planner has after seconds), on a new workspace with two province planners, the first
start's ``province`` and ``ali``. The day, as the issue tells it:

1. the overview's cancelled count is a link to the cancelled camps;
2. 30 physicians marked away for the whole season from a pasted list of their ids in
   Persian digits: one edit, on the edits page, typed by ``province``;
3. a lock whose effect is shown truthfully: a candidate of an empty slot who must leave
   another camp for it is shown with that camp; locked in, re-solved and accepted, they
   are in the new camp and no longer in the old one;
4. two planners' contradicting edits: ``province`` locks a person into their camp,
   ``ali`` (another browser) says the same person leaves it: refused, in Persian, naming
   ``province``;
5. undo to version 1: after the pending edit is dropped, the versions page makes version
   1 current again (a new version with version 1's roster);
6. a cancelled camp made to run by its suggested set: "lock all these changes", a
   re-solve, accept: the camp runs;
7. the call list of that version downloaded as a workbook, read back;
8. on every page visited: axe-core finds nothing serious or critical, and no Latin word
   outside ids, names and addresses.

Re-solves get 25 s each (``serve --time-limit``), whatever the machine: what is asserted
holds for any roster the re-plan returns (locks are hard rules), not for one roster.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import Page, sync_playwright

from builders import REPO
from campplanner.app.solving import SolveRequest, solve
from campplanner.contract.calendar import to_persian_digits
from campplanner.solver import SolveOptions
from test_access_browser import _axe_script, _serious
from test_serve_browser import CHROMIUM, _chromium_or_skip
from web_helpers import first_start, free_port, latin_words, log_in

SEASON = REPO / "instances" / "markazi-season.json.gz"
ALI_PASSWORD = "ali's office pass 1403"
RESOLVE_SECONDS = "25"


def _campplanner(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from campplanner.cli import main; main()", *args],
        env=dict(os.environ, PYTHONPATH=str(REPO / "src")),
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def season() -> dict[str, Any]:
    with gzip.open(SEASON, "rt", encoding="utf-8") as file:
        return json.load(file)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The season served on a new workspace: the province's password, and ali's."""
    _chromium_or_skip()
    folder = tmp_path_factory.mktemp("day")
    roster = folder / "greedy.json"
    solve(SolveRequest(str(SEASON), SolveOptions(method="greedy"), output_path=str(roster)))
    workspace = folder / "season.sqlite"
    serve = [str(SEASON), str(roster), "--workspace", str(workspace)]
    port = free_port()  # never a fixed one: two runs on one machine must not collide
    process, password = first_start([*serve, "--time-limit", RESOLVE_SECONDS], port, wait=300)
    try:
        add = ["users", "add", "ali", "--role", "province", "--workspace", str(workspace)]
        added = _campplanner(*add, stdin=ALI_PASSWORD + "\n")
        assert added.returncode == 0, added.stdout + added.stderr
        yield {"province": password, "ali": ALI_PASSWORD, "base": f"http://127.0.0.1:{port}"}
    finally:
        process.terminate()
        process.wait(timeout=60)


class Day:
    """One planner's browser tab, checking every page it opens."""

    def __init__(self, page: Page, base: str, axe: str, allowed: set[str]):
        self.page, self.base, self.axe, self.allowed = page, base, axe, allowed
        self.problems: list[str] = []

    def log_in(self, name: str, password: str) -> None:
        log_in(self.page, self.base, name, password)

    def open(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.check()

    def check(self) -> None:
        """axe-core and the Latin words of the page now shown."""
        where = self.page.url.removeprefix(self.base)
        self.problems += [f"{where}: {p}" for p in _serious(self.page, self.axe)]
        latin = latin_words(self.page.content(), self.allowed)
        if latin:
            self.problems.append(f"{where}: Latin words {latin}")

    def api(self, path: str, body: dict[str, Any] | None = None) -> Any:
        """The API as this planner (their session cookie and CSRF token)."""
        state = self.page.request.get(self.base + "/api/session").json()
        if body is None:
            return self.page.request.get(self.base + path).json()
        answer = self.page.request.post(
            self.base + path,
            data=json.dumps({"rev": state["rev"], **body}),
            headers={"X-CSRF-Token": state["csrf"], "Content-Type": "application/json"},
        )
        return answer

    def resolve_and_accept(self) -> int:
        """Re-solve from the edits page, wait for the panel, accept: the new version."""
        self.open("/edits")
        self.page.click("#solve-form button[type=submit]")
        self.page.wait_for_selector("#accept-form", timeout=240_000)
        self.check()
        self.page.click("#accept-form button[type=submit]")
        self.page.wait_for_url(re.compile(r".*/versions.*"), timeout=120_000)
        return int(self.api("/api/session")["version"])


def _camps_of(day: Day, volunteer: str) -> set[str]:
    roster = day.api("/api/solution")["assignments"]
    return {a["camp"] for a in roster if a["volunteer"] == volunteer}


@pytest.mark.slow
def test_a_planners_day_on_the_full_season(server, season) -> None:
    allowed = (
        {v["id"] for v in season["volunteers"]}
        | {c["id"] for c in season["camps"]}
        | {p["id"] for p in season["places"]}
        | {g["id"] for g in season["groups"]}
        | {"province", "ali"}
    )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        axe = _axe_script()
        base = server["base"]
        day = Day(chromium.new_page(viewport={"width": 1400, "height": 1000}), base, axe, allowed)
        other = Day(chromium.new_page(viewport={"width": 390, "height": 844}), base, axe, allowed)
        day.log_in("province", server["province"])
        other.log_in("ali", server["ali"])

        # 1. the cancelled count leads to the cancelled camps
        day.open("/")
        day.page.click("a[href*='status=cancelled']")
        day.page.wait_for_url(re.compile(r".*status=cancelled.*"))
        day.check()

        # 2. thirty physicians away for the season, pasted in Persian digits
        roster = day.api("/api/solution")["assignments"]
        physicians = sorted({a["volunteer"] for a in roster if a["skill"] == "physician"})[:30]
        assert len(physicians) == 30
        first = min(c["start"] for c in season["camps"])
        last = max(c["end"] for c in season["camps"])
        day.open("/volunteers")
        day.page.fill(
            "#bulk-form textarea[name=volunteers]", to_persian_digits("\n".join(physicians))
        )
        day.page.select_option("#bulk-form select[name=kind]", "unavailable")
        day.page.fill("#bulk-form input[name=first]", to_persian_digits(first))
        day.page.fill("#bulk-form input[name=last]", to_persian_digits(last))
        day.page.click("#bulk-form button[type=submit]")
        day.page.wait_for_url(re.compile(r".*/edits.*"))
        day.check()
        pending = day.api("/api/edits")
        bulk = [e for e in pending["pending"] if e["by"] == "province"]
        assert len(bulk) == 1
        named = {v for op in bulk[0]["ops"] for v in op.get("volunteers", [])}
        assert named == set(physicians)

        # 3. a lock whose cost is shown: a candidate who must leave another camp
        short = day.api("/api/camps?empty=any")["rows"]
        chosen = None
        for row in short[:40]:
            camp = day.api(f"/api/camps/{row['id']}")
            for slot in camp.get("empty_slots", []):
                for candidate in slot.get("candidates", []):
                    if candidate.get("leaves") and candidate["volunteer"] not in physicians:
                        chosen = (row["id"], slot["skill"], candidate)
                        break
                if chosen:
                    break
            if chosen:
                break
        assert chosen, "no candidate of an empty slot who leaves another camp"
        camp_id, skill, candidate = chosen
        mover, left = candidate["volunteer"], set(candidate["leaves"])
        day.open(f"/camps/{camp_id}")
        row = day.page.locator(f"section.slot[data-skill='{skill}'] tr", has_text=candidate["name"])
        for camp_left in left:  # the camp they leave, named beside them (again when
            # their leaving stops it: «لغو می‌شود»)
            stops = camp_left in candidate["cancels"]
            assert row.first.locator(f"a[href='/camps/{camp_left}']").count() == 1 + stops
        locked = day.api(
            "/api/edits", {"kind": "lock", "volunteer": mover, "camp": camp_id, "skill": skill}
        )
        assert locked.status == 200, locked.text()
        v2 = day.resolve_and_accept()
        assert v2 == 2
        assert camp_id in _camps_of(day, mover) and not (left & _camps_of(day, mover))
        assert not any(_camps_of(day, p) for p in physicians[:5])  # away: on no camp

        # 4. two planners contradict each other: the second is refused, naming the first
        team = day.api(f"/api/camps/{camp_id}")["team"]
        person, role = next((m["volunteer"], m["skill"]) for m in team if m["volunteer"] != mover)
        lock = {"kind": "lock", "volunteer": person, "camp": camp_id, "skill": role}
        assert day.api("/api/edits", lock).status == 200
        other.open(f"/camps/{camp_id}")
        refused = other.api("/api/edits", {"kind": "remove", "volunteer": person, "camp": camp_id})
        assert refused.status == 409
        said = other.page.request.post(
            other.base + "/edits",
            form={
                "csrf": other.api("/api/session")["csrf"],
                "rev": str(other.api("/api/session")["rev"]),
                "kind": "remove",
                "volunteer": person,
                "camp": camp_id,
            },
        )
        assert said.status == 409 and "province" in said.text()
        assert re.search("[\u0600-\u06ff]", said.text())  # said in Persian

        # 5. undo to version 1 once the pending lock is dropped
        edit_id = day.api("/api/edits")["pending"][0]["id"]
        state = day.api("/api/session")
        dropped = day.page.request.delete(
            f"{day.base}/api/edits/{edit_id}",
            data=json.dumps({"rev": state["rev"]}),
            headers={"X-CSRF-Token": state["csrf"], "Content-Type": "application/json"},
        )
        assert dropped.status == 200, dropped.text()
        v1 = {(a["volunteer"], a["camp"]) for a in roster}
        day.open("/versions")
        day.page.click("form[action='/versions/1/restore'] button")
        day.page.wait_for_url(re.compile(r".*/versions.*"))
        day.check()
        assert day.api("/api/session")["version"] == 3
        now = {(a["volunteer"], a["camp"]) for a in day.api("/api/solution")["assignments"]}
        assert now == v1

        # 6. a cancelled camp run by its suggested set: one click, a re-solve, accept
        cancelled = day.api("/api/camps?status=cancelled")["rows"]
        runnable = None
        for row in cancelled[:30]:
            to_run = day.api(f"/api/camps/{row['id']}").get("to_run")
            if to_run and to_run.get("runs"):
                runnable = row["id"]
                break
        assert runnable, "no cancelled camp says what would run it"
        day.open(f"/camps/{runnable}")
        day.page.click("#run-camp button[type=submit]")
        day.page.wait_for_load_state()
        v4 = day.resolve_and_accept()
        assert day.api(f"/api/camps/{runnable}")["team"], "the camp still does not run"

        # 7. the call list of that version, downloaded and read back
        day.open(f"/versions/{v4}/calls")
        day.page.click("#calls-xlsx button[type=submit]")  # a job: its page, then the link
        day.page.wait_for_url(re.compile(r".*/files/\d+$"))
        link = day.page.wait_for_selector("a.download.primary", timeout=120_000)
        day.check()  # the file's page: its phases and name in Persian
        with day.page.expect_download() as download:
            link.click()
        workbook = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
        rows = sum(sheet.max_row for sheet in workbook.worksheets)
        assert rows > 1

        # 8. nothing serious for axe, no Latin word, on any page of the day
        other.check()
        chromium.close()
    assert day.problems + other.problems == []
