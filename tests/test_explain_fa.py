"""``explain`` and ``validate`` under ``--lang fa`` (issue 25): every line Persian.

A Persian answer carries no English word: headings, table headers, summary lines and
the reasons are all Persian, numbers in Persian digits and separators; what stays in
Latin letters is only what a planner types back (ids, the files' paths, the command's
name, a rule's id). ``english_left`` finds anything else.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from rich.console import Console

from builders import (
    TINY_PATH,
    camp,
    make_instance,
    one_physician_two_camps,
    requirement,
    volunteer,
    write_instance,
)
from campplanner.cli import commands, main

COMMAND = {"campplanner", "explain", "campplanner/1"}
RULE_IDS = {f"H{n}" for n in range(1, 11)}
SKILLS = [
    {"id": "physician", "name": "پزشک"},
    {"id": "nurse", "name": "پرستار"},
    {"id": "mason", "name": "بنا"},
]


def english_left(text: str, allowed: set[str], paths: tuple[str, ...] = ()) -> list[str]:
    """The Latin words and ASCII numbers of ``text`` that are not in ``allowed`` (ids,
    the command) once the ``paths`` are taken out: none in a Persian answer."""
    for path in paths:
        text = text.replace(path, " ")
    tokens = re.findall(r"[A-Za-z0-9][A-Za-z0-9_\-./]*", text)
    return sorted({t for t in (t.rstrip(".-/") for t in tokens) if t not in allowed})


def ids_of(data: dict[str, Any]) -> set[str]:
    """Every id an instance file names (planners type them back: they stay as written)."""
    found = {
        item["id"]
        for key in ("skills", "places", "groups", "volunteers", "camps")
        for item in data.get(key, [])
    }
    return found | COMMAND | RULE_IDS


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command's console wide enough that no id is cut across two lines."""
    monkeypatch.setattr(commands.stdout, "_width", 400)


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _two_camps() -> dict[str, Any]:
    """B cancelled, and running it would stop A (builders); C a slot short."""
    short = camp("C", requirements=[requirement("nurse", count=3)])
    return one_physician_two_camps(SKILLS, more_camps=(short,))


def _solved(tmp_path: Path, data: dict[str, Any]) -> tuple[Path, Path]:
    instance = write_instance(tmp_path / "instance.json", data)
    solution = tmp_path / "solution.json"
    ran = invoke("solve", str(instance), "-q", "--work-limit", "5", "-o", str(solution))
    assert ran.exit_code == 0, ran.output
    return instance, solution


@pytest.mark.usefixtures("wide")
def test_explain_in_persian_says_every_line_in_persian(tmp_path: Path) -> None:
    data = _two_camps()
    instance, solution = _solved(tmp_path, data)
    allowed = ids_of(data)
    for extra in ((), ("--camp", "B"), ("--camp", "A"), ("--volunteer", "p1")):
        persian = invoke("explain", str(instance), str(solution), "--lang", "fa", *extra)
        assert persian.exit_code == 0, persian.output
        text = persian.output
        assert english_left(text, allowed, (str(solution),)) == [], (extra, text)
    whole = invoke("explain", str(instance), str(solution), "--lang", "fa").output
    assert "اردوهای لغوشده (۲)" in whole and "هدف به تفکیک اردو" in whole
    assert "B  B لغو شد" in whole  # the camp's id and name, then the word
    assert "پزشک" in whole  # the skill by its name, as the reasons say it
    assert "وضعیت بهینه" in whole
    camp_b = invoke("explain", str(instance), str(solution), "--lang", "fa", "--camp", "B").output
    assert "برای برپایی این اردو:" in camp_b and "این اردو لغو می‌شود" in camp_b
    # the same answer in English still reads as it did
    english = invoke("explain", str(instance), str(solution), "--camp", "B").output
    assert "To run it:" in english and "CANCELLED" in english and "stops running" in english


@pytest.mark.usefixtures("wide")
def test_explain_in_persian_of_the_shipped_example(tmp_path: Path) -> None:
    """tiny.json (Persian names): the whole answer, a camp, a volunteer."""
    data = json.loads(TINY_PATH.read_text(encoding="utf-8"))
    _, solution = _solved(tmp_path, data)
    allowed = ids_of(data)
    for extra in ((), ("--camp", "c2"), ("--volunteer", "v04")):
        ran = invoke("explain", str(TINY_PATH), str(solution), "--lang", "fa", *extra)
        assert ran.exit_code == 0, ran.output
        assert english_left(ran.output, allowed, (str(solution),)) == [], (extra, ran.output)
    whole = invoke("explain", str(TINY_PATH), str(solution), "--lang", "fa").output
    assert "جمع" in whole and "۱٬۱" in whole  # road km in Persian digits and separators


