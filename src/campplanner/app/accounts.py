"""Accounts of a workspace: who may log in, with what role, over which counties and camps.

The four roles (docs/review.md, *Accounts*): ``province`` (everything, accounts too),
``county`` (reads the province; changes only its counties' camps), ``camp-leader``
(reads its own camps, phones included; says a member is not coming) and ``viewer``
(reads, no phones). What each may do is :mod:`campplanner.app.review.permissions`'s.

Passwords are hashed with argon2id (argon2-cffi) with the parameters of :data:`HASHER`;
sessions last :data:`SESSION_LIFETIME`; failed logins are counted per account name
(whether it exists or not, so the answer gives no hint) and per address, and past
:data:`MAX_FAILURES_PER_NAME` or :data:`MAX_FAILURES_PER_ADDRESS` within
:data:`FAILURE_WINDOW` every login from there is refused (429), the right password too.
"""

from __future__ import annotations

import functools
import json
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from campplanner.app.review.actor import Actor
from campplanner.contract.errors import CampPlannerError, UsageError, plain_reason
from campplanner.workspace import Workspace
from campplanner.workspace.accounts import AccountExists, AccountRecord, AccountStore, NoSuchAccount
from campplanner.workspace.probe import not_a_workspace

ROLES = ("province", "county", "camp-leader", "viewer")
# OWASP's first recommended argon2id setting (Password Storage Cheat Sheet): 19 MiB, 2
# passes, 1 lane. RFC 9106's 64 MiB x 3 x 4 is several times slower per login on the
# office's loaded two-core server, where a burst of logins would stall re-solves (the
# figures: docs/review.md, Accounts).
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, hash_len=32, salt_len=16)
SESSION_LIFETIME = timedelta(hours=8)
MIN_PASSWORD = 10  # characters
MAX_NAME = 100
FAILURE_WINDOW = 15 * 60.0  # seconds
MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_PER_ADDRESS = 20


@functools.cache
def _dummy_hash() -> str:
    """Verified when the name is unknown, so that an unknown name takes as long as a
    known one (made once, when first needed: it takes a hash's time)."""
    return HASHER.hash(secrets.token_urlsafe(16))


class LoginRefused(CampPlannerError):
    """A wrong name or password, a disabled account: one message for all (no hint)."""


class TooManyAttempts(CampPlannerError):
    """Too many failed logins for this name or from this address (HTTP 429)."""


class NotLoggedIn(CampPlannerError):
    """No session, an expired one, or an unknown credential (HTTP 401)."""


WRONG = "wrong name or password (or the account is disabled)"


@dataclass(frozen=True)
class Login:
    """An open session: the cookie's value, the CSRF token of its pages, its end."""

    token: str
    csrf: str
    expires: datetime
    actor: Actor


def actor_of(record: AccountRecord, address: str | None = None, csrf: str | None = None) -> Actor:
    return Actor(
        record.name,
        record.role,
        counties=frozenset(record.counties),
        camps=frozenset(record.camps),
        address=address,
        csrf=csrf,
    )


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"the password is too short: at least {MIN_PASSWORD} characters")
    if len(password) > 1000:
        raise UsageError("the password is too long: at most 1,000 characters")
    return password


