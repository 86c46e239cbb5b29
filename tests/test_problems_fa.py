"""A file that cannot be used is refused in Persian under ``--lang fa`` and on the page.

Every problem the contract reports is a kind and its values (``contract/problems.py``);
``contract/problems_fa.py`` words them in Persian. One test per family of problems (the
file's bytes and JSON, a field's shape, a field's own check, fields read together,
scenario files, attendance histories, the memory limit, a roster of another instance)
shows the Persian sentence, with nothing Latin in it but what the file writes: ids,
keys, JSON paths, field names, the command's name. The English stays as it was
(``test_loader.py``, ``test_scenario.py`` and the others check it word for word).
"""

from __future__ import annotations

import copy
import gzip
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from builders import TINY_PATH
from campplanner.cli import main
from campplanner.contract.errors import FilesError, InstanceError
from campplanner.contract.history import history_from_data
from campplanner.contract.instance import instance_from_data, load_instance
from campplanner.contract.problems import PROBLEMS_ENGLISH
from campplanner.contract.problems_fa import PROBLEMS_PERSIAN, error_in, report_fa
from campplanner.whatif.scenario import apply_edits, scenario_from_data
from test_explain_fa import english_left
from web_helpers import served, session, solved

TINY: dict[str, Any] = json.loads(TINY_PATH.read_text(encoding="utf-8"))
# What a Persian refusal may still write in Latin letters: what the file writes (ids,
# keys, field names, the values quoted), the command, and JSON, UTF-8, true, false and
# null (the names the web's own Persian refusals use: web/refusals.py).
ALLOWED = {"campplanner", "validate", "JSON", "UTF-8", "true", "false", "null"}


