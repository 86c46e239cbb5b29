"""Whom to call after a re-plan: ``export --calls`` on tiny, re-planned without v01.

tiny is solved and published; then v01 (in the published roster) becomes unavailable
and the season is re-planned against the published roster: v01's assignment is no
longer possible and someone takes the slot. The call list names them, with phones.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from builders import tiny_data
from campplanner.cli import main
from campplanner.io.calls import CALL_HEADERS


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code in (0, 2), result.output
    return result.output


def test_a_replan_gives_a_call_list_with_phones(tmp_path: Path) -> None:
    data = tiny_data()
    for n, volunteer in enumerate(data["volunteers"]):
        volunteer["phone"] = f"0912 000 {n:04d}"
    season = tmp_path / "season.json"
    season.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    published = tmp_path / "published.json"
    CliRunner().invoke(main, ["solve", str(season), "-q", "-o", str(published)])
    assigned = {a["volunteer"] for a in json.loads(published.read_text())["assignments"]}
    gone = sorted(assigned)[0]
    for volunteer in data["volunteers"]:
        if volunteer["id"] == gone:
            volunteer["available"] = []
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    replanned = tmp_path / "replanned.json"
    result = CliRunner().invoke(
        main, ["solve", str(changed), "-q", "--baseline", str(published), "-o", str(replanned)]
    )
    assert result.exit_code == 0, result.output

    result = CliRunner().invoke(
        main, ["export", str(changed), str(replanned), "--calls", str(tmp_path / "calls")]
    )
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "calls").iterdir())
    assert files == ["calls-phones.csv", "calls-phones.xlsx"]  # the names say: phones
    rows = list(
        csv.reader(
            io.StringIO((tmp_path / "calls" / "calls-phones.csv").read_text(encoding="utf-8-sig"))
        )
    )
    assert tuple(rows[0]) == CALL_HEADERS
    people = {row[2]: row for row in rows[1:]}
    assert gone in people and people[gone][1] == "ناممکن (no longer possible)"
    assert people[gone][4].startswith("0912 000 ")
    replan = json.loads(replanned.read_text())["replan"]
    # why, in the call list's Persian: the solution file keeps the reason's facts beside
    # its English sentence (replan.no_longer_possible[].why_facts)
    dropped = replan["no_longer_possible"]
    camps = [e["camp"] for e in dropped]
    assert dropped and {e["volunteer"] for e in dropped} == {gone}
    for entry in dropped:
        assert entry["why_facts"] == {"kind": "dates", "who": gone, "camp": entry["camp"]}
        assert (
            entry["why"] == f"H2: {gone} is not available for all the days of camp {entry['camp']}"
        )
    note = people[gone][9]
    assert "is not available" not in note and all(camp in note for camp in camps)
    ids = "|".join(map(re.escape, [gone, *camps]))
    assert not re.search("[A-Za-z]", re.sub(rf"\b({ids}|H\d+)\b", "", note)), note
    changed_people = {e["volunteer"] for key in ("added", "removed", "moved") for e in replan[key]}
    assert changed_people | {gone} == set(people)
    first_days = [row[0] for row in rows[1:]]
    assert first_days == sorted(first_days)  # the soonest camp first
    book = openpyxl.load_workbook(tmp_path / "calls" / "calls-phones.xlsx")
    sheet = book.worksheets[0]
    assert sheet.max_row == len(rows) and sheet.page_setup.orientation == "landscape"


def test_a_solution_that_is_no_replan_is_refused(tmp_path: Path) -> None:
    season = tmp_path / "season.json"
    season.write_text(json.dumps(tiny_data(), ensure_ascii=False), encoding="utf-8")
    solution = tmp_path / "solution.json"
    CliRunner().invoke(main, ["solve", str(season), "-q", "-o", str(solution)])
    output = _run("export", str(season), str(solution), "--calls", str(tmp_path / "calls"))
    assert "no re-plan" in output and "--baseline" in output


def test_a_move_says_only_what_changes(tmp_path: Path) -> None:
    """The camp a moved person keeps is not repeated; a move that keeps every camp but
    changes a role is no "moved" (issue 25: "moved" rows repeated unchanged camps)."""
    from campplanner.contract.instance import instance_from_data
    from campplanner.contract.solution import solution_from_data
    from campplanner.report.roster import RosterView

    data = tiny_data()
    season = tmp_path / "season.json"
    season.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    solution = tmp_path / "solution.json"
    CliRunner().invoke(main, ["solve", str(season), "-q", "-o", str(solution)])
    raw = json.loads(solution.read_text())
    raw["replan"] = {
        "published_assignments": 3,
        "changed_assignments": 4,
        "people_changed": 3,
        "moved": [
            {
                "volunteer": "v01",
                "from": [["c1", "nurse"], ["c2", "nurse"]],
                "to": [["c1", "nurse"], ["c3", "nurse"]],
            },
            {"volunteer": "v02", "from": [["c1", "nurse"]], "to": [["c1", "physician"]]},
            {
                "volunteer": "v03",
                "from": [["c1", "nurse"], ["c2", "nurse"]],
                "to": [["c1", "nurse"]],
            },
        ],
    }
    view = RosterView.from_solution(instance_from_data(data), solution_from_data(raw))
    calls = {call.volunteer_id: call for call in view.calls or []}
    assert calls["v01"].action == "moved"
    assert [c.id for c, _ in calls["v01"].before] == ["c2"]  # c1 kept: not repeated
    assert [c.id for c, _ in calls["v01"].after] == ["c3"]
    assert calls["v02"].action == "role_changed"
    assert calls["v03"].action == "removed" and [c.id for c, _ in calls["v03"].before] == ["c2"]


def test_one_row_per_person_when_a_removal_is_no_longer_possible(tmp_path: Path) -> None:
    """A person whose published place is no longer possible and who is removed is one
    call, not two (issue 25: the page listed them twice), and it says why."""
    from campplanner.contract.instance import instance_from_data
    from campplanner.contract.solution import solution_from_data
    from campplanner.report.roster import RosterView

    data = tiny_data()
    season = tmp_path / "season.json"
    season.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    solution = tmp_path / "solution.json"
    CliRunner().invoke(main, ["solve", str(season), "-q", "-o", str(solution)])
    raw = json.loads(solution.read_text())
    gone = {"volunteer": "v02", "camp": "c1", "skill": "physician", "why": "unavailable"}
    raw["replan"] = {
        "published_assignments": 3,
        "changed_assignments": 2,
        "people_changed": 2,
        "no_longer_possible": [gone, {**gone, "volunteer": "v05", "camp": "c2"}],
        "removed": [{"volunteer": "v02", "from": [["c1", "physician"]]}],
    }
    view = RosterView.from_solution(instance_from_data(data), solution_from_data(raw))
    calls = [(call.volunteer_id, call.action, call.why) for call in view.calls or []]
    assert sorted(calls) == [
        ("v02", "no_longer_possible", "unavailable"),
        ("v05", "no_longer_possible", "unavailable"),
    ]


def test_a_reason_edited_by_hand_is_kept_as_typed() -> None:
    """A solution file's ``why`` changed by hand no longer says what its facts say: the
    call list keeps the typed sentence; facts that fit no kind are ignored."""
    from campplanner.contract.why import Why, why_facts, why_read

    why = Why("dates", who="v01", camp="c2")
    facts = why_facts(why)
    assert facts == {"kind": "dates", "who": "v01", "camp": "c2"}
    assert isinstance(why_read(str(why), facts), Why)
    assert why_read("v01 is ill (planner's note)", facts) == "v01 is ill (planner's note)"
    assert not isinstance(why_read(str(why), {"kind": "dates", "who": "v01"}), Why)
    assert why_read(str(why), {"kind": "nonsense"}) == str(why)
    assert why_facts("a plain sentence") is None
    assert why_facts(Why("locked", index=0, why=why)) is None  # nested facts: not kept
