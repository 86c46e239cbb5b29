"""The loader: every way an instance file can be wrong ends in one InstanceError listing
all the problems found, each with its JSON path, and good files load whatever their
encoding details (gzip, byte-order mark, Persian digits)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jdatetime
import pytest

from builders import (
    camp,
    compile_data,
    group,
    load_data,
    make_instance,
    place,
    requirement,
    skill,
    tiny_data,
    volunteer,
)
from campplanner.contract import instance as loader
from campplanner.contract.errors import InstanceError, Issue
from campplanner.contract.instance import instance_warnings, load_instance, read_json


def issues_of(error: pytest.ExceptionInfo[InstanceError]) -> list[Issue]:
    return error.value.issues


def single_issue(data: Any) -> Issue:
    """The one problem reported for ``data``; fails if there are none or several."""
    with pytest.raises(InstanceError) as error:
        load_data(data)
    issues = issues_of(error)
    assert len(issues) == 1, issues
    return issues[0]


# ------------------------------------------------------------------ files and bytes


def _deeply_nested(depth: int) -> bytes:
    return b'{"name": ' + b"[" * depth + b"]" * depth + b"}"


BAD_BYTES: list[tuple[str, bytes, str]] = [
    ("empty", b"", "empty"),
    ("whitespace only", b"  \n\t\r\n  ", "empty"),
    ("truncated", json.dumps(tiny_data(), ensure_ascii=False).encode()[:700], "not valid JSON"),
    ("not UTF-8", '{"name": "اراک"}'.encode("cp1256"), "not UTF-8"),
    ("latin-1", '{"name": "Café"}'.encode("latin-1"), "not UTF-8"),
    ("nested 100000 deep", _deeply_nested(100_000), "nested too deeply"),
    ("top level list", b"[]", "top level must be a JSON object"),
    ("top level string", b'"an instance"', "top level must be a JSON object"),
    ("top level null", b"null", "top level must be a JSON object"),
    ("top level number", b"42", "top level must be a JSON object"),
    ("NaN", b'{"name": "x", "rules": {"road_factor": NaN}}', "NaN"),
    ("Infinity", b'{"rules": {"road_factor": Infinity}}', "Infinity"),
    ("-Infinity", b'{"rules": {"road_factor": -Infinity}}', "Infinity"),
    ("1e999", b'{"rules": {"road_factor": 1e999}}', "too large"),
    (
        "5000-digit integer",
        b'{"rules": {"rest_days": ' + b"7" * 5000 + b"}}",
        "not valid JSON: a whole number of more than 4,300 digits is too large",
    ),
    ("trailing garbage", b'{"name": "x"} {"name": "y"}', "not valid JSON"),
    ("single quotes", b"{'name': 'x'}", "not valid JSON"),
]


@pytest.mark.parametrize(
    ("raw", "expected"), [case[1:] for case in BAD_BYTES], ids=[case[0] for case in BAD_BYTES]
)
def test_bad_bytes_give_one_clear_issue(
    write_file: Callable[..., Path], raw: bytes, expected: str
) -> None:
    path = write_file(raw)
    with pytest.raises(InstanceError) as error:
        load_instance(path)
    assert error.value.source == str(path)
    [issue] = issues_of(error)
    assert issue.path == ""  # a problem of the whole file
    assert expected in issue.message
    assert str(path) in error.value.report()


def test_cut_at_a_structural_point_says_truncated(write_file: Callable[..., Path]) -> None:
    text = json.dumps(tiny_data(), ensure_ascii=False)
    cut = text[: text.index('"volunteers"') + len('"volunteers": [')]
    with pytest.raises(InstanceError) as error:
        load_instance(write_file(cut.encode()))
    assert "truncated" in issues_of(error)[0].message


def test_missing_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "missing.json"
    with pytest.raises(InstanceError) as error:
        load_instance(path)
    assert error.value.source == str(path)
    assert "no such file" in issues_of(error)[0].message


def test_folder_is_reported(tmp_path: Path) -> None:
    with pytest.raises(InstanceError) as error:
        load_instance(tmp_path)
    assert "folder" in issues_of(error)[0].message


def test_byte_order_mark_is_accepted(write_file: Callable[..., Path]) -> None:
    raw = json.dumps(make_instance()).encode("utf-8-sig")
    assert raw.startswith(b"\xef\xbb\xbf")
    assert load_instance(write_file(raw)).name == "test"


def test_gzip_file_reads_like_the_plain_one(tiny_path: Path, tmp_path: Path) -> None:
    packed = tmp_path / "tiny.json.gz"
    packed.write_bytes(gzip.compress(tiny_path.read_bytes()))
    assert load_instance(packed) == load_instance(tiny_path)


def test_gzip_is_recognised_by_content_not_name(tiny_path: Path, tmp_path: Path) -> None:
    packed = tmp_path / "tiny.json"
    packed.write_bytes(gzip.compress(tiny_path.read_bytes()))
    assert read_json(packed) == json.loads(tiny_path.read_text(encoding="utf-8"))


def test_concatenated_gzip_members_are_one_file(tiny_path: Path, tmp_path: Path) -> None:
    raw = tiny_path.read_bytes()
    middle = len(raw) // 2
    packed = tmp_path / "tiny.json.gz"
    packed.write_bytes(gzip.compress(raw[:middle]) + gzip.compress(raw[middle:]))
    assert load_instance(packed) == load_instance(tiny_path)


def test_a_huge_second_gzip_member_is_refused_before_it_fills_the_memory(
    tiny_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The limit is what is inflated across all members, not what the first one holds.
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 100_000)
    small = gzip.compress(tiny_path.read_bytes())
    bomb = gzip.compress(b" " * 1_000_000)  # 1 MB of spaces in a ~1 KB member
    packed = tmp_path / "bomb.json.gz"
    packed.write_bytes(small + bomb)
    with pytest.raises(InstanceError) as error:
        read_json(packed)
    assert "decompresses to more than" in str(error.value)


def test_a_key_given_twice_is_an_error_with_its_path(tmp_path: Path) -> None:
    # A JSON parser keeps the last of two equal keys silently: a hidden second
    # "assignments" list could replace the one a reader sees.
    path = tmp_path / "twice.json"
    path.write_text(
        '{"status": "optimal", "assignments": [], "x": {"k": 1, "k": 2},'
        ' "assignments": [{"volunteer": "v1", "camp": "c1", "skill": "s"}]}',
        encoding="utf-8",
    )
    with pytest.raises(InstanceError) as error:
        read_json(path)
    assert [str(issue) for issue in issues_of(error)] == [
        "the key 'assignments' appears more than once",
        "x: the key 'k' appears more than once",
    ]


@pytest.mark.parametrize("keep", [0.5, 0.9, 12])
def test_truncated_gzip_is_reported(tiny_path: Path, tmp_path: Path, keep: float) -> None:
    packed = gzip.compress(tiny_path.read_bytes())
    cut = int(len(packed) * keep) if keep < 1 else int(keep)
    path = tmp_path / "tiny.json.gz"
    path.write_bytes(packed[:cut])
    with pytest.raises(InstanceError) as error:
        load_instance(path)
    [issue] = issues_of(error)
    assert "gzip" in issue.message
    assert "truncated" in issue.message


def test_corrupt_gzip_is_reported(tiny_path: Path, tmp_path: Path) -> None:
    packed = bytearray(gzip.compress(tiny_path.read_bytes()))
    packed[20:60] = bytes(40)  # zeros in the middle of the deflate stream
    path = tmp_path / "tiny.json.gz"
    path.write_bytes(bytes(packed))
    with pytest.raises(InstanceError) as error:
        load_instance(path)
    assert "gzip" in issues_of(error)[0].message


def test_gzip_of_bad_text_reports_the_text_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.json.gz"
    path.write_bytes(gzip.compress('{"name": "é"}'.encode("latin-1")))
    with pytest.raises(InstanceError) as error:
        load_instance(path)
    assert "not UTF-8" in issues_of(error)[0].message


# ------------------------------------------------------------- shape of the fields


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A mutation setting the dotted/indexed ``path`` (``camps.0.capacity``) to ``value``."""

    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return mutate


