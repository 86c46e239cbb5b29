"""``campplanner users``: the accounts of a workspace, from the command line.

The password is read from standard input when it is not a terminal (one line, for
scripts: ``printf '%s\\n' "$PASSWORD" | campplanner users add ...``), else asked twice
without echo. Every change is in the workspace's audit log, by ``command-line``.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click

from campplanner.contract.errors import CampPlannerError, UsageError

BY = "command-line"  # how the audit log names a change made here


def workspace_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option(
        "--db", "db_url", metavar="URL", help="The workspace as a database URL instead."
    )(command)
    return click.option(
        "--workspace",
        "workspace_file",
        type=click.Path(dir_okay=False, path_type=str),
        help="The workspace's SQLite file (INSTANCE.workspace.sqlite).",
    )(command)


def read_password() -> str:
    """From standard input when it is not a terminal, else asked twice."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line.strip():
            raise UsageError("no password on standard input (one line)")
        return line.rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def reports(command: Callable[..., Any]) -> Callable[..., Any]:
    """One line on stderr and the error's exit code, never a traceback (as
    ``commands.reports_errors``, which this module cannot import: commands imports it)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except CampPlannerError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(error.exit_code)

    return wrapper


@click.group("users", help="The accounts of a workspace: who may log in to serve, as what.")
def users() -> None:
    pass


@users.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["province", "county", "camp-leader", "viewer"]),
    required=True,
    help="province: everything; county: its counties' camps; camp-leader: its camps; "
    "viewer: reads, no phones.",
)
@click.option("--county", "counties", multiple=True, metavar="C", help="A county (county role).")
@click.option("--camp", "camps", multiple=True, metavar="ID", help="A camp id (camp-leader role).")
@workspace_options
@reports
def add(
    name: str,
    role: str,
    counties: tuple[str, ...],
    camps: tuple[str, ...],
    workspace_file: str | None,
    db_url: str | None,
) -> None:
    """Add the account NAME (the password from standard input when it is not a terminal)."""
    from campplanner.app.accounts import open_accounts

    accounts, scope = open_accounts(workspace_file, db_url)
    password = read_password()
    record = accounts.add(
        name,
        role,
        password,
        counties,
        camps,
        known_counties=scope.counties,
        known_camps=scope.camps,
        by=BY,
    )
    click.echo(f"account {record.name} added: {record.role}")


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="As JSON, for scripts.")
@workspace_options
@reports
def list_(as_json: bool, workspace_file: str | None, db_url: str | None) -> None:
    """Every account: name, role, counties or camps, disabled or not."""
    import json

    from campplanner.app.accounts import open_accounts

    accounts, _ = open_accounts(workspace_file, db_url)
    records = [r.as_dict() for r in accounts.list()]
    if as_json:
        click.echo(json.dumps(records, ensure_ascii=False, indent=1))
        return
    for r in records:
        scope = ", ".join(r["counties"] or r["camps"])
        state = "  (disabled)" if r["disabled"] else ""
        click.echo(f"{r['name']}\t{r['role']}\t{scope}{state}")


@users.command("disable")
@click.argument("name")
@workspace_options
@reports
def disable(name: str, workspace_file: str | None, db_url: str | None) -> None:
    """Disable NAME: no more logins, its sessions end, its API keys stop working."""
    from campplanner.app.accounts import open_accounts

    accounts, _ = open_accounts(workspace_file, db_url)
    accounts.disable(name, by=BY)
    click.echo(f"account {name} disabled")


@users.command("enable")
@click.argument("name")
@workspace_options
@reports
def enable(name: str, workspace_file: str | None, db_url: str | None) -> None:
    """Enable a disabled account again."""
    from campplanner.app.accounts import open_accounts

    accounts, _ = open_accounts(workspace_file, db_url)
    accounts.enable(name, by=BY)
    click.echo(f"account {name} enabled")


@users.command("reset-password")
@click.argument("name")
@workspace_options
@reports
def reset_password(name: str, workspace_file: str | None, db_url: str | None) -> None:
    """A new password for NAME (read as for add); its sessions end."""
    from campplanner.app.accounts import open_accounts

    accounts, _ = open_accounts(workspace_file, db_url)
    accounts.reset_password(name, read_password(), by=BY)
    click.echo(f"password of {name} reset")


@users.command("api-key")
@click.argument("name")
@click.option("--revoke", is_flag=True, help="Revoke every API key of NAME instead.")
@workspace_options
@reports
def api_key(name: str, revoke: bool, workspace_file: str | None, db_url: str | None) -> None:
    """A new API key for NAME's scripts (printed once: only its hash is kept); it acts as
    NAME, with NAME's role (header ``Authorization: Bearer KEY``)."""
    from campplanner.app.accounts import open_accounts

    accounts, _ = open_accounts(workspace_file, db_url)
    if revoke:
        count = accounts.revoke_keys(name, by=BY)
        click.echo(f"{count} API key(s) of {name} revoked")
    else:
        click.echo(accounts.new_key(name, by=BY))


@click.command("audit")
@click.option("--account", help="Only what this account did.")
@click.option("--action", help="Only this action (edit, accept, publish, download, login...).")
@click.option("--since", metavar="YYYY-MM-DD", help="From this day on (UTC).")
@click.option("--until", metavar="YYYY-MM-DD", help="Up to this day, included (UTC).")
@click.option("--limit", type=click.IntRange(1, 5000), default=200, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="As JSON, for scripts.")
@workspace_options
@reports
def audit(
    account: str | None,
    action: str | None,
    since: str | None,
    until: str | None,
    limit: int,
    as_json: bool,
    workspace_file: str | None,
    db_url: str | None,
) -> None:
    """Who did what, when and from where: the workspace's audit log, newest first."""
    import json

    from campplanner.app.accounts import open_accounts
    from campplanner.app.audit import entries, line

    accounts, _ = open_accounts(workspace_file, db_url)
    params = {"account": account, "action": action, "since": since, "until": until}
    found = entries(
        accounts.workspace, {k: v for k, v in params.items() if v} | {"limit": str(limit)}
    )
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=1))
        return
    for entry in found:
        click.echo(line(entry))
