"""Bulk edits (issue 25): one edit for many people, from a list of ids (the API) or a
pasted list of ids or names (the page); every person checked, all or none, one message
naming every one refused."""

from __future__ import annotations

import json
import re
from html import escape as html_escape
from pathlib import Path

import pytest

from builders import REPO
from web_helpers import served, solved

SMALL_PATH = REPO / "instances" / "small.json"
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC = str.maketrans("یک", "يك")  # Arabic yeh and kaf, as some keyboards type them


@pytest.fixture(scope="module")
def roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return solved(SMALL_PATH, tmp_path_factory.mktemp("roster"), time_limit=2.0)


@pytest.fixture
def site(roster: Path, tmp_path: Path):
    session, client = served(SMALL_PATH, tmp_path, solution=roster)
    yield session, client
    session.close()
    session.workspace.close()


def _volunteers() -> list[dict]:
    return json.loads(SMALL_PATH.read_text())["volunteers"]


def _pasted(count: int) -> tuple[str, list[str]]:
    """A list as a planner pastes it: ids in Persian digits, unique names typed with
    Arabic yeh and kaf, on lines and after commas; and the ids it names."""
    people = _volunteers()
    names = [p["name"] for p in people]
    unique = [p for p in people if names.count(p["name"]) == 1]
    chosen = unique[:count]
    entries = []
    for i, person in enumerate(chosen):
        if i % 2:
            entries.append(person["id"].translate(PERSIAN_DIGITS))
        else:
            entries.append(" " + person["name"].translate(ARABIC) + " ")
    text = "\n".join(", ".join(entries[i : i + 3]) for i in range(0, len(entries), 3))
    return text, [p["id"] for p in chosen]


def _post(client, body: dict):
    rev = client.get("/api/session").json()["rev"]
    csrf = client.app.state.csrf
    return client.post("/api/edits", json={"rev": rev, **body}, headers={"X-CSRF-Token": csrf})


def test_thirty_people_from_a_pasted_list_away_in_one_edit(site) -> None:
    _, client = site
    text, ids = _pasted(30)
    answer = _post(
        client,
        {"kind": "unavailable", "volunteers": text, "first": "1403-04-01", "last": "1403-04-10"},
    )
    assert answer.status_code == 200, answer.text
    pending = client.get("/api/edits").json()["pending"]
    assert len(pending) == 1  # one edit: dropped at once, all or none
    (op,) = pending[0]["ops"]
    assert op["op"] == "unavailable" and sorted(op["volunteers"]) == sorted(ids)
    assert (op["first"], op["last"]) == ("1403-04-01", "1403-04-10")


def test_a_list_of_ids_removes_each_from_their_own_camps(site) -> None:
    session, client = site
    roster = session.head().triples
    on_camps = sorted({v for v, _, _ in roster})[:5]
    answer = _post(client, {"kind": "remove", "volunteers": on_camps})
    assert answer.status_code == 200, answer.text
    (op,) = client.get("/api/edits").json()["pending"][0]["ops"]
    assert op["op"] == "forbid"
    assert {(p["volunteer"], p["camp"]) for p in op["pairs"]} == {
        (v, c) for v, c, _ in roster if v in on_camps
    }


def test_a_lock_of_many_keeps_each_on_their_own_camps(site) -> None:
    session, client = site
    roster = session.head().triples
    on_camps = sorted({v for v, _, _ in roster})[:4]
    assert _post(client, {"kind": "lock", "volunteers": on_camps}).status_code == 200
    (op,) = client.get("/api/edits").json()["pending"][0]["ops"]
    assert {(a["volunteer"], a["camp"], a["skill"]) for a in op["assignments"]} == {
        t for t in roster if t[0] in on_camps
    }


def test_every_bad_id_is_named_and_nothing_is_recorded(site) -> None:
    session, client = site
    roster = session.head().triples
    on_camps = {v for v, _, _ in roster}
    idle = next(p["id"] for p in _volunteers() if p["id"] not in on_camps)
    good = sorted(on_camps)[:3]
    answer = _post(client, {"kind": "remove", "volunteers": [*good, "v77777", idle, "x-1"]})
    assert answer.status_code == 400
    message = answer.json()["error"]
    assert "3 of 6" in message
    for bad in ("v77777", idle, "x-1"):
        assert bad in message
    for fine in good:
        assert fine not in message
    assert client.get("/api/edits").json()["pending"] == []