def _drop(path: str) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        del target[last]

    return mutate


# (mutation, JSON path of the issue, words in its message)
SHAPE_CASES: dict[str, tuple[Callable[[dict[str, Any]], None], str, str]] = {
    "capacity as string": (_set("camps.0.capacity", "5"), "camps[0].capacity", "whole number"),
    "capacity as float": (_set("camps.0.capacity", 5.5), "camps[0].capacity", "whole number"),
    "capacity 0": (_set("camps.0.capacity", 0), "camps[0].capacity", "at least"),
    "capacity 100001": (_set("camps.0.capacity", 100_001), "camps[0].capacity", "at most"),
    "count true": (
        _set("camps.0.requirements.0.count", True),
        "camps[0].requirements[0].count",
        "whole number",
    ),
    "count 10**30": (
        _set("camps.0.requirements.0.count", 10**30),
        "camps[0].requirements[0].count",
        "at most 10000",
    ),
    "count 10**5000": (
        _set("camps.0.requirements.0.count", 10**5000),
        "camps[0].requirements[0].count",
        "at most 10000",
    ),
    "count 0": (
        _set("camps.0.requirements.0.count", 0),
        "camps[0].requirements[0].count",
        "at least 1",
    ),
    "essential as string": (
        _set("camps.0.requirements.0.essential", "yes"),
        "camps[0].requirements[0].essential",
        "true or false",
    ),
    "volunteer level 4": (_set("volunteers.0.skills.nurse", 4), "volunteers[0].skills.nurse", "3"),
    "volunteer level 0": (_set("volunteers.0.skills.nurse", 0), "volunteers[0].skills.nurse", "1"),
    "volunteer level '2'": (
        _set("volunteers.0.skills.nurse", "2"),
        "volunteers[0].skills.nurse",
        "whole number",
    ),
    "requirement level 4": (
        _set("camps.0.requirements.0.level", 4),
        "camps[0].requirements[0].level",
        "at most 3",
    ),
    "priority 0": (_set("camps.0.priority", 0), "camps[0].priority", "at least 1"),
    "priority 6": (_set("camps.0.priority", 6), "camps[0].priority", "at most 5"),
    "lat 90.5": (_set("places.0.lat", 90.5), "places[0].lat", "at most 90"),
    "lat -91": (_set("places.1.lat", -91), "places[1].lat", "at least -90"),
    "lon 180.5": (_set("places.0.lon", 180.5), "places[0].lon", "at most 180"),
    "lon -181": (_set("places.0.lon", -181), "places[0].lon", "at least -180"),
    "lat as string": (_set("places.0.lat", "34.1"), "places[0].lat", "number"),
    "lat NaN": (_set("places.0.lat", float("nan")), "places[0].lat", "finite"),
    "deprivation 6": (_set("places.0.deprivation", 6), "places[0].deprivation", "5"),
    "road_factor 0.9": (_set("rules", {"road_factor": 0.9}), "rules.road_factor", "1"),
    "road_factor 11": (_set("rules", {"road_factor": 11}), "rules.road_factor", "10"),
    "road_factor inf": (_set("rules", {"road_factor": float("inf")}), "rules.road_factor", ""),
    "rest_days -1": (_set("rules", {"rest_days": -1}), "rules.rest_days", "0"),
    "rest_days 366": (_set("rules", {"rest_days": 366}), "rules.rest_days", "365"),
    "rules max_camps 0": (_set("rules", {"max_camps": 0}), "rules.max_camps", "1"),
    "volunteer max_camps -1": (_set("volunteers.0.max_camps", -1), "volunteers[0].max_camps", "0"),
    "max_km -1": (_set("volunteers.0.max_km", -1), "volunteers[0].max_km", "0"),
    "max_km 20001": (_set("volunteers.0.max_km", 20_001), "volunteers[0].max_km", "20000"),
    "gender x": (_set("volunteers.0.gender", "x"), "volunteers[0].gender", "'f' or 'm'"),
    "camp gender F": (_set("camps.0.gender", "F"), "camps[0].gender", "'f' or 'm'"),
    "calendar hijri": (_set("calendar", "hijri"), "calendar", "gregorian"),
    "skills as list": (_set("volunteers.0.skills", ["nurse"]), "volunteers[0].skills", "object"),
    "available as string": (
        _set("volunteers.0.available", "2021-07-01"),
        "volunteers[0].available",
        "list",
    ),
    "range of one day": (
        _set("volunteers.0.available", [["2021-07-01"]]),
        "volunteers[0].available[0]",
        "at least 2",
    ),
    "range of three days": (
        _set("volunteers.0.available", [["2021-07-01", "2021-07-02", "2021-07-03"]]),
        "volunteers[0].available[0]",
        "at most 2",
    ),
    "requirements as object": (
        _set("camps.0.requirements", {"skill": "nurse", "count": 1}),
        "camps[0].requirements",
        "list",
    ),
    "name as number": (_set("volunteers.0.name", 7), "volunteers[0].name", "text"),
    "empty id": (_set("volunteers.0.id", ""), "volunteers[0].id", "must not be empty"),
    "date as number": (_set("camps.0.start", 20210701), "camps[0].start", "text"),
    "weights.travel negative": (
        _set("weights", {"travel": -1}),
        "weights.travel",
        "at least 0",
    ),
    "volunteers as object": (_set("volunteers", {}), "volunteers", "list"),
    "missing volunteer home": (_drop("volunteers.0.home"), "volunteers[0].home", "missing"),
    "missing camp start": (_drop("camps.0.start"), "camps[0].start", "missing"),
    "missing capacity": (_drop("camps.0.capacity"), "camps[0].capacity", "missing"),
    "missing requirement count": (
        _drop("camps.0.requirements.0.count"),
        "camps[0].requirements[0].count",
        "missing",
    ),
    "missing place lat": (_drop("places.0.lat"), "places[0].lat", "missing"),
    "missing skill name": (_drop("skills.0.name"), "skills[0].name", "missing"),
    "missing skills": (_drop("skills"), "skills", "missing"),
    "missing camps": (_drop("camps"), "camps", "missing"),
}


