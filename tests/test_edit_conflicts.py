"""Two planners at once (issue 25): contradicting edits, stale re-solves and accepts.

Two accounts of a workspace with accounts (issue 23) record edits on the same people:
the second of two edits that cannot both hold (a lock and a remove of one camp, a lock
and the person away on its days, two locks into camps one person cannot join together)
is refused, naming the first edit and who typed it, in Persian on a Persian page with a
button that drops the first; a re-solve with contradicting edits recorded before this
check is refused naming both; a second accept of a re-solve, and a re-solve asked from a
page that showed a version someone has replaced since, are refused saying who accepted
which version and when.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from builders import TINY_PATH, emptied
from web_helpers import served, solved, wait_for_job

PASSWORD = "a long pass phrase"
PG_URL = os.environ.get("CAMPPLANNER_TEST_PG_URL")


@pytest.fixture(scope="module")
def roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return solved(TINY_PATH, tmp_path_factory.mktemp("roster"))


@pytest.fixture(params=["sqlite", "postgresql"])
def site(request: pytest.FixtureRequest, roster: Path, tmp_path: Path):
    """tiny.json served with two planners: the province ``maryam`` and the county
    coordinator of khomein ``reza`` (camp c1 is khomein's); on SQLite, and on
    PostgreSQL when ``CAMPPLANNER_TEST_PG_URL`` names a server."""
    url = None
    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip("PostgreSQL: set CAMPPLANNER_TEST_PG_URL to run it")
        url = emptied(PG_URL)
    session, client = served(TINY_PATH, tmp_path, solution=roster, url=url)
    session.accounts.add("maryam", "province", PASSWORD)
    session.accounts.add("reza", "county", PASSWORD, counties=["khomein"])
    session.accounts.add("sara", "province", PASSWORD)
    session.accounts.add("ali", "camp-leader", PASSWORD, camps=["c1"])
    yield session, client
    session.close()
    session.workspace.close()


def _as(site, name: str) -> tuple[TestClient, str]:
    _, client = site
    other = TestClient(client.app, base_url="http://127.0.0.1:8000")
    answer = other.post("/api/login", json={"name": name, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return other, answer.json()["csrf"]


def _post(client: TestClient, csrf: str, url: str, body: dict | None = None, lang: str = ""):
    rev = client.get("/api/session").json()["rev"]
    return client.post(
        url + (f"?lang={lang}" if lang else ""),
        json={"rev": rev, **(body or {})},
        headers={"X-CSRF-Token": csrf},
    )


def _form(client: TestClient, csrf: str, url: str, fields: dict) -> object:
    rev = client.get("/api/session").json()["rev"]
    return client.post(url, data={"csrf": csrf, "rev": rev, **fields})


def _main(html: str) -> str:
    """The text of a page's main part, tags out."""
    return re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1].split("</main>", 1)[0])


def _no_english(text: str) -> None:
    """No Latin word on a Persian page but ids (v03, c1) and account names."""
    left = re.sub(r"\b(?:v\d+|c\d+|maryam|reza|sara|UTC)\b", "", text)
    assert not re.search(r"[A-Za-z]{2,}", left), left


LOCK_V03 = {"kind": "lock", "volunteer": "v03", "camp": "c1", "skill": "nurse"}


