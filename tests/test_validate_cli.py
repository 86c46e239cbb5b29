"""``campplanner validate`` and ``campplanner schema`` through click's CliRunner, and once
through a real process: exit 0 with a summary for a good file, exit 2 with every
problem (file name, JSON path) and never a traceback for a bad one."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from builders import (
    TINY_PATH,
    camp,
    compile_data,
    make_instance,
    tiny_data,
    volunteer,
    write_instance,
)
from campplanner.cli import main


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def output_of(result: Result) -> str:
    """stdout and stderr together, as a planner sees them, with runs of white space as one
    space: rich wraps long lines at the console's width (80 columns here)."""
    return " ".join(result.output.split())


def assert_reported_bad(result: Result, file_name: str) -> str:
    """Exit 2, the file named, no traceback; returns the text shown."""
    text = output_of(result)
    assert result.exit_code == 2, text
    assert isinstance(result.exception, SystemExit)  # not an escaped exception
    assert "Traceback" not in text
    assert file_name in text
    return text


# ---------------------------------------------------------------------- validate


def test_validate_good_file_prints_its_summary(tiny_path: Path) -> None:
    data = tiny_data()
    problem = compile_data(data)
    result = invoke("validate", str(tiny_path))
    text = output_of(result)
    assert result.exit_code == 0, text
    assert "OK" in text and str(tiny_path) in text
    first = min(c["start"] for c in data["camps"])
    last = max(c["end"] for c in data["camps"])
    assert f"Season: {first} to {last}" in text
    expected_counts = {
        "volunteers": len(data["volunteers"]),
        "camps": len(data["camps"]),
        "skills": len(data["skills"]),
        "slots": sum(r["count"] for c in data["camps"] for r in c["requirements"]),
        r"candidates \(volunteer, camp, skill\)": problem.num_candidates,
    }
    for what, number in expected_counts.items():
        assert re.search(rf"\b{what}\W+{number}\b", text), (what, number)
    for s in data["skills"]:
        assert s["id"][:9] in text  # the skill table (rich may cut long ids)
    never = [v["id"] for v in data["volunteers"] if v.get("available") == []]
    assert "Volunteers who can serve nowhere" in text
    assert all(v in text for v in never)


def test_validate_reads_gzip(tiny_path: Path, tmp_path: Path) -> None:
    packed = tmp_path / "tiny.json.gz"
    packed.write_bytes(gzip.compress(tiny_path.read_bytes()))
    result = invoke("validate", str(packed))
    assert result.exit_code == 0, output_of(result)


def test_validate_shows_warnings_and_still_succeeds(tmp_path: Path) -> None:
    data = make_instance(capactiy=3)
    result = invoke("validate", str(write_instance(tmp_path / "w.json", data)))
    assert result.exit_code == 0
    assert "warning" in output_of(result)
    assert "capactiy: unknown field" in output_of(result)


def test_validate_warns_of_qualifications_that_expire(tmp_path: Path) -> None:
    # The season starts 2021-07-01 (the builders' camp, 07-01..07-05).
    data = make_instance(
        volunteers=[
            volunteer("v1", valid_until={"nurse": "2021-06-20"}),  # before the season
            volunteer("v2", valid_until={"nurse": "2021-07-20"}),  # within 30 days
            volunteer("v3", valid_until={"nurse": "2021-09-01"}),  # long after: fine
            volunteer("v4", valid_until={"mason": "2021-09-01"}),  # not held
            volunteer("v5", valid_until={"nurse": "2021-07-03"}),  # locked past it
        ],
        locked=[{"volunteer": "v5", "camp": "c1", "skill": "nurse"}],
    )
    result = invoke("validate", str(write_instance(tmp_path / "expiry.json", data)))
    text = output_of(result)
    assert result.exit_code == 0, text
    assert "v1's nurse expired on 2021-06-20, before the season starts" in text
    assert "v2's nurse expires on 2021-07-20, within 30 days" in text
    assert "v3" not in text
    assert "v4 does not hold 'mason'" in text
    assert "before camp c1 they are locked to ends" in text
    assert "locked[0]: H1: v5's nurse is valid until 2021-07-03" in text


def test_validate_refuses_a_bad_expiry_date(tmp_path: Path) -> None:
    data = make_instance(volunteers=[volunteer("v1", valid_until={"nurse": "2021-02-30"})])
    result = invoke("validate", str(write_instance(tmp_path / "bad.json", data)))
    assert result.exit_code == 2
    assert "volunteers[0].valid_until.nurse" in output_of(result)


def test_validate_says_which_locks_cannot_hold(tmp_path: Path) -> None:
    data = tiny_data()
    data["locked"].append({"volunteer": "v01", "camp": "c1", "skill": "physician"})
    result = invoke("validate", str(write_instance(tmp_path / "locks.json", data)))
    text = output_of(result)
    assert result.exit_code == 0  # the file follows the contract; solving it will not work
    assert "infeasible" in text
    assert "locked[1]: H1" in text