@pytest.mark.parametrize(
    ("mutate", "path", "words"), list(SHAPE_CASES.values()), ids=list(SHAPE_CASES)
)
def test_each_bad_field_is_reported_at_its_path(
    mutate: Callable[[dict[str, Any]], None], path: str, words: str
) -> None:
    data = make_instance()
    load_data(data)  # the unmutated instance is valid, so the issue below is the mutation's
    mutate(data)
    issue = single_issue(data)
    assert issue.path == path
    assert words in issue.message


def test_shape_issues_show_the_bad_value() -> None:
    data = make_instance()
    data["camps"][0]["capacity"] = "5"
    assert '"5"' in single_issue(data).message


def test_every_shape_problem_is_reported() -> None:
    data = make_instance(camps=[camp("c1"), camp("c2"), camp("c3"), camp("c4")])
    data["camps"][3]["requirements"][0]["count"] = "2"
    data["volunteers"][0]["skills"]["nurse"] = 7
    data["places"][1]["lon"] = 200
    with pytest.raises(InstanceError) as error:
        load_data(data)
    paths = sorted(issue.path for issue in issues_of(error))
    assert paths == [
        "camps[3].requirements[0].count",
        "places[1].lon",
        "volunteers[0].skills.nurse",
    ]


def test_every_cross_reference_problem_is_reported() -> None:
    data = tiny_data()
    data["camps"][3]["requirements"][0]["skill"] = "plumber"
    data["volunteers"][2]["home"] = "tehran"
    data["camps"][1]["start"] = "1400-13-01"
    with pytest.raises(InstanceError) as error:
        load_data(data, "tiny.json")
    issues = issues_of(error)
    assert {issue.path for issue in issues} == {
        "camps[3].requirements[0].skill",
        "volunteers[2].home",
        "camps[1].start",
    }
    assert len(issues) == 3
    report = error.value.report()
    assert report.startswith("tiny.json: 3 problems")
    assert "plumber" in report
    assert "tehran" in report