def test_a_lock_of_someone_another_planner_removed_is_refused_naming_them(site) -> None:
    maryam, maryam_csrf = _as(site, "maryam")
    reza, reza_csrf = _as(site, "reza")
    first = _post(
        maryam, maryam_csrf, "/api/edits", {"kind": "remove", "volunteer": "v03", "camp": "c1"}
    )
    assert first.status_code == 200, first.text
    second = _post(reza, reza_csrf, "/api/edits", LOCK_V03)
    assert second.status_code == 409, second.text
    error = second.json()["error"]
    assert f"edit {first.json()['id']} by maryam" in error and "v03" in error
    assert "nothing was recorded" in error
    # in Persian on the page, with a button that drops the first edit
    page = _form(reza, reza_csrf, "/edits", LOCK_V03 | {"next": "/camps/c1"})
    assert page.status_code == 409
    text = _main(page.text)
    assert "maryam" in text and "ناسازگار" in text and "تغییرهای ناسازگار" in text
    _no_english(text)
    assert f'action="/edits/{first.json()["id"]}/delete"' in page.text
    assert "v03" in _post(reza, reza_csrf, "/api/edits", LOCK_V03, lang="fa").json()["error"]
    pending = maryam.get("/api/edits").json()["pending"]
    assert [(e["kind"], e["by"]) for e in pending] == [("remove", "maryam")]
    # resolved: the first dropped (audited), the lock is recorded
    assert _form(reza, reza_csrf, f"/edits/{first.json()['id']}/delete", {}).status_code == 200
    assert _post(reza, reza_csrf, "/api/edits", LOCK_V03).status_code == 200
    assert [e["by"] for e in maryam.get("/api/edits").json()["pending"]] == ["reza"]


def test_a_drop_button_is_shown_only_to_who_may_drop_that_edit(site) -> None:
    """The conflict page and the edits page offer to drop an edit only to a planner
    the server lets drop it (one rule, session._check_drop): a camp leader drops
    nothing; a county coordinator no edit of another county's camp."""
    maryam, maryam_csrf = _as(site, "maryam")
    reza, reza_csrf = _as(site, "reza")
    ali, ali_csrf = _as(site, "ali")
    # a camp leader's "not coming" contradicts the county's lock: no button for it
    lock = _post(reza, reza_csrf, "/api/edits", LOCK_V03)
    assert lock.status_code == 200, lock.text
    lock_id = lock.json()["id"]
    page = _form(ali, ali_csrf, "/edits", {"kind": "remove", "volunteer": "v03", "camp": "c1"})
    assert page.status_code == 409 and "ناسازگار" in page.text
    assert "/delete" not in page.text
    assert _form(ali, ali_csrf, f"/edits/{lock_id}/delete", {}).status_code == 403
    # the county's own edit: its button is there for the county
    page = _form(reza, reza_csrf, "/edits", {"kind": "remove", "volunteer": "v03", "camp": "c1"})
    assert page.status_code == 409 and f'action="/edits/{lock_id}/delete"' in page.text
    assert _form(reza, reza_csrf, f"/edits/{lock_id}/delete", {}).status_code == 200
    # the province's edit of a saveh camp's leader, away on c1's days too: the county's
    # lock of them into c1 is refused, and the county may not drop the province's edit
    roster = maryam.get("/api/solution").json()["assignments"]
    (leader,) = [
        a["volunteer"] for a in roster if a["camp"] == "c2" and a["skill"] == "camp_leader"
    ]
    away = {"kind": "unavailable", "volunteer": leader, "first": "1400-04-13", "last": "1400-04-14"}
    first = _post(maryam, maryam_csrf, "/api/edits", away)
    assert first.status_code == 200, first.text
    into_c1 = {"kind": "lock", "volunteer": leader, "camp": "c1", "skill": "camp_leader"}
    page = _form(reza, reza_csrf, "/edits", into_c1)
    assert page.status_code == 409 and "ناسازگار" in page.text, page.text
    assert f'action="/edits/{first.json()["id"]}/delete"' not in page.text
    refused = _form(reza, reza_csrf, f"/edits/{first.json()['id']}/delete", {})
    assert refused.status_code == 403
    page = _form(maryam, maryam_csrf, "/edits", into_c1)  # the province may
    assert f'action="/edits/{first.json()["id"]}/delete"' in page.text
    # the edits page: the same rule
    assert f'action="/edits/{first.json()["id"]}/delete"' not in reza.get("/edits").text
    assert f'action="/edits/{first.json()["id"]}/delete"' in maryam.get("/edits").text
    pending = {e["id"]: e["may_drop"] for e in reza.get("/api/edits").json()["pending"]}
    assert pending == {first.json()["id"]: False}