def test_validate_shows_brackets_in_names_literally(tmp_path: Path) -> None:
    data = make_instance(volunteers=[volunteer("v[/]", available=[])])
    data["skills"][0]["name"] = "[bold]leader[/]"
    result = invoke("validate", str(write_instance(tmp_path / "brackets.json", data)))
    assert result.exit_code == 0, output_of(result)
    assert "v[/]" in output_of(result)


BAD_FILES: dict[str, bytes] = {
    "empty": b"",
    "whitespace": b" \n ",
    "truncated": json.dumps(make_instance()).encode()[:-40],
    "not utf-8": '{"name": "اراک"}'.encode("cp1256"),
    "deeply nested": b"[" * 100_000 + b"]" * 100_000,
    "list": b"[1, 2]",
    "null": b"null",
    "NaN": b'{"rules": {"road_factor": NaN}}',
    "1e999": b'{"rules": {"road_factor": 1e999}}',
    "huge integer": b'{"rules": {"rest_days": ' + b"1" * 5000 + b"}}",
    "truncated gzip": gzip.compress(json.dumps(make_instance()).encode())[:-30],
}


@pytest.mark.parametrize("raw", list(BAD_FILES.values()), ids=list(BAD_FILES))
def test_validate_bad_bytes_exit_2(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(raw)
    text = assert_reported_bad(invoke("validate", str(path)), "bad.json")
    assert "error" in text


def _bad_instance() -> dict[str, Any]:
    data = tiny_data()
    data["camps"][3]["requirements"][0]["skill"] = "plumber"
    data["camps"][0]["capacity"] = "5"
    return data


def test_validate_lists_problems_with_json_paths(tmp_path: Path) -> None:
    data = tiny_data()
    data["camps"][3]["requirements"][0]["skill"] = "plumber"
    data["volunteers"][2]["home"] = "tehran"
    data["camps"][1]["end"] = "1400-04-12"
    path = write_instance(tmp_path / "bad.json", data)
    text = assert_reported_bad(invoke("validate", str(path)), "bad.json")
    assert "3 problems" in text
    for json_path in ("camps[3].requirements[0].skill", "volunteers[2].home", "camps[1].end"):
        assert json_path in text


def test_validate_shape_problem_names_the_field(tmp_path: Path) -> None:
    path = write_instance(tmp_path / "bad.json", _bad_instance())
    text = assert_reported_bad(invoke("validate", str(path)), "bad.json")
    assert "camps[0].capacity" in text


def test_validate_missing_file_exit_2(tmp_path: Path) -> None:
    assert_reported_bad(invoke("validate", str(tmp_path / "nowhere.json")), "nowhere.json")


def test_validate_folder_exit_2(tmp_path: Path) -> None:
    folder = tmp_path / "folder.json"
    folder.mkdir()
    assert_reported_bad(invoke("validate", str(folder)), "folder.json")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_endless_and_special_files_are_refused_not_read(device: str, tmp_path: Path) -> None:
    """/dev/zero has no end: reading it whole was a MemoryError (issue 17)."""
    result = invoke("validate", device)
    assert_reported_bad(result, device)
    assert "not a file" in output_of(result)
    for args in (("check", device, device), ("import", device, "-o", str(tmp_path / "x.json"))):
        result = invoke(*args)
        assert result.exit_code == 2 and "not a" in output_of(result), output_of(result)
        assert "Traceback" not in output_of(result)


def test_a_pipe_is_still_read(tmp_path: Path, tiny_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    done = subprocess.run(
        [
            "sh",
            "-c",
            f"cat {tiny_path} > {fifo} & "
            f"{sys.executable} -c 'from campplanner.cli import main; main()' "
            f"validate {fifo}",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_validate_without_argument_is_a_usage_error() -> None:
    result = invoke("validate")
    assert result.exit_code == 2
    assert "Traceback" not in output_of(result)


def test_validate_error_with_brackets_is_shown_literally(tmp_path: Path) -> None:
    data = make_instance(volunteers=[volunteer("v1", home="[/]")])
    path = write_instance(tmp_path / "bad.json", data)
    text = assert_reported_bad(invoke("validate", str(path)), "bad.json")
    assert "unknown place '[/]'" in text


# ------------------------------------------------------------------------ schema


def test_schema_prints_the_instance_json_schema() -> None:
    result = invoke("schema")
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert "properties" in schema
    assert {"volunteers", "camps", "skills", "places"} <= set(schema["properties"])
    assert set(schema["required"]) >= {"volunteers", "camps", "skills", "places"}


def test_schema_accepts_tiny_and_rejects_a_string_count() -> None:
    schema = json.loads(invoke("schema").output)
    jsonschema.validate(tiny_data(), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(_bad_instance(), schema)


# ------------------------------------------------------------ a real process, once


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-c", "from campplanner.cli import main; main()", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )


def test_real_process_validate_and_schema(tiny_path: Path, tmp_path: Path) -> None:
    good = _run("validate", str(tiny_path))
    assert good.returncode == 0, good.stderr
    assert "OK" in good.stdout

    data = tiny_data()
    data["camps"][3]["requirements"][0]["skill"] = "plumber"
    bad_path = write_instance(tmp_path / "bad.json", data)
    bad = _run("validate", str(bad_path))
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    assert str(bad_path) in bad.stderr
    assert "camps[3].requirements[0].skill" in bad.stderr
    assert bad.stdout == ""  # errors go to stderr, so a script can read stdout safely

    truncated = tmp_path / "cut.json.gz"
    truncated.write_bytes(gzip.compress(tiny_path.read_bytes())[:100])
    cut = _run("validate", str(truncated))
    assert cut.returncode == 2
    assert "Traceback" not in cut.stderr and "truncated" in cut.stderr

    schema = _run("schema")
    assert schema.returncode == 0
    assert "properties" in json.loads(schema.stdout)


def test_a_gregorian_camp_builder_validates(tmp_path: Path) -> None:
    # The builders make files the command accepts as they are.
    path = write_instance(tmp_path / "built.json", make_instance(camps=[camp("c1"), camp("c2")]))
    assert invoke("validate", str(path)).exit_code == 0


# ------------------------------------------------- every problem once, plain words


def test_validate_reports_type_errors_and_broken_references_in_one_run(tmp_path: Path) -> None:
    """Issue 17: a type error used to hide the broken references until a second run."""
    data = tiny_data()
    data["camps"][0]["capacity"] = "5"
    data["camps"][2]["requirements"][0]["skill"] = "nurce"
    data["locked"][0]["volunteer"] = "V04"
    text = assert_reported_bad(
        invoke("validate", str(write_instance(tmp_path / "s.json", data))), "s.json"
    )
    assert "3 problems" in text
    assert 'camps[0].capacity: expected a whole number, got "5"' in text
    assert "camps[2].requirements[0].skill: unknown skill 'nurce' (did you mean 'nurse'?)" in text
    assert "locked[0].volunteer: unknown volunteer 'V04' (did you mean 'v04'?)" in text
    assert "Input should" not in text


def test_a_damaged_workbook_is_refused_without_a_class_name(tmp_path: Path) -> None:
    import zipfile

    roster = tmp_path / "roster.xlsx"
    with zipfile.ZipFile(roster, "w") as archive:  # a zip whose XML is cut short
        archive.writestr("[Content_Types].xml", "<Types")
    text = assert_reported_bad(invoke("check", str(TINY_PATH), str(roster)), "roster.xlsx")
    assert "is damaged" in text and "save the file again" in text
    assert "ParseError" not in text and "Exception" not in text


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (KeyError("camps"), "an internal error of campplanner"),
        (TypeError("'NoneType' object is not subscriptable"), "an internal error of campplanner"),
        (
            FileNotFoundError(2, "No such file or directory", "rates.json"),
            "no such file or directory: rates.json",
        ),
        (json.JSONDecodeError("Expecting value", "{", 1), "Expecting value: line 1 column 2"),
        (
            ValueError(
                "(sqlite3.OperationalError) unable to open database file (Background on "
                "this error at: https://sqlalche.me/e/20/e3q8)"
            ),
            "unable to open database file",
        ),
        (MemoryError(), "not enough memory"),
    ],
    ids=["KeyError", "TypeError", "OSError", "JSONDecodeError", "a library's", "MemoryError"],
)
def test_reasons_never_name_a_python_class(error: BaseException, reason: str) -> None:
    from campplanner.contract.errors import plain_reason

    said = plain_reason(error)
    assert said.startswith(reason)
    for name in (type(error).__name__, "OperationalError", "sqlalche.me", "'camps'"):
        assert name not in said


def test_no_message_is_built_from_a_class_name_or_a_repr() -> None:
    """Where messages were built from ``type(error).__name__``, ``repr(error)`` or
    ``{error!r}`` (issue 17: "InvalidFileException", "ParseError" reached planners)."""
    pattern = re.compile(
        r"type\(\w+\)\.__name__|__class__\.__name__|repr\((error|exc|e|err)\)"
        r"|\{(error|exc|e|err)!r\}"
    )
    source = Path(__file__).resolve().parents[1] / "src" / "campplanner"
    found = [
        f"{path.relative_to(source)}:{number}"
        for path in sorted(source.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert found == []


def test_ids_given_as_options_get_the_id_meant(tmp_path: Path) -> None:
    roster = tmp_path / "roster.json"
    roster.write_text(
        json.dumps(
            {
                "status": "feasible",
                "assignments": [{"volunteer": "v03", "camp": "c1", "skill": "nurse"}],
            }
        ),
        encoding="utf-8",
    )
    asked = {
        ("replace", "--volunteer", "V03"): "no such volunteer in",
        ("replace", "--volunteer", "v03", "--camp", "c01"): "no such camp in",
        ("explain", "--camp", "C1"): "no camp 'C1' in",
        ("explain", "--volunteer", "v3"): "no volunteer 'v3' in",
    }
    meant = ["'v03'", "'c1'", "'c1'", "'v03'"]
    for (command, *options), expected in zip(asked, meant, strict=True):
        result = invoke(command, str(TINY_PATH), str(roster), *options)
        text = assert_reported_bad(result, "tiny.json")
        assert asked[(command, *options)] in text
        assert f"(did you mean {expected}?)" in text


@pytest.mark.parametrize("where", ["a field", "a skill of a volunteer"])
def test_a_20_mb_key_is_not_echoed_whole(tmp_path: Path, where: str) -> None:
    # It was: 20 MB of stderr (the key in the warning, then wrapped by the terminal's
    # console for minutes). Now each quoted key or value is cut, with its length said.
    key = "k" * 20_000_000
    data = json.loads(TINY_PATH.read_text(encoding="utf-8"))
    if where == "a field":
        data["volunteers"][0][key] = 1  # unknown: a warning, exit 0
    else:
        data["volunteers"][0]["skills"] = {key: 1}  # an unknown skill: exit 2
    path = tmp_path / "huge-key.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)], catch_exceptions=False)
    assert result.exit_code == (0 if where == "a field" else 2), result.output[-2000:]
    assert len(result.output) < 10_000
    assert "... (20,000,0" in result.output and "characters)" in result.output


def _warned_of_everything() -> list[dict[str, Any]]:
    """Three files that between them raise every warning validate knows."""
    data = make_instance(
        volunteers=[
            volunteer("v1", valid_until={"nurse": "2021-06-20"}),  # before the season
            volunteer("v2", valid_until={"nurse": "2021-07-20"}),  # within 30 days
            volunteer("v4", valid_until={"mason": "2021-09-01"}),  # not held
            volunteer("v5", valid_until={"nurse": "2021-07-03"}),  # locked past it
            volunteer("v6", available=[["2021-06-01", "2021-06-30"], ["2021-07-01", "2021-08-01"]]),
        ],
        camps=[camp("c1"), camp("c2", requirements=[])],
        locked=[
            {"volunteer": "v5", "camp": "c1", "skill": "nurse"},
            {"volunteer": "v5", "camp": "c1", "skill": "nurse"},  # twice
            {"volunteer": "v2", "camp": "c1", "skill": "mason"},  # not asked
        ],
        capactiy=3,  # unknown, meant "capacity"? at the top level: no field of that name
    )
    data["format"] = "campplanner/9"
    data["camps"][0]["capactiy"] = 3  # did you mean "capacity"?
    jalali = make_instance(calendar="jalali", camps=[camp("c1", start="2021-07-01")])
    gregorian = make_instance(camps=[camp("c1", start="1400-07-01", end="1400-07-05")])
    return [data, jalali, gregorian]


def test_validate_says_its_warnings_in_the_language_asked(tmp_path: Path) -> None:
    """Warnings follow ``--lang`` as explain's reasons do (issue 25): every kind in
    Persian, ids and JSON paths as the file writes them, days in Persian digits; English
    by default."""
    from campplanner.app.inspect import validate
    from campplanner.cli.inspect_view import WARNINGS_FA

    kinds: set[str] = set()
    for number, data in enumerate(_warned_of_everything()):
        path = write_instance(tmp_path / f"w{number}.json", data)
        kinds |= {warning.kind for warning in validate(str(path)).warnings}
        english, persian = (
            invoke("validate", str(path)),
            invoke("validate", str(path), "--lang", "fa"),
        )
        assert english.exit_code == persian.exit_code == 0, output_of(persian)
        assert "warning(s)" in output_of(english) and "warning(s)" not in output_of(persian)
        shown = output_of(persian).split("هشدار:", 1)[1]
        for english_words in ("unknown field", "expire", "does not hold", "asks for nobody"):
            assert english_words not in shown, shown
        if number == 0:
            assert "اعتبار nurse v1 در ۲۰۲۱/۰۶/۲۰ پایان یافته است" in shown
            assert (
                "camps[0].capactiy: فیلد ناشناخته، نادیده گرفته شد (شاید منظور capacity بود؟)"
                in shown
            )
            assert "اردوی c2 کسی را نمی‌خواهد" in shown
    assert kinds == set(WARNINGS_FA), kinds ^ set(WARNINGS_FA)
