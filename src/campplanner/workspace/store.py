"""The workspace database: versions, pending edits, the audit log, and their migrations.

The tables below are the schema as the code reads it today; the steps that bring a
database there are Alembic revisions in ``migrations/versions/`` (``m0001_today``: the
schema as it was before Alembic), run by :meth:`Workspace.migrate` on every open.

Every change goes through one transaction that also moves the workspace's revision
number on by one, and only if the caller saw the current one (``expected``): a second
browser tab that edits from a stale page is refused (:class:`StaleRevision`) and nothing
is lost. A solve writes nothing here until the planner accepts its roster, so killing
the server mid-solve loses no accepted version.

Instance snapshots are stored once per content (gzip, keyed by their sha256): a season's
versions mostly share one instance.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine

from campplanner.contract.errors import CampPlannerError

metadata = MetaData()

meta = Table(
    "cp_meta",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("revision", Integer, nullable=False),
    Column("published", Integer, nullable=True),  # the published version's id
)
snapshots = Table(
    "cp_snapshots",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("data", LargeBinary, nullable=False),  # gzip of the instance JSON
)
versions = Table(
    "cp_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("parent", Integer, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("comment", Text, nullable=False, default=""),
    Column("instance_sha256", String(64), nullable=False),
    Column("solution", LargeBinary, nullable=True),  # gzip of the solution JSON
    Column("edits", Text, nullable=False, default="[]"),  # the edits it was solved with
    Column("coverage", Integer, nullable=True),
    Column("status", String(20), nullable=False, default="unknown"),
)
edits = Table(
    "cp_edits",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("ops", Text, nullable=False),  # JSON list of scenario edits (whatif/scenario.py)
    Column("pending", Boolean, nullable=False, default=True),
    Column("version", Integer, nullable=True),  # the version it went into, once accepted
    Column("account", String(100), nullable=True),  # who typed it (0003; before: nobody)
)
runs = Table(  # a server started on the workspace (0006): its jobs' ids start with its id
    "cp_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
)
accepted_jobs = Table(  # a re-solve accepted (0006): its job id, the version it became
    "cp_accepted_jobs",
    metadata,
    Column("job", String(40), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("account", String(100), nullable=True),
    Column("at", DateTime(timezone=True), nullable=False),
)
audit = Table(
    "cp_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("action", String(40), nullable=False),
    Column("detail", Text, nullable=False),  # JSON
    Column("account", String(100), nullable=True),  # who acted (0002; before: detail's "by")
    Column("address", String(64), nullable=True),  # from where (0002)
)


# Who acted, as entries written before revision 0002 kept it inside their detail.
BY = "by"

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Before Alembic, a workspace kept its own counter here; a database with it (and no
# alembic_version) holds the schema of revision 0001.
LEGACY_MIGRATIONS_TABLE = "cp_schema_migrations"
LEGACY_REVISION = "0001"


def _alembic_config(connection: Connection | None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration: the schema this code reads."""
    head = ScriptDirectory.from_config(_alembic_config(None)).get_current_head()
    assert head is not None
    return head


class StaleRevision(CampPlannerError):
    """The page that asked for a change showed an older workspace than the current one."""

    exit_code = 2


def _stale() -> StaleRevision:
    return StaleRevision(
        "this page showed an older state of the workspace: someone (another tab?) "
        "changed it since. Nothing was changed; reload the page and try again."
    )


class Superseded(StaleRevision):
    """A roster re-solved from a version someone else has replaced since (two offices at
    once): accepting it would silently undo their version. Its facts (the versions, who,
    when, the edits still pending) let a page say it in its own language."""

    def __init__(self, message: str, newest: int, base: int, by: str, at: str, pending: list[int]):
        super().__init__(message)
        self.newest, self.base, self.by, self.at, self.pending = newest, base, by, at, pending


class EditsChanged(StaleRevision):
    """A roster solved with an edit that has been dropped (or accepted) since: stored,
    the version would carry a change its record does not hold."""


@dataclass(frozen=True)
class VersionInfo:
    id: int
    parent: int | None
    created_at: datetime
    comment: str
    instance_sha256: str
    edits: list[dict[str, Any]]
    coverage: int | None
    status: str
    published: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "parent": self.parent,
            "created_at": self.created_at.isoformat(),
            "comment": self.comment,
            "edits": self.edits,
            "coverage": self.coverage,
            "status": self.status,
            "published": self.published,
        }


