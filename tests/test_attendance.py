"""Attendance history: each person's no-show estimate, and the stress test drawing from it.

The micro-season: two camps, c1 and c2, each with one essential doctor's slot; the
published roster sends d1 to c1 and d2 to c2, and no other doctor exists, so a camp is
lost exactly when its doctor is absent. The history: d1 rostered 10 times and missed all
10; d2 rostered 10 times and came every time.

Worked by hand (PRIOR_STRENGTH 10): with a given province rate of 5%, d1's estimate is
(10 + 10 x 0.05) / (10 + 10) = 0.525 and d2's (0 + 0.5) / 20 = 0.025; without a given
rate the province's is the history's, 10 missed of 20 = 0.5, so d1 (10 + 5) / 20 = 0.75
and d2 5 / 20 = 0.25; a volunteer with no history gets the province's rate. In the
sweep, c1 is then lost in about half the runs (it was 5% without the history) and c2 in
fewer runs than without it: a run draws person k absent when its uniform number is below
their rate, with the same numbers whatever the rates, so a lower rate can only remove
absences.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from builders import camp, make_instance, requirement, skill, volunteer, write_instance
from campplanner.app.stress import StressRequest, stress
from campplanner.cli import main
from campplanner.contract.errors import InstanceError
from campplanner.contract.history import HISTORY_FORMAT, Attendance, history_from_data
from campplanner.io.history_in import load_history
from campplanner.whatif.attendance import estimate_no_shows


def _history() -> list[Attendance]:
    return [Attendance("d1", "1402", f"old{k}", came=False) for k in range(10)] + [
        Attendance("d2", "1402", f"old{k}", came=True) for k in range(10)
    ]


def test_estimates_are_shrunk_towards_a_given_rate_as_worked_by_hand() -> None:
    estimates = estimate_no_shows(_history(), ["d1", "d2", "new"], given=0.05)
    assert estimates.people["d1"] == pytest.approx(0.525)
    assert estimates.people["d2"] == pytest.approx(0.025)
    assert "new" not in estimates.people  # drawn with the province's rate
    assert estimates.province == 0.05 and estimates.province_source == "given"


def test_without_a_given_rate_the_history_is_the_province() -> None:
    estimates = estimate_no_shows(_history(), ["d1", "d2"])
    assert estimates.province == pytest.approx(0.5)
    assert estimates.people["d1"] == pytest.approx(0.75)
    assert estimates.people["d2"] == pytest.approx(0.25)


def test_records_of_people_not_in_the_season_are_counted_and_left_out() -> None:
    history = [*_history(), Attendance("gone", "1401", "x", came=False)]
    estimates = estimate_no_shows(history, ["d1", "d2"], given=0.05)
    assert set(estimates.people) == {"d1", "d2"} and estimates.ignored == 1


def _season(tmp_path: Path) -> tuple[Path, Path]:
    data = make_instance(
        skills=[skill("doctor")],
        volunteers=[volunteer(v, skills={"doctor": 1}) for v in ("d1", "d2")],
        camps=[
            camp(c, start=start, end=end, requirements=[requirement("doctor", essential=True)])
            for c, start, end in (
                ("c1", "2025-03-01", "2025-03-03"),
                ("c2", "2025-04-01", "2025-04-03"),
            )
        ],
    )
    instance = write_instance(tmp_path / "season.json", data)
    solution = tmp_path / "published.json"
    result = CliRunner().invoke(
        main, ["solve", str(instance), "-o", str(solution), "--time-limit", "30"]
    )
    assert result.exit_code == 0, result.output
    roster = {(a["volunteer"], a["camp"]) for a in json.loads(solution.read_text())["assignments"]}
    assert roster == {("d1", "c1"), ("d2", "c2")}
    return instance, solution


def _lost(report: dict) -> dict[str, int]:
    return {entry["camp"]: entry["cancelled_runs"] for entry in report["camps"]}


def test_a_history_moves_the_camps_at_risk_the_expected_way(tmp_path: Path) -> None:
    instance, solution = _season(tmp_path)
    history = tmp_path / "history.json"
    history.write_text(
        json.dumps(
            {
                "format": HISTORY_FORMAT,
                "attendance": [
                    {"volunteer": r.volunteer, "season": r.season, "camp": r.camp, "came": r.came}
                    for r in _history()
                ],
            }
        )
    )
    common = dict(no_show=0.05, runs=200, seed=3, engine="local", jobs=1, method="greedy")
    plain = stress(StressRequest(str(instance), str(solution), **common)).report
    told = stress(
        StressRequest(str(instance), str(solution), history_path=str(history), **common)
    ).report
    before, after = _lost(plain), _lost(told)
    # c1 hangs on d1 (0.525 now, 0.05 before): lost in about half the runs
    assert before.get("c1", 0) <= 25 and 70 <= after["c1"] <= 140
    # d2 (0.025) is drawn absent only where they were before, and c2 with them
    assert after.get("c2", 0) <= before.get("c2", 0)
    c1 = next(entry for entry in told["camps"] if entry["camp"] == "c1")
    assert c1["absent_when_lost"] == [
        {"volunteer": "d1", "name": "d1", "runs": after["c1"], "no_show_rate": 0.525}
    ]
    assert told["people_at_risk"] == [
        {"volunteer": "d1", "name": "d1", "no_show_rate": 0.525, "camps": ["c1"]}
    ]
    assert told["history"]["people_with_history"] == 2
    assert told["rates"]["no_show"] == 0.05 and "people_at_risk" in plain
    assert plain["people_at_risk"] == []


def test_the_command_reads_a_persian_csv_history(tmp_path: Path) -> None:
    instance, solution = _season(tmp_path)
    rows = ["داوطلب,فصل,اردو,حضور"]
    rows += [f"d1,۱۴۰۲,old{k},نیامد" for k in range(10)]
    rows += [f"d2,۱۴۰۲,old{k},آمد" for k in range(10)]
    history = tmp_path / "history.csv"
    history.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = tmp_path / "report.json"
    args = ["stress", str(instance), str(solution), "--history", str(history)]
    result = CliRunner().invoke(
        main, [*args, "--runs", "40", "--jobs", "1", "--method", "greedy", "-o", str(report)]
    )
    assert result.exit_code == 0, result.output
    told = json.loads(report.read_text())
    # no rate given: the province's is the history's (0.5); d1 at 0.75
    assert told["rates"]["no_show"] == 0.5
    assert told["people_at_risk"][0]["no_show_rate"] == 0.75
    assert "On the roster, most likely to be missing" in result.output


def test_every_problem_of_a_history_file_is_said_at_once(tmp_path: Path) -> None:
    bad = {
        "format": HISTORY_FORMAT,
        "attendance": [
            {"volunteer": "d1", "season": "1402", "camp": "c1", "came": "perhaps"},
            {"volunteer": "", "season": "1402", "camp": "c1", "came": True},
            {"volunteer": "d2", "season": "1402", "camp": "c1", "came": True},
            {"volunteer": "d2", "season": "1402", "camp": "c1", "came": False},
            {"season": "1402", "camp": "c1", "came": True, "late": 1},
        ],
    }
    with pytest.raises(InstanceError) as caught:
        history_from_data(bad, "history.json")
    paths = [issue.path for issue in caught.value.issues]
    assert paths == [
        "attendance[0].came",
        "attendance[1].volunteer",
        "attendance[3]",
        "attendance[4].late",
        "attendance[4].volunteer",
    ]
    assert any("attendance[2]" in issue.message for issue in caught.value.issues)


def test_a_bad_csv_history_names_its_rows_and_the_command_exits_2(tmp_path: Path) -> None:
    instance, solution = _season(tmp_path)
    history = tmp_path / "history.csv"
    history.write_text(
        "volunteer,season,camp,came\nd1,1402,x,maybe\n,1402,y,yes\nd2,1402,z,no\nd2,1402,z,no\n",
        encoding="utf-8",
    )
    with pytest.raises(InstanceError) as caught:
        load_history(history)
    said = [str(issue) for issue in caught.value.issues]
    assert any("row 2" in line and "came" in line for line in said)
    assert any("row 3" in line and "volunteer" in line for line in said)
    result = CliRunner().invoke(
        main, ["stress", str(instance), str(solution), "--history", str(history), "--runs", "2"]
    )
    assert result.exit_code == 2
    assert "history.csv" in result.output and "row 2" in result.output
    assert "Traceback" not in result.output
    history.write_text("volunteer,season,camp,came\nd2,1402,z,no\nd2,1402,z,no\n")
    with pytest.raises(InstanceError) as caught:
        load_history(history)
    assert [str(issue) for issue in caught.value.issues] == [
        "sheet 'history', row 3: the same volunteer, season and camp as row 2"
    ]


def test_solve_reserves_draw_from_the_history(tmp_path: Path) -> None:
    instance, _ = _season(tmp_path)
    history = tmp_path / "history.json"
    history.write_text(
        json.dumps(
            {
                "format": HISTORY_FORMAT,
                "attendance": [{"volunteer": "d1", "season": "1402", "camp": "x", "came": False}],
            }
        )
    )
    out = tmp_path / "solution.json"
    args = ["solve", str(instance), "-o", str(out), "--time-limit", "30", "--reserves", "2"]
    result = CliRunner().invoke(main, [*args, "--history", str(history)])
    assert result.exit_code == 0, result.output
    # one record, one miss: the province's rate is the history's own, 100%
    assert json.loads(out.read_text())["reserves"]["no_show"] == 1.0
    alone = CliRunner().invoke(main, [*args[:-2], "--history", str(history), "--force"])
    assert alone.exit_code == 2 and "--reserves" in alone.output
