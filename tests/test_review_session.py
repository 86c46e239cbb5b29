"""The review session of the application layer without any web: what ``serve``'s routes
call. Every change is recorded with who made it; refusals come by kind; a version is
opened (read and compiled) once, and an accepted re-solve's version not at all.

On the tiny instance, solved once (the published roster the planner opens).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from builders import TINY_PATH
from campplanner.app.review import versions
from campplanner.app.review.actor import LOCAL_PLANNER, TOKEN_HOLDER, Actor, holder
from campplanner.app.review.errors import NotFound, StaleRevision, TooLarge, UsageError
from campplanner.app.review.opening import open_review
from campplanner.app.review.session import ReviewSession
from web_helpers import solved

ANA = Actor("ana", "province")  # may do everything: the roles are test_permissions.py


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return solved(TINY_PATH, tmp_path_factory.mktemp("published"))


@pytest.fixture
def session(tmp_path: Path, published: Path):
    opened = open_review(
        str(TINY_PATH), str(published), f"sqlite:///{tmp_path / 'ws.sqlite'}", say=lambda _: None
    )
    yield opened
    opened.close()
    opened.workspace.close()


def _finished(session: ReviewSession, job_id: str) -> dict:
    session.background.resolves[job_id].job.wait(120)
    return session.resolve(ANA, job_id)


def test_every_change_is_recorded_with_who_made_it(session: ReviewSession) -> None:
    rev = session.state(ANA)["rev"]
    first = session.add_edit(ANA, {"kind": "forbid", "volunteer": "v01", "camp": "c1", "rev": rev})
    second = session.add_edit(
        ANA, {"kind": "forbid", "volunteer": "v02", "camp": "c1", "rev": first["rev"]}
    )
    after_drop = session.drop_edit(ANA, second["id"], second["rev"])
    job = session.start_resolve(ANA)
    assert "diff" in _finished(session, job)["finished"]
    accepted = session.accept(ANA, job, "x" * 600, after_drop["rev"])
    published = session.publish(ANA, 1, accepted["rev"])
    other = session.start_resolve(TOKEN_HOLDER)
    session.discard(TOKEN_HOLDER, other)
    log = session.audit(ANA)
    assert [(e["action"], e["by"]) for e in log] == [
        ("discard", "token"),
        ("publish", "ana"),
        ("accept", "ana"),
        ("drop edit", "ana"),
        ("edit", "ana"),
        ("edit", "ana"),
        ("accept", "planner"),  # the files opened at start, by the planner at this machine
    ]
    assert published == {"published": 1, "rev": session.state(ANA)["rev"]}
    assert session.version_list(ANA)["versions"][0]["comment"] == "x" * 500  # kept short
    # the audit page words an edit by its lines (names as on the edits page), the audit
    # itself keeps the edit's ops
    page = session.versions_page(ANA)
    assert page["audit"][5]["detail"]["edit"] == first["id"]
    assert [
        (line["op"], line["volunteer"], line["camp"]) for line in page["audit"][5]["lines"]
    ] == [("forbid", "v01", "c1")]
    assert log[5]["detail"]["ops"] == [
        {"op": "forbid", "pairs": [{"volunteer": "v01", "camp": "c1"}]}
    ]


def test_the_session_refuses_by_kind(session: ReviewSession) -> None:
    rev = session.state(ANA)["rev"]
    for refused in (
        lambda: session.camp(ANA, "nowhere", "fa"),
        lambda: session.volunteer(ANA, "nobody"),
        lambda: session.drop_edit(ANA, 99, rev),
        lambda: session.publish(ANA, 99, rev),
        lambda: session.job(ANA, "9"),
        lambda: session.resolve(ANA, "9"),
        lambda: session.comparison(ANA, "9"),
        lambda: session.cancel(ANA, "9"),
        lambda: session.compare(ANA, 1, 9),
        lambda: session.download(ANA, 1, "pdf", "fa"),
    ):
        with pytest.raises(NotFound):
            refused()
    with pytest.raises(StaleRevision, match="reload the page"):
        session.add_edit(ANA, {"kind": "forbid", "volunteer": "v01", "camp": "c1", "rev": rev - 1})
    with pytest.raises(UsageError, match="rev"):
        session.add_edit(ANA, {"kind": "forbid", "volunteer": "v01", "camp": "c1"})
    with pytest.raises(UsageError, match="no camp"):  # the edit is checked before its revision
        session.add_edit(ANA, {"kind": "forbid", "volunteer": "v01", "camp": "nowhere"})
    with pytest.raises(TooLarge, match=r"big\.json"):
        session.start_comparison(ANA, [("big.json", b" " * (session.max_upload + 1))])
    with pytest.raises(UsageError, match="choose one or more"):
        session.start_comparison(ANA, [])
    with pytest.raises(UsageError, match="no finished solve"):
        session.accept(ANA, "9", "", rev)
    assert session.state(ANA)["rev"] == rev and session.pending_edits(ANA)["pending"] == []


def test_a_version_is_opened_once_and_an_accepted_one_not_at_all(
    session: ReviewSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = session.head()
    assert session.head() is head  # kept: the next page compiles nothing
    job = session.start_resolve(ANA)
    _finished(session, job)

    def compile_again(*args, **kwargs):
        raise AssertionError("the accepted version was compiled again")

    monkeypatch.setattr(versions, "compile_instance", compile_again)
    version = session.accept(ANA, job, "", session.state(ANA)["rev"])["version"]
    opened = session.head()
    # a new open version; without edits the re-solve reused the compiled season itself
    assert opened.version.id == version and opened is not head
    assert opened.problem is head.problem
    assert session.camp(ANA, "c1", "fa")["camp"]["id"] == "c1"  # its pages, at once


def test_the_one_credential_of_today_names_one_person() -> None:
    assert holder(None, None) == LOCAL_PLANNER  # no token: the planner at this machine
    assert holder("s3cret", "s3cret") == TOKEN_HOLDER
    assert holder("s3cret", "wrong") is None and holder("s3cret", None) is None
