"""Accounts (issue 23): ``campplanner users``, passwords, API keys, logins and their limits.

On SQLite, and on PostgreSQL when ``CAMPPLANNER_TEST_PG_URL`` names a server.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from builders import TINY_PATH, emptied
from campplanner import cli
from campplanner.app.accounts import (
    HASHER,
    MAX_FAILURES_PER_ADDRESS,
    MAX_FAILURES_PER_NAME,
    SESSION_LIFETIME,
    Accounts,
    LoginRefused,
    TooManyAttempts,
)
from campplanner.workspace import Workspace

PG_URL = os.environ.get("CAMPPLANNER_TEST_PG_URL")
PASSWORD = "a long pass phrase"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A workspace holding tiny.json as its one version (counties arak, khomein, saveh;
    camps c1 to c4)."""
    if request.param == "sqlite":
        address = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    elif not PG_URL:
        pytest.skip("PostgreSQL: set CAMPPLANNER_TEST_PG_URL to run the account tests on it")
    else:
        address = emptied(PG_URL)
    workspace = Workspace(address)
    workspace.add_version(TINY_PATH.read_bytes(), None, expected=0)
    workspace.close()
    return address


def _where(url: str) -> list[str]:
    if url.startswith("sqlite:///"):
        return ["--workspace", url.removeprefix("sqlite:///")]
    return ["--db", url]


def users(url: str, *args: str, password: str | None = None):
    return CliRunner().invoke(
        cli.main, ["users", *args, *_where(url)], input=None if password is None else password
    )


def test_users_add_reads_the_password_from_standard_input(url: str) -> None:
    added = users(
        url, "add", "maryam", "--role", "county", "--county", "khomein", password=PASSWORD
    )
    assert added.exit_code == 0, added.output
    added = users(
        url,
        "add",
        "reza",
        "--role",
        "camp-leader",
        "--camp",
        "c1",
        "--camp",
        "c2",
        password=PASSWORD + "\n",
    )
    assert added.exit_code == 0, added.output
    listed = json.loads(users(url, "list", "--json").output)
    assert [(a["name"], a["role"], a["counties"], a["camps"]) for a in listed] == [
        ("maryam", "county", ["khomein"], []),
        ("reza", "camp-leader", [], ["c1", "c2"]),
    ]
    workspace = Workspace(url)
    record = Accounts(workspace).store.get("maryam")
    assert record is not None and record.password_hash.startswith("$argon2id$")
    assert PASSWORD not in record.password_hash
    assert HASHER.verify(record.password_hash, PASSWORD)
    entry = workspace.audit_log()[0]
    assert (entry["action"], entry["by"], entry["detail"]["user"]) == (
        "add account",
        "command-line",
        "reza",
    )
    workspace.close()


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["--role", "county", "--county", "tehran"], PASSWORD, "no county tehran in the instance"),
        (["--role", "camp-leader", "--camp", "c9"], PASSWORD, "no camp c9 in the instance"),
        (["--role", "county"], PASSWORD, "needs --county"),
        (["--role", "viewer", "--county", "arak"], PASSWORD, "--county is for the county role"),
        (["--role", "viewer"], "short", "too short"),
        (["--role", "viewer"], "", "no password on standard input"),
    ],
)
def test_users_add_refuses_with_one_message(
    url: str, args: list[str], password: str, message: str
) -> None:
    answer = users(url, "add", "someone", *args, password=password)
    assert answer.exit_code == 2 and message in answer.output, answer.output
    assert "Traceback" not in answer.output
    assert json.loads(users(url, "list", "--json").output) == []


def test_a_name_is_added_once_and_a_missing_workspace_is_named(url: str, tmp_path: Path) -> None:
    assert users(url, "add", "ali", "--role", "province", password=PASSWORD).exit_code == 0
    again = users(url, "add", "ali", "--role", "viewer", password=PASSWORD)
    assert again.exit_code == 2 and "exists already" in again.output
    missing = CliRunner().invoke(
        cli.main, ["users", "list", "--workspace", str(tmp_path / "nowhere.sqlite")]
    )
    assert missing.exit_code == 2 and "nowhere.sqlite: no such workspace" in missing.output
    assert not (tmp_path / "nowhere.sqlite").exists()
    unreachable = CliRunner().invoke(
        cli.main, ["users", "list", "--db", "postgresql://someone:secret@127.0.0.1:9/none"]
    )
    assert unreachable.exit_code == 2 and "cannot open the workspace" in unreachable.output
    assert "secret" not in unreachable.output and "Traceback" not in unreachable.output
    not_a_database = tmp_path / "notes.sqlite"
    not_a_database.write_text("not a database")
    garbled = CliRunner().invoke(cli.main, ["users", "list", "--workspace", str(not_a_database)])
    assert garbled.exit_code == 2 and "cannot open the workspace" in garbled.output
    other = tmp_path / "orders.sqlite"  # another program's SQLite file (issue 26's probe)
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY)")
    connection.close()
    for args in (["list"], ["add", "ali", "--role", "viewer"]):
        foreign = CliRunner().invoke(
            cli.main, ["users", *args, "--workspace", str(other)], input=PASSWORD
        )
        assert foreign.exit_code == 2 and "another program's tables (orders)" in foreign.output
    with sqlite3.connect(other) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    connection.close()
    assert tables == {"orders"}  # nothing written to it


