"""Only the future moves: ``solve --baseline --freeze-until`` keeps the camps that start
before the date exactly as published, and confirmed assignments unless moving one is
the only way to run an essential role (model.baseline.freeze, app.solving).

Each micro-instance states the published roster and the re-plan worked out by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from builders import (
    TINY_PATH,
    camp,
    load_data,
    make_instance,
    requirement,
    volunteer,
    write_instance,
)
from campplanner.check import check_roster
from campplanner.cli import main
from campplanner.contract.calendar import parse_day
from campplanner.model.baseline import baseline_from_triples, freeze
from campplanner.model.compile import compile_instance
from campplanner.solver import CpSatSolver, SolveOptions
from campplanner.whatif.diff import roster_triples
from test_explain_fa import english_left

Triple = tuple[str, str, str]


def replan(
    data: dict[str, Any], published: list[Triple], until: str | None, confirmed: list[Triple] = ()
) -> tuple[set[Triple], Any]:
    """The re-planned roster (checked) and the freeze's report (None without a date)."""
    instance = load_data(data)
    problem = compile_instance(instance)
    report = None
    if until is not None:
        problem, report = freeze(problem, published, parse_day(until), confirmed)
    baseline = baseline_from_triples(problem, published)
    result = CpSatSolver(problem, SolveOptions(time_limit=20), baseline=baseline).solve()
    roster = roster_triples(problem, result.assigned)
    assert check_roster(instance, roster).ok
    return set(roster), report


def two_camps() -> dict[str, Any]:
    # A 07-01..07-05 and B 07-10..07-12, two nurse slots each, priority 1; four nurses,
    # one camp each. Published: n1 in A, n2 in B (coverage 2, room for two more).
    return make_instance(
        volunteers=[volunteer(f"n{k}") for k in range(1, 5)],
        camps=[
            camp("A", requirements=[requirement("nurse", count=2)]),
            camp(
                "B",
                start="2021-07-10",
                end="2021-07-12",
                requirements=[requirement("nurse", count=2)],
            ),
        ],
    )


PUBLISHED = [("n1", "A", "nurse"), ("n2", "B", "nurse")]


def test_a_camp_starting_before_the_date_keeps_its_team_exactly() -> None:
    # Without a freeze: n3 and n4 join, coverage 4. Frozen until 07-06: A (starts 07-01)
    # keeps n1 alone; B (07-10) takes one more nurse: coverage 3.
    free, _ = replan(two_camps(), PUBLISHED, None)
    assert len(free) == 4 and sum(c == "A" for _, c, _ in free) == 2
    frozen, report = replan(two_camps(), PUBLISHED, "2021-07-06")
    assert {t for t in frozen if t[1] == "A"} == {("n1", "A", "nurse")}
    assert len({t for t in frozen if t[1] == "B"}) == 2 and ("n2", "B", "nurse") in frozen
    assert report.camps == (0,) and report.lost == ()


def test_a_frozen_camp_removes_nobody_even_for_coverage() -> None:
    # B has priority 5 and one slot; n1 (in A, frozen) is the only nurse free for B's
    # days... she is not: A and B do not overlap, but max_camps 1 keeps her to one.
    # Without a freeze she moves to B (5 > 1); frozen until 07-02, A keeps her.
    data = make_instance(
        volunteers=[volunteer("n1")],
        camps=[camp("A"), camp("B", start="2021-07-10", end="2021-07-12", priority=5)],
    )
    free, _ = replan(data, [("n1", "A", "nurse")], None)
    assert free == {("n1", "B", "nurse")}
    frozen, _ = replan(data, [("n1", "A", "nurse")], "2021-07-02")
    assert frozen == {("n1", "A", "nurse")}


def test_a_published_member_who_left_is_named_not_replaced() -> None:
    # n1 is no longer in the file; A is frozen: nobody takes her place, and the freeze
    # says it could not keep her.
    data = two_camps()
    data["volunteers"] = data["volunteers"][1:]
    frozen, report = replan(data, PUBLISHED, "2021-07-06")
    assert not {t for t in frozen if t[1] == "A"}
    assert [t for t, _ in report.lost] == [("n1", "A", "nurse")]


def test_a_planners_lock_on_a_frozen_camp_still_holds() -> None:
    # Locked in the file: n3 in A. A is frozen, but the lock is the planner's word:
    # A = {n1, n3}; nobody else joins it.
    data = two_camps()
    data["locked"] = [{"volunteer": "n3", "camp": "A", "skill": "nurse"}]
    frozen, _ = replan(data, PUBLISHED, "2021-07-06")
    assert {t for t in frozen if t[1] == "A"} == {("n1", "A", "nurse"), ("n3", "A", "nurse")}


def overlapping(essential: bool) -> dict[str, Any]:
    # A 07-01..07-05 priority 1 and B 07-03..07-06 priority 3 overlap; one nurse slot
    # each; one nurse, n1, published (and confirmed) in A. Nothing is frozen.
    return make_instance(
        volunteers=[volunteer("n1")],
        camps=[
            camp("A"),
            camp(
                "B",
                start="2021-07-03",
                end="2021-07-06",
                priority=3,
                requirements=[requirement("nurse", essential=essential)],
            ),
        ],
    )


