"""Solving and re-planning, as the command line, a web page or a cluster engine asks.

:func:`solve_job` reads the instance (and the published roster to re-plan from), builds
the solver, solves, explains, and writes the solution file; it runs as a
:class:`~campplanner.app.jobs.Job`, so a caller can stream its progress and cancel it.
A cancelled solve still returns, and writes, its best roster.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from campplanner.app.jobs import Job, JobControl
from campplanner.contract.calendar import format_day
from campplanner.contract.errors import UsageError
from campplanner.contract.history import Attendance
from campplanner.contract.instance import day_of, load_instance
from campplanner.contract.schema import Instance
from campplanner.contract.solution import instance_fingerprint, is_solution_file, match_instance
from campplanner.contract.why import Why
from campplanner.explain import Explanation, explain_camps, explain_roster
from campplanner.io.history_in import load_history
from campplanner.io.outputs import guard_output, write_atomic
from campplanner.io.solution_reader import load_solution
from campplanner.io.solution_writer import solution_json
from campplanner.model.baseline import Baseline, Freeze, Triple, baseline_from_triples, freeze
from campplanner.model.compile import compile_instance
from campplanner.model.problem import Problem
from campplanner.report.roster import RosterView
from campplanner.solver import SolveOptions, make_solver
from campplanner.solver.anytime import explain_estimate
from campplanner.solver.result import Result
from campplanner.whatif.attendance import with_history
from campplanner.whatif.diff import published_roster, replan_report, roster_triples
from campplanner.whatif.engines import make_engine
from campplanner.whatif.stress import (
    RESERVE_RUNS,
    RESERVE_TIME_PER_RUN,
    NoShowRates,
    replan_method,
    replan_run,
    reserves_section,
    roster_setup,
    run_options,
)


@dataclass(frozen=True)
class Published:
    """A published roster, as its file lists it and as this instance sees it."""

    triples: list[Triple]
    cancelled: list[str] | None
    baseline: Baseline
    note: str | None = None  # what changed in the instance since it was published
    # the published assignments its volunteers confirmed (the file's "confirmed" list)
    confirmed: list[Triple] = field(default_factory=list)


@dataclass(frozen=True)
class Prepared:
    """An instance already read and compiled, and the roster to re-plan from as it sees
    it: what a caller that holds them (the review page: its current version with the
    edits applied, ``model.compile.recompiled``) solves without reading any file."""

    instance: Instance
    problem: Problem
    published: Published | None = None


@dataclass(frozen=True)
class SolveRequest:
    """What to solve and how."""

    instance_path: str
    options: SolveOptions = field(default_factory=SolveOptions)
    # A published solution file: re-plan from it with the fewest changes.
    baseline_path: str | None = None
    output_path: str | None = None  # where to write the solution file
    force: bool = False  # replace ``output_path`` even if it is not a solution file
    lang: str = "en"  # the language of the reasons (explain.languages.WORDS)
    # Reserves per camp to find (0: none): a short no-show sweep on the roster found,
    # whose top fill-ins go into the solution file's "reserves" section (docs/stress.md).
    reserves: int = 0
    # An attendance history (JSON, CSV or .xlsx): the reserves' sweep draws each person
    # with their own no-show estimate (whatif/attendance.py).
    history_path: str | None = None
    # False: write the roster without its reasons (``"explained": false``), for a caller
    # that explains only what it shows, when it shows it (the review page's camps).
    explain: bool = True
    # Solve this instead of reading ``instance_path`` and ``baseline_path`` (which then
    # only name it in messages).
    prepared: Prepared | None = None
    # With ``baseline_path``: a date of the instance's calendar; camps that start before
    # it keep their published teams exactly, and confirmed assignments hold (see
    # model.baseline.freeze and docs/cli.md, "Only the future moves").
    freeze_until: str | None = None


@dataclass(frozen=True)
class SolveOutcome:
    """A finished (or stopped) solve: the roster and everything said about it."""

    instance: Instance
    problem: Problem
    result: Result
    explanation: Explanation | None
    replan: dict[str, Any] | None  # the solution file's "replan" section
    output_path: str | None  # the solution file written, if any
    notes: list[str] = field(default_factory=list)  # e.g. the instance changed since
    instance_path: str = ""
    view: RosterView | None = None  # the roster as planners read it (None: no roster)
    # the reasons of the camps that lose most (WORST_CAMPS), when ``explanation`` (the
    # whole roster's) was not worked out: a summary always says why and what next
    worst: Explanation | None = None


WORST_CAMPS = 10  # the camps a summary lists, by the coverage they lose


def load_published(
    problem: Problem,
    path: str,
    instance: Instance,
    instance_path: str,
    fingerprint: dict[str, Any] | None = None,
) -> Published:
    """Read a published solution file made for ``instance`` (InstanceError when it was
    made for another one) and map it onto ``problem``'s candidates. ``fingerprint``:
    the instance's, when the caller has it already."""
    solution = load_solution(path, instance)
    note = match_instance(solution, path, instance, instance_path, fingerprint)
    triples, cancelled = published_roster(solution)
    baseline = baseline_from_triples(problem, triples, cancelled)
    return Published(triples, cancelled, baseline, note, confirmed_triples(solution, triples))


