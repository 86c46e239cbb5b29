"""``campplanner serve`` over HTTP: every route, the refused requests, the whole edit loop.

The application runs in-process under Starlette's test client, on a SQLite workspace in
a temporary folder, over the shipped tiny instance (Jalali, Persian names).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from html import unescape
from pathlib import Path

import pytest

from builders import TINY_PATH, camp, make_instance, place, requirement, volunteer, write_instance
from campplanner.app.inspect import check
from campplanner.workspace import Workspace
from web_helpers import latin_words, post, served, session, solved, triples, wait_for_job


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return solved(TINY_PATH, tmp_path_factory.mktemp("published"))


@pytest.fixture
def web(tmp_path: Path, published: Path):
    site, client = served(TINY_PATH, tmp_path, solution=published)
    yield site, client
    site.close()


PAGES = [
    "/",
    "/camps",
    "/camps?status=short&county=arak",
    "/camps?from=1400-04-01&to=1400-06-31",
    "/camps/c1",
    "/camps/c1/fit?skill=nurse",
    "/volunteers",
    "/volunteers/v01",
    "/edits",
    "/versions",
    "/versions/compare?a=1&b=1",
    "/scenarios",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders_in_persian_right_to_left(web, url: str) -> None:
    _, client = web
    answer = client.get(url)
    assert answer.status_code == 200, answer.text
    assert '<html lang="fa" dir="rtl">' in answer.text
    assert answer.headers["content-security-policy"].startswith("default-src 'self'")
    assert "http://" not in answer.text and "https://" not in answer.text  # nothing from outside


def test_the_language_switch_gives_english_left_to_right(web) -> None:
    _, client = web
    answer = client.get("/lang/en?next=/camps")
    assert answer.status_code == 200 and answer.url.path == "/camps"
    assert '<html lang="en" dir="ltr">' in answer.text
    assert "Camps" in answer.text
    # an open redirect is refused: the switch only goes back to a page of this server
    assert (
        client.get("/lang/fa?next=//evil.example/", follow_redirects=False).headers["location"]
        == "/"
    )


def test_overview_shows_coverage_bound_skills_counties_and_the_map(web) -> None:
    _, client = web
    data = client.get("/api/overview").json()
    assert data["roster"] and data["coverage"] > 0
    assert data["camps"]["total"] == 4
    shares = [s["share"] for s in data["skills"]]
    assert shares == sorted(shares)  # scarce first
    assert {p["id"] for p in data["map"]} == {"c1", "c2", "c3", "c4"}
    assert all(0 <= p["x"] <= 640 and 0 <= p["y"] <= 420 for p in data["map"])
    page = client.get("/").text
    assert page.count("<circle") == 4
    assert "۰" in page or "۱" in page  # Persian digits


def test_camps_filter_by_status_county_dates_skill_and_search(web) -> None:
    _, client = web
    every = client.get("/api/camps").json()
    assert every["total"] == 4
    for row in every["rows"]:
        one = client.get("/api/camps", params={"status": row["status"]}).json()
        assert row["id"] in {r["id"] for r in one["rows"]}
        assert all(r["status"] == row["status"] for r in one["rows"])
        by_county = client.get("/api/camps", params={"county": row["county"]}).json()
        assert all(r["county"] == row["county"] for r in by_county["rows"])
    assert client.get("/api/camps", params={"q": "c3"}).json()["rows"][0]["id"] == "c3"
    assert (
        client.get("/api/camps", params={"from": "1300-01-01", "to": "1300-01-02"}).json()["total"]
        == 0
    )
    assert client.get("/api/camps", params={"from": "not a date"}).status_code == 400
    assert client.get("/api/camps", params={"page": "9"}).json()["page"] == 1  # one page
    for page in ("x", "²", "9" * 5000):  # said on the page, the table still shown (issue 26)
        answer = client.get("/camps", params={"page": page})
        assert answer.status_code == 400 and "c3" in answer.text
        assert client.get("/api/camps", params={"page": page}).status_code == 400
    short = client.get("/api/camps", params={"skill": "physician"}).json()
    assert all("physician" in r["short_skills"] for r in short["rows"])


def test_a_camp_shows_its_team_empty_slots_with_reasons_and_candidates(web) -> None:
    site, client = web
    for camp_id in ("c1", "c2", "c3", "c4"):
        data = client.get(f"/api/camps/{camp_id}").json()
        assert len(data["team"]) == data["camp"]["filled"]
        for slot in data["empty_slots"]:
            assert slot["why"]  # a cancelled camp's slots too (issue 25)
            for candidate in slot["candidates"]:
                assert candidate["volunteer"] in site.head().volunteers
                # who gives their place up for them, when the camp has no room left
                assert set(candidate["displaces"]) <= set(site.head().volunteers)
    assert client.get("/api/camps/nope").status_code == 404
    assert client.get("/camps/nope").status_code == 404


def test_volunteer_search_normalises_persian_and_stays_out_of_the_address(web) -> None:
    _, client = web
    state = session(client)
    # Arabic yeh in the query, Persian yeh in the file; a zero-width non-joiner; digits
    for query in ("رضاي", "رضا\u200cیی", "v۰۱", "V01"):
        answer = client.post(
            "/api/volunteers/search", json={"q": query}, headers={"X-CSRF-Token": state["csrf"]}
        )
        assert answer.status_code == 200
        assert "v01" in {r["volunteer"] for r in answer.json()["results"]}, query
    page = client.post("/volunteers", data={"csrf": state["csrf"], "q": "علی"})
    assert page.status_code == 200 and "/volunteers/v01" in page.text
    assert "%D8" not in str(page.url)  # the name typed is not in the address


def test_a_volunteer_shows_skills_availability_and_itinerary(web) -> None:
    _, client = web
    data = client.get("/api/volunteers/v01").json()
    assert data["name"] == "علی رضایی" and data["skills"]
    assert client.get("/api/volunteers/v99").status_code == 404


def test_a_volunteers_page_shows_when_a_qualification_expires(tmp_path: Path) -> None:
    # The season starts 1400-04-10; v01's mason runs out on 1400-04-20, within a month.
    data = json.loads(TINY_PATH.read_text(encoding="utf-8"))
    data["volunteers"][0]["valid_until"] = {"mason": "1400-04-20"}
    path = write_instance(tmp_path / "expiring.json", data)
    site, client = served(path, tmp_path)
    try:
        skills = {s["id"]: s for s in client.get("/api/volunteers/v01").json()["skills"]}
        assert skills["camp_leader"]["valid_until"] is None
        assert skills["mason"]["expires_soon"] is True
        page = client.get("/volunteers/v01").text
        assert "معتبر تا" in page and "به‌زودی منقضی می‌شود" in page
        english = client.get("/lang/en?next=/volunteers/v01").text
        assert "valid until" in english and "expires soon" in english
    finally:
        site.close()


def test_the_best_volunteers_for_a_slot_and_camps_for_a_late_volunteer(web) -> None:
    # The tiny season's c1 has its two nurses and every bed taken: one more nurse slot
    # is ranked as a new slot, each option naming who would move (someone gives up a
    # bed at least).
    _, client = web
    slot = client.get("/api/camps/c1/fit?skill=nurse&lang=en").json()
    assert slot["camp"] == "c1" and slot["skill"] == "nurse"
    assert slot["options"] and all(o["skill"] == "nurse" for o in slot["options"])
    assert all(o["moves"] >= 1 for o in slot["options"])
    assert [o["coverage_change"] for o in slot["options"]] == sorted(
        (o["coverage_change"] for o in slot["options"]), reverse=True
    )
    page = client.get("/camps/c1/fit?skill=nurse").text
    assert 'id="fit"' in page and slot["options"][0]["volunteer"] in page
    heading = page.split("<h1>", 1)[1].split("</h1>", 1)[0]  # the role by its name
    assert "<bdi>پرستار</bdi>" in heading and "nurse" not in heading
    assert 'id="fit-form"' in client.get("/camps/c1").text
    refused = client.get("/api/camps/c2/fit?skill=physician")  # c2 asks for no physician
    assert refused.status_code == 400 and "asks for" in refused.json()["error"]
    assert client.get("/api/camps/c9/fit?skill=mason").status_code == 404

    # A late mason from Arak, as the instance file writes a volunteer (the API), and
    # the same typed into the volunteers page's form: c2 has one mason slot empty (three
    # asked, v04 and v12 in two) and a bed.
    late = {"id": "v99", "name": "late", "home": "arak", "skills": {"mason": 2}, "gender": "m"}
    found = post(client, "/api/volunteers/fit?lang=en", late).json()
    assert found["volunteer"] == "v99"
    assert found["options"][0]["camp"] == "c2"  # the one empty mason slot
    assert {n["camp"] for n in found["not_possible"]} == {"c1", "c3", "c4"}
    state = session(client)
    form = {"csrf": state["csrf"], "rev": state["rev"], "id": "v99", "home": "arak"}
    page = client.post("/volunteers/fit", data={**form, "skills": "mason:2", "gender": "m"})
    assert page.status_code == 200 and "بهترین اردوها" in page.text and "c2" in page.text
    assert "The best" not in page.text
    table = page.text.split('id="fit"', 1)[1].split("</table>", 1)[0]
    assert "<td><bdi>بنا</bdi></td>" in table and "mason" not in table  # a role by name
    bad = client.post("/volunteers/fit", data={**form, "home": "nowhere", "skills": "mason"})
    assert bad.status_code == 400 and "محل سکونت" in bad.text  # the form's label, in Persian
    assert "late_volunteer" not in client.get("/volunteers").text  # the form's words, not keys
    assert "داوطلب دیرآمده" in client.get("/volunteers").text


def test_the_late_volunteers_form_is_refused_in_the_pages_language(web) -> None:
    """Issue 25: the late volunteer's form was refused in English on the Persian page
    ("the form: 2 problems - home: unknown place 'nowhere'"): every problem in Persian,
    at the form's label (never a JSON key such as available[0][0]); English with the
    switch and to the API unless ?lang=fa."""
    _, client = web
    state = session(client)
    form = {"csrf": state["csrf"], "rev": state["rev"], "id": "v99", "gender": "m"}
    wrong = {
        **form,
        "home": "nowhere",
        "skills": "welder:2",
        "first": "1400-13-01",
        "last": "1400-05-01",
    }
    bad = client.post("/volunteers/fit", data=wrong)
    assert bad.status_code == 400
    text = unescape(bad.text).replace("\u2068", "").replace("\u2069", "")  # isolates
    assert "۳ مشکل" in text
    assert "محل سکونت: «nowhere» در فهرست مکان‌ها نیست" in text
    assert "مهارت‌ها: «welder» در فهرست مهارت‌ها نیست" in text
    assert "از: ۱۴۰۰/۱۳/۰۱ روزی از تقویم خورشیدی نیست" in text
    assert latin_words(bad.text, {"nowhere", "welder"}) == []  # no available[0][0], no form
    taken = client.post(
        "/volunteers/fit", data={**form, "id": "v01", "home": "arak", "skills": "بنا"}
    )
    assert taken.status_code == 400 and "شناسهٔ" in taken.text and "v01" in taken.text
    assert latin_words(taken.text, {"v01"}) == []
    english = client.post("/volunteers/fit", data=wrong, cookies={"campplanner_lang": "en"})
    assert english.status_code == 400 and "home: unknown place" in unescape(english.text)
    api = post(client, "/api/volunteers/fit", {"id": "v99", "home": "nowhere", "skills": {}})
    assert api.status_code == 400 and "home: unknown place 'nowhere'" in api.json()["error"]
    api = post(
        client, "/api/volunteers/fit?lang=fa", {"id": "v99", "home": "nowhere", "skills": {}}
    )
    said = api.json()["error"]
    assert api.status_code == 400 and "در فهرست مکان‌ها نیست" in said and "unknown" not in said


def test_a_late_volunteers_skills_are_typed_by_their_persian_names(web) -> None:
    """The late volunteer's form shows no skill id (issue 25): its example is in Persian,
    and skills are typed by name as well as by id, a name of two words between commas."""
    from campplanner.app.review.reads import late_record

    _, client = web
    state = session(client)
    form = {"csrf": state["csrf"], "rev": state["rev"], "id": "v99", "home": "arak"}
    page = client.post("/volunteers/fit", data={**form, "skills": "بنا:۲", "gender": "m"})
    assert page.status_code == 200 and "c2" in page.text  # the one empty mason slot
    assert "مثل پرستار:۲، بنا" in client.get("/volunteers").text
    names = {"camp_leader": "سرپرست اردو", "nurse": "پرستار", "mason": "بنا"}
    for typed, skills in {
        "سرپرست اردو:۳، پرستار": {"camp_leader": 3, "nurse": 1},
        "nurse:2 mason": {"nurse": 2, "mason": 1},
        "nurse:2 mason, camp_leader": {"nurse": 2, "mason": 1, "camp_leader": 1},
        "پرستار بنا:2": {"nurse": 1, "mason": 2},
    }.items():
        assert late_record({"id": "x", "skills": typed}, names)["skills"] == skills, typed


def test_solution_of_the_current_version_passes_the_checker(web, tmp_path: Path) -> None:
    _, client = web
    answer = client.get("/api/solution")
    assert answer.status_code == 200
    path = tmp_path / "current.json"
    path.write_bytes(answer.content)
    assert check(str(TINY_PATH), str(path)).ok
    version = client.get("/api/versions").json()["versions"][0]
    assert version["coverage"] == client.get("/api/overview").json()["coverage"] > 0


@pytest.mark.parametrize("kind", ["solution", "xlsx", "csv", "html"])
def test_every_version_downloads_in_every_format(web, tmp_path: Path, kind: str) -> None:
    _, client = web
    answer = client.get(f"/versions/1/download/{kind}")
    assert answer.status_code == 200
    assert "attachment" in answer.headers["content-disposition"]
    if kind == "xlsx":
        path = tmp_path / "roster.xlsx"
        path.write_bytes(answer.content)
        assert check(str(TINY_PATH), str(path)).ok
    if kind == "csv":
        assert zipfile.ZipFile(io.BytesIO(answer.content)).namelist()


def test_no_request_names_a_file_on_disk(web) -> None:
    _, client = web
    for url in (
        "/versions/1/download/../../pyproject.toml",
        "/versions/1/download/json",
        "/static/..%2F..%2Fcli.py",
        "/static/../web/app.py",
        "/fonts/..%2Fcli.py",
        "/fonts/OFL.txt",
        "/versions/99/download/solution",
        "/api/nothing",
    ):
        assert client.get(url).status_code == 404, url


# --------------------------------------------------------------- the edit loop


def test_lock_resolve_accept_makes_a_new_version_with_the_lock(web, tmp_path: Path) -> None:
    site, client = web
    before = triples(client.get("/api/solution").content)
    # someone not in c1 yet, who could fill one of its slots
    slot = (
        next(s for s in client.get("/api/camps/c1").json()["empty_slots"] if s["candidates"])
        if client.get("/api/camps/c1").json()["empty_slots"]
        else None
    )
    problem = site.head().problem
    if slot is None:  # c1 full: lock a member of another camp who could serve here
        camp_members = {v for v, c, _ in before if c == "c1"}
        pair = next(
            (
                problem.volunteer_ids[problem.candidate_volunteer[i]],
                problem.skill_ids[problem.candidate_skill[i]],
            )
            for i in range(problem.num_candidates)
            if problem.camp_ids[problem.candidate_camp[i]] == "c1"
            and problem.volunteer_ids[problem.candidate_volunteer[i]] not in camp_members
        )
    else:
        pair = (slot["candidates"][0]["volunteer"], slot["skill"])
    edit = post(
        client, "/api/edits", {"kind": "lock", "volunteer": pair[0], "camp": "c1", "skill": pair[1]}
    )
    assert edit.status_code == 200, edit.text
    assert f"<bdi>({pair[0]})</bdi>" in client.get("/edits").text  # its line, in Persian
    job = post(client, "/api/solve").json()["job"]
    state = wait_for_job(client, job)
    assert state["state"] == "done" and state["events"]
    diff = state["finished"]["diff"]
    assert (pair[0], "c1", pair[1]) not in before
    assert pair[0] in {e["volunteer"] for e in diff["added"] + diff["moved"]}
    panel = client.get(f"/jobs/{job}").text
    assert 'id="accept-form"' in panel and "hx-trigger" not in panel  # polling stopped
    accepted = post(client, f"/api/jobs/{job}/accept", {"comment": "قفل"})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["version"] == 2
    after = triples(client.get("/api/solution").content)
    assert (pair[0], "c1", pair[1]) in after
    path = tmp_path / "v2.json"
    path.write_bytes(client.get("/api/solution").content)
    assert check(str(TINY_PATH), str(path)).ok  # valid for the file the planner opened
    versions = client.get("/api/versions").json()["versions"]
    assert versions[0]["edits"][0]["kind"] == "lock" and versions[0]["comment"] == "قفل"
    assert client.get("/api/edits").json()["pending"] == []
    compared = client.get("/api/versions/compare", params={"a": 1, "b": 2}).json()
    # the same diff, less what only a re-solve knows: which changes its edits needed
    solved = {k: v for k, v in diff.items() if k not in ("needed", "improvements")}
    for key in ("added", "removed", "moved"):
        solved[key] = [{k: v for k, v in e.items() if k != "needed"} for e in diff[key]]
    assert compared["diff"] == solved | {"camps_affected": compared["diff"]["camps_affected"]}
    assert post(client, "/api/versions/2/publish").json()["published"] == 2
    actions = [a["action"] for a in client.get("/api/audit").json()["audit"]]
    assert "download" in actions  # the roster names people: every download is recorded
    changes = [a for a in actions if a != "download"]
    assert changes[:4] == ["publish", "accept", "edit", "accept"]
    assert "<del>" in client.get("/versions/compare?a=1&b=2").text or diff["added"]


def test_a_page_replan_with_a_freeze_date_changes_nothing_before_it(web) -> None:
    # A nurse of c1 (not essential there) becomes unavailable. Re-planned with "keep
    # camps starting before 1400-04-15", c1 (04-10) loses her and gains nobody, c2
    # (04-13) is as published.
    _, client = web
    before = triples(client.get("/api/solution").content)
    member = sorted(v for v, c, s in before if c == "c1" and s == "nurse")[-1]
    edit = {"kind": "unavailable", "volunteer": member, "first": "1400-04-01", "last": "1400-04-31"}
    assert post(client, "/api/edits", edit).status_code == 200
    refused = post(client, "/api/solve", {"freeze_until": "1400-13-40"})
    assert refused.status_code == 400 and "freeze until" in refused.json()["error"]
    job = post(client, "/api/solve", {"freeze_until": "۱۴۰۰-۰۴-۱۵"}).json()["job"]
    state = wait_for_job(client, job)
    assert state["state"] == "done", state
    assert post(client, f"/api/jobs/{job}/accept", {"comment": ""}).status_code == 200
    after = triples(client.get("/api/solution").content)

    def of(roster: set[tuple[str, str, str]], camp: str) -> set[tuple[str, str, str]]:
        return {t for t in roster if t[1] == camp}

    assert of(after, "c1") == {t for t in of(before, "c1") if t[0] != member}
    assert of(after, "c2") == {t for t in of(before, "c2") if t[0] != member}
    assert 'name="freeze_until"' in client.get("/edits").text


def test_every_edit_kind_is_recorded_never_written_to_the_files(web) -> None:
    _, client = web
    original = TINY_PATH.read_bytes()
    roster = client.get("/api/solution").json()["assignments"]
    first = roster[0]
    v, c, s = first["volunteer"], first["camp"], first["skill"]
    other = next(a for a in roster if a["volunteer"] != v)  # a lock and a remove of one
    for body in (  # person would contradict each other (test_edit_conflicts.py)
        {"kind": "lock", "volunteer": v, "camp": c, "skill": s},
        {"kind": "remove", "volunteer": other["volunteer"], "camp": other["camp"]},
        {"kind": "forbid", "volunteer": "v02", "camp": "c4"},
        {"kind": "unavailable", "volunteer": "v03", "first": "۱۴۰۰/۰۵/۰۱", "last": "1400-05-10"},
    ):
        answer = post(client, "/api/edits", body)
        assert answer.status_code == 200, (body, answer.text)
    pending = client.get("/api/edits").json()["pending"]
    assert [e["kind"] for e in pending] == ["lock", "remove", "forbid", "unavailable"]
    assert pending[3]["ops"][0]["first"] == "1400-05-01"
    edit_id = pending[0]["id"]
    assert (
        client.request(
            "DELETE",
            f"/api/edits/{edit_id}",
            json={"rev": session(client)["rev"]},
            headers={"X-CSRF-Token": session(client)["csrf"]},
        ).status_code
        == 200
    )
    assert len(client.get("/api/edits").json()["pending"]) == 3
    assert TINY_PATH.read_bytes() == original


@pytest.mark.parametrize(
    "body, message",
    [
        ({"kind": "lock", "volunteer": "nobody", "camp": "c1", "skill": "nurse"}, "no volunteer"),
        ({"kind": "lock", "volunteer": "v01", "camp": "nowhere", "skill": "nurse"}, "no camp"),
        ({"kind": "lock", "volunteer": "v01", "camp": "c1", "skill": "astronaut"}, "does not ask"),
        (
            {
                "kind": "unavailable",
                "volunteer": "v01",
                "first": "1400-13-01",
                "last": "1400-13-02",
            },
            "not a day",
        ),
        ({"kind": "teleport", "volunteer": "v01"}, "unknown edit"),
    ],
)
def test_a_bad_edit_is_a_clear_message_and_nothing_is_stored(web, body, message) -> None:
    _, client = web
    answer = post(client, "/api/edits", body)
    assert answer.status_code == 400 and message in answer.json()["error"]
    assert client.get("/api/edits").json()["pending"] == []


def test_discard_and_cancel_keep_the_current_version(web, monkeypatch) -> None:
    site, client = web
    job = post(client, "/api/solve").json()["job"]
    post(client, f"/api/jobs/{job}/cancel")
    wait_for_job(client, job)
    assert post(client, f"/api/jobs/{job}/discard").status_code == 200
    assert client.get("/api/versions").json()["versions"][0]["id"] == 1
    assert client.get(f"/api/jobs/{job}").status_code == 404
    monkeypatch.setattr(site, "running_job", lambda: "7")
    answer = post(client, "/api/solve")  # one solve at a time: two cores, shared
    assert answer.status_code == 400 and "already running" in answer.json()["error"]


def test_page_forms_post_with_csrf_and_redirect(web) -> None:
    _, client = web
    state = session(client)
    answer = client.post(
        "/edits",
        data={
            "csrf": state["csrf"],
            "rev": state["rev"],
            "kind": "forbid",
            "volunteer": "v01",
            "camp": "c2",
            "next": "/camps/c2",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/camps/c2"
    answer = client.post(
        "/solve", data={"csrf": state["csrf"], "rev": state["rev"] + 1}, follow_redirects=False
    )
    assert answer.status_code == 303
    job = answer.headers["location"].split("#job-")[1]
    panel = client.get(f"/jobs/{job}").text
    assert f'id="job-{job}"' in panel
    wait_for_job(client, job)
    assert 'id="accept-form"' in client.get("/edits").text


# ------------------------------------------------------------------- refusals


def test_state_changes_without_the_csrf_token_are_refused(web) -> None:
    _, client = web
    rev = session(client)["rev"]
    for headers in ({}, {"X-CSRF-Token": "forged"}):
        answer = client.post(
            "/api/edits",
            json={"rev": rev, "kind": "forbid", "volunteer": "v01", "camp": "c1"},
            headers=headers,
        )
        assert answer.status_code == 403 and "CSRF" in answer.json()["error"]
    assert (
        client.post(
            "/edits", data={"kind": "forbid", "volunteer": "v01", "camp": "c1", "rev": rev}
        ).status_code
        == 403
    )
    assert client.post("/versions/1/publish", data={"rev": rev}).status_code == 403
    assert client.get("/api/edits").json()["pending"] == []


def test_a_stale_edit_from_a_second_tab_is_refused_and_nothing_lost(web) -> None:
    _, client = web
    state = session(client)
    headers = {"X-CSRF-Token": state["csrf"]}
    first = client.post(
        "/api/edits",
        json={"rev": state["rev"], "kind": "forbid", "volunteer": "v01", "camp": "c1"},
        headers=headers,
    )
    second = client.post(
        "/api/edits",
        json={"rev": state["rev"], "kind": "forbid", "volunteer": "v02", "camp": "c1"},
        headers=headers,
    )
    assert first.status_code == 200
    assert second.status_code == 409 and "reload" in second.json()["error"]
    page = client.post(
        "/edits",
        data={
            "csrf": state["csrf"],
            "rev": state["rev"],
            "kind": "forbid",
            "volunteer": "v02",
            "camp": "c1",
        },
    )
    assert page.status_code == 409 and "صفحه را دوباره باز کنید" in page.text  # Persian
    assert [
        e["ops"][0]["pairs"][0]["volunteer"] for e in client.get("/api/edits").json()["pending"]
    ] == ["v01"]
    assert (
        client.post(
            "/api/edits", json={"kind": "forbid", "volunteer": "v02", "camp": "c1"}, headers=headers
        ).status_code
        == 400
    )  # no revision at all


def test_another_host_needs_the_token_on_every_request(tmp_path: Path, published: Path) -> None:
    site, client = served(TINY_PATH, tmp_path, solution=published, host="0.0.0.0")
    token = site.token
    assert token
    assert client.get("/").status_code == 401
    assert client.get("/api/solution").status_code == 401
    assert client.get("/static/app.css").status_code == 401
    assert client.get("/?token=wrong").status_code == 403
    assert client.get("/", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert (
        client.get("/api/overview", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    )
    first = client.get(f"/camps?token={token}&status=short", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/camps?status=short"
    assert "httponly" in first.headers["set-cookie"].lower()
    assert client.get("/camps").status_code == 200  # the cookie from now on
    site.close()


def test_without_a_token_only_local_names_are_answered(web) -> None:
    _, client = web
    for host in ("127.0.0.1:8000", "localhost", "[::1]:8000"):
        assert client.get("/", headers={"Host": host}).status_code == 200, host
    # a page of evil.example whose name now points at 127.0.0.1 (DNS rebinding)
    answer = client.get("/api/session", headers={"Host": "evil.example:8000"})
    assert answer.status_code == 403 and "csrf" not in answer.text


def test_an_oversized_upload_is_refused(web) -> None:
    site, client = web
    state = session(client)
    big = b"{" + b" " * (site.max_upload + 10) + b"}"
    answer = client.post(
        "/scenarios",
        data={"csrf": state["csrf"], "rev": state["rev"]},
        files={"files": ("big.json", big, "application/json")},
    )
    assert answer.status_code == 413
    assert not any(site.scratch.iterdir())


def test_a_bad_scenario_file_is_a_clear_message_and_nothing_is_kept(web) -> None:
    site, client = web
    state = session(client)
    bad = json.dumps(
        {
            "name": "away",
            "edits": [
                {
                    "op": "unavailable",
                    "volunteers": ["v99"],
                    "first": "1400-05-01",
                    "last": "1400-05-03",
                }
            ],
        }
    )
    answer = client.post(
        "/scenarios",
        data={"csrf": state["csrf"]},
        files={"files": ("away.json", bad.encode(), "application/json")},
    )
    assert answer.status_code == 400 and "v99" in answer.text
    assert str(site.scratch) not in answer.text  # no path of the server's disk
    assert not any(site.scratch.iterdir())
    answer = client.post(
        "/scenarios",
        data={"csrf": state["csrf"]},
        files={"files": ("x.json", b"\xff\xfe not json", "application/json")},
    )
    assert answer.status_code == 400


def test_scenarios_are_compared_side_by_side(web) -> None:
    _, client = web
    state = session(client)
    good = json.dumps(
        {"name": "بدون v01", "edits": [{"op": "remove_volunteers", "volunteers": ["v01"]}]}
    )
    answer = client.post(
        "/api/scenarios",
        data={"csrf": state["csrf"]},
        files={"files": ("s.json", good.encode(), "application/json")},
    )
    assert answer.status_code == 200, answer.text
    state = wait_for_job(client, answer.json()["job"])
    names = [s["name"] for s in state["report"]["scenarios"]]
    assert names == ["base", "بدون v01"]
    assert state["report"]["solved"] == "re-planned from the base"
    page = client.get("/scenarios").text
    assert "side-by-side" in page and "بدون v01" in page
    assert "کمترین تغییر" in page  # the page says how the scenarios were solved
    # every word Persian but the file's ids: the base, its progress, the statuses; the
    # cancelled camps counted (without v01, c1 cannot run)
    data = json.loads(TINY_PATH.read_text(encoding="utf-8"))
    ids = {item["id"] for key in ("volunteers", "camps", "places", "groups") for item in data[key]}
    assert latin_words(page, ids) == []
    assert "حل شد برنامهٔ پایه" in page and "بهینه" in page
    cancelled = re.search(r"<th>لغو</th>(.*?)</tr>", page, re.S)
    assert cancelled and re.findall(r">(.*?)</td>", cancelled.group(1)) == ["۰", "۱"]
    english = client.get("/lang/en?next=/scenarios").text
    assert "solved base" in english and ">optimal</td>" in english
    assert "<th><bdi>base</bdi></th>" not in english and "<th>base</th>" in english


# ---------------------------------------------------------------- hostile names

HOSTILE = [
    "<script>alert(1)</script>",
    "</style><b>x</b>",
    "=1+1",
    "javascript:alert(1)",
    "\u202eevil\u202c",
    '"><img src=x onerror=alert(1)>',
]


def test_hostile_names_are_shown_as_text(tmp_path: Path) -> None:
    data = make_instance(
        places=[place("arak", 34.09, 49.69, county=HOSTILE[1]), place("village", 34.2, 49.5)],
        volunteers=[
            volunteer(f"v{k}", name=name, skills={"nurse": 1}) for k, name in enumerate(HOSTILE)
        ]
        + [volunteer("javascript:alert(2)", name=HOSTILE[0])],
        camps=[
            camp(
                'c1"><script>alert(3)</script>',
                name=HOSTILE[0],
                requirements=[requirement("nurse", count=3)],
            ),
            camp("c2", name=HOSTILE[3], requirements=[requirement("nurse", count=5)]),
        ],
    )
    data["skills"][1]["name"] = HOSTILE[1]
    instance = write_instance(tmp_path / "hostile.json", data)
    site, client = served(instance, tmp_path, solution=solved(instance, tmp_path))
    pages = [
        "/",
        "/camps",
        "/camps/c2",
        "/volunteers/v0",
        "/edits",
        "/versions",
        "/volunteers/javascript:alert(2)",
    ]
    pages.append(
        "/camps/"
        + 'c1"><script>alert(3)</script>'.replace("/", "%2F")
        .replace('"', "%22")
        .replace("<", "%3C")
        .replace(">", "%3E")
    )
    for url in pages:
        answer = client.get(url)
        assert answer.status_code == 200, (url, answer.text[:300])
        html = answer.text
        assert "<script>alert" not in html and "<img" not in html and "<b>x" not in html, url
        assert not re.search(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", html, re.I)
        assert "\u202e" not in html or "<bdi>\u202e" in html  # overrides stay inside <bdi>
    state = session(client)
    found = client.post("/volunteers", data={"csrf": state["csrf"], "q": "script"}).text
    assert "&lt;script&gt;" in found and "<script>alert" not in found
    site.close()


# ------------------------------------------------------------------ persistence


def test_restarting_mid_solve_loses_no_accepted_version(tmp_path: Path, published: Path) -> None:
    site, client = served(TINY_PATH, tmp_path, solution=published)
    post(client, "/api/edits", {"kind": "forbid", "volunteer": "v01", "camp": "c1"})
    job = post(client, "/api/solve").json()["job"]
    wait_for_job(client, job)
    post(client, f"/api/jobs/{job}/accept", {"comment": "kept"})
    post(client, "/api/edits", {"kind": "forbid", "volunteer": "v02", "camp": "c1"})
    post(client, "/api/solve")  # the server dies while this one runs
    site.close()
    site.workspace.close()
    again, client = served(TINY_PATH, tmp_path, solution=published)
    versions = client.get("/api/versions").json()["versions"]
    assert [v["id"] for v in versions] == [2, 1] and versions[0]["comment"] == "kept"
    assert len(client.get("/api/edits").json()["pending"]) == 1
    again.close()


def test_the_workspace_is_next_to_the_instance_by_default(tmp_path: Path) -> None:
    from campplanner.workspace import default_workspace_url

    assert default_workspace_url(str(tmp_path / "season.json.gz")).endswith(
        "season.workspace.sqlite"
    )
    Workspace(default_workspace_url(str(tmp_path / "x.json"))).close()
    assert (tmp_path / "x.workspace.sqlite").exists()


def test_a_member_can_be_swapped_for_a_ranked_replacement(web) -> None:
    _, client = web
    found = None
    for camp_id in ("c1", "c2", "c3", "c4"):
        for member in client.get(f"/api/camps/{camp_id}").json()["team"]:
            data = client.get(
                f"/api/camps/{camp_id}", params={"replace": member["volunteer"]}
            ).json()
            if data["replacements"]:
                found = (camp_id, member, data["replacements"][0])
                break
        if found:
            break
    assert found, "somebody in tiny.json can be replaced"
    camp_id, member, first = found
    page = client.get(f"/camps/{camp_id}", params={"replace": member["volunteer"]}).text
    assert 'id="swaps"' in page and "button" in page
    answer = post(
        client,
        "/api/edits",
        {
            "kind": "swap",
            "volunteer": first["volunteer"],
            "camp": camp_id,
            "skill": first["skill"],
            "out": member["volunteer"],
        },
    )
    assert answer.status_code == 200, answer.text
    ops = client.get("/api/edits").json()["pending"][0]["ops"]
    assert [op["op"] for op in ops] == ["lock", "forbid"]
    assert ops[1]["pairs"] == [{"volunteer": member["volunteer"], "camp": camp_id}]


# ------------------------------------------------------------- the command line


def test_serve_refuses_bad_files_and_urls_before_starting(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from campplanner.cli import main

    runner = CliRunner()
    bad = tmp_path / "bad.json"
    bad.write_text('{"skills": []}', encoding="utf-8")
    result = runner.invoke(main, ["serve", str(bad)])
    assert result.exit_code == 2 and "bad.json" in result.output
    assert not (tmp_path / "bad.workspace.sqlite").exists()  # nothing created
    result = runner.invoke(main, ["serve", str(TINY_PATH), "--db", "nosuchdb://x"])
    assert result.exit_code == 2 and "cannot open the workspace" in result.output
    result = runner.invoke(
        main, ["serve", str(TINY_PATH), "--db", "sqlite://", "--workspace", "x.sqlite"]
    )
    assert result.exit_code == 2
    assert "serve" in runner.invoke(main, ["--help"]).output


def test_a_roster_workbook_can_be_opened_as_the_published_roster(web, tmp_path: Path) -> None:
    _, client = web
    workbook = tmp_path / "roster.xlsx"
    workbook.write_bytes(client.get("/versions/1/download/xlsx").content)
    (tmp_path / "other").mkdir()
    site, other = served(TINY_PATH, tmp_path / "other", solution=workbook)
    path = tmp_path / "from-workbook.json"
    path.write_bytes(other.get("/api/solution").content)
    assert check(str(TINY_PATH), str(path)).ok
    assert triples(path.read_bytes()) == triples(client.get("/api/solution").content)
    site.close()


def test_long_camp_tables_come_in_pages(web, monkeypatch) -> None:
    from campplanner.app.review import reads as views

    _, client = web
    monkeypatch.setattr(views, "CAMPS_PER_PAGE", 3)
    first = client.get("/api/camps").json()
    second = client.get("/api/camps", params={"page": 2}).json()
    assert (first["pages"], first["shown"], second["shown"]) == (2, 3, 1)
    assert {r["id"] for r in first["rows"] + second["rows"]} == {"c1", "c2", "c3", "c4"}
    page = client.get("/camps", params={"q": "c", "page": 2}).text
    assert 'rel="prev" href="/camps?q=c&amp;page=1"' in page


# ------------------------------------------------- reasons in the page's language


def _camp_with_empty_slots(client) -> tuple[str, dict]:
    for camp_id in ("c1", "c2", "c3", "c4"):
        data = client.get(f"/api/camps/{camp_id}").json()
        if data["empty_slots"]:
            return camp_id, data
    raise AssertionError("tiny.json's roster leaves a slot empty")


def test_empty_slot_reasons_are_persian_by_default_and_english_with_the_switch(web) -> None:
    _, client = web
    camp_id, persian = _camp_with_empty_slots(client)
    slot = persian["empty_slots"][0]
    assert persian["lang"] == "fa"
    for text in (slot["why"], slot["fix"]):
        assert re.search("[\u0600-\u06ff]", text), text
        assert not re.search(r"\b(people|person|free|available|serves|more)\b", text), text
    english = client.get(f"/api/camps/{camp_id}", params={"lang": "en"}).json()
    assert english["lang"] == "en"
    slot_en = english["empty_slots"][0]
    assert re.search(r"\b(people|person)\b", slot_en["why"]) and slot_en["why"] != slot["why"]
    # the page: Persian first, then English once the switch is pressed
    assert slot["why"] in client.get(f"/camps/{camp_id}").text.replace("&#34;", '"')
    page_en = client.get(f"/lang/en?next=/camps/{camp_id}").text
    assert '<html lang="en" dir="ltr">' in page_en
    import html

    assert html.escape(slot_en["why"]) in page_en and html.escape(slot["why"]) not in page_en


# ---------------------------------------------------------------- reserves


def test_a_camps_reserves_are_shown_when_the_roster_has_them(
    tmp_path: Path, published: Path
) -> None:
    """``solve --reserves K`` writes reserves per camp: the camp page and the API show
    them (name, group, home, km, fill-ins); a roster without them shows none."""
    data = json.loads(published.read_text(encoding="utf-8"))
    rostered = {a["volunteer"] for a in data["assignments"]}
    off = sorted({f"v{k:02d}" for k in range(1, 13)} - rostered)
    assert off, "tiny.json has someone off the roster"
    data["reserves"] = {
        "runs": 20,
        "no_show": 0.05,
        "seed": 0,
        "time_limit_per_run": 10.0,
        "camps": [
            {
                "camp": "c1",
                "reserves": [{"volunteer": off[0], "fill_ins": 7, "share_of_runs": 0.35}],
            }
        ],
    }
    with_reserves = tmp_path / "with-reserves.json"
    with_reserves.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    site, client = served(TINY_PATH, tmp_path, solution=with_reserves)
    try:
        camp = client.get("/api/camps/c1").json()
        (reserve,) = camp["reserves"]
        volunteer = client.get(f"/api/volunteers/{off[0]}").json()
        assert reserve["volunteer"] == off[0] and reserve["name"] == volunteer["name"]
        assert reserve["home"] == volunteer["home"] and reserve["group"] == volunteer["group"]
        assert reserve["km"] >= 0 and (reserve["fill_ins"], reserve["share_of_runs"]) == (7, 0.35)
        page = client.get("/camps/c1").text
        assert 'id="reserves"' in page and f"/volunteers/{off[0]}" in page
        assert "۳۵٫۰٪" in page  # the share of runs, in Persian digits
        assert client.get("/api/camps/c2").json()["reserves"] == []
        assert 'id="reserves"' not in client.get("/camps/c2").text
    finally:
        site.close()
    (tmp_path / "plain").mkdir()
    site, client = served(TINY_PATH, tmp_path / "plain", solution=published)
    try:
        assert client.get("/api/camps/c1").json()["reserves"] == []
    finally:
        site.close()


# ------------------------------------------------------- live filters (htmx)

HTMX = {"HX-Request": "true"}


def test_the_camps_table_filters_live_without_reloading_the_page(web) -> None:
    _, client = web
    page = client.get("/camps").text
    # the form asks htmx for the table alone: on every change, and as the search is typed
    assert 'hx-get="/camps"' in page and 'hx-target="#camps-results"' in page
    assert 'hx-trigger="input changed delay:300ms, search"' in page  # debounced
    assert 'hx-push-url="true"' in page  # the address keeps the filters (back, bookmarks)
    every = client.get("/api/camps").json()["rows"]
    status = every[0]["status"]
    part = client.get("/camps", params={"status": status, "q": ""}, headers=HTMX)
    assert part.status_code == 200 and part.headers["vary"] == "HX-Request"
    assert "<html" not in part.text
    assert 'id="camps-results"' in part.text and "<form" not in part.text
    shown = set(re.findall(r'href="/camps/([^"?#]+)"', part.text))
    assert shown == {r["id"] for r in every if r["status"] == status}
    # the search as typed, normalised (an Arabic kaf or yeh for the Persian one)
    name = every[0]["name"]
    typed = name.replace("ی", "ي").replace("ک", "ك")[: max(2, len(name) // 2)]
    found = client.get("/camps", params={"q": typed}, headers=HTMX).text
    assert f'href="/camps/{every[0]["id"]}"' in found
    # going back in history (htmx asks again for the page): the whole page
    back = client.get(
        "/camps", params={"status": status}, headers=HTMX | {"HX-History-Restore-Request": "true"}
    )
    assert "<html" in back.text


def test_a_date_half_typed_in_a_live_filter_is_said_in_the_table(web) -> None:
    _, client = web
    part = client.get("/camps", params={"from": "1400-0", "status": ""}, headers=HTMX)
    assert part.status_code == 400  # swapped in all the same (base.html's htmx config)
    assert 'id="camps-results"' in part.text and "از: \u20681400-0\u2069 تاریخ نیست" in part.text
    assert "is not a date" not in part.text  # said in the page's language (issue 25)
    assert "<html" not in part.text
    both = client.get("/camps", params={"from": "1400-0", "to": "x", "page": "²"}).text
    assert "تا: \u2068x\u2069 تاریخ نیست" in both and "صفحه: \u2068²\u2069 شمارهٔ صفحه نیست" in both
    english = client.get("/camps", params={"from": "1400-0"}, cookies={"campplanner_lang": "en"})
    assert "from: &#39;1400-0&#39; is not a date (YYYY-MM-DD)" in english.text
    assert '"code": "400", "swap": true' in client.get("/camps").text
    api = client.get("/api/camps", params={"from": "1400-0"})  # the API: English for scripts
    assert api.status_code == 400 and "is not a date" in api.json()["error"]
    persian = client.get("/api/camps", params={"from": "1400-0", "lang": "fa"}).json()["error"]
    assert "تاریخ نیست" in persian


def test_volunteers_are_searched_as_the_name_is_typed(web) -> None:
    _, client = web
    page = client.get("/volunteers").text
    assert 'hx-post="/volunteers"' in page and "delay:300ms" in page
    assert 'hx-target="#volunteer-results"' in page
    csrf = session(client)["csrf"]
    for typed in ("رضاي", "رضا\u200cیی", "v۰۱"):  # Arabic yeh, a ZWNJ, Persian digits
        part = client.post("/volunteers", data={"csrf": csrf, "q": typed}, headers=HTMX)
        assert part.status_code == 200 and "<html" not in part.text
        assert 'id="volunteer-results"' in part.text and "/volunteers/v01" in part.text, typed
    cleared = client.post("/volunteers", data={"csrf": csrf, "q": " "}, headers=HTMX).text
    assert "/volunteers/v" not in cleared and "چیزی پیدا نشد" not in cleared  # no "nothing found"
    # still a POST with the CSRF token: a name never lands in an address
    assert client.post("/volunteers", data={"q": "علی"}, headers=HTMX).status_code == 403


# ------------------------------------------------- the re-plan within its time limit


def test_a_resolve_is_shown_at_its_limit_even_if_the_solver_overruns(web, monkeypatch) -> None:
    """A solver phase that does not watch the clock (a model being built) cannot hold the
    page past the limit: the job stops the solve at the limit, takes the best roster it
    holds a second later, and shows its diff; accepting it stores that very roster."""
    import threading
    import time

    from campplanner.app import solving

    released = threading.Event()
    real = solving.make_solver

    class Stubborn:
        """Solves, then sits in a phase that hears no stop (until the test ends)."""

        def __init__(self, *args, **kwargs):
            self.inner = real(*args, **kwargs)
            self.held = None

        def stop(self) -> None:
            pass

        def snapshot(self):
            return self.held

        def solve(self, progress=None, started=None):
            self.held = self.inner.solve(progress, started)
            released.wait(120)
            return self.held

    site, client = web
    site.time_limit = 3.0
    monkeypatch.setattr(solving, "make_solver", Stubborn)
    try:
        clicked = time.monotonic()
        job = post(client, "/api/solve").json()["job"]
        state = wait_for_job(client, job, timeout=60)
        waited = time.monotonic() - clicked
        assert waited < 30, f"the page waited {waited:.0f} s for a 3 s re-solve"
        assert state["state"] == "done" and "diff" in state["finished"], state
        accepted = post(client, f"/api/jobs/{job}/accept", {"comment": "in time"})
        assert accepted.status_code == 200, accepted.text
        stored = json.loads(client.get("/api/solution").content)
        assert stored["explained"] is False and stored["status"] == state["finished"]["status"]
        assert stored["replan"]["people_changed"] == state["finished"]["diff"]["people_changed"]
    finally:
        released.set()


def test_downloads_carry_the_reasons_in_the_pages_language(web) -> None:
    """The report of a version says why slots are empty and what would fill them, as
    `export` does, in the language of the page it was asked from."""
    import html

    _, client = web
    camp_id, persian = _camp_with_empty_slots(client)
    fix_fa = persian["empty_slots"][0]["fix"]
    fix_en = client.get(f"/api/camps/{camp_id}", params={"lang": "en"}).json()["empty_slots"][0][
        "fix"
    ]
    report = client.get("/versions/1/download/html").text
    assert html.escape(fix_fa) in report
    report_en = client.get("/versions/1/download/html", params={"lang": "en"}).text
    assert html.escape(fix_en) in report_en and html.escape(fix_fa) not in report_en


def test_a_comparison_whose_search_was_cut_says_so_in_the_pages_language() -> None:
    """Issue 26: a column cut before its gap closed shows how far the search got; the
    page marks it and says what that means, in Persian and in English."""
    from html import unescape

    from campplanner.web.i18n import Words
    from campplanner.web.render import environment

    scenarios = [
        {"name": "base", "status": "feasible", "coverage": 1179, "search": "cut"},
        {
            "name": "x",
            "status": "optimal",
            "coverage": 1150,
            "search": "closed",
            "against_base": {"people_added": 1, "people_removed": 0, "people_moved": 0},
        },
    ]
    job = {
        "id": "j1",
        "state": "done",
        "names": ["x"],
        "events": [],
        "error": None,
        "report": {"solved": "re-planned from the base", "scenarios": scenarios},
    }
    template = environment().get_template("scenario_job.html")
    for lang, cut, note in (
        ("fa", "نیمه‌کاره", "ممکن است از جست‌وجو باشد"),
        ("en", "cut short", "may be the search's, not the scenario's"),
    ):
        html = unescape(
            template.render(t=Words(lang, "jalali"), job=job, csrf="c", path="/scenarios")
        )
        assert cut in html and note in html, html
    scenarios[0]["search"] = "closed"
    html = template.render(t=Words("en", "jalali"), job=job, csrf="c", path="/scenarios")
    assert "cut short" not in html and "complete" in html


def test_a_cancelled_comparison_says_so_in_the_pages_language() -> None:
    """Cancelled after the base: how far it got, in Persian digits on a Persian page
    (it was the exception's English), as it was in English."""
    from html import unescape

    from campplanner.app.review.background import Comparison
    from campplanner.app.review.comparisons import comparison_state
    from campplanner.web.i18n import Words
    from campplanner.web.render import environment
    from campplanner.whatif.compare import ComparisonStopped

    class Stopped:  # a finished job whose comparison was cancelled
        state, error = "failed", ComparisonStopped(1, 2)

        def events(self) -> list:
            return []

        def wait(self, timeout: float) -> bool:
            return True

    job = comparison_state(Comparison(Stopped(), ["base", "x"], Path(".")), "j1")  # type: ignore[arg-type]
    assert job["stopped"] == {"solved": 1, "total": 2}
    template = environment().get_template("scenario_job.html")
    said = {
        lang: unescape(template.render(t=Words(lang, "jalali"), job=job, csrf="c", path="/"))
        for lang in ("fa", "en")
    }
    assert "متوقف شد: ۱ از ۲ سناریو حل شده بود؛ گزارشی نیست" in said["fa"]
    assert latin_words(said["fa"], {"x"}) == []
    assert "stopped: 1 of 2 scenarios were solved; no report" in said["en"]