def test_solve_says_its_short_reasons_in_the_language_of_the_explanation() -> None:
    from builders import compile_data
    from campplanner.cli.explain_view import print_short_explanation
    from campplanner.explain import explain_roster
    from campplanner.solver import CpSatSolver, SolveOptions

    data = _two_camps()
    problem = compile_data(data)
    result = CpSatSolver(problem, SolveOptions(time_limit=10, secondary=False)).solve()
    said = {}
    for lang in ("fa", "en"):
        console = Console(record=True, width=400)
        explanation = explain_roster(problem, result.assigned, result.status, lang)
        print_short_explanation(console, problem, explanation)
        said[lang] = console.export_text()
    assert english_left(said["fa"], ids_of(data)) == [], said["fa"]
    assert "لغو B  B — پزشک: " in said["fa"] and "campplanner explain" in said["fa"]
    assert "Cancelled B  B - پزشک (physician): " in said["en"]
    assert "Run `campplanner explain INSTANCE SOLUTION` for the evidence." in said["en"]


def _unrunnable() -> dict[str, Any]:
    """Every table and list of ``validate``: a camp whose essential role cannot be
    filled, one with fewer beds than essential slots, one no one can staff, and a
    volunteer who can serve nowhere."""
    return make_instance(
        skills=SKILLS,
        volunteers=[
            volunteer("n1"),
            volunteer("p1", skills={"physician": 1}),
            volunteer("m1", skills={"mason": 1}, gender="m"),
        ],
        camps=[
            camp("A", requirements=[requirement("nurse", count=2, essential=True)]),
            camp("B", capacity=1, requirements=[requirement("physician", 2, essential=True)]),
            camp("C", requirements=[requirement("mason")], gender="f"),
        ],
    )


@pytest.mark.usefixtures("wide")
def test_validate_in_persian_says_every_line_in_persian(tmp_path: Path) -> None:
    for number, data in enumerate((_unrunnable(), json.loads(TINY_PATH.read_text("utf-8")))):
        path = write_instance(tmp_path / f"i{number}.json", data)
        persian = invoke("validate", str(path), "--lang", "fa")
        assert persian.exit_code == 0, persian.output
        assert english_left(persian.output, ids_of(data), (str(path),)) == [], persian.output
    text = invoke("validate", str(tmp_path / "i0.json"), "--lang", "fa").output
    assert "نقش ضروری پرستار: ۱ داوطلب ممکن برای ۲ جا" in text
    assert "B (۱ تخت، ۲ جای ضروری)" in text
    assert "اردوهایی که کسی نمی‌تواند در آن‌ها خدمت کند: C" in text
    assert "داوطلبانی که هیچ جا نمی‌توانند خدمت کنند (۱): m1" in text
    english = invoke("validate", str(tmp_path / "i0.json")).output
    assert "essential nurse: 1 possible volunteer(s) for 2 slot(s)" in english
    assert "Counts" in english and "B (1 beds < 2)" in english


def test_a_view_that_lacks_a_line_is_refused_naming_it() -> None:
    from campplanner.explain.languages import VIEWS, WORDS
    from campplanner.explain.words import VIEW_KEYS

    for lang, view in VIEWS.items():
        assert set(view) == set(VIEW_KEYS), lang
        assert WORDS[lang].missing_view(view) == [], lang
    lacking = {k: v for k, v in VIEWS["fa"].items() if k != "head"}
    lacking["total"] = "{n:no_such_choice}"
    gaps = WORDS["fa"].missing_view(lacking)
    assert "the line 'head'" in gaps and any("'no_such_choice'" in g for g in gaps), gaps


