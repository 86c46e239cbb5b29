"""Robustness: the large method on seasons of every shape, and re-planning after dropouts.

Targets (issue 13, one core): every 22,000-volunteer case within 1% of the proven bound
in 120 s and within 0.5% in 60 s when supply-rich; never below the plain greedy; wall
time at most the limit + 5 s for the whole process, reading to writing; under 4 GiB.
Re-planning: a roster in under 10 s, coverage at least a from-scratch solve's with the
same limit, changed assignments at most the plain refill's.

Instances come from our generator at 3,000, 10,000 and 22,000 volunteers in four shapes,
three seeds each, plus the two seasons of another generator kept in
``../shared/instances/foreign/``:

- *rich*: supply-rich (900 camps and 11,000 slots per 22,000 volunteers), 60 s;
- *tight*: 1,200 camps and 30,000 slots per 22,000 volunteers, 120 s;
- *beds*: the tight shape with beds cut to 60% of each team (never below its essential
  slots), so that beds bind in every camp, 120 s;
- *teams*: 600 camps and 26,000 slots per 22,000 volunteers (teams twice the tight
  size), ``max_camps`` 1 for everyone, ``rest_days`` 1 or 2 (by seed), 120 s;
- *foreign*: the two foreign files, 120 s.

Every solve is a fresh ``campplanner solve`` process (the CLI itself, ``-q -o``): its
wall time and peak RSS are measured by ``wait4``, from start to exit, so the time
limit is judged on everything (import, reading, compiling, solving, writing). *to 1%*
is read from the solver's trace in the solution file (the first moment the proven gap
was at most 1%). Every roster is judged by ``check_solution_file``. The plain greedy of
issue 13 (``first_roster.plain_greedy``) runs in its own process in the same run.

Re-plan matrix, on each 22,000-volunteer case: the from-scratch roster above is the
published one; 30 volunteers who serve in the scarcest essential roles drop out
(``available: []``); then ``solve NEW --baseline PUBLISHED --time-limit 30``, a
from-scratch ``solve NEW --time-limit 30``, and the plain refill (the published
roster, each vacated slot refilled by the first free qualified volunteer, camps short
of an essential role cancelled), computed here.

Records go to a JSON file as they come (``--results``), so the matrix can be run in
parts (``--only``, ``--sizes``, ``--seeds``, ``--shapes``, ``--no-replan``) and the
table is made from every record kept there; ``--write`` puts it in docs/benchmarks.md.

    python benchmarks/bench_robust.py --sizes 22000 --seeds 1 --write   # ~20 minutes
    python benchmarks/bench_robust.py --write                           # ~2.5 hours
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import machine_line, markdown_table, write_section

REPO = Path(__file__).resolve().parents[1]
FOREIGN = REPO.parent / "shared" / "instances" / "foreign"
if not FOREIGN.exists():
    FOREIGN = Path("/work/shared/instances/foreign")
SIZES = (3_000, 10_000, 22_000)
SEEDS = (1, 2, 3)
# shape: (camps per 22,000 volunteers, slots per 22,000 volunteers, time limit s)
SHAPES: dict[str, tuple[int, int, float]] = {
    "rich": (900, 11_000, 60.0),
    "tight": (1_200, 30_000, 120.0),
    "beds": (1_200, 30_000, 120.0),
    "teams": (600, 26_000, 120.0),
}
FOREIGN_LIMIT = 120.0
REPLAN_LIMIT = 30.0
DROPOUTS = 30
GRACE = 60.0  # seconds past the limit before a run is killed
CLI = [sys.executable, "-c", "from campplanner.cli import main; main()"]
NOTES = """Reading the tables:

- *teams*: the bound is the LP relaxation's (column generation over all ~2 million
  candidates converges to the same value as the restricted LP: 82,946 on
  teams-22k-s1), and with teams of 43 and `max_camps` 1 it lies 2.5-5.5% above every
  roster found; the first roster already gains 4,572 (6.0%) over the plain greedy on
  teams-22k-s1, and the search adds tens more. Whether the optimum is nearer the
  roster or the bound is not known: the 1% target there is out of reach of the bound
  we have (an integer core of ~100,000 candidates is too large to build in time).
