"""Attendance recorded at the camp (issue 24): the camp leader marks who came, the county
for its counties' camps, nobody else; every recording audited with who made it; the
province downloads the season's marks as an attendance history that ``stress
--history`` reads. On SQLite, and on PostgreSQL when ``CAMPPLANNER_TEST_PG_URL`` is set
(the ``site`` of the permission tests: tiny.json with an account per role, the county
khomein and a leader of camp c1).
"""

from __future__ import annotations

import pytest

import test_permissions
from campplanner.contract.history import history_from_data
from campplanner.whatif.attendance import estimate_no_shows
from test_permissions import _as, _members, _post

# the permission tests' workspace: tiny.json, an account per role (their fixtures)
roster = test_permissions.roster
site = test_permissions.site


def _marks(client, camp: str) -> dict[str, bool | None]:
    answer = client.get(f"/api/attendance/{camp}")
    assert answer.status_code == 200, answer.text
    return {row["volunteer"]: row["came"] for row in answer.json()["team"]}


def test_a_camp_leader_records_who_came_to_their_camp_and_it_is_audited(site) -> None:
    leader, csrf = _as(site, "camp-leader")
    first, second, *_ = _members(_as(site, "province")[0], "c1")
    before = _marks(leader, "c1")
    assert before[first] is None and before[second] is None  # nobody marked yet
    done = _post(leader, csrf, "/api/attendance/c1", {"marks": {first: True, second: False}})
    assert done.status_code == 200, done.text
    rows = {row["volunteer"]: row for row in done.json()["team"]}
    assert rows[first]["came"] is True and rows[second]["came"] is False
    assert rows[first]["by"] == "camp-leader" and done.json()["recorded"] == 2
    entry = site[0].workspace.audit_log()[0]
    assert (entry["action"], entry["by"]) == ("attendance", "camp-leader")
    assert entry["detail"] == {"camp": "c1", "came": [first], "absent": [second]}
    # a correction replaces the mark; the audit keeps both
    again = _post(leader, csrf, "/api/attendance/c1", {"marks": {second: True}})
    assert again.status_code == 200 and _marks(leader, "c1")[second] is True
    assert [e["action"] for e in site[0].workspace.audit_log()[:2]] == ["attendance"] * 2


def test_nobody_records_another_camp_and_a_viewer_records_nothing(site) -> None:
    leader, csrf = _as(site, "camp-leader")
    other = _members(_as(site, "province")[0], "c2")[0]
    refused = _post(leader, csrf, "/api/attendance/c2", {"marks": {other: True}})
    assert refused.status_code == 403
    assert leader.get("/attendance/c2").status_code == 403
    county, county_csrf = _as(site, "county")
    assert (
        _post(county, county_csrf, "/api/attendance/c2", {"marks": {other: True}}).status_code
        == 403
    )
    mine = _members(county, "c1")[0]
    assert (
        _post(county, county_csrf, "/api/attendance/c1", {"marks": {mine: False}}).status_code
        == 200
    )
    viewer, viewer_csrf = _as(site, "viewer")
    assert viewer.get("/api/attendance/c1").status_code == 403
    assert (
        _post(viewer, viewer_csrf, "/api/attendance/c1", {"marks": {mine: True}}).status_code == 403
    )
    assert leader.get("/api/history.json").status_code == 403  # the province's


def test_every_bad_mark_is_said_at_once_and_nothing_is_recorded(site) -> None:
    leader, csrf = _as(site, "camp-leader")
    member = _members(_as(site, "province")[0], "c1")[0]
    bad = {"marks": {member: "perhaps", "v99": True}}
    refused = _post(leader, csrf, "/api/attendance/c1", bad)
    assert refused.status_code == 400
    said = refused.json()["error"]
    assert f"{member}: came is yes or no" in said and "v99: not on the team" in said
    assert all(mark is None for mark in _marks(leader, "c1").values())
    nothing = _post(leader, csrf, "/api/attendance/c1", {"marks": {member: ""}})
    assert nothing.status_code == 400 and "no member was marked" in nothing.json()["error"]
    # the page's form, refused: said in Persian, nothing recorded
    rev = leader.get("/api/session").json()["rev"]
    page = leader.post("/attendance/c1", data={"csrf": csrf, "rev": rev, f"came:{member}": "maybe"})
    assert page.status_code == 400 and "حضور ثبت نشد" in page.text


def test_the_sheet_on_a_phone_form_records_and_shows_who_recorded(site) -> None:
    leader, csrf = _as(site, "camp-leader")
    sheet = leader.get("/attendance/c1")
    assert sheet.status_code == 200 and 'id="attendance-form"' in sheet.text
    members = _members(_as(site, "province")[0], "c1")
    rev = leader.get("/api/session").json()["rev"]
    form = {"csrf": csrf, "rev": rev} | {f"came:{v}": "yes" for v in members}
    sent = leader.post("/attendance/c1", data=form, follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"].startswith("/attendance/c1")
    shown = leader.get("/attendance/c1").text
    assert shown.count("checked") == len(members) and "camp-leader" in shown
    assert 'id="attendance-link"' in leader.get("/camps/c1").text


def test_the_province_downloads_the_season_as_a_history_stress_reads(site) -> None:
    province, csrf = _as(site, "province")
    first, second, *_ = _members(province, "c1")
    _post(province, csrf, "/api/attendance/c1", {"marks": {first: True, second: False}})
    answer = province.get("/api/history.json")
    assert answer.status_code == 200
    records = history_from_data(answer.json(), "history.json")  # the contract's reader
    season = site[0].head().instance.name
    assert {(r.volunteer, r.season, r.camp, r.came) for r in records} == {
        (first, season, "c1", True),
        (second, season, "c1", False),
    }
    # one camp missed of one: (1 + 10 x 0.05) / (1 + 10), as whatif/attendance.py says
    estimate = estimate_no_shows(records, [first, second], given=0.05)
    assert estimate.people[second] == pytest.approx(1.5 / 11)
    assert estimate.people[first] == pytest.approx(0.5 / 11)
    assert 'id="history-json"' in province.get("/versions").text
