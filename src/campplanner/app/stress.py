"""Stress tests as a job: draw absentees, re-plan, many times, on an engine.

:func:`stress_job` reads the instance and the published roster, ships the compiled
problem to an engine once (:mod:`campplanner.whatif.engines`: local processes or Ray), runs
:func:`campplanner.whatif.stress.replan_run` for runs 0..N-1 and builds the report from the
runs that finished. Cancelling (Ctrl-C on the command line) stops the sweep: runs not
finished are dropped and the report of the others is returned, and written, marked
``"partial": true``.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from campplanner.app.jobs import Job, JobControl
from campplanner.app.solving import load_published
from campplanner.contract.errors import UsageError, plain_reason
from campplanner.contract.instance import load_instance
from campplanner.contract.suggest import did_you_mean
from campplanner.io.history_in import load_history
from campplanner.io.outputs import guard_output, write_atomic
from campplanner.model.compile import compile_instance
from campplanner.whatif.attendance import with_history
from campplanner.whatif.engines import make_engine, require_engine
from campplanner.whatif.stress import (
    NoShowRates,
    RunOutcome,
    StressSetup,
    replan_method,
    replan_run,
    run_options,
    stress_report,
)


@dataclass(frozen=True)
class StressRequest:
    """What to stress and how (the command line's ``stress``)."""

    instance_path: str
    solution_path: str
    no_show: float | None = None  # None: the rates file's, else 0.05
    rates_path: str | None = None  # JSON: {"no_show", "skills": {id: rate}, "camp_cancel"}
    # an attendance history (JSON, CSV or .xlsx): each person's own no-show estimate
    history_path: str | None = None
    runs: int = 200
    seed: int = 0
    time_limit_per_run: float = 10.0
    method: str = "auto"  # stress.replan_method: see docs/stress.md
    engine: str = "local"
    address: str | None = None  # Ray: "auto" or "ray://host:port"; None starts one here
    jobs: int | None = None  # parallel runs; None: every core (or the cluster's CPUs)
    output_path: str | None = None
    force: bool = False
    reserves: int = 10  # reserves listed per camp
    # deterministic work of each re-plan; None: stress.WORK_PER_SECOND x the time limit
    work_limit_per_run: float | None = None


@dataclass(frozen=True)
class StressOutcome:
    report: dict[str, Any]
    output_path: str | None
    engine: str
    workers: int
    seconds: float
    notes: list[str]


def _rate(value: Any, where: str) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not (math.isfinite(value) and 0 <= value <= 1)
    ):
        raise UsageError(f"{where}: a probability from 0 to 1, not {value!r}")
    return float(value)


def load_rates(path: str | None, no_show: float | None) -> NoShowRates:
    """The rates of a sweep: ``--no-show`` over the file's ``no_show`` over 0.05."""
    return read_rates(path, no_show)[0]


def read_rates(path: str | None, no_show: float | None) -> tuple[NoShowRates, bool]:
    """:func:`load_rates`, and whether the planner gave the no-show rate (``--no-show``
    or the file's ``no_show``): when they did not, an attendance history's pooled rate
    replaces the 0.05 (:func:`campplanner.whatif.attendance.with_history`)."""
    data: dict[str, Any] = {}
    if path is not None:
        try:
            with open(path, encoding="utf-8") as file:
                data = json.load(file)
        except (OSError, ValueError) as error:
            raise UsageError(f"--rates {path}: {plain_reason(error)}") from error
        if not isinstance(data, dict):
            raise UsageError(f"--rates {path}: a JSON object, see docs/stress.md")
        unknown = set(data) - {"no_show", "skills", "camp_cancel"}
        if unknown:
            raise UsageError(
                f"--rates {path}: unknown field {sorted(unknown)[0]!r} "
                "(no_show, skills, camp_cancel)"
            )
    skills = data.get("skills", {})
    if not isinstance(skills, dict):
        raise UsageError(f"--rates {path}: skills is an object skill id -> rate")
    rate = no_show if no_show is not None else data.get("no_show", 0.05)
    rates = NoShowRates(
        no_show=_rate(rate, "--no-show"),
        skills={str(k): _rate(v, f"--rates {path}: skills.{k}") for k, v in skills.items()},
        camp_cancel=_rate(data.get("camp_cancel", 0.0), f"--rates {path}: camp_cancel"),
    )
    return rates, no_show is not None or "no_show" in data