def freeze_published(
    problem: Problem, instance: Instance, published: Published, until_text: str
) -> tuple[Problem, Freeze, Published]:
    """The problem where only the future moves (``--freeze-until``), and the published
    roster mapped onto it; the confirmed assignments are the baseline file's
    ``confirmed`` list (docs/cli.md)."""
    try:
        until = day_of(until_text, instance.calendar)
    except ValueError as error:
        raise UsageError(f"--freeze-until: {error}") from None
    problem, frozen = freeze(problem, published.triples, until, published.confirmed)
    baseline = baseline_from_triples(problem, published.triples, published.cancelled)
    return problem, frozen, replace(published, baseline=baseline)


def confirmed_triples(solution: Any, published: list[Triple]) -> list[Triple]:
    """The published assignments the file's ``confirmed`` list names (by volunteer and
    camp, the skill optional)."""
    named = {(entry.volunteer, entry.camp, entry.skill) for entry in solution.confirmed or ()}
    return [(v, c, s) for v, c, s in published if (v, c, s) in named or (v, c, None) in named]


def under_freeze(result: Result) -> Result:
    """A frozen re-plan's result as a claim about the whole instance: its roster, but no
    proven bound nor "optimal", which held with the frozen camps' teams fixed only."""
    if not result.has_roster:
        return result
    secondary = None if result.secondary_status == "optimal" else result.secondary_status
    return replace(result, status="feasible", coverage_bound=None, secondary_status=secondary)


def frozen_section(problem: Problem, frozen: Freeze, roster: np.ndarray) -> dict[str, Any]:
    """The re-plan's ``frozen`` section: the date, the camps kept as published, what
    could not be kept, and each confirmed assignment the roster moved, with the
    essential role it went to run."""
    now = set(roster_triples(problem, roster))
    moved = []
    for v, c, s in frozen.confirmed:
        if (v, c, s) in now:
            continue
        to = [[c2, s2] for v2, c2, s2 in sorted(now) if v2 == v]
        moved.append({"volunteer": v, "camp": c, "skill": s, "to": to})
    return {
        "until": format_day(frozen.until, problem.calendar),
        "camps": [problem.camp_ids[c] for c in frozen.camps],
        "cannot_run": [problem.camp_ids[c] for c in frozen.cannot_run],
        "not_kept": [
            {"volunteer": v, "camp": c, "skill": s, "why": why} for (v, c, s), why in frozen.lost
        ],
        "confirmed": len(frozen.confirmed),
        "confirmed_moved": moved,
    }


def moved_note(entry: dict[str, Any]) -> Why:
    """A confirmed assignment the re-plan moved, as a fact (the only way to run a camp)."""
    places = [Why("role_in", skill=skill, camp=camp) for camp, skill in entry["to"]]
    to = Why("no_camp") if not places else places[-1]
    for place in reversed(places[:-1]):  # "a, b, c" as a, (b, c)
        to = Why("places", one=place, others=to)
    return Why(
        "confirmed_moved", who=entry["volunteer"], skill=entry["skill"], camp=entry["camp"], to=to
    )


def frozen_notes(problem: Problem, frozen: Freeze) -> list[str]:
    """What a planner must know before reading a frozen re-plan, as facts (contract.why)."""
    until = format_day(frozen.until, problem.calendar)
    notes = [
        Why("frozen", until=until, camps_frozen=len(frozen.camps), confirmed=len(frozen.confirmed))
    ]
    for (v, c, s), why in frozen.lost:
        notes.append(Why("cannot_keep", who=v, skill=s, camp=c, why=why))
    for c in frozen.cannot_run:
        notes.append(Why("frozen_cannot_run", camp=problem.camp_ids[c], until=until))
    return notes


