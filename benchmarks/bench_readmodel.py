"""How long the read model of a roster takes to build on the full season (not a timed test).

``instances/markazi-season.json.gz`` (1,200 camps, 22,000 volunteers) and a roster of
it: the read model (``report.RosterView``) is built from the solution file, as the
exports and the review page build it (the page at every version it loads), and from a
solver's ``Result``, as the terminal and ``compare`` do; then the terminal's season
summary (per county, the worst camps, the summary and slots per skill) is printed from
it. The baseline, in the same run, is the same work by the code of ``--baseline``
(default: the commit before the read model, where the exports built
``io.roster_model.roster_view`` and the terminal summed the arrays itself), checked out
into a temporary folder with ``git archive`` and run in its own process, as the new
code is, one after the other.

    PYTHONPATH=src python benchmarks/bench_readmodel.py [--solution FILE] [--write]

Without ``--solution`` a roster is found first by the greedy method (about 20 s).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEASON = REPO / "instances" / "markazi-season.json.gz"
BASELINE = "147e145"  # tree-move's head: the last commit with io/roster_model.py


def load() -> str:
    """The machine's load average over 1, 5 and 15 minutes: the figures' noise."""
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def timed(function, repeat: int) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of ``repeat`` calls after one warm-up. The CPU time of the
    process is what the machine's load disturbs least (it shares 2 cores)."""
    function()
    times = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
    return times


def peak_mib(function) -> float:
    """The peak of memory Python allocates during one call (tracemalloc), in MiB."""
    tracemalloc.start()
    kept = function()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del kept
    return peak / 2**20


def worker(instance_path: str, solution_path: str, repeat: int) -> dict[str, object]:
    """Time the read model and the terminal's summary with the code on sys.path."""
    from rich.console import Console

    from campplanner.cli import solve_view
    from campplanner.contract.instance import load_instance
    from campplanner.contract.solution import roster_triples
    from campplanner.explain import roster_from_assignments
    from campplanner.io.solution_reader import load_solution
    from campplanner.model.compile import compile_instance
    from campplanner.model.terms import coverage, secondary_terms
    from campplanner.solver.result import Result

    instance = load_instance(instance_path)
    solution = load_solution(solution_path, instance)
    problem = compile_instance(instance)
    assigned = roster_from_assignments(problem, roster_triples(solution))
    result = Result(
        solution.status,
        assigned,
        coverage(problem, assigned),
        solution.coverage_bound,
        terms=secondary_terms(problem, assigned),
    )
    try:
        from campplanner.report import RosterView
    except ImportError:  # the baseline: a roster by ids in io/, the terminal on arrays
        from campplanner.io.roster_model import roster_view

        def from_solution():
            return roster_view(instance, solution)

        from_result = None

        def summary(console):
            solve_view.print_county_summary(console, problem, result)
            solve_view.print_worst_camps(console, problem, result)
            solve_view.print_result_summary(console, problem, result)

    else:

        def from_solution():
            return RosterView.from_solution(instance, solution)

        def from_result():
            return RosterView.from_result(problem, result)

        def summary(console):
            view = RosterView.from_result(problem, result)
            solve_view.print_county_summary(console, view)
            solve_view.print_worst_camps(console, view)
            solve_view.print_result_summary(console, result, view)

    def terminal():
        summary(Console(file=io.StringIO(), width=120, color_system=None))

    found: dict[str, object] = {
        "from_solution": timed(from_solution, repeat),
        "from_solution_mib": peak_mib(from_solution),
        "terminal": timed(terminal, repeat),
        "camps": len(instance.camps),
        "volunteers": len(instance.volunteers),
        "assignments": len(solution.assignments),
    }
    if from_result is not None:
        found["from_result"] = timed(from_result, repeat)
        found["from_result_mib"] = peak_mib(from_result)
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


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        instance, solution, repeat = sys.argv[2], sys.argv[3], int(sys.argv[4])
        print(json.dumps(worker(instance, solution, repeat)))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", default=str(SEASON))
    parser.add_argument("--solution")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline", default=BASELINE, help="the commit to compare with")
    parser.add_argument(
        "--write", action="store_true", help="write the table into docs/benchmarks.md"
    )
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-readmodel-"))
    solution = args.solution
    if solution is None:
        from campplanner.app.solving import SolveRequest, solve
        from campplanner.solver import SolveOptions

        solution = str(folder / "roster.json")
        print(f"a greedy roster of {args.instance} ...", flush=True)
        options = SolveOptions(time_limit=60, method="greedy")
        solve(SolveRequest(args.instance, options, output_path=solution, explain=False))
    old_src = baseline_tree(args.baseline, folder)
    load_at_start = load()
    print(f"load {load_at_start}: the baseline ({args.baseline}) ...", flush=True)
    before = run_worker(old_src, args.instance, solution, args.repeat)
    print(f"load {load()}: this code ...", flush=True)
    after = run_worker(REPO / "src", args.instance, solution, args.repeat)
    load_at_end = load()

    def cells(found: dict[str, object], key: str) -> list[str]:
        """Median wall and median CPU milliseconds."""
        if key not in found:
            return ["-", "-"]
        walls, cpus = zip(*found[key], strict=True)
        return [f"{1000 * statistics.median(walls):,.0f}", f"{1000 * statistics.median(cpus):,.0f}"]

    def mib(found: dict[str, object], key: str) -> str:
        return f"{found[key]:.0f}" if key in found else "-"

    rows = [
        [
            "read model from the solution file (exports, page)",
            *cells(before, "from_solution"),
            *cells(after, "from_solution"),
            mib(before, "from_solution_mib"),
            mib(after, "from_solution_mib"),
        ],
        [
            "read model from a Result (terminal, compare)",
            *cells(before, "from_result"),
            *cells(after, "from_result"),
            "-",
            mib(after, "from_result_mib"),
        ],
        [
            "terminal: per county, worst camps, summary, per skill",
            *cells(before, "terminal"),
            *cells(after, "terminal"),
            "-",
            "-",
        ],
    ]
    from _report import machine_line, markdown_table, write_section

    header = [
        "what",
        "baseline ms ",
        "baseline CPU ms ",
        "now ms ",
        "now CPU ms ",
        "baseline peak MiB ",
        "now peak MiB ",
    ]
    table = markdown_table(header, rows)
    print(table)
    if not args.write:
        return
    write_section(
        "readmodel",
        f"""## The read model of a roster on the full season (`benchmarks/bench_readmodel.py`)

`{Path(args.instance).name}` ({after["camps"]:,} camps, {after["volunteers"]:,} volunteers)
and a greedy roster of it ({after["assignments"]:,} assignments). Each row is the median
of {args.repeat} calls after one warm-up, in a process of its own, in wall-clock and in
the process's CPU milliseconds (the machine is shared: CPU time is what its load
disturbs least); the
baseline is commit {args.baseline} (the exports' `io.roster_model.roster_view`; the
terminal summing the arrays itself, with no read model), run in the same session just
before. *Peak MiB*: what Python allocates while building one view (tracemalloc). The
page builds the view from the solution file at every version it loads.

{table}

Load average (1 / 5 / 15 min): {load_at_start} at the start, {load_at_end} at the end.

Machine: {machine_line()}.""",
    )


if __name__ == "__main__":
    main()