def test_pasted_entries_that_name_nobody_or_several_are_each_named(site) -> None:
    _, client = site
    names = [p["name"] for p in _volunteers()]
    shared = next(n for n in names if names.count(n) > 1)
    text = f"v00001\n{shared}\nنام ناشناس"
    answer = _post(
        client,
        {"kind": "unavailable", "volunteers": text, "first": "1403-04-01", "last": "1403-04-02"},
    )
    assert answer.status_code == 400
    message = answer.json()["error"]
    assert shared in message and "several people" in message and "نام ناشناس" in message
    assert "2 of the pasted entries" in message
    assert client.get("/api/edits").json()["pending"] == []


def test_a_reason_all_share_is_said_once(site) -> None:
    _, client = site
    answer = _post(client, {"kind": "unavailable", "volunteers": ["v00001", "v00002"]})
    assert answer.status_code == 400
    assert answer.json()["error"].count("missing") == 1


def test_a_county_coordinator_is_told_every_person_not_theirs(site) -> None:
    session, client = site
    head = session.head()
    problem = head.problem

    def county(camp: str) -> str:
        return problem.place_counties[int(problem.camp_place[problem.camp_index[camp]])]

    first_camp = {}
    for v, c, _ in head.triples:
        first_camp.setdefault(v, c)
    mine = sorted(v for v, c in first_camp.items() if county(c) == "arak")[:2]
    others = sorted(v for v, c in first_camp.items() if county(c) != "arak")[:2]
    mine = [v for v in mine if all(county(c) == "arak" for w, c, _ in head.triples if w == v)]
    session.accounts.add("county", "county", "a long pass phrase", counties=["arak"])
    other = type(client)(client.app, base_url="http://127.0.0.1:8000")
    login = other.post("/api/login", json={"name": "county", "password": "a long pass phrase"})
    rev = other.get("/api/session").json()["rev"]
    answer = other.post(
        "/api/edits",
        json={"rev": rev, "kind": "remove", "volunteers": mine + others},
        headers={"X-CSRF-Token": login.json()["csrf"]},
    )
    assert answer.status_code == 403
    message = answer.json()["error"]
    assert f"2 of {len(mine) + 2}" in message
    assert all(v in message for v in others) and not any(v in message for v in mine)
    persian = other.post(  # asked in Persian: the same people, the page's words
        "/api/edits?lang=fa",
        json={"rev": rev, "kind": "remove", "volunteers": mine + others},
        headers={"X-CSRF-Token": login.json()["csrf"]},
    ).json()["error"]
    assert "در حوزهٔ حساب شما نیستند" in persian and all(v in persian for v in others)
    assert session.workspace.pending_edits() == []


def _form(client, url: str, fields: dict, **kwargs):
    rev = client.get("/api/session").json()["rev"]
    csrf = client.app.state.csrf
    return client.post(
        url, data={"csrf": csrf, "rev": str(rev), **fields}, follow_redirects=False, **kwargs
    )


def test_the_search_filters_by_skill_and_tells_namesakes_apart(site) -> None:
    _, client = site
    physicians = {p["id"] for p in _volunteers() if "physician" in p["skills"]}
    html = _form(client, "/volunteers", {"q": "", "skill": "physician"}).text
    shown = set(re.findall(r'href="/volunteers/(v\d+)"', html))
    assert shown and shown <= physicians and len(shown) == min(len(physicians), 50)
    names = [p["name"] for p in _volunteers()]
    shared = next(n for n in names if names.count(n) > 1)
    data = client.post(
        "/api/volunteers/search",
        json={"q": shared},
        headers={"X-CSRF-Token": client.app.state.csrf},
    )
    rows = [r for r in data.json()["results"] if r["name"] == shared]
    assert len(rows) > 1
    assert all(r["group"] and r["home_name"] and r["skills"] for r in rows)
    assert len({(r["group"], r["home_name"], str(r["skills"])) for r in rows}) == len(rows)