def solve_work(request: SolveRequest, control: JobControl) -> SolveOutcome:
    """The whole solve (see the module docstring); ``control`` reports and cancels.

    The time limit counts from ``control.started`` (the command's start): the reasons
    for empty slots are worked out only when they fit in it, else the roster is written
    without them (``"explained": false``). A cancelled solve writes its roster at once,
    then again with the reasons; one that cannot stop in time answers with its snapshot
    (see app.jobs.run_in_foreground).
    """
    inputs = [request.instance_path] + ([request.baseline_path] if request.baseline_path else [])
    if request.output_path is not None:  # refuse before the work, not after it
        guard_output(request.output_path, inputs, force=request.force, replaceable=is_solution_file)
    if request.history_path is not None and not request.reserves:
        raise UsageError("--history is read by --reserves K: give both, or neither")
    # read before the season, so that a bad history file is said at once
    history = load_history(request.history_path) if request.history_path else None
    fingerprint: dict[str, Any] | None = None
    if request.prepared is not None:
        instance, problem = request.prepared.instance, request.prepared.problem
        published = request.prepared.published
    else:
        control.report("reading")
        instance = load_instance(request.instance_path)
        problem = compile_instance(instance)
        published = None
        if request.baseline_path is not None:
            if request.output_path is not None:  # once: the match and the file need it
                fingerprint = instance_fingerprint(instance)
            published = load_published(
                problem, request.baseline_path, instance, request.instance_path, fingerprint
            )
    frozen: Freeze | None = None
    if published is None and request.freeze_until is not None:
        raise UsageError("--freeze-until needs --baseline: the published roster to keep")
    if published is not None and request.freeze_until is not None:
        problem, frozen, published = freeze_published(
            problem, instance, published, request.freeze_until
        )
    solver = make_solver(
        problem, request.options, baseline=published.baseline if published else None
    )
    control.on_cancel(solver.stop)
    notes = [published.note] if published is not None and published.note else []
    if frozen is not None:
        notes += frozen_notes(problem, frozen)
    extra: dict[str, Any] = {}
    if request.output_path is not None:  # seconds on the season: for the file alone
        extra["fingerprint"] = fingerprint or instance_fingerprint(instance)

    # Once a snapshot has answered (the command printed it), the work winding down
    # behind it must not write another roster over the file: file and screen agree.
    writing = threading.Lock()
    answered = threading.Event()

    def finish(result: Result, explain: bool, snapshot: bool = False) -> SolveOutcome:
        """Explain (when asked), write and return the outcome of ``result``."""
        if frozen is not None:
            result = under_freeze(result)
        replan = None
        if published is not None and result.has_roster:
            replan = replan_report(
                problem,
                published.baseline,
                published.triples,
                result.assigned,
                result.changes,
                result.changes_bound,
            )
            if frozen is not None:
                section = frozen_section(problem, frozen, result.assigned)
                replan["replan"]["frozen"] = section
                said = [moved_note(entry) for entry in section["confirmed_moved"]]
                notes.extend(n for n in said if n not in notes)
        explanation = None
        if explain and result.has_roster:
            explanation = explain_roster(problem, result.assigned, result.status, request.lang)
        if request.output_path is not None:
            control.report("writing")
            text = solution_json(
                problem,
                result,
                explanation,
                {**(replan or {}), **extra},
                explain=explanation is not None,
            )
            with writing:
                if snapshot or not answered.is_set():
                    write_atomic(request.output_path, text)
                if snapshot:
                    answered.set()
        section = replan["replan"] if replan else None
        view = RosterView.from_result(problem, result) if result.has_roster else None
        worst = None
        # not when stopping (Ctrl-C, a deadline): the roster is written first, at once
        if view is not None and explanation is None and not snapshot and not control.cancelled:
            camps = [camp.index for camp in view.worst(WORST_CAMPS)]
            worst = explain_camps(problem, result.assigned, camps, result.status, request.lang)
        return SolveOutcome(
            instance,
            problem,
            result,
            explanation,
            section,
            request.output_path,
            notes,
            request.instance_path,
            view,
            worst,
        )

    def from_snapshot() -> SolveOutcome | None:
        take = getattr(solver, "snapshot", None)
        held = take() if callable(take) else None
        if held is None:
            return None
        return finish(
            replace(held, stopped_by=control.cancel_reason or "interrupted"),
            explain=False,
            snapshot=True,
        )

    control.on_snapshot(from_snapshot)

    def progress(elapsed: float, coverage: int | None, bound: float, stage: str = "") -> None:
        control.report("solving", coverage, bound, stage=stage)

    result = solver.solve(progress, control.started)
    result = with_known_bound(result, request.options.known_bound)
    if result.stopped_by == "interrupted" and control.cancel_reason == "time limit":
        # the solver saw a stop request; it came from the session's deadline, not a user
        result = replace(result, stopped_by="time limit")
    if (
        control.cancelled
        and request.explain
        and request.output_path is not None
        and result.has_roster
    ):
        finish(result, explain=False)  # the roster first, within the promised seconds
    if request.reserves and result.has_roster and not control.cancelled:
        extra["reserves"] = find_reserves(problem, result.assigned, request, control, history)
    deadline = control.started + request.options.time_limit
    fits = (
        result.has_roster
        and request.explain
        and (
            control.cancelled  # written already: no hurry now
            # the solver kept this much back (anytime.explain_estimate, measured with a
            # margin): asking for twice as much left re-plans of 22k seasons unexplained
            or time.monotonic() + explain_estimate(problem, result.assigned) <= deadline
        )
    )
    return finish(result, explain=fits)


