"""Re-solves accepted, kept in the workspace (issue 25): a late accept after a restart
is told who accepted it, when, and as which version; and each server run numbers its
jobs apart from the runs before it, so a job id names one re-solve for good.

Revision ID: 0006_h25_persian
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_h25_persian"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cp_runs",  # one row per server started on the workspace: its jobs' prefix
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "cp_accepted_jobs",  # a re-solve's job id -> the version it became
        sa.Column("job", sa.String(40), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("account", sa.String(100), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("a workspace is upgraded only: keep a copy to go back")
