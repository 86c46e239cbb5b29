"""Accounts, API keys and login sessions in the workspace (revision 0002).

Storage only: what a role may do, how a password is hashed and when a session expires
are the application layer's (``app/accounts.py``). Secrets are never stored: an API key
and a session's token are kept as their sha256 (they are long random strings, so a
plain hash is enough), a password as the argon2 hash the application hands over.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    update,
)

from campplanner.contract.errors import CampPlannerError
from campplanner.workspace.store import Workspace, _now, metadata

accounts = Table(
    "cp_accounts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("counties", Text, nullable=False),  # JSON list of county names
    Column("camps", Text, nullable=False),  # JSON list of camp ids
    Column("password_hash", String(200), nullable=False),
    Column("disabled", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
api_keys = Table(
    "cp_api_keys",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("account", Integer, ForeignKey("cp_accounts.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)
sessions = Table(
    "cp_sessions",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("account", Integer, ForeignKey("cp_accounts.id"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)


class AccountExists(CampPlannerError):
    exit_code = 2


class NoSuchAccount(CampPlannerError):
    exit_code = 2


@dataclass(frozen=True)
class AccountRecord:
    id: int
    name: str
    role: str
    counties: tuple[str, ...] = ()
    camps: tuple[str, ...] = ()
    password_hash: str = field(default="", repr=False)
    disabled: bool = False
    created_at: datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        """Everything but the hash."""
        return {
            "name": self.name,
            "role": self.role,
            "counties": list(self.counties),
            "camps": list(self.camps),
            "disabled": self.disabled,
            "created_at": self.created_at.isoformat() if self.created_at else None,
        }


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _record(row: Any) -> AccountRecord:
    return AccountRecord(
        row.id,
        row.name,
        row.role,
        tuple(json.loads(row.counties)),
        tuple(json.loads(row.camps)),
        row.password_hash,
        bool(row.disabled),
        row.created_at,
    )


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes (stored as UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class AccountStore:
    """The accounts of one workspace (see the module docstring)."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self.engine = workspace.engine

    def count(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(accounts)).scalar_one()

    def add(
        self,
        name: str,
        role: str,
        counties: list[str],
        camps: list[str],
        password_hash: str,
        by: str | None = None,
    ) -> AccountRecord:
        with self.engine.begin() as connection:
            if connection.execute(select(accounts.c.id).where(accounts.c.name == name)).first():
                raise AccountExists(f"an account named {name!r} exists already")
            connection.execute(
                insert(accounts).values(
                    name=name,
                    role=role,
                    counties=json.dumps(counties, ensure_ascii=False),
                    camps=json.dumps(camps, ensure_ascii=False),
                    password_hash=password_hash,
                    disabled=False,
                    created_at=_now(),
                )
            )
            self.workspace._audit(
                connection,
                "add account",
                by,
                user=name,
                role=role,
                counties=counties,
                camps=camps,
            )
        found = self.get(name)
        assert found is not None
        return found

    def get(self, name: str) -> AccountRecord | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(accounts).where(accounts.c.name == name)).first()
        return None if row is None else _record(row)

    def by_id(self, account_id: int) -> AccountRecord | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(accounts).where(accounts.c.id == account_id)).first()
        return None if row is None else _record(row)

    def all(self) -> list[AccountRecord]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(accounts).order_by(accounts.c.name)).all()
        return [_record(row) for row in rows]

    def _change(self, name: str, action: str, by: str | None, **values: Any) -> None:
        with self.engine.begin() as connection:
            done = connection.execute(
                update(accounts).where(accounts.c.name == name).values(**values)
            )
            if done.rowcount != 1:
                raise NoSuchAccount(f"no account named {name!r}")
            account_id = connection.execute(
                select(accounts.c.id).where(accounts.c.name == name)
            ).scalar_one()
            # a disabled account or a new password ends every session it had
            connection.execute(delete(sessions).where(sessions.c.account == account_id))
            self.workspace._audit(connection, action, by, user=name)

    def set_disabled(self, name: str, disabled: bool, by: str | None = None) -> None:
        self._change(
            name, "disable account" if disabled else "enable account", by, disabled=disabled
        )

    def set_password(self, name: str, password_hash: str, by: str | None = None) -> None:
        self._change(name, "reset password", by, password_hash=password_hash)

    def rehash(self, name: str, password_hash: str) -> None:
        """The same password hashed with today's parameters: no session ends, no entry."""
        with self.engine.begin() as connection:
            connection.execute(
                update(accounts).where(accounts.c.name == name).values(password_hash=password_hash)
            )

    # --------------------------------------------------------------- API keys
    def add_key(self, name: str, key: str, by: str | None = None) -> None:
        record = self.get(name)
        if record is None:
            raise NoSuchAccount(f"no account named {name!r}")
        with self.engine.begin() as connection:
            connection.execute(
                insert(api_keys).values(
                    sha256=secret_hash(key), account=record.id, created_at=_now()
                )
            )
            self.workspace._audit(connection, "add api key", by, user=name)

    def revoke_keys(self, name: str, by: str | None = None) -> int:
        record = self.get(name)
        if record is None:
            raise NoSuchAccount(f"no account named {name!r}")
        with self.engine.begin() as connection:
            done = connection.execute(
                update(api_keys)
                .where((api_keys.c.account == record.id) & api_keys.c.revoked_at.is_(None))
                .values(revoked_at=_now())
            )
            self.workspace._audit(connection, "revoke api keys", by, user=name)
        return done.rowcount

    def for_key(self, key: str) -> AccountRecord | None:
        """The account an unrevoked API key belongs to."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(accounts)
                .join(api_keys, api_keys.c.account == accounts.c.id)
                .where((api_keys.c.sha256 == secret_hash(key)) & api_keys.c.revoked_at.is_(None))
            ).first()
        return None if row is None else _record(row)

    # --------------------------------------------------------------- sessions
    def add_session(self, account: AccountRecord, token: str, csrf: str, expires: datetime) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(sessions).where(sessions.c.expires_at < _now()))
            connection.execute(
                insert(sessions).values(
                    sha256=secret_hash(token),
                    account=account.id,
                    csrf=csrf,
                    created_at=_now(),
                    expires_at=expires,
                )
            )

    def for_session(self, token: str) -> tuple[AccountRecord, str, datetime] | None:
        """The account, CSRF token and end of an open session (expired ones included:
        the caller says they are)."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(accounts, sessions.c.csrf, sessions.c.expires_at)
                .join(sessions, sessions.c.account == accounts.c.id)
                .where(sessions.c.sha256 == secret_hash(token))
            ).first()
        if row is None:
            return None
        return _record(row), row.csrf, _aware(row.expires_at)

    def drop_session(self, token: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(sessions).where(sessions.c.sha256 == secret_hash(token)))
