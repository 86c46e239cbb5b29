"""Volunteers' private links (issue 24): made at publication, written for a bulk-SMS panel,
the volunteer's page, their answers and calendar, and the statuses the planners read.

tiny moved ten years on (its camps in 1410, the season not over) with a phone per
volunteer and what to bring is solved and served (a workspace without accounts:
the planner at this machine). Publishing version 1 gives each assigned volunteer a link.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner
from markupsafe import escape
from sqlalchemy import update

from builders import emptied, tiny_data
from campplanner.app.links import (
    LINK_COLUMNS,
    NO_ANSWER_DAYS,
    LinkRefused,
    status,
    token_for,
    verify,
)
from campplanner.app.review.actor import LOCAL_PLANNER, Actor
from campplanner.cli import main
from campplanner.contract.calendar import to_persian_digits
from campplanner.workspace.links import AnswerRecord, LinkRecord, LinkStore, links
from web_helpers import latin_words, post, served, solved, wait_for_job

BASE = "https://camps.example.ir"
PG_URL = os.environ.get("CAMPPLANNER_TEST_PG_URL")


BRING = "کیسه‌خواب و چراغ‌قوه"
HOSTILE = ' <script>alert(1)</script>"><img src=x onerror=alert(2)>\u202e'  # escaped, isolated


def future_data() -> dict:
    """tiny ten years on, with phones and what to bring."""
    data = tiny_data()
    for camp in data["camps"]:
        for key in ("start", "end"):
            camp[key] = "1410" + camp[key][4:]
        camp["bring"] = BRING + HOSTILE
    for n, volunteer in enumerate(data["volunteers"]):
        volunteer["phone"] = f"0912 000 {n:04d}"
    return data


@pytest.fixture(params=["sqlite", "postgresql"])
def site(request: pytest.FixtureRequest, tmp_path: Path):
    url = None
    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip("PostgreSQL: set CAMPPLANNER_TEST_PG_URL to run the links on it")
        url = emptied(PG_URL)
    season = tmp_path / "season.json"
    season.write_text(json.dumps(future_data(), ensure_ascii=False), encoding="utf-8")
    roster = solved(season, tmp_path)
    session, client = served(season, tmp_path, solution=roster, url=url)
    assert post(client, "/api/versions/1/publish").status_code == 200
    yield session, client, season, roster
    session.close()
    session.workspace.close()


def _tokens(session) -> dict[str, str]:
    """Each linked volunteer's token, as the export writes it."""
    store = LinkStore(session.workspace)
    key = store.key()
    live = store.live(datetime.now(UTC))
    return {v: token_for(key, v, record.serial) for v, record in live.items()}


def _roster(roster: Path) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for a in json.loads(roster.read_text())["assignments"]:
        found.setdefault(a["volunteer"], []).append((a["camp"], a["skill"]))
    return found


def test_publishing_gives_each_assigned_volunteer_a_link(site) -> None:
    session, client, _, roster = site
    tokens = _tokens(session)
    assert set(tokens) == set(_roster(roster))
    assert all(len(t) == 43 for t in tokens.values())  # 256 bits, base64url
    # stored hashed: no token in the database
    with session.workspace.engine.connect() as connection:
        stored = connection.execute(links.select()).all()
    assert stored and not any(t in str(row) for row in stored for t in tokens.values())
    # published again: the same links (none made twice)
    assert post(client, "/api/versions/1/publish").status_code == 200
    assert _tokens(session) == tokens


