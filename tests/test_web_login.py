"""Logging in to ``campplanner serve`` (issue 23): once the workspace has accounts, every
request names one (session cookie or API key), on 127.0.0.1 too; without accounts the
server behaves as before.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from builders import TINY_PATH
from campplanner.app.accounts import MAX_FAILURES_PER_NAME, SESSION_LIFETIME
from web_helpers import served, solved

PASSWORD = "a long pass phrase"
ENGLISH_SENTENCE = re.compile(r"[A-Za-z]{3,} [A-Za-z]{3,}")


@pytest.fixture(scope="module")
def roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return solved(TINY_PATH, tmp_path_factory.mktemp("roster"))


@pytest.fixture
def site(roster: Path, tmp_path: Path):
    site, client = served(TINY_PATH, tmp_path, solution=roster)
    yield site, client
    site.close()
    site.workspace.close()


def login(client, name: str = "maryam", password: str = PASSWORD):
    return client.post("/api/login", json={"name": name, "password": password})


def test_without_accounts_the_server_is_as_before(site) -> None:
    _, client = site
    assert client.get("/").status_code == 200
    assert client.get("/api/overview").status_code == 200


def test_with_accounts_every_request_needs_a_session(site) -> None:
    session, client = site
    session.accounts.add("maryam", "province", PASSWORD)
    page = client.get("/camps?skill=nurse", follow_redirects=False)
    assert page.status_code == 302
    assert page.headers["location"] == "/login?next=%2Fcamps%3Fskill%3Dnurse"
    answer = client.get("/api/overview")
    assert answer.status_code == 401 and "log in first" in answer.json()["error"]
    assert client.get("/versions/1/download/json", follow_redirects=False).status_code == 302
    assert client.get("/api/versions/1/download/json").status_code == 401
    assert client.get("/login").status_code == 200  # the login page and its files are open
    assert client.get("/static/app.css").status_code == 200


def test_the_login_page_in_persian_and_english(site) -> None:
    session, client = site
    session.accounts.add("maryam", "province", PASSWORD)
    persian = client.get("/login").text
    assert "ورود" in persian and "گذرواژه" in persian
    text = re.sub(r"<[^>]+>", " ", persian)
    assert not ENGLISH_SENTENCE.search(text), ENGLISH_SENTENCE.search(text)
    english = client.get("/login?lang=en").text
    assert "Log in" in english and "Password" in english


def test_api_login_gives_a_strict_http_only_cookie_and_a_csrf_token(site) -> None:
    session, client = site
    session.accounts.add("maryam", "county", PASSWORD, counties=["khomein"])
    answer = login(client)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["name"] == "maryam" and body["role"] == "county" and body["csrf"]
    cookie = answer.headers["set-cookie"].lower()
    assert "campplanner_session=" in cookie and "httponly" in cookie
    assert "samesite=strict" in cookie
    assert f"max-age={int(SESSION_LIFETIME.total_seconds())}" in cookie or "max-age=2879" in cookie
    assert client.get("/api/overview").status_code == 200
    state = client.get("/api/session").json()
    assert state["csrf"] == body["csrf"]  # the session's own token, not the server's
    edit = client.post(
        "/api/edits",
        json={"rev": state["rev"], "kind": "forbid", "volunteer": "v1", "camp": "c2"},
        headers={"X-CSRF-Token": session_csrf(client)},
    )
    assert edit.status_code in (200, 400), edit.text  # known to the app, not refused here
    wrong = client.post(
        "/api/edits", json={"rev": state["rev"]}, headers={"X-CSRF-Token": "not-it"}
    )
    assert wrong.status_code == 403
    out = client.post("/api/logout", json={}, headers={"X-CSRF-Token": body["csrf"]})
    assert out.status_code == 200
    assert client.get("/api/overview").status_code == 401


def session_csrf(client) -> str:
    return client.get("/api/session").json()["csrf"]


def test_a_wrong_name_or_password_is_told_alike_and_limited(site) -> None:
    session, client = site
    session.accounts.add("maryam", "viewer", PASSWORD)
    unknown = login(client, "nobody", "whatever it is")
    wrong = login(client, "maryam", "whatever it is")
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()
    for _ in range(MAX_FAILURES_PER_NAME - 1):
        login(client, "maryam", "whatever it is")
    limited = login(client)  # the right password, after too many wrong ones
    assert limited.status_code == 429 and "too many failed logins" in limited.json()["error"]
    page = client.get("/login?lang=en")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    form = client.post(
        "/login",
        data={"csrf": csrf, "name": "maryam", "password": PASSWORD, "next": "/"},
        follow_redirects=False,
    )
    assert form.status_code == 429 and "پانزده دقیقه" in form.text  # in the page language
    actions = [(e["action"], e["by"]) for e in session.workspace.audit_log()]
    assert ("login failed", "nobody") in actions and ("login refused", "maryam") in actions


def test_the_login_form_goes_back_where_it_was_asked(site) -> None:
    session, client = site
    session.accounts.add("maryam", "province", PASSWORD)
    page = client.get("/login?next=%2Fversions")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    wrong = client.post(
        "/login", data={"csrf": csrf, "name": "maryam", "password": "nope nope nope", "next": "/"}
    )
    assert wrong.status_code == 401 and "گذرواژه درست نیست" in wrong.text
    answer = client.post(
        "/login",
        data={"csrf": csrf, "name": "maryam", "password": PASSWORD, "next": "/versions"},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/versions"
    versions = client.get("/versions")
    assert versions.status_code == 200 and "maryam" in versions.text  # the frame names them
    entry = session.workspace.audit_log()[0]
    assert (entry["action"], entry["by"], entry["address"]) == ("login", "maryam", "testclient")


def test_an_expired_session_and_a_disabled_account_are_refused(site) -> None:
    session, client = site
    session.accounts.add("maryam", "province", PASSWORD)
    session.accounts.add("reza", "viewer", PASSWORD)
    assert login(client).status_code == 200
    later = session.accounts.now() + SESSION_LIFETIME + timedelta(seconds=1)
    session.accounts.now = lambda: later
    answer = client.get("/api/overview")
    assert answer.status_code == 401 and "session has ended" in answer.json()["error"]
    login(client)  # a new session (the answer above removed the ended one's cookie)
    session.accounts.now = lambda: later + SESSION_LIFETIME + timedelta(seconds=1)
    page = client.get("/camps", follow_redirects=False)
    assert page.headers["location"] == "/login?next=%2Fcamps&ended=1"
    ended = client.get(page.headers["location"])  # the login page says why
    assert ended.status_code == 200 and "نشست شما به پایان رسید" in ended.text
    session.accounts.now = lambda: later - SESSION_LIFETIME
    assert login(client, "reza").status_code == 200
    assert client.get("/api/overview").status_code == 200
    session.accounts.disable("reza")
    assert client.get("/api/overview").status_code == 401


def test_an_api_key_acts_as_its_account_until_revoked(site) -> None:
    session, client = site
    session.accounts.add("script", "province", PASSWORD)
    key = session.accounts.new_key("script")
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get("/api/overview", headers=headers).status_code == 200
    assert (
        client.get("/api/overview", headers={"Authorization": "Bearer cpk_nope"}).status_code == 401
    )
    session.accounts.revoke_keys("script")
    assert client.get("/api/overview", headers=headers).status_code == 401


def test_the_first_start_on_a_new_workspace_says_the_province_password_once(
    roster: Path, tmp_path: Path
) -> None:
    from campplanner.web.server import ServeSettings, build

    settings = ServeSettings(str(TINY_PATH), str(roster), f"sqlite:///{tmp_path / 'ws.sqlite'}")
    said: list[str] = []
    session, app, _ = build(settings, say=said.append)
    line = next(s for s in said if s.startswith("accounts:"))
    password = re.search(r"password: (\S+)", line).group(1)
    client = TestClient(app, base_url="http://127.0.0.1:8000")
    assert client.get("/api/overview").status_code == 401  # 127.0.0.1 too
    assert login(client, "province", password).json()["role"] == "province"
    assert client.get("/api/overview").status_code == 200
    session.close()
    session.workspace.close()
    said.clear()
    again, _, _ = build(settings, say=said.append)  # the workspace is not new now
    assert not any(s.startswith("accounts:") for s in said)
    again.close()
    again.workspace.close()


def test_the_province_manages_accounts_through_the_api(site) -> None:
    session, client = site
    session.accounts.add("maryam", "province", PASSWORD)
    csrf = login(client).json()["csrf"]
    added = client.post(
        "/api/users",
        json={"name": "reza", "role": "county", "password": PASSWORD, "counties": ["khomein"]},
        headers={"X-CSRF-Token": csrf},
    )
    assert added.status_code == 200, added.text
    assert added.json()["counties"] == ["khomein"] and "password_hash" not in added.text
    wrong = client.post(
        "/api/users",
        json={"name": "x", "role": "county", "password": PASSWORD, "counties": ["tehran"]},
        headers={"X-CSRF-Token": csrf},
    )
    assert wrong.status_code == 400 and "no county tehran" in wrong.json()["error"]
    names = [u["name"] for u in client.get("/api/users").json()["users"]]
    assert names == ["maryam", "reza"]
    assert (
        client.post(
            "/api/users/maryam/disable", json={}, headers={"X-CSRF-Token": csrf}
        ).status_code
        == 400
    )
    other = TestClient(client.app, base_url="http://127.0.0.1:8000")
    county_csrf = login(other, "reza").json()["csrf"]
    assert other.get("/api/users").status_code == 403
    assert (
        other.post(
            "/api/users/maryam/disable", json={}, headers={"X-CSRF-Token": county_csrf}
        ).status_code
        == 403
    )
    done = client.post("/api/users/reza/disable", json={}, headers={"X-CSRF-Token": csrf})
    assert done.status_code == 200
    assert other.get("/api/overview").status_code == 401  # their session ended
    entry = session.workspace.audit_log()[0]
    assert (entry["action"], entry["by"], entry["detail"]["user"]) == (
        "disable account",
        "maryam",
        "reza",
    )


def test_serve_says_how_to_log_in_and_that_the_token_names_nobody_with_accounts(
    roster: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shared token is the mode without accounts (issue 26's rules): on a workspace
    with accounts serve prints no ``?token=`` and says a given token is not used."""
    import uvicorn

    from campplanner.web.server import ServeSettings, serve

    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: None)
    token = "a-good-token-of-24-chars"

    def said(url: str, single_user: bool) -> str:
        lines: list[str] = []
        settings = ServeSettings(
            str(TINY_PATH), str(roster), url, "127.0.0.1", 0, token, single_user=single_user
        )
        serve(settings, say=lines.append)
        return "\n".join(lines)

    with_accounts = said(f"sqlite:///{tmp_path / 'office.sqlite'}", single_user=False)
    assert "(log in with your account)" in with_accounts and "?token=" not in with_accounts
    assert "the token is not used on a workspace with accounts" in with_accounts
    alone = said(f"sqlite:///{tmp_path / 'alone.sqlite'}", single_user=True)
    assert "with the token you gave" in alone and "not used" not in alone
