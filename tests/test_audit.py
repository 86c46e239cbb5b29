"""The audit that names people (issue 23): every change, download and login with the
account, time and address; ``campplanner audit`` and the audit page filter it; the
application only ever adds to it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from builders import REPO, TINY_PATH
from campplanner import cli
from web_helpers import served, solved

PASSWORD = "a long pass phrase"


@pytest.fixture(scope="module")
def roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return solved(TINY_PATH, tmp_path_factory.mktemp("roster"))


@pytest.fixture
def site(roster: Path, tmp_path: Path):
    session, client = served(TINY_PATH, tmp_path, solution=roster)
    session.accounts.add("maryam", "province", PASSWORD)
    session.accounts.add("reza", "county", PASSWORD, counties=["khomein"])
    yield session, client, tmp_path / "ws.sqlite"
    session.close()
    session.workspace.close()


def _login(client, name: str) -> str:
    answer = client.post("/api/login", json={"name": name, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return answer.json()["csrf"]


def test_the_province_reads_who_did_what_and_the_county_may_not(site) -> None:
    _session, client, _ = site
    assert (
        client.post("/api/login", json={"name": "reza", "password": "wrong one!"}).status_code
        == 401
    )
    csrf = _login(client, "reza")
    rev = client.get("/api/session").json()["rev"]
    edit = client.post(
        "/api/edits",
        json={"rev": rev, "kind": "remove", "volunteer": "v07", "camp": "c1"},
        headers={"X-CSRF-Token": csrf},
    )
    assert edit.status_code == 200, edit.text
    assert client.get("/versions/1/download/csv").status_code == 200
    assert client.get("/audit").status_code == 403
    assert client.get("/api/audit").status_code == 403
    _login(client, "maryam")
    page = client.get("/audit?lang=en")
    assert page.status_code == 200 and 'href="/audit"' in page.text
    rows = re.findall(r"<tr><td class=\"date\">.*?</tr>", page.text, re.S)
    assert any("reza" in r and ">edit<" in r and "testclient" in r for r in rows)
    persian = client.get("/audit").text  # the actions named in Persian
    assert "ورود ناموفق" in persian and ">login failed<" not in persian
    entries = client.get("/api/audit").json()["audit"]
    seen = [(e["action"], e["by"], e["address"]) for e in entries]
    assert ("login failed", "reza", "testclient") in seen
    assert ("download", "reza", "testclient") in seen
    assert ("edit", "reza", "testclient") in seen
    only = client.get("/api/audit", params={"account": "reza", "action": "edit"}).json()["audit"]
    assert [(e["action"], e["by"]) for e in only] == [("edit", "reza")]
    assert only[0]["detail"]["ops"] == [
        {"op": "forbid", "pairs": [{"volunteer": "v07", "camp": "c1"}]}
    ]
    assert client.get("/api/audit", params={"until": "2000-01-01"}).json()["audit"] == []
    assert client.get("/api/audit", params={"since": "yesterday"}).status_code == 400


def test_campplanner_audit_filters_the_log(site) -> None:
    _session, client, path = site
    _login(client, "reza")
    _login(client, "maryam")
    runner = CliRunner()
    everything = runner.invoke(cli.main, ["audit", "--workspace", str(path), "--json"])
    assert everything.exit_code == 0, everything.output
    actions = [(e["action"], e["by"]) for e in json.loads(everything.output)]
    assert actions[:2] == [("login", "maryam"), ("login", "reza")]
    lines = runner.invoke(
        cli.main, ["audit", "--workspace", str(path), "--account", "reza", "--action", "login"]
    ).output.splitlines()
    assert len(lines) == 1 and "\treza\ttestclient\tlogin\t" in lines[0]
    bad = runner.invoke(cli.main, ["audit", "--workspace", str(path), "--since", "1403-01-01x"])
    assert bad.exit_code == 2 and "since: a day as YYYY-MM-DD" in bad.output


def test_the_application_only_adds_to_the_audit() -> None:
    """No module changes or removes an entry: one writer (``Workspace._audit``), an insert."""
    source = REPO / "src" / "campplanner"
    offenders = []
    for path in source.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"(update|delete)\(\s*audit\b", text) or (
            "cp_audit" in text and ("DELETE" in text or "UPDATE" in text)
        ):
            offenders.append(str(path.relative_to(source)))
        if "insert(audit)" in text and path.name != "store.py":
            offenders.append(str(path.relative_to(source)))
    assert offenders == []