def test_long_reports_are_cut_but_counted() -> None:
    data = make_instance(volunteers=[volunteer(f"v{i}", home="nowhere") for i in range(250)])
    with pytest.raises(InstanceError) as error:
        load_data(data)
    assert len(issues_of(error)) == 250
    report = error.value.report(limit=10)
    assert "250 problems" in report
    assert "and 240 more" in report


# ---------------------------------------------------------------- cross-references


def _duplicate(list_name: str) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        data[list_name].append(dict(data[list_name][0]))

    return mutate


def _append(list_name: str, item: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        data.setdefault(list_name, []).append(item)

    return mutate


# (mutation, JSON path of the issue, words in its message); make_instance() has
# 3 skills, 2 places, 1 group, 1 volunteer, 1 camp.
CROSS_CASES: dict[str, tuple[Callable[[dict[str, Any]], None], str, str]] = {
    "duplicate skill": (_duplicate("skills"), "skills[3].id", "duplicate id 'leader'"),
    "duplicate place": (_duplicate("places"), "places[2].id", "duplicate id 'arak'"),
    "duplicate group": (_duplicate("groups"), "groups[1].id", "duplicate id 'g1'"),
    "duplicate volunteer": (_duplicate("volunteers"), "volunteers[1].id", "duplicate id 'v1'"),
    "duplicate camp": (_duplicate("camps"), "camps[1].id", "duplicate id 'c1'"),
    "group home": (_set("groups.0.home", "qom"), "groups[0].home", "unknown place 'qom'"),
    "volunteer home": (
        _set("volunteers.0.home", "qom"),
        "volunteers[0].home",
        "unknown place 'qom'",
    ),
    "volunteer group": (
        _set("volunteers.0.group", "g9"),
        "volunteers[0].group",
        "unknown group 'g9'",
    ),
    "volunteer skill": (
        _set("volunteers.0.skills", {"nurse": 1, "pilot": 2}),
        "volunteers[0].skills",
        "unknown skill 'pilot'",
    ),
    "camp place": (_set("camps.0.place", "qom"), "camps[0].place", "unknown place 'qom'"),
    "requirement skill": (
        _set("camps.0.requirements", [requirement("nurse"), requirement("pilot")]),
        "camps[0].requirements[1].skill",
        "unknown skill 'pilot'",
    ),
    "two requirements for one skill": (
        _set("camps.0.requirements", [requirement("nurse"), requirement("nurse", 2)]),
        "camps[0].requirements[1].skill",
        "second requirement for 'nurse'",
    ),
    "locked volunteer": (
        _set("locked", [{"volunteer": "v9", "camp": "c1", "skill": "nurse"}]),
        "locked[0].volunteer",
        "unknown volunteer 'v9'",
    ),
    "locked camp": (
        _set("locked", [{"volunteer": "v1", "camp": "c9", "skill": "nurse"}]),
        "locked[0].camp",
        "unknown camp 'c9'",
    ),
    "locked skill": (
        _set("locked", [{"volunteer": "v1", "camp": "c1", "skill": "pilot"}]),
        "locked[0].skill",
        "unknown skill 'pilot'",
    ),
    "forbidden volunteer": (
        _set("forbidden", [{"volunteer": "v9", "camp": "c1"}]),
        "forbidden[0].volunteer",
        "unknown volunteer 'v9'",
    ),
    "forbidden camp": (
        _set("forbidden", [{"volunteer": "v1", "camp": "c9"}]),
        "forbidden[0].camp",
        "unknown camp 'c9'",
    ),
    "camp ends before it starts": (
        _set("camps.0.end", "2021-06-30"),
        "camps[0].end",
        "before the start",
    ),
    "range ends before it starts": (
        _set("volunteers.0.available", [["2021-07-10", "2021-07-09"]]),
        "volunteers[0].available[0]",
        "before it starts",
    ),
    "Gregorian 2021-02-30": (
        _set("camps.0.start", "2021-02-30"),
        "camps[0].start",
        "not a day of the gregorian calendar",
    ),
    "Gregorian 2021-02-29 in a range": (
        _set("volunteers.0.available", [["2021-01-01", "2021-02-29"]]),
        "volunteers[0].available[0][1]",
        "not a day of the gregorian calendar",
    ),
    "not a date": (_set("camps.0.end", "next week"), "camps[0].end", "YYYY-MM-DD"),
    "day first": (_set("camps.0.end", "05-07-2021"), "camps[0].end", "YYYY-MM-DD"),
}


@pytest.mark.parametrize(
    ("mutate", "path", "words"), list(CROSS_CASES.values()), ids=list(CROSS_CASES)
)
def test_each_cross_reference_problem_is_reported_at_its_path(
    mutate: Callable[[dict[str, Any]], None], path: str, words: str
) -> None:
    data = make_instance(groups=[group("g1")], volunteers=[volunteer("v1", group="g1")])
    load_data(data)
    mutate(data)
    issue = single_issue(data)
    assert issue.path == path
    assert words in issue.message


def test_a_group_without_home_is_fine() -> None:
    load_data(make_instance(groups=[group("g1", home=None)]))


def test_one_day_camp_and_range_are_fine() -> None:
    day = "2021-07-03"
    data = make_instance(
        volunteers=[volunteer("v1", available=[[day, day]])],
        camps=[camp("c1", start=day, end=day)],
    )
    problem = compile_data(data)
    assert problem.camp_start[0] == problem.camp_end[0]
    assert problem.num_candidates == 1


# ---------------------------------------------------------------------- calendars


def _jalali(start: str, end: str, available: list[list[str]] | None = None) -> dict[str, Any]:
    fields = {} if available is None else {"available": available}
    return make_instance(
        calendar="jalali",
        volunteers=[volunteer("v1", **fields)],
        camps=[camp("c1", start=start, end=end)],
    )


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("1400-13-01", "camps[0].start"),
        ("1400-12-30", "camps[0].start"),
        ("1400-00-10", "camps[0].start"),
    ],
)
def test_days_that_do_not_exist_in_jalali_are_reported(text: str, path: str) -> None:
    issue = single_issue(_jalali(text, "1401-01-05"))
    assert issue.path == path
    assert "jalali" in issue.message