- *foreign*: the bound comes from column generation (62,563 / 63,036, reached in 33 /
  38 s). It needs a volunteer who may join one camp to get one row over all their
  candidates in the LP: when that shortcut was lost in a refactor, the LP stopped
  finishing and the bound stayed at the demand bound (64,383, a 3.3% gap) until it
  was restored (model/rules.py, pinned by a test).
- Re-planning: *target* requires a first roster in under 10 s, coverage at least the
  from-scratch solve's and changes at most the plain refill's. Coverage is short of the
  from-scratch solve's on *tight* (-0.35%; -0.71% before the re-plan's search was guided
  by the bound's multipliers, as a solve from scratch is) and *beds* (-0.45% here,
  -0.33% with 718 changes in a run on the idle machine before that change, which the
  probe found neutral there): the re-plan gains +3,441 and +1,481 over the refill in
  30 s but not all of what the LP-guided greedy of a fresh solve finds. *beds* keeps
  7.5 s of its 30 back for explaining its 5,071 open slots. Changes: below the
  refill's on every case but this *beds* run (787 against 765).
- Wall times include Python's start, reading and writing; under heavy load they
  stretch (the solver's deadline is kept, reading and writing are not)."""


# ---------------------------------------------------------------------- instances


def shaped_instance(shape: str, volunteers: int, seed: int) -> dict[str, Any]:
    """Our generator's season in one of the four shapes (see the module docstring)."""
    from campplanner.generate import generate_instance

    camps_per, slots_per, _ = SHAPES[shape]
    camps = max(10, round(volunteers * camps_per / 22_000))
    slots = round(volunteers * slots_per / 22_000)
    data = generate_instance(volunteers=volunteers, camps=camps, slots=slots, seed=seed)
    data["name"] = f"{shape}-{volunteers // 1000}k-s{seed}"
    if shape == "beds":
        for camp in data["camps"]:
            team = sum(r["count"] for r in camp["requirements"])
            essential = sum(r["count"] for r in camp["requirements"] if r.get("essential"))
            camp["capacity"] = max(essential, math.ceil(0.6 * team), 1)
    elif shape == "teams":
        data["rules"]["max_camps"] = 1
        data["rules"]["rest_days"] = 1 + seed % 2
        for person in data["volunteers"]:
            person.pop("max_camps", None)
    return data


def write_gz(data: dict[str, Any], path: Path) -> None:
    temporary = path.with_suffix(".tmp")
    with gzip.open(temporary, "wt", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False)
    temporary.replace(path)


def cases(args: argparse.Namespace, folder: Path) -> list[dict[str, Any]]:
    chosen = []
    for shape in args.shapes:
        for volunteers in args.sizes:
            for seed in args.seeds:
                name = f"{shape}-{volunteers // 1000}k-s{seed}"
                chosen.append(
                    {
                        "name": name,
                        "shape": shape,
                        "volunteers": volunteers,
                        "seed": seed,
                        "limit": SHAPES[shape][2],
                        "path": folder / f"{name}.json.gz",
                    }
                )
    if not args.no_foreign:
        for path in sorted(FOREIGN.glob("*.json.gz")):
            chosen.append(
                {
                    "name": path.name.split(".")[0],
                    "shape": "foreign",
                    "volunteers": 22_000,
                    "seed": None,
                    "limit": FOREIGN_LIMIT,
                    "path": path,
                }
            )
    if args.only:
        chosen = [case for case in chosen if args.only in case["name"]]
    for case in chosen:
        if not case["path"].exists():
            print(f"generating {case['name']} ...", file=sys.stderr, flush=True)
            data = shaped_instance(case["shape"], case["volunteers"], case["seed"])
            write_gz(data, case["path"])
    return chosen


# ------------------------------------------------------------------- measuring


def run_measured(command: list[str], limit: float) -> dict[str, Any]:
    """Run ``command``; its wall time, peak RSS (MiB) and exit code."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    started = time.monotonic()
    errors = tempfile.TemporaryFile()  # noqa: SIM115  (closed below)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, env=env)
    killed = False
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > started + limit + GRACE:
            process.kill()
            killed = True
            pid, status, usage = os.wait4(process.pid, 0)
            break
        time.sleep(0.05)
    record = {
        "wall_s": time.monotonic() - started,
        "peak_mib": usage.ru_maxrss / 1024,
        "exit": "killed" if killed else os.waitstatus_to_exitcode(status),
    }
    if record["exit"] not in (0, "killed"):
        errors.seek(0)
        lines = errors.read().decode(errors="replace").strip().splitlines()
        record["error"] = lines[-1][:120] if lines else ""
    errors.close()
    return record


def time_to(trace: list[list[Any]], fraction: float) -> float | None:
    """First elapsed second at which (bound - coverage) <= fraction x bound."""
    for elapsed, value, bound in trace:
        if bound is not None and value is not None and bound - value <= fraction * bound:
            return float(elapsed)
    return None


def solve_case(path: Path, limit: float, out: Path, baseline: Path | None = None) -> dict:
    from campplanner.check import check_solution_file

    command = [
        *CLI,
        "solve",
        str(path),
        "--time-limit",
        f"{limit:g}",
        "-q",
        "-o",
        str(out),
        "--force",
    ]
    if baseline is not None:
        command += ["--baseline", str(baseline)]
    record = run_measured(command, limit)
    if not out.exists():
        return record
    solution = json.loads(out.read_text(encoding="utf-8"))
    solver = solution.get("solver") or {}
    trace = solver.get("trace") or []
    record.update(
        status=solution.get("status"),
        coverage=solution.get("coverage"),
        bound=solution.get("coverage_bound"),
        to_1pct_s=time_to(trace, 0.01),
        first_s=trace[0][0] if trace else None,
        first_coverage=trace[0][1] if trace else None,
        bound_source=solver.get("bound_source"),
    )
    if baseline is not None:
        record["changes"] = (solution.get("replan") or {}).get("changed_assignments")
    report = check_solution_file(path, out)
    record["check_ok"] = bool(report.ok and solution.get("assignments"))
    return record


def greedy_child(path: str, out: str) -> None:
    """In a fresh process: load, compile, the plain greedy; its coverage."""
    from campplanner.app.inspect import load_problem
    from campplanner.model.terms import coverage
    from campplanner.solver.first_roster import plain_greedy

    started = time.monotonic()
    _, problem = load_problem(path)
    roster = plain_greedy(problem)
    record = {"coverage": coverage(problem, roster), "seconds": time.monotonic() - started}
    Path(out).write_text(json.dumps(record), encoding="utf-8")


def greedy_case(path: Path) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    record = run_measured([sys.executable, __file__, "--greedy-child", str(path), str(out)], 120)
    with contextlib.suppress(OSError, ValueError):  # no record: the run failed
        record.update(json.loads(out.read_text(encoding="utf-8")))
    out.unlink(missing_ok=True)
    return record


# ------------------------------------------------------------------ re-planning


def dropout_instance(path: Path, published: Path, out: Path, seed: int) -> list[str]:
    """The instance at ``path`` with DROPOUTS volunteers of the scarcest essential roles
    of the published roster made unavailable; their ids."""
    import numpy as np

    from campplanner.app.inspect import load_problem
    from campplanner.contract.instance import read_json
    from campplanner.solver.greedy import skill_pressure

    data = read_json(str(path))
    _, problem = load_problem(str(path))
    pressure = skill_pressure(problem)
    solution = json.loads(published.read_text(encoding="utf-8"))
    essential = {
        (
            problem.camp_ids[int(problem.requirement_camp[r])],
            problem.skill_ids[int(problem.requirement_skill[r])],
        )
        for r in np.flatnonzero(problem.requirement_essential)
    }
    serving = sorted(
        {
            (float(pressure[problem.skill_index[a["skill"]]]), a["volunteer"])
            for a in solution["assignments"]
            if (a["camp"], a["skill"]) in essential
        }
    )
    # the scarcest roles first; among those, a seeded draw so cases differ
    scarce = [v for _, v in serving[::-1][: 4 * DROPOUTS]]
    rng = np.random.default_rng(seed)
    gone = sorted(
        rng.choice(
            sorted(set(scarce)), size=min(DROPOUTS, len(set(scarce))), replace=False
        ).tolist()
    )
    gone_set = set(gone)
    for person in data["volunteers"]:
        if person["id"] in gone_set:
            person["available"] = []
    write_gz(data, out)
    return gone


def plain_refill(path: Path, published: Path) -> dict[str, Any]:
    """The published roster minus the forced removals, each vacated slot refilled by the
    first free qualified volunteer; camps short of an essential role cancelled
    (``model.baseline.plain_refill``)."""
    import numpy as np

    from campplanner.app.inspect import load_problem
    from campplanner.io.solution_reader import load_solution
    from campplanner.model import baseline as baselines
    from campplanner.model.terms import coverage
    from campplanner.whatif.diff import published_roster

    started = time.monotonic()
    _, problem = load_problem(str(path))
    triples, cancelled = published_roster(load_solution(str(published)))
    baseline = baselines.baseline_from_triples(problem, triples, cancelled)
    roster = baselines.plain_refill(problem, baseline)
    changes = len(np.setxor1d(roster, baseline.kept)) + len(baseline.dropped)
    return {
        "coverage": coverage(problem, roster),
        "changes": changes,
        "seconds": time.monotonic() - started,
    }


# ----------------------------------------------------------------------- tables


def _fmt(value: Any, pattern: str = "{:,}") -> str:
    return "-" if value is None else pattern.format(value)


def _gap(coverage: Any, bound: Any) -> float | None:
    if coverage is None or not bound:
        return None
    return (bound - coverage) / bound


def tables(records: dict[str, Any]) -> str:
    header = [
        "case",
        "limit s ",
        "greedy ",
        "first roster ",
        "coverage ",
        "bound ",
        "gap ",
        "to 1% s ",
        "wall s ",
        "peak MiB ",
        "check",
        "target",
    ]
    rows = []
    misses = []
    for name in sorted(records["solve"], key=_case_key):
        run = records["solve"][name]
        ours, greedy = run["large"], run.get("greedy", {})
        limit = run["limit"]
        gap = _gap(ours.get("coverage"), ours.get("bound"))
        goal = 0.005 if run["shape"] == "rich" else 0.01
        met = (
            gap is not None
            and gap <= goal + 1e-12
            and ours["wall_s"] <= limit + 5
            and ours["peak_mib"] < 4096
            and ours.get("check_ok")
            and (ours.get("coverage") or 0) >= (greedy.get("coverage") or 0)
        )
        verdict = "met" if met else "**not met**"
        if run["volunteers"] < 22_000:
            verdict = "met" if met else "(not met)"  # the targets are for full seasons
        elif not met:
            misses.append(name)
        rows.append(
            [
                name,
                f"{limit:.0f}",
                _fmt(greedy.get("coverage")),
                _fmt(ours.get("first_coverage")),
                _fmt(ours.get("coverage")),
                _fmt(ours.get("bound")),
                "-" if gap is None else f"{100 * gap:.2f}%",
                _fmt(ours.get("to_1pct_s"), "{:.1f}"),
                f"{ours['wall_s']:.1f}",
                f"{ours['peak_mib']:,.0f}",
                "yes" if ours.get("check_ok") else "NO",
                verdict,
            ]
        )
    parts = [markdown_table(header, rows)]
    walls = [r["large"]["wall_s"] for r in records["solve"].values()]
    if walls:
        median = statistics.median(walls)
        parts.append(
            f"Median wall over {len(walls)} cases: {median:.1f} s. Full-season "
            f"cases missing a target: {', '.join(misses) or 'none'}."
        )
    replan_rows = []
    for name in sorted(records.get("replan", {}), key=_case_key):
        run = records["replan"][name]
        ours, scratch, refill = run["replan"], run["scratch"], run["refill"]
        met = (
            (ours.get("first_s") or 99) < 10
            and (ours.get("coverage") or 0) >= (scratch.get("coverage") or 0)
            and ours.get("changes") is not None
            and ours["changes"] <= refill["changes"]
            and ours.get("check_ok")
        )
        replan_rows.append(
            [
                name,
                str(run["forced"]),
                _fmt(ours.get("first_s"), "{:.1f}"),
                _fmt(ours.get("first_coverage")),
                _fmt(ours.get("coverage")),
                _fmt(scratch.get("coverage")),
                _fmt(refill["coverage"]),
                _fmt(ours.get("changes")),
                _fmt(refill["changes"]),
                f"{ours['wall_s']:.1f}",
                "yes" if ours.get("check_ok") else "NO",
                "met" if met else "**not met**",
            ]
        )
    if replan_rows:
        parts.append(
            f"Re-planning after {DROPOUTS} dropouts among the scarcest essential roles of the "
            f"published roster, `--time-limit {REPLAN_LIMIT:g}` (re-plan and from scratch); "
            "*forced*: published assignments no longer possible; *first s*: time to the "
            "first roster (the published one, refilled), from the start of the process."
        )
        parts.append(
            markdown_table(
                [
                    "case",
                    "forced ",
                    "first s ",
                    "first coverage ",
                    "re-plan coverage ",
                    "from scratch ",
                    "plain refill ",
                    "re-plan changes ",
                    "refill changes ",
                    "wall s ",
                    "check",
                    "target",
                ],
                replan_rows,
            )
        )
    return "\n\n".join(parts)


def _case_key(name: str) -> tuple:
    parts = name.split("-")
    size = int(parts[1][:-1]) if len(parts) > 1 and parts[1].endswith("k") else 99
    return (parts[0] == "foreign", size, name)


# ------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="run only cases whose name contains this")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    parser.add_argument("--shapes", nargs="+", default=list(SHAPES), choices=list(SHAPES))
    parser.add_argument("--no-foreign", action="store_true")
    parser.add_argument("--no-replan", action="store_true")
    parser.add_argument("--no-solve", action="store_true", help="only the re-plan matrix")
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "bench_robust")
    parser.add_argument("--results", type=Path, help="default: FOLDER/results.json")
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md")
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    results_path = args.results or args.folder / "results.json"
    records: dict[str, Any] = {"solve": {}, "replan": {}}
    if results_path.exists():
        records.update(json.loads(results_path.read_text(encoding="utf-8")))

    def save() -> None:
        results_path.write_text(json.dumps(records, indent=1), encoding="utf-8")

    for case in cases(args, args.folder):
        name, path, limit = case["name"], case["path"], case["limit"]
        out = args.folder / f"{name}.solution.json"
        if not args.no_solve:
            print(f"{name}: solve ...", file=sys.stderr, flush=True)
            large = solve_case(path, limit, out)
            print(f"  {large}", file=sys.stderr, flush=True)
            greedy = greedy_case(path)
            print(f"  greedy {greedy}", file=sys.stderr, flush=True)
            records["solve"][name] = {
                "shape": case["shape"],
                "volunteers": case["volunteers"],
                "limit": limit,
                "large": large,
                "greedy": greedy,
            }
            save()
        if args.no_replan or case["volunteers"] < 22_000 or not out.exists():
            continue
        print(f"{name}: re-plan ...", file=sys.stderr, flush=True)
        edited = args.folder / f"{name}.dropouts.json.gz"
        dropout_instance(path, out, edited, seed=case["seed"] or 0)
        replan_out = args.folder / f"{name}.replan.json"
        replan = solve_case(edited, REPLAN_LIMIT, replan_out, baseline=out)
        scratch = solve_case(edited, REPLAN_LIMIT, args.folder / f"{name}.scratch.json")
        refill = plain_refill(edited, out)
        forced = _forced(edited, out)
        records["replan"][name] = {
            "replan": replan,
            "scratch": scratch,
            "refill": refill,
            "forced": forced,
        }
        print(f"  {records['replan'][name]}", file=sys.stderr, flush=True)
        save()

    markdown = "\n\n".join(
        [
            "## Robustness: every shape, foreign seasons, re-planning "
            "(`benchmarks/bench_robust.py`)",
            "Targets (issue 13): each 22,000-volunteer case within 1% of the proven bound in "
            "120 s (0.5% in 60 s for *rich*), never below the plain greedy, wall at most the "
            "limit + 5 s from process start to exit, under 4 GiB. *greedy*: the plain greedy "
            "of issue 13, in its own process; *first roster*: the large method's first "
            "roster; *to 1% s*: first moment the proven gap was at most 1% (from process "
            "start, reading included); *check*: the solution file passes `check`. Shapes and "
            "seeds: see the script's docstring. One run per case, 2 cores shared with other "
            "work: timings are noisy, medians are quoted.",
            tables(records),
            NOTES,
            f"Machine: {machine_line()}.",
        ]
    )
    if args.write:
        write_section("robust", markdown)
    print(markdown)


def _forced(edited: Path, published: Path) -> int:
    from campplanner.app.inspect import load_problem
    from campplanner.io.solution_reader import load_solution
    from campplanner.model.baseline import baseline_from_triples
    from campplanner.whatif.diff import published_roster

    _, problem = load_problem(str(edited))
    triples, cancelled = published_roster(load_solution(str(published)))
    return len(baseline_from_triples(problem, triples, cancelled).dropped)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--greedy-child":
        greedy_child(sys.argv[2], sys.argv[3])
    else:
        main()
