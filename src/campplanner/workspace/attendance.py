"""Who came to their camp, as the camp leader (or the county) recorded it (revision 0005).

Storage only: one row per camp and volunteer, the newest mark kept (a leader corrects a
mark by recording it again; the audit log keeps every recording, with who made it). What
may be recorded, by whom, and the history file made of it are the application layer's
(``app/review/attendance.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, Column, DateTime, Integer, String, Table, delete, insert, select

from campplanner.workspace.links import aware
from campplanner.workspace.store import Workspace, _now, metadata

attendance = Table(
    "cp_attendance",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("camp", String(200), nullable=False, index=True),
    Column("volunteer", String(200), nullable=False),
    Column("came", Boolean, nullable=False),
    Column("by", String(100), nullable=True),  # the account that recorded it
    Column("at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=True),  # the version whose team it was
)


@dataclass(frozen=True)
class Mark:
    camp: str
    volunteer: str
    came: bool
    by: str | None
    at: datetime
    version: int | None


class AttendanceStore:
    """The attendance marks of one workspace."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self.engine = workspace.engine

    def record(
        self,
        camp: str,
        marks: dict[str, bool],
        by: str | None,
        address: str | None,
        version: int | None,
    ) -> None:
        """Record ``marks`` (volunteer -> came) for ``camp``, replacing earlier marks of
        the same people there, and audit it: who, which camp, how many came and did not."""
        with self.engine.begin() as connection:
            connection.execute(
                delete(attendance).where(
                    (attendance.c.camp == camp) & attendance.c.volunteer.in_(list(marks))
                )
            )
            now = _now()
            for volunteer, came in sorted(marks.items()):
                connection.execute(
                    insert(attendance).values(
                        camp=camp, volunteer=volunteer, came=came, by=by, at=now, version=version
                    )
                )
            self.workspace._audit(
                connection,
                "attendance",
                by,
                address,
                camp=camp,
                came=sorted(v for v, c in marks.items() if c),
                absent=sorted(v for v, c in marks.items() if not c),
            )

    def marks(self, camp: str | None = None) -> list[Mark]:
        """Every mark (of ``camp`` alone if given), in the order recorded."""
        query = select(attendance).order_by(attendance.c.id)
        if camp is not None:
            query = query.where(attendance.c.camp == camp)
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return [
            Mark(r.camp, r.volunteer, bool(r.came), r.by, aware(r.at), r.version)  # type: ignore[arg-type]
            for r in rows
        ]
