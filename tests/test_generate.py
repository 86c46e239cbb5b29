"""The Markazi generator: invariants on small sizes, determinism, the CLI command.

Sizes are small (a few hundred volunteers) so that the whole file runs in a few seconds;
the shipped instances are regenerated and compared with the files in ``instances/``.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from campplanner.cli import main
from campplanner.contract.calendar import parse_day
from campplanner.contract.instance import instance_from_data, instance_warnings
from campplanner.explain.overview import overview
from campplanner.generate import (
    CAMP_TEMPLATES,
    COUNTIES,
    DEFAULT_SEASON,
    MAX_TEAM,
    MIN_TEAM,
    SCARCE_SKILLS,
    default_groups,
    generate_instance,
    instance_bytes,
)
from campplanner.model.compile import compile_instance

REPO = Path(__file__).resolve().parents[1]
SMALL = {"volunteers": 400, "camps": 30, "seed": 5}


@pytest.fixture(scope="module")
def small() -> dict[str, Any]:
    return generate_instance(**SMALL)


def days(data: dict[str, Any], text: str) -> int:
    return parse_day(text, data["calendar"])


def team(camp: dict[str, Any]) -> int:
    return sum(r["count"] for r in camp["requirements"])


# ------------------------------------------------------------------- invariants


def test_counts(small: dict[str, Any]) -> None:
    assert len(small["volunteers"]) == SMALL["volunteers"]
    assert len(small["camps"]) == SMALL["camps"]
    assert len(small["groups"]) == default_groups(SMALL["volunteers"])
    members = Counter(v["group"] for v in small["volunteers"] if "group" in v)
    assert set(members) == {g["id"] for g in small["groups"]}  # no empty group
    seats = {c.id for c in COUNTIES}
    assert seats <= {p["id"] for p in small["places"]}
    assert all(p["county"] in seats for p in small["places"])


def test_every_reference_resolves_and_nothing_is_warned(small: dict[str, Any]) -> None:
    instance = instance_from_data(small)  # raises InstanceError on any bad reference
    assert instance_warnings(instance) == []
    problem = compile_instance(instance)
    assert problem.num_slots == sum(team(c) for c in small["camps"])


def test_ids_are_ascii_and_names_persian(small: dict[str, Any]) -> None:
    patterns = {
        "volunteers": r"v\d{5}",
        "camps": r"c\d{4}",
        "groups": r"g-[a-z]+-\d{3}",
        "places": r"[a-z]+|v-[a-z]+-\d{3}",
        "skills": r"[a-z_]+",
    }
    persian = re.compile("[\u0600-\u06ff]")
    for key, pattern in patterns.items():
        for item in small[key]:
            assert re.fullmatch(pattern, item["id"]), item["id"]
            assert persian.search(item["name"]), item["name"]


def test_dates_lie_inside_the_season(small: dict[str, Any]) -> None:
    first, last = DEFAULT_SEASON
    for camp in small["camps"]:
        start, end = days(small, camp["start"]), days(small, camp["end"])
        assert first <= start <= end <= last
        assert 3 <= end - start + 1 <= 14
    for volunteer in small["volunteers"]:
        ranges = [(days(small, a), days(small, b)) for a, b in volunteer.get("available", [])]
        for start, end in ranges:
            assert first <= start <= end <= last
        for (_, end), (start, _) in pairwise(ranges):
            assert start > end + 1  # ranges never touch


def test_camps_have_a_leader_beds_and_priority(small: dict[str, Any]) -> None:
    for camp in small["camps"]:
        by_skill = {r["skill"]: r for r in camp["requirements"]}
        assert len(by_skill) == len(camp["requirements"])  # one requirement per skill
        leader = by_skill["camp_leader"]
        assert leader["count"] == 1 and leader["essential"] is True
        if camp["name"].startswith("اردوی سلامت"):
            assert by_skill["physician"]["essential"] is True
        size = team(camp)
        essential = sum(r["count"] for r in camp["requirements"] if r.get("essential"))
        assert 10 <= size <= 40
        assert essential <= camp["capacity"] <= size
        assert 1 <= camp["priority"] <= 5
    assert any(c["capacity"] < team(c) for c in small["camps"])  # beds sometimes bind
    assert any("gender" in c for c in small["camps"])


def test_priority_follows_deprivation(small: dict[str, Any]) -> None:
    deprivation = {p["id"]: p.get("deprivation") for p in small["places"]}
    for camp in small["camps"]:
        assert abs(camp["priority"] - deprivation[camp["place"]]) <= 1


def test_most_members_live_in_their_groups_county(small: dict[str, Any]) -> None:
    county = {p["id"]: p["county"] for p in small["places"]}
    home_county = {g["id"]: county[g["home"]] for g in small["groups"]}
    members = [v for v in small["volunteers"] if "group" in v]
    near = sum(county[v["home"]] == home_county[v["group"]] for v in members)
    assert near / len(members) > 0.8


def test_template_counts_follow_their_shares() -> None:
    data = generate_instance(volunteers=200, camps=100, seed=1)
    titles = Counter(c["name"].split(" روستای ")[0] for c in data["camps"])
    for spec in CAMP_TEMPLATES:
        assert abs(titles[spec.title] - 100 * spec.share) <= 1


@pytest.mark.parametrize("seed", [0, 1])
def test_scarce_skills_are_asked_more_than_they_can_be_given(seed: int) -> None:
    data = generate_instance(volunteers=3000, camps=150, seed=seed)
    summary = overview(compile_instance(instance_from_data(data)))
    supply = {row.skill_id: row for row in summary.skills}
    for skill in SCARCE_SKILLS:
        assert supply[skill].slots > supply[skill].candidates, skill
    # and the common trades are not scarce
    for skill in ("labourer", "cook", "driver", "teacher"):
        assert supply[skill].slots < supply[skill].candidates, skill


@pytest.mark.parametrize("target", [300, 900, 1500])
def test_slots_option_sets_the_total(target: int) -> None:
    data = generate_instance(volunteers=500, camps=40, seed=2, slots=target)
    sizes = [team(c) for c in data["camps"]]
    assert abs(sum(sizes) - target) <= 0.01 * target
    assert min(sizes) >= MIN_TEAM and max(sizes) <= MAX_TEAM
    instance_from_data(data)


def test_volunteers_do_not_depend_on_the_camps() -> None:
    rich = generate_instance(volunteers=300, camps=10, seed=9, slots=100)
    tight = generate_instance(volunteers=300, camps=25, seed=9, slots=900)
    assert rich["volunteers"] == tight["volunteers"]
    assert rich["camps"] != tight["camps"]


def test_gregorian_and_jalali_are_the_same_days() -> None:
    jalali = generate_instance(volunteers=100, camps=8, seed=4, calendar="jalali")
    gregorian = generate_instance(volunteers=100, camps=8, seed=4, calendar="gregorian")
    for a, b in zip(jalali["camps"], gregorian["camps"], strict=True):
        assert days(jalali, a["start"]) == days(gregorian, b["start"])
        assert days(jalali, a["end"]) == days(gregorian, b["end"])


def test_different_seeds_differ(small: dict[str, Any]) -> None:
    other = generate_instance(**{**SMALL, "seed": SMALL["seed"] + 1})
    assert instance_bytes(other, compress=False) != instance_bytes(small, compress=False)


def test_a_short_season_and_a_custom_one() -> None:
    first, last = parse_day("1402-05-01", "jalali"), parse_day("1402-05-10", "jalali")
    data = generate_instance(volunteers=50, camps=5, seed=3, season=(first, last))
    instance_from_data(data)
    for camp in data["camps"]:
        assert first <= days(data, camp["start"]) <= days(data, camp["end"]) <= last


# -------------------------------------------------------------------------- CLI

ARGS = ["generate", "--volunteers", "150", "--camps", "10", "--seed", "11"]


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("name", ["a.json", "a.json.gz"])
def test_same_seed_gives_the_same_bytes(tmp_path: Path, name: str) -> None:
    first, second = tmp_path / "one" / name, tmp_path / "two" / name
    first.parent.mkdir()
    second.parent.mkdir()
    assert run(*ARGS, "-o", str(first)).exit_code == 0
    assert run(*ARGS, "-o", str(second)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    if name.endswith(".gz"):
        assert first.read_bytes()[:2] == b"\x1f\x8b"
        assert gzip.decompress(first.read_bytes()).decode("utf-8").startswith("{")
    assert run("validate", str(first)).exit_code == 0


CLI = "import sys; from campplanner.cli import main; sys.exit(main())"


def test_same_bytes_whatever_the_hash_seed(tmp_path: Path) -> None:
    # a real process each time: set iteration order changes with PYTHONHASHSEED
    outputs = []
    for hash_seed in ("1", "2"):
        path = tmp_path / f"h{hash_seed}.json"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        command = [sys.executable, "-c", CLI, *ARGS, "-o", str(path)]
        subprocess.run(command, check=True, env=env, capture_output=True)
        outputs.append(path.read_bytes())
    assert outputs[0] == outputs[1]


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = tmp_path / "kept.json"
    path.write_text("planner's edits", encoding="utf-8")
    result = run(*ARGS, "-o", str(path))
    assert result.exit_code == 2
    assert "--force" in result.output
    assert path.read_text(encoding="utf-8") == "planner's edits"
    assert run(*ARGS, "-o", str(path), "--force").exit_code == 0
    assert path.read_text(encoding="utf-8").startswith("{")
    assert [p.name for p in tmp_path.iterdir()] == ["kept.json"]  # no temporary left


@pytest.mark.parametrize("name", ["own.json", "own.json.gz"])
def test_its_own_earlier_output_is_recognised_and_replaced_with_force(
    tmp_path: Path, name: str
) -> None:
    """Issue 17: over its own output, generate said the file "was not written by this
    command". Its layout (keys sorted, one item per line) is the marker."""
    path = tmp_path / name
    assert run(*ARGS, "-o", str(path)).exit_code == 0
    result = run(*ARGS[:-1], "12", "-o", str(path))
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "exists (written by this command earlier); use --force to replace it" in said
    assert "not written by" not in said
    before = path.read_bytes()
    assert run(*ARGS[:-1], "12", "-o", str(path), "--force").exit_code == 0
    assert path.read_bytes() != before
    edited = json.loads(
        gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()
    )
    edited["name"] = "edited"
    path.write_text(json.dumps(edited, indent=2), encoding="utf-8")  # a planner's layout
    result = run(*ARGS, "-o", str(path))
    assert result.exit_code == 2 and "was not written by this command" in result.output