def test_a_confirmed_assignment_holds_against_coverage() -> None:
    # Unconfirmed, n1 moves to B (3 > 1). Confirmed, B's slot is not essential: she stays.
    mine = [("n1", "A", "nurse")]
    free, _ = replan(overlapping(False), mine, "2021-06-01")
    assert free == {("n1", "B", "nurse")}
    kept, report = replan(overlapping(False), mine, "2021-06-01", confirmed=mine)
    assert kept == {("n1", "A", "nurse")} and report.confirmed == tuple(mine)


def test_a_confirmed_assignment_moves_to_run_an_essential_role() -> None:
    # B's nurse is essential: without n1, B cannot run; she moves (coverage 3).
    mine = [("n1", "A", "nurse")]
    moved, _ = replan(overlapping(True), mine, "2021-06-01", confirmed=mine)
    assert moved == {("n1", "B", "nurse")}


def test_solve_freeze_until_through_the_cli(tmp_path: Path) -> None:
    # The tiny season: c1 starts 1400-04-10, c2 04-13, c3 04-16, c4 04-25. The published
    # roster is solved, then its c1 nurses and one of c3's people are taken out of the
    # file, so that a re-plan would add people to both. Frozen until 1400-04-15, c1 and
    # c2 are exactly as published (compare rosters); c3 may change.
    runner = CliRunner()
    solved = tmp_path / "solved.json"
    assert runner.invoke(main, ["solve", str(TINY_PATH), "-q", "-o", str(solved)]).exit_code == 0
    data = json.loads(solved.read_text(encoding="utf-8"))
    kept = [a for a in data["assignments"] if not (a["camp"] == "c1" and a["skill"] == "nurse")]
    dropped_c3 = next(a for a in kept if a["camp"] == "c3")
    kept.remove(dropped_c3)
    data["assignments"] = kept
    data["coverage"] = None
    future = [a for a in kept if a["camp"] in ("c3", "c4")]
    data["confirmed"] = [{"volunteer": a["volunteer"], "camp": a["camp"]} for a in future[:1]]
    published = tmp_path / "published.json"
    published.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = {(a["volunteer"], a["camp"], a["skill"]) for a in kept}

    def run(*extra: str) -> set[Triple]:
        out = tmp_path / f"replanned{len(extra)}.json"
        args = ["solve", str(TINY_PATH), "--baseline", str(published), "-o", str(out), "-q"]
        result = runner.invoke(main, [*args, "--work-limit", "2000", *extra])
        assert result.exit_code == 0, result.output
        assert runner.invoke(main, ["check", str(TINY_PATH), str(out)]).exit_code == 0
        written = json.loads(out.read_text(encoding="utf-8"))
        run.section = written["replan"]  # type: ignore[attr-defined]
        run.output = result.output  # type: ignore[attr-defined]
        return {(a["volunteer"], a["camp"], a["skill"]) for a in written["assignments"]}

    def of(roster: set[Triple], camps: set[str]) -> set[Triple]:
        return {t for t in roster if t[1] in camps}

    free = run()
    assert of(free, {"c1"}) != of(before, {"c1"})  # without a freeze, c1 gains nurses
    frozen = run("--freeze-until", "۱۴۰۰-۰۴-۱۵")
    assert of(frozen, {"c1", "c2"}) == of(before, {"c1", "c2"})
    assert of(frozen, {"c3"}) != of(before, {"c3"})  # the future still moves
    written = json.loads((tmp_path / "replanned2.json").read_text(encoding="utf-8"))
    # optimal and the bound held with c1 and c2 fixed only: no claim about the instance
    assert written["status"] == "feasible" and written.get("coverage_bound") is None
    section = run.section["frozen"]  # type: ignore[attr-defined]
    assert section["until"] == "1400-04-15" and section["camps"] == ["c1", "c2"]
    assert section["confirmed"] == 1 and section["confirmed_moved"] == []
    confirmed = (future[0]["volunteer"], future[0]["camp"], future[0]["skill"])
    assert confirmed in frozen
    assert "keep their published teams" in " ".join(run.output.split())  # type: ignore[attr-defined]


def test_freeze_until_needs_a_baseline_and_a_date(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["solve", str(TINY_PATH), "--freeze-until", "1400-04-15"])
    assert result.exit_code == 2 and "--baseline" in result.output
    solved = tmp_path / "solved.json"
    assert runner.invoke(main, ["solve", str(TINY_PATH), "-q", "-o", str(solved)]).exit_code == 0
    result = runner.invoke(
        main, ["solve", str(TINY_PATH), "--baseline", str(solved), "--freeze-until", "1400-13-01"]
    )
    assert result.exit_code == 2 and "--freeze-until" in result.output
    assert "Traceback" not in result.output