def test_the_search_filters_by_county_and_group_for_a_bulk_edit(site) -> None:
    """Issue 25: a bulk edit's people by skill, county and group: a county is the home
    place's county (saveh: 86 of small's 300), a group its id; the filters combine, and
    the page puts everyone found (not only the 50 shown) in the bulk list."""
    _, client = site
    data = json.loads(SMALL_PATH.read_text())
    county_of = {p["id"]: p.get("county") for p in data["places"]}
    saveh = {v["id"] for v in data["volunteers"] if county_of[v["home"]] == "saveh"}
    group = {v["id"] for v in data["volunteers"] if v.get("group") == "g-arak-006"}
    csrf = {"X-CSRF-Token": client.app.state.csrf}
    found = client.post("/api/volunteers/search", json={"county": "saveh"}, headers=csrf).json()
    assert found["total"] == len(saveh) == 86 and found["county"] == "saveh"
    assert {r["volunteer"] for r in found["results"]} <= saveh
    assert {"id": "saveh", "name": "ساوه"} in found["counties"]
    both = {"county": "arak", "group": "g-arak-006"}
    found = client.post("/api/volunteers/search", json=both, headers=csrf).json()
    in_arak = {v["id"] for v in data["volunteers"] if county_of[v["home"]] == "arak"}
    assert found["total"] == len(group & in_arak) > 0
    html = _form(client, "/volunteers", {"q": "", "county": "saveh", "to_bulk": "1"}).text
    listed = re.search(r'<textarea name="volunteers"[^>]*>([^<]*)</textarea>', html).group(1)
    assert sorted(listed.split()) == sorted(saveh)  # all 86, more than a page shows
    assert '<option value="saveh" selected>' in html
    page = client.get("/volunteers").text  # the filters' choices, by name
    assert '<select name="county"' in page and '<select name="group"' in page
    unknown = client.post("/api/volunteers/search", json={"county": "nowhere"}, headers=csrf)
    assert unknown.json()["total"] == 0 and unknown.json()["county"] == ""  # no filter, no query


def test_the_page_puts_everyone_found_in_the_bulk_list(site) -> None:
    _, client = site
    physicians = sorted(p["id"] for p in _volunteers() if "physician" in p["skills"])
    html = _form(client, "/volunteers", {"q": "", "skill": "physician", "to_bulk": "1"}).text
    listed = re.search(r'<textarea name="volunteers"[^>]*>([^<]*)</textarea>', html).group(1)
    assert sorted(listed.split()) == physicians


def test_the_bulk_form_records_one_edit_and_keeps_the_typed_input_on_error(site) -> None:
    session, client = site
    text, ids = _pasted(30)
    bad = text + "\nv77777\nکسی نیست"
    fields = {"volunteers": bad, "kind": "unavailable", "first": "1403-04-01", "last": "1403-04-09"}
    answer = _form(client, "/edits/bulk", fields, cookies={"campplanner_lang": "fa"})
    assert answer.status_code == 400
    html = answer.text
    assert "ثبت نشد" in html and "v77777" in html and "کسی نیست" in html
    assert html_escape(bad) in html  # the pasted list, as typed
    assert 'value="1403-04-01"' in html and 'value="1403-04-09"' in html
    assert session.workspace.pending_edits() == []
    answer = _form(client, "/edits/bulk", fields | {"volunteers": text})
    assert answer.status_code == 303 and answer.headers["location"] == "/edits"
    (edit,) = session.workspace.pending_edits()
    assert sorted(edit.ops[0]["volunteers"]) == sorted(ids)