def test_disable_reset_and_api_keys(url: str) -> None:
    assert users(url, "add", "ali", "--role", "viewer", password=PASSWORD).exit_code == 0
    workspace = Workspace(url)
    accounts = Accounts(workspace)
    login = accounts.login("ali", PASSWORD, "10.0.0.5")
    assert accounts.for_session(login.token).name == "ali"
    key = users(url, "api-key", "ali").output.strip()
    assert key.startswith("cpk_") and accounts.for_key(key).role == "viewer"
    # a new password ends the sessions; the old password no longer opens one
    assert users(url, "reset-password", "ali", password="another long one").exit_code == 0
    assert accounts.for_session(login.token) is None
    with pytest.raises(LoginRefused):
        accounts.login("ali", PASSWORD, "10.0.0.5")
    second = accounts.login("ali", "another long one", "10.0.0.5")
    # disabled: no session, no key, no login
    assert users(url, "disable", "ali").exit_code == 0
    assert accounts.for_session(second.token) is None and accounts.for_key(key) is None
    with pytest.raises(LoginRefused):
        accounts.login("ali", "another long one", "10.0.0.5")
    assert users(url, "enable", "ali").exit_code == 0
    assert accounts.for_key(key) is not None
    assert "1 API key(s) of ali revoked" in users(url, "api-key", "ali", "--revoke").output
    assert accounts.for_key(key) is None
    assert users(url, "disable", "nobody").exit_code == 2
    actions = [e["action"] for e in workspace.audit_log()]
    assert "login failed" in actions and "disable account" in actions
    workspace.close()


def test_a_session_expires(url: str) -> None:
    workspace = Workspace(url)
    now = [datetime(2026, 12, 7, 8, 0, tzinfo=UTC)]
    accounts = Accounts(workspace, now=lambda: now[0])
    accounts.add("ali", "viewer", PASSWORD)
    login = accounts.login("ali", PASSWORD, None)
    now[0] += SESSION_LIFETIME - timedelta(seconds=1)
    assert accounts.for_session(login.token) is not None
    now[0] += timedelta(seconds=2)
    assert accounts.for_session(login.token) is None
    workspace.close()


def test_failed_logins_are_limited_per_name_and_per_address_without_a_hint(url: str) -> None:
    workspace = Workspace(url)
    clock = [0.0]
    accounts = Accounts(workspace, clock=lambda: clock[0])
    accounts.add("ali", "viewer", PASSWORD)
    # an unknown name and a wrong password are told the same
    messages = set()
    for name in ("ali", "nobody"):
        with pytest.raises(LoginRefused) as refused:
            accounts.login(name, "wrong password", "10.0.0.1")
        messages.add(str(refused.value))
    assert len(messages) == 1
    for _ in range(MAX_FAILURES_PER_NAME - 1):
        with pytest.raises(LoginRefused):
            accounts.login("ali", "wrong password", "10.0.0.2")
    with pytest.raises(TooManyAttempts):  # the right password too, from anywhere
        accounts.login("ali", PASSWORD, "10.0.0.3")
    with pytest.raises(TooManyAttempts):  # and for a name that does not exist, alike
        for _ in range(MAX_FAILURES_PER_NAME + 1):
            with contextlib.suppress(LoginRefused):
                accounts.login("nobody", "wrong password", "10.0.0.4")
    # an address trying many names is stopped too
    clock[0] += 3600
    with pytest.raises(TooManyAttempts):
        for k in range(MAX_FAILURES_PER_ADDRESS + 1):
            with contextlib.suppress(LoginRefused):
                accounts.login(f"name{k}", "wrong password", "10.0.0.9")
    assert accounts.login("ali", PASSWORD, "10.0.0.3").actor.name == "ali"
    actions = [(e["action"], e["address"]) for e in workspace.audit_log(limit=1000)]
    assert ("login refused", "10.0.0.3") in actions and ("login", "10.0.0.3") in actions
    # a flood of refused attempts is one entry per name and address in a window
    for _ in range(50):
        with contextlib.suppress(TooManyAttempts):
            accounts.login("ali", "wrong password", "10.0.0.9")
    flood = [e for e in workspace.audit_log(limit=1000) if e["address"] == "10.0.0.9"]
    assert sum(e["action"] == "login refused" for e in flood) <= 2
    workspace.close()
