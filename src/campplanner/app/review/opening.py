"""Opening the review: the planner's files checked, the workspace opened, the files
imported into it as a version (unless it has them already), and the session over it.

The files themselves are never written: edits and re-solves live in the workspace.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from campplanner.app import accounts
from campplanner.app.review.actor import LOCAL_PLANNER, Actor
from campplanner.app.review.errors import DamagedVersion
from campplanner.app.review.session import ReviewSession
from campplanner.contract.errors import UsageError, plain_reason
from campplanner.contract.instance import instance_from_data, read_json
from campplanner.io.solution_reader import load_solution
from campplanner.report.roster import RosterView
from campplanner.workspace import Workspace, default_workspace_url
from campplanner.workspace.probe import not_a_workspace


def read_files(instance_path: str, solution_path: str | None) -> tuple[bytes, bytes | None]:
    """The instance and the roster the planner opened, checked like ``validate`` and
    ``check`` read them (every problem of a file is an InstanceError naming it)."""
    data = read_json(instance_path, "instance")
    instance = instance_from_data(data, instance_path)
    instance_json = json.dumps(data, ensure_ascii=False).encode()
    solution_json = None
    if solution_path is not None:
        solution = load_solution(solution_path, instance)
        RosterView.from_solution(instance, solution, solution_path)  # unknown ids refused
        solution_json = Path(solution_path).read_bytes()
        if Path(solution_path).suffix.lower() not in (".json", ".gz"):  # a roster workbook
            solution_json = solution.model_dump_json(exclude_none=True).encode()
    return instance_json, solution_json


def open_workspace(url: str) -> Workspace:
    """The workspace at ``url``; a bad URL or an unreachable server is one clear message,
    and so is a database that is not a workspace (another program's SQLite file, an
    empty or a text file): it is refused before anything is written to it."""
    try:
        refused = not_a_workspace(url)
        if refused is None:
            return Workspace(url)
    except Exception as error:  # whatever the driver raises: said in a planner's words
        reason = plain_reason(error)
        raise UsageError(
            f"--db {url.split('@')[-1]}: cannot open the workspace ({reason})"
        ) from None
    raise UsageError(f"cannot open the workspace: {refused}")


def open_files(
    workspace: Workspace,
    instance_path: str,
    solution_path: str | None,
    files: tuple[bytes, bytes | None] | None = None,
    actor: Actor = LOCAL_PLANNER,
) -> str:
    """Put the files the planner opened into the workspace, unless it has them already;
    the files themselves are never written. Returns what was done, in words."""
    instance_json, solution_json = files or read_files(instance_path, solution_path)
    head = workspace.head()
    known = workspace.find_version(instance_json, solution_json)
    if head is not None and known is not None:  # opened before: carry on where we were
        return f"workspace: version {head.id} (the files are version {known})"
    if head is not None and solution_json is None:
        return (
            f"workspace: version {head.id}; {instance_path} differs from it and was "
            "not imported (open it with a solution, or use another --workspace)"
        )
    version = workspace.add_version(
        instance_json,
        solution_json,
        parent=head.id if head else None,
        comment=f"opened {Path(instance_path).name}"
        + (f" + {Path(solution_path).name}" if solution_path else ""),
        by=actor.name,
    )
    return f"workspace: imported the files as version {version}"


def open_review(
    instance_path: str,
    solution_path: str | None,
    workspace_url: str | None,
    *,
    token: str | None = None,
    time_limit: float = 30.0,
    say: Callable[[str], None] = print,
    first_account: bool = False,
) -> ReviewSession:
    """The session over the files the planner opened: read and checked first (a bad
    file creates no workspace), then the workspace (SQLite next to the instance unless
    ``workspace_url``), then the current version opened before the first page asks.
    With ``first_account``, a new workspace gets the province coordinator's account,
    its password said once (:func:`campplanner.app.accounts.first_account`)."""
    files = read_files(instance_path, solution_path)
    workspace = open_workspace(workspace_url or default_workspace_url(instance_path))
    new = workspace.head() is None
    say(open_files(workspace, instance_path, solution_path, files))
    session = ReviewSession(workspace, token=token, time_limit=time_limit)
    if first_account and new and not session.accounts.any():
        say(accounts.first_account(session.accounts))
    try:
        head = session.head()
    except DamagedVersion as error:  # the server starts; its pages say so
        say(f"warning: {error}")
        return session
    if head is not None:
        say(
            f"loaded version {head.version.id}: {len(head.instance.camps):,} camps, "
            f"{len(head.instance.volunteers):,} volunteers"
        )
    return session