@pytest.mark.usefixtures("wide")
def test_solve_in_persian_says_its_rosters_and_summaries_in_persian(tmp_path: Path) -> None:
    """The rosters, the per-county summary, the worst camps, the summary and the
    reasons in short (stdout; the progress on stderr is the solver's own)."""
    data = json.loads(TINY_PATH.read_text(encoding="utf-8"))
    solution = tmp_path / "fa.json"
    command = ["solve", str(TINY_PATH), "--work-limit", "5", "--lang", "fa", "-o", str(solution)]
    for extra in ((), ("--summary",)):
        ran = CliRunner().invoke(main, [*command, "--force", *extra])
        assert ran.exit_code == 0, ran.output
        # "explain --camp ID": the command a planner types next, as it is typed
        allowed = ids_of(data) | {"camp", "ID", "full", "o", "SOLUTION.json"}
        left = english_left(ran.stdout, allowed, (str(solution), str(TINY_PATH)))
        assert left == [], (extra, ran.stdout)
    full = CliRunner().invoke(main, [*command, "--force"]).stdout
    assert "۱۴۰۰/۰۴/۱۰ تا ۱۴۰۰/۰۴/۱۴" in full and "۱ جای خالی" in full
    assert "جاهای پرشده به تفکیک مهارت" in full and f"برنامه در {solution} نوشته شد" in full
    summary = CliRunner().invoke(main, [*command, "--force", "--summary"]).stdout
    assert "به تفکیک شهرستان" in summary and "اردویی که بیشترین پوشش را از دست می‌دهند" in summary


@pytest.mark.usefixtures("wide")
def test_a_replan_in_persian_says_whom_to_call_in_persian(tmp_path: Path) -> None:
    from campplanner.cli.solve_view import print_replan
    from campplanner.contract.instance import load_instance
    from campplanner.model.compile import compile_instance

    data = json.loads(TINY_PATH.read_text(encoding="utf-8"))
    published = tmp_path / "published.json"
    replanned = tmp_path / "replanned.json"
    first = ["solve", str(TINY_PATH), "-q", "--work-limit", "5", "-o", str(published)]
    assert invoke(*first).exit_code == 0
    again = ["solve", str(TINY_PATH), "-q", "--work-limit", "5", "--lang", "fa"]
    ran = CliRunner().invoke(main, [*again, "--baseline", str(published), "-o", str(replanned)])
    assert ran.exit_code == 0, ran.output
    assert "تغییرها نسبت به برنامهٔ منتشرشده: ۰ گمارش، ۰ نفر برای تماس؛" in ran.stdout
    paths = (str(published), str(replanned), str(TINY_PATH))
    assert english_left(ran.stdout, ids_of(data), paths) == [], ran.stdout
    # the table of whom to call, its kinds of change and its claim
    problem = compile_instance(load_instance(str(TINY_PATH)))
    replan = {
        "changed_assignments": 2,
        "people_changed": 2,
        "changes_lower_bound": 1,
        "no_longer_possible": [],
        "added": [{"volunteer": "v08", "to": [["c2", "mason"]]}],
        "removed": [],
        "moved": [{"volunteer": "v04", "from": [["c4", "mason"]], "to": [["c2", "mason"]]}],
    }
    said = {}
    for lang in ("fa", "en"):
        console = Console(record=True, width=400)
        print_replan(console, problem, replan, lang)
        said[lang] = console.export_text()
    assert english_left(said["fa"], ids_of(data)) == [], said["fa"]
    assert "دست‌کم ۱ لازم است" in said["fa"] and "جابه‌جا" in said["fa"]
    assert "at least 1 needed" in said["en"] and "moved" in said["en"]


def _locked_wrongly() -> dict[str, Any]:
    """Two locks that can never hold: n1 has no physician's skill (H1), and camp C has no
    slot for a physician."""
    data = _two_camps()
    data["locked"] = [
        {"volunteer": "n1", "camp": "A", "skill": "physician"},
        {"volunteer": "p1", "camp": "C", "skill": "physician"},
    ]
    return data


@pytest.mark.usefixtures("wide")
def test_locks_that_can_never_hold_are_said_in_persian(tmp_path: Path) -> None:
    """validate, solve and explain of an infeasible file: why each lock fails, in
    Persian, with the ids as written and the numbers in Persian digits."""
    data = _locked_wrongly()
    instance = write_instance(tmp_path / "instance.json", data)
    solution = tmp_path / "solution.json"
    # the checker's warnings name the lock by its JSON path, as the file writes it
    allowed, paths = ids_of(data), (str(instance), str(solution), "locked[1]")
    said = {}
    for command in (
        ["validate", str(instance)],
        ["solve", str(instance), "--work-limit", "5", "-o", str(solution)],
        ["explain", str(instance), str(solution)],
    ):
        ran = invoke(*command, "--lang", "fa")
        assert english_left(ran.stdout, allowed, paths) == [], (command, ran.stdout)
        said[command[0]] = ran.stdout
        english = invoke(*command).stdout
        assert "locked[0]: H1: n1 does not have physician, camp A needs level 1" in english
        assert "locked[1]: camp C has no slot for physician" in english
    for text in said.values():
        assert "قفل شمارهٔ ۰: H1: n1 مهارت physician را ندارد و اردوی A سطح ۱ می‌خواهد" in text
        assert "قفل شمارهٔ ۱: اردوی C جایی برای physician ندارد" in text