def stress_work(request: StressRequest, control: JobControl) -> StressOutcome:
    """The whole sweep (see the module docstring); ``control`` reports and cancels."""
    require_engine(request.engine)
    if request.output_path is not None:
        guard_output(
            request.output_path, [request.instance_path, request.solution_path], force=request.force
        )
    rates, rate_given = read_rates(request.rates_path, request.no_show)
    # read before the season, so that a bad history file is said at once
    history = load_history(request.history_path) if request.history_path else None
    control.report("reading")
    instance = load_instance(request.instance_path)
    problem = compile_instance(instance)
    published = load_published(problem, request.solution_path, instance, request.instance_path)
    rates, estimates = with_history(
        rates, problem.volunteer_ids, history, rates.no_show if rate_given else None
    )
    for skill_id in rates.skills:
        if skill_id not in problem.skill_index:
            hint = did_you_mean(skill_id, problem.skill_index)
            raise UsageError(f"--rates: no skill {skill_id!r} in {request.instance_path}{hint}")
    options = run_options(
        request.time_limit_per_run,
        replan_method(problem, request.method),
        work_limit=request.work_limit_per_run,
    )
    setup = StressSetup.from_baseline(
        problem, published.baseline, published.triples, rates, request.seed, options
    ).prepared()
    control.report("starting", message=f"{request.engine} engine")
    engine = make_engine(request.engine, request.jobs, request.address)
    control.on_cancel(engine.stop)
    started = time.monotonic()
    outcomes: list[RunOutcome] = []
    for _, outcome in engine.run(replan_run, setup, range(request.runs)):
        outcomes.append(outcome)
        control.report("running", outcome.coverage, message=f"{len(outcomes)}/{request.runs} runs")
    seconds = time.monotonic() - started
    partial = len(outcomes) < request.runs
    report = stress_report(
        setup, outcomes, request.runs, partial=partial, reserves=request.reserves
    )
    if estimates is not None:
        report["history"] = estimates.summary()
    # How the sweep ran: the one part of the report that depends on the engine.
    # run_seconds: the runs' own time, summed; wall x workers beyond it is the engine's
    # (start-up, shipping, dispatch) or idle workers at the end.
    report["sweep"] = {
        "engine": request.engine,
        "workers": engine.workers,
        "wall_seconds": round(seconds, 2),
        "run_seconds": round(sum(o.seconds for o in outcomes), 2),
        "worker_memory_mib": worker_memory_summary(outcomes),
        "problem_mib": round(shared_size(setup) / MIB, 1),
    }
    if request.output_path is not None:
        control.report("writing")
        write_atomic(request.output_path, json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    notes = [published.note] if published.note else []
    return StressOutcome(
        report, request.output_path, request.engine, engine.workers, seconds, notes
    )


MIB = 2**20


def worker_memory_summary(outcomes: list[RunOutcome]) -> dict[str, float]:
    """The workers' memory over the runs, in MiB: the highest peak resident size of a
    run (``peak``), the shared pages then (``shared``: the problem in Ray's object
    store, libraries), and the highest peak less the shared pages (``private_peak``:
    what each worker holds on its own). Empty where the workers could not tell."""
    measured = [o.memory for o in outcomes if o.memory]
    if not measured:
        return {}
    peak = max(measured, key=lambda m: m["peak"])
    private = max(m["peak"] - m["shared"] for m in measured)
    return {
        "peak": round(peak["peak"] / MIB, 1),
        "shared": round(peak["shared"] / MIB, 1),
        "private_peak": round(private / MIB, 1),
    }


def shared_size(setup: StressSetup) -> int:
    """Bytes of the numpy arrays shipped to the workers once (the compiled problem, its
    derived views, the re-plan's greedy order): "one copy of the compiled problem"."""
    seen: set[int] = set()
    total = 0
    for holder in (setup.problem, setup.passes):
        for value in vars(holder).values() if holder is not None else ():
            arrays = value if isinstance(value, tuple) else (value,)
            for array in arrays:
                if isinstance(array, np.ndarray) and id(array) not in seen:
                    seen.add(id(array))
                    total += array.nbytes
    return total


def stress_job(request: StressRequest) -> Job[StressOutcome]:
    """The sweep as a job (not started)."""
    return Job(lambda control: stress_work(request, control), "stress")


def stress(request: StressRequest) -> StressOutcome:
    """Run the sweep and wait: for scripts and tests."""
    return stress_job(request).start().result()