def with_known_bound(result: Result, known: int | None) -> Result:
    """``result`` with the bound ``known`` (SolveOptions.known_bound, proven for a season
    whose edits cannot raise it) when it is the lower one: whichever solver ran, the
    re-plan's bound is never above its parent's."""
    if known is None or not result.has_roster:
        return result
    if result.coverage_bound is not None and result.coverage_bound <= known:
        return result
    status = "optimal" if result.coverage is not None and result.coverage >= known else "feasible"
    if result.status not in ("optimal", "feasible"):
        status = result.status
    return replace(result, coverage_bound=known, status=status)


def find_reserves(
    problem: Problem,
    roster: np.ndarray,
    request: SolveRequest,
    control: JobControl,
    history: list[Attendance] | None = None,
) -> dict[str, Any]:
    """The ``reserves`` section: RESERVE_RUNS no-show re-plans of ``roster`` on local
    processes (stress.RESERVE_TIME_PER_RUN seconds each), the top fill-ins per camp."""
    options = run_options(RESERVE_TIME_PER_RUN, replan_method(problem), request.options.weights)
    rates, _ = with_history(NoShowRates(), problem.volunteer_ids, history, None)
    # prepared: the views and the re-plan's greedy order computed once, for every run
    setup = roster_setup(problem, roster, rates, request.options.seed, options).prepared()
    engine = make_engine("local")
    control.on_cancel(engine.stop)
    outcomes = []
    for _, outcome in engine.run(replan_run, setup, range(RESERVE_RUNS)):
        outcomes.append(outcome)
        control.report("reserves", message=f"reserves: {len(outcomes)}/{RESERVE_RUNS} runs")
    return reserves_section(setup, outcomes, request.reserves)


def unexplained_solution_json(
    outcome: SolveOutcome,
    more: dict[str, Any] | None = None,
    fingerprint: dict[str, Any] | None = None,
) -> str:
    """The solution file of a finished solve, without its reasons, for a caller that
    keeps the text itself (the review page stores it in its workspace, never on disk):
    the roster, the re-plan's diff and the instance's fingerprint (``fingerprint``, if
    the caller made it already), and ``more`` sections (the bound's season)."""
    if fingerprint is None:
        fingerprint = instance_fingerprint(outcome.instance)
    extra: dict[str, Any] = {"fingerprint": fingerprint, **(more or {})}
    if outcome.replan is not None:
        extra["replan"] = outcome.replan
    return solution_json(outcome.problem, outcome.result, None, extra, explain=False)


def solve_job(request: SolveRequest, started: float | None = None) -> Job[SolveOutcome]:
    """The solve as a job (not started); ``started`` is when the time limit's clock began."""
    return Job(lambda control: solve_work(request, control), "solve", started)


def solve(request: SolveRequest) -> SolveOutcome:
    """Solve and wait (no cancellation): for scripts and tests."""
    return solve_job(request).start().result()
