"""Benchmark: read + validate and compile a province-sized instance.

The issue's goal: 22,000 volunteers and 1,000 camps load and compile in "a few seconds".

Two instances are measured. One is drawn here with a fixed numpy seed, independent of
``campplanner generate``: 12 county seats and ~600 villages around them, 22,000
volunteers in ~1,200 groups, 1,000 summer camps of 1403 with ~25,000 slots, Jalali dates
(a few written in Persian digits), locks and forbidden pairs. The other is the shipped
``instances/markazi-season.json.gz`` (the generator's, 1,200 camps, read through gzip),
when it is there.

Each measurement runs in a fresh Python process, so that caches (the date cache,
imported modules) and peak memory belong to that run alone; each is repeated and the
median reported. The baseline, in the same run, is plain ``json.load`` of the same
file: the ratio shows what validation adds over parsing.

    python benchmarks/bench_load.py            # 3 repeats, writes docs/benchmarks.md
    python benchmarks/bench_load.py --repeats 5 --no-write
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Run as a script, this folder is on sys.path: the shared helper imports as a module.
from _report import machine_line, markdown_table, write_section

SEED = 1403
NUM_VOLUNTEERS = 22_000
NUM_CAMPS = 1_000
NUM_GROUPS = 1_200
NUM_VILLAGES = 600
NUM_LOCKS = 40
REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "instances" / "markazi-season.json.gz"  # also measured, when present
TARGET_SLOTS = 25_000

# County seats of Markazi: id, lat, lon, weight (population in thousands, rounded).
COUNTY_SEATS = [
    ("arak", 34.0917, 49.6892, 590),
    ("saveh", 35.0213, 50.3566, 300),
    ("shazand", 33.9274, 49.4116, 110),
    ("khomein", 33.6406, 50.0789, 105),
    ("zarandieh", 35.3061, 50.4939, 60),
    ("delijan", 33.9905, 50.6839, 55),
    ("mahallat", 33.9110, 50.4530, 55),
    ("khondab", 34.3925, 49.1839, 50),
    ("komijan", 34.7192, 49.3267, 40),
    ("farahan", 34.5039, 49.6861, 40),
    ("tafresh", 34.6931, 50.0131, 35),
    ("ashtian", 34.5219, 50.0061, 17),
]
# Skill id, share of volunteers who hold it, share of slots asking for it.
SKILLS = [
    ("camp_leader", 0.06, 0.04),
    ("physician", 0.03, 0.03),
    ("dentist", 0.01, 0.01),
    ("nurse", 0.06, 0.06),
    ("midwife", 0.01, 0.01),
    ("pharmacist", 0.01, 0.01),
    ("mason", 0.12, 0.16),
    ("labourer", 0.20, 0.20),
    ("electrician", 0.04, 0.04),
    ("plumber", 0.03, 0.03),
    ("carpenter", 0.03, 0.03),
    ("welder", 0.02, 0.02),
    ("painter", 0.04, 0.04),
    ("teacher", 0.10, 0.10),
    ("counsellor", 0.03, 0.03),
    ("veterinarian", 0.01, 0.01),
    ("agronomist", 0.02, 0.02),
    ("cook", 0.05, 0.04),
    ("driver", 0.05, 0.03),
    ("relief_worker", 0.08, 0.04),
]
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


# ---------------------------------------------------------------------- the instance


def _jalali_days(first: str, last: str) -> list[str]:
    """Every Jalali day from ``first`` to ``last`` as text (the season of 1403)."""
    import jdatetime

    y, m, d = map(int, first.split("-"))
    day = jdatetime.date(y, m, d)
    y, m, d = map(int, last.split("-"))
    end = jdatetime.date(y, m, d)
    days = []
    while day <= end:
        days.append(day.strftime("%Y-%m-%d"))
        day += jdatetime.timedelta(days=1)
    return days


def build_instance(seed: int = SEED) -> dict[str, Any]:
    """A Markazi-like season: deterministic for a seed (and a numpy version)."""
    import numpy as np  # here, not at the top: the json.load baseline process stays bare

    rng = np.random.default_rng(seed)
    season = _jalali_days("1403-03-01", "1403-06-31")  # Khordad 1 to Shahrivar 31

    places: list[dict[str, Any]] = []
    weights = np.array([w for *_, w in COUNTY_SEATS], dtype=float)
    for cid, lat, lon, _ in COUNTY_SEATS:
        places.append({"id": cid, "name": cid, "lat": lat, "lon": lon, "county": cid})
    village_county = rng.choice(
        len(COUNTY_SEATS), NUM_VILLAGES, p=np.sqrt(weights) / np.sqrt(weights).sum()
    )
    for i, k in enumerate(village_county):
        cid, lat, lon, _ = COUNTY_SEATS[k]
        km = 30 * np.sqrt(rng.random())  # uniform over a disc of 30 km
        angle = rng.random() * 2 * np.pi
        places.append(
            {
                "id": f"{cid}-v{i:03d}",
                "name": f"روستای {i}",
                "lat": round(lat + km * np.sin(angle) / 111.0, 4),
                "lon": round(lon + km * np.cos(angle) / (111.0 * math.cos(math.radians(lat))), 4),
                "county": cid,
                "deprivation": int(rng.integers(1, 6)),
            }
        )
    seats = np.arange(len(COUNTY_SEATS))
    villages = np.arange(len(COUNTY_SEATS), len(places))

    def random_home() -> str:
        if rng.random() < 0.7:
            return places[int(rng.choice(seats, p=weights / weights.sum()))]["id"]
        return places[int(rng.choice(villages))]["id"]

    groups = [
        {"id": f"g{g:04d}", "name": f"گروه جهادی {g}", "home": random_home()}
        for g in range(NUM_GROUPS)
    ]
    skill_ids = [s for s, *_ in SKILLS]
    hold = np.array([h for _, h, _ in SKILLS])
    ask = np.array([a for *_, a in SKILLS])

    volunteers = []
    for v in range(NUM_VOLUNTEERS):
        num_skills = int(rng.choice([1, 2, 3], p=[0.55, 0.35, 0.10]))
        held = rng.choice(len(SKILLS), num_skills, replace=False, p=hold / hold.sum())
        levels = rng.choice([1, 2, 3], num_skills, p=[0.5, 0.35, 0.15])
        entry: dict[str, Any] = {
            "id": f"v{v:05d}",
            "name": f"داوطلب {v}",
            "home": random_home(),
            "skills": {skill_ids[s]: int(level) for s, level in zip(held, levels, strict=True)},
        }
        if rng.random() < 0.8:
            entry["group"] = f"g{int(rng.integers(NUM_GROUPS)):04d}"
        entry["gender"] = "f" if rng.random() < 0.45 else "m"
        kind = rng.random()
        if kind < 0.55:  # one or two ranges in the season; 40% say nothing; 5% never
            ranges = []
            for _ in range(int(rng.integers(1, 3))):
                first = int(rng.integers(0, len(season) - 10))
                last = min(len(season) - 1, first + int(rng.integers(7, 45)))
                ranges.append([season[first], season[last]])
            if rng.random() < 0.05:  # as typed on a Persian keyboard
                ranges = [
                    [a.translate(PERSIAN_DIGITS), b.translate(PERSIAN_DIGITS)] for a, b in ranges
                ]
            entry["available"] = ranges
        elif kind < 0.60:
            entry["available"] = []
        if rng.random() < 0.3:
            entry["max_km"] = int(rng.choice([30, 50, 100, 150, 250]))
        if rng.random() < 0.05:
            entry["max_camps"] = int(rng.integers(1, 4))
        volunteers.append(entry)

    camps = []
    slots_per_camp = TARGET_SLOTS / NUM_CAMPS
    for c in range(NUM_CAMPS):
        start = int(rng.integers(0, len(season) - 15))
        length = int(rng.integers(3, 15))
        num_reqs = int(rng.integers(3, 8))
        asked = rng.choice(len(SKILLS), num_reqs, replace=False, p=ask / ask.sum())
        if 0 not in asked:
            asked[0] = 0  # every camp has a leader
        # A leader slot plus (num_reqs - 1) requirements of 1 + Poisson slots: on average
        # slots_per_camp slots in all.
        extra = (slots_per_camp - 1) / (num_reqs - 1) - 1
        counts = 1 + rng.poisson(extra, num_reqs)
        requirements = []
        for s, count in zip(asked, counts, strict=True):
            is_leader = s == 0
            requirements.append(
                {
                    "skill": skill_ids[s],
                    "count": 1 if is_leader else int(count),
                    "level": int(rng.choice([1, 2, 3], p=[0.6, 0.3, 0.1])) if not is_leader else 2,
                    "essential": bool(is_leader or rng.random() < 0.1),
                }
            )
        slots = sum(r["count"] for r in requirements)
        camp: dict[str, Any] = {
            "id": f"c{c:04d}",
            "name": f"اردوی {c}",
            "place": places[int(rng.choice(villages))]["id"],
            "start": season[start],
            "end": season[start + length - 1],
            "capacity": int(slots + rng.integers(0, 5)),
            "priority": int(rng.choice([1, 2, 3, 4, 5], p=[0.3, 0.3, 0.2, 0.1, 0.1])),
            "requirements": requirements,
        }
        if rng.random() < 0.15:
            camp["gender"] = "f" if rng.random() < 0.6 else "m"
        camps.append(camp)

    # Locks as planners make them: a known leader (level 2+, free all season, no distance
    # limit) for a camp of a gender they may join; a few of them may still clash in dates.
    leaders = [
        v
        for v in volunteers
        if v["skills"].get("camp_leader", 0) >= 2 and "available" not in v and "max_km" not in v
    ]
    locked = []
    for c, v in zip(
        rng.choice(NUM_CAMPS, NUM_LOCKS, replace=False),
        rng.choice(len(leaders), NUM_LOCKS, replace=False),
        strict=True,
    ):
        if camps[c].get("gender", leaders[v]["gender"]) == leaders[v]["gender"]:
            locked.append(
                {"volunteer": leaders[v]["id"], "camp": camps[c]["id"], "skill": "camp_leader"}
            )
    forbidden = [
        {
            "volunteer": f"v{int(rng.integers(NUM_VOLUNTEERS)):05d}",
            "camp": f"c{int(rng.integers(NUM_CAMPS)):04d}",
        }
        for _ in range(200)
    ]
    return {
        "format": "campplanner/1",
        "name": f"bench-markazi-1403-seed{seed}",
        "calendar": "jalali",
        "rules": {"rest_days": 1, "max_camps": 2, "road_factor": 1.3},
        "skills": [{"id": s, "name": s} for s in skill_ids],
        "places": places,
        "groups": groups,
        "volunteers": volunteers,
        "camps": camps,
        "locked": locked,
        "forbidden": forbidden,
    }


# ------------------------------------------------------------------------ workers


def _peak_rss_mib() -> float:
    """This process's peak resident memory, in MiB.

    VmHWM, not ``getrusage().ru_maxrss``: on Linux a child's ru_maxrss starts at its
    parent's resident size at fork (it survives exec), so every worker would report at
    least the size of this script after drawing the instance.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def worker(mode: str, path: str) -> dict[str, Any]:
    """One measurement in this (fresh) process; printed as JSON for the parent."""
    if mode == "json":  # the baseline: bytes -> (gunzip) -> json, nothing checked
        import gzip

        rss_before = _peak_rss_mib()
        began = time.perf_counter()
        raw = Path(path).read_bytes()
        if raw.startswith(b"\x1f\x8b"):
            raw = gzip.decompress(raw)
        json.loads(raw)
        return {"read": time.perf_counter() - began, "rss": _peak_rss_mib(), "rss0": rss_before}
    if mode == "campplanner":
        from campplanner.contract.instance import instance_from_data, read_json
        from campplanner.model.compile import compile_instance

        rss_before = _peak_rss_mib()
        began = time.perf_counter()
        data = read_json(path)  # load_instance is these two steps
        parsed = time.perf_counter()
        instance = instance_from_data(data, path)
        loaded = time.perf_counter()
        problem = compile_instance(instance)
        compiled = time.perf_counter()
        return {
            "parse": parsed - began,
            "validate": loaded - parsed,
            "read": loaded - began,
            "compile": compiled - loaded,
            "rss": _peak_rss_mib(),
            "rss0": rss_before,
            "candidates": problem.num_candidates,
            "slots": problem.num_slots,
            "volunteers": problem.num_volunteers,
            "camps": problem.num_camps,
            "places": len(problem.place_ids),
            "impossible_locks": len(problem.impossible_locks),
            "locks": len(instance.locked),
        }
    raise ValueError(mode)


