"""The workspace: every accepted roster as a version, the pending edits, an audit log.

A database reached through SQLAlchemy: SQLite by default (a file next to the instance),
PostgreSQL given a URL, with the same code. See :mod:`campplanner.workspace.store`.
"""

from campplanner.workspace.store import (
    EditRecord,
    EditsChanged,
    StaleRevision,
    Superseded,
    VersionInfo,
    Workspace,
    default_workspace_url,
)

__all__ = [
    "EditRecord",
    "EditsChanged",
    "StaleRevision",
    "Superseded",
    "VersionInfo",
    "Workspace",
    "default_workspace_url",
]
