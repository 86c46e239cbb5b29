"""Every reason and fix of ``explain`` in every language: one case per cause.

The cases are the micro-instances of test_explain.py (camp ``c1`` 2021-07-01..05, a
leader ``L`` who fills its first slot, a nurse slot empty for one reason), asked again
in each language of ``explain.languages.WORDS``. The Persian texts must carry no Latin
letter or ASCII digit apart from the ids the file itself writes (planners type those
back) and the two option names they mention, and write dates as ``۲۰۲۱/۰۷/۰۱``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from builders import camp, compile_data, make_instance, requirement, volunteer
from campplanner.explain import CAUSES, LANGUAGES, WORDS, explain_roster, roster_from_assignments
from campplanner.model.problem import Problem
from campplanner.solver import CpSatSolver, SolveOptions
from test_solver_properties import instances as random_instances
from web_helpers import latin_words

LEADER = volunteer("L", skills={"leader": 1})
TWO_ROLES = [requirement("leader"), requirement("nurse")]
ESSENTIALS = [requirement("leader", essential=True), requirement("nurse", essential=True)]


def nurse_case(nurse: dict[str, Any] | None, **fields: Any) -> dict[str, Any]:
    volunteers = [LEADER] + ([nurse] if nurse else [])
    camps = fields.pop("camps", [camp("c1", requirements=TWO_ROLES, **fields.pop("camp", {}))])
    return make_instance(volunteers=volunteers, camps=camps, **fields)


def _level() -> dict[str, Any]:
    data = nurse_case(volunteer("v2", skills={"nurse": 1}))
    data["camps"][0]["requirements"][1]["level"] = 2
    return data


def _optimal(problem: Problem) -> np.ndarray:
    result = CpSatSolver(problem, SolveOptions(time_limit=10, secondary=False)).solve()
    assert result.status == "optimal"
    return result.assigned


def _leader_only(problem: Problem) -> np.ndarray:
    return roster_from_assignments(problem, [("L", "c1", "leader")])


def _nobody(problem: Problem) -> np.ndarray:
    return np.zeros(0, np.int64)


Roster = Callable[[Problem], np.ndarray]
# cause -> (instance, roster, status): the slot causes, then the cancelled camps' causes.
SLOT_CASES: dict[str, tuple[dict[str, Any], Roster, str]] = {
    "no_skill": (nurse_case(volunteer("v2", skills={"mason": 3})), _optimal, "optimal"),
    "level": (_level(), _optimal, "optimal"),
    "dates": (
        nurse_case(volunteer("v2", available=[["2021-07-03", "2021-07-20"]])),
        _optimal,
        "optimal",
    ),
    "gender": (
        make_instance(
            volunteers=[
                volunteer("L", skills={"leader": 1}, gender="f"),
                volunteer("v2", gender="m"),
            ],
            camps=[camp("c1", requirements=TWO_ROLES, gender="f")],
        ),
        _optimal,
        "optimal",
    ),
    "distance": (nurse_case(volunteer("v2", max_km=5)), _optimal, "optimal"),
    "forbidden": (
        nurse_case(volunteer("v2"), forbidden=[{"volunteer": "v2", "camp": "c1"}]),
        _optimal,
        "optimal",
    ),
    "no_camps": (nurse_case(volunteer("v2", max_camps=0)), _optimal, "optimal"),
    "busy": (
        nurse_case(
            volunteer("v2", max_camps=3),
            rules={"rest_days": 2},
            camps=[
                camp("c0", priority=5, start="2021-06-25", end="2021-06-29"),
                camp("c1", requirements=TWO_ROLES),
            ],
        ),
        _optimal,
        "optimal",
    ),
    "beds": (nurse_case(volunteer("v2"), camp={"capacity": 1}), _optimal, "optimal"),
    "improvable": (nurse_case(volunteer("v2")), _leader_only, "feasible"),
}
CAMP_CASES: dict[str, tuple[dict[str, Any], Roster, str]] = {
    "essential": (
        make_instance(
            volunteers=[volunteer("v2")],
            camps=[camp("c1", requirements=[requirement("leader", essential=True), requirement()])],
        ),
        _optimal,
        "optimal",
    ),
    "nobody": (
        make_instance(volunteers=[volunteer("v1")], camps=[camp("c0", priority=5), camp("c1")]),
        _optimal,
        "optimal",
    ),
    "beds": (
        make_instance(
            volunteers=[LEADER, volunteer("v2")],
            camps=[camp("c1", capacity=1, requirements=ESSENTIALS)],
        ),
        _optimal,
        "optimal",
    ),
    "shared": (
        make_instance(
            volunteers=[volunteer("v1", skills={"leader": 1, "nurse": 1})],
            camps=[camp("c1", requirements=ESSENTIALS)],
        ),
        _optimal,
        "optimal",
    ),
    "improvable": (make_instance(volunteers=[volunteer("v1")]), _nobody, "feasible"),
}
# What a Persian text may hold in Latin script: the file's ids and names.
ALLOWED = ("H3",)


def _texts(
    case: tuple[dict[str, Any], Roster, str], lang: str, slot: bool
) -> tuple[Problem, str, str, str]:
    data, roster, status = case
    problem = compile_data(data)
    explanation = explain_roster(problem, roster(problem), status, lang=lang)
    if slot:
        (reason,) = explanation.slots
        return problem, reason.cause, reason.why, reason.fix
    (camp_reason,) = [c for c in explanation.cancelled if problem.camp_ids[c.camp] == "c1"]
    return problem, camp_reason.cause, camp_reason.why, camp_reason.fix


def _assert_persian(problem: Problem, text: str) -> None:
    assert re.search("[\u0600-\u06ff]", text), text
    latin = text
    names = [
        *problem.volunteer_ids,
        *problem.volunteer_names,
        *problem.camp_ids,
        *problem.camp_names,
        *problem.skill_ids,
        *problem.skill_names,
        *problem.place_names,
        *ALLOWED,
    ]
    for name in sorted(names, key=len, reverse=True):
        latin = latin.replace(name, "")
    assert not re.search("[A-Za-z0-9]", latin), f"Latin text left in: {latin!r} of {text!r}"
    assert not re.search(r"[۰-۹]-[۰-۹]", text), f"a date with hyphens: {text!r}"


def test_every_language_words_every_cause() -> None:
    for lang, words in WORDS.items():
        assert set(words.causes) == set(CAUSES), lang
        assert set(words.slot_why) == set(SLOT_CASES), lang
        assert set(words.camp_why) == set(CAMP_CASES), lang
    assert {"fa", "en"} <= set(LANGUAGES)


@pytest.mark.parametrize("cause", list(SLOT_CASES))
def test_every_slot_reason_in_both_languages(cause: str) -> None:
    problem, found, why_en, fix_en = _texts(SLOT_CASES[cause], "en", slot=True)
    assert found == cause
    _, found_fa, why_fa, fix_fa = _texts(SLOT_CASES[cause], "fa", slot=True)
    assert found_fa == cause
    assert why_en and fix_en and why_en != why_fa and fix_en != fix_fa
    _assert_persian(problem, why_fa)
    _assert_persian(problem, fix_fa)
    if cause not in ("beds", "improvable"):  # the base fix names the camp's dates
        assert "آزاد از ۲۰۲۱/۰۷/۰۱ تا ۲۰۲۱/۰۷/۰۵" in fix_fa


@pytest.mark.parametrize("cause", list(CAMP_CASES))
def test_every_cancelled_camp_reason_in_both_languages(cause: str) -> None:
    problem, found, why_en, fix_en = _texts(CAMP_CASES[cause], "en", slot=False)
    assert found == cause
    _, found_fa, why_fa, fix_fa = _texts(CAMP_CASES[cause], "fa", slot=False)
    assert found_fa == cause
    assert why_en != why_fa and fix_en != fix_fa
    _assert_persian(problem, why_fa)
    _assert_persian(problem, fix_fa)


PERSIAN_SKILLS = {"leader": "سرپرست اردو", "nurse": "پرستار", "mason": "بنا"}


@pytest.mark.parametrize(
    "kind, cause", [("slot", c) for c in SLOT_CASES] + [("camp", c) for c in CAMP_CASES]
)
def test_persian_reasons_name_skills_by_their_persian_names_not_their_ids(
    kind: str, cause: str
) -> None:
    """A Persian page shows no English word but the ids of people and camps (issue 25):
    every reason of every kind, its why and its fix, names a skill by the file's
    (Persian) name, never by its id (``nurse``, ``mason``), nor by a field or option
    name of the file or the command line."""
    data, roster, status = copy.deepcopy((SLOT_CASES if kind == "slot" else CAMP_CASES)[cause])
    data["skills"] = [{"id": s["id"], "name": PERSIAN_SKILLS[s["id"]]} for s in data["skills"]]
    problem = compile_data(data)
    said = explain_roster(problem, roster(problem), status, lang="fa")
    reasons = [*said.slots, *said.cancelled]
    assert reasons and cause in {r.cause for r in reasons}
    people_and_camps = {*problem.volunteer_ids, *problem.camp_ids, *problem.place_names}
    for reason in reasons:
        text = f"{reason.why} {reason.fix}"
        assert latin_words(text, people_and_camps | set(ALLOWED)) == [], text
        if kind == "slot":  # an empty slot's reason names its role
            assert any(name in text for name in PERSIAN_SKILLS.values()), text


def test_persian_words_say_the_numbers_in_persian() -> None:
    _, _, why, fix = _texts(SLOT_CASES["distance"], "fa", slot=True)
    assert "حداکثر ۵ کیلومتر" in why
    assert fix.startswith("۱ نفر دیگر با مهارت nurse، آزاد از ۲۰۲۱/۰۷/۰۱ تا ۲۰۲۱/۰۷/۰۵")
    assert "؛ یا v2 بپذیرد تا" in fix
    _, _, why, _ = _texts(SLOT_CASES["busy"], "fa", slot=True)
    assert "c0 در نقش nurse (اولویت ۵، ۱ روز استراحت میان دو اردو، ۲ روز لازم است)" in why


def test_the_command_line_offers_every_language() -> None:
    from campplanner.cli import commands as cli

    assert set(cli.LANGUAGES) == set(LANGUAGES)
    (option,) = cli.lang_option("fa", "")(lambda: None).__click_params__
    assert tuple(option.type.choices) == LANGUAGES


def test_solve_and_export_speak_the_language_asked(tmp_path: Any) -> None:
    from click.testing import CliRunner

    from builders import TINY_PATH
    from campplanner.cli import main

    runner = CliRunner()
    solution = tmp_path / "fa.json"
    # The tiny file is solved to optimality in a second; the limit only has to leave time
    # to explain on a loaded machine (solve skips the reasons when they would not fit).
    ran = runner.invoke(
        main,
        ["solve", str(TINY_PATH), "-q", "--time-limit", "120", "--lang", "fa", "-o", str(solution)],
    )
    assert ran.exit_code == 0, ran.output
    import json

    (slot,) = json.loads(solution.read_text(encoding="utf-8"))["unfilled_slots"]
    assert re.search("[\u0600-\u06ff]", slot["why"]) and slot["reason"] == "busy"
    for lang, says in (("fa", WORDS["fa"].causes["busy"]), ("en", CAUSES["busy"])):
        folder = tmp_path / lang
        ran = runner.invoke(
            main, ["export", str(TINY_PATH), str(solution), "--lang", lang, "--csv", str(folder)]
        )
        assert ran.exit_code == 0, ran.output
        unfilled = (folder / "unfilled_slots.csv").read_text(encoding="utf-8-sig")
        assert says in unfilled
    ran = runner.invoke(main, ["explain", str(TINY_PATH), str(solution), "--lang", "fa"])
    squeezed = "".join(ran.output.split())  # the terminal wraps long lines
    assert ran.exit_code == 0 and "".join(WORDS["fa"].causes["busy"].split()) in squeezed


@pytest.mark.parametrize(
    "case", [*(("slot", c) for c in SLOT_CASES), *(("camp", c) for c in CAMP_CASES)]
)
def test_one_camp_explained_alone_says_what_the_whole_roster_says(case: tuple[str, str]) -> None:
    """explain_camp (a review page's camp, explained when opened) gives the very reasons
    explain_roster gives for that camp, in every language."""
    from campplanner.explain import Context, explain_camp

    data, roster, status = (SLOT_CASES if case[0] == "slot" else CAMP_CASES)[case[1]]
    problem = compile_data(data)
    assigned = roster(problem)
    for lang in LANGUAGES:
        whole = explain_roster(problem, assigned, status, lang=lang)
        ctx = Context(problem, assigned, status)
        for c in range(problem.num_camps):
            slots, cancelled = explain_camp(ctx, c, lang)
            assert slots == tuple(s for s in whole.slots if s.camp == c), (lang, c)
            assert cancelled == next((r for r in whole.cancelled if r.camp == c), None)


# --------------------------------------------------------- a language is templates


def test_a_third_language_from_templates_alone_words_every_cause(monkeypatch: Any) -> None:
    """tests/toy_words.py is a language written as sentences only; listed beside fa and
    en, every cause of a slot and of a cancelled camp is worded in it, with its numbers
    in its own digits and its dates with its own separator, and an explanation said in
    it from the facts already worked out is the one worked out in it."""
    from campplanner.explain import languages
    from toy_words import TELEGRAPH

    monkeypatch.setitem(languages.WORDS, "xx", TELEGRAPH)
    for cause, case in SLOT_CASES.items():
        problem, found, why, fix = _texts(case, "xx", slot=True)
        assert found == cause
        assert re.match("(nurse|leader)/[０-９]", why), why
        ids = "|".join(sorted((*problem.volunteer_ids, *problem.camp_ids), key=len, reverse=True))
        ids += "|H[0-9]+"  # the rules' ids
        for text in (why, fix):  # every number in the language's digits, ids as written
            assert not re.search("[0-9]", re.sub(ids, "", text)), text
        if cause not in ("beds", "improvable"):
            assert "２０２１.０７.０１ TO ２０２１.０７.０５" in fix, fix
    for cause, case in CAMP_CASES.items():
        _, found, why, fix = _texts(case, "xx", slot=False)
        assert found == cause and why and fix
    _, _, why, fix = _texts(SLOT_CASES["distance"], "xx", slot=True)
    assert why == "nurse/１ COULD １ STOP WILL TRAVEL ０ STOP v2 ２８/５KM", why
    assert fix.endswith(" STOP OR v2 TRAVELS ２８ KM"), fix
    data, roster, status = CAMP_CASES["shared"]
    problem = compile_data(data)
    english = explain_roster(problem, roster(problem), status, lang="en")
    assert english.in_language("xx") == explain_roster(problem, roster(problem), status, "xx")


def test_a_language_that_lacks_a_template_is_refused_naming_every_gap() -> None:
    from dataclasses import replace

    from campplanner.explain.words import TemplateError
    from toy_words import TELEGRAPH

    causes = {k: v for k, v in TELEGRAPH.causes.items() if k != "busy"}
    fixes = {**TELEGRAPH.fixes, "more_beds": "ADD {beds:bed_count} BEDS"}
    with pytest.raises(TemplateError) as refused:
        replace(TELEGRAPH, causes=causes, fixes=fixes)
    assert "the name of cause 'busy'" in str(refused.value)
    assert "'bed_count'" in str(refused.value)


def test_a_language_file_holds_sentences_and_decides_nothing() -> None:
    """words_en.py and words_fa.py: no function, no condition, no loop but the one that
    reads the rules' titles from their registry; the renderer reads facts, not the model."""
    import ast
    from pathlib import Path

    import campplanner.explain as explain

    folder = Path(explain.__file__).parent
    deciding = (ast.FunctionDef, ast.Lambda, ast.ClassDef, ast.If, ast.IfExp, ast.For)
    for name in ("words_en.py", "words_fa.py"):
        tree = ast.parse((folder / name).read_text(encoding="utf-8"))
        found = [type(node).__name__ for node in ast.walk(tree) if isinstance(node, deciding)]
        assert not found, (name, found)
    renderer = ast.parse((folder / "words.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(renderer) if isinstance(node, ast.ImportFrom)} | {
        a.name for node in ast.walk(renderer) if isinstance(node, ast.Import) for a in node.names
    }
    assert {m for m in imported if m.startswith("campplanner")} == {"campplanner.explain.facts"}
    assert "numpy" not in imported


def test_persian_rule_titles_are_the_rule_registrys() -> None:
    from campplanner.model.rules import RULE_BY_ID, RULES

    assert WORDS["fa"].choices["rule"] == {f"={r.id}": r.title_fa for r in RULES}
    _, _, why, _ = _texts(CAMP_CASES["shared"], "fa", slot=False)
    assert f"«{RULE_BY_ID['H3'].title_fa}»" in why, why


def test_the_page_reads_the_coverage_title_from_the_term_registry() -> None:
    from campplanner.model.terms import COVERAGE
    from campplanner.web.i18n import WORDS as PAGE_WORDS

    assert PAGE_WORDS["coverage"][0] == COVERAGE.title_fa


def test_every_reason_keeps_its_facts_and_can_be_said_again_in_each_language() -> None:
    for case in [*SLOT_CASES.values(), *CAMP_CASES.values()]:
        data, roster, status = case
        problem = compile_data(data)
        assigned = roster(problem)
        english = explain_roster(problem, assigned, status, lang="en")
        for lang in LANGUAGES:
            assert english.in_language(lang) == explain_roster(problem, assigned, status, lang)


def test_every_front_end_offers_the_one_list_of_languages() -> None:
    from campplanner.contract.languages import LANGUAGES as ONE_LIST
    from campplanner.web import i18n

    assert tuple(WORDS) == ONE_LIST == i18n.LANGUAGES


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_instances(max_volunteers=6, max_camps=4))
def test_every_language_words_every_reason_of_random_rosters(data: dict[str, Any]) -> None:
    """On random instances, solved or cut short, each language words the very causes the
    facts decided, Persian without a Latin sentence, and saying an explanation again in
    another language gives what explaining in it gives."""
    problem = compile_data(data)
    result = CpSatSolver(problem, SolveOptions(time_limit=20, secondary=False)).solve()
    if not result.has_roster:
        return
    english = explain_roster(problem, result.assigned, result.status, lang="en")
    for lang in LANGUAGES:
        said = explain_roster(problem, result.assigned, result.status, lang=lang)
        assert english.in_language(lang) == said
        assert [s.cause for s in said.slots] == [s.cause for s in english.slots]
        assert [c.cause for c in said.cancelled] == [c.cause for c in english.cancelled]
        if lang == "fa":
            for reason in [*said.slots, *said.cancelled]:
                _assert_persian(problem, reason.why)
                _assert_persian(problem, reason.fix)
