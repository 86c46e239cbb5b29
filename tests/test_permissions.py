"""Who may do what (issue 23): the permission matrix, generated from the route table.

Every route of the application x every identity (the four roles, no session, an expired
session, a disabled account) against the status the rules of
``app/review/permissions.py`` expect: the session call a route makes is found by running
it once over a recording session, and a call without a rule fails the test, so a new
route cannot go unguarded. Then the scopes: another county's camp, a camp leader's own
camps, a county's re-solve that leaves the rest of the province alone, two offices
accepting at once.

On SQLite, and on PostgreSQL when ``CAMPPLANNER_TEST_PG_URL`` names a server.
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from starlette.testclient import TestClient

from builders import TINY_PATH, emptied
from campplanner.app.inspect import check
from campplanner.app.review.actor import Actor
from campplanner.app.review.errors import NotFound
from campplanner.app.review.permissions import ALL as ALL_ROLES
from campplanner.app.review.permissions import BY_LINK, CAMP_SCOPED, RULES, scope_ops
from campplanner.app.review.session import Frame
from campplanner.contract.instance import instance_from_data
from campplanner.contract.solution import instance_fingerprint
from campplanner.web.app import ROUTERS, create_app
from campplanner.web.sessions import is_open
from web_helpers import latin_words, served, solved, wait_for_job

PG_URL = os.environ.get("CAMPPLANNER_TEST_PG_URL")
PASSWORD = "a long pass phrase"
ROLES = ("province", "county", "camp-leader", "viewer")
NOBODY = ("no session", "expired session", "disabled account")
SAMPLE = {
    "token": "t" * 43,  # a volunteer's link that opens nothing
    "camp_id": "c1",  # a khomein camp: the county's and the camp leader's own
    "county": "خمین",  # khomein's name, as the camps table filters it
    "volunteer_id": "v1",
    "job_id": "1",
    "accept_id": "1",
    "edit_id": "1",
    "version_id": "1",
    "kind": "html",
    "suffix": "csv",
    "lang": "en",
    "name": "x",
    "rest": "x",
}


class Recorder:
    """A session that records the first call a route makes, then refuses it."""

    max_upload = 1_000
    token = None

    def __init__(self) -> None:
        self.calls: list[str] = []

    def frame(self, actor: Actor | None) -> Frame:
        return Frame("jalali", 7, None)

    def actor_for(self, credential: str | None) -> Actor:
        return Actor("someone", "province")

    def requires_login(self) -> bool:
        return False

    def __getattr__(self, name: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            raise NotFound("recorded")

        return call


def _routes() -> list[tuple[str, str]]:
    found = sorted(
        (method, route.path)
        for router in ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute)
        for method in route.methods
    )
    # logging out last: it ends the session the other requests use
    return sorted(found, key=lambda r: "logout" in r[1])


def _address(path: str, camp: str = "c1") -> str:
    sample = SAMPLE | {"camp_id": camp}
    return re.sub(r"\{(\w+)(:path)?\}", lambda m: sample[m.group(1)], path)


# a member of each camp, for an edit of it: v07 not coming to c1 (khomein, the county's
# and the camp leader's), v06 to c2 (saveh: another county's camp)
MEMBER = {"c1": "v07", "c2": "v06"}


def _request(client: TestClient, method: str, path: str, csrf: str, camp: str = "c1"):
    return client.request(
        method,
        _address(path, camp),
        params={"a": "1", "b": "2"},
        json={"rev": 7, "q": "a name", "kind": "remove", "volunteer": MEMBER[camp], "camp": camp},
        headers={"X-CSRF-Token": csrf},
        follow_redirects=False,
    )


def _calls() -> dict[tuple[str, str], str | None]:
    """The session call each route makes (None: none, as the login page's)."""
    return dict(_recorded())


@functools.cache
def _recorded() -> dict[tuple[str, str], str | None]:
    """Each route run once over a recording session, for all the tests of this module:
    one application (FastAPI's work to build one, per route, made this a minute for
    each test that asked), a new client for each request, the recording emptied first."""
    recorder = Recorder()
    app = create_app(recorder, csrf="c")  # type: ignore[arg-type]
    calls = {}
    for method, path in _routes():
        recorder.calls.clear()
        _request(TestClient(app, base_url="http://127.0.0.1:8000"), method, path, "c")
        calls[(method, path)] = recorder.calls[0] if recorder.calls else None
    return calls


def test_every_session_call_a_route_makes_has_a_rule() -> None:
    unruled = {
        f"{method} {path}: {call}"
        for (method, path), call in _calls().items()
        if call is not None and call != "login" and call not in RULES | dict.fromkeys(BY_LINK)
    }
    assert unruled == set()


@pytest.fixture(scope="module")
def roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return solved(TINY_PATH, tmp_path_factory.mktemp("roster"))


@pytest.fixture(params=["sqlite", "postgresql"])
def site(request: pytest.FixtureRequest, roster: Path, tmp_path: Path):
    """tiny.json served, with an account per role: county khomein (camp c1), a camp
    leader of c1, and a disabled one."""
    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip("PostgreSQL: set CAMPPLANNER_TEST_PG_URL to run the matrix on it")
        url = emptied(PG_URL)
    else:
        url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    session, client = served(TINY_PATH, tmp_path, solution=roster, url=url)
    accounts = session.accounts
    accounts.add("province", "province", PASSWORD)
    accounts.add("county", "county", PASSWORD, counties=["khomein"])
    accounts.add("camp-leader", "camp-leader", PASSWORD, camps=["c1"])
    accounts.add("viewer", "viewer", PASSWORD)
    accounts.add("disabled", "viewer", PASSWORD)
    yield session, client
    session.close()
    session.workspace.close()


def _client(session: Any, client: TestClient, identity: str) -> tuple[TestClient, str]:
    """A client acting as ``identity``, and the CSRF token it sends."""
    other = TestClient(client.app, base_url="http://127.0.0.1:8000")
    csrf = client.app.state.csrf
    if identity in ROLES:
        answer = other.post("/api/login", json={"name": identity, "password": PASSWORD})
        assert answer.status_code == 200, answer.text
        csrf = answer.json()["csrf"]
    elif identity == "expired session":
        token = secrets.token_urlsafe(32)
        record = session.accounts.store.get("viewer")
        ended = datetime.now(UTC) - timedelta(minutes=1)
        session.accounts.store.add_session(record, token, "x", ended)
        other.cookies.set("campplanner_session", token)
    elif identity == "disabled account":
        answer = other.post("/api/login", json={"name": "disabled", "password": PASSWORD})
        assert answer.status_code == 200  # its cookie kept, its session ended
        session.accounts.disable("disabled")
    return other, csrf


def _expected(identity: str, method: str, path: str, call: str | None) -> set[int] | None:
    """The statuses allowed (None: any but 401 and 403)."""
    if identity in NOBODY:
        if is_open(path) or path.startswith("/fonts/"):
            return None if path not in ("/login", "/api/login") else {200, 400, 401, 415, 429}
        return {401} if path.startswith("/api/") else {302}
    if call == "login":
        return {400, 401, 415, 429}  # a login with no name: refused alike
    if call in BY_LINK:  # a volunteer's link, whoever asks: this one opens nothing
        return {404}
    if call is None or identity in RULES[call]:
        return None
    return {403}


@pytest.mark.slow
def test_the_permission_matrix_on_another_countys_camp(site) -> None:
    """The same routes on c2 (saveh): a call whose rule looks at the camp
    (``CAMP_SCOPED``) is refused to a khomein coordinator and to c1's leader."""
    session, client = site
    calls = _calls()
    wrong = []
    # pending edit 1 (SAMPLE's edit_id) is about c2: v06 is not coming
    session.workspace.add_edit(
        "remove", [{"op": "forbid", "pairs": [{"volunteer": "v06", "camp": "c2"}]}]
    )
    for identity in ROLES:
        acting, csrf = _client(session, client, identity)
        for method, path in _routes():
            call = calls[(method, path)]
            if "{camp_id" not in path and call not in ("add_edit", "drop_edit"):
                continue
            status = _request(acting, method, path, csrf, camp="c2").status_code
            if call is None or identity not in RULES.get(call, ALL_ROLES):
                continue  # refused whatever the camp: the first matrix's
            scoped = identity in CAMP_SCOPED.get(call, ())
            if status >= 500 or (status == 403) != scoped:
                wrong.append(f"{identity}: {method} {path} (c2) -> {status}")
    assert wrong == []


@pytest.mark.slow
def test_the_permission_matrix(site) -> None:
    session, client = site
    calls = _calls()
    wrong = []
    refused: set[str] = set()
    for identity in (*ROLES, *NOBODY):
        acting, csrf = _client(session, client, identity)
        for method, path in _routes():
            answer = _request(acting, method, path, csrf)
            expected = _expected(identity, method, path, calls[(method, path)])
            status = answer.status_code
            if status == 403 and "{job_id}" in path and _owner(session) not in (None, identity):
                continue  # another's job (a file with their phones): its starter's alone
            if status == 403:
                refused.add(identity)
            if status >= 500 or (
                status in {401, 403} if expected is None else status not in expected
            ):
                wrong.append(f"{identity}: {method} {path} -> {status} {answer.text[:120]}")
    assert wrong == []
    assert refused >= {"county", "camp-leader", "viewer"}  # the rules bite for each


def _owner(session: Any) -> str | None:
    """Who started job SAMPLE["job_id"], once a route has made it (None: nobody yet)."""
    job = SAMPLE["job_id"]
    made = session.background.files.get(job)
    return made.by if made is not None else session.started_by.get(job)


def _as(site, identity: str) -> tuple[TestClient, str]:
    session, client = site
    return _client(session, client, identity)


def _post(client: TestClient, csrf: str, url: str, body: dict | None = None):
    rev = client.get("/api/session").json()["rev"]
    return client.post(url, json={"rev": rev, **(body or {})}, headers={"X-CSRF-Token": csrf})


def _members(client: TestClient, camp: str) -> list[str]:
    roster = client.get("/api/solution").json()["assignments"]
    return [a["volunteer"] for a in roster if a["camp"] == camp]


def test_a_county_reads_the_province_but_changes_only_its_camps(site) -> None:
    county, csrf = _as(site, "county")
    assert county.get("/api/overview").status_code == 200
    theirs, other = county.get("/camps/c1"), county.get("/camps/c2")
    assert theirs.status_code == other.status_code == 200
    assert 'id="lock-form"' in theirs.text and 'id="lock-form"' not in other.text
    assert county.get("/camps/c2?replace=v1").status_code == 403  # another county's form
    assert county.get("/api/camps/c2").json()["may_edit"] is False
    member = _members(county, "c2")[0]
    refused = _post(
        county, csrf, "/api/edits", {"kind": "remove", "volunteer": member, "camp": "c2"}
    )
    assert (
        refused.status_code == 403 and "not one of your counties' camps" in refused.json()["error"]
    )
    mine = _members(county, "c1")[0]
    done = _post(county, csrf, "/api/edits", {"kind": "remove", "volunteer": mine, "camp": "c1"})
    assert done.status_code == 200, done.text
    assert _post(county, csrf, "/api/versions/1/publish").status_code == 403
    assert county.get("/api/audit").status_code == 403


def test_a_camp_leader_reads_its_camps_and_says_who_is_not_coming(site) -> None:
    leader, csrf = _as(site, "camp-leader")
    assert leader.get("/camps/c1").status_code == 200
    assert leader.get("/camps/c2").status_code == 403
    assert leader.get("/api/solution").status_code == 403
    member = _members(_as(site, "province")[0], "c1")[0]
    lock = _post(
        leader,
        csrf,
        "/api/edits",
        {"kind": "lock", "volunteer": member, "camp": "c1", "skill": "leader"},
    )
    assert lock.status_code == 403
    away = _post(leader, csrf, "/api/edits", {"kind": "remove", "volunteer": member, "camp": "c1"})
    assert away.status_code == 200, away.text
    entry = site[0].workspace.audit_log()[0]
    assert (entry["action"], entry["by"]) == ("edit", "camp-leader")
    assert _post(leader, csrf, "/api/solve").status_code == 403  # the county re-solves


def test_a_viewer_changes_nothing(site) -> None:
    viewer, csrf = _as(site, "viewer")
    assert viewer.get("/camps/c2").status_code == 200
    assert 'id="lock-form"' not in viewer.get("/camps/c1").text
    body = {"kind": "forbid", "volunteer": "v1", "camp": "c1"}
    assert _post(viewer, csrf, "/api/edits", body).status_code == 403
    assert _post(viewer, csrf, "/api/solve").status_code == 403


def _resolve(client: TestClient, csrf: str) -> str:
    started = _post(client, csrf, "/api/solve")
    assert started.status_code == 200, started.text
    job = started.json()["job"]
    wait_for_job(client, job)
    return job


@pytest.mark.slow
def test_a_county_re_solve_changes_only_its_counties_and_two_offices_do_not_overwrite(
    site,
) -> None:
    session, _ = site
    province, province_csrf = _as(site, "province")
    county, csrf = _as(site, "county")
    before = {
        (a["volunteer"], a["camp"]) for a in province.get("/api/solution").json()["assignments"]
    }
    # the county's office: someone of c1 is not coming; it re-solves, not yet accepted
    away = _members(county, "c1")[0]
    _post(county, csrf, "/api/edits", {"kind": "remove", "volunteer": away, "camp": "c1"})
    county_job = _resolve(county, csrf)
    assert province.get(f"/api/jobs/{county_job}").status_code == 200
    assert _as(site, "viewer")[0].get(f"/api/jobs/{county_job}").status_code == 403
    # the province's office re-solves from the same version and accepts first
    province_job = _resolve(province, province_csrf)
    assert _post(county, csrf, f"/api/jobs/{province_job}/accept").status_code == 403
    assert _post(province, province_csrf, f"/api/jobs/{province_job}/accept").status_code == 200
    page = _post(county, csrf, f"/jobs/{county_job}/accept")  # the form, on a Persian page
    assert page.status_code == 409 and "نسخهٔ ۲" in page.text and "province" in page.text
    assert "دوباره حل کنید" in page.text
    text = re.sub(r"<[^>]+>", " ", page.text.split("<main>")[1])
    assert not re.search(r"[A-Za-z]{3,} [A-Za-z]{3,}", text), text
    late = _post(county, csrf, f"/api/jobs/{county_job}/accept")
    assert late.status_code == 409
    message = late.json()["error"]
    assert "version 2 was accepted by province" in message and "re-solve" in message
    # rebased: the county re-solves on top of version 2 and accepts
    _post(county, csrf, "/api/edits", {"kind": "remove", "volunteer": away, "camp": "c1"})
    again = _resolve(county, csrf)
    accepted = _post(county, csrf, f"/api/jobs/{again}/accept")
    assert accepted.status_code == 200, accepted.text
    after = {
        (a["volunteer"], a["camp"]) for a in province.get("/api/solution").json()["assignments"]
    }
    province_v2 = {
        (a["volunteer"], a["camp"])
        for a in json.loads(session.workspace.solution_json(2))["assignments"]
    }
    outside = {"c2", "c3", "c4"}
    assert {p for p in after if p[1] in outside} == {p for p in province_v2 if p[1] in outside}
    assert (away, "c1") not in after and before != after
    assert session.workspace.head().status != "unknown"


@pytest.mark.slow
def test_a_county_re_solve_leaves_the_other_counties_camps_as_they_were(site) -> None:
    # tiny's roster: v07 and v03 are c1's nurses; the only other nurse, v09, serves c3
    # (arak) and may serve one camp. Without v07, a re-solve of the whole province moves
    # v09 to c1 (priority 3 over c3's 1); the khomein coordinator's may not touch c3.
    province, _ = _as(site, "province")
    county, csrf = _as(site, "county")
    before = {
        (a["volunteer"], a["camp"]) for a in province.get("/api/solution").json()["assignments"]
    }
    assert {("v07", "c1"), ("v09", "c3")} <= before
    _post(county, csrf, "/api/edits", {"kind": "remove", "volunteer": "v07", "camp": "c1"})
    job = _resolve(county, csrf)
    accepted = _post(county, csrf, f"/api/jobs/{job}/accept")
    assert accepted.status_code == 200, accepted.text
    after = {
        (a["volunteer"], a["camp"]) for a in province.get("/api/solution").json()["assignments"]
    }
    assert ("v07", "c1") not in after
    assert {p for p in after if p[1] != "c1"} == {p for p in before if p[1] != "c1"}
    entries = [(e["action"], e["by"]) for e in site[0].workspace.audit_log()]
    assert entries[:2] == [("download", "province"), ("accept", "county")]
    # the version is a roster of the province's instance, claiming nothing beyond scope
    workspace, folder = site[0].workspace, site[0].scratch
    version = workspace.head().id
    instance_file, roster_file = folder / "kept.json", folder / "kept-roster.json"
    instance_file.write_bytes(workspace.instance_json(version))
    roster_file.write_bytes(workspace.solution_json(version))
    report = check(str(instance_file), str(roster_file))
    assert report.ok and report.status == "feasible" and report.claimed_bound is None
    kept = json.loads(workspace.solution_json(version))
    instance = instance_from_data(json.loads(workspace.instance_json(version)))
    assert kept["fingerprint"] == instance_fingerprint(instance)
    first, now = (json.loads(workspace.instance_json(v)) for v in (1, version))
    assert now["locked"] == first["locked"] and now["camps"] == first["camps"]  # no scope


def test_phones_only_for_the_camps_one_answers_for(site) -> None:
    county, _ = _as(site, "county")
    packet = county.get("/packets/c1")
    assert packet.status_code == 200
    disposition = packet.headers["content-disposition"]
    has_phone = re.search(r"09\d{2}|۰۹", packet.text) is not None
    assert disposition.endswith('-phones.html"') == has_phone, disposition
    assert county.get("/packets/c2").status_code == 403  # another county's phones
    assert 'id="packet"' in county.get("/camps/c1").text
    assert 'id="packet"' not in county.get("/camps/c2").text
    leader, _ = _as(site, "camp-leader")
    assert leader.get("/api/packets/c1").status_code == 200
    assert leader.get("/api/packets/c2").status_code == 403
    viewer, _ = _as(site, "viewer")
    assert viewer.get("/api/packets/c1").status_code == 403
    assert 'id="packet"' not in viewer.get("/camps/c1").text
    kinds = [(e["by"], e["detail"].get("kind")) for e in site[0].workspace.audit_log()]
    assert ("county", "packet") in kinds and ("camp-leader", "packet") in kinds
    # a county's packets (issue 25): its coordinator's own county only, no viewer
    assert county.get("/county-packets/خمین").status_code == 200
    assert county.get("/county-packets/ساوه").status_code == 403
    assert 'id="county-packets"' in county.get("/camps/c1").text
    assert 'id="county-packets"' not in county.get("/camps/c2").text
    assert leader.get("/county-packets/خمین").status_code == 403
    assert viewer.get("/api/county-packets/خمین").status_code == 403
    assert 'id="county-packets"' not in viewer.get("/camps", params={"county": "خمین"}).text
    # made in the background (the page's button): the same checks, before the job
    (county, csrf), (leader, leader_csrf) = _as(site, "county"), _as(site, "camp-leader")
    viewer, viewer_csrf = _as(site, "viewer")
    assert _post(county, csrf, "/api/county-packets/ساوه").status_code == 403
    assert _post(leader, leader_csrf, "/api/county-packets/خمین").status_code == 403
    assert _post(viewer, viewer_csrf, "/api/county-packets/خمین").status_code == 403
    assert _post(county, csrf, "/api/county-packets/nowhere").status_code == 404
    job = _post(county, csrf, "/api/county-packets/خمین").json()["job"]
    assert county.get(f"/api/files/{job}").status_code == 200
    assert leader.get(f"/api/files/{job}").status_code == 403  # the coordinator's alone


def test_a_packet_that_holds_phones_says_so_in_its_name(roster: Path) -> None:
    from campplanner.app.review.downloads import camp_packet
    from campplanner.contract.instance import instance_from_data
    from campplanner.io.solution_reader import load_solution
    from campplanner.report.roster import RosterView

    data = json.loads(TINY_PATH.read_text(encoding="utf-8"))
    instance = instance_from_data(data)
    plain = RosterView.from_solution(instance, load_solution(roster, instance))
    assert camp_packet(plain, "c1").name == "packet-c1.html"
    for volunteer in data["volunteers"]:
        if volunteer["id"] == "v07":  # on c1's team
            volunteer["phone"] = "09121234567"
    instance = instance_from_data(data)
    view = RosterView.from_solution(instance, load_solution(roster, instance))
    assert camp_packet(view, "c1").name == "packet-c1-phones.html"
    assert camp_packet(view, "c2").name == "packet-c2.html"


def test_a_refusal_is_said_in_persian_on_a_persian_page(site) -> None:
    county, _ = _as(site, "county")
    page = county.get("/camps/c2?replace=v01")
    assert page.status_code == 403 and "اجازه ندارید" in page.text
    text = re.sub(r"<[^>]+>", " ", page.text.split("<main>")[1])
    assert not re.search(r"[A-Za-z]{3,} [A-Za-z]{3,}", text), text
    english = county.get("/camps/c2?replace=v01&lang=en")
    assert "Not allowed" in english.text and "not one of your counties" in english.text


def test_a_refusal_says_why_in_both_languages_with_ids_isolated(site) -> None:
    """A 403 says the specific reason (issue 25), not general words: whose county the
    camp is in and which the coordinator has, which roles may do what was refused; in
    Persian on a Persian page and with ``?lang=fa``, in English otherwise, and to a
    script as ``reason`` with the ids it names."""
    session, _ = site
    county, csrf = _as(site, "county")
    leader, _ = _as(site, "camp-leader")
    fsi, pdi = "\u2068", "\u2069"
    # another county's camp, on a Persian page and in English
    page = county.get("/camps/c2?replace=v01")
    assert page.status_code == 403
    assert (
        f"اردوی {fsi}c2{pdi} در شهرستان {fsi}ساوه{pdi} است و شما هماهنگ‌کنندهٔ شهرستان "
        f"{fsi}خمین{pdi} هستید" in page.text
    ), page.text
    assert "یافتن جانشین" in page.text  # what was refused, in words
    instance = session.head().instance
    ids = {v.id for v in instance.volunteers} | {c.id for c in instance.camps}
    assert latin_words(page.text, ids) == []
    english = html.unescape(county.get("/camps/c2?replace=v01&lang=en").text)
    assert "camp c2 is in county ساوه, not one of your counties' camps (خمین)" in english
    # the same to a script: English by default, Persian when asked, the reason's key
    member = _members(county, "c2")[0]
    body = {"kind": "remove", "volunteer": member, "camp": "c2"}
    refused = _post(county, csrf, "/api/edits", body)
    assert refused.status_code == 403
    assert refused.json() | {"error": ""} == {
        "error": "",
        "reason": "forbidden:county_camp",
        "doing": "this edit",
        "camp": "c2",
        "county": "ساوه",
        "counties": ["خمین"],
    }
    persian = _post(county, csrf, "/api/edits?lang=fa", body).json()["error"]
    assert persian.startswith("این تغییر: اردوی") and f"{fsi}ساوه{pdi}" in persian
    # a role's refusal names who may: only the province publishes
    publish = _post(county, csrf, "/api/versions/1/publish")
    assert publish.status_code == 403
    assert publish.json()["error"] == (
        "not for a county coordinator: publishing a version (only a province coordinator)"
    )
    assert publish.json()["allowed"] == ["province"]
    page = _post(county, csrf, "/versions/1/publish")
    assert "انتشار نسخه کار هماهنگ‌کنندهٔ شهرستان نیست: فقط هماهنگ‌کنندهٔ استان می‌تواند." in (page.text)
    assert latin_words(page.text, ids) == []
    # a camp leader's other camp names the camps they lead
    other = leader.get("/camps/c2")
    assert other.status_code == 403
    assert f"اردوی {fsi}c2{pdi} از اردوهای شما نیست؛ شما سرپرست اردوی {fsi}c1{pdi} هستید" in (
        other.text
    )


def test_every_refusal_of_the_roles_has_its_persian_words() -> None:
    """Each call's words (permissions.WHAT) and each scoped refusal's (what a caller of
    check_camp names) exist in Persian: a 403 on a Persian page is all Persian."""
    from builders import REPO
    from campplanner.app.review.permissions import DOING, WHAT
    from campplanner.web.refusals import DOING_FA, WHAT_FA

    assert set(WHAT) == set(WHAT_FA) and set(RULES) <= set(WHAT)
    source = "\n".join(
        path.read_text(encoding="utf-8") for path in (REPO / "src/campplanner/app").rglob("*.py")
    )
    named = set(re.findall(r'check_camp\([^"]*"([^"]+)"\)', source))
    named |= set(re.findall(r'not_doing\(actor, "([^"]+)"\)', source))
    assert named and named <= set(DOING) == set(DOING_FA)


@pytest.mark.slow
def test_a_county_re_solve_applies_its_own_edits_and_leaves_the_others_pending(site) -> None:
    province, province_csrf = _as(site, "province")
    county, csrf = _as(site, "county")
    saveh = _members(province, "c2")[0]
    theirs = _post(
        province, province_csrf, "/api/edits", {"kind": "remove", "volunteer": saveh, "camp": "c2"}
    )
    assert theirs.status_code == 200, theirs.text
    _post(county, csrf, "/api/edits", {"kind": "remove", "volunteer": "v07", "camp": "c1"})
    job = _resolve(county, csrf)
    state = county.get(f"/api/jobs/{job}").json()
    assert state["state"] == "done" and "error" not in state["finished"], state
    assert state["edits"] == [2]  # the county's edit only
    assert _post(county, csrf, f"/api/jobs/{job}/accept").status_code == 200
    pending = [e["id"] for e in province.get("/api/edits").json()["pending"]]
    assert pending == [theirs.json()["id"]]  # saveh's edit waits for its county
    assert saveh in _members(province, "c2")


def test_a_camp_leader_lists_only_its_camps_and_their_edits(site) -> None:
    province, province_csrf = _as(site, "province")
    _post(
        province, province_csrf, "/api/edits", {"kind": "remove", "volunteer": "v06", "camp": "c2"}
    )
    leader, csrf = _as(site, "camp-leader")
    _post(leader, csrf, "/api/edits", {"kind": "remove", "volunteer": "v07", "camp": "c1"})
    assert [r["id"] for r in leader.get("/api/camps").json()["rows"]] == ["c1"]
    assert len(province.get("/api/camps").json()["rows"]) == 4
    seen = [e["ops"][0]["pairs"][0]["camp"] for e in leader.get("/api/edits").json()["pending"]]
    assert seen == ["c1"]
    assert len(province.get("/api/edits").json()["pending"]) == 2


def test_the_scope_closes_the_other_camps_with_a_few_edits_each(site) -> None:
    head = site[0].head()
    county = Actor("reza", "county", counties=frozenset({"khomein"}))
    roster = [t for t in head.triples if t[1] != "c4"]  # c4 (arak) empty
    ops = {op["op"]: op for op in scope_ops(county, head.problem, roster)}
    assert {a["camp"] for a in ops["lock"]["assignments"]} == {"c2", "c3"}
    assert sorted(
        op["camp"] for op in scope_ops(county, head.problem, roster) if op["op"] == "set_camp"
    ) == ["c2", "c3"]
    closed = {p["camp"] for p in ops["forbid"]["pairs"]}
    assert closed == {"c4"} and len(ops["forbid"]["pairs"]) >= 1
    assert scope_ops(Actor("p", "province"), head.problem, roster) == []