class Failures:
    """Failed logins in the last window, per key (a name or an address)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self.seen: dict[str, deque[float]] = defaultdict(deque)
        self.refused: dict[str, float] = {}
        self.lock = threading.Lock()

    def count(self, key: str) -> int:
        with self.lock:
            times = self.seen.get(key)
            if not times:
                return 0
            while times and times[0] < self.clock() - FAILURE_WINDOW:
                times.popleft()
            return len(times)

    def add(self, key: str) -> None:
        with self.lock:
            self.seen[key].append(self.clock())

    def first_refusal(self, key: str) -> bool:
        """Is this the first refusal for ``key`` in the window (then it is recorded)?"""
        with self.lock:
            last = self.refused.get(key)
            if last is not None and last >= self.clock() - FAILURE_WINDOW:
                return False
            self.refused[key] = self.clock()
            return True


class Accounts:
    """The accounts of one workspace: managing them, logging in, naming a credential."""

    def __init__(
        self,
        workspace: Workspace,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.workspace = workspace
        self.store = AccountStore(workspace)
        self.failures = Failures(clock)
        self.now = now
        self._any = False

    def any(self) -> bool:
        """Does the workspace have accounts (then every request needs one)? Asked on
        every request: an account added from the command line counts at once; and once
        there, accounts are never removed (only disabled), so a yes is kept."""
        if not self._any:
            self._any = self.store.count() > 0
        return self._any

    # ----------------------------------------------------------- management
    def add(
        self,
        name: str,
        role: str,
        password: str,
        counties: Iterable[str] = (),
        camps: Iterable[str] = (),
        *,
        known_counties: Iterable[str] | None = None,
        known_camps: Iterable[str] | None = None,
        by: str | None = None,
    ) -> AccountRecord:
        """A new account; its counties and camps checked against the instance's when
        given (``known_...``)."""
        name = name.strip()
        if not name or len(name) > MAX_NAME or any(c.isspace() for c in name):
            raise UsageError(f"an account name: 1 to {MAX_NAME} characters, no spaces")
        if role not in ROLES:
            raise UsageError(f"role {role!r}: one of {', '.join(ROLES)}")
        counties, camps = sorted(set(counties)), sorted(set(camps))
        if role == "county" and not counties:
            raise UsageError("a county coordinator needs --county (one or more)")
        if role == "camp-leader" and not camps:
            raise UsageError("a camp leader needs --camp (one or more)")
        if role != "county" and counties:
            raise UsageError("--county is for the county role only")
        if role != "camp-leader" and camps:
            raise UsageError("--camp is for the camp-leader role only")
        for given, known, what in (
            (counties, known_counties, "county"),
            (camps, known_camps, "camp"),
        ):
            if known is not None:
                unknown = sorted(set(given) - set(known))
                if unknown:
                    raise UsageError(
                        f"no {what} {', '.join(unknown)} in the instance "
                        f"(known: {', '.join(sorted(known)) or 'none'})"
                    )
        digest = HASHER.hash(check_password(password))
        return self.store.add(name, role, counties, camps, digest, by=by)

    def list(self) -> list[AccountRecord]:
        return self.store.all()

    def disable(self, name: str, by: str | None = None) -> None:
        self.store.set_disabled(name, True, by=by)

    def enable(self, name: str, by: str | None = None) -> None:
        self.store.set_disabled(name, False, by=by)

    def reset_password(self, name: str, password: str, by: str | None = None) -> None:
        self.store.set_password(name, HASHER.hash(check_password(password)), by=by)

    def new_key(self, name: str, by: str | None = None) -> str:
        """A new API key for ``name`` (shown once: only its hash is kept)."""
        key = "cpk_" + secrets.token_urlsafe(32)
        self.store.add_key(name, key, by=by)
        return key

    def revoke_keys(self, name: str, by: str | None = None) -> int:
        return self.store.revoke_keys(name, by=by)

    # -------------------------------------------------------------- logging in
    def login(self, name: str, password: str, address: str | None) -> Login:
        """Open a session, or refuse (:class:`LoginRefused`, :class:`TooManyAttempts`);
        every attempt is in the audit log, the failed ones too (the refused ones once per
        name and address in a window: a flood of them does not flood the log)."""
        keys = (f"name:{name}", f"address:{address}")
        if (
            self.failures.count(keys[0]) >= MAX_FAILURES_PER_NAME
            or self.failures.count(keys[1]) >= MAX_FAILURES_PER_ADDRESS
        ):
            if self.failures.first_refusal(f"{keys[0]} {keys[1]}"):
                self.workspace.log(
                    "login refused",
                    by=name[:MAX_NAME],
                    address=address,
                    reason="too many attempts",
                )
            raise TooManyAttempts(
                "too many failed logins: wait 15 minutes and try again, "
                "or ask the province coordinator"
            )
        record = self.store.get(name) if len(name) <= MAX_NAME else None
        try:
            HASHER.verify(record.password_hash if record else _dummy_hash(), password)
            good = record is not None and not record.disabled
        except (VerificationError, InvalidHashError):
            good = False
        if not good or record is None:
            for key in keys:
                self.failures.add(key)
            self.workspace.log("login failed", by=name[:MAX_NAME], address=address)
            raise LoginRefused(WRONG)
        if HASHER.check_needs_rehash(record.password_hash):
            self.store.rehash(name, HASHER.hash(password))
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
        expires = self.now() + SESSION_LIFETIME
        self.store.add_session(record, token, csrf, expires)
        self.workspace.log("login", by=record.name, address=address)
        return Login(token, csrf, expires, actor_of(record, address, csrf))

    def logout(self, token: str, actor: Actor) -> None:
        self.store.drop_session(token)
        self.workspace.log("logout", by=actor.name, address=actor.address)

    def for_session(self, token: str, address: str | None = None) -> Actor | None:
        """Who an open, unexpired session of an enabled account names."""
        found = self.store.for_session(token)
        if found is None:
            return None
        record, csrf, expires = found
        if expires <= self.now() or record.disabled:
            return None
        return actor_of(record, address, csrf)

    def for_key(self, key: str, address: str | None = None) -> Actor | None:
        record = self.store.for_key(key)
        if record is None or record.disabled:
            return None
        return actor_of(record, address)


__all__ = [
    "ROLES",
    "AccountExists",
    "Accounts",
    "Login",
    "LoginRefused",
    "NoSuchAccount",
    "NotLoggedIn",
    "Scope",
    "TooManyAttempts",
    "open_accounts",
]


@dataclass(frozen=True)
class Scope:
    """The counties and camps of the workspace's current version (None without one)."""

    counties: frozenset[str] | None
    camps: frozenset[str] | None


