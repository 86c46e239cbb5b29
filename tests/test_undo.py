"""Undo (issue 25): an earlier version made current again as a new version, with its
instance and roster as they were, audited with who did it; refused while a solve runs or
edits are pending (saying what to do), and to a county coordinator when it would change
another county's camps.

On SQLite, and on PostgreSQL when ``CAMPPLANNER_TEST_PG_URL`` names a server.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from builders import TINY_PATH, emptied
from web_helpers import served, solved

PG_URL = os.environ.get("CAMPPLANNER_TEST_PG_URL")
PASSWORD = "a long pass phrase"


@pytest.fixture(scope="module")
def roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return solved(TINY_PATH, tmp_path_factory.mktemp("roster"))


@pytest.fixture(params=["sqlite", "postgresql"])
def site(request: pytest.FixtureRequest, roster: Path, tmp_path: Path):
    """tiny.json served with version 1 (the published roster), accounts per role (the
    county: khomein, camp c1)."""
    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip("PostgreSQL: set CAMPPLANNER_TEST_PG_URL to run it")
        url = emptied(PG_URL)
    else:
        url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    session, client = served(TINY_PATH, tmp_path, solution=roster, url=url)
    session.accounts.add("province", "province", PASSWORD)
    session.accounts.add("county", "county", PASSWORD, counties=["khomein"])
    session.accounts.add("viewer", "viewer", PASSWORD)
    yield session, client
    session.close()
    session.workspace.close()


def _as(site, name: str) -> tuple[TestClient, str]:
    _, client = site
    other = TestClient(client.app, base_url="http://127.0.0.1:8000")
    answer = other.post("/api/login", json={"name": name, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return other, answer.json()["csrf"]


def _post(client: TestClient, csrf: str, url: str, body: dict | None = None):
    rev = client.get("/api/session").json()["rev"]
    return client.post(url, json={"rev": rev, **(body or {})}, headers={"X-CSRF-Token": csrf})


def _second_version(session, camp: str) -> int:
    """A new version: the current roster with camp ``camp``'s team gone (as a wrong
    accept)."""
    workspace = session.workspace
    solution = json.loads(workspace.solution_json(workspace.head().id))
    solution["assignments"] = [a for a in solution["assignments"] if a["camp"] != camp]
    return workspace.add_version(
        workspace.instance_json(1),
        json.dumps(solution).encode(),
        comment="a wrong accept",
        parent=workspace.head().id,
        by="someone",
    )


def test_restore_makes_an_earlier_version_current_again_as_a_new_one(site) -> None:
    session, _ = site
    workspace = session.workspace
    assert _second_version(session, "c1") == 2
    client, csrf = _as(site, "province")
    assert client.get("/api/camps/c1").json()["team"] == []  # version 2 is current

    answer = _post(client, csrf, "/api/versions/1/restore")

    assert answer.status_code == 200, answer.text
    assert answer.json()["version"] == 3 and answer.json()["restored"] == 1
    assert [v["id"] for v in client.get("/api/versions").json()["versions"]] == [3, 2, 1]
    assert workspace.instance_json(3) == workspace.instance_json(1)
    assert workspace.solution_json(3) == workspace.solution_json(1)
    assert workspace.version(3).parent == 2 and workspace.version(3).edits == []
    assert client.get("/api/camps/c1").json()["team"] != []  # the pages read version 3
    entry = client.get("/api/audit", params={"action": "restore"}).json()["audit"][0]
    assert entry["by"] == "province"
    assert entry["detail"]["restored"] == 1 and entry["detail"]["version"] == 3


def test_restore_is_refused_while_edits_are_pending_saying_what_to_do(site) -> None:
    session, _ = site
    _second_version(session, "c1")
    session.workspace.add_edit(
        "remove", [{"op": "forbid", "pairs": [{"volunteer": "v06", "camp": "c2"}]}]
    )
    client, csrf = _as(site, "province")
    answer = _post(client, csrf, "/api/versions/1/restore")
    assert answer.status_code == 400
    assert "pending" in answer.json()["error"] and "drop them" in answer.json()["error"]
    assert session.workspace.head().id == 2  # nothing changed


def test_restore_is_refused_while_a_solve_runs(site, monkeypatch) -> None:
    session, _ = site
    _second_version(session, "c1")
    client, csrf = _as(site, "province")
    monkeypatch.setattr(session.background, "running", lambda: "7")  # a solve, held
    answer = _post(client, csrf, "/api/versions/1/restore")
    assert answer.status_code == 400
    assert "a solve is running" in answer.json()["error"]
    assert session.workspace.head().id == 2


def test_restore_of_the_current_version_or_none_is_refused(site) -> None:
    client, csrf = _as(site, "province")
    assert _post(client, csrf, "/api/versions/1/restore").status_code == 400
    assert _post(client, csrf, "/api/versions/9/restore").status_code == 404


def test_a_county_restores_only_within_its_counties(site) -> None:
    session, _ = site
    _second_version(session, "c2")  # saveh's camp: not khomein's
    county, csrf = _as(site, "county")
    answer = _post(county, csrf, "/api/versions/1/restore")
    assert answer.status_code == 403 and "c2" in answer.json()["error"]
    _second_version(session, "c1")  # version 3: c1 (khomein) emptied as well
    answer = _post(county, csrf, "/api/versions/2/restore")  # c1 back, c2 stays empty
    assert answer.status_code == 200, answer.text
    assert session.workspace.solution_json(4) == session.workspace.solution_json(2)
    answer = _post(county, csrf, "/api/versions/1/restore")  # c2 back: saveh's
    assert answer.status_code == 403
    viewer, csrf = _as(site, "viewer")
    assert _post(viewer, csrf, "/api/versions/1/restore").status_code == 403


def test_the_versions_page_offers_restore_in_persian_and_english(site) -> None:
    session, _ = site
    _second_version(session, "c1")
    client, _ = _as(site, "province")
    persian = client.get("/versions", cookies={"campplanner_lang": "fa"}).text
    assert 'action="/versions/1/restore"' in persian and "بازگرداندن" in persian
    assert 'action="/versions/2/restore"' not in persian  # the current one
    english = client.get("/versions?lang=en").text
    assert "Restore" in english


def test_a_restored_version_is_marked_in_the_pages_digits(site) -> None:
    session, _ = site
    _second_version(session, "c1")
    client, csrf = _as(site, "province")
    assert _post(client, csrf, "/api/versions/1/restore").status_code == 200
    persian = client.get("/versions", cookies={"campplanner_lang": "fa"}).text
    table = persian.split('id="versions"')[1].split("</table>")[0]
    assert "↶ ۱" in table and "↶ 1" not in table
