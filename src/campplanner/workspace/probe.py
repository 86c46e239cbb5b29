"""Whether a database is a campplanner workspace, asked before anything is written to it.

Opening a workspace creates its tables in an empty database: given another program's
SQLite file, or a file that is empty or no database at all, it would quietly become one
(or be half written). :func:`not_a_workspace` says why such a database is refused.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url

from campplanner.workspace.store import driver_url

MARK = "cp_meta"  # the table every workspace has had since its first schema


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None: another database, or SQLite in memory)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def not_a_workspace(url: str) -> str | None:
    """Why the database at ``url`` cannot be opened as a workspace, or None: it is one,
    or it is new (a SQLite file that does not exist yet, a database without tables)."""
    path = sqlite_path(url)
    if path is not None:
        if not path.exists():
            return None  # created as a new workspace
        if path.is_dir():
            return f"{path} is a folder"
        if path.stat().st_size == 0:
            return f"{path} is an empty file, not a workspace (give a new file name: it is created)"
        with path.open("rb") as head:
            if head.read(16) != b"SQLite format 3\x00":
                return f"{path} is not a SQLite database (another kind of file)"
    engine = create_engine(driver_url(url), future=True)
    try:
        tables = inspect(engine).get_table_names()
    finally:
        engine.dispose()
    if tables and MARK not in tables:
        shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
        return (
            f"this database holds another program's tables ({shown}), not a campplanner "
            "workspace: give a new file or an empty database"
        )
    return None
