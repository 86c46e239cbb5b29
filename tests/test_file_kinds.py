"""A file given to the wrong command is named for what it is, with the command that reads
it (contract/kinds.py), and a scenario becomes an instance with ``campplanner apply``."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from builders import TINY_PATH, tiny_data
from campplanner.cli import main
from campplanner.contract.instance import load_instance

SCENARIO = {
    "format": "campplanner-scenario/1",
    "name": "v01 leaves",
    "edits": [{"op": "remove_volunteers", "volunteers": ["v01"]}],
}


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """One file of each kind: instance, scenario, solution, workbook, comparison."""
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps(SCENARIO), encoding="utf-8")
    solution = tmp_path / "solution.json"
    solution.write_text(
        json.dumps({"format": "campplanner-solution/1", "status": "feasible", "assignments": []}),
        encoding="utf-8",
    )
    workbook = tmp_path / "planners.xlsx"
    assert CliRunner().invoke(main, ["import", "--template", str(workbook)]).exit_code == 0
    comparison = tmp_path / "comparison.json"
    comparison.write_text(json.dumps({"format": "campplanner-comparison/1"}), encoding="utf-8")
    return {
        "instance": TINY_PATH,
        "scenario": scenario,
        "solution": solution,
        "workbook": workbook,
        "comparison": comparison,
    }


# (command with FILE where the wrong kind goes, kind given, words that must be said)
CASES = [
    (["solve", "{workbook}", "-q"], "this is a workbook (.xlsx)", "campplanner import"),
    (["validate", "{workbook}"], "this is a workbook (.xlsx)", "campplanner import"),
    (["solve", "{scenario}", "-q"], "this is a scenario file", "campplanner apply"),
    (["validate", "{scenario}"], "this is a scenario file", "campplanner apply"),
    (["import", "{instance}", "-o", "{out}"], "this is an instance file", "not a workbook"),
    (["import", "{solution}", "-o", "{out}"], "this is a solution file", "not a workbook"),
    (["check", "{instance}", "{scenario}"], "this is a scenario file", "not a solution"),
    (["check", "{instance}", "{instance}"], "this is an instance file", "swapped"),
    (["compare", "{instance}", "{instance}"], "not a scenario file", "base instance first"),
    (["compare", "{instance}", "{workbook}"], "this is a workbook", "not a scenario file"),
    (["validate", "{comparison}"], "a comparison report", "not an input"),
    (["solve", "{instance}", "--baseline", "{instance}", "-q"], "an instance file", "swapped"),
]


@pytest.mark.parametrize(("command", "said", "next_step"), CASES, ids=lambda c: str(c)[:40])
def test_a_file_of_another_kind_is_named_with_the_command_that_reads_it(
    files: dict[str, Path], tmp_path: Path, command: list[str], said: str, next_step: str
) -> None:
    paths = {kind: str(path) for kind, path in files.items()} | {"out": str(tmp_path / "o.json")}
    result = CliRunner().invoke(main, [part.format(**paths) for part in command])
    said_flat = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert said in said_flat and next_step in said_flat, result.output
    for wrong in ("UTF-8", "damaged", "required field is missing", "unknown key", "Traceback"):
        assert wrong not in said_flat, result.output
    assert not (tmp_path / "o.json").exists()


def test_apply_writes_the_instance_a_scenario_makes(files: dict[str, Path], tmp_path: Path):
    output = tmp_path / "applied.json"
    result = CliRunner().invoke(
        main, ["apply", str(TINY_PATH), str(files["scenario"]), "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    instance = load_instance(output)
    assert instance.name == "v01 leaves"
    ids = {v.id for v in instance.volunteers}
    assert "v01" not in ids and len(ids) == len(tiny_data()["volunteers"]) - 1
    # and solve reads it, with the base's published roster as the baseline
    roster = tmp_path / "roster.json"
    solved = CliRunner().invoke(
        main, ["solve", str(TINY_PATH), "-o", str(roster), "-q", "--work-limit", "1"]
    )
    assert solved.exit_code == 0, solved.output
    replanned = CliRunner().invoke(
        main, ["solve", str(output), "--baseline", str(roster), "-q", "--work-limit", "1"]
    )
    assert replanned.exit_code == 0, replanned.output


def test_apply_writes_gzip_and_refuses_a_bad_edit_without_writing(
    files: dict[str, Path], tmp_path: Path
) -> None:
    packed = tmp_path / "applied.json.gz"
    result = CliRunner().invoke(
        main, ["apply", str(TINY_PATH), str(files["scenario"]), "-o", str(packed)]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(gzip.decompress(packed.read_bytes()))["name"] == "v01 leaves"
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"name": "x", "edits": [{"op": "remove_volunteers", "volunteers": ["v99"]}]}),
        encoding="utf-8",
    )
    output = tmp_path / "never.json"
    result = CliRunner().invoke(main, ["apply", str(TINY_PATH), str(bad), "-o", str(output)])
    assert result.exit_code == 2
    assert "edits[0].volunteers[0]: unknown volunteer 'v99'" in result.output
    assert not output.exists()
