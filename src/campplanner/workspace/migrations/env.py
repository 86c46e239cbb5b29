"""Alembic's entry point for the workspace: runs the migrations on the connection the
workspace hands over (``config.attributes["connection"]``), never on a URL of its own,
so that opening a workspace and upgrading it is one step in one place
(:meth:`campplanner.workspace.store.Workspace.migrate`)."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
