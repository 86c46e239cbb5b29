"""Helpers of the web tests: a served workspace over a solved instance, and polling."""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from html import unescape
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from builders import REPO
from campplanner.app.solving import SolveRequest, solve
from campplanner.solver import SolveOptions
from campplanner.web.server import ServeSettings, build

_SOLVED: dict[tuple[str, float], bytes] = {}


def solved(instance: Path, folder: Path, time_limit: float = 5.0) -> Path:
    """A solution file of ``instance`` (the published roster the planner opens): solved
    once per test run for each content of the instance file and limit, then copied. The
    tests open a roster; none is about solving it again (seconds each on a loaded
    machine, ten for the medium instance's)."""
    output = folder / "published.json"
    key = (hashlib.sha256(instance.read_bytes()).hexdigest(), time_limit)
    if key in _SOLVED:
        output.write_bytes(_SOLVED[key])
        return output
    solve(SolveRequest(str(instance), SolveOptions(time_limit=time_limit), output_path=str(output)))
    _SOLVED[key] = output.read_bytes()
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


def wait_for_file(client: TestClient, job_id: str, timeout: float = 120.0) -> dict[str, Any]:
    """A download job's state once it has ended (made, or failed)."""
    deadline = time.monotonic() + timeout  # a safety net, never a test's measure
    while time.monotonic() < deadline:
        state = client.get(f"/api/files/{job_id}").json()
        if state["state"] not in ("pending", "running"):
            return state
        time.sleep(0.1)
    raise AssertionError(f"file {job_id} still being made after {timeout} s")


def accepted_on_page(client: TestClient, job: str, fields: dict[str, str]) -> Any:
    """The re-solve panel's accept button sent with ``fields`` (CSRF, revision): the
    answer once the accept has ended (its page polled: the versions page, or the
    refusal), or the refusal said at once."""
    answer = client.post(f"/jobs/{job}/accept", data=fields, follow_redirects=False)
    if answer.status_code != 303:
        return answer
    address = answer.headers["location"]
    deadline = time.monotonic() + 60.0  # a safety net, never a test's measure
    while time.monotonic() < deadline:
        answer = client.get(address, follow_redirects=False)
        if answer.status_code != 200:
            return client.get(address) if answer.status_code == 303 else answer
        time.sleep(0.05)
    raise AssertionError(f"accept {address} still running after 60 s")


def clicked(client: TestClient, page: str, form_id: str) -> tuple[str, dict[str, Any]]:
    """Submit the form ``form_id`` of ``page`` (its hidden fields: CSRF, revision) as a
    browser would: (the address it answers with, that download job's state, ended)."""
    html = client.get(page).text
    form = re.search(rf'<form method="post" action="([^"]+)"[^>]*id="{form_id}">(.*?)</form>', html)
    assert form, f"no form {form_id} on {page}"
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.group(2)))
    answer = client.post(unescape(form.group(1)), data=fields, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    address = answer.headers["location"]
    assert re.fullmatch(r"/files/\d+", address), address
    return address, wait_for_file(client, address.rsplit("/", 1)[1])


def triples(solution_json: bytes | str) -> set[tuple[str, str, str]]:
    data = json.loads(solution_json)
    return {(a["volunteer"], a["camp"], a["skill"]) for a in data["assignments"]}


def free_port() -> int:
    """A port no one listens on now, asked of the system (never a fixed number: two test
    runs on one machine would collide on it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def first_start(
    args: list[str], port: int, wait: float = 60.0
) -> tuple[subprocess.Popen[str], str]:
    """``campplanner serve ARGS --port PORT`` on a new workspace with accounts, once it
    answers, and the province coordinator's password its first start printed."""
    command = [sys.executable, "-c", "from campplanner.cli import main; main()", "serve"]
    server = subprocess.Popen(
        [*command, *args, "--port", str(port)],
        env=dict(os.environ, PYTHONPATH=str(REPO / "src")),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    password = None
    assert server.stdout is not None
    for line in server.stdout:  # the lines said before the server listens
        found = re.search(r"^  password: (\S+)$", line.rstrip("\n"))
        password = found.group(1) if found else password
        if line.startswith("campplanner serve:"):
            break
    deadline = time.monotonic() + wait
    while password and time.monotonic() < deadline and server.poll() is None:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5)
            return server, password
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise AssertionError("the server did not start (or its first start printed no password)")


def log_in(page: Any, base: str, name: str, password: str) -> None:
    """Log ``name`` in through the login page a Playwright ``page`` is sent to."""
    page.goto(base + "/")
    page.wait_for_url("**/login?next=*")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_url(base + "/")


def latin_words(html: str, allowed: set[str]) -> list[str]:
    """The Latin words of a page's main part (its text and what a reader is shown of
    its attributes), or of a plain text, once the words in ``allowed`` (ids, names),
    addresses and file names are taken out: none on a Persian page (issue 25)."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0] if "<main" in html else html
    shown = " ".join(re.findall(r'(?:placeholder|title|aria-label|alt)="([^"]*)"', main))
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text) + " " + shown
    text = re.sub(r"&#?\w+;", " ", text)
    text = re.sub(r"\S+\.(?:json|gz|xlsx|csv|html|zip|sqlite)\b", " ", text)  # file names
    text = re.sub(r"(?:https?://|/)\S+", " ", text)  # addresses
    words = re.findall(r"[A-Za-z][A-Za-z0-9۰-۹_\-]*", text)
    latin = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
    return sorted({w for w in words if w.translate(latin) not in allowed})
