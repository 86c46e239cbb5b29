"""Is ``--time-limit`` honoured at every scale, model building included?

Runs ``campplanner solve INSTANCE --time-limit T -q`` as a planner would (a fresh
process, wall clock from start to exit) on instances from 300 to 220,000 volunteers,
and reports the overrun past T, the exit code, the status and the peak memory. The
baseline in the same run is ``campplanner validate`` on the same file: the time that
reading and compiling alone take, which a time limit cannot go below.

Run: ``python benchmarks/bench_time_limit.py [--time-limit 10] [--huge]``
(``--huge`` adds a generated 220,000-volunteer season, 10x the province).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import REPO, machine_line, markdown_table, write_section

INSTANCES = ["small.json", "medium.json", "markazi-season.json.gz"]
CLI = [sys.executable, "-c", "from campplanner.cli import main; main()"]


def run(args: list[str]) -> tuple[float, int, float]:
    """Wall seconds, exit code and peak RSS (GiB) of one campplanner process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.monotonic()
    completed = subprocess.run([*CLI, *args], capture_output=True, text=True, check=False)
    wall = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far: exact when each run is larger,
    # otherwise an upper bound taken from earlier runs.
    return wall, completed.returncode, max(peak, before) / 1024**2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--huge", action="store_true", help="add a 220,000-volunteer season")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    paths = [REPO / "instances" / name for name in INSTANCES]
    with tempfile.TemporaryDirectory() as folder:
        if args.huge:
            huge = Path(folder) / "huge.json.gz"
            command = ["generate", "--volunteers", "220000", "--camps", "1200", "--seed", "5"]
            subprocess.run([*CLI, *command, "-o", str(huge)], check=True, capture_output=True)
            paths.append(huge)
        rows = []
        for path in paths:
            validate_s, _, _ = run(["validate", str(path)])
            output = Path(folder) / f"{path.stem}.solution.json"
            wall, code, peak = run(
                [
                    "solve",
                    str(path),
                    "--time-limit",
                    str(args.time_limit),
                    "-q",
                    "-o",
                    str(output),
                    "--force",
                ]
            )
            status = "-"
            if output.exists():
                status = json.loads(output.read_text(encoding="utf-8")).get("status", "-")
            rows.append(
                [
                    path.name,
                    f"{validate_s:.1f}",
                    f"{wall:.1f}",
                    f"{wall - args.time_limit:+.1f}",
                    str(code),
                    status,
                    f"{peak:.2f}",
                ]
            )
            print(" | ".join(rows[-1]), flush=True)
    header = [
        "instance",
        "validate s (baseline)",
        "solve wall s",
        "overrun s",
        "exit code",
        "status",
        "peak RSS GiB (upper bound)",
    ]
    markdown = "\n".join(
        [
            f"## Time limit honoured (`bench_time_limit.py`, --time-limit {args.time_limit:g})",
            "",
            machine_line(),
            "",
            "Wall time of a whole `campplanner solve` process, start to exit; overrun is the "
            "wall time minus the limit. Exit 0 is a roster, 4 no roster within the limit.",
            "",
            markdown_table(header, rows),
        ]
    )
    print(markdown)
    if not args.no_write:
        write_section("time-limit", markdown)


if __name__ == "__main__":
    main()