def test_esfand_30_exists_in_leap_years_only() -> None:
    # 1399 is a leap year of the Jalali calendar and 1400 is not: Esfand has 30 days in 1399.
    assert jdatetime.date(1399, 1, 1).isleap()
    assert not jdatetime.date(1400, 1, 1).isleap()
    problem = compile_data(_jalali("1399-12-28", "1399-12-30"))
    assert problem.camp_end[0] - problem.camp_start[0] + 1 == 3
    # The day after Esfand 30, 1399 is Farvardin 1, 1400.
    after = compile_data(_jalali("1400-01-01", "1400-01-01"))
    assert after.camp_start[0] == problem.camp_end[0] + 1
    assert single_issue(_jalali("1400-12-28", "1400-12-30")).path == "camps[0].end"


def test_jalali_days_match_jdatetime() -> None:
    problem = compile_data(_jalali("1400-04-10", "1400-04-14"))
    expected = jdatetime.date(1400, 4, 10).togregorian().toordinal()
    assert problem.camp_start[0] == expected
    assert problem.camp_end[0] == expected + 4


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("۱۴۰۰-۰۴-۱۰", "۱۴۰۰-۰۴-۱۴"),  # Persian digits
        ("١٤٠٠-٠٤-١٠", "١٤٠٠-٠٤-١٤"),  # Arabic-Indic digits
        ("1400-۰۴-10", "١٤٠٠-04-۱۴"),  # mixed, as copy and paste makes them
        ("1400/4/10", "1400/04/14"),
    ],
)
def test_persian_and_arabic_digits_are_the_same_days(start: str, end: str) -> None:
    ascii_problem = compile_data(
        _jalali("1400-04-10", "1400-04-14", available=[["1400-04-01", "1400-04-31"]])
    )
    problem = compile_data(_jalali(start, end, available=[["۱۴۰۰-۰۴-۰۱", "١٤٠٠-٠٤-٣١"]]))
    assert problem.camp_start[0] == ascii_problem.camp_start[0]
    assert problem.camp_end[0] == ascii_problem.camp_end[0]
    assert list(problem.availability_start) == list(ascii_problem.availability_start)
    assert list(problem.availability_end) == list(ascii_problem.availability_end)
    assert problem.num_candidates == ascii_problem.num_candidates == 1