@dataclass(frozen=True)
class EditRecord:
    id: int
    created_at: datetime
    kind: str
    ops: list[dict[str, Any]]
    by: str | None = None  # who typed it (None: recorded before 0003)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created_at": self.created_at.isoformat(),
            "kind": self.kind,
            "ops": self.ops,
            "by": self.by,
        }


def default_workspace_url(instance_path: str) -> str:
    """SQLite, in a file next to the instance: ``medium.json`` -> ``medium.workspace.sqlite``."""
    path = Path(instance_path).resolve()
    stem = path.name.removesuffix(".gz").removesuffix(".json")
    return f"sqlite:///{path.with_name(stem + '.workspace.sqlite')}"


def driver_url(url: str) -> str:
    """``postgresql://`` means psycopg 3 here (SQLAlchemy's default is psycopg2)."""
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme) :]
    return url


def _now() -> datetime:
    return datetime.now(UTC)


def _zip(text: bytes) -> bytes:
    return gzip.compress(text, compresslevel=5, mtime=0)


class Workspace:
    """Versions, pending edits and the audit log in one database (see the module docstring)."""

    def __init__(self, url: str):
        self.url = url
        self.engine: Engine = create_engine(driver_url(url), future=True)
        self.migrate()

    # ------------------------------------------------------------------ schema
    def schema_version(self) -> str | None:
        """The Alembic revision the database is at (None: an empty database)."""
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def migrate(self) -> None:
        """Bring the schema up to the newest migration, in one transaction: a workspace
        written before Alembic is first stamped with the revision its tables are."""
        with self.engine.begin() as connection:
            config = _alembic_config(connection)
            current = MigrationContext.configure(connection).get_current_revision()
            if current is None and self.engine.dialect.has_table(
                connection, LEGACY_MIGRATIONS_TABLE
            ):
                command.stamp(config, LEGACY_REVISION)
            command.upgrade(config, "head")

    def close(self) -> None:
        self.engine.dispose()

    # ---------------------------------------------------------------- revision
    def revision(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(select(meta.c.revision).where(meta.c.id == 1)).scalar_one()

    def _bump(self, connection: Connection, expected: int | None) -> int:
        """Move the revision on by one, only from ``expected`` (None: from any)."""
        condition = meta.c.id == 1
        if expected is not None:
            condition = condition & (meta.c.revision == expected)
        done = connection.execute(
            update(meta).where(condition).values(revision=meta.c.revision + 1)
        )
        if done.rowcount != 1:
            raise _stale()
        return connection.execute(select(meta.c.revision).where(meta.c.id == 1)).scalar_one()

    def _audit(
        self,
        connection: Connection,
        action: str,
        by: str | None,
        address: str | None = None,
        **detail: Any,
    ) -> None:
        """An audit entry: ``by`` names who acted, ``address`` where from."""
        connection.execute(
            insert(audit).values(
                at=_now(),
                action=action,
                detail=json.dumps(detail, ensure_ascii=False),
                account=by,
                address=address,
            )
        )

    # ---------------------------------------------------------------- versions
    def add_version(
        self,
        instance_json: bytes,
        solution_json: bytes | None,
        *,
        comment: str = "",
        parent: int | None = None,
        edit_ids: list[int] | None = None,
        expected: int | None = None,
        by: str | None = None,
        address: str | None = None,
        on_top_of: int | None = None,
        job: str | None = None,
    ) -> int:
        """Store a roster as a new version (with the pending edits ``edit_ids`` it used),
        accepted by ``by``; with ``on_top_of``, only while that version is the newest
        (:class:`Superseded` otherwise, nothing changed); ``job``: the re-solve it comes
        from, remembered with it (:meth:`accepted_job`)."""
        sha = hashlib.sha256(instance_json).hexdigest()
        coverage, status = None, "unknown"
        if solution_json is not None:
            data = json.loads(solution_json)
            status = str(data.get("status", "unknown"))
            coverage = data.get("coverage")
        with self.engine.begin() as connection:
            if on_top_of is not None:
                self._check_newest(connection, on_top_of, edit_ids or [])
            self._bump(connection, expected)
            if (
                connection.execute(
                    select(snapshots.c.sha256).where(snapshots.c.sha256 == sha)
                ).first()
                is None
            ):
                connection.execute(insert(snapshots).values(sha256=sha, data=_zip(instance_json)))
            rows = self._pending(connection, edit_ids or [])
            used = [{"id": r.id, "kind": r.kind, "ops": json.loads(r.ops)} for r in rows]
            version_id = connection.execute(
                insert(versions).values(
                    parent=parent,
                    created_at=_now(),
                    comment=comment,
                    instance_sha256=sha,
                    solution=None if solution_json is None else _zip(solution_json),
                    edits=json.dumps(used, ensure_ascii=False),
                    coverage=coverage,
                    status=status,
                )
            ).inserted_primary_key[0]
            if edit_ids:
                connection.execute(
                    update(edits)
                    .where(edits.c.id.in_(edit_ids))
                    .values(pending=False, version=version_id)
                )
            if job is not None:
                connection.execute(
                    insert(accepted_jobs).values(job=job, version=version_id, account=by, at=_now())
                )
            self._audit(
                connection,
                "accept",
                by,
                address,
                version=version_id,
                parent=parent,
                edits=[e["id"] for e in used],
                comment=comment,
            )
        return int(version_id)

    def check_version(self, expected: int, on_top_of: int | None, edit_ids: list[int]) -> None:
        """Refuse now what :meth:`add_version` with these would refuse on its facts as
        they stand (a stale ``expected`` revision, ``on_top_of`` replaced, an edit of
        ``edit_ids`` no longer pending), storing nothing: a front end's refusal before
        the work of storing (the same checks hold again in that transaction)."""
        with self.engine.connect() as connection:
            if on_top_of is not None:
                self._check_newest(connection, on_top_of, edit_ids)
            revision = connection.execute(select(meta.c.revision).where(meta.c.id == 1))
            if revision.scalar_one() != expected:
                raise _stale()
            self._pending(connection, edit_ids)

    @staticmethod
    def _pending(connection: Connection, edit_ids: list[int]) -> list[Any]:
        """The edits ``edit_ids``' rows, all still pending, else :class:`EditsChanged`."""
        if not edit_ids:
            return []
        rows = connection.execute(select(edits).where(edits.c.id.in_(edit_ids))).all()
        if len(rows) != len(set(edit_ids)) or not all(r.pending for r in rows):
            # the roster was solved with an edit dropped (or accepted) since: the
            # version would carry a change its record does not hold
            raise EditsChanged(
                "an edit this roster was solved with has been dropped or accepted "
                "since the solve started: the roster still carries it. Nothing was "
                "changed; re-solve with the edits as they are now."
            )
        return list(rows)

    def accepted_job(self, job: str) -> tuple[int, str | None, datetime] | None:
        """The version re-solve ``job`` became when accepted, who accepted it and when
        (None: not accepted), kept across restarts."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(accepted_jobs).where(accepted_jobs.c.job == job)
            ).first()
        if row is None:
            return None
        at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)  # SQLite's are naive
        return int(row.version), row.account, at

    def start_run(self) -> int:
        """Number a server started on this workspace: its jobs' ids start with it, so no
        id of an earlier run (or of another server on the same database) is given again."""
        with self.engine.begin() as connection:
            return int(
                connection.execute(insert(runs).values(started_at=_now())).inserted_primary_key[0]
            )

    def restore_version(
        self,
        version_id: int,
        *,
        expected: int | None = None,
        by: str | None = None,
        address: str | None = None,
    ) -> int:
        """Make version ``version_id`` current again: a new version on top of the newest
        with its instance and roster as they were (no edits of its own), audited as
        ``by``'s ``restore``. KeyError: no such version."""
        with self.engine.begin() as connection:
            row = connection.execute(select(versions).where(versions.c.id == version_id)).first()
            if row is None:
                raise KeyError(version_id)
            newest = connection.execute(
                select(versions.c.id).order_by(versions.c.id.desc()).limit(1)
            ).scalar()
            self._bump(connection, expected)
            comment = f"↶ {version_id}"  # the restore's mark, in no language
            new_id = connection.execute(
                insert(versions).values(
                    parent=newest,
                    created_at=_now(),
                    comment=comment,
                    instance_sha256=row.instance_sha256,
                    solution=row.solution,
                    edits="[]",
                    coverage=row.coverage,
                    status=row.status,
                )
            ).inserted_primary_key[0]
            self._audit(
                connection,
                "restore",
                by,
                address,
                version=new_id,
                parent=newest,
                restored=version_id,
                comment=comment,
            )
        return int(new_id)

    def _check_newest(self, connection: Connection, base: int, edit_ids: list[int]) -> None:
        """Refuse to put a version on ``base`` once another one has replaced it, saying
        who did and how to carry the edits over (they stay pending: re-solve)."""
        newest = connection.execute(
            select(versions.c.id).order_by(versions.c.id.desc()).limit(1)
        ).scalar()
        if newest == base:
            return
        entry = connection.execute(
            select(audit.c.account, audit.c.at, audit.c.detail)
            .where(audit.c.action.in_(("accept", "restore")))
            .order_by(audit.c.id.desc())
            .limit(1)
        ).first()
        who, name, at = "", "", ""
        if entry is not None:
            name = entry.account or json.loads(entry.detail).get(BY) or ""
            at = f"{entry.at:%Y-%m-%d %H:%M}"
            who = (f" by {name}" if name else "") + f" at {at} UTC"
        still = (
            connection.execute(select(edits.c.id).where(edits.c.id.in_(edit_ids) & edits.c.pending))
            .scalars()
            .all()
        )
        carried = (
            f"your edits {', '.join(map(str, still))} are still pending: re-solve to apply "
            f"them on top of version {newest}, then accept that roster"
            if still
            else f"your edits are in version {newest} already; re-solve from it if more is needed"
        )
        raise Superseded(
            f"version {newest} was accepted{who} since this solve started from version "
            f"{base}: accepting it would undo theirs. Nothing was changed; {carried}.",
            newest,
            base,
            name,
            at,
            list(still),
        )

    def _info(self, row: Any, published: int | None) -> VersionInfo:
        return VersionInfo(
            row.id,
            row.parent,
            row.created_at,
            row.comment,
            row.instance_sha256,
            json.loads(row.edits),
            row.coverage,
            row.status,
            row.id == published,
        )

    def _published(self, connection: Connection) -> int | None:
        return connection.execute(select(meta.c.published).where(meta.c.id == 1)).scalar()

    def versions(self) -> list[VersionInfo]:
        """Newest first."""
        with self.engine.connect() as connection:
            published = self._published(connection)
            rows = connection.execute(
                select(*[c for c in versions.c if c.name != "solution"]).order_by(
                    versions.c.id.desc()
                )
            ).all()
        return [self._info(row, published) for row in rows]

    def version(self, version_id: int) -> VersionInfo | None:
        with self.engine.connect() as connection:
            published = self._published(connection)
            row = connection.execute(
                select(*[c for c in versions.c if c.name != "solution"]).where(
                    versions.c.id == version_id
                )
            ).first()
        return None if row is None else self._info(row, published)

    def head(self) -> VersionInfo | None:
        """The newest version: the one edits and re-solves start from."""
        listed = self.versions()
        return listed[0] if listed else None

    def instance_json(self, version_id: int) -> bytes:
        with self.engine.connect() as connection:
            data = connection.execute(
                select(snapshots.c.data)
                .join(versions, versions.c.instance_sha256 == snapshots.c.sha256)
                .where(versions.c.id == version_id)
            ).scalar_one()
        return gzip.decompress(data)

    def solution_json(self, version_id: int) -> bytes | None:
        with self.engine.connect() as connection:
            data = connection.execute(
                select(versions.c.solution).where(versions.c.id == version_id)
            ).scalar_one()
        return None if data is None else gzip.decompress(data)

    def find_version(self, instance_json: bytes, solution_json: bytes | None) -> int | None:
        """The newest version of exactly this instance (and roster, if given), if any."""
        sha = hashlib.sha256(instance_json).hexdigest()
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(versions.c.id, versions.c.solution)
                .where(versions.c.instance_sha256 == sha)
                .order_by(versions.c.id.desc())
            ).all()
        for row in rows:
            stored = None if row.solution is None else gzip.decompress(row.solution)
            if solution_json is None or stored == solution_json:
                return int(row.id)
        return None

    def publish(
        self,
        version_id: int,
        expected: int | None = None,
        by: str | None = None,
        address: str | None = None,
    ) -> None:
        with self.engine.begin() as connection:
            if (
                connection.execute(select(versions.c.id).where(versions.c.id == version_id)).first()
                is None
            ):
                raise KeyError(version_id)
            self._bump(connection, expected)
            connection.execute(update(meta).where(meta.c.id == 1).values(published=version_id))
            self._audit(connection, "publish", by, address, version=version_id)

    def published(self) -> int | None:
        with self.engine.connect() as connection:
            return self._published(connection)

    # ------------------------------------------------------------------- edits
    def add_edit(
        self,
        kind: str,
        ops: list[dict[str, Any]],
        expected: int | None = None,
        by: str | None = None,
        address: str | None = None,
    ) -> int:
        """Record ``by``'s edit (scenario edits, see whatif/scenario.py) for the next
        re-solve."""
        with self.engine.begin() as connection:
            self._bump(connection, expected)
            edit_id = connection.execute(
                insert(edits).values(
                    created_at=_now(),
                    kind=kind,
                    ops=json.dumps(ops, ensure_ascii=False),
                    pending=True,
                    account=by,
                )
            ).inserted_primary_key[0]
            self._audit(connection, "edit", by, address, edit=edit_id, kind=kind, ops=ops)
        return int(edit_id)

    def drop_edit(
        self,
        edit_id: int,
        expected: int | None = None,
        by: str | None = None,
        address: str | None = None,
    ) -> None:
        with self.engine.begin() as connection:
            self._bump(connection, expected)
            done = connection.execute(
                delete(edits).where((edits.c.id == edit_id) & edits.c.pending)
            )
            if done.rowcount != 1:
                raise KeyError(edit_id)
            self._audit(connection, "drop edit", by, address, edit=edit_id)

    def pending_edits(self) -> list[EditRecord]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(edits).where(edits.c.pending).order_by(edits.c.id)
            ).all()
        return [EditRecord(r.id, r.created_at, r.kind, json.loads(r.ops), r.account) for r in rows]

    def log(
        self,
        action: str,
        expected: int | None = None,
        by: str | None = None,
        address: str | None = None,
        **detail: Any,
    ) -> None:
        """An audit entry that is not a change (a discarded re-solve, a login...), by
        ``by`` from ``address``."""
        with self.engine.begin() as connection:
            if expected is not None:
                self._bump(connection, expected)
            self._audit(connection, action, by, address, **detail)

    def audit_log(
        self,
        limit: int = 200,
        *,
        by: str | None = None,
        action: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[dict[str, Any]]:
        """The newest entries first: when, what, who (``by``: None for an entry written
        before actors were recorded), from where, and the detail; only those of account
        ``by``, of ``action``, at or after ``since`` and before ``until`` when given.

        The audit is append-only from the application: no code writes an entry but
        :meth:`_audit`, and none changes or removes one (tests/test_audit.py reads the
        source)."""
        query = select(audit)
        if by is not None:  # entries written before 0002 kept it in their detail
            query = query.where(
                (audit.c.account == by)
                | (audit.c.account.is_(None) & audit.c.detail.contains(json.dumps({BY: by})[1:-1]))
            )
        if action is not None:
            query = query.where(audit.c.action == action)
        if since is not None:
            query = query.where(audit.c.at >= since)
        if until is not None:
            query = query.where(audit.c.at < until)
        with self.engine.connect() as connection:
            rows = connection.execute(query.order_by(audit.c.id.desc()).limit(limit)).all()
        entries = []
        for r in rows:
            detail = json.loads(r.detail)
            by = detail.pop(BY, None)  # where entries written before 0002 kept it
            entries.append(
                {
                    "id": r.id,
                    "at": r.at.isoformat(),
                    "action": r.action,
                    "by": r.account or by,
                    "address": r.address,
                    "detail": detail,
                }
            )
        return entries
