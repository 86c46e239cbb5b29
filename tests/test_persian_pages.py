"""Every Persian page says everything in Persian (issue 25): a served small instance
with accounts, edits (a refused one too), versions, a restore, the audit, a call list, a
cancelled camp with what would run it; no Latin word on any page outside the file's
ids, account names, addresses and file names.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from builders import TINY_PATH
from web_helpers import latin_words, served, solved, wait_for_job

PASSWORD = "a long pass phrase"


def _season(folder: Path) -> Path:
    """tiny.json and a fifth camp on c1's days that needs a physician: cancelled."""
    data = json.loads(TINY_PATH.read_text(encoding="utf-8"))
    fifth = dict(data["camps"][0], id="c5", name="اردوی سلامت دوم خمین", priority=1)
    fifth["requirements"] = [
        {"skill": "physician", "count": 1, "level": 1, "essential": True},
        {"skill": "nurse", "count": 1},
    ]
    data["camps"].append(fifth)
    path = folder / "season.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("persian")
    season = _season(folder)
    session, client = served(season, folder, solution=solved(season, folder))
    session.accounts.add("maryam", "province", PASSWORD)
    session.accounts.add("reza", "county", PASSWORD, counties=["khomein"])
    browser = TestClient(client.app, base_url="http://127.0.0.1:8000")
    csrf = browser.post("/api/login", json={"name": "maryam", "password": PASSWORD}).json()["csrf"]

    def post(url: str, body: dict) -> object:
        rev = browser.get("/api/session").json()["rev"]
        return browser.post(url, json={"rev": rev, **body}, headers={"X-CSRF-Token": csrf})

    away = {"kind": "unavailable", "volunteer": "v03", "first": "1400-04-11", "last": "1400-04-12"}
    assert post("/api/edits", away).status_code == 200
    job = post("/api/solve", {}).json()["job"]
    wait_for_job(browser, job)
    assert post(f"/api/jobs/{job}/accept", {"comment": "نبودن"}).status_code == 200
    assert post("/api/versions/1/restore", {}).status_code == 200
    assert post("/api/versions/2/publish", {}).status_code == 200
    browser.get("/api/versions/2/download/csv")
    assert (
        post("/api/edits", {"kind": "remove", "volunteer": "v10", "camp": "c1"}).status_code == 200
    )
    refused = {"kind": "lock", "volunteer": "v10", "camp": "c1", "skill": "camp_leader"}
    assert post("/api/edits", refused).status_code == 409
    running = post("/api/solve", {}).json()["job"]
    wait_for_job(browser, running)
    yield session, browser, csrf, running
    session.close()


def test_every_persian_page_holds_no_latin_word_outside_ids(walked) -> None:
    session, browser, csrf, job = walked
    instance = session.head().instance
    allowed = (
        {v.id for v in instance.volunteers}
        | {c.id for c in instance.camps}
        | {p.id for p in instance.places}
        | {g.id for g in instance.groups}
        | {"maryam", "reza", "planner", "testclient"}  # accounts, the test's address
    )
    assert session.head().problem is not None
    assert browser.get("/api/camps/c5").json()["to_run"] is not None  # cancelled
    pages = [
        "/",
        "/camps",
        "/camps?status=cancelled",
        "/camps/c1",
        "/camps/c2",
        "/camps/c5",
        "/attendance/c1",
        "/volunteers",
        "/volunteers/v03",
        "/volunteers/v10",
        "/edits",
        f"/jobs/{job}",
        "/versions",
        "/versions/compare?a=1&b=2",
        "/versions/2/calls",
        "/audit",
        "/scenarios",
    ]
    found = {}
    for url in pages:
        answer = browser.get(url)
        assert answer.status_code == 200, (url, answer.text[:300])
        assert '<html lang="fa" dir="rtl">' in answer.text or url.startswith("/jobs/")  # a part
        latin = latin_words(answer.text, allowed)
        if latin:
            found[url] = latin
    # refusals said as pages: a contradicting edit, a stale tab, a restore refused
    rev = browser.get("/api/session").json()["rev"]
    refusals = {
        "contradiction": browser.post(
            "/edits",
            data={"csrf": csrf, "rev": rev, "kind": "lock", "volunteer": "v10", "camp": "c1"}
            | {"skill": "camp_leader"},
        ),
        "stale": browser.post(
            "/edits",
            data={"csrf": csrf, "rev": rev - 1, "kind": "forbid", "volunteer": "v01"}
            | {"camp": "c4"},
        ),
        "restore": browser.post("/versions/1/restore", data={"csrf": csrf, "rev": rev}),
        "not asked": browser.post(  # c2 asks for no physician: said by the skill's name
            "/edits",
            data={"csrf": csrf, "rev": rev, "kind": "lock", "volunteer": "v01", "camp": "c2"}
            | {"skill": "physician"},
        ),
        "bad day": browser.post(
            "/edits",
            data={"csrf": csrf, "rev": rev, "kind": "unavailable", "volunteer": "v01"}
            | {"first": "1400-13-01", "last": "1400-04-02"},
        ),
    }
    refusals |= {  # what is missing: a camp, a person, a call list of a version with none
        "no camp": browser.get("/camps/nope"),
        "no volunteer": browser.get("/volunteers/nobody"),
        "no calls": browser.get("/versions/1/calls"),
        "no solve": browser.post("/jobs/999/accept", data={"csrf": csrf, "rev": rev}),
    }
    for name, answer in refusals.items():
        assert answer.status_code >= 400, (name, answer.text[:300])
        latin = latin_words(answer.text, allowed)
        if latin:
            found[name] = latin
    assert not found, found