def test_the_output_says_when_a_confirmed_assignment_moves(tmp_path: Path) -> None:
    instance = write_instance(tmp_path / "overlap.json", overlapping(True))
    published = tmp_path / "published.json"
    published.write_text(
        json.dumps(
            {
                "status": "feasible",
                "assignments": [{"volunteer": "n1", "camp": "A", "skill": "nurse"}],
                "confirmed": [{"volunteer": "n1", "camp": "A"}],
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out.json"
    args = ["solve", str(instance), "--baseline", str(published), "--freeze-until", "2021-06-01"]
    result = CliRunner().invoke(main, [*args, "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "n1 had confirmed nurse in A, and moves to nurse in B" in said
    assert "essential role" in said
    moved = json.loads(out.read_text(encoding="utf-8"))["replan"]["frozen"]["confirmed_moved"]
    assert moved == [{"volunteer": "n1", "camp": "A", "skill": "nurse", "to": [["B", "nurse"]]}]


def test_what_a_frozen_replan_notes_is_in_the_language_of_lang(tmp_path: Path) -> None:
    """E (frozen: it starts before the date) was published with ghost, who has left the
    file: E's team cannot be kept, so E cannot run; n1's confirmed A moves to run B's
    essential nurse (overlapping). Every note in Persian under --lang fa (ids as
    written, days in Persian digits); in English as it was."""
    data = overlapping(True)
    early = camp("E", start="2021-05-01", end="2021-05-03")
    early["requirements"] = [requirement("nurse", essential=True)]
    data["camps"].append(early)
    instance = write_instance(tmp_path / "season.json", data)
    published = tmp_path / "published.json"
    assignments = [
        {"volunteer": "n1", "camp": "A", "skill": "nurse"},
        {"volunteer": "ghost", "camp": "E", "skill": "nurse"},
    ]
    body = {"status": "feasible", "assignments": assignments}
    published.write_text(json.dumps(body | {"confirmed": [{"volunteer": "n1", "camp": "A"}]}))
    args = ["solve", str(instance), "--baseline", str(published), "--freeze-until", "2021-06-01"]
    said = {}
    for lang in ("fa", "en"):
        out = tmp_path / f"{lang}.json"
        result = CliRunner().invoke(main, [*args, "-o", str(out), "-q", "--lang", lang])
        assert result.exit_code == 0, result.output
        said[lang] = " ".join(result.stderr.split())
    assert said["en"] == (
        "note: --freeze-until 2021-06-01: 1 camp(s) starting before it keep their published "
        "teams; 1 confirmed assignment(s) move only to run an essential role "
        "note: cannot keep ghost as nurse in E as published: ghost is no longer in the instance "
        "note: camp E starts before 2021-06-01 but lost part of its essential team: it cannot "
        "run as published "
        "note: n1 had confirmed nurse in A, and moves to nurse in B: the only way found to run "
        "an essential role"
    )
    assert said["fa"] == (
        "یادداشت: ثابت تا ۲۰۲۱/۰۶/۰۱: ۱ اردو که پیش از آن آغاز می‌شوند تیم منتشرشده‌شان را نگه "
        "می‌دارند؛ ۱ گمارش تأییدشده فقط برای برپایی نقشی ضروری جابه‌جا می‌شود "
        "یادداشت: ghost را نمی‌توان در نقش nurse در E چنان‌که منتشر شده نگه داشت: ghost دیگر "
        "در پرونده نیست "
        "یادداشت: اردوی E پیش از ۲۰۲۱/۰۶/۰۱ آغاز می‌شود ولی بخشی از تیم ضروری‌اش را از دست "
        "داده است: چنان‌که منتشر شده برپا نمی‌شود "
        "یادداشت: n1 نقش nurse در A را تأیید کرده بود و به nurse در B می‌رود: تنها راهی که "
        "برای برپایی نقشی ضروری یافته شد"
    )
    assert english_left(said["fa"], {"ghost", "nurse", "n1", "A", "B", "E"}) == []


def test_a_frozen_team_that_no_longer_fits_is_named(tmp_path: Path) -> None:
    # A (frozen) was published with n1 and n3; its beds fell to one since: it cannot be
    # kept as published, and the reason names the frozen assignments, not a file lock.
    published = tmp_path / "published.json"
    team = [{"volunteer": v, "camp": "A", "skill": "nurse"} for v in ("n1", "n3")]
    published.write_text(json.dumps({"status": "feasible", "assignments": team}))
    data = two_camps()
    data["camps"][0]["capacity"] = 1
    instance = write_instance(tmp_path / "fewer-beds.json", data)
    args = ["solve", str(instance), "--baseline", str(published), "--freeze-until", "2021-07-06"]
    for method in ("exact", "large"):
        result = CliRunner().invoke(main, [*args, "-q", "--method", method])
        assert result.exit_code == 3, result.output
        said = " ".join(result.output.split())
        assert "kept as published" in said and "locked[-1]" not in said, method
