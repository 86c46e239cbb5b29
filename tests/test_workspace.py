"""The workspace database: versions, edits, the audit log, revisions and migrations.

Every test runs on SQLite, and on PostgreSQL when ``CAMPPLANNER_TEST_PG_URL`` names a
server (``.ci/run`` starts one); without it the PostgreSQL runs are skipped, loudly.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, func, insert, select, text

from builders import TINY_PATH, emptied
from campplanner.workspace import StaleRevision, Workspace
from campplanner.workspace.store import head_revision, snapshots
from web_helpers import post, served, solved, triples, wait_for_job

PG_URL = os.environ.get("CAMPPLANNER_TEST_PG_URL")


DATA = Path(__file__).parent / "data"
# A workspace written by campplanner before its migrations moved to Alembic (commit
# e2bc119): tiny.json opened with a solved roster, one edit accepted by a re-solve
# (version 2), a second edit pending; four audit entries, by "planner".
LEGACY = DATA / "workspace-e2bc119.sqlite"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ws.sqlite'}"
    if not PG_URL:
        pytest.skip(
            "PostgreSQL: set CAMPPLANNER_TEST_PG_URL=postgresql+psycopg://... "
            "(.ci/run starts a server) to run the workspace tests on it"
        )
    return emptied(PG_URL)


INSTANCE = b'{"name": "\xd8\xa7\xd8\xb1\xd8\xa7\xda\xa9"}'
ROSTER = json.dumps({"status": "feasible", "coverage": 7, "assignments": []}).encode()


def test_a_new_workspace_is_migrated_once(url: str) -> None:
    workspace = Workspace(url)
    assert workspace.schema_version() == head_revision()
    assert workspace.revision() == 0 and workspace.head() is None
    workspace.close()
    again = Workspace(url)  # nothing to do the second time: still one meta row
    assert again.schema_version() == head_revision() and again.revision() == 0
    again.close()


def _legacy_copy(url: str, tmp_path: Path) -> str:
    """The legacy workspace at ``url``: the file itself for SQLite; for PostgreSQL its
    tables, created as that version created them and filled with the file's rows."""
    if url.startswith("sqlite"):
        copy = tmp_path / "legacy.sqlite"
        shutil.copy(LEGACY, copy)
        return f"sqlite:///{copy}"
    source = sqlite3.connect(LEGACY)
    engine = create_engine(url)
    with engine.begin() as connection:
        # as SQLAlchemy wrote them on PostgreSQL: a serial id where SQLite's is its rowid
        for name, sql in source.execute("select name, sql from sqlite_master where type = 'table'"):
            if name in ("cp_versions", "cp_edits", "cp_audit"):
                sql = sql.replace("id INTEGER NOT NULL", "id SERIAL NOT NULL")
            sql = sql.replace("BLOB", "BYTEA").replace("DATETIME", "TIMESTAMP WITH TIME ZONE")
            connection.execute(text(sql))
    legacy = MetaData()
    legacy.reflect(engine)
    with engine.begin() as connection:
        for name, table in legacy.tables.items():
            cursor = source.execute(f"select * from {name}")
            columns = [d[0] for d in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor]
            for row in rows:
                if "pending" in row:
                    row["pending"] = bool(row["pending"])
            if rows:
                connection.execute(insert(table), rows)
        for name in ("cp_versions", "cp_edits", "cp_audit"):  # the ids go on from the rows
            connection.execute(
                text(f"select setval(pg_get_serial_sequence('{name}', 'id'), max(id)) from {name}")
            )
    engine.dispose()
    return url


def test_a_workspace_written_before_alembic_opens_and_upgrades(url: str, tmp_path: Path) -> None:
    legacy = _legacy_copy(url, tmp_path)
    workspace = Workspace(legacy)
    assert workspace.schema_version() == head_revision()
    assert [v.id for v in workspace.versions()] == [2, 1]
    assert workspace.revision() == 4 and workspace.head().edits[0]["kind"] == "remove"
    assert [e.id for e in workspace.pending_edits()] == [2]
    assert [(a["action"], a["by"]) for a in workspace.audit_log()] == [
        ("edit", "planner"),
        ("accept", "planner"),
        ("edit", "planner"),
        ("accept", "planner"),
    ]
    assert json.loads(workspace.solution_json(2))["assignments"]
    # and it goes on: new rows after the old ones, the revision counted on
    assert workspace.add_edit("forbid", [], expected=4) == 3
    workspace.drop_edit(2, expected=5)
    workspace.close()
    again = Workspace(legacy)  # stamped once, not again
    assert again.schema_version() == head_revision() and again.revision() == 6
    again.close()


def test_the_web_application_opens_a_workspace_written_before_alembic(tmp_path: Path) -> None:
    legacy = _legacy_copy("sqlite", tmp_path)
    site, client = served(TINY_PATH, tmp_path, url=legacy)
    state = client.get("/api/session").json()
    assert state["rev"] == 4
    assert client.get("/api/solution").json()["assignments"]
    site.close()
    site.workspace.close()