def test_the_volunteers_page_shows_their_camps_and_only_the_leaders_phone(site) -> None:
    session, client, _, roster = site
    tokens = _tokens(session)
    camps = _roster(roster)
    leader, led = next(
        (v, c) for v, held in sorted(camps.items()) for c, s in held if s == "camp_leader"
    )
    member = next(
        v for v, held in sorted(camps.items()) if v != leader and (led, held[0][1]) in held
    )
    member_camps = {c for c, _ in camps[member]}
    page = client.get(f"/v/{tokens[member]}")
    assert page.status_code == 200 and '<html lang="fa" dir="rtl">' in page.text
    start = {c["id"]: c["start"] for c in future_data()["camps"]}[led]
    assert BRING in page.text and to_persian_digits(start.replace("-", "/")) in page.text
    assert page.text.count('class="link-camp"') == len(member_camps)
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    phones = {v["id"]: v["phone"] for v in future_data()["volunteers"]}
    shown = {v for v, p in phones.items() if p.replace(" ", "") in _digits(page.text)}
    assert shown == {leader}  # the camp leader's phone, nobody else's (theirs neither)
    calendar = client.get(f"/v/{tokens[member]}/calendar.ics").content.decode()
    calendar = calendar.replace("\r\n ", "")  # lines unfolded (RFC 5545)
    assert {v for v, p in phones.items() if p.replace(" ", "") in _digits(calendar)} == {leader}
    # a Persian page says nothing in English but the switch's name and the file kind
    shown = page.text.replace(str(escape(HOSTILE)), "")  # the data's own words aside
    words = set(re.findall(r"[A-Za-z]{2,}", re.sub(r"<[^>]*>", " ", shown)))
    assert words <= {"English", "ics", "campplanner"}, words
    english = client.get(f"/v/{tokens[member]}", params={"lang": "en"})
    assert '<html lang="en" dir="ltr">' in english.text and start in english.text
    # the leader's own page: the team by name, no one's phone
    own = client.get(f"/v/{tokens[leader]}").text
    assert not {v for v, p in phones.items() if p.replace(" ", "") in _digits(own)}


def _digits(text: str) -> str:
    return text.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")).replace(" ", "")


def test_confirm_and_decline_become_statuses_and_an_edit(site) -> None:
    session, client, _, roster = site
    tokens = _tokens(session)
    camps = _roster(roster)
    yes, no = sorted(camps)[:2]
    yes_camp, no_camp = camps[yes][0][0], camps[no][0][0]
    answer = client.post(f"/v/{tokens[yes]}/answer", json={"camp": yes_camp, "answer": "confirm"})
    assert answer.status_code == 200 and answer.json()["answer"] == "confirm"
    form = client.post(
        f"/v/{tokens[no]}/answer",
        data={"camp": no_camp, "answer": "decline", "reason": "illness", "text": "تب دارم"},
        follow_redirects=False,
    )
    assert form.status_code == 303 and form.headers["location"].startswith(f"/v/{tokens[no]}")
    # the decline is an edit at once, by the volunteer
    pending = client.get("/api/edits").json()["pending"]
    assert [e["ops"] for e in pending] == [
        [{"op": "forbid", "pairs": [{"volunteer": no, "camp": no_camp}]}]
    ]
    assert session.workspace.audit_log(action="edit")[0]["by"] == "the volunteer"
    team = {
        m["volunteer"]: m["confirmation"]
        for m in client.get(f"/api/camps/{yes_camp}").json()["team"]
    }
    assert team[yes] == "confirmed"
    declined = client.get(f"/api/camps/{no_camp}").json()
    assert {m["volunteer"]: m["confirmation"] for m in declined["team"]}[no] == "declined"
    assert declined["confirmation"]["at_risk"] and [
        d["volunteer"] for d in declined["declines"]
    ] == [no]
    overview = client.get("/api/overview").json()["answers"]
    assert overview["confirmed"] == 1 and overview["declined"] == 1
    assert no_camp in {c["id"] for c in overview["at_risk"]}
    # a camp leader's overview names the people of their own camps alone
    other_leader = Actor("leader", "camp-leader", camps=frozenset({yes_camp}) - {no_camp})
    listed = session.overview(other_leader)["answers"]["at_risk"]
    assert no_camp not in {c["id"] for c in listed}
    risky = client.get("/api/camps", params={"status": "at_risk"}).json()["rows"]
    assert {r["id"] for r in risky} == {c["id"] for c in overview["at_risk"]}
    # the pages: the overview's camps at risk, the camp's declines with replacements
    overview_page = client.get("/").text
    assert 'id="at-risk"' in overview_page and f"/camps/{no_camp}" in overview_page
    camp_page = client.get(f"/camps/{no_camp}").text
    assert 'id="declines"' in camp_page and 'id="replan-form"' in camp_page
    assert "تب دارم" in camp_page and "بیماری" in camp_page  # their reason and note
    assert "نمی‌آید" in camp_page  # the member's status, in Persian
    assert no_camp in {
        r["id"] for r in client.get("/api/camps", params={"status": "at_risk"}).json()["rows"]
    }
    # the camp leader's papers say each member's answer
    packet = client.get(f"/packets/{no_camp}").text
    assert "<th>پاسخ</th>" in packet and "نمی‌آید" in packet
    # changing their mind: the decline's pending edit goes away
    client.post(f"/v/{tokens[no]}/answer", json={"camp": no_camp, "answer": "confirm"})
    assert client.get("/api/edits").json()["pending"] == []


