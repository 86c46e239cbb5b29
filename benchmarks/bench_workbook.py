"""How long the season workbook takes to build (issue 25: "in seconds, not a minute").

A season of 22,000 volunteers and 1,200 camps (``bench_robust``'s ``tight-22k-s1``, made
by it when absent) and its roster: the instance and solution files are read, the read
model built, the reasons for empty slots attached (as ``export`` and the review page's
download do), the workbook built (``roster_workbook``, about 1.2 M cells) and written.
Each phase is timed in process CPU and wall seconds, median of ``--repeat`` runs. The
baseline, in the same run, is the same work by the code of ``--baseline`` (default: the
commit before this work), checked out with ``git archive`` into a temporary folder and
run in its own process, as the new code is, one after the other.

    PYTHONPATH=src python benchmarks/bench_workbook.py [--repeat 3] [--write]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
INSTANCE = Path("/tmp/bench_robust/tight-22k-s1.json.gz")
SOLUTION = Path("/tmp/bench_robust/tight-22k-s1.solution.json")
BASELINE = "0263d6c"  # main before issue 25's workbook work
PHASES = ("read", "view", "reasons", "workbook", "write")
NAMES = {
    "read": "read the instance and the solution",
    "view": "the read model (RosterView)",
    "reasons": "reasons for empty slots (attach_reasons)",
    "workbook": "the workbook (roster_workbook)",
    "write": "written to disk",
}


def load() -> str:
    """The machine's load average over 1, 5 and 15 minutes: the figures' noise."""
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def worker(instance_path: str, solution_path: str, repeat: int) -> dict[str, object]:
    """Time each phase ``repeat`` times with the code on sys.path."""
    from campplanner.app.files import attach_reasons
    from campplanner.contract.instance import load_instance
    from campplanner.io.solution_reader import load_solution
    from campplanner.io.workbook_out import roster_workbook
    from campplanner.report.roster import RosterView

    runs: dict[str, list[tuple[float, float]]] = {phase: [] for phase in PHASES}

    def phase(name, function, *args):
        wall, cpu = time.perf_counter(), time.process_time()
        value = function(*args)
        runs[name].append((time.perf_counter() - wall, time.process_time() - cpu))
        return value

    def read(instance_path, solution_path):
        instance = load_instance(instance_path)
        return instance, load_solution(solution_path, instance)

    found: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(repeat):
            instance, solution = phase("read", read, instance_path, solution_path)
            view = phase("view", RosterView.from_solution, instance, solution)
            phase("reasons", attach_reasons, view, instance, solution, "fa")
            data = phase("workbook", roster_workbook, view)
            phase("write", Path(folder, "season.xlsx").write_bytes, data)
            found["bytes"] = len(data)
            found["sha256"] = hashlib.sha256(data).hexdigest()[:12]
            found["camps"] = len(instance.camps)
            found["volunteers"] = len(instance.volunteers)
    found["runs"] = runs
    return found


def run_worker(src: Path, instance: str, solution: str, repeat: int) -> dict[str, object]:
    """The worker in its own process, importing campplanner from ``src``."""
    completed = subprocess.run(
        [sys.executable, __file__, "--worker", instance, solution, str(repeat)],
        env={**os.environ, "PYTHONPATH": str(src)},
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(completed.stderr[-3000:])
    return json.loads(completed.stdout.splitlines()[-1])


def baseline_tree(ref: str, folder: Path) -> Path:
    """``src/`` of commit ``ref``, extracted into ``folder``."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", ref, "src"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder / "src"


def ensure_season(instance: Path, solution: Path) -> None:
    """Make the season and a roster of it with bench_robust when they are missing."""
    if instance.exists() and solution.exists():
        return
    raise SystemExit(
        f"{instance} or {solution} is missing: make them with "
        "`python benchmarks/bench_robust.py` (its tight-22k-s1 season), or pass "
        "--instance and --solution"
    )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        instance, solution, repeat = sys.argv[2], sys.argv[3], int(sys.argv[4])
        print(json.dumps(worker(instance, solution, repeat)))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", type=Path, default=INSTANCE)
    parser.add_argument("--solution", type=Path, default=SOLUTION)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", default=BASELINE, help="the commit to compare with")
    parser.add_argument("--no-baseline", action="store_true", help="time this code only")
    parser.add_argument(
        "--write", action="store_true", help="write the table into docs/benchmarks.md"
    )
    args = parser.parse_args()
    ensure_season(args.instance, args.solution)
    instance, solution = str(args.instance), str(args.solution)

    before: dict[str, object] = {}
    if not args.no_baseline:
        old_src = baseline_tree(args.baseline, Path(tempfile.mkdtemp(prefix="bench-workbook-")))
        print(f"load {load()}: the baseline ({args.baseline}) ...", flush=True)
        before = run_worker(old_src, instance, solution, args.repeat)
    print(f"load {load()}: this code ...", flush=True)
    after = run_worker(REPO / "src", instance, solution, args.repeat)
    load_at_end = load()

    def cells(found: dict[str, object], phases) -> list[str]:
        """Median CPU and median wall seconds of the sum of ``phases`` per run."""
        if not found:
            return ["-", "-"]
        runs = found["runs"]
        walls = [sum(runs[p][i][0] for p in phases) for i in range(len(runs[phases[0]]))]
        cpus = [sum(runs[p][i][1] for p in phases) for i in range(len(runs[phases[0]]))]
        return [f"{statistics.median(cpus):.2f}", f"{statistics.median(walls):.2f}"]

    rows = [[NAMES[p], *cells(before, [p]), *cells(after, [p])] for p in PHASES]
    rows.append(["**all**", *cells(before, list(PHASES)), *cells(after, list(PHASES))])
    from _report import machine_line, markdown_table, write_section

    header = ["phase", "baseline CPU s ", "baseline wall s ", "now CPU s ", "now wall s "]
    table = markdown_table(header, rows)
    sizes = f"{after['bytes'] / 2**20:.1f} MiB now" + (
        f", {before['bytes'] / 2**20:.1f} MiB before" if before else ""
    )
    print(table)
    print(sizes)
    if not args.write:
        return
    write_section(
        "workbook",
        f"""## The season workbook (`benchmarks/bench_workbook.py`)

`{args.instance.name}` ({after["camps"]:,} camps, {after["volunteers"]:,} volunteers) and
its roster `{args.solution.name}`: each phase of `campplanner export --xlsx` (and of the
review page's workbook download), median of {args.repeat} runs in one process, in the
process's CPU seconds (what the shared machine's load disturbs least) and wall seconds.
The baseline is commit {args.baseline}, run in its own process just before (`git archive`).
Workbook: {sizes}. Load average {load_at_end} at the end.

{table}

{machine_line()}
""",
    )


if __name__ == "__main__":
    main()