def instance_scope(workspace: Workspace) -> Scope:
    """What ``--county`` and ``--camp`` may name: the instance's places' counties and its
    camps, as the newest version holds them."""
    head = workspace.head()
    if head is None:
        return Scope(None, None)
    data = json.loads(workspace.instance_json(head.id))
    counties = {p["county"] for p in data.get("places", []) if p.get("county")}
    return Scope(frozenset(counties), frozenset(c["id"] for c in data.get("camps", [])))


def workspace_url(workspace_file: str | None, db_url: str | None) -> str:
    """The workspace a command names: a SQLite file (which must exist) or a URL."""
    if bool(workspace_file) == bool(db_url):
        raise UsageError("say which workspace: --workspace FILE or --db URL (one of them)")
    if db_url:
        return db_url
    assert workspace_file is not None
    if not Path(workspace_file).is_file():
        raise UsageError(
            f"{workspace_file}: no such workspace (campplanner serve creates it beside "
            "the instance: INSTANCE.workspace.sqlite)"
        )
    return f"sqlite:///{workspace_file}"


def open_accounts(workspace_file: str | None, db_url: str | None) -> tuple[Accounts, Scope]:
    """The accounts of the workspace a command names, and what they may be scoped to."""
    url = workspace_url(workspace_file, db_url)
    where = url.split("@")[-1]
    try:
        refused = not_a_workspace(url)  # another program's database is never written to
        workspace = None if refused else Workspace(url)
    except Exception as error:  # whatever the driver raises: said in a planner's words
        raise UsageError(f"{where}: cannot open the workspace ({plain_reason(error)})") from None
    if workspace is None:
        raise UsageError(f"{where}: cannot open the workspace: {refused}")
    return Accounts(workspace), instance_scope(workspace)


FIRST_ACCOUNT = "province"


def first_account(accounts: Accounts) -> str:
    """The province coordinator's account on a new workspace, with a new password: the
    words that say it, once (only its hash is kept)."""
    password = secrets.token_urlsafe(12)
    accounts.add(FIRST_ACCOUNT, "province", password, by="serve")
    return "\n".join(  # short lines: a terminal does not break them
        [
            "accounts: the province coordinator's account, shown this once:",
            f"  name: {FIRST_ACCOUNT}",
            f"  password: {password}",
            "  (campplanner users reset-password changes it;",
            "   campplanner users add adds the others)",
        ]
    )
