"""A public benchmark no one here wrote: the Personnel Task Scheduling Problem (``ptask``).

The instances are those of Krishnamoorthy, Ernst and Baatar (2012, OR-Library
``ptask``: 137 files, 40 to 2,105 jobs, 23 to 422 workers), as kept, with Smet's
harder sets, in the public repository ``vale1410/SMPTSP`` (folder ``data/Data_137``).
Each file lists jobs (a start and an end time) and, per worker, the jobs they are
qualified for. A roster that covers every job always exists; Smet et al. (Omega 2014)
solve all 137 to optimality in their harder minimum-workers form.

Written as a campplanner instance (:func:`ptask_instance`): one camp per job, with one
slot of a skill of its own (``j<k>``), on the days ``start .. end - 1`` (a job ending at
t and one starting at t do not overlap, as in the paper), every worker available,
qualified for their jobs, with ``max_camps`` = the most of their jobs that do not
overlap (:func:`most_jobs_at_once`: no roster gives more, so nothing changes); one place, one
bed per camp, priority 1. Coverage is then the number of jobs covered.

Per instance: jobs, workers, candidates, then ``campplanner solve --method auto`` (a
fresh process, as a planner runs it): the method chosen (``solver.chosen``), coverage,
proven bound, seconds to the full cover (read from the progress log) and wall seconds;
``--methods`` adds ``exact`` and ``large`` rows for the comparison. Beside it the
baseline: the plain CP-SAT model that requires each job exactly once (one worker per
job, no worker in two overlapping jobs), CP-SAT's default parameters (its portfolio of
workers on every core; campplanner's solves use one), same time limit, its seconds to
the full cover.

The data files are not part of this repository: give the folder of ``.dat`` files
(``--data``), or the git directory of a fetched snapshot of ``vale1410/SMPTSP``
(``--git``), read with ``git show``. Credit: the instances are Krishnamoorthy, Ernst and
Baatar's (Algorithms for large scale shift minimisation personnel task scheduling
problems, EJOR 219, 2012), distributed through the OR-Library and the repository above.

    python benchmarks/bench_external.py --git /work/.mirror/vale1410+SMPTSP/repo \\
        --time-limit 60 --write                                  # all 137: ~5 hours
    python benchmarks/bench_external.py --git /work/.mirror/vale1410+SMPTSP/repo \\
        --only data_45_67_420_33,data_82_89_697_66,data_107_114_1112_33 \\
        --methods auto,exact,large --time-limit 60 --write
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import machine_line, markdown_table, write_section

CLI = [sys.executable, "-c", "from campplanner.cli import main; main()"]
FOLDER = "data/Data_137"
EPOCH = dt.date(2000, 1, 1)  # job times become days from here (only their order matters)
GRACE = 60.0  # seconds past the limit before a run is killed
LOG_LINE = re.compile(r"^\s*([\d.]+) s\s+coverage ([\d,]+)")


@dataclass(frozen=True)
class Ptask:
    """One ptask file: jobs as (start, end) and each worker's qualified jobs."""

    name: str
    jobs: list[tuple[int, int]]
    qualified: list[list[int]]


