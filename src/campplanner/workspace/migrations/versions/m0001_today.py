"""The workspace as campplanner wrote it before Alembic (commit e2bc119): versions,
instance snapshots, pending edits, the audit log and the revision counter.

A workspace written then has these tables already and a ``cp_schema_migrations`` row
numbered 1: :meth:`Workspace.migrate` stamps it with this revision instead of running it.
The tables are written out here, not read from ``store.py``, so that this step stays
what it was when the models grow.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    meta = op.create_table(
        "cp_meta",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("published", sa.Integer, nullable=True),
    )
    op.create_table(
        "cp_snapshots",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "cp_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("parent", sa.Integer, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("instance_sha256", sa.String(64), nullable=False),
        sa.Column("solution", sa.LargeBinary, nullable=True),
        sa.Column("edits", sa.Text, nullable=False),
        sa.Column("coverage", sa.Integer, nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
    )
    op.create_table(
        "cp_edits",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("ops", sa.Text, nullable=False),
        sa.Column("pending", sa.Boolean, nullable=False),
        sa.Column("version", sa.Integer, nullable=True),
    )
    op.create_table(
        "cp_audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.bulk_insert(meta, [{"id": 1, "revision": 0, "published": None}])


def downgrade() -> None:
    raise NotImplementedError("a workspace is upgraded only: keep a copy to go back")