def test_a_lock_into_days_someone_is_away_and_two_overlapping_locks_are_refused(site) -> None:
    maryam, maryam_csrf = _as(site, "maryam")
    sara, sara_csrf = _as(site, "sara")
    away = {"kind": "unavailable", "volunteer": "v07", "first": "1400-04-11", "last": "1400-04-12"}
    assert _post(maryam, maryam_csrf, "/api/edits", away).status_code == 200
    lock = {"kind": "lock", "volunteer": "v07", "camp": "c1", "skill": "nurse"}
    refused = _post(sara, sara_csrf, "/api/edits", lock)
    assert refused.status_code == 409 and "away 1400-04-11 … 1400-04-12" in refused.json()["error"]
    persian = _post(sara, sara_csrf, "/api/edits", lock, lang="fa").json()["error"]
    assert "۱۴۰۰-۰۴-۱۱" in persian and "maryam" in persian
    # days outside the camp's: both hold
    later = away | {"volunteer": "v09", "first": "1400-04-20", "last": "1400-04-25"}
    assert _post(maryam, maryam_csrf, "/api/edits", later).status_code == 200
    nurse = {"kind": "lock", "volunteer": "v09", "camp": "c1", "skill": "nurse"}
    assert _post(sara, sara_csrf, "/api/edits", nurse).status_code == 200
    # two locks of one person into camps that overlap (c1 and c2)
    leader = {"kind": "lock", "volunteer": "v01", "camp": "c1", "skill": "camp_leader"}
    assert _post(maryam, maryam_csrf, "/api/edits", leader).status_code == 200
    both = _post(sara, sara_csrf, "/api/edits", leader | {"camp": "c2"})
    assert both.status_code == 409 and "v01 locked into c2 and c1" in both.json()["error"]
    # the same lock twice contradicts nothing
    assert _post(sara, sara_csrf, "/api/edits", leader).status_code == 200


def test_a_re_solve_with_contradicting_edits_is_refused_naming_them(site) -> None:
    session, _ = site
    maryam, csrf = _as(site, "maryam")
    # recorded by an older server, which did not check
    session.workspace.add_edit(
        "forbid", [{"op": "forbid", "pairs": [{"volunteer": "v03", "camp": "c1"}]}], by="reza"
    )
    session.workspace.add_edit(
        "lock",
        [{"op": "lock", "assignments": [{"volunteer": "v03", "camp": "c1", "skill": "nurse"}]}],
        by="sara",
    )
    flagged = {e["id"]: e["conflicts_with"] for e in maryam.get("/api/edits").json()["pending"]}
    assert flagged == {1: [2], 2: [1]}  # both flagged, each naming the other
    assert _main(maryam.get("/edits").text).count("ناسازگار با تغییر") == 2
    refused = _post(maryam, csrf, "/api/solve")
    assert refused.status_code == 400
    assert "edit 2 and edit 1 by reza" in refused.json()["error"]
    page = _form(maryam, csrf, "/solve", {})
    text = _main(page.text)
    assert page.status_code == 400 and "reza" in text and "ناسازگار" in text
    _no_english(text)
    assert 'action="/edits/1/delete"' in page.text and 'action="/edits/2/delete"' in page.text
    assert _form(maryam, csrf, "/edits/1/delete", {}).status_code == 200
    assert _post(maryam, csrf, "/api/solve").status_code == 200


