"""Volunteers' private links (issue 24): the links (their tokens kept as hashes), the
key that signs them, and each volunteer's answers (confirm or decline a camp).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cp_link_keys",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("secret", sa.String(64), nullable=False),
    )
    op.create_table(
        "cp_links",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("volunteer", sa.String(200), nullable=False, index=True),
        sa.Column("serial", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "cp_answers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("volunteer", sa.String(200), nullable=False, index=True),
        sa.Column("camp", sa.String(200), nullable=False),
        sa.Column("answer", sa.String(10), nullable=False),
        sa.Column("reason", sa.String(40), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=True),
        sa.Column("edit", sa.Integer, nullable=True),
    )


def downgrade() -> None:
    raise NotImplementedError("a workspace is upgraded only: keep a copy to go back")
