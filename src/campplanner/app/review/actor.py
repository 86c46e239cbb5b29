"""Who acts: every call of the review session names the person it is made for.

Today the server knows one person: the planner at this machine (no token: the server
answers on 127.0.0.1 only) or whoever holds the server's token. Accounts and roles will
give each person an :class:`Actor` of their own; the session already takes one on every
call and names it in the audit log, so that a rule on who may do what has one place to
live: the session, not the routes.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """A person acting through a front end: an account (``app/accounts.py``), or on a
    workspace without accounts the planner at this machine or the token's holder."""

    name: str  # as the audit log names them
    role: str = "province"  # without accounts: the single user may do everything
    counties: frozenset[str] = frozenset()  # a county coordinator's
    camps: frozenset[str] = frozenset()  # a camp leader's
    address: str | None = None  # where the request came from, for the audit log
    csrf: str | None = None  # a login session's CSRF token (None: the server's own)


LOCAL_PLANNER = Actor("planner")  # at this machine, on a server without a token
TOKEN_HOLDER = Actor("token")  # whoever holds the server's token


def holder(token: str | None, credential: str | None) -> Actor | None:
    """Who ``credential`` names on a server with ``token`` (None: nobody). Without a
    token the planner at this machine needs none. Compared in constant time."""
    if token is None:
        return LOCAL_PLANNER
    if credential is None or not hmac.compare_digest(credential.encode(), token.encode()):
        return None
    return TOKEN_HOLDER