@pytest.mark.slow
def test_a_stale_accept_or_re_solve_says_who_accepted_which_version(site) -> None:
    maryam, maryam_csrf = _as(site, "maryam")
    sara, sara_csrf = _as(site, "sara")
    edits_page = sara.get("/edits").text  # sara's tab shows version 1
    assert 'name="version" value="1"' in edits_page
    started = _post(maryam, maryam_csrf, "/api/solve", {"version": 1})
    job = started.json()["job"]
    wait_for_job(maryam, job)
    assert _post(maryam, maryam_csrf, f"/api/jobs/{job}/accept").status_code == 200
    # sara accepts the same re-solve from her stale tab
    late = _post(sara, sara_csrf, f"/api/jobs/{job}/accept")
    assert late.status_code == 409
    assert "accepted already, as version 2 by maryam" in late.json()["error"]
    page = _form(sara, sara_csrf, f"/jobs/{job}/accept", {})
    text = _main(page.text)
    assert page.status_code == 409 and "نسخهٔ ۲" in text and "maryam" in text
    _no_english(text)
    # sara re-solves from the page that showed version 1
    stale = _form(sara, sara_csrf, "/solve", {"version": "1"})
    text = _main(stale.text)
    assert stale.status_code == 409 and "نسخهٔ ۲" in text and "نسخهٔ ۱" in text
    assert "maryam" in text
    _no_english(text)
    api = _post(sara, sara_csrf, "/api/solve", {"version": 1})
    assert api.status_code == 409 and "version 2 was accepted by maryam" in api.json()["error"]
    assert _post(sara, sara_csrf, "/api/solve", {"version": 2}).status_code == 200


# ---------------------------------------------------------- edits where they act


def test_pending_edits_are_shown_on_the_camp_and_volunteer_pages_they_touch(site) -> None:
    maryam, maryam_csrf = _as(site, "maryam")
    reza, reza_csrf = _as(site, "reza")
    away = {"kind": "unavailable", "volunteer": "v03", "first": "1400-04-11", "last": "1400-04-12"}
    assert _post(maryam, maryam_csrf, "/api/edits", away).status_code == 200
    member = next(
        a["volunteer"]
        for a in maryam.get("/api/solution").json()["assignments"]
        if a["camp"] == "c1" and a["volunteer"] != "v03"
    )
    remove = {"kind": "remove", "volunteer": member, "camp": "c1"}
    assert _post(reza, reza_csrf, "/api/edits", remove).status_code == 200
    api = maryam.get("/api/camps/c1").json()["pending"]
    assert [(e["id"], e["by"]) for e in api] == [(1, "maryam"), (2, "reza")]
    assert api[0]["lines"][0] | {"first": 0, "last": 0} == {
        "op": "unavailable",
        "volunteer": "v03",
        "name": "زهرا کریمی",
        "first": 0,
        "last": 0,
    }
    camp = _main(maryam.get("/camps/c1").text)
    assert "تغییرهای در انتظار" in camp and "maryam" in camp and "reza" in camp
    assert "۱۴۰۰/۰۴/۱۱" in camp and "زهرا کریمی" in camp and "اردوی سلامت خمین" in camp
    _no_english(re.sub(r"\b(?:planner)\b", "", camp))
    person = _main(maryam.get("/volunteers/v03").text)
    assert "تغییر ۱" in person and "maryam" in person and "reza" not in person
    assert maryam.get("/api/volunteers/v03").json()["pending"][0]["by"] == "maryam"
    # a camp and a person no edit touches show none
    assert maryam.get("/api/camps/c4").json()["pending"] == []
    assert "pending-here" not in maryam.get("/volunteers/v11").text
    # the edits page names who typed each, in Persian words (no skill or edit ids in Latin)
    edits = _main(maryam.get("/edits").text)
    assert "reza" in edits and "نبودن" in edits and "unavailable" not in edits