@pytest.mark.parametrize(
    "extra",
    [
        ["--slots", "5"],
        ["--season", "1403-05-01", "1403-04-01"],
        ["--season", "1403-13-01", "1403-13-05"],
        ["--season", "1403-05-01", "1403-05-01"],
        ["--groups", "1000"],
        ["--calendar", "hijri"],
    ],
)
def test_bad_options_are_usage_errors(tmp_path: Path, extra: list[str]) -> None:
    path = tmp_path / "x.json"
    result = run(*ARGS, *extra, "-o", str(path))
    assert result.exit_code == 2, result.output
    assert not path.exists()


def test_gregorian_season_option(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    extra = ["--calendar", "gregorian", "--season", "2024-06-01", "2024-08-31"]
    assert run(*ARGS, *extra, "--slots", "150", "-o", str(path)).exit_code == 0
    data = instance_from_data(json.loads(path.read_text(encoding="utf-8")))
    assert data.calendar == "gregorian"
    assert all("2024-06-01" <= c.start <= c.end <= "2024-08-31" for c in data.camps)
    assert sum(r.count for c in data.camps for r in c.requirements) == 150


# ------------------------------------------------------------ shipped instances

SHIPPED = {
    "small.json": ["--volunteers", "300", "--camps", "20", "--seed", "1"],
    "medium.json": ["--volunteers", "3000", "--camps", "150", "--seed", "2"],
    "markazi-season.json.gz": ["--volunteers", "22000", "--camps", "1200", "--seed", "1403"],
}


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_instances_regenerate_identically(tmp_path: Path, name: str) -> None:
    shipped = REPO / "instances" / name
    stem = name.split(".")[0]
    path = tmp_path / name
    assert run("generate", *SHIPPED[name], "--name", stem, "-o", str(path)).exit_code == 0
    if name.endswith(".gz"):  # compare content: gzip bytes may vary with the zlib build
        assert gzip.decompress(path.read_bytes()) == gzip.decompress(shipped.read_bytes())
    else:
        assert path.read_bytes() == shipped.read_bytes()


def test_ten_million_volunteers_are_refused_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It died of memory after 45 s; now the drawing is estimated against the limit first.
    from campplanner.contract.limits import MEMORY_ENV
    from campplanner.generate import refuse_beyond_memory

    monkeypatch.setenv(MEMORY_ENV, "8")
    output = tmp_path / "huge.json"
    arguments = ["generate", "--volunteers", "10000000", "--camps", "500", "--seed", "1"]
    result = CliRunner().invoke(main, [*arguments, "-o", str(output)], catch_exceptions=False)
    assert result.exit_code == 2, result.output
    assert " ".join(result.output.split()) == (
        "error: too large: generating 10,000,000 volunteers and 500 camps would take about "
        "46.6 GiB of memory, more than the limit of 8.0 GiB (set by CAMPPLANNER_MAX_MEMORY_GIB)"
    )
    assert not output.exists()
    monkeypatch.setenv(MEMORY_ENV, "1")
    refuse_beyond_memory(volunteers=22_000, camps=1_200)  # the province: no false alarm