def test_persian_digits_in_a_bad_date_are_reported() -> None:
    issue = single_issue(_jalali("۱۴۰۰-۱۳-۰۱", "1400-04-14"))
    assert issue.path == "camps[0].start"


def test_gregorian_is_the_default_calendar() -> None:
    data = make_instance(camps=[camp("c1", start="2021-02-27", end="2021-03-02")])
    assert "calendar" not in data
    problem = compile_data(data)
    assert problem.calendar == "gregorian"
    assert problem.camp_end[0] - problem.camp_start[0] + 1 == 4  # 27, 28 Feb, 1, 2 Mar


# ------------------------------------------------------------------------ warnings


def test_unknown_fields_are_accepted_with_a_warning() -> None:
    data = make_instance(capactiy=5)
    data["volunteers"][0]["nickname"] = "علی"
    data["camps"][0]["requirements"][0]["essentail"] = True
    data["places"][0]["population"] = 520_000
    data["rules"] = {"rest_days": 1, "rest_dayz": 2}
    instance = load_data(data)
    warned = {w.path: w.message for w in instance_warnings(instance)}
    assert set(warned) == {
        "capactiy",
        "volunteers[0].nickname",
        "camps[0].requirements[0].essentail",
        "places[0].population",
        "rules.rest_dayz",
    }
    assert all("unknown field" in message for message in warned.values())


def test_a_clean_instance_has_no_warnings(tiny_path: Path) -> None:
    assert instance_warnings(load_data(make_instance())) == []
    assert instance_warnings(load_instance(tiny_path)) == []


def test_weights_extension_is_accepted_without_warning() -> None:
    data = make_instance(weights={"travel": 1.5, "group": 2, "fairness": 0})
    instance = load_data(data)
    assert instance.weights is not None
    assert instance.weights.travel == 1.5
    assert instance_warnings(instance) == []


def test_unknown_weight_is_warned_about() -> None:
    instance = load_data(make_instance(weights={"travle": 1}))
    assert [w.path for w in instance_warnings(instance)] == ["weights.travle"]


def test_other_format_is_warned_about() -> None:
    data = make_instance()
    data["format"] = "campplanner/2"
    assert [w.path for w in instance_warnings(load_data(data))] == ["format"]


def test_touching_ranges_are_warned_about() -> None:
    ranges = [["2021-07-01", "2021-07-03"], ["2021-07-04", "2021-07-09"]]
    instance = load_data(make_instance(volunteers=[volunteer("v1", available=ranges)]))
    [warning] = instance_warnings(instance)
    assert warning.path == "volunteers[0].available"
    assert "one range" in warning.message


def test_camp_without_requirements_is_warned_about() -> None:
    instance = load_data(make_instance(camps=[camp("c1", requirements=[])]))
    assert [w.path for w in instance_warnings(instance)] == ["camps[0].requirements"]


def test_lock_on_a_skill_the_camp_does_not_ask_is_warned_about() -> None:
    locked = [{"volunteer": "v1", "camp": "c1", "skill": "mason"}]
    instance = load_data(make_instance(locked=locked))
    [warning] = instance_warnings(instance)
    assert warning.path == "locked[0]"
    assert "infeasible" in warning.message


# ----------------------------------------------------------------- good instances


def test_tiny_loads_with_its_own_values(tiny_path: Path) -> None:
    data = json.loads(tiny_path.read_text(encoding="utf-8"))
    instance = load_instance(tiny_path)
    assert instance.name == data["name"]
    assert instance.calendar == data["calendar"]
    assert [v.id for v in instance.volunteers] == [v["id"] for v in data["volunteers"]]
    assert [c.id for c in instance.camps] == [c["id"] for c in data["camps"]]
    assert instance.rules.rest_days == data["rules"]["rest_days"]