@pytest.mark.usefixtures("wide")
def test_a_replan_says_in_persian_why_a_published_assignment_is_no_longer_possible(
    tmp_path: Path,
) -> None:
    data = _two_camps()
    published = tmp_path / "published.json"
    instance = write_instance(tmp_path / "instance.json", data)
    ran = invoke("solve", str(instance), "-q", "--work-limit", "5", "-o", str(published))
    assert ran.exit_code == 0, ran.output
    # the physician is no longer free: every assignment of theirs is gone
    data["volunteers"][0]["available"] = []
    changed = write_instance(tmp_path / "changed.json", data)
    replanned = tmp_path / "replanned.json"
    again = ["solve", str(changed), "--work-limit", "5", "--baseline", str(published)]
    ran = invoke(*again, "-o", str(replanned), "--lang", "fa")
    assert ran.exit_code == 0, ran.output
    paths = (str(published), str(replanned), str(changed))
    assert english_left(ran.stdout, ids_of(data), paths) == [], ran.stdout
    assert "دیگر ممکن نیست p1 p1 در A: H2: p1 همهٔ روزهای اردوی A آزاد نیست" in ran.stdout
    english = invoke(*again, "-o", str(replanned), "--force").stdout
    assert "no longer possible p1 p1 in A: H2: p1 is not available for all the days of camp A" in (
        english
    )


@pytest.mark.usefixtures("wide")
def test_a_replan_says_in_persian_that_a_person_camp_or_role_is_gone(tmp_path: Path) -> None:
    """A published assignment whose volunteer, camp or role the file no longer has
    (model.baseline): each said in Persian, ids as written; English as it was."""
    nurse_camp = camp("C", requirements=[requirement("nurse")])
    mason_camp = camp("D", requirements=[requirement("mason")])
    data = one_physician_two_camps(
        SKILLS,
        volunteer("n3"),
        volunteer("m1", skills={"mason": 1}),
        more_camps=(nurse_camp, mason_camp),
    )
    published = tmp_path / "published.json"
    instance = write_instance(tmp_path / "instance.json", data)
    ran = invoke("solve", str(instance), "-q", "--work-limit", "5", "-o", str(published))
    assert ran.exit_code == 0, ran.output
    roster = json.loads(published.read_text(encoding="utf-8"))["assignments"]
    at = {(a["camp"], a["skill"]): a["volunteer"] for a in roster}
    # A runs with p1 and two of the three nurses, C with the third, D with m1 (the
    # optimum of builders' camps); then C's nurse is asked no more, D is gone, and one
    # of A's nurses leaves the file
    in_c = at["C", "nurse"]
    leaving = next(a["volunteer"] for a in roster if a["camp"] == "A" and a["skill"] == "nurse")
    data["volunteers"] = [v for v in data["volunteers"] if v["id"] != leaving]
    data["camps"] = [c for c in data["camps"] if c["id"] != "D"]
    data["camps"][2]["requirements"] = [requirement("mason")]
    changed = write_instance(tmp_path / "changed.json", data)
    replanned = tmp_path / "replanned.json"
    again = ["solve", str(changed), "--work-limit", "5", "--baseline", str(published)]
    ran = invoke(*again, "-o", str(replanned), "--lang", "fa")
    assert ran.exit_code == 0, ran.output
    paths = (str(published), str(replanned), str(changed))
    assert english_left(ran.stdout, ids_of(data) | {leaving, "D"}, paths) == [], ran.stdout
    assert f"دیگر ممکن نیست {leaving} در A: {leaving} دیگر در پرونده نیست" in ran.stdout
    assert "دیگر ممکن نیست m1 m1 در D: اردوی D دیگر در پرونده نیست" in ran.stdout
    assert f"دیگر ممکن نیست {in_c} {in_c} در C: اردوی C دیگر nurse نمی‌خواهد" in ran.stdout
    english = invoke(*again, "-o", str(replanned), "--force").stdout
    assert f"no longer possible {leaving} in A: {leaving} is no longer in the instance" in english
    assert "no longer possible m1 m1 in D: camp D is no longer in the instance" in english
    assert f"no longer possible {in_c} {in_c} in C: camp C no longer asks for nurse" in english
    # the solution file keeps the English sentence, as it did
    written = json.loads(replanned.read_text(encoding="utf-8"))["replan"]["no_longer_possible"]
    assert {e["why"] for e in written} == {
        f"{leaving} is no longer in the instance",
        "camp D is no longer in the instance",
        "camp C no longer asks for nurse",
    }