def tiny(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(TINY)
    data.update(changes)
    return data


def refused(data: Any) -> InstanceError:
    with pytest.raises(InstanceError) as caught:
        instance_from_data(data, "season.json")
    return caught.value


def assert_persian(error: InstanceError | FilesError, allowed: set[str] = frozenset()) -> str:
    """The error in Persian: every problem said in Persian words, Latin letters only in
    the file's name, the JSON paths and what ``allowed`` names (what the file writes)."""
    text = error_in(error, "fa")
    errors = error.errors if isinstance(error, FilesError) else [error]
    inside = {  # the paths a sentence names ("also at volunteers[0]")
        str(i.values[name])
        for e in errors
        for i in e.issues
        for name in ("other", "at")
        if name in i.values
    }
    paths = sorted(
        {e.source for e in errors} | {i.path for e in errors for i in e.issues} | inside, key=len
    )[::-1]
    for line in text.split("\n")[1:]:
        assert re.search("[\u0600-\u06ff]", line), f"no Persian in {line!r}"
    left = english_left(text, ALLOWED | set(allowed), tuple(p for p in paths if p))
    assert left == [], f"Latin words left: {left} in {text!r}"
    assert not re.search(r"[۰-۹]-[۰-۹]", text), f"a date with hyphens: {text!r}"
    return text


def test_every_problem_kind_has_a_persian_sentence() -> None:
    assert set(PROBLEMS_PERSIAN) == set(PROBLEMS_ENGLISH)


def test_the_example_of_the_cli_document_in_persian() -> None:
    data = tiny()
    data["volunteers"][0]["skills"]["nurse"] = 7
    data["camps"][0]["start"] = "2021-13-01"
    error = refused(data)
    assert str(error) == (
        "season.json: 2 problems\n"
        "  - volunteers[0].skills.nurse: must be at most 3, got 7\n"
        "  - camps[0].start: '2021-13-01' is not a day of the jalali calendar "
        "(month must be in 1..12)"
    )
    assert assert_persian(error) == (
        "season.json: ۲ مشکل\n"
        "  - volunteers[0].skills.nurse: باید دست‌بالا ۳ باشد، اما ۷ آمده است\n"
        "  - camps[0].start: ۲۰۲۱/۱۳/۰۱ روزی از تقویم خورشیدی نیست "
        "(ماه باید از ۱ تا ۱۲ باشد)"
    )


def test_the_bytes_and_json_of_a_file_in_persian(tmp_path: Path) -> None:
    cases = {
        "empty.json": (b"  \n", "پرونده خالی است"),
        "cut.json": (b'{"name": "x", ', "JSON درستی نیست، در سطر ۱ و ستون ۱۵"),
        "latin1.json": (b'{"name": "\xe9"}', "متن UTF-8 نیست (در بایت ۱۰)"),
        "twice.json": (b'{"name": "a", "name": "b"}', "کلید «name» بیش از یک بار آمده است"),
        "list.json": (b"[1, 2]", "بالاترین سطح باید یک شیء JSON {...} باشد، اما یک فهرست است"),
        "nan.json": (b'{"x": NaN}', "«NaN» پذیرفته نیست"),
        "bad.json.gz": (b"\x1f\x8b\x08\x00garbage", "پروندهٔ فشرده ناقص است"),
        "roster.json": (
            json.dumps({"format": "campplanner-solution/1", "assignments": []}).encode(),
            "این یک پروندهٔ برنامه است، نه پروندهٔ نمونه: نخست پروندهٔ نمونه را بدهید",
        ),
    }
    for name, (content, expected) in cases.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(InstanceError) as caught:
            load_instance(tmp_path / name)
        text = assert_persian(caught.value, {"name", "NaN"})
        assert expected in text, (name, text)
    with pytest.raises(InstanceError) as caught:
        load_instance(tmp_path / "missing.json")
    assert assert_persian(caught.value).endswith("۱ مشکل\n  - چنین پرونده‌ای نیست")


def test_the_shape_of_fields_in_persian() -> None:
    data = tiny()
    data["volunteers"][0]["gender"] = "F"  # meant "f"
    data["volunteers"][1]["skills"] = ["nurse"]
    del data["camps"][0]["end"]
    data["camps"][1]["capacity"] = "four"
    data["camps"][2]["priority"] = 1.5
    text = assert_persian(refused(data), {"F", "f", "m", "four"})
    assert (
        "volunteers[0].gender: باید یکی از «f»، «m» باشد، اما «F» آمده است (شاید منظور «f» بود؟)"
        in text
    )
    assert "volunteers[1].skills: باید یک شیء {...} باشد، اما فهرستی از ۱ مورد آمده است" in text
    assert "camps[0].end: این فیلد لازم است و نیامده است" in text
    assert "camps[1].capacity: باید عددی درست باشد، اما «four» آمده است" in text
    assert "camps[2].priority: باید عددی درست باشد، اما ۱٫۵۰ آمده است" in text


def test_the_checks_of_one_field_in_persian() -> None:
    data = tiny()
    data["camps"][0]["start"] = "1400-12-31"  # 1400 is no leap year
    data["camps"][1]["end"] = "1400.04.20"
    data["volunteers"][0]["phone"] = "+44 20 7946 0000"
    data["volunteers"][1]["phone"] = "0912"
    text = assert_persian(refused(data), {"1400.04.20"})
    assert "camps[0].start: ۱۴۰۰/۱۲/۳۱ روزی از تقویم خورشیدی نیست (این ماه چنین روزی ندارد)" in text
    assert (
        "camps[1].end: باید تاریخی به شکل سال/ماه/روز باشد (مانند ۱۴۰۳/۰۵/۱۰)، اما «1400.04.20»"
        in text
    )
    assert "volunteers[0].phone: فقط شماره‌های ایران" in text
    assert "volunteers[1].phone: شمارهٔ تلفن پس از ۰ یا" in text and "روی هم ۴ رقم" in text
    assert "+44" not in text  # personal data: the path says where, never the value


def test_fields_read_together_in_persian() -> None:
    data = tiny()
    data["volunteers"][1]["id"] = data["volunteers"][0]["id"]
    data["volunteers"][2]["home"] = "arrak"  # meant "arak"
    data["camps"][0]["end"] = "1400-04-01"
    data["camps"][1]["requirements"].append(dict(data["camps"][1]["requirements"][0]))
    data["volunteers"][3]["available"] = [["1400-05-10", "1400-05-01"]]
    ids = {"v01", "arrak", "arak", data["camps"][1]["requirements"][0]["skill"]}
    text = assert_persian(refused(data), ids)
    assert "volunteers[1].id: شناسهٔ «v01» تکراری است (همچنین در volunteers[0])" in text
    assert "volunteers[2].home: «arrak» در فهرست مکان‌ها نیست (شاید منظور «arak» بود؟)" in text
    assert "camps[0].end: پایان (۱۴۰۰/۰۴/۰۱) پیش از آغاز (۱۴۰۰/۰۴/۱۰) است" in text
    assert "هر اردو برای هر مهارت یک نیاز دارد" in text and "(نخستین در requirements[0])" in text
    assert "volunteers[3].available[0]: پایانش (۱۴۰۰/۰۵/۰۱) پیش از آغازش (۱۴۰۰/۰۵/۱۰) است" in text


def test_a_scenario_file_in_persian() -> None:
    scenario, issues = scenario_from_data(
        {
            "name": "what if",
            "edits": [
                {"op": "remove_volunter", "volunteers": ["v01"]},  # meant remove_volunteers
                {
                    "op": "unavailable",
                    "volunteers": ["v99"],
                    "first": "1400-05-03",
                    "last": "1400-05-01",
                },
                {
                    "op": "unavailable",
                    "volunteers": ["v98"],
                    "first": "1400-05-01",
                    "last": "1400-05-03",
                },
                {"op": "set_rules", "rules": {"max_camp": 2}},
                "lock",
                {"op": "remove_camps", "camps": ["c1"], "camp": "c2"},  # meant "camps"
            ],
        },
        "what-if.json",
    )
    with pytest.raises(InstanceError) as caught:
        apply_edits(TINY, scenario, "what-if.json", issues)
    ops = {"remove_volunter", "remove_volunteers", "max_camp", "max_camps", "op"}
    text = error_in(caught.value, "fa")
    words = set(re.findall(r"[a-z_]+", text))  # the lists of ops and rules, as written
    text = assert_persian(caught.value, ops | words | {"v98", "v99"})
    assert (
        "edits[0].op: تغییر «remove_volunter» شناخته نیست "
        "(شاید منظور «remove_volunteers» بود؟)؛ تغییرها: " in text
    )
    assert "edits[1].last: ۱۴۰۰/۰۵/۰۱ پیش از ۱۴۰۰/۰۵/۰۳ است" in text
    assert "edits[2].volunteers[0]: «v98» در فهرست داوطلبان نیست" in text
    assert "edits[3].rules.max_camp: قاعدهٔ «max_camp» شناخته نیست" in text
    assert 'edits[4]: هر تغییر یک شیء {"op": ...} است، اما یک متن آمده است' in text
    assert (
        "edits[5].camp: کلید «camp» شناخته نیست (شاید منظور «camps» بود؟)؛ کلیدهای اینجا: " in text
    )


def test_a_problem_of_the_edited_instance_in_persian() -> None:
    base = tiny()
    base["camps"][0]["place"] = "nowhere"  # the base's own problem, shown after the edits
    scenario, issues = scenario_from_data(
        {"name": "x", "edits": [{"op": "remove_volunteers", "volunteers": ["v01"]}]}, "x.json"
    )
    with pytest.raises(InstanceError) as caught:
        apply_edits(base, scenario, "x.json", issues)
    text = assert_persian(caught.value, {"nowhere"})
    assert "camps[0].place: «nowhere» در فهرست مکان‌ها نیست (در نمونه‌ای که تغییرها می‌سازند)" in text


def test_an_attendance_history_in_persian() -> None:
    data = {
        "format": "campplanner-history/0",
        "extra": 1,
        "attendance": [
            {"volunteer": "v01", "season": "1402", "camp": "c1", "came": "yes"},
            {"volunteer": "", "season": "1402", "camp": "c1", "came": True},
            {"season": "1402", "camp": "c2", "came": True, "note": "x"},
        ],
    }
    with pytest.raises(InstanceError) as caught:
        history_from_data(data, "history.json")
    allowed = {"campplanner-history/0", "campplanner-history/1", "yes", "format", "attendance"}
    text = assert_persian(caught.value, allowed | {"note", "volunteer", "season", "camp", "came"})
    assert "attendance[0].came: باید true یا false باشد، نه «yes»" in text
    assert "attendance[1].volunteer: خالی است: هر رکورد باید آن را نام ببرد" in text
    assert "attendance[2].volunteer: نیامده است" in text
    assert "extra: فیلد ناشناخته (format، attendance، note)" in text


def test_a_file_past_the_memory_limit_in_persian(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CAMPPLANNER_MAX_MEMORY_GIB", "0.000001")
    path = tmp_path / "season.json.gz"
    path.write_bytes(gzip.compress(json.dumps(TINY).encode()))
    with pytest.raises(InstanceError) as caught:
        load_instance(path)
    text = assert_persian(caught.value)
    assert "بیش از اندازه بزرگ است: خواندن" in text and "گیگابایت حافظه می‌خواهد" in text


def test_the_report_of_many_problems_is_cut_in_persian() -> None:
    data = tiny()
    for person in data["volunteers"]:
        person["home"] = "nowhere"
    error = refused(data)
    count = len(error.issues)
    text = report_fa(error, limit=2)
    assert text.split("\n")[0] == f"season.json: {to_fa(count)} مشکل"
    assert text.split("\n")[-1] == f"  ... و {to_fa(count - 2)} مورد دیگر"


def to_fa(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


# --------------------------------------------------------------------- front ends


def test_every_command_whose_lang_is_its_output_refuses_a_bad_file_in_persian(
    tmp_path: Path,
) -> None:
    data = tiny()
    data["volunteers"][0]["skills"]["nurse"] = 7
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    solution = solved(TINY_PATH, tmp_path)
    record = tmp_path / "late.json"
    record.write_text(json.dumps([1]), encoding="utf-8")
    runs = {
        "validate": ["validate", str(bad)],
        "solve": ["solve", str(bad), "--time-limit", "1"],
        "explain": ["explain", str(bad), str(solution)],
        "fit": ["fit", str(TINY_PATH), str(solution), "--volunteer", str(record)],
    }
    for command, args in runs.items():
        english = CliRunner().invoke(main, args)
        persian = CliRunner().invoke(main, [*args, "--lang", "fa"])
        assert english.exit_code == persian.exit_code == 2, (command, persian.output)
        assert "error: " in english.output, (command, english.output)
        assert "error" not in persian.output and "خطا: " in persian.output, command
        said = persian.output.split("خطا: ", 1)[1]
        paths = (str(bad), str(record), "volunteers[0].skills.nurse", "id:")
        left = english_left(said, ALLOWED, paths)
        assert left == [], (command, left, persian.output)
    persian = CliRunner().invoke(main, [*runs["validate"], "--lang", "fa"])
    assert "volunteers[0].skills.nurse: باید دست‌بالا ۳ باشد، اما ۷ آمده است" in persian.output


def test_a_bad_uploaded_scenario_is_refused_in_the_pages_persian(tmp_path: Path) -> None:
    from web_helpers import latin_words

    (tmp_path / "s").mkdir()
    site, client = served(TINY_PATH, tmp_path, solution=solved(TINY_PATH, tmp_path / "s"))
    try:
        state = session(client)
        bad = {
            "name": "away",
            "edits": [
                {
                    "op": "unavailable",
                    "volunteers": ["v99"],
                    "first": "1400-05-01",
                    "last": "1400-13-03",
                },
                {"op": "remove_volunter", "volunteers": ["v01"]},
                {
                    "op": "unavailable",
                    "volunteers": ["v99"],
                    "first": "1400-05-01",
                    "last": "1400-05-03",
                },
            ],
        }
        answer = client.post(
            "/scenarios",
            data={"csrf": state["csrf"]},
            files={"files": ("away.json", json.dumps(bad).encode(), "application/json")},
        )
        assert answer.status_code == 400
        page = answer.text
        assert str(site.scratch) not in page  # no path of the server's disk
        assert "\u2068edits[0].last\u2069: ۱۴۰۰/۱۳/۰۳ روزی از تقویم خورشیدی نیست" in page
        assert "تغییر «\u2068remove_volunter\u2069» شناخته نیست" in page
        assert (
            "\u2068edits[2].volunteers[0]\u2069: «\u2068v99\u2069» در فهرست داوطلبان نیست" in page
        )
        ops = set(re.findall(r"[a-z_]+", page.split("تغییرها:")[1].split("<")[0]))
        allowed = {"edits", "last", "op", "volunteers", "v99", "remove_volunter"}
        assert latin_words(page, allowed | ops | {"remove_volunteers"}) == []
        # a script asking the API in English reads the English, as before
        answer = client.post(
            "/api/scenarios",
            files={"files": ("away.json", json.dumps(bad).encode(), "application/json")},
            headers={"X-CSRF-Token": state["csrf"]},
        )
        assert answer.status_code == 400
        assert "unknown volunteer 'v99'" in answer.json()["error"]
    finally:
        site.close()


def test_the_pages_other_refusals_of_uploads_and_solves_in_persian(tmp_path: Path) -> None:
    """Too many scenario files at once, accepting or discarding a solve that is not
    there: refused in the page's Persian (a stale tab's buttons), in English to a script."""
    from campplanner.app.review.comparisons import MAX_SCENARIOS
    from web_helpers import latin_words

    (tmp_path / "s").mkdir()
    site, client = served(TINY_PATH, tmp_path, solution=solved(TINY_PATH, tmp_path / "s"))
    try:
        state = session(client)
        scenario = json.dumps({"name": "none", "edits": []}).encode()
        files = [("files", (f"s{k}.json", scenario, "application/json")) for k in range(7)]
        answer = client.post("/scenarios", data={"csrf": state["csrf"]}, files=files)
        assert answer.status_code == 400
        assert MAX_SCENARIOS == 6 and "دست‌بالا ۶ پروندهٔ سناریو" in answer.text
        assert latin_words(answer.text, set()) == []
        for action in ("accept", "discard"):
            form = {"csrf": state["csrf"], "rev": state["rev"]}
            answer = client.post(f"/jobs/j404/{action}", data=form)
            assert answer.status_code == 400, action
            said = "هنوز تمام نشده" if action == "accept" else "چنین حلی نیست"
            assert said in answer.text, action
            assert latin_words(answer.text, set()) == [], action
        answer = client.post("/api/jobs/j404/discard", headers={"X-CSRF-Token": state["csrf"]})
        assert answer.json()["error"] == "no such solve"
        # a date the planner is still typing in the camps' filter, said in Persian
        answer = client.get("/camps", params={"from": "1403/13/01", "page": "x"})
        assert answer.status_code == 400
        assert "از: \u20681403/13/01\u2069 تاریخ نیست" in answer.text
        assert "صفحه: \u2068x\u2069 شمارهٔ صفحه نیست" in answer.text
        assert latin_words(answer.text, {"x", "c1", "c2", "c3", "c4"}) == []  # camp ids
    finally:
        site.close()
