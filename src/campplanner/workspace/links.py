"""Volunteers' private links and their answers in the workspace (revision 0004).

Storage only: how a token is made and checked, when a link expires and what a page
shows are the application layer's (``app/links.py``). A link's token is never stored:
the row keeps its sha256 (found by it) and the serial the token was signed with; the
key that signs tokens lives in ``cp_link_keys`` (made once, on first use), so that the
planner's export can write the same link again without the workspace holding it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    String,
    Table,
    Text,
    func,
    insert,
    select,
    update,
)

from campplanner.workspace.store import Workspace, _now, metadata

link_keys = Table(
    "cp_link_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("secret", String(64), nullable=False),  # hex: the HMAC key of every token
)
links = Table(
    "cp_links",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sha256", String(64), nullable=False, unique=True),  # of the token
    Column("volunteer", String(200), nullable=False, index=True),
    Column("serial", Integer, nullable=False),  # the volunteer's n-th link (signed with it)
    Column("version", Integer, nullable=True),  # the version published when it was made
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("sent_at", DateTime(timezone=True), nullable=True),  # first written for SMS
    Column("opened_at", DateTime(timezone=True), nullable=True),  # first opened
)
answers = Table(
    "cp_answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("volunteer", String(200), nullable=False, index=True),
    Column("camp", String(200), nullable=False),
    Column("answer", String(10), nullable=False),  # confirm | decline
    Column("reason", String(40), nullable=False),  # a key of the short list, "" for none
    Column("text", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=True),  # the published version answered on
    Column("edit", Integer, nullable=True),  # a decline's edit (cp_edits)
)


def aware(moment: datetime | None) -> datetime | None:
    """SQLite gives back naive datetimes (stored as UTC)."""
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class LinkRecord:
    id: int
    volunteer: str
    serial: int
    version: int | None
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    sent_at: datetime | None
    opened_at: datetime | None


@dataclass(frozen=True)
class AnswerRecord:
    volunteer: str
    camp: str
    answer: str
    reason: str
    text: str
    at: datetime
    version: int | None
    edit: int | None


def _link(row: Any) -> LinkRecord:
    return LinkRecord(
        row.id,
        row.volunteer,
        row.serial,
        row.version,
        aware(row.created_at),  # type: ignore[arg-type]
        aware(row.expires_at),  # type: ignore[arg-type]
        aware(row.revoked_at),
        aware(row.sent_at),
        aware(row.opened_at),
    )


class LinkStore:
    """The links and answers of one workspace (see the module docstring)."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self.engine = workspace.engine
        self._key: bytes | None = None

    def key(self) -> bytes:
        """The key that signs every token of this workspace (made on first use, then
        kept: it never changes)."""
        if self._key is not None:
            return self._key
        with self.engine.begin() as connection:
            secret = connection.execute(
                select(link_keys.c.secret).where(link_keys.c.id == 1)
            ).scalar()
            if secret is None:
                secret = secrets.token_hex(32)
                connection.execute(insert(link_keys).values(id=1, secret=secret))
        self._key = bytes.fromhex(secret)
        return self._key

    def live(self, now: datetime) -> dict[str, LinkRecord]:
        """Each volunteer's newest link that is neither revoked nor expired."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(links).where(links.c.revoked_at.is_(None)).order_by(links.c.id)
            ).all()
        found = {}
        for row in rows:
            record = _link(row)
            if record.expires_at > now:
                found[record.volunteer] = record
        return found

    def add(
        self,
        made: list[tuple[str, int, str]],
        version: int | None,
        expires_at: datetime,
        by: str | None,
        address: str | None = None,
    ) -> None:
        """New links: (volunteer, serial, sha256 of its token) each, one audit entry."""
        if not made:
            return
        now = _now()
        rows = [
            {
                "sha256": sha,
                "volunteer": volunteer,
                "serial": serial,
                "version": version,
                "created_at": now,
                "expires_at": expires_at,
            }
            for volunteer, serial, sha in made
        ]
        with self.engine.begin() as connection:
            connection.execute(insert(links), rows)  # one statement for the season's
            self.workspace._audit(
                connection, "issue links", by, address, version=version, links=len(made)
            )

    def serials(self) -> dict[str, int]:
        """Each volunteer's newest link's serial (the next one is one more)."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(links.c.volunteer, func.max(links.c.serial)).group_by(links.c.volunteer)
            ).all()
        return {volunteer: int(serial) for volunteer, serial in rows}

    def find(self, sha: str) -> LinkRecord | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(links).where(links.c.sha256 == sha)).first()
        return None if row is None else _link(row)

    def mark(self, ids: list[int], column: str) -> None:
        """``sent_at`` or ``opened_at`` of links ``ids``, the first time only."""
        if not ids:
            return
        target = links.c[column]
        with self.engine.begin() as connection:
            connection.execute(
                update(links).where(links.c.id.in_(ids) & target.is_(None)).values({column: _now()})
            )

    def revoke(self, volunteer: str, by: str | None, address: str | None = None) -> int:
        """Revoke every live link of ``volunteer``: how many were."""
        with self.engine.begin() as connection:
            done = connection.execute(
                update(links)
                .where((links.c.volunteer == volunteer) & links.c.revoked_at.is_(None))
                .values(revoked_at=_now())
            )
            self.workspace._audit(
                connection, "revoke link", by, address, volunteer=volunteer, links=done.rowcount
            )
        return int(done.rowcount)

    def answer(
        self,
        volunteer: str,
        camp: str,
        answer: str,
        reason: str,
        text: str,
        version: int | None,
        edit: int | None,
    ) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                insert(answers).values(
                    volunteer=volunteer,
                    camp=camp,
                    answer=answer,
                    reason=reason,
                    text=text,
                    at=_now(),
                    version=version,
                    edit=edit,
                )
            )
            self.workspace._audit(
                connection,
                "answer",
                f"volunteer {volunteer}",
                None,
                volunteer=volunteer,
                camp=camp,
                answer=answer,
                reason=reason,
            )

    def answers(self, volunteer: str | None = None) -> dict[tuple[str, str], AnswerRecord]:
        """The newest answer per (volunteer, camp), of ``volunteer`` alone if given."""
        query = select(answers).order_by(answers.c.id)
        if volunteer is not None:
            query = query.where(answers.c.volunteer == volunteer)
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return {
            (r.volunteer, r.camp): AnswerRecord(
                r.volunteer,
                r.camp,
                r.answer,
                r.reason,
                r.text,
                aware(r.at),  # type: ignore[arg-type]
                r.version,
                r.edit,
            )
            for r in rows
        }

    def stamp(self) -> tuple[Any, ...]:
        """What changes whenever a link or an answer does (made, sent, opened, revoked,
        answered): two counts, for a cache of the statuses."""
        with self.engine.connect() as connection:
            made = connection.execute(
                select(
                    func.count(),
                    func.max(links.c.id),
                    func.count(links.c.sent_at),
                    func.count(links.c.opened_at),
                    func.count(links.c.revoked_at),
                )
            ).one()
            said = connection.execute(select(func.count(), func.max(answers.c.id))).one()
        return (*made, *said)

    def newest(self) -> dict[str, LinkRecord]:
        """Each volunteer's newest link, whatever its state (for the statuses)."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(links).order_by(links.c.id)).all()
        return {row.volunteer: _link(row) for row in rows}
