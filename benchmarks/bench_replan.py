"""Re-planning and scenario comparison, against the targets of the scenarios issue.

1. Full season (``instances/markazi-season.json.gz``): solve it (the published roster),
   then 30 of its serving physicians drop out; re-plan from the published roster with a
   20 s limit. Reported: wall seconds from loading to the roster, coverage before and
   after, the bound, changed assignments, the forced ones (published assignments no
   longer possible) and the proven lower bound on changes. Baseline in the same run:
   solving the changed season from scratch with the same limit, and counting how many
   assignments that changes against the published roster.
2. Four scenarios of ``instances/medium.json`` compared side by side (``compare``):
   wall seconds for the whole comparison.

Run: ``python benchmarks/bench_replan.py``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import REPO, machine_line, markdown_table, write_section
from campplanner.contract.instance import instance_from_data, read_json
from campplanner.model.baseline import baseline_from_triples
from campplanner.model.compile import compile_instance
from campplanner.solver import SolveOptions, make_solver
from campplanner.whatif.compare import compare
from campplanner.whatif.diff import diff_rosters, roster_triples
from campplanner.whatif.scenario import Scenario, apply_edits

SEASON = REPO / "instances" / "markazi-season.json.gz"
MEDIUM = REPO / "instances" / "medium.json"


def solve(
    data: dict[str, Any],
    time_limit: float,
    published: list | None = None,
    cancelled: list | None = None,
) -> tuple[Any, Any, float]:
    started = time.monotonic()
    problem = compile_instance(instance_from_data(data, "bench"))
    baseline = None
    if published is not None:
        baseline = baseline_from_triples(problem, published, cancelled or [])
    solver = make_solver(problem, SolveOptions(time_limit=time_limit), baseline=baseline)
    result = solver.solve(started=started)
    return problem, result, time.monotonic() - started


def replan_rows(publish_limit: float, replan_limit: float) -> list[list[str]]:
    season = read_json(SEASON)
    problem, published_result, publish_s = solve(season, publish_limit)
    published = roster_triples(problem, published_result.assigned)
    staffed = {c for _, c, _ in published}
    cancelled = [c for c in problem.camp_ids if c not in staffed]  # as the solution file says
    physicians = sorted({v for v, _, s in published if s == "physician"})[:30]
    scenario = Scenario.model_validate(
        {
            "name": "30 physicians drop out",
            "edits": [{"op": "remove_volunteers", "volunteers": physicians}],
        }
    )
    changed = apply_edits(season, scenario, "bench")

    problem2, replanned, replan_s = solve(changed, replan_limit, published, cancelled)
    diff = diff_rosters(published, roster_triples(problem2, replanned.assigned))
    forced = len(baseline_from_triples(problem2, published).dropped)
    _, scratch, scratch_s = solve(changed, replan_limit)
    scratch_diff = diff_rosters(published, roster_triples(problem2, scratch.assigned))
    return [
        [
            "published roster",
            f"{publish_s:.1f}",
            f"{published_result.coverage:,}",
            f"{published_result.coverage_bound:,}",
            "-",
            "-",
            "-",
            "-",
        ],
        [
            f"re-plan from it (--baseline, {replan_limit:g} s)",
            f"{replan_s:.1f}",
            f"{replanned.coverage:,}",
            f"{replanned.coverage_bound:,}",
            f"{diff.changed_assignments:,}",
            f"{forced:,}",
            f"{replanned.changes_bound:,}",
            f"{diff.people:,}",
        ],
        [
            f"baseline: solve from scratch ({replan_limit:g} s)",
            f"{scratch_s:.1f}",
            f"{scratch.coverage:,}",
            f"{scratch.coverage_bound:,}",
            f"{scratch_diff.changed_assignments:,}",
            f"{forced:,}",
            "-",
            f"{scratch_diff.people:,}",
        ],
    ]


def compare_row(time_limit: float) -> list[str]:
    base = read_json(MEDIUM)
    problem = compile_instance(instance_from_data(base, "medium"))
    physician = problem.skill_index["physician"]
    physicians = [
        problem.volunteer_ids[v]
        for v in range(problem.num_volunteers)
        if problem.volunteer_skill_level[v, physician]
    ][:10]
    camps = list(problem.camp_ids)
    scenarios = [
        {
            "name": "10 physicians away",
            "edits": [{"op": "remove_volunteers", "volunteers": physicians}],
        },
        {"name": "5 camps dropped", "edits": [{"op": "remove_camps", "camps": camps[:5]}]},
        {
            "name": "priority 5 for 10 camps",
            "edits": [{"op": "set_camp", "camp": c, "priority": 5} for c in camps[:10]],
        },
        {"name": "2 rest days", "edits": [{"op": "set_rules", "rules": {"rest_days": 2}}]},
    ]
    named = [("base", base)]
    for entry in scenarios:
        named.append((entry["name"], apply_edits(base, Scenario.model_validate(entry), "bench")))
    started = time.monotonic()
    results = compare(named, SolveOptions(time_limit=time_limit), jobs=2)
    wall = time.monotonic() - started
    statuses = ", ".join(
        f"{m.name}: {m.status} {m.coverage:,}/{m.coverage_bound:,}" for m in results
    )
    return [f"{len(scenarios)} scenarios + base of medium.json", f"{wall:.1f}", statuses]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--publish-limit", type=float, default=60.0)
    parser.add_argument("--replan-limit", type=float, default=15.0)
    parser.add_argument("--compare-limit", type=float, default=20.0)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    rows = replan_rows(args.publish_limit, args.replan_limit)
    for row in rows:
        print(" | ".join(row), flush=True)
    comparison = compare_row(args.compare_limit)
    print(" | ".join(comparison), flush=True)
    header = [
        "run",
        "wall s",
        "coverage",
        "proven bound",
        "changed assignments",
        "forced (no longer possible)",
        "proven fewest changes (lower bound)",
        "people to call",
    ]
    comparison_table = markdown_table(
        ["comparison", "wall s", "status, coverage/bound per scenario"], [comparison]
    )
    markdown = "\n".join(
        [
            "## Re-planning and scenarios (`bench_replan.py`)",
            "",
            machine_line(),
            "",
            "markazi-season solved (the published roster); then 30 of its serving physicians "
            "drop out. Wall seconds include compiling the changed season.",
            "",
            markdown_table(header, rows),
            "",
            f"Targets: re-plan under 20 s; compare 4 scenarios of medium under 60 s "
            f"(each solve limited to {args.compare_limit:g} s, 2 at a time):",
            "",
            comparison_table,
        ]
    )
    print(markdown)
    if not args.no_write:
        write_section("replan", markdown)


if __name__ == "__main__":
    main()