@pytest.mark.usefixtures("wide")
def test_locks_that_contradict_are_said_in_persian(tmp_path: Path) -> None:
    """p1 locked into A and B, on the same days (H4): solve and explain name the locks
    and the rule in Persian."""
    data = _two_camps()
    data["locked"] = [
        {"volunteer": "p1", "camp": "A", "skill": "physician"},
        {"volunteer": "p1", "camp": "B", "skill": "physician"},
    ]
    instance = write_instance(tmp_path / "instance.json", data)
    solution = tmp_path / "solution.json"
    paths = (str(instance), str(solution))
    for command in (
        ["solve", str(instance), "--work-limit", "5", "-o", str(solution)],
        ["explain", str(instance), str(solution)],
    ):
        ran = invoke(*command, "--lang", "fa")
        assert english_left(ran.stdout, ids_of(data), paths) == [], (command, ran.stdout)
        assert "H4: p1 در اردوهایی قفل شده که هم‌پوشانی دارند" in ran.stdout
        assert "قفل شمارهٔ ۱: p1 در نقش physician در B" in ran.stdout
        english = invoke(*command).stdout
        assert "H4: p1 is locked into camps that overlap" in english
        assert "locked[1]: p1 as physician in B" in english


def test_every_kind_of_lock_reason_has_a_persian_sentence() -> None:
    """Each kind of model.rules.Why, with ids and numbers as facts: Persian words,
    the ids as written, numbers and days in Persian digits; English its own sentence."""
    from campplanner.contract.why import WHY_ENGLISH, Why
    from campplanner.explain.words_fa import PERSIAN

    facts = {
        "who": "v01",
        "skill": "mason",
        "camp": "c02",
        "until": "1403-04-06",
        "ends": "1403-04-09",
        "first": "1403-04-01",
        "last": "1403-04-09",
        "level": 1,
        "needed": 2,
        "km": 120.4,
        "limit": 50.0,
        "index": 3,
        "n": 2,
        "rest": 1,
        "count": 1,
        "capacity": 4,
        "camps": "c02",
        "rule": "H4",
        "summary": Why("overlap", who="v01"),
        "why": Why("dates", who="v01", camp="c02"),
        # the notes of a re-plan: the file's path, counts, places (role_in, places)
        "path": "published.json",
        "volunteers": 1200,
        "camps_changed": 2,
        "camps_frozen": 3,
        "confirmed": 1,
        "to": Why("places", one=Why("role_in", skill="mason", camp="c02"), others=Why("no_camp")),
        "one": Why("role_in", skill="mason", camp="c02"),
        "others": Why("no_camp"),
    }
    allowed = {"v01", "mason", "c02", "published.json", *RULE_IDS}
    for kind, template in WHY_ENGLISH.items():
        why = Why(kind, **{k: v for k, v in facts.items() if "{" + k in template})
        assert english_left(PERSIAN.why(why), allowed) == [], (kind, PERSIAN.why(why))
        assert why == template.format(**why.facts)
    changed = Why("instance_changed", path="p.json", volunteers=1200, camps_changed=2)
    assert PERSIAN.why(changed) == (
        "p.json: پرونده از زمان این برنامه تغییر کرده است: ۱٬۲۰۰ داوطلب و ۲ اردو فرق دارند "
        "(افزوده، برداشته یا ویرایش‌شده)"
    )
    assert changed == (
        "p.json: instance changed since this roster: 1,200 volunteer(s) and 2 camp(s) differ "
        "(added, removed or edited)"
    )
    distance = Why("distance", who="v01", camp="c02", km=120.4, limit=50.0)
    assert (
        PERSIAN.why(distance) == "H8: اردوی c02 ۱۲۰ کیلومتر جاده‌ای از خانهٔ v01 دور است، بیش از ۵۰"
    )
