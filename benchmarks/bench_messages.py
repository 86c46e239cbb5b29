"""Benchmark: how long reporting every problem of a province-sized file takes.

Issue 17 made the loader cross-check what parsed after a type error and suggest the id
meant for every unknown one. Both run on the raw JSON of the whole file, so they must
stay cheap on the shipped season (22,000 volunteers, 1,200 camps): this script times
``instance_from_data`` on it clean, and with N mistyped references (volunteer ids in
locks, skill ids in requirements, place ids of volunteers) plus one type error, until
the one InstanceError that lists them all. The baseline, in the same run, is the clean
file. Median of the repeats, in this process (the date cache is warm for every row).

    python benchmarks/bench_messages.py            # 3 repeats, writes docs/benchmarks.md
    python benchmarks/bench_messages.py --repeats 5 --no-write
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from _report import machine_line, markdown_table, write_section

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from campplanner.contract.errors import InstanceError  # noqa: E402
from campplanner.contract.instance import instance_from_data, read_json  # noqa: E402

SEASON = REPO / "instances" / "markazi-season.json.gz"
MISTAKES = (0, 10, 250, 2_000)


def with_mistakes(data: dict[str, Any], count: int) -> dict[str, Any]:
    """``data`` with ``count`` mistyped references, in turn of three kinds, and (for any
    count above 0) one type error: a capacity written as text."""
    broken = copy.deepcopy(data)
    if count:
        broken["camps"][0]["capacity"] = "5"
    volunteers, camps = broken["volunteers"], broken["camps"]
    for k in range(count):
        kind = k % 3
        if kind == 0:  # a lock on a volunteer id whose last digit is an x (ambiguous: no hint)
            person = volunteers[k % len(volunteers)]
            broken.setdefault("locked", []).append(
                {
                    "volunteer": person["id"][:-1] + "x",
                    "camp": camps[0]["id"],
                    "skill": camps[0]["requirements"][0]["skill"],
                }
            )
        elif kind == 1:  # a requirement's skill in capitals
            requirement = camps[k % len(camps)]["requirements"][0]
            requirement["skill"] = requirement["skill"].upper()
        else:  # a volunteer's home with a letter doubled
            person = volunteers[k % len(volunteers)]
            person["home"] = person["home"] + person["home"][-1]
    return broken


def seconds_to_report(data: dict[str, Any], repeats: int) -> tuple[float, int]:
    times, found = [], 0
    for _ in range(repeats):
        started = time.perf_counter()
        try:
            instance_from_data(data, "season")
            found = 0
        except InstanceError as error:
            found = len(error.issues)
        times.append(time.perf_counter() - started)
    return statistics.median(times), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    arguments = parser.parse_args()
    data = read_json(SEASON)
    rows = []
    for count in MISTAKES:
        seconds, found = seconds_to_report(with_mistakes(data, count), arguments.repeats)
        rows.append([f"{count:,}", f"{found:,}", f"{seconds:.2f}"])
        print(f"{count:>6} mistakes: {found:>6} problems reported in {seconds:.2f} s")
    markdown = (
        "## Reporting every problem of a season at once\n\n"
        f"`benchmarks/bench_messages.py`, {machine_line()}. `instance_from_data` on "
        f"`{SEASON.name}` ({len(data['volunteers']):,} volunteers, {len(data['camps']):,} "
        "camps) with N mistyped references and one type error, to the one error that "
        "lists them all (median of "
        f"{arguments.repeats}); the first row, the clean file, is the baseline.\n\n"
        + markdown_table(["mistyped references ", "problems reported ", "seconds "], rows)
    )
    if not arguments.no_write:
        print(f"wrote {write_section('messages', markdown)}")


if __name__ == "__main__":
    main()
