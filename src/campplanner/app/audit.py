"""The audit log as people read it: who did what, when, from where, filtered.

Every edit, lock, re-solve accepted or discarded, publication, download of personal
data, login (failed ones too) and account change is an entry of the workspace's audit
log, written in the same transaction as the change itself and never changed or removed
by the application. ``campplanner audit`` and the audit page (the province's) read it
through :func:`entries`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from campplanner.contract.errors import UsageError
from campplanner.workspace import Workspace

MAX_ENTRIES = 5_000
FILTERS = ("account", "action", "since", "until", "limit")


def _day(text: str, name: str) -> datetime:
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise UsageError(f"{name}: a day as YYYY-MM-DD (Gregorian, UTC), got {text!r}") from None


def filters(params: Mapping[str, str]) -> dict[str, Any]:
    """The filters a page's query or the command line's options give: ``account``,
    ``action``, ``since`` and ``until`` (days, ``until`` included), ``limit``."""
    chosen: dict[str, Any] = {}
    if params.get("account"):
        chosen["by"] = params["account"].strip()
    if params.get("action"):
        chosen["action"] = params["action"].strip()
    if params.get("since"):
        chosen["since"] = _day(params["since"].strip(), "since")
    if params.get("until"):
        chosen["until"] = _day(params["until"].strip(), "until") + timedelta(days=1)
    limit = str(params.get("limit") or "200")
    if not limit.isdigit() or not 1 <= int(limit) <= MAX_ENTRIES:
        raise UsageError(f"limit: a number from 1 to {MAX_ENTRIES:,}, got {limit!r}")
    chosen["limit"] = int(limit)
    return chosen


def entries(workspace: Workspace, params: Mapping[str, str]) -> list[dict[str, Any]]:
    """The entries the filters ``params`` choose, newest first."""
    return workspace.audit_log(**filters(params))


def line(entry: dict[str, Any]) -> str:
    """An entry in one line, for a terminal: time, who, from where, what, the detail."""
    detail = "; ".join(f"{key}: {value}" for key, value in entry["detail"].items())
    at = entry["at"][:19].replace("T", " ")
    return "\t".join([at, entry["by"] or "-", entry.get("address") or "-", entry["action"], detail])