def _run_worker(mode: str, path: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", mode, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def _run_command(path: Path) -> float:
    """Wall time of the whole ``campplanner validate`` process, start to exit."""
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from campplanner.cli import main; main()", "validate", str(path)],
        capture_output=True,
        check=True,
    )
    return time.perf_counter() - began


def measure(path: Path, repeats: int) -> dict[str, Any]:
    """Baseline, campplanner and the whole command, interleaved so drift hits all alike."""
    baseline, runs, commands = [], [], []
    for _ in range(repeats):
        baseline.append(_run_worker("json", path))
        runs.append(_run_worker("campplanner", path))
        commands.append(_run_command(path))
    return {"baseline": baseline, "runs": runs, "commands": commands}


# ------------------------------------------------------------------------- report


def _median(values: list[float]) -> float:
    return statistics.median(values)


def table(result: dict[str, Any], baseline_name: str) -> str:
    """The markdown table of one instance's measurements."""
    baseline, runs = result["baseline"], result["runs"]

    def row(step: str, values: list[float], ratio: bool = False, rss: str = "") -> list[str]:
        times = " / ".join(f"{v:.2f}" for v in values)
        times_baseline = _median([r["read"] for r in baseline])
        x = f"{_median(values) / times_baseline:.1f}" if ratio else ""
        return [step, f"{_median(values):.2f}", times, x, rss]

    def rss(measurements: list[dict[str, Any]]) -> str:
        return f"{_median([m['rss'] for m in measurements]):.0f}"

    rows = [
        row(f"{baseline_name} (baseline)", [r["read"] for r in baseline], True, rss(baseline)),
        row("parse (`read_json`)", [r["parse"] for r in runs], True),
        row("validate + cross-check (`instance_from_data`)", [r["validate"] for r in runs]),
        row("read + validate (`load_instance`)", [r["read"] for r in runs], True),
        row("compile (`compile_instance`)", [r["compile"] for r in runs]),
        row("**load + compile**", [r["read"] + r["compile"] for r in runs], True, rss(runs)),
        row("`campplanner validate`, whole process", result["commands"]),
    ]
    header = ["step", "median s ", "runs s ", "x baseline ", "peak RSS MiB "]
    return markdown_table(header, rows)