def parse_ptask(name: str, text: str) -> Ptask:
    """Read the ptask format: ``Jobs = N``, N lines ``start end``, ``Qualifications =
    W``, W lines ``count: job job ...``; ``#`` lines are comments."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    position = 0

    def header(key: str) -> int:
        nonlocal position
        while position < len(lines) and not lines[position].startswith(key):
            position += 1
        if position == len(lines):
            raise ValueError(f"{name}: no '{key} =' line")
        value = int(lines[position].split("=")[1])
        position += 1
        return value

    jobs = []
    for _ in range(header("Jobs")):
        start, end = lines[position].split()[:2]
        jobs.append((int(start), int(end)))
        position += 1
    qualified = []
    for _ in range(header("Qualifications")):
        count, _, rest = lines[position].partition(":")
        listed = [int(token) for token in rest.split()]
        if len(listed) != int(count):
            raise ValueError(f"{name}: a worker lists {len(listed)} jobs, says {count}")
        qualified.append(sorted(set(listed)))
        position += 1
    return Ptask(name, jobs, qualified)


def _day(t: int) -> str:
    return (EPOCH + dt.timedelta(days=t)).isoformat()


def most_jobs_at_once(task: Ptask, jobs: list[int]) -> int:
    """The most of ``jobs`` one worker can do (pairwise not overlapping): the earliest-end
    greedy, exact for intervals. Written as ``max_camps`` it changes nothing (no roster
    gives a worker more) and stays within the contract's limit of 1,000 (a worker of
    data_130_176_1562_66 is qualified for 1,078 jobs)."""
    done, free_from = 0, None
    for k in sorted(jobs, key=lambda k: (task.jobs[k][1], task.jobs[k][0])):
        start, end = task.jobs[k]
        if free_from is None or start >= free_from:
            done, free_from = done + 1, end
    return done


def ptask_instance(task: Ptask) -> dict[str, Any]:
    """The campplanner instance of a ptask file (see the module docstring)."""
    camps = [
        {
            "id": f"j{k}",
            "name": f"job {k}",
            "place": "depot",
            "start": _day(start),
            "end": _day(max(start, end - 1)),
            "capacity": 1,
            "requirements": [{"skill": f"j{k}", "count": 1}],
        }
        for k, (start, end) in enumerate(task.jobs)
    ]
    volunteers = [
        {
            "id": f"w{w}",
            "name": f"worker {w}",
            "home": "depot",
            "skills": {f"j{k}": 1 for k in jobs},
            "max_camps": max(1, most_jobs_at_once(task, jobs)),
        }
        for w, jobs in enumerate(task.qualified)
    ]
    return {
        "format": "campplanner/1",
        "name": task.name,
        "rules": {"rest_days": 0, "max_camps": 1},
        "skills": [{"id": f"j{k}", "name": f"job {k}"} for k in range(len(task.jobs))],
        "places": [{"id": "depot", "name": "depot", "lat": 35.7, "lon": 51.4}],
        "volunteers": volunteers,
        "camps": camps,
    }


def exactly_once_baseline(task: Ptask, time_limit: float) -> dict[str, Any]:
    """The plain model: each job exactly once, no worker in two overlapping jobs (one
    "at most one" per worker and job start, over the jobs running then). Seconds to its
    first solution, which covers every job."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    by_job: dict[int, list[Any]] = {}
    by_worker: dict[int, dict[int, Any]] = {}
    for w, jobs in enumerate(task.qualified):
        for k in jobs:
            var = model.new_bool_var("")
            by_job.setdefault(k, []).append(var)
            by_worker.setdefault(w, {})[k] = var
    for k in range(len(task.jobs)):
        model.add_exactly_one(by_job.get(k, []))
    for variables in by_worker.values():
        jobs = sorted(variables, key=lambda k: task.jobs[k][0])
        for k in jobs:
            start = task.jobs[k][0]
            running = [j for j in jobs if task.jobs[j][0] <= start < task.jobs[j][1]]
            if len(running) > 1:
                model.add_at_most_one(variables[j] for j in running)
    solver = cp_model.CpSolver()
    # CP-SAT's defaults (its portfolio of workers on every core), as a newcomer runs it:
    # with one worker it found no full cover of data_82_89_697_66 in 60 s
    solver.parameters.max_time_in_seconds = time_limit
    started = time.monotonic()
    status = solver.solve(model)
    seconds = time.monotonic() - started
    covered = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return {"full": covered, "seconds": round(seconds, 2), "status": solver.status_name(status)}