def test_a_link_answers_only_for_its_own_camps(site) -> None:
    session, client, _, roster = site
    tokens = _tokens(session)
    camps = _roster(roster)
    a = sorted(camps)[0]
    others = {c for v, held in camps.items() if v != a for c, _ in held} - {c for c, _ in camps[a]}
    other = sorted(others)[0]
    refused = client.post(f"/v/{tokens[a]}/answer", json={"camp": other, "answer": "decline"})
    assert refused.status_code == 404 and "no such camp" in refused.json()["error"]
    mine = camps[a][0][0]
    for wrong in (
        {"camp": mine, "answer": "maybe"},
        {"camp": mine, "answer": "decline", "reason": "x"},
    ):
        assert client.post(f"/v/{tokens[a]}/answer", json=wrong).status_code == 400
    assert client.get("/api/edits").json()["pending"] == []


def test_tampered_revoked_and_expired_links_are_refused(site) -> None:
    session, client, _, _ = site
    tokens = _tokens(session)
    a, b, c = sorted(tokens)[:3]
    tampered = tokens[a][:-1] + ("A" if tokens[a][-1] != "A" else "B")
    for bad in (tampered, tokens[a][:20], "x" * 43, tokens[a] + "A"):
        assert client.get(f"/v/{bad}").status_code == 404
        assert client.get(f"/v/{bad}/calendar.ics").status_code == 404
    # the form of the volunteer's page (a planner's) revokes too
    page = client.get(f"/volunteers/{b}")
    assert 'id="revoke-link"' in page.text
    csrf = client.get("/api/session").json()["csrf"]
    form = client.post(
        f"/volunteers/{b}/revoke-link",
        data={"csrf": csrf, "next": f"/volunteers/{b}"},
        follow_redirects=False,
    )
    assert form.status_code == 303 and client.get(f"/v/{tokens[b]}").status_code == 410
    # revoked by the planner (the API), then its page, answer and calendar are refused
    revoked = post(client, f"/api/links/{a}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked"] == 1
    assert client.get(f"/v/{tokens[a]}").status_code == 410
    gone = client.post(f"/v/{tokens[a]}/answer", json={"camp": "c1", "answer": "confirm"})
    assert gone.status_code == 410 and gone.json()["why"] == "revoked"
    with pytest.raises(LinkRefused) as refusal:
        verify(session.links, tokens[a])
    assert refusal.value.why == "revoked"
    # expired: the season is over
    with session.workspace.engine.begin() as connection:
        connection.execute(
            update(links)
            .where(links.c.volunteer == c)
            .values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    assert client.get(f"/v/{tokens[c]}").status_code == 410
    assert "منقضی" in client.get(f"/v/{tokens[c]}").text
    # a new publication gives the revoked volunteer a new link; the old one stays dead
    post(client, "/api/versions/1/publish")
    fresh = _tokens(session)
    assert fresh[a] != tokens[a] and client.get(f"/v/{fresh[a]}").status_code == 200
    assert client.get(f"/v/{tokens[a]}").status_code == 410


def test_the_calendar_parses_and_keeps_its_event_ids_across_a_republish(site) -> None:
    session, client, _, roster = site
    tokens = _tokens(session)
    volunteer = sorted(tokens)[0]
    first = icalendar.Calendar.from_ical(client.get(f"/v/{tokens[volunteer]}/calendar.ics").content)
    events = first.walk("VEVENT")
    assert len(events) == len(_roster(roster)[volunteer])
    uids = {str(e["UID"]) for e in events}
    # a second version with the same roster, published: the same events, a newer sequence
    instance = session.workspace.instance_json(1)
    solution = session.workspace.solution_json(1)
    session.workspace.add_version(instance, solution, comment="again", parent=1)
    post(client, "/api/versions/2/publish")
    again = icalendar.Calendar.from_ical(client.get(f"/v/{tokens[volunteer]}/calendar.ics").content)
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == uids
    assert all(int(e["SEQUENCE"]) == 2 for e in again.walk("VEVENT"))


def test_the_links_file_from_the_versions_page_is_audited(site) -> None:
    session, client, _, roster = site
    answer = client.get("/api/versions/1/links.csv")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"].endswith('links-phones-v1.csv"')
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == LINK_COLUMNS and len(rows) - 1 == len(_roster(roster))
    assert all(r[3].startswith("http://127.0.0.1:8000/v/") and r[3] in r[4] for r in rows[1:])
    assert session.workspace.audit_log(action="download")[0]["detail"]["kind"] == "links"
    # a county coordinator's file: the people of its counties' camps alone
    data = future_data()
    county_of = {p["id"]: p.get("county") for p in data["places"]}
    camp_county = {c["id"]: county_of[c["place"]] for c in data["camps"]}
    camps = _roster(roster)
    county = camp_county[sorted(camps.items())[0][1][0][0]]
    theirs = {v for v, held in camps.items() if any(camp_county[c] == county for c, _ in held)}
    coordinator = Actor("county", "county", counties=frozenset({county}))
    mine = session.links_file(coordinator, 1, "https://x.example")
    listed = list(csv.reader(io.StringIO(mine.content.decode("utf-8-sig"))))[1:]
    assert {r[0] for r in listed} == theirs and theirs < set(camps)
    # the links count as sent: the versions page lists who has not opened them
    page = client.get("/versions")
    assert page.status_code == 200 and 'id="links-csv"' in page.text
    assert 'id="answers"' in page.text
    listed = session.versions_page(LOCAL_PLANNER)["answers"]
    assert len(listed["not_opened"]) == len(_roster(roster))
    client.get(rows[1][3].removeprefix("http://127.0.0.1:8000"))
    listed = session.versions_page(LOCAL_PLANNER)["answers"]
    assert rows[1][0] in {r["volunteer"] for r in listed["not_answered"]}


def test_export_links_writes_the_csv_for_an_sms_panel(site, tmp_path: Path) -> None:
    session, _, season, roster = site
    url = session.workspace.url
    where = ["--workspace", url.removeprefix("sqlite:///")] if "sqlite" in url else ["--db", url]
    out = tmp_path / "sms"
    result = CliRunner().invoke(
        main,
        ["export", str(season), str(roster), "--links", str(out), *where, "--base-url", BASE + "/"],
    )
    assert result.exit_code == 0, result.output
    text = (out / "links-phones.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(LINK_COLUMNS)
    tokens = _tokens(session)
    assert {r["volunteer"]: r["link"] for r in rows} == {
        v: f"{BASE}/v/{t}" for v, t in tokens.items()
    }  # the links publication made, written again
    assert all(r["phone"].startswith("0912000") for r in rows)
    assert all("گرامی" in r["message"] and r["link"] in r["message"] for r in rows)
    # the line printed: Persian by default (as the files are), English under --lang en
    links, written = len(rows), out / "links-phones.csv"
    shown = to_persian_digits(str(links))
    assert result.stdout == f"{written} نوشته شد: {shown} پیوند (۰ تازه)، ۰ داوطلب بی‌تلفن\n"
    assert latin_words(result.stdout, set()) == []
    rerun = ["export", str(season), str(roster), "--links", str(out), *where, "--force"]
    english = CliRunner().invoke(main, [*rerun, "--base-url", BASE, "--lang", "en"])
    assert english.stdout == (
        f"Wrote {written}: {links} links (0 new), 0 volunteers without a phone\n"
    )
    # a second run refuses to overwrite without --force; no folder, no base URL: exit 2
    again = CliRunner().invoke(
        main, ["export", str(season), str(roster), "--links", str(out), *where]
    )
    assert again.exit_code == 2 and "--base-url" in again.output


def test_export_links_refuses_a_season_that_is_over(tmp_path: Path) -> None:
    past = tmp_path / "past.json"
    past.write_text(json.dumps(tiny_data(), ensure_ascii=False), encoding="utf-8")
    roster = solved(past, tmp_path)
    served(past, tmp_path, solution=roster)[0].close()  # the workspace, made by serve
    where = ["--workspace", str(tmp_path / "ws.sqlite"), "--base-url", BASE]
    result = CliRunner().invoke(
        main, ["export", str(past), str(roster), "--links", str(tmp_path / "sms"), *where]
    )
    assert result.exit_code == 2 and "season ended" in result.output
    assert not (tmp_path / "sms").exists()


def test_a_decline_re_planned_and_published_updates_the_pages_and_the_call_list(site) -> None:
    """The volunteer declines; the planner re-solves (the decline is the pending edit),
    accepts and publishes: their page no longer lists the camp, nor does their calendar;
    whoever the re-plan brought in has a link; the declined person is on the call list."""
    session, client, _, roster = site
    tokens = _tokens(session)
    camps = _roster(roster)
    leaving = next(v for v, held in sorted(camps.items()) if held[0][1] != "camp_leader")
    camp = camps[leaving][0][0]
    client.post(f"/v/{tokens[leaving]}/answer", json={"camp": camp, "answer": "decline"})
    job = post(client, "/api/solve").json()["job"]
    assert wait_for_job(client, job)["state"] == "done"
    version = post(client, f"/api/jobs/{job}/accept", {"comment": "declines"}).json()["version"]
    # accepted, not published yet: the link still shows the published roster (read for
    # the links alone), and the new version's pages carry the answers already
    assert f'data-camp="{camp}"' in client.get(f"/v/{tokens[leaving]}").text
    team = client.get(f"/api/camps/{camp}").json()["team"]
    assert leaving not in {m["volunteer"] for m in team}
    assert all(m["confirmation"] in ("not_sent", "sent", "opened") for m in team)
    assert post(client, f"/api/versions/{version}/publish").status_code == 200
    page = client.get(f"/v/{tokens[leaving]}").text
    assert f'data-camp="{camp}"' not in page
    events = icalendar.Calendar.from_ical(client.get(f"/v/{tokens[leaving]}/calendar.ics").content)
    assert len(events.walk("VEVENT")) == len(camps[leaving]) - 1
    now = {a["volunteer"] for a in client.get("/api/solution").json()["assignments"]}
    assert now <= set(_tokens(session))  # everyone on the new roster has a link
    calls = client.get(f"/versions/{version}/calls")
    assert calls.status_code == 200 and leaving in calls.text


def test_an_assignment_without_an_answer_days_after_its_link_was_sent_is_no_answer() -> None:
    sent = datetime(2031, 6, 1, 8, tzinfo=UTC)
    link = LinkRecord(1, "v1", 1, 1, sent, sent + timedelta(days=90), None, None, None)
    assert status(None, None, sent) == status(link, None, sent) == "not_sent"
    link = LinkRecord(1, "v1", 1, 1, sent, sent + timedelta(days=90), None, sent, None)
    assert status(link, None, sent + timedelta(days=1)) == "sent"
    opened = LinkRecord(1, "v1", 1, 1, sent, sent + timedelta(days=90), None, sent, sent)
    assert status(opened, None, sent + timedelta(days=1)) == "opened"
    late = sent + timedelta(days=NO_ANSWER_DAYS)
    assert status(link, None, late) == status(opened, None, late) == "no_answer"
    yes = AnswerRecord("v1", "c1", "confirm", "", "", sent, 1, None)
    no = AnswerRecord("v1", "c1", "decline", "work", "", sent, 1, 3)
    assert status(opened, yes, late) == "confirmed" and status(None, no, late) == "declined"


def test_a_link_needs_no_token_or_account_and_opens_nothing_else(tmp_path: Path) -> None:
    """On a server with a token (a LAN), then with accounts: the link opens its page,
    the planners' pages and API still need the token or a login."""
    season = tmp_path / "season.json"
    season.write_text(json.dumps(future_data(), ensure_ascii=False), encoding="utf-8")
    session, client = served(season, tmp_path, solution=solved(season, tmp_path), token="t" * 24)
    try:
        planner = {"Authorization": "Bearer " + "t" * 24}
        state = client.get("/api/session", headers=planner).json()
        published = client.post(
            "/api/versions/1/publish",
            json={"rev": state["rev"]},
            headers=planner | {"X-CSRF-Token": state["csrf"]},
        )
        assert published.status_code == 200
        token = next(iter(_tokens(session).values()))
        assert client.get(f"/v/{token}").status_code == 200
        assert client.get(f"/v/{token}/calendar.ics").status_code == 200
        for address in ("/", "/api/overview", "/api/solution", f"/v/{token}/../../api/solution"):
            assert client.get(address).status_code == 401, address
        session.accounts.add("province", "province", "a long pass phrase")
        assert client.get(f"/v/{token}").status_code == 200
        assert client.get("/", follow_redirects=False).status_code == 302
        assert client.get("/api/overview").status_code == 401
    finally:
        session.close()
        session.workspace.close()


def test_a_links_answer_is_refused_in_words_when_malformed_or_too_large(site) -> None:
    session, client, _, roster = site
    token = _tokens(session)[sorted(_roster(roster))[0]]
    camp = _roster(roster)[sorted(_roster(roster))[0]][0][0]
    url = f"/v/{token}/answer"
    assert (
        client.post(
            url, content=b"[1, 2]", headers={"Content-Type": "application/json"}
        ).status_code
        == 400
    )
    assert (
        client.post(url, content=b"{nope", headers={"Content-Type": "application/json"}).status_code
        == 400
    )
    assert (
        client.post(url, content=b"camp=x", headers={"Content-Type": "text/plain"}).status_code
        == 400
    )
    assert client.post(url, json={"camp": 5, "answer": "confirm"}).status_code == 400
    big = client.post(url, json={"camp": camp, "answer": "decline", "text": "x" * 3_000_000})
    assert big.status_code == 413
    long = client.post(url, json={"camp": camp, "answer": "decline", "text": "ن" * 2_000})
    assert long.status_code == 200
    assert len(session.links.answers()[(sorted(_roster(roster))[0], camp)].text) == 500
    assert session.workspace.pending_edits()  # the one decline, recorded once


def test_a_frozen_page_re_plan_keeps_what_volunteers_confirmed(site) -> None:
    """A confirmation through the link reaches the page's re-plan with a freeze date:
    the assignment is in the frozen re-plan's confirmed list (solve --freeze-until keeps
    it unless moving it runs an essential role), and the re-plan keeps it."""
    session, client, _, roster = site
    tokens = _tokens(session)
    camps = _roster(roster)
    person = sorted(camps)[0]
    camp = camps[person][0][0]
    answer = client.post(f"/v/{tokens[person]}/answer", json={"camp": camp, "answer": "confirm"})
    assert answer.status_code == 200
    job = post(client, "/api/solve", {"freeze_until": "1410-01-01"}).json()["job"]
    assert wait_for_job(client, job)["state"] == "done"
    replanned = session.background.resolves[job].job.result()
    replan = replanned.outcome.replan
    assert replan["frozen"]["confirmed"] == 1 and replan["frozen"]["confirmed_moved"] == []
    problem, kept = replanned.outcome.problem, replanned.outcome.result.assigned
    after = {
        (
            problem.volunteer_ids[problem.candidate_volunteer[i]],
            problem.camp_ids[problem.candidate_camp[i]],
        )
        for i in kept
    }
    assert (person, camp) in after
