"""No-show stress tests on both engines: the draws, the report, reserves, Ctrl-C.

Ray is real: one local Ray (2 CPUs, no dashboard) is started once for this module's
tests and shut down after them. The instances are the shipped small ones, with few runs.
"""

from __future__ import annotations

import ast
import json
import os
import re
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import ray
from click.testing import CliRunner

from builders import REPO
from campplanner.app.solving import SolveRequest, load_published, solve
from campplanner.app.stress import StressRequest, load_rates, stress
from campplanner.cli import main
from campplanner.contract.errors import UsageError
from campplanner.contract.instance import load_instance
from campplanner.model.compile import compile_instance
from campplanner.solver import SolveOptions
from campplanner.whatif.stress import (
    NoShowRates,
    StressSetup,
    draw,
    replan_run,
    run_options,
    worker_memory,
)
from test_reproducible import cpu_hogs

TINY = REPO / "instances" / "tiny.json"
SMALL = REPO / "instances" / "small.json"


@pytest.fixture(scope="session")
def ray_cluster() -> Any:
    """A real local Ray for the tests that use it, started once."""
    from campplanner.whatif.engines import _export_source_path

    _export_source_path()  # its workers import this source tree
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The published rosters of tiny.json and small.json, solved once."""
    folder = tmp_path_factory.mktemp("published")
    paths = {}
    for name, instance in (("tiny", TINY), ("small", SMALL)):
        paths[name] = folder / f"{name}.json"
        solve(
            SolveRequest(str(instance), SolveOptions(time_limit=30.0), output_path=str(paths[name]))
        )
    return paths


def _setup(
    instance: Path, solution: Path, rates: NoShowRates, seed: int = 1, method: str = "large"
) -> StressSetup:
    loaded = load_instance(instance)
    problem = compile_instance(loaded)
    roster = load_published(problem, str(solution), loaded, str(instance))
    # a roomy limit: the runs end on their search steps, not on a loaded machine's clock
    options = run_options(60.0, method)
    return StressSetup.from_baseline(
        problem, roster.baseline, roster.triples, rates, seed, options
    ).prepared()


def _without_sweep(report: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in report.items() if key != "sweep"}


# ---------------------------------------------------------------------------- draws


def test_a_draw_depends_on_the_seed_and_the_run_only(published: dict[str, Path]) -> None:
    setup = _setup(SMALL, published["small"], NoShowRates(no_show=0.2, camp_cancel=0.1))
    first, again = draw(setup, 7), draw(setup, 7)
    assert np.array_equal(first.absent, again.absent)
    assert np.array_equal(first.cancelled, again.cancelled)
    assert not np.array_equal(draw(setup, 8).absent, first.absent)
    on_roster = set(setup.problem.candidate_volunteer[setup.published].tolist())
    assert set(first.absent.tolist()) <= on_roster


def test_rates_of_zero_and_one_and_per_skill(published: dict[str, Path]) -> None:
    nobody = _setup(SMALL, published["small"], NoShowRates(no_show=0.0))
    assert draw(nobody, 0).absent.size == 0 and draw(nobody, 0).cancelled.size == 0
    problem = nobody.problem
    # Physicians always absent, nobody else: exactly the people serving as physicians.
    skill = problem.skill_ids[int(problem.candidate_skill[nobody.published[0]])]
    only = _setup(SMALL, published["small"], NoShowRates(no_show=0.0, skills={skill: 1.0}))
    serving = nobody.published[
        problem.candidate_skill[nobody.published] == problem.skill_index[skill]
    ]
    expected = np.unique(problem.candidate_volunteer[serving])
    assert np.array_equal(draw(only, 3).absent, expected)


def test_a_run_replans_without_the_absentees(published: dict[str, Path]) -> None:
    setup = _setup(SMALL, published["small"], NoShowRates(no_show=0.1))
    outcome = replan_run(setup, 2)
    absent = set(draw(setup, 2).absent.tolist())
    assert outcome.absent == len(absent) > 0
    assert outcome.stopped_by is None
    # Re-planning wins back at least what leaving the roster alone keeps.
    assert outcome.coverage >= outcome.coverage_unplanned
    on_roster = set(setup.problem.candidate_volunteer[setup.published].tolist())
    for volunteer, _ in outcome.fill_ins:
        assert volunteer not in absent and volunteer not in on_roster


def test_a_run_masks_the_absentees_and_copies_no_candidate_array(
    published: dict[str, Path],
) -> None:
    setup = _setup(SMALL, published["small"], NoShowRates(no_show=0.1, camp_cancel=0.1))
    problem = setup.problem
    drawn = draw(setup, 4)
    assert drawn.absent.size and drawn.cancelled.size
    masked = problem.unavailable(drawn.absent, drawn.cancelled)
    # The candidates and their derived views are the shared ones, not copies...
    for name in (
        "candidate_volunteer",
        "candidate_requirement",
        "candidate_km",
        "candidate_camp",
        "candidate_value",
        "volunteer_candidates",
    ):
        assert getattr(masked, name) is getattr(problem, name), name
    assert masked.requirement_candidates is problem.requirement_candidates
    # ... and the mask is what makes the absentees and the cancelled camps unavailable.
    assert (masked.volunteer_max_camps[drawn.absent] == 0).all()
    assert (masked.camp_capacity[drawn.cancelled] == 0).all()
    assert (problem.volunteer_max_camps[drawn.absent] > 0).all()  # the original untouched
    outcome = replan_run(setup, 4)
    roster_people = {v for v, _ in outcome.fill_ins}
    assert not roster_people & set(drawn.absent.tolist())
    assert not {c for _, c in outcome.fill_ins} & set(drawn.cancelled.tolist())


def test_the_replan_changes_fewer_assignments_than_the_greedy_repair(
    published: dict[str, Path],
) -> None:
    # The re-plan of solve --baseline puts coverage first and then the fewest changes;
    # the greedy repair keeps everyone present and refills the holes greedily. Run by
    # run (the same absentees), the re-plan covers at least as much with no more
    # changes, and does strictly better somewhere.
    rates = NoShowRates(no_show=0.08)
    replan = _setup(SMALL, published["small"], rates, method="large")
    greedy = _setup(SMALL, published["small"], rates, method="greedy")
    better = 0
    for run in range(4):
        fewest, repair = replan_run(replan, run), replan_run(greedy, run)
        assert fewest.stopped_by is None
        assert fewest.coverage >= repair.coverage, run
        if fewest.coverage == repair.coverage:
            assert fewest.changed_assignments <= repair.changed_assignments, run
        better += (
            fewest.coverage > repair.coverage
            or fewest.changed_assignments < repair.changed_assignments
        )
    assert better, "the fewest-changes re-plan must beat the greedy repair somewhere"


def test_a_run_reports_its_workers_peak_memory(published: dict[str, Path]) -> None:
    outcome = replan_run(_setup(TINY, published["tiny"], NoShowRates(no_show=0.3)), 0)
    if not worker_memory():  # no /proc here: nothing to report, and nothing reported
        assert outcome.memory == {}
        return
    assert outcome.memory["peak"] > 10 * 2**20  # a Python with numpy and OR-Tools loaded
    assert 0 < outcome.memory["shared"] < outcome.memory["peak"]


def test_rates_file(tmp_path: Path) -> None:
    path = tmp_path / "rates.json"
    path.write_text(json.dumps({"no_show": 0.1, "skills": {"physician": 0.2}, "camp_cancel": 0.01}))
    rates = load_rates(str(path), None)
    assert (rates.no_show, dict(rates.skills), rates.camp_cancel) == (0.1, {"physician": 0.2}, 0.01)
    assert load_rates(str(path), 0.3).no_show == 0.3  # --no-show wins
    for bad in ({"no_show": 1.5}, {"skills": {"x": -1}}, {"camp_cancel": "a"}, {"late": 1}, []):
        path.write_text(json.dumps(bad))
        with pytest.raises(UsageError):
            load_rates(str(path), None)


# ---------------------------------------------------------------------------- engines


def _request(solution: Path, engine: str, jobs: int, **fields: Any) -> StressRequest:
    fields = {"no_show": 0.08, "runs": 4, "seed": 5, **fields}
    return StressRequest(str(SMALL), str(solution), engine=engine, jobs=jobs, **fields)


def test_the_report_is_the_same_on_both_engines_and_any_workers(
    published: dict[str, Path], ray_cluster: Any
) -> None:
    # Runs end on their work limit; the time limit is a safety net, generous so that a
    # loaded machine (CI shares its two cores) cannot cut a run on one engine only. The
    # 2-worker sweep runs beside two CPU hogs: the load changes nothing.
    roomy = {"time_limit_per_run": 60.0, "work_limit_per_run": 1.0}
    local_1 = stress(_request(published["small"], "local", 1, **roomy)).report
    with cpu_hogs(2):
        local_2 = stress(_request(published["small"], "local", 2, **roomy)).report
    on_ray = stress(_request(published["small"], "ray", 2, **roomy)).report
    assert on_ray["sweep"]["engine"] == "ray" and local_2["sweep"]["workers"] == 2
    for report in (local_1, on_ray):  # each worker says how much memory it held
        memory = report["sweep"]["worker_memory_mib"]
        assert memory["peak"] >= memory["private_peak"] > 0 and memory["shared"] > 0
        assert report["sweep"]["problem_mib"] > 0
    for report in (local_1, local_2, on_ray):
        assert report["runs_stopped_by_time_limit"] == 0  # else identity is not promised
    assert _without_sweep(local_1) == _without_sweep(local_2) == _without_sweep(on_ray)
    assert [run["run"] for run in on_ray["runs"]] == [0, 1, 2, 3]
    assert not on_ray["partial"]


def test_reserves_are_free_and_qualified_and_ranked(published: dict[str, Path]) -> None:
    report = stress(_request(published["small"], "local", 2, no_show=0.15, runs=3)).report
    assert report["reserves"], "with 15% absent, someone from outside the roster fills in"
    problem = compile_instance(load_instance(SMALL))
    roster = json.loads(published["small"].read_text(encoding="utf-8"))["assignments"]
    on_roster = {entry["volunteer"] for entry in roster}
    for camp_id, reserves in report["reserves"].items():
        counts = [entry["fill_ins"] for entry in reserves]
        assert counts == sorted(counts, reverse=True)
        camp = problem.camp_index[camp_id]
        for entry in reserves:
            assert entry["volunteer"] not in on_roster  # free
            v = problem.volunteer_index[entry["volunteer"]]
            start, stop = problem.volunteer_candidates[v], problem.volunteer_candidates[v + 1]
            assert camp in problem.candidate_camp[start:stop]  # qualified for the camp


def test_stress_command(published: dict[str, Path], tmp_path: Path) -> None:
    report_path = tmp_path / "stress.json"
    result = CliRunner().invoke(
        main,
        [
            "stress",
            str(TINY),
            str(published["tiny"]),
            "--runs",
            "3",
            "--jobs",
            "1",
            "--no-show",
            "0.3",
            "-o",
            str(report_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Coverage after re-planning" in result.output
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["format"] == "campplanner-stress/1"
    assert report["runs_done"] == 3 and report["published"]["coverage"] > 0
    assert {"mean", "p5", "p50", "p95", "worst"} <= set(report["coverage"])
    bad = CliRunner().invoke(
        main, ["stress", str(TINY), str(published["tiny"]), "--address", "auto"]
    )
    assert bad.exit_code == 2


def test_ctrl_c_writes_the_report_of_the_runs_done(
    published: dict[str, Path], tmp_path: Path
) -> None:
    report_path = tmp_path / "partial.json"
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from campplanner.cli import main; main()",
            "stress",
            str(SMALL),
            str(published["small"]),
            "--runs",
            "500",
            "--jobs",
            "1",
            "--method",
            "exact",
            "-o",
            str(report_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        deadline = time.monotonic() + 120
        for line in process.stderr:
            if "/500 runs" in line or time.monotonic() > deadline:
                break
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130
    assert time.monotonic() - started < 30, "the sweep must stop promptly"
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["partial"] is True
    assert 1 <= report["runs_done"] < 500
    assert "partial" in out


# --------------------------------------------------------------------- compare on Ray


def test_compare_on_ray_gives_the_local_comparison(tmp_path: Path, ray_cluster: Any) -> None:
    beds = tmp_path / "beds.json"
    beds.write_text(
        json.dumps(
            {"name": "fewer beds", "edits": [{"op": "set_camp", "camp": "c1", "capacity": 2}]}
        ),
        encoding="utf-8",
    )
    reports = {}
    for engine in ("local", "ray"):
        output = tmp_path / f"{engine}.json"
        result = CliRunner().invoke(
            main,
            ["compare", str(TINY), str(beds), "--engine", engine, "--jobs", "2", "-o", str(output)],
        )
        assert result.exit_code == 0, result.output
        reports[engine] = json.loads(output.read_text(encoding="utf-8"))
        for entry in reports[engine]["scenarios"]:
            entry.pop("seconds")
    assert reports["ray"] == reports["local"]
    assert [entry["name"] for entry in reports["ray"]["scenarios"]] == ["base", "fewer beds"]


# ------------------------------------------------------------- Ray is an extra


def test_ray_is_an_extra_that_the_tests_bring() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    named = {
        group: {re.split(r"[<>=\[ ;]", requirement)[0] for requirement in requirements}
        for group, requirements in project["optional-dependencies"].items()
    }
    assert not any(r.startswith("ray") for r in project["dependencies"])
    assert "ray" in named["ray"] and "ray" in named["test"]


def test_only_the_engines_import_ray() -> None:
    """Ray is optional: one import, where its absence becomes the one-line message."""
    importers = {
        str(path.relative_to(REPO / "src"))
        for path in (REPO / "src").rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if (isinstance(node, ast.Import) and any(a.name.split(".")[0] == "ray" for a in node.names))
        or (isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "ray")
    }
    assert importers == {"campplanner/whatif/engines.py"}


@pytest.mark.parametrize("command", ["stress", "compare"])
def test_engine_ray_without_ray_names_the_extra(command: str, tmp_path: Path) -> None:
    # Ray hidden from a real process (an import of it raises ImportError), and an input
    # that does not exist: the missing extra is said first, in one line, before any work.
    missing = tmp_path / "not-there.json"
    hide_ray = "import sys; sys.modules['ray'] = None; from campplanner.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", hide_ray, command, str(TINY), str(missing), "--engine", "ray"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        'error: --engine ray needs Ray, an optional extra: pip install "campplanner[ray]"'
    ]
    assert done.stdout == ""


# ------------------------------------------------------------------- solve --reserves


def test_solve_writes_reserves_into_the_solution_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from campplanner.app import solving
    from campplanner.contract.schema import SolutionFile

    monkeypatch.setattr(solving, "RESERVE_RUNS", 6)  # 20 in use; fewer keep the test short

    output = tmp_path / "small.json"
    result = CliRunner().invoke(
        main,
        [
            "solve",
            str(SMALL),
            "--reserves",
            "2",
            "-q",
            "-o",
            str(output),
            "--time-limit",
            "10",
            "--secondary-time",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(output.read_text(encoding="utf-8"))
    parsed = SolutionFile.model_validate(data)
    assert parsed.model_extra == {} and parsed.reserves is not None
    assert parsed.reserves.runs == 6 and parsed.reserves.camps
    on_roster = {entry["volunteer"] for entry in data["assignments"]}
    problem = compile_instance(load_instance(SMALL))
    for camp in parsed.reserves.camps:
        assert 1 <= len(camp.reserves) <= 2
        for reserve in camp.reserves:
            assert reserve.volunteer not in on_roster
            v = problem.volunteer_index[reserve.volunteer]
            start, stop = problem.volunteer_candidates[v], problem.volunteer_candidates[v + 1]
            assert problem.camp_index[camp.camp] in problem.candidate_camp[start:stop]
    check = CliRunner().invoke(main, ["check", str(SMALL), str(output)])
    assert check.exit_code == 0, check.output
    # The workbook export shows them on a sheet of their own, best first per camp.
    import openpyxl

    from campplanner.io.workbook_out import RESERVES_SHEET

    book_path = tmp_path / "roster.xlsx"
    export = CliRunner().invoke(main, ["export", str(SMALL), str(output), "--xlsx", str(book_path)])
    assert export.exit_code == 0, export.output
    rows = list(openpyxl.load_workbook(book_path)[RESERVES_SHEET].iter_rows(values_only=True))
    listed = [(camp.camp, r.volunteer) for camp in parsed.reserves.camps for r in camp.reserves]
    assert [(row[0], row[3]) for row in rows[1:]] == listed
    page = tmp_path / "roster.html"
    export = CliRunner().invoke(main, ["export", str(SMALL), str(output), "--html", str(page)])
    assert export.exit_code == 0, export.output
    html = page.read_text(encoding="utf-8")
    assert 'id="reserves"' in html and listed[0][1] in html


def test_ctrl_c_on_a_terminal_stops_a_ray_sweep_too(
    published: dict[str, Path], tmp_path: Path
) -> None:
    # On a terminal Ctrl-C reaches the whole process group, a local Ray's processes
    # included: the sweep must still end with the partial report, not a traceback.
    report_path = tmp_path / "partial.json"
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from campplanner.cli import main; main()",
            "stress",
            str(SMALL),
            str(published["small"]),
            "--runs",
            "500",
            "--jobs",
            "1",
            "--engine",
            "ray",
            "-o",
            str(report_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stderr is not None
        deadline = time.monotonic() + 180
        for line in process.stderr:
            if "/500 runs" in line or time.monotonic() > deadline:
                break
        os.killpg(process.pid, signal.SIGINT)
        _, err = process.communicate(timeout=90)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130, err[-2000:]
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["partial"] is True and 1 <= report["runs_done"] < 500
    assert report["sweep"]["engine"] == "ray"


def test_the_header_says_rates_as_percentages_with_at_most_one_decimal() -> None:
    """A rate estimated from an attendance history (0.0712345) is printed 7.1%, not
    7.12345% with six digits; a round one 5%."""
    from io import StringIO

    from rich.console import Console

    from campplanner.cli.stress_view import print_stress

    report = {
        "published": {},
        "rates": {"no_show": 0.0712345, "skills": {"nurse": 0.123456}, "camp_cancel": 0.05},
        "runs_done": 0,
        "runs_requested": 20,
        "seed": 0,
        "instance": "small.json",
        "partial": False,
    }
    out = StringIO()
    print_stress(Console(file=out, width=300), report)
    head = out.getvalue()
    assert "no-show 7.1%, per skill nurse 12.3%, camps cancelled 5%" in head, head
    assert "7.12345" not in head