def describe(result: dict[str, Any]) -> str:
    facts, runs = result["runs"][0], result["runs"]
    locks = (
        f"{facts['impossible_locks']} of {facts['locks']} locks cannot hold"
        if facts["locks"]
        else "no locks"
    )
    compile_share = _median([r["compile"] / (r["read"] + r["compile"]) for r in runs])
    parse_share = _median([r["parse"] / r["read"] for r in runs])
    return (
        f"{facts['volunteers']:,} volunteers, {facts['camps']:,} camps, "
        f"{facts['slots']:,} slots, {facts['places']:,} places; "
        f"**{facts['candidates']:,} candidates** (volunteer, camp, skill); {locks}. "
        f"Compile is {compile_share:.0%} of load + compile; in `load_instance`, JSON "
        f"parsing is {parse_share:.0%} and pydantic plus the cross-checks the rest"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--worker", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return

    began = time.perf_counter()
    data = build_instance(args.seed)
    built = time.perf_counter() - began
    sections = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench-markazi.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        size_mib = path.stat().st_size / 1024**2
        del data
        drawn = measure(path, args.repeats)
        sections += [
            f"### Drawn by this script (seed {args.seed}), plain JSON",
            "",
            f"{describe(drawn)}. {len(COUNTY_SEATS)} county seats + {NUM_VILLAGES} villages, "
            f"Jalali dates (5% of ranges in Persian digits), {size_mib:.1f} MiB of JSON, "
            f"drawn in {built:.1f} s.",
            "",
            table(drawn, "`json.loads`"),
        ]
    if SHIPPED.exists():
        shipped = measure(SHIPPED, args.repeats)
        size_mib = SHIPPED.stat().st_size / 1024**2
        sections += [
            "",
            f"### `{SHIPPED.relative_to(REPO)}` (from `campplanner generate`), gzip",
            "",
            f"{describe(shipped)}. {size_mib:.1f} MiB on disk; the baseline decompresses too.",
            "",
            table(shipped, "`gzip` + `json.loads`"),
        ]
    first = drawn["runs"]
    markdown = "\n".join(
        [
            "## Loading and compiling a province (`benchmarks/bench_load.py`)",
            "",
            'The goal: 22,000 volunteers and 1,000 camps load and compile in "a few seconds". '
            f"Medians of {args.repeats} runs, each in a fresh process; *runs* lists every run. "
            "Peak RSS is the process's VmHWM, imports included "
            f"({_median([r['rss0'] for r in first]):.0f} MiB once campplanner is imported, "
            f"{_median([r['rss0'] for r in drawn['baseline']]):.0f} MiB for bare Python). "
            "The whole `validate` process adds interpreter start, imports and the summary.",
            "",
            *sections,
            "",
            f"Machine: {machine_line()}.",
        ]
    )
    print(markdown)
    if not args.no_write:
        print(f"\nwritten to {write_section('load', markdown)}")


if __name__ == "__main__":
    main()
