"""Attendance: who came to their camp, recorded at the camp (issue 24).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cp_attendance",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("camp", sa.String(200), nullable=False, index=True),
        sa.Column("volunteer", sa.String(200), nullable=False),
        sa.Column("came", sa.Boolean, nullable=False),
        sa.Column("by", sa.String(100), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=True),
    )


def downgrade() -> None:
    raise NotImplementedError("a workspace is upgraded only: keep a copy to go back")
