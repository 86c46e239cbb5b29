"""Scenario files: every edit kind, addressed by id; clear errors; compare through the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from builders import TINY_PATH, compile_data, tiny_data, write_instance
from campplanner.cli import main
from campplanner.contract.errors import InstanceError
from campplanner.contract.instance import instance_from_data
from campplanner.whatif.scenario import Scenario, apply_edits


def edited(*edits: dict[str, Any]) -> dict[str, Any]:
    scenario = Scenario.model_validate({"name": "what if", "edits": list(edits)})
    data = apply_edits(tiny_data(), scenario, "scenario.json")
    instance_from_data(data, "scenario.json")  # the result is a valid instance
    return data


def by_id(data: dict[str, Any], list_name: str, item_id: str) -> dict[str, Any]:
    return next(item for item in data[list_name] if item["id"] == item_id)


def test_remove_volunteers_also_drops_their_locks() -> None:
    data = edited({"op": "remove_volunteers", "volunteers": ["v04", "v12"]})
    ids = {v["id"] for v in data["volunteers"]}
    assert "v04" not in ids and "v12" not in ids and len(ids) == 10
    assert data["locked"] == [] and data["forbidden"] == []  # both referred to them


def test_add_volunteers() -> None:
    newcomer = {"id": "v13", "name": "نیما", "home": "arak", "skills": {"physician": 2}}
    data = edited({"op": "add_volunteers", "volunteers": [newcomer]})
    assert by_id(data, "volunteers", "v13")["skills"] == {"physician": 2}


def test_unavailable_cuts_ranges_and_always() -> None:
    # v02 is free 04-01..04-15; away 04-05..04-09 leaves 04-01..04-04 and 04-10..04-15.
    # v01 has no "available" (always): away 04-10..04-20 leaves before and after.
    data = edited(
        {
            "op": "unavailable",
            "volunteers": ["v02", "v01"],
            "first": "1400-04-05",
            "last": "1400-04-09",
        },
        {"op": "unavailable", "volunteers": ["v01"], "first": "1400-04-10", "last": "1400-04-20"},
    )
    assert by_id(data, "volunteers", "v02")["available"] == [
        ["1400-04-01", "1400-04-04"],
        ["1400-04-10", "1400-04-15"],
    ]
    ranges = by_id(data, "volunteers", "v01")["available"]
    assert [r for r in ranges if r[0] <= "1400-04-20" and r[1] >= "1400-04-05"] == []
    problem = compile_data(data)
    v01 = problem.volunteer_index["v01"]
    camps = {
        problem.camp_ids[c] for c in problem.candidate_camp[problem.candidate_volunteer == v01]
    }
    assert camps == {"c4"}  # c1 (10-14) and c2 (13-20) fall in the gap


def test_add_remove_and_move_camps() -> None:
    new_camp = {
        "id": "c5",
        "name": "new",
        "place": "saveh",
        "start": "1400-05-01",
        "end": "1400-05-03",
        "capacity": 3,
        "requirements": [{"skill": "mason", "count": 2}],
    }
    data = edited(
        {"op": "add_camps", "camps": [new_camp]},
        {"op": "remove_camps", "camps": ["c3"]},
        {
            "op": "move_camp",
            "camp": "c4",
            "start": "1400-05-10",
            "end": "1400-05-12",
            "place": "khomein",
        },
    )
    assert [c["id"] for c in data["camps"]] == ["c1", "c2", "c4", "c5"]
    moved = by_id(data, "camps", "c4")
    assert (moved["start"], moved["end"], moved["place"]) == ("1400-05-10", "1400-05-12", "khomein")


def test_set_camp_and_requirements() -> None:
    data = edited(
        {"op": "set_camp", "camp": "c3", "capacity": 8, "priority": 5, "gender": "mixed"},
        {
            "op": "set_requirement",
            "camp": "c3",
            "skill": "physician",
            "count": 1,
            "level": 2,
            "essential": True,
        },
        {"op": "set_requirement", "camp": "c3", "skill": "nurse", "count": 0},
        {"op": "set_requirement", "camp": "c3", "skill": "teacher", "count": 4},
    )
    camp = by_id(data, "camps", "c3")
    assert (camp["capacity"], camp["priority"], "gender" in camp) == (8, 5, False)
    assert camp["requirements"] == [
        {"skill": "teacher", "count": 4},
        {"skill": "physician", "count": 1, "level": 2, "essential": True},
    ]


def test_rules_weights_locks_and_forbidden() -> None:
    data = edited(
        {"op": "set_rules", "rules": {"rest_days": 3}},
        {"op": "set_weights", "weights": {"travel": 0}},
        {"op": "unlock", "assignments": [{"volunteer": "v04", "camp": "c2", "skill": "mason"}]},
        {"op": "lock", "assignments": [{"volunteer": "v12", "camp": "c2", "skill": "mason"}]},
        {"op": "allow", "pairs": [{"volunteer": "v12", "camp": "c4"}]},
        {"op": "forbid", "pairs": [{"volunteer": "v01", "camp": "c1"}]},
    )
    assert data["rules"]["rest_days"] == 3 and data["rules"]["max_camps"] == 2
    assert data["weights"] == {"travel": 0.0}
    assert data["locked"] == [{"volunteer": "v12", "camp": "c2", "skill": "mason"}]
    assert data["forbidden"] == [{"volunteer": "v01", "camp": "c1"}]


def test_unknown_ids_are_reported_with_the_edit_path() -> None:
    scenario = Scenario.model_validate(
        {
            "name": "bad",
            "edits": [
                {"op": "remove_volunteers", "volunteers": ["v01", "nobody"]},
                {"op": "move_camp", "camp": "c99", "start": "1400-05-01"},
                {
                    "op": "unavailable",
                    "volunteers": ["v01"],
                    "first": "1400-13-01",
                    "last": "1400-04-02",
                },
            ],
        }
    )
    with pytest.raises(InstanceError) as caught:
        apply_edits(tiny_data(), scenario, "bad.json")
    paths = [issue.path for issue in caught.value.issues]
    assert paths == ["edits[0].volunteers[1]", "edits[1].camp", "edits[2].first"]


def test_a_scenario_that_breaks_the_contract_is_reported_at_the_edit(tmp_path: Path) -> None:
    # Issue 17: the planner wrote edits[0], not camps[0] of an instance they never saw.
    scenario = tmp_path / "s.json"
    scenario.write_text(
        json.dumps({"name": "x", "edits": [{"op": "set_camp", "camp": "c1", "priority": 9}]}),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["compare", str(TINY_PATH), str(scenario)])
    assert result.exit_code == 2
    assert "edits[0].priority: must be at most 5, got 9" in " ".join(result.output.split())
    assert "camps[0]" not in result.output


def test_bad_scenario_file_exit_2(tmp_path: Path) -> None:
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps({"name": "x", "edits": [{"op": "explode"}]}), encoding="utf-8")
    result = CliRunner().invoke(main, ["compare", str(TINY_PATH), str(scenario)])
    assert result.exit_code == 2
    assert "edits[0]" in result.output


def test_compare_prints_and_writes_the_measures(tmp_path: Path) -> None:
    away = tmp_path / "away.json"
    away.write_text(
        json.dumps(
            {
                "name": "v10 away",
                "edits": [
                    {
                        "op": "unavailable",
                        "volunteers": ["v10"],
                        "first": "1400-04-01",
                        "last": "1400-04-31",
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    beds = tmp_path / "beds.json"
    beds.write_text(
        json.dumps(
            {"name": "fewer beds", "edits": [{"op": "set_camp", "camp": "c1", "capacity": 2}]}
        ),
        encoding="utf-8",
    )
    output = tmp_path / "report.json"
    base = write_instance(tmp_path / "tiny.json", tiny_data())
    result = CliRunner().invoke(
        main, ["compare", str(base), str(away), str(beds), "-o", str(output), "--jobs", "2"]
    )
    assert result.exit_code == 0, result.output
    assert "v10 away" in result.output and "fewer beds" in result.output
    report = json.loads(output.read_text(encoding="utf-8"))
    base_row, away_row, beds_row = report["scenarios"]
    assert base_row["coverage"] == 29
    # Without v10 (a leader and the only other physician) c1 and c4 cannot run.
    assert away_row["coverage"] < 29 and "c4" in away_row["camps_cancelled"]
    assert away_row["against_base"]["people_removed"] > 0
    # c1 with 2 beds holds only its 2 essential people: 2 nurse slots (priority 3) lost.
    assert beds_row["coverage"] == 29 - 2 * 3


def test_compare_is_deterministic() -> None:
    from campplanner.solver import SolveOptions
    from campplanner.whatif.compare import measure

    options = SolveOptions(time_limit=120, seed=3, work_limit=5)
    first = measure("a", tiny_data(), options)
    second = measure("a", tiny_data(), options)
    assert first.roster == second.roster
    assert (first.coverage, first.travel_km, first.group_splits) == (
        second.coverage,
        second.travel_km,
        second.group_splits,
    )


# ------------------------------------------------------ compare: re-planned or from scratch


def away_scenario(tmp_path: Path) -> Path:
    """v10 (a camp leader, one of two physicians) away all Tir: c1 and c4 lose people."""
    path = tmp_path / "away.json"
    path.write_text(
        json.dumps(
            {
                "name": "v10 away",
                "edits": [
                    {
                        "op": "unavailable",
                        "volunteers": ["v10"],
                        "first": "1400-04-01",
                        "last": "1400-04-31",
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    return path


def test_compare_replans_each_scenario_from_the_base_as_solve_baseline_does(
    tmp_path: Path,
) -> None:
    from campplanner.app.scenarios import compare
    from campplanner.app.solving import SolveRequest, solve
    from campplanner.solver import SolveOptions
    from campplanner.whatif.scenario import load_scenario

    # on work, not the clock: the two re-plans compared must not depend on the load
    options = SolveOptions(time_limit=300, work_limit=2)
    base, away = write_instance(tmp_path / "tiny.json", tiny_data()), away_scenario(tmp_path)
    report = compare(str(base), [str(away)], options, jobs=1)
    assert report["solved"] == "re-planned from the base"
    assert [e["solved"] for e in report["scenarios"]] == [
        "from scratch",
        "re-planned from the base",
    ]
    changes = report["scenarios"][1]["against_base"]

    # The same two steps by hand: solve the base, then solve --baseline on the scenario.
    published = tmp_path / "base-solution.json"
    solve(SolveRequest(str(base), options, output_path=str(published)))
    scenario = write_instance(
        tmp_path / "away-instance.json",
        apply_edits(tiny_data(), load_scenario(str(away)), str(away)),
    )
    replanned = solve(SolveRequest(str(scenario), options, baseline_path=str(published)))
    assert replanned.replan is not None
    assert changes["changed_assignments"] == replanned.replan["changed_assignments"] > 0
    assert changes["people_removed"] == len(replanned.replan["removed"])
    assert changes["people_moved"] == len(replanned.replan["moved"])
    assert changes["changes_lower_bound"] == replanned.replan["changes_lower_bound"]


def test_compare_from_scratch_is_asked_for_and_said(tmp_path: Path) -> None:
    base, away = write_instance(tmp_path / "tiny.json", tiny_data()), away_scenario(tmp_path)
    output = tmp_path / "report.json"
    replanned = CliRunner().invoke(main, ["compare", str(base), str(away), "--jobs", "1"])
    scratch = CliRunner().invoke(
        main, ["compare", str(base), str(away), "--from-scratch", "--jobs", "1", "-o", str(output)]
    )
    assert replanned.exit_code == 0 and scratch.exit_code == 0, scratch.output
    assert "re-planned from the base roster" in " ".join(replanned.output.split())
    assert "solved from scratch" in " ".join(scratch.output.split())
    assert "re-planned" not in scratch.output
    report = json.loads(output.read_text(encoding="utf-8"))
    assert report["solved"] == "from scratch"
    assert "changes_lower_bound" not in report["scenarios"][1]["against_base"]


def scenario_problems(tmp_path: Path, content: Any) -> dict[str, str]:
    """path -> message of every problem ``compare`` reports for a scenario file, after
    checking it exits 2 with no pydantic words and no Python class names."""
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["compare", str(TINY_PATH), str(scenario)])
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    for jargon in (
        "Input tag",
        "Input should",
        "Extra inputs",
        "discriminator",
        "Error",
        "Exception",
    ):
        assert jargon not in text
    problems = {}
    for line in text.split(" - ")[1:]:
        path, _, message = line.partition(": ")
        problems[path] = message
    return problems


def test_four_mistakes_are_reported_in_one_run(tmp_path: Path) -> None:
    """Issue 17: a scenario with 4 mistakes needed 4 runs (a misspelt op hid the rest)."""
    problems = scenario_problems(
        tmp_path,
        {
            "name": "four mistakes",
            "edits": [
                {
                    "op": "unavailble",
                    "volunteers": ["v01"],
                    "first": "1400-04-05",
                    "last": "1400-04-09",
                },
                {"op": "remove_volunteers", "volunteers": ["v99"]},
                {"op": "set_camp", "camp": "c3", "priority": 9},
                {"op": "set_requirement", "camp": "c1", "skill": "nurse", "count": 2, "levle": 2},
            ],
        },
    )
    assert list(problems) == [
        "edits[0].op",
        "edits[1].volunteers[0]",
        "edits[2].priority",
        "edits[3].levle",
    ]
    assert problems["edits[0].op"].startswith(
        "unknown op 'unavailble' (did you mean 'unavailable'?); the ops are remove_volunteers,"
    )
    assert problems["edits[1].volunteers[0]"] == "unknown volunteer 'v99'"
    assert problems["edits[2].priority"] == "must be at most 5, got 9"
    assert problems["edits[3].levle"].startswith("unknown key 'levle' (did you mean 'level'?)")


def test_problems_of_the_edited_instance_point_into_the_edit(tmp_path: Path) -> None:
    new_camp = {
        "id": "c5",
        "name": "new",
        "place": "qom",
        "start": "1400-05-01",
        "end": "1400-05-03",
        "capacity": 3,
        "requirements": [{"skill": "mason", "count": 2}],
    }
    problems = scenario_problems(
        tmp_path,
        {
            "name": "x",
            "edits": [
                {"op": "add_camps", "camps": [new_camp]},
                {"op": "set_requirement", "camp": "c2", "skill": "nurce", "count": 1},
                {
                    "op": "lock",
                    "assignments": [{"volunteer": "v07", "camp": "C1", "skill": "nurse"}],
                },
                {"op": "set_rules", "rules": {"rest_days": -2, "max_camp": 2}},
                {"op": "move_camp", "camp": "c4", "start": "1400-06-10", "end": "1400-06-01"},
                {"op": "remove_camps", "camps": ["C3"]},
                {"op": "set_weights", "weights": {"travle": 2}},
            ],
        },
    )
    assert problems == {
        "edits[0].camps[0].place": "unknown place 'qom'",
        "edits[1].skill": "unknown skill 'nurce' (did you mean 'nurse'?)",
        "edits[2].assignments[0].camp": "unknown camp 'C1' (did you mean 'c1'?)",
        "edits[3].rules.max_camp": "unknown rule 'max_camp' (did you mean 'max_camps'?); "
        "the rules are rest_days, max_camps, road_factor",
        "edits[3].rules.rest_days": "must be at least 0, got -2",
        "edits[4].end": "1400-06-01 is before the start 1400-06-10",
        "edits[5].camps[0]": "unknown camp 'C3' (did you mean 'c3'?)",
        "edits[6].weights.travle": "unknown weight 'travle' (did you mean 'travel'?); the "
        "weights are travel, group, fairness",
    }


def test_the_scenario_file_itself_is_read_in_plain_words(tmp_path: Path) -> None:
    problems = scenario_problems(
        tmp_path,
        {
            "name": "x",
            "base": 3,
            "edit": [],
            "edits": ["remove v01", {"volunteers": ["v01"]}, {"op": 7}],
        },
    )
    assert problems == {
        "base": "expected text in quotes, got 3",
        "edit": "unknown key 'edit' (did you mean 'edits'?); the keys here are format, name, "
        "base, edits",
        "edits[0]": 'an edit is an object {"op": ...}, got text',
        "edits[1]": 'the "op" key is missing: it says what the edit does, one of '
        "remove_volunteers, add_volunteers, unavailable, remove_camps, add_camps, "
        "move_camp, set_camp, set_requirement, set_rules, set_weights, lock, "
        "unlock, forbid, allow",
        "edits[2].op": "expected the name of an edit, got a number; the ops are "
        "remove_volunteers, add_volunteers, unavailable, remove_camps, add_camps, "
        "move_camp, set_camp, set_requirement, set_rules, set_weights, lock, "
        "unlock, forbid, allow",
    }


def test_the_problems_of_every_scenario_file_show_in_one_run(tmp_path: Path) -> None:
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    first.write_text(
        json.dumps({"name": "a", "edits": [{"op": "remove_camps", "camps": ["c9"]}]}),
        encoding="utf-8",
    )
    second.write_text(
        json.dumps({"name": "b", "edits": [{"op": "set_camp", "camp": "c1", "capacity": 0}]}),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["compare", str(TINY_PATH), str(first), str(second)])
    text = " ".join(result.output.split())
    assert result.exit_code == 2, text
    assert "first.json: 1 problem - edits[0].camps[0]: unknown camp 'c9'" in text
    assert "second.json: 1 problem - edits[0].capacity: must be at least 1, got 0" in text


def test_a_camp_added_with_a_mistake_is_still_there_for_later_edits(tmp_path: Path) -> None:
    # Its capacity is wrong, but the camp exists: set_camp on it is no "unknown camp",
    # and what else is wrong with it (its place) is found in the same run.
    new_camp = {
        "id": "c5",
        "name": "new",
        "place": "qom",
        "start": "1400-05-01",
        "end": "1400-05-03",
        "capacity": "3",
        "requirements": [{"skill": "mason", "count": 2}],
    }
    problems = scenario_problems(
        tmp_path,
        {
            "name": "x",
            "edits": [
                {"op": "add_camps", "camps": [new_camp]},
                {"op": "set_camp", "camp": "c5", "priority": 2},
            ],
        },
    )
    assert problems == {
        "edits[0].camps[0].capacity": 'expected a whole number, got "3"',
        "edits[0].camps[0].place": "unknown place 'qom'",
    }


def test_compare_warns_per_column_when_its_search_was_cut_before_its_gap_closed(
    tmp_path: Path,
) -> None:
    """Issue 26: with a short limit compare showed the base's unfinished search as the
    scenario's effect (+201 coverage for a scenario that can add at most 28), with no
    warning. small.json's base under 0.02 work stops at 1,179 of a proven 1,187."""
    from builders import REPO

    scenario = tmp_path / "fewer.json"
    scenario.write_text(
        json.dumps(
            {"name": "fewer", "edits": [{"op": "remove_volunteers", "volunteers": ["v00103"]}]}
        ),
        encoding="utf-8",
    )
    output = tmp_path / "report.json"
    args = ["compare", str(REPO / "instances" / "small.json"), str(scenario), "-o", str(output)]
    result = CliRunner().invoke(main, [*args, "--work-limit", "0.02", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    report = json.loads(output.read_text(encoding="utf-8"))
    base = report["scenarios"][0]
    assert base["coverage"] < base["coverage_bound"] and base["search"] == "cut"
    said = " ".join(result.output.split())
    assert "warning: 'base': the search stopped before its gap closed" in said
    assert "every scenario's difference from the base may be the search's" in said
    assert len(report["warnings"]) == sum(e["search"] == "cut" for e in report["scenarios"])
    # a search that closes its gap says nothing
    tiny = write_instance(tmp_path / "tiny.json", tiny_data())
    away = tmp_path / "away.json"
    away.write_text(
        json.dumps(
            {"name": "fewer beds", "edits": [{"op": "set_camp", "camp": "c1", "capacity": 2}]}
        ),
        encoding="utf-8",
    )
    fine = CliRunner().invoke(main, ["compare", str(tiny), str(away), "--work-limit", "1"])
    assert fine.exit_code == 0 and "warning" not in fine.output, fine.output


def test_a_base_is_copied_unless_the_caller_owns_it() -> None:
    """``compare`` applies many scenarios to one base: it must stay as read; a caller
    that parsed the base for one call (an accept on the review page) lets it be edited
    in place, for the same result without copying the season."""
    scenario = Scenario.model_validate(
        {"name": "away", "edits": [{"op": "remove_volunteers", "volunteers": ["v04"]}]}
    )
    base = tiny_data()
    shared = apply_edits(base, scenario, "scenario.json")
    assert base == tiny_data() and shared != base  # untouched
    owned = apply_edits(tiny_data(), scenario, "scenario.json", owned=True)
    assert owned == shared
