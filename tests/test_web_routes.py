"""Each router of the web alone, and every route against the route table: a route parses,
makes one call of the review session for the request's actor, and renders.

A router is mounted on a bare FastAPI application with a session (a real one over the
tiny instance, watched by :class:`Watched`, or :class:`Refusing`, which refuses every
call) and the actor given by overriding the ``actor_of`` dependency; the whole
application is walked route by route from its own route table, so that a new route
that reaches around the session, or forgets the actor, fails here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.testclient import TestClient

from builders import TINY_PATH
from campplanner.app.review.actor import Actor
from campplanner.app.review.downloads import Download
from campplanner.app.review.errors import NotFound, StaleRevision, TooLarge
from campplanner.app.review.opening import open_review
from campplanner.app.review.permissions import BY_LINK
from campplanner.app.review.session import Frame
from campplanner.web.app import ROUTERS, create_app
from campplanner.web.handling import actor_of, attach
from campplanner.web.routes import api, downloads, edits, pages
from web_helpers import solved

ANA = Actor("ana", "province")  # may do everything: the roles are test_permissions.py
CSRF = "the-pages-token"


class Watched:
    """A session whose every method call is recorded: (name, arguments)."""

    def __init__(self, session: Any):
        self.session = session
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def __getattr__(self, name: str) -> Any:
        found = getattr(self.session, name)
        if not callable(found) or name == "frame":  # the frame of every page: not a call
            return found

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, args))
            return found(*args, **kwargs)

        return call


class Refusing:
    """A session that knows nothing: every call is recorded, then refused as not found."""

    max_upload = 1_000
    token = None

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def frame(self, actor: Actor | None) -> Frame:
        return Frame("jalali", 7, None)

    def actor_for(self, credential: str | None) -> Actor:
        return ANA  # what the guard asks: who a request's credential names

    def requires_login(self) -> bool:
        return False  # a workspace without accounts: the guard asks actor_for

    def __getattr__(self, name: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, args))
            raise NotFound(f"{name}: not here")

        return call


def bare(router: Any, session: Any) -> TestClient:
    """``router`` alone on a bare application over ``session``, acting as ANA."""
    app = FastAPI()
    attach(app, session, CSRF)
    app.include_router(router)
    app.dependency_overrides[actor_of] = lambda: ANA
    return TestClient(app, base_url="http://127.0.0.1:8000")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("routes")
    session = open_review(
        str(TINY_PATH),
        str(solved(TINY_PATH, folder)),
        f"sqlite:///{folder / 'ws.sqlite'}",
        say=lambda line: None,
    )
    session.head().warmed.wait()
    yield session
    session.close()


# ------------------------------------------------------------- one router alone


def test_the_pages_router_alone_renders_one_call_of_the_session(tiny) -> None:
    watched = Watched(tiny)
    client = bare(pages.router, watched)
    answer = client.get("/camps/c1", params={"lang": "en"})
    assert answer.status_code == 200 and '<html lang="en" dir="ltr">' in answer.text
    assert watched.calls == [("camp", (ANA, "c1", "en", None))]
    camp = tiny.camp(ANA, "c1", "en")
    assert all(m["name"] in answer.text for m in camp["team"])
    watched.calls.clear()
    assert client.get("/camps/nope").status_code == 404  # the session's refusal, as a page
    assert watched.calls == [("camp", (ANA, "nope", "fa", None))]


def test_the_api_router_alone_returns_the_sessions_answer(tiny) -> None:
    watched = Watched(tiny)
    client = bare(api.router, watched)
    member = tiny.camp(ANA, "c1", "fa")["team"][0]["volunteer"]
    answer = client.get("/api/camps/c1", params={"replace": member})
    assert answer.json() == tiny.camp(ANA, "c1", "fa", member)
    assert watched.calls == [("camp", (ANA, "c1", "fa", member))]
    watched.calls.clear()
    state = client.get("/api/session").json()
    assert state["csrf"] == CSRF and state["rev"] == tiny.workspace.revision()
    assert watched.calls == [("state", (ANA,))]


def test_the_edits_router_alone_records_the_edit_as_the_actors(tmp_path: Path) -> None:
    session = open_review(
        str(TINY_PATH),
        str(solved(TINY_PATH, tmp_path)),
        f"sqlite:///{tmp_path / 'ws.sqlite'}",
        say=lambda line: None,
    )
    try:
        watched = Watched(session)
        client = bare(edits.router, watched)
        form = {"csrf": CSRF, "rev": "1", "kind": "forbid", "volunteer": "v01", "camp": "c2"}
        answer = client.post("/edits", data=form | {"next": "/camps/c2"}, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/camps/c2"
        assert [name for name, _ in watched.calls] == ["add_edit"]
        assert watched.calls[0][1][0] == ANA
        (entry, _) = session.audit(ANA)[:2]
        assert (entry["action"], entry["by"]) == ("edit", "ana")
        # the same form again is made on a revision that has moved on: refused, 409
        assert client.post("/edits", data=form).status_code == 409
        assert client.post("/edits", data=form | {"csrf": "forged"}).status_code == 403
        assert len(session.workspace.pending_edits()) == 1
    finally:
        session.close()


def test_the_downloads_router_alone_hands_over_the_sessions_file() -> None:
    class OneFile(Refusing):
        def download(self, actor: Actor, version_id: int, kind: str, lang: str) -> Download:
            self.calls.append(("download", (actor, version_id, kind, lang)))
            return Download(f"roster-v{version_id}.html", "text/html; charset=utf-8", "<p>x</p>")

    session = OneFile()
    client = bare(downloads.router, session)
    answer = client.get("/versions/3/download/html", params={"lang": "en"})
    assert answer.status_code == 200 and answer.text == "<p>x</p>"
    assert answer.headers["content-disposition"] == 'attachment; filename="roster-v3.html"'
    assert session.calls == [("download", (ANA, 3, "html", "en"))]
    assert client.get("/api/solution").json() == {"error": "solution: not here"}


@pytest.mark.parametrize(
    "refusal, status, said",
    [
        (NotFound("no such camp"), 404, "چنین اردویی نیست"),  # the page's words
        # the workspace's stale revision, in the page's words (issue 25)
        (StaleRevision("reload the page"), 409, "صفحه را دوباره باز کنید"),
        (TooLarge("x.json: too large"), 413, "x.json: too large"),
        (ValueError, 500, ""),  # a bug of ours is not said as a refusal
    ],
)
def test_each_kind_of_refusal_has_its_status_on_pages_and_in_the_api(refusal, status, said) -> None:
    class Refuses(Refusing):
        def volunteer(self, actor: Actor, volunteer_id: str) -> Any:
            raise refusal

    client = bare(pages.router, Refuses())
    client_api = bare(api.router, Refuses())
    if status == 500:
        with pytest.raises(ValueError):
            client.get("/volunteers/v1")
        return
    page = client.get("/volunteers/v1")
    assert page.status_code == status and said in page.text
    assert client_api.get("/api/volunteers/v1").json() == {"error": str(refusal)}


# ------------------------------------------------------- the whole route table

PUBLIC = {"/lang/{lang}", "/fonts/{name}", "/api/{rest:path}"}  # no data of anyone's
# logging in: before anyone is known, one call of the session (login), for nobody
LOGIN = {"/login", "/api/login"}
# a volunteer's private link: one call of the session, for the link's token (no actor)
LINKS = {"/v/{token}", "/v/{token}/answer", "/v/{token}/calendar.ics"}
SAMPLE = {
    "token": "t" * 43,
    "camp_id": "c1",
    "county": "x",
    "volunteer_id": "v1",
    "job_id": "1",
    "accept_id": "1",
    "edit_id": "1",
    "version_id": "1",
    "kind": "html",
    "suffix": "csv",
    "lang": "en",
    "name": "x",
    "rest": "x",
}


def _route_table() -> list[APIRoute]:
    """Every route of the application: those of the routers create_app assembles."""
    return [route for router in ROUTERS for route in router.routes if isinstance(route, APIRoute)]


def _routes() -> list[tuple[str, str]]:
    return sorted((method, route.path) for route in _route_table() for method in route.methods)


def test_the_route_table_holds_every_page_and_api_address() -> None:
    paths = {route.path for route in _route_table()}
    assert len(paths) >= 40 and {"/", "/camps/{camp_id:path}", "/api/edits"} <= paths
    app = create_app(Refusing(), csrf=CSRF)  # type: ignore[arg-type]
    served = [(r.path, r.methods) for r in app.routes if isinstance(r, APIRoute)]
    assert served == [(r.path, r.methods) for r in _route_table()]  # in order: /api/... last


def test_every_route_but_the_public_ones_depends_on_the_actor() -> None:
    for route in _route_table():
        if route.path not in PUBLIC | LOGIN | LINKS:
            needs = {dependency.call for dependency in route.dependant.dependencies}
            assert actor_of in needs, route.path


@pytest.mark.parametrize("method, path", _routes())
def test_every_route_makes_at_most_one_call_of_the_session_for_its_actor(
    method: str, path: str
) -> None:
    session = Refusing()
    client = TestClient(create_app(session, csrf=CSRF), base_url="http://127.0.0.1:8000")  # type: ignore[arg-type]
    address = re.sub(r"\{(\w+)(:path)?\}", lambda m: SAMPLE[m.group(1)], path)
    answer = client.request(
        method,
        address,
        params={"a": "1", "b": "2"},
        json={"rev": 7, "q": "a name"},
        headers={"X-CSRF-Token": CSRF},
        follow_redirects=False,
    )
    assert answer.status_code < 500, answer.text
    if path in PUBLIC or (method, path) == ("GET", "/login"):
        assert session.calls == []
        return
    if path in LOGIN:
        assert [name for name, _ in session.calls] == ["login"]
        return
    if path in LINKS:  # the token in the address is the credential
        assert len(session.calls) == 1 and session.calls[0][0] in BY_LINK, session.calls
        assert session.calls[0][1][0] == SAMPLE["token"]
        return
    assert len(session.calls) == 1, session.calls  # the volunteers form: its skills
    assert all(args[0] == ANA for _, args in session.calls), session.calls