def test_a_refused_bulk_edit_is_said_in_persian_on_the_page(site) -> None:
    """Every entry named, each with its reason in Persian (issue 25: the refusals were
    English on the Persian page); English with the switch."""
    _, client = site
    names = [p["name"] for p in _volunteers()]
    shared = next(n for n in names if names.count(n) > 1)
    fields = {
        "kind": "unavailable",
        "volunteers": f"v00001\n{shared}\nنام ناشناس",
        "first": "1403-04-01",
        "last": "1403-04-02",
    }
    page = _form(client, "/edits/bulk", fields)
    alert = re.sub(r"<[^>]+>", " ", page.text.split('role="alert"', 1)[1].split("</div>")[0])
    assert (
        page.status_code == 400 and "چند نفر با این نام" in alert and "چنین داوطلبی نیست" in alert
    )
    assert shared in alert and "نام ناشناس" in alert and "۲ مورد" in alert
    assert not re.search(r"[A-Za-z]{2,}", re.sub(r"v\d+", "", alert)), alert
    wrong = _form(client, "/edits/bulk", {"kind": "remove", "volunteers": "v00001, v77777"})
    alert = re.sub(r"<[^>]+>", " ", wrong.text.split('role="alert"', 1)[1].split("</div>")[0])
    assert "v77777" in alert and "۱ مورد" in alert and "چنین داوطلبی نیست" in alert
    rev = client.get("/api/session").json()["rev"]
    listed = client.post(  # a list of ids (the API), its refusal asked in Persian
        "/api/edits?lang=fa",
        json={"rev": rev, "kind": "remove", "volunteers": ["v00001", "v77777"]},
        headers={"X-CSRF-Token": client.app.state.csrf},
    ).json()["error"]
    assert "داوطلبی با شناسهٔ" in listed and "۲ نفر از ۲ نفر" in listed
    english = _form(client, "/edits/bulk", fields, cookies={"campplanner_lang": "en"}).text
    assert "several people" in english and "no such volunteer" in english


def test_the_search_filters_by_dates_the_people_serving_then(site, roster: Path) -> None:
    """Issue 25: "the physicians of Mordad" marked away: the search's dates filter
    keeps who serves in the current roster on a camp overlapping [from, to] (Jalali,
    Persian or Latin digits; either end open), worked out here from the roster file;
    a date that is not one is refused in the page's language (Persian on the page,
    English to the API unless ?lang=fa)."""
    _, client = site
    data = json.loads(SMALL_PATH.read_text())
    span = {c["id"]: (c["start"], c["end"]) for c in data["camps"]}  # zero-padded: ordered
    physicians = {v["id"] for v in data["volunteers"] if "physician" in v["skills"]}
    assignments = json.loads(roster.read_text())["assignments"]

    def serving(first: str, last: str) -> set[str]:
        return {
            a["volunteer"]
            for a in assignments
            if span[a["camp"]][1] >= first and span[a["camp"]][0] <= last
        }

    mordad = serving("1403-05-01", "1403-05-31") & physicians
    assert mordad and mordad < physicians  # some physicians serve in Mordad, not all
    csrf = {"X-CSRF-Token": client.app.state.csrf}
    asked = {"skill": "physician", "from": "1403-05-01", "to": "1403-05-31"}
    found = client.post("/api/volunteers/search", json=asked, headers=csrf).json()
    assert found["total"] == len(mordad) and found["dated"]
    assert {r["volunteer"] for r in found["results"]} == mordad
    persian = asked | {"from": "۱۴۰۳-۰۵-۰۱", "to": "۱۴۰۳/۰۵/۳۱"}
    found = client.post("/api/volunteers/search", json=persian, headers=csrf).json()
    assert {r["volunteer"] for r in found["results"]} == mordad
    since = client.post("/api/volunteers/search", json={"from": "1403-05-01"}, headers=csrf)
    assert since.json()["total"] == len(serving("1403-05-01", "9999")) > len(mordad)

    fields = {"q": "", "skill": "physician", "from": "۱۴۰۳-۰۵-۰۱", "to": "۱۴۰۳-۰۵-۳۱"}
    html = _form(client, "/volunteers", fields | {"to_bulk": "1"}).text
    listed = re.search(r'<textarea name="volunteers"[^>]*>([^<]*)</textarea>', html).group(1)
    assert sorted(listed.split()) == sorted(mordad)  # one edit for all of them
    assert "در اردو میان این روزها" in html and "هم‌پوشانی" in html  # what the filter means
    assert 'value="۱۴۰۳-۰۵-۰۱"' in html  # the dates as typed, kept

    bad = _form(client, "/volunteers", {"q": "", "from": "1403-13-01"})
    assert bad.status_code == 400
    assert "از: " in bad.text and "تاریخ نیست" in bad.text and "is not a date" not in bad.text
    refused = client.post("/api/volunteers/search", json={"to": "فردا"}, headers=csrf)
    assert refused.status_code == 400 and "to: 'فردا' is not a date" in refused.json()["error"]
    refused = client.post("/api/volunteers/search?lang=fa", json={"to": "فردا"}, headers=csrf)
    assert refused.status_code == 400 and "تا: " in refused.json()["error"]
