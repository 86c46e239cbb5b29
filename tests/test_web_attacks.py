"""Attacks on ``campplanner serve``, round two (issue 26, docs/reliability.md): the
token, bodies judged before and while they are read, slow clients, malformed values on
every route, the redirect of ``?token=``, a busy port.

Most run in-process under Starlette's test client; what needs a real socket (a body
that arrives chunk by chunk, a client that sends a byte and waits) runs uvicorn in a
thread on a port of its own, as ``campplanner serve`` runs it.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import hypothesis
import pytest
from click.testing import CliRunner
from fastapi.routing import APIRoute
from hypothesis import strategies as st
from starlette.testclient import TestClient

from builders import TINY_PATH, camp, make_instance, place, requirement, volunteer, write_instance
from campplanner.cli import main
from campplanner.web import limits
from campplanner.web.server import MIN_TOKEN, TOKEN_ENV, bound_socket, given_token
from web_helpers import accepted_on_page, post, served, session, solved, wait_for_job

GOOD = "a-good-token-of-24-chars"


def said(result: Any) -> str:
    """A command's output with the terminal's line breaks undone."""
    return " ".join(result.output.split())


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return solved(TINY_PATH, tmp_path_factory.mktemp("published"))


@pytest.fixture
def web(tmp_path: Path, published: Path):
    site, client = served(TINY_PATH, tmp_path, solution=published)
    yield site, client
    site.close()


# ------------------------------------------------------------------- the token


@pytest.mark.parametrize("token", ["", "   ", "short", "x" * (MIN_TOKEN - 1), f" {GOOD} "])
def test_serve_refuses_an_empty_or_short_token_and_says_why(tmp_path: Path, token: str) -> None:
    result = CliRunner().invoke(
        main, ["serve", str(TINY_PATH), "--host", "0.0.0.0", "--port", "1", "--token", token]
    )
    assert result.exit_code == 2, result.output
    assert "--token" in result.output and ("empty" in result.output or "short" in result.output)
    assert "Traceback" not in result.output and "http://" not in result.output


def test_the_token_can_come_from_the_environment_or_a_file(tmp_path: Path) -> None:
    assert given_token(None, None, {TOKEN_ENV: GOOD}) == GOOD
    path = tmp_path / "token"
    path.write_text(GOOD + "\n", encoding="utf-8")
    assert given_token(None, str(path), {}) == GOOD
    assert given_token(None, None, {}) is None  # a new one is made on another address
    for environ, file in (({TOKEN_ENV: ""}, None), ({}, str(tmp_path / "empty"))):
        (tmp_path / "empty").write_text("\n", encoding="utf-8")
        with pytest.raises(Exception, match="empty"):
            given_token(None, file, environ)
    with pytest.raises(Exception, match="twice"):
        given_token(GOOD, str(path), {})
    result = CliRunner().invoke(
        main, ["serve", str(TINY_PATH), "--port", "1", "--token-file", str(tmp_path / "none")]
    )
    assert result.exit_code == 2 and "cannot read it" in said(result)
    result = CliRunner().invoke(
        main, ["serve", str(TINY_PATH), "--port", "1"], env={TOKEN_ENV: "  "}
    )
    assert result.exit_code == 2 and TOKEN_ENV in said(result)


def test_the_token_redirect_never_leaves_the_site(tmp_path: Path, published: Path) -> None:
    site, client = served(TINY_PATH, tmp_path, solution=published, token=GOOD)
    for path in ("//other.host/x", "/\\other.host/x", "/%2F%2Fother.host/x", "///other.host"):
        answer = client.get(f"{path}?token={GOOD}", follow_redirects=False)
        assert answer.status_code == 303, path
        location = answer.headers["location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\")), location
        assert "\\" not in location and "://" not in location
    answer = client.get(f"/camps?status=short&token={GOOD}", follow_redirects=False)
    assert answer.headers["location"] == "/camps?status=short"
    site.close()


# ------------------------------------------------------------------- a busy port


def test_serve_on_a_busy_port_says_so_once_and_exits_2(tmp_path: Path) -> None:
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen(1)
    port = holder.getsockname()[1]
    try:
        result = CliRunner().invoke(main, ["serve", str(TINY_PATH), "--port", str(port)])
    finally:
        holder.close()
    assert result.exit_code == 2, result.output
    assert f"port {port}" in said(result) and "in use" in said(result)
    assert "http://" not in result.output and "Traceback" not in result.output
    assert "campplanner serve:" not in result.output


# ---------------------------------------------------- no 500, whatever the values

MALFORMED = ["abc", "²", "9" * 20, "-1", "1e400", "%00", "..", "\u202eevil", "٣", "9" * 5000]
QUERY_NAMES = ["since", "page", "a", "b", "replace", "lang", "next", "status", "from", "q"]
BODIES: list[tuple[bytes, str]] = [
    (b'{"rev": 1e400}', "application/json"),
    (b'{"rev": 99999999999999999999}', "application/json"),
    (b'{"rev": -1, "kind": "lock"}', "application/json"),
    (b"[" * 100_000 + b"]" * 100_000, "application/json"),
    (b'"just text"', "application/json"),
    (b"\xff\xfe{", "application/json"),
    (b"rev=1e400&kind=%FF&csrf=", "application/x-www-form-urlencoded"),
    (b"--x\r\nbroken", "multipart/form-data; boundary=x"),
]
VALID = {
    "camp_id": "c1",
    "volunteer_id": "v01",
    "edit_id": "1",
    "version_id": "1",
    "job_id": "1",
    "kind": "solution",
    "name": "vazirmatn.woff2",
    "lang": "en",
    "rest": "x",
}


def routes_of(app: Any) -> Iterator[tuple[str, str, list[str]]]:
    """(method, path template, names of its parameters) of every route of the table."""
    for route in app.routes:
        if isinstance(route, APIRoute):
            names = list(route.param_convertors)
            for method in sorted(route.methods - {"HEAD"}):
                yield method, route.path, names


def filled(path: str, names: list[str], **given: str) -> str:
    for name in names:
        value = quote(given.get(name, VALID.get(name, "1")), safe="")
        path = path.replace(f"{{{name}:path}}", value).replace(f"{{{name}}}", value)
    return path


def test_no_route_answers_500_whatever_the_path_query_or_body(web) -> None:
    """Every route of the route table × malformed values in its path, its query and its
    body: each answer is below 500 (a refusal in words, never a traceback). A new route
    is covered as soon as it is in the table."""
    client = TestClient(web[1].app, base_url="http://127.0.0.1:8000", raise_server_exceptions=False)
    failures = answers_of_500(client, session(client)["csrf"])
    assert not failures, failures[:10]


def answers_of_500(client: TestClient, csrf: str) -> list[tuple[str, str, int, str]]:
    """What every route of ``client``'s app answers to malformed values with 500 or more
    (the routes that log out last, so a logged-in client stays so)."""
    failures = []

    def check(method: str, url: str, **kwargs: Any) -> None:
        answer = client.request(method, url, follow_redirects=False, **kwargs)
        if answer.status_code >= 500:
            failures.append((method, url[:80], answer.status_code, answer.text[:200]))

    routes = sorted(routes_of(client.app), key=lambda route: "logout" in route[1])
    assert len(routes) >= 30
    for method, path, names in routes:
        headers = {"X-CSRF-Token": csrf}
        for name in names:
            for value in MALFORMED:
                check(method, filled(path, names, **{name: value}), headers=headers)
        if method == "GET":
            for name in QUERY_NAMES:
                for value in MALFORMED[::2]:
                    check(method, filled(path, names) + f"?{name}={quote(value)}")
        else:
            for body, kind in BODIES:
                check(
                    method,
                    filled(path, names),
                    content=body,
                    headers=headers | {"Content-Type": kind},
                )
    return failures


@hypothesis.settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)
@hypothesis.given(
    route=st.integers(min_value=0, max_value=10_000),
    value=st.text(max_size=40),
    name=st.sampled_from(QUERY_NAMES),
)
def test_any_text_in_any_path_or_query_is_answered_below_500(
    web, route: int, value: str, name: str
) -> None:
    """The same over any text (control characters, every script, lone marks)."""
    client = TestClient(web[1].app, base_url="http://127.0.0.1:8000", raise_server_exceptions=False)
    gets = [(path, names) for method, path, names in routes_of(client.app) if method == "GET"]
    path, names = gets[route % len(gets)]
    url = filled(path, names, **({names[0]: value} if names else {}))
    url += f"?{name}={quote(value)}"
    assert client.get(url, follow_redirects=False).status_code < 500, url


@pytest.mark.parametrize(
    "url",
    [
        "/api/jobs/1?since=abc",
        "/api/camps?page=²",
        "/api/versions/99999999999999999999/download/solution",
    ],
)
def test_malformed_values_are_refused_in_the_pages_language(web, url: str) -> None:
    _, client = web
    answer = client.get(url)
    assert answer.status_code in (400, 404) and "error" in answer.json()
    page = client.get(url.removeprefix("/api"))
    if page.status_code != 404 or url.startswith("/api/versions"):
        assert page.status_code in (400, 404)
        assert '<html lang="fa"' in page.text


def test_no_such_address_or_method_is_said_in_words(web) -> None:
    _, client = web
    page = client.get("/no/such/page")
    assert page.status_code == 404 and "چنین نشانی‌ای پیدا نشد" in page.text
    assert client.put("/api/edits").json() == {"error": "this address does not take this method"}


def test_a_revision_of_1e400_and_a_body_nested_100000_deep_are_400(web) -> None:
    _, client = web
    csrf = session(client)["csrf"]
    headers = {"X-CSRF-Token": csrf, "Content-Type": "application/json"}
    for body in (b'{"rev": 1e400, "kind": "forbid"}', b"[" * 100_000 + b"]" * 100_000):
        answer = client.post("/api/edits", content=body, headers=headers)
        assert answer.status_code == 400, answer.text
    answer = client.post("/api/edits?lang=fa", content=b"[" * 100_000, headers=headers)
    assert answer.status_code == 400 and "JSON" in answer.json()["error"]
    assert "body" not in answer.json()["error"]  # Persian words, asked by ?lang=fa


# ------------------------------------------- a workspace with accounts: the same limits

PASSWORD = "a long pass phrase"


@pytest.fixture
def accounts(tmp_path: Path, published: Path):
    """A served workspace with a province coordinator and a county coordinator."""
    site, client = served(TINY_PATH, tmp_path, solution=published)
    site.accounts.add("maryam", "province", PASSWORD)
    site.accounts.add("reza", "county", PASSWORD, counties=["khomein"])
    yield site, client
    site.close()
    site.workspace.close()


def logged_in(app: Any, name: str) -> tuple[TestClient, str]:
    client = TestClient(app, base_url="http://127.0.0.1:8000", raise_server_exceptions=False)
    answer = client.post("/api/login", json={"name": name, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return client, answer.json()["csrf"]


@pytest.mark.parametrize("who", ["maryam", "reza", None])
def test_with_accounts_no_route_answers_500_whatever_the_values(accounts, who) -> None:
    """The route table × malformed values once the workspace has accounts: logged in as
    the province, as a county coordinator (the roles judge first), and as nobody."""
    app = accounts[1].app
    if who is None:
        client = TestClient(app, base_url="http://127.0.0.1:8000", raise_server_exceptions=False)
        csrf = "no-session-no-token"
    else:
        client, csrf = logged_in(app, who)
    failures = answers_of_500(client, csrf)
    assert not failures, failures[:10]


def test_with_accounts_bodies_are_judged_before_the_login_and_the_roles(accounts) -> None:
    """The limits of round two hold on a workspace with accounts: the login's own CSRF
    token judged before the body (the server's pages' token is not it), a body over the
    limit refused unread (the login's too), /api/login's body read as every route's
    (nested 100,000 deep: 400, was a 500), and a stranger answered 401 before the limits."""
    app = accounts[1].app
    client, csrf = logged_in(app, "reza")
    assert csrf != app.state.csrf
    json_headers = {"Content-Type": "application/json"}
    rev = client.get("/api/session").json()["rev"]
    answer = client.post(
        "/api/edits",
        content=json.dumps({"rev": rev, "kind": "lock"}).encode(),
        headers=json_headers | {"X-CSRF-Token": app.state.csrf},
    )
    assert answer.status_code == 403 and "CSRF" in answer.json()["error"]
    too_big = b"{" + b" " * 2_100_000 + b"}"
    for url, headers in (
        ("/api/edits", json_headers | {"X-CSRF-Token": csrf}),
        ("/api/login", json_headers),
    ):
        answer = client.post(url, content=too_big, headers=headers)
        assert answer.status_code == 413, (url, answer.text)
    stranger = TestClient(app, base_url="http://127.0.0.1:8000")
    answer = stranger.post("/api/edits", content=too_big, headers=json_headers)
    assert answer.status_code == 401  # who is asking, first: the body is not judged
    nested = stranger.post("/api/login", content=b"[" * 100_000, headers=json_headers)
    assert nested.status_code == 400 and "JSON" in nested.json()["error"]
    form = stranger.post("/api/login?lang=fa", data={"name": "x", "password": "y"})
    assert form.status_code == 415 and "گذرواژه" in form.json()["error"]


# ---------------------------------------------------------- a real server, raw bytes


class Running:
    """uvicorn serving ``app`` in a thread, on a port of its own."""

    def __init__(self, app: Any, header_seconds: float | None = None):
        import uvicorn

        self.sock = bound_socket("127.0.0.1", 0)
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(
            app, log_level="error", access_log=False, **limits.uvicorn_settings(header_seconds)
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]})
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.05)

    def connect(self) -> socket.socket:
        conn = socket.create_connection(("127.0.0.1", self.port), timeout=20)
        return conn

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(30)
        self.sock.close()


def answer_of(conn: socket.socket) -> bytes:
    """What the server sent before it closed or went quiet."""
    received = b""
    try:
        while chunk := conn.recv(65536):
            received += chunk
    except (TimeoutError, ConnectionResetError):
        pass
    return received


@pytest.fixture
def running(web):
    site, client = web
    server = Running(client.app, header_seconds=1.0)
    yield site, client, server
    server.stop()


def request_head(method: str, path: str, port: int, **headers: str) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    lines += [f"{k.replace('_', '-')}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_a_chunked_body_is_refused_at_the_limit_not_read_to_its_end(running) -> None:
    site, client, server = running
    csrf = session(client)["csrf"]
    part = (
        b'--x\r\nContent-Disposition: form-data; name="files"; filename="big.json"\r\n'
        b"Content-Type: application/json\r\n\r\n"
    )
    for path, kind, start in (
        ("/api/edits", "application/json", b'{"q": "'),
        ("/api/scenarios", "multipart/form-data; boundary=x", part),
    ):
        conn = server.connect()
        conn.sendall(
            request_head(
                "POST",
                path,
                server.port,
                Transfer_Encoding="chunked",
                Content_Type=kind,
                X_CSRF_Token=csrf,
            )
            + b"%x\r\n%s\r\n" % (len(start), start)
        )
        chunk = b"x" * 65536
        sent = 0
        try:
            while sent < 256 * 2**20:  # a 256 MiB body, were it read to its end
                conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass
        answer = answer_of(conn)
        conn.close()
        assert answer.startswith(b"HTTP/1.1 413"), answer[:300]
        assert sent < 64 * 2**20, sent  # the server stopped reading near its 2 MB
    assert not any(site.scratch.iterdir())  # no upload was kept


def test_a_stranger_streaming_a_body_is_cut_off_at_the_401(tmp_path: Path, published: Path) -> None:
    site, client = served(TINY_PATH, tmp_path, solution=published, token=GOOD)
    server = Running(client.app)
    try:
        conn = server.connect()
        conn.sendall(
            request_head(
                "POST",
                "/api/edits",
                server.port,
                Transfer_Encoding="chunked",
                Content_Type="application/json",
            )
        )
        sent = stream(conn, 256 * 2**20)
        answer = answer_of(conn)
        conn.close()
    finally:
        server.stop()
        site.close()
    assert answer.startswith(b"HTTP/1.1 401"), answer[:300]
    assert b"connection: close" in answer.lower()
    assert sent < 64 * 2**20, sent  # not drained to its end


def stream(conn: socket.socket, total: int) -> int:
    """Send a chunked body of up to ``total`` bytes; how much went before the server
    closed the connection."""
    chunk = b"x" * 65536
    sent = 0
    try:
        while sent < total:
            conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
    except (BrokenPipeError, ConnectionResetError, TimeoutError):
        pass
    return sent


def test_a_wrong_csrf_header_is_refused_before_the_body_is_read(running) -> None:
    _, _, server = running
    for headers in ({"X_CSRF_Token": "forged"}, {}):
        conn = server.connect()
        conn.sendall(
            request_head(
                "POST",
                "/api/edits",
                server.port,
                Transfer_Encoding="chunked",
                Content_Type="application/json",
                **headers,
            )
        )  # and not a byte of the body: the answer comes all the same
        answer = answer_of(conn)
        conn.close()
        assert answer.startswith(b"HTTP/1.1 403"), answer[:300]
        assert b"CSRF" in answer


def test_a_slow_client_is_timed_out(running, monkeypatch) -> None:
    _, client, server = running
    conn = server.connect()
    conn.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and the rest never
    assert answer_of(conn) == b""  # closed (after header_seconds), not held forever
    conn.close()
    monkeypatch.setattr(limits, "BODY_SECONDS", 1.0)
    csrf = session(client)["csrf"]
    conn = server.connect()
    conn.sendall(
        request_head(
            "POST",
            "/api/edits",
            server.port,
            Content_Length="100",
            Content_Type="application/json",
            X_CSRF_Token=csrf,
        )
        + b'{"rev": '
    )  # 8 of the 100 bytes announced
    answer = answer_of(conn)
    conn.close()
    assert answer.startswith(b"HTTP/1.1 408"), answer[:300]


def test_a_scenario_upload_does_not_hold_other_requests(running, monkeypatch) -> None:
    site, client, server = running
    csrf = session(client)["csrf"]
    entered, release = threading.Event(), threading.Event()

    def slow_start(actor: Any, uploads: Any) -> str:  # a season's scenarios being read
        entered.set()
        release.wait(30)
        return "1"

    monkeypatch.setattr(site, "start_comparison", slow_start)
    scenario = json.dumps({"name": "s", "edits": []}).encode()
    uploading = threading.Thread(target=lambda: upload(server.port, csrf, scenario), daemon=True)
    uploading.start()
    assert entered.wait(30)
    conn = server.connect()
    conn.sendall(request_head("GET", "/api/session", server.port, Connection="close"))
    answer = answer_of(conn)  # answered while the upload is still being read
    conn.close()
    release.set()
    uploading.join(30)
    assert answer.startswith(b"HTTP/1.1 200"), answer[:300]


def upload(port: int, csrf: str, scenario: bytes) -> None:
    import httpx

    httpx.post(
        f"http://127.0.0.1:{port}/api/scenarios",
        files={"files": ("s.json", scenario, "application/json")},
        headers={"X-CSRF-Token": csrf},
        timeout=60,
    )


# ------------------------------------------------- re-solves: dropped edits, retention


def test_an_edit_dropped_while_its_resolve_runs_is_not_accepted_with_it(web) -> None:
    site, client = web
    edit = post(client, "/api/edits", {"kind": "forbid", "volunteer": "v01", "camp": "c1"})
    kept = post(client, "/api/edits", {"kind": "forbid", "volunteer": "v02", "camp": "c2"})
    job = post(client, "/api/solve").json()["job"]
    dropped = client.request(
        "DELETE",
        f"/api/edits/{edit.json()['id']}",
        json={"rev": session(client)["rev"]},
        headers={"X-CSRF-Token": session(client)["csrf"]},
    )
    assert dropped.status_code == 200, dropped.text
    wait_for_job(client, job)
    answer = post(client, f"/api/jobs/{job}/accept", {"comment": "with a dropped edit"})
    assert answer.status_code == 409 and "dropped" in answer.json()["error"]
    state = session(client)
    page = client.post(f"/jobs/{job}/accept", data={"csrf": state["csrf"], "rev": state["rev"]})
    assert page.status_code == 409 and "دوباره حل کنید" in page.text  # in the page's words
    assert [v["id"] for v in client.get("/api/versions").json()["versions"]] == [1]
    pending = client.get("/api/edits").json()["pending"]
    assert [e["id"] for e in pending] == [kept.json()["id"]]  # nothing lost either
    # re-solved with the edits as they are now, it is accepted, and the version's
    # instance and its recorded edits agree
    job = post(client, "/api/solve").json()["job"]
    wait_for_job(client, job)
    assert post(client, f"/api/jobs/{job}/accept").status_code == 200
    version = client.get("/api/versions").json()["versions"][0]
    assert [e["id"] for e in version["edits"]] == [kept.json()["id"]]
    forbidden = json.loads(site.workspace.instance_json(version["id"]))["forbidden"]
    assert {"volunteer": "v02", "camp": "c2"} in forbidden
    assert {"volunteer": "v01", "camp": "c1"} not in forbidden


def test_two_resolves_started_at_once_make_one_job(web) -> None:
    """Session calls run in worker threads (an upload must not hold the event loop): the
    check for a running job and the start are one step, so eight clicks at once start
    one re-solve and the others are told one is running."""
    from campplanner.app.review.actor import LOCAL_PLANNER
    from campplanner.app.review.errors import UsageError

    site, client = web
    post(client, "/api/edits", {"kind": "forbid", "volunteer": "v01", "camp": "c1"})
    start = threading.Barrier(8)
    outcomes: list[str] = []

    def click() -> None:
        start.wait()
        try:
            outcomes.append(site.start_resolve(LOCAL_PLANNER))
        except UsageError:
            outcomes.append("running")

    threads = [threading.Thread(target=click) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    started = [o for o in outcomes if o != "running"]
    assert len(started) == 1 and len(site.background.resolves) == 1, outcomes
    wait_for_job(client, started[0])


def test_finished_resolves_are_freed_beyond_the_newest_few(web) -> None:
    from campplanner.app.review.background import KEEP_FINISHED

    site, client = web
    post(client, "/api/edits", {"kind": "forbid", "volunteer": "v01", "camp": "c1"})
    jobs = []
    for _ in range(KEEP_FINISHED + 4):  # none accepted
        jobs.append(post(client, "/api/solve").json()["job"])
        wait_for_job(client, jobs[-1])
    folders = [f for f in site.scratch.iterdir() if f.is_dir()]
    assert len(site.background.resolves) == KEEP_FINISHED + 1
    assert len(folders) == KEEP_FINISHED + 1, folders
    assert client.get(f"/api/jobs/{jobs[0]}").status_code == 404  # forgotten
    assert client.get(f"/api/jobs/{jobs[-1]}").status_code == 200
    # accepted and discarded ones leave no folder behind
    assert post(client, f"/api/jobs/{jobs[-1]}/accept").status_code == 200
    assert post(client, f"/api/jobs/{jobs[-2]}/discard").status_code == 200
    assert len([f for f in site.scratch.iterdir() if f.is_dir()]) == KEEP_FINISHED - 1


# ------------------------------------------------------ right-to-left overrides in names

OVERRIDES = "\u202a\u202b\u202d\u202e\u2066\u2067\u2068"  # every opener, never closed


def outside_isolation(html: str) -> list[str]:
    """The direction controls of ``html`` that can turn text outside their own name:
    not inside a ``<bdi>``, an attribute value, or an FSI ... PDI isolate with no
    control left inside it."""
    text = re.sub(r"<bdi>.*?</bdi>", "", html, flags=re.S)
    text = re.sub(r'="[^"]*"', '=""', text)
    text = re.sub("\u2068[^\u202a-\u202e\u2066-\u2069]*\u2069", "", text)
    return [
        m.group(0) + repr(text[max(0, m.start() - 40) : m.start()])
        for m in re.finditer(f"[{OVERRIDES}]", text)
    ]


def test_right_to_left_overrides_stay_inside_their_names(tmp_path: Path) -> None:
    data = make_instance(
        places=[place("arak", county="\u202ewest\u202c"), place("village", 34.2, 49.5)],
        volunteers=[volunteer(f"v{k}", name=f"\u202eN{k}", skills={"nurse": 1}) for k in range(4)],
        camps=[
            camp("c1", name="\u202eevil camp", requirements=[requirement("nurse", count=2)]),
            camp("c2", name="\u2067two", requirements=[requirement("nurse", count=5)]),
        ],
    )
    data["skills"][0]["name"] = "\u202dskill"
    instance = write_instance(tmp_path / "rtl.json", data)
    site, client = served(instance, tmp_path, solution=solved(instance, tmp_path))
    for url in ("/", "/camps", "/camps/c1", "/camps/c2", "/volunteers/v0", "/versions"):
        for lang in ("fa", "en"):
            html = client.get(url, params={"lang": lang}).text
            title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
            assert not re.search(f"[{OVERRIDES}]", title.replace("\u2068", "")), (url, title)
            assert not outside_isolation(html), (url, outside_isolation(html)[:3])
    site.close()


# ------------------------------------------------- the disk, the workspace, a damaged version


def test_a_full_disk_at_accept_is_507_in_words_and_nothing_is_lost(web, monkeypatch) -> None:
    import sqlite3

    from sqlalchemy.exc import OperationalError

    site, client = web
    edit = post(client, "/api/edits", {"kind": "forbid", "volunteer": "v01", "camp": "c1"})
    job = post(client, "/api/solve").json()["job"]
    wait_for_job(client, job)
    store = site.workspace.add_version

    def full(*args: Any, **kwargs: Any) -> int:  # what SQLAlchemy raises on SQLITE_FULL
        full_disk = sqlite3.OperationalError("database or disk is full")
        raise OperationalError("INSERT INTO cp_versions ...", {}, full_disk)

    monkeypatch.setattr(site.workspace, "add_version", full)
    answer = post(client, f"/api/jobs/{job}/accept", {"comment": "on a full disk"})
    assert answer.status_code == 507, answer.text
    assert "disk is full" in answer.json()["error"]
    assert "nothing was lost" in answer.json()["error"]
    state = session(client)
    page = accepted_on_page(client, job, {"csrf": state["csrf"], "rev": str(state["rev"])})
    assert page.status_code == 507 and "دیسک" in page.text and "Traceback" not in page.text
    monkeypatch.setattr(site.workspace, "add_version", store)  # space again
    assert [v["id"] for v in client.get("/api/versions").json()["versions"]] == [1]
    assert [e["id"] for e in client.get("/api/edits").json()["pending"]] == [edit.json()["id"]]
    assert post(client, f"/api/jobs/{job}/accept").status_code == 200  # the roster was kept


@pytest.mark.parametrize("kind", ["other program", "empty file", "text file"])
def test_workspace_refuses_a_file_that_is_not_one(tmp_path: Path, kind: str) -> None:
    import sqlite3

    path = tmp_path / "other.sqlite"
    if kind == "other program":
        with sqlite3.connect(path) as other:
            other.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    else:
        path.write_text("" if kind == "empty file" else "notes of a planner\n", encoding="utf-8")
    before = path.read_bytes()
    result = CliRunner().invoke(
        main, ["serve", str(TINY_PATH), "--workspace", str(path), "--port", "1"]
    )
    assert result.exit_code == 2, result.output
    assert (
        "not a" in said(result) or "empty file" in said(result) or "another program" in said(result)
    )
    assert "Traceback" not in result.output
    assert path.read_bytes() == before  # not turned into a workspace


def test_a_damaged_version_does_not_stop_the_server(tmp_path: Path, published: Path) -> None:
    from sqlalchemy import text

    site, client = served(TINY_PATH, tmp_path, solution=published)
    post(client, "/api/edits", {"kind": "forbid", "volunteer": "v01", "camp": "c1"})
    job = post(client, "/api/solve").json()["job"]
    wait_for_job(client, job)
    assert post(client, f"/api/jobs/{job}/accept").status_code == 200
    site.close()
    with site.workspace.engine.begin() as connection:  # version 2's roster: not gzip any more
        connection.execute(
            text("UPDATE cp_versions SET solution = :junk WHERE id = 2"), {"junk": b"\x00junk"}
        )
    site.workspace.close()
    lines: list[str] = []
    from campplanner.web.server import ServeSettings, build

    settings = ServeSettings(str(TINY_PATH), None, f"sqlite:///{tmp_path / 'ws.sqlite'}")
    again, app, _ = build(settings, say=lines.append)  # it starts
    assert any("version 2 is damaged" in line for line in lines), lines
    client = TestClient(app, base_url="http://127.0.0.1:8000")
    page = client.get("/")
    assert page.status_code == 422 and "نسخهٔ ۲ در فضای کار آسیب دیده" in page.text
    assert "damaged" in client.get("/api/overview").json()["error"]
    assert client.get("/versions").status_code == 200  # the rest of the workspace
    assert client.get("/versions/1/download/solution").status_code == 200
    assert client.get("/versions/2/download/solution").status_code == 422
    assert client.get("/api/versions/compare?a=1&b=2").status_code == 422
    again.close()


def test_a_full_disk_at_a_login_or_an_account_change_is_507_in_words(accounts, monkeypatch) -> None:
    """The account calls store (a session, an audit entry, an account): a full disk there
    is said as at accept, never a bare 500."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    site, _ = accounts
    client, csrf = logged_in(accounts[1].app, "maryam")

    def full(*args: Any, **kwargs: Any) -> Any:
        full_disk = sqlite3.OperationalError("database or disk is full")
        raise OperationalError("INSERT INTO cp_accounts ...", {}, full_disk)

    for name in ("login", "add", "disable"):
        monkeypatch.setattr(site.accounts, name, full)
    answer = client.post("/api/login", json={"name": "maryam", "password": PASSWORD})
    assert answer.status_code == 507 and "disk is full" in answer.json()["error"]
    added = client.post(
        "/api/users",
        json={"name": "ali", "role": "viewer", "password": PASSWORD},
        headers={"X-CSRF-Token": csrf},
    )
    assert added.status_code == 507, added.text
    disabled = client.post("/api/users/reza/disable", json={}, headers={"X-CSRF-Token": csrf})
    assert disabled.status_code == 507, disabled.text