def test_defaults_of_optional_fields() -> None:
    data = make_instance(skills=[skill("nurse")], places=[place("arak"), place("village")])
    instance = load_data(data)
    assert instance.rules.rest_days == 0
    assert instance.rules.max_camps == 1
    assert instance.rules.road_factor == 1.3
    assert instance.locked == [] and instance.forbidden == [] and instance.weights is None
    assert instance.camps[0].priority == 1
    assert instance.camps[0].gender is None
    assert instance.camps[0].requirements[0].level == 1
    assert instance.camps[0].requirements[0].essential is False
    assert instance.volunteers[0].available is None  # absent: available every day


def test_persian_text_survives(write_file: Callable[..., Path]) -> None:
    data = make_instance(name="اردوهای تابستان ۱۴۰۰")
    data["skills"][0]["name"] = "سرپرست اردو"
    instance = load_instance(write_file(data))
    assert instance.name == "اردوهای تابستان ۱۴۰۰"
    assert instance.skills[0].name == "سرپرست اردو"


def test_jalali_dates_in_a_gregorian_file_are_warned_about() -> None:
    # 1400-04-10 exists in the Gregorian calendar too, so this loads: only a warning tells.
    data = make_instance(camps=[camp("c1", start="1400-04-10", end="1400-04-14")])
    warnings = instance_warnings(load_data(data))
    assert [w.path for w in warnings] == ["calendar"]
    assert '"calendar": "jalali"' in warnings[0].message


def test_gregorian_dates_in_a_jalali_file_are_warned_about() -> None:
    data = make_instance(
        calendar="jalali", camps=[camp("c1", start="2021-07-01", end="2021-07-05")]
    )
    data["volunteers"][0].pop("available", None)
    warnings = instance_warnings(load_data(data))
    assert [w.path for w in warnings] == ["calendar"]


# ------------------------------------------------------- every problem in one run


def test_a_type_error_does_not_hide_a_broken_reference() -> None:
    """Issue 17: validate needed two runs when a type error hid a broken reference."""
    data = tiny_data()
    data["camps"][0]["capacity"] = "5"  # shape
    data["skills"][1]["name"] = 7  # shape
    data["camps"][2]["requirements"][0]["skill"] = "plumber"  # reference
    data["volunteers"][1]["home"] = "tehran"  # reference
    data["volunteers"][5]["id"] = "v01"  # duplicate id
    data["camps"][1]["end"] = "1400-04-01"  # ends before it starts
    with pytest.raises(InstanceError) as error:
        load_data(data, "tiny.json")
    assert {issue.path for issue in issues_of(error)} == {
        "camps[0].capacity",
        "skills[1].name",
        "camps[2].requirements[0].skill",
        "volunteers[1].home",
        "volunteers[5].id",
        "camps[1].end",
    }


def test_a_misshapen_record_is_still_cross_checked() -> None:
    data = tiny_data()
    data["camps"][0]["capacity"] = "5"
    data["camps"][0]["place"] = "qom"  # same camp: its reference is still checked
    data["camps"][0]["start"] = 20210701  # not text: a shape problem, not also "not a date"
    with pytest.raises(InstanceError) as error:
        load_data(data)
    found = {issue.path: issue.message for issue in issues_of(error)}
    assert set(found) == {"camps[0].capacity", "camps[0].place", "camps[0].start"}
    assert "unknown place 'qom'" in found["camps[0].place"]
    assert found["camps[0].start"] == "expected text in quotes, got 20210701"


def test_no_reference_is_called_unknown_when_its_list_cannot_be_read() -> None:
    # An id that is not text might be the one referred to: "unknown" would be a guess.
    data = tiny_data()
    data["skills"][2]["id"] = 5
    assert single_issue(data).path == "skills[2].id"
    data = tiny_data()
    data["places"] = {"arak": {}}
    assert single_issue(data).path == "places"


# (mutation, path, the message expected in full): what is wrong, what is expected.
PLAIN_MESSAGES: dict[str, tuple[Callable[[dict[str, Any]], None], str, str]] = {
    "text for a count": (
        _set("camps.0.capacity", "5"),
        "camps[0].capacity",
        'expected a whole number, got "5"',
    ),
    "over a bound": (_set("camps.0.priority", 9), "camps[0].priority", "must be at most 5, got 9"),
    "a list for an object": (
        _set("volunteers.0.skills", ["nurse"]),
        "volunteers[0].skills",
        "expected an object {...}, got a list of 1",
    ),
    "a word for true": (
        _set("camps.0.requirements.0.essential", "yes"),
        "camps[0].requirements[0].essential",
        'expected true or false, got "yes"',
    ),
    "a choice": (
        _set("camps.0.gender", "F"),
        "camps[0].gender",
        "expected 'f' or 'm', got \"F\" (did you mean 'f'?)",
    ),
    "a calendar": (
        _set("calendar", "jalaali"),
        "calendar",
        "expected 'gregorian' or 'jalali', got \"jalaali\" (did you mean 'jalali'?)",
    ),
    "a short range": (
        _set("volunteers.0.available", [["2021-07-01"]]),
        "volunteers[0].available[0]",
        "must hold at least 2 items, got a list of 1",
    ),
    "an empty id": (_set("volunteers.0.id", ""), "volunteers[0].id", 'must not be empty, got ""'),
    "NaN": (
        _set("places.0.lat", float("nan")),
        "places[0].lat",
        "must be a finite number, got NaN",
    ),
}


