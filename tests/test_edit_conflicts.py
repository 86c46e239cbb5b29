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

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from builders import TINY_PATH
from web_helpers import served, solved, wait_for_job

PASSWORD = "a long pass phrase"


@pytest.fixture(scope="module")
def roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return solved(TINY_PATH, tmp_path_factory.mktemp("roster"))


@pytest.fixture
def site(roster: Path, tmp_path: Path):
    """tiny.json served with two planners: the province ``maryam`` and the county
    coordinator of khomein ``reza`` (camp c1 is khomein's)."""
    session, client = served(TINY_PATH, tmp_path, solution=roster)
    session.accounts.add("maryam", "province", PASSWORD)
    session.accounts.add("reza", "county", PASSWORD, counties=["khomein"])
    session.accounts.add("sara", "province", PASSWORD)
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