def test_versions_keep_instance_roster_edits_time_and_comment(url: str) -> None:
    workspace = Workspace(url)
    first = workspace.add_version(INSTANCE, ROSTER, comment="opened", expected=0)
    edit = workspace.add_edit("lock", [{"op": "lock", "assignments": []}], expected=1)
    assert [e.id for e in workspace.pending_edits()] == [edit]
    second = workspace.add_version(
        INSTANCE,
        ROSTER.replace(b"7", b"8"),
        comment="re-solved",
        parent=first,
        edit_ids=[edit],
        expected=2,
    )
    assert workspace.pending_edits() == []
    head = workspace.head()
    assert head is not None and head.id == second and head.parent == first
    assert head.coverage == 8 and head.comment == "re-solved" and head.edits[0]["kind"] == "lock"
    assert workspace.instance_json(first) == INSTANCE == workspace.instance_json(second)
    assert workspace.solution_json(first) == ROSTER
    with workspace.engine.connect() as connection:  # one snapshot for both versions
        assert connection.execute(select(func.count()).select_from(snapshots)).scalar() == 1
    assert workspace.find_version(INSTANCE, ROSTER) == first
    assert workspace.find_version(INSTANCE, None) == second
    assert workspace.find_version(b"{}", None) is None
    workspace.publish(first, expected=3)
    assert workspace.published() == first and workspace.version(first).published
    assert [a["action"] for a in workspace.audit_log()] == ["publish", "accept", "edit", "accept"]
    workspace.close()


def test_a_change_from_a_stale_revision_is_refused_and_changes_nothing(url: str) -> None:
    workspace = Workspace(url)
    version = workspace.add_version(INSTANCE, ROSTER, expected=0)
    edit = workspace.add_edit("forbid", [], expected=1)
    for change in (
        lambda: workspace.add_edit("forbid", [], expected=1),
        lambda: workspace.drop_edit(edit, expected=0),
        lambda: workspace.publish(version, expected=1),
        lambda: workspace.add_version(INSTANCE, ROSTER, expected=1),
    ):
        with pytest.raises(StaleRevision, match="reload the page"):
            change()
    assert workspace.revision() == 2
    assert len(workspace.versions()) == 1 and len(workspace.pending_edits()) == 1
    assert workspace.published() is None
    workspace.close()


def test_two_planners_at_once_one_wins_the_other_is_told(url: str) -> None:
    workspace = Workspace(url)
    workspace.add_version(INSTANCE, ROSTER, expected=0)
    outcomes: list[str] = []
    start = threading.Barrier(4)

    def edit(k: int) -> None:
        start.wait()
        try:
            workspace.add_edit("forbid", [{"k": k}], expected=1)
            outcomes.append("done")
        except StaleRevision:
            outcomes.append("stale")
        except Exception as error:  # SQLite may say "locked": never a silent double write
            outcomes.append(type(error).__name__)

    threads = [threading.Thread(target=edit, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("done") == 1
    assert len(workspace.pending_edits()) == 1 and workspace.revision() == 2
    workspace.close()


def test_the_web_application_runs_on_this_database(url: str, tmp_path: Path) -> None:
    published = solved(TINY_PATH, tmp_path)
    site, client = served(TINY_PATH, tmp_path, solution=published, url=url)
    first = client.get("/api/solution").json()["assignments"][0]
    answer = post(
        client,
        "/api/edits",
        {"kind": "remove", "volunteer": first["volunteer"], "camp": first["camp"]},
    )
    assert answer.status_code == 200, answer.text
    job = post(client, "/api/solve").json()["job"]
    wait_for_job(client, job)
    assert post(client, f"/api/jobs/{job}/accept").json()["version"] == 2
    roster = triples(client.get("/api/solution").content)
    assert (first["volunteer"], first["camp"], first["skill"]) not in roster
    site.close()
    site.workspace.close()


def test_a_version_is_refused_with_an_edit_dropped_since_its_solve(url: str) -> None:
    """The version's instance and its recorded edits agree (issue 26): a roster solved
    with an edit that has been dropped since is refused, in the same transaction."""
    workspace = Workspace(url)
    workspace.add_version(INSTANCE, ROSTER, expected=0)
    kept = workspace.add_edit("forbid", [{"k": 1}])
    dropped = workspace.add_edit("forbid", [{"k": 2}])
    workspace.drop_edit(dropped)
    revision = workspace.revision()
    with pytest.raises(StaleRevision, match="dropped"):
        workspace.add_version(INSTANCE, ROSTER, edit_ids=[kept, dropped], expected=revision)
    assert workspace.revision() == revision and len(workspace.versions()) == 1
    assert [e.id for e in workspace.pending_edits()] == [kept]
    version = workspace.add_version(INSTANCE, ROSTER, edit_ids=[kept], expected=revision)
    assert [e["id"] for e in workspace.version(version).edits] == [kept]
    workspace.close()


def test_a_database_of_another_program_is_not_taken_for_a_workspace(url: str) -> None:
    from sqlalchemy import text

    from campplanner.workspace.probe import not_a_workspace

    assert not_a_workspace(url) is None  # empty: a new workspace
    Workspace(url).close()
    assert not_a_workspace(url) is None  # a workspace
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    tables = MetaData()  # every table, Alembic's own included: only the other program's left
    tables.reflect(engine)
    tables.drop_all(engine)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE orders (id INTEGER PRIMARY KEY)"))
    try:
        assert "another program's tables (orders)" in (not_a_workspace(url) or "")
    finally:
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE orders"))
        engine.dispose()
