"""Accounts, their API keys and login sessions; the audit names an account and an address.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cp_accounts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("counties", sa.Text, nullable=False),
        sa.Column("camps", sa.Text, nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "cp_api_keys",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("account", sa.Integer, sa.ForeignKey("cp_accounts.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "cp_sessions",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("account", sa.Integer, sa.ForeignKey("cp_accounts.id"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("cp_audit") as table:
        table.add_column(sa.Column("account", sa.String(100), nullable=True))
        table.add_column(sa.Column("address", sa.String(64), nullable=True))
    # the counter of the workspaces written before Alembic: 0001 stands for it now
    op.execute("DROP TABLE IF EXISTS cp_schema_migrations")


def downgrade() -> None:
    raise NotImplementedError("a workspace is upgraded only: keep a copy to go back")