def test_a_refused_edit_form_comes_back_as_it_was_typed(site) -> None:
    maryam, csrf = _as(site, "maryam")
    typed = {
        "kind": "unavailable",
        "volunteer": "v03",
        "first": "1400-13-01",
        "last": "۱۴۰۰/۰۴/۱۲",
        "next": "/volunteers/v03",
    }
    page = _form(maryam, csrf, "/edits", typed)
    assert page.status_code == 400
    assert 'value="1400-13-01"' in page.text and 'value="۱۴۰۰/۰۴/۱۲"' in page.text
    assert 'name="volunteer" required value="v03"' in page.text and 'id="retry"' in page.text
    assert "YYYY" not in page.text and 'placeholder="۱۴۰۳-۰۵-۱۰"' in page.text
    fixed = _form(maryam, csrf, "/edits", typed | {"first": "1400-04-11"})
    assert fixed.status_code == 200 and fixed.url.path == "/volunteers/v03"
    assert "pending-here" in fixed.text
    # the camp page's lock form: a mistyped id comes back, to be corrected there
    lock = {"kind": "lock", "volunteer": "v3", "camp": "c1", "skill": "nurse", "next": "/camps/c1"}
    page = _form(maryam, csrf, "/edits", lock)
    assert page.status_code == 400 and "داوطلبی با شناسهٔ" in page.text
    assert 'name="volunteer" required value="v3"' in page.text
    assert 'name="skill" value="nurse"' in page.text and 'name="camp" value="c1"' in page.text


def test_locks_into_more_camps_than_one_may_join_are_refused(tmp_path: Path) -> None:
    """H5: two locks of one person into camps that do not overlap, where the file lets
    each person join one camp only: the second is refused, naming the first."""
    import json

    from web_helpers import post

    data = json.loads(TINY_PATH.read_text(encoding="utf-8"))
    data["rules"]["max_camps"] = 1
    instance = tmp_path / "one-camp.json"
    instance.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    session, client = served(instance, tmp_path, solution=solved(instance, tmp_path))
    try:
        lead = {"kind": "lock", "volunteer": "v01", "camp": "c1", "skill": "camp_leader"}
        assert post(client, "/api/edits", lead).status_code == 200
        second = post(client, "/api/edits", lead | {"camp": "c4", "skill": "mason"})
        assert second.status_code == 409
        assert "more camps than the 1 they may join" in second.json()["error"]
        persian = post(client, "/api/edits?lang=fa", lead | {"camp": "c4", "skill": "mason"})
        persian = persian.json()["error"]
        assert "بیش از ۱ اردو" in persian and "تغییر ۱" in persian
    finally:
        session.close()


def test_a_late_accept_after_a_restart_still_says_who_accepted_which_version(
    roster: Path, tmp_path: Path
) -> None:
    """What was accepted lives in the workspace, not in the server's memory (issue 25):
    after a restart, a late accept of a re-solve another planner accepted is told who,
    when and as which version (not "no finished solve"), in Persian on a Persian page;
    and the restarted server's jobs never take an earlier run's id."""
    session, client = served(TINY_PATH, tmp_path, solution=roster)
    session.accounts.add("maryam", "province", PASSWORD)
    session.accounts.add("sara", "province", PASSWORD)
    maryam, maryam_csrf = _as((session, client), "maryam")
    job = _post(maryam, maryam_csrf, "/api/solve").json()["job"]
    wait_for_job(maryam, job)
    assert _post(maryam, maryam_csrf, f"/api/jobs/{job}/accept").status_code == 200
    session.close()
    session.workspace.close()
    # the server restarts on the same workspace; sara's tab still shows the re-solve
    session, client = served(TINY_PATH, tmp_path, solution=roster)
    try:
        sara, sara_csrf = _as((session, client), "sara")
        late = _post(sara, sara_csrf, f"/api/jobs/{job}/accept")
        assert late.status_code == 409, late.text
        assert "accepted already, as version 2 by maryam" in late.json()["error"]
        page = _form(sara, sara_csrf, f"/jobs/{job}/accept", {})
        text = _main(page.text)
        assert page.status_code == 409 and "پیش‌تر پذیرفته شده" in text, text
        assert "نسخهٔ ۲" in text and "maryam" in text
        _no_english(text)
        # a re-solve of the new run has an id of its own, and is accepted as usual
        again = _post(sara, sara_csrf, "/api/solve").json()["job"]
        assert again != job
        wait_for_job(sara, again)
        assert _post(sara, sara_csrf, f"/api/jobs/{again}/accept").status_code == 200
    finally:
        session.close()
        session.workspace.close()
