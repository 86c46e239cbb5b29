"""A pending edit names who typed it (two planners' edits told apart, issue 25).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # edits recorded before it name nobody here (the audit's "edit" entry still does)
    with op.batch_alter_table("cp_edits") as table:
        table.add_column(sa.Column("account", sa.String(100), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("a workspace is upgraded only: keep a copy to go back")
