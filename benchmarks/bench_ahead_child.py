"""The at-once workbook's child, alone (issue 25: the workbook's link under 5 s after an
accept clicked at once).

A re-solve's new version starts its Persian workbook in a warm child process as soon as
the search starts (``app.review.downloads.start_ahead``): the child reads the edited
season meanwhile, and the roster is handed over when the search ends. This script does
the same outside the server: it spawns the warm child, sends it the season (compiled
here, as the server sends its compiled season), waits ``--read`` seconds (the search's
time), hands over the roster ``--solution`` (without its candidates, which the server
also hands over: the child then maps the roster back itself, about half a second), and
prints the seconds from the hand-over to the file, for ``--runs`` runs. Wall-clock: run
it on a quiet machine, and the baseline with the other tree's ``PYTHONPATH`` right
before or after it.

    PYTHONPATH=src python benchmarks/bench_ahead_child.py --solution ROSTER.json [--runs 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import time
from pathlib import Path

from campplanner.app.review import downloads
from campplanner.contract.instance import instance_from_data
from campplanner.model.compile import compile_instance

REPO = Path(__file__).resolve().parents[1]
SEASON = REPO / "instances" / "markazi-season.json.gz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", type=Path, default=SEASON)
    parser.add_argument("--solution", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--read", type=float, default=12.0, help="seconds before the roster")
    args = parser.parse_args()
    raw = args.instance.read_bytes()
    if args.instance.suffix == ".gz":
        raw = gzip.decompress(raw)
    problem = compile_instance(instance_from_data(json.loads(raw)))
    roster_json = args.solution.read_bytes()
    downloads._maker()  # the spare child, warm by the first run
    time.sleep(8)
    seconds = []
    for run in range(args.runs):
        roster = downloads.Handover()
        volunteers = len(problem.volunteer_ids)
        job = downloads.start_ahead(raw, problem, volunteers, roster)[("ahead", "xlsx", "fa")]
        time.sleep(args.read)  # the child reads the season: the search's time
        handed = time.monotonic()
        roster.give(roster_json)
        job.wait(600)
        seconds.append(time.monotonic() - handed)
        size = len(job.result().content)
        print(f"run {run + 1}: the file {seconds[-1]:.2f} s after the hand-over ({size:,} bytes)")
        time.sleep(8)  # the next spare child warms
    print(f"median {statistics.median(seconds):.2f} s over {len(seconds)} runs")


if __name__ == "__main__":  # the child is spawned: it imports this module, not this
    main()