def test_the_audit_says_its_details_in_persian_with_ids_isolated(walked) -> None:
    _, browser, _, _ = walked
    page = browser.get("/audit").text
    assert "parent" not in page and "None" not in page and "accept" not in page.split("<main")[1]
    assert "پذیرش نسخه" in page and "از نسخهٔ" in page and "بازگرداندن نسخه" in page
    assert "<bdi>۱</bdi>" in page  # a version's number, isolated, in Persian digits
    assert "نبودن <bdi>زهرا کریمی</bdi> <bdi>(v03)</bdi>" in page  # an edit's line
    english = browser.get("/audit", cookies={"campplanner_lang": "en"}).text
    assert "parent" in english and "away: <bdi>زهرا کریمی</bdi>" in english
    assert "؛" not in english.split("<main", 1)[1]  # English punctuation on English pages


def test_every_worded_refusal_of_the_application_has_its_persian_words() -> None:
    """Each key a refusal of ``app/`` is worded by (``Worded(..., key=...)`` and the
    classes' own) has its Persian in ``web/refusals.APP_WORDS``; the English is the
    refusal's own text, so both languages exist for every one."""
    from builders import REPO
    from campplanner.web.refusals import APP_WORDS

    source = "\n".join(
        path.read_text(encoding="utf-8") for path in (REPO / "src/campplanner/app").rglob("*.py")
    )
    keys = set(re.findall(r'key="([^"]+)"', source))
    keys |= set(re.findall(r'^    key = "([^"]+)"', source, flags=re.M))
    keys |= set(re.findall(r'key="[^"]+" if \w+ else "([^"]+)"', source))
    spread = {  # keys made of a prefix and one of a few words
        "edit:missing": ("volunteer", "camp", "skill", "first", "last"),
        "edit:not_a_day": ("jalali", "gregorian"),
        "run_not": ("runs_already", "too_few_qualified", "not_found"),
        "restore_refused": ("current", "running", "pending"),
    }
    for prefix, words in spread.items():
        keys.discard(prefix)
        keys |= {f"{prefix}:{word}" for word in words}
    assert len(keys) > 25
    assert not keys - set(APP_WORDS), sorted(keys - set(APP_WORDS))
    from campplanner.app.review.conflicts import KINDS
    from campplanner.web.refusals import CONFLICT_WORDS

    assert set(KINDS) == set(CONFLICT_WORDS)  # what contradicts what, in Persian


def test_an_empty_essential_role_is_marked_in_words_with_persian_punctuation(walked) -> None:
    """c5's empty physician slot is essential: said «ضروری» after a Persian comma, not
    ", !" (issue 25: right-to-left breaks around parentheses)."""
    _, browser, _, _ = walked
    page = browser.get("/camps/c5").text
    assert "سطح ۱، <strong>ضروری</strong>)" in page, page
    assert ", !" not in page
    english = browser.get("/camps/c5", cookies={"campplanner_lang": "en"}).text
    assert ", <strong>essential</strong>)" in english


def test_persian_pages_punctuate_in_persian(walked) -> None:
    """No Latin comma or semicolon after a Persian word or digit: the re-solve's panel
    and a comparison said «۳ نفر تغییر, ۲ اردو» (the Persian comma is «،»)."""
    _, browser, _, job = walked
    found = {}
    for url in ("/", "/camps/c1", "/camps/c5", "/edits", f"/jobs/{job}", "/versions"):
        found[url] = _latin_punctuation(browser.get(url).text)
    compare = browser.get("/versions/compare?a=1&b=2").text
    found["compare"] = _latin_punctuation(compare)
    assert not any(found.values()), found
    assert re.search("[۰-۹] نفر تغییر، [۰-۹]+ اردو", compare), compare  # the words said
    english = browser.get("/versions/compare?a=1&b=2", cookies={"campplanner_lang": "en"})
    assert re.search(r"\d+ people changed, \d+ camps", english.text)


def _latin_punctuation(html: str) -> list[str]:
    """The text of a page's main part where a Latin comma or semicolon follows a Persian
    letter or digit."""
    main = html.split("<main", 1)[1] if "<main" in html else html
    text = re.sub(r"<[^>]+>", "", re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S))
    return re.findall(r".{0,20}[\u0600-\u06ff][)]?\s*[,;].{0,20}", text)