def run_solve(path: Path, method: str, time_limit: float, jobs: int) -> dict[str, Any]:
    """``campplanner solve`` in a fresh process; the solution file and the progress log."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "solution.json"
        command = [*CLI, "solve", str(path), "--method", method, "--time-limit", str(time_limit)]
        command += ["--full", "-o", str(output)]
        started = time.monotonic()
        try:
            run = subprocess.run(
                command, capture_output=True, text=True, timeout=time_limit + GRACE
            )
        except subprocess.TimeoutExpired:
            return {"method": method, "outcome": "killed", "wall": time_limit + GRACE}
        wall = time.monotonic() - started
        if not output.exists():
            return {"method": method, "outcome": f"exit {run.returncode}", "wall": wall}
        solution = json.loads(output.read_text(encoding="utf-8"))
    full_at = None
    for line in run.stderr.splitlines():
        match = LOG_LINE.match(line)
        if match and int(match.group(2).replace(",", "")) >= jobs:
            full_at = float(match.group(1))
            break
    solver = solution.get("solver") or {}
    return {
        "method": method,
        "outcome": solution["status"],
        "chosen": solver.get("chosen", solver.get("name")),
        "coverage": solution.get("coverage"),
        "bound": solution.get("coverage_bound"),
        "full_at": full_at,
        "wall": round(wall, 2),
    }


def sources(args: argparse.Namespace) -> list[tuple[str, str]]:
    """(name, text) of every ptask file asked for, sorted by name."""
    if args.data:
        files = sorted(Path(args.data).glob("*.dat"))
        found = [(f.stem, f.read_text(encoding="utf-8")) for f in files]
    else:
        listing = subprocess.run(
            ["git", f"--git-dir={args.git}", "ls-tree", "--name-only", "HEAD", f"{FOLDER}/"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        found = []
        for entry in sorted(listing):
            name = Path(entry).stem
            if args.only and name not in args.only:
                continue
            text = subprocess.run(
                ["git", f"--git-dir={args.git}", "show", f"HEAD:{entry}"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            found.append((name, text))
    if args.only:
        found = [(name, text) for name, text in found if name in args.only]
    return found


def measure(name: str, text: str, args: argparse.Namespace) -> dict[str, Any]:
    from campplanner.contract.instance import instance_from_data
    from campplanner.model.compile import compile_instance

    task = parse_ptask(name, text)
    data = ptask_instance(task)
    problem = compile_instance(instance_from_data(data))
    record: dict[str, Any] = {
        "instance": name,
        "jobs": len(task.jobs),
        "workers": len(task.qualified),
        "candidates": problem.num_candidates,
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        record["runs"] = [
            run_solve(path, method, args.time_limit, len(task.jobs)) for method in args.methods
        ]
    record["baseline"] = exactly_once_baseline(task, args.time_limit)
    return record


def _cell(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(records: list[dict[str, Any]], time_limit: float) -> str:
    rows = []
    for record in records:
        baseline = record["baseline"]
        for run in record["runs"]:
            rows.append(
                [
                    record["instance"],
                    _cell(record["jobs"]),
                    _cell(record["workers"]),
                    _cell(record["candidates"]),
                    run["method"],
                    _cell(run.get("chosen")),
                    _cell(run.get("coverage")),
                    _cell(run.get("bound")),
                    run.get("outcome", "-"),
                    _cell(run.get("full_at")),
                    _cell(run.get("wall")),
                    _cell(baseline["seconds"]) if baseline["full"] else "none",
                ]
            )
    headers = [
        "instance",
        "jobs",
        "workers",
        "candidates",
        "--method",
        "chosen",
        "coverage",
        "bound",
        "status",
        "full cover s",
        "wall s",
        "baseline: exactly-once CP-SAT, full cover s",
    ]
    full = sum(
        1
        for record in records
        for run in record["runs"]
        if run["method"] == "auto" and run.get("coverage") == record["jobs"]
    )
    proven = sum(
        1
        for record in records
        for run in record["runs"]
        if run["method"] == "auto" and run.get("bound") == record["jobs"] == run.get("coverage")
    )
    autos = sum(1 for record in records for run in record["runs"] if run["method"] == "auto")
    return (
        "## A public benchmark: ptask (`benchmarks/bench_external.py`)\n\n"
        f"{machine_line()}\n\n"
        "Krishnamoorthy, Ernst and Baatar's ptask files (OR-Library; the copy in the "
        "public repository vale1410/SMPTSP, `data/Data_137`), each job a camp of one "
        f"slot; `campplanner solve --time-limit {time_limit:g}` in a fresh process per "
        "method. *full cover s*: first moment every job was covered (progress log); "
        "*chosen*: the method whose roster `auto` returned (`solver.chosen`). Baseline: "
        "the plain CP-SAT model requiring each job exactly once, CP-SAT's default "
        "parameters (every core; campplanner's solves use one worker), same limit.\n\n"
        + markdown_table(headers, rows)
        + f"\n\n`auto`: {full} of {autos} instances fully covered, {proven} proven "
        "(bound = jobs).\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--data", help="a folder of ptask .dat files")
    where.add_argument("--git", help="the git directory of a snapshot of vale1410/SMPTSP")
    parser.add_argument("--only", type=lambda s: set(s.split(",")), default=None)
    parser.add_argument("--methods", type=lambda s: s.split(","), default=["auto"])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--results", default="external-results.json")
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md")
    args = parser.parse_args()
    results_path = Path(args.results)
    kept = json.loads(results_path.read_text()) if results_path.exists() else {}
    for name, text in sources(args):
        record = measure(name, text, args)
        kept[name] = record
        results_path.write_text(json.dumps(kept, indent=1), encoding="utf-8")
        runs = ", ".join(
            f"{run['method']} {run.get('coverage')}/{record['jobs']} ({run.get('chosen')})"
            for run in record["runs"]
        )
        print(f"{name}: {runs}; baseline {record['baseline']}", flush=True)
    records = [kept[name] for name in sorted(kept)]
    markdown = table(records, args.time_limit)
    print(markdown)
    if args.write:
        write_section("external", markdown)


if __name__ == "__main__":
    main()
