"""Helpers of the web tests: a served workspace over a solved instance, and polling."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from campplanner.app.solving import SolveRequest, solve
from campplanner.solver import SolveOptions
from campplanner.web.server import ServeSettings, build


def solved(instance: Path, folder: Path, time_limit: float = 5.0) -> Path:
    """A solution file of ``instance`` (the published roster the planner opens)."""
    output = folder / "published.json"
    solve(SolveRequest(str(instance), SolveOptions(time_limit=time_limit), output_path=str(output)))
    return output


def served(
    instance: Path,
    folder: Path,
    *,
    solution: Path | None = None,
    url: str | None = None,
    token: str | None = None,
    host: str = "127.0.0.1",
    time_limit: float = 5.0,
):
    """(site, client) over a workspace in ``folder`` (or ``url``)."""
    settings = ServeSettings(
        str(instance),
        str(solution) if solution else None,
        url or f"sqlite:///{folder / 'ws.sqlite'}",
        host,
        8000,
        token,
        time_limit,
        single_user=True,  # the tests of accounts add them themselves
    )
    site, app, _ = build(settings, say=lambda line: None)
    return site, TestClient(app, base_url="http://127.0.0.1:8000")


def session(client: TestClient) -> dict[str, Any]:
    return client.get("/api/session").json()


def post(client: TestClient, url: str, body: dict[str, Any] | None = None) -> Any:
    """A JSON POST with the CSRF token and the current revision."""
    state = session(client)
    return client.post(
        url, json={"rev": state["rev"], **(body or {})}, headers={"X-CSRF-Token": state["csrf"]}
    )


def wait_for_job(client: TestClient, job_id: str, timeout: float = 60.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = client.get(f"/api/jobs/{job_id}").json()
        if state["state"] not in ("pending", "running", "cancelling"):
            return state
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} still running after {timeout} s")


def triples(solution_json: bytes | str) -> set[tuple[str, str, str]]:
    data = json.loads(solution_json)
    return {(a["volunteer"], a["camp"], a["skill"]) for a in data["assignments"]}