@pytest.mark.parametrize(
    ("mutate", "path", "message"), list(PLAIN_MESSAGES.values()), ids=list(PLAIN_MESSAGES)
)
def test_shape_problems_are_said_in_plain_words(
    mutate: Callable[[dict[str, Any]], None], path: str, message: str
) -> None:
    data = make_instance()
    mutate(data)
    assert single_issue(data) == Issue(path, message)


@pytest.mark.parametrize(
    ("mutate", "path", "words"), list(SHAPE_CASES.values()), ids=list(SHAPE_CASES)
)
def test_no_message_uses_pydantic_words(
    mutate: Callable[[dict[str, Any]], None], path: str, words: str
) -> None:
    data = make_instance()
    mutate(data)
    message = single_issue(data).message
    for jargon in ("Input should", "valid integer", "dictionary", "Value error", "String should"):
        assert jargon not in message


def test_an_unknown_id_comes_with_the_closest_known_one() -> None:
    data = make_instance(skills=[skill("nurse"), skill("leader"), skill("پزشک")])
    data["camps"][0]["requirements"][0]["skill"] = "nurce"
    data["volunteers"][0]["home"] = "Arak"
    data["camps"][0]["place"] = "tehran"  # nothing close: no guess
    with pytest.raises(InstanceError) as error:
        load_data(data)
    found = {issue.path: issue.message for issue in issues_of(error)}
    assert found["camps[0].requirements[0].skill"] == (
        "unknown skill 'nurce' (did you mean 'nurse'?)"
    )
    assert found["volunteers[0].home"] == "unknown place 'Arak' (did you mean 'arak'?)"
    assert found["camps[0].place"] == "unknown place 'tehran'"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("\u067e\u0632\u0634\u0643", "\u067e\u0632\u0634\u06a9"),  # Arabic kaf for Persian
        ("\u0645\u0639\u0644\u0645\u064a", "\u0645\u0639\u0644\u0645\u06cc"),  # Arabic yeh
        ("\u0627\u0631\u062f\u0648\u06f1\u06f2", "\u0627\u0631\u062f\u064812"),  # Persian digits
        ("\u0627\u0631\u062f\u0648\u0661\u0662", "\u0627\u0631\u062f\u064812"),  # Arabic digits
        # ZWNJ left out
        (
            "\u0646\u06cc\u0645\u0647\u0645\u0627\u0647",
            "\u0646\u06cc\u0645\u0647\u200c\u0645\u0627\u0647",
        ),
    ],
)
def test_ids_typed_on_another_keyboard_get_the_id_meant(typed: str, meant: str) -> None:
    data = make_instance(skills=[skill("nurse"), skill("leader"), skill(meant)])
    data["volunteers"][0]["skills"] = {"nurse": 1, typed: 1}
    issue = single_issue(data)
    assert issue.path == "volunteers[0].skills"
    assert issue.message == f"unknown skill {typed!r} (did you mean {meant!r}?)"


def test_an_unknown_field_warning_names_the_field_meant() -> None:
    data = make_instance()
    data["camps"][0]["capactiy"] = 3
    warned = {w.path: w.message for w in instance_warnings(load_data(data))}
    assert warned["camps[0].capactiy"] == "unknown field, ignored (did you mean 'capacity'?)"


def test_a_reference_of_the_wrong_type_is_one_shape_problem() -> None:
    data = make_instance()
    data["volunteers"][0]["home"] = ["arak"]  # a list cannot be looked up as an id
    expected = Issue("volunteers[0].home", "expected text in quotes, got a list of 1")
    assert single_issue(data) == expected


def test_no_id_is_suggested_when_several_are_as_close() -> None:
    # "v1" is as close to v01 as to v10, v11 and v12: naming one would be a guess.
    data = tiny_data()
    data["locked"][0]["volunteer"] = "v1"
    assert single_issue(data) == Issue("locked[0].volunteer", "unknown volunteer 'v1'")
    data["locked"][0]["volunteer"] = "v4"  # only v04 is that close
    assert single_issue(data).message == "unknown volunteer 'v4' (did you mean 'v04'?)"
