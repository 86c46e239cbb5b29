"""No-show stress tests: how much of a published roster survives absentees, re-planned.

One *run* draws absentees and re-plans:

1. **The draw** depends on (seed, run number) alone (``numpy.random.default_rng([seed,
   k])``): each volunteer on the published roster is absent with the no-show rate (the
   highest rate among the skills they serve with, when rates per skill are given; their
   own estimate when an attendance history gives one: whatif/attendance.py), and
   each camp the roster runs is cancelled whole with ``camp_cancel``. Run k draws the same
   people on any engine, with any number of workers, in any order.
2. **The re-plan** goes through :func:`campplanner.solver.make_solver` with a
   :class:`Baseline`, as ``solve --baseline`` does: the absentees and the cancelled
   camps are masked (:meth:`Problem.unavailable`: max_camps 0, capacity 0; the
   season's candidate arrays are shared, not copied), the published roster is the
   baseline with their assignments dropped. Which re-plan: :func:`replan_method` (the
   anytime re-plan of ``solve --baseline``, with a deterministic work limit:
   :func:`run_options`).
3. **The outcome** is compact (a few numbers, the camps lost, per-skill fills, the
   people who filled in, the worker's peak memory), so a run on a cluster sends back
   kilobytes.

:func:`stress_report` turns the outcomes of many runs into the report a planner reads:
coverage after re-planning against the published one, calls needed, which camps are
likely to be cancelled, which skills run short, and per camp a ranked reserve list.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from campplanner.model.baseline import Baseline, Triple
from campplanner.model.problem import SHARED_VIEWS, Problem
from campplanner.model.roster import camps_run
from campplanner.model.rules import enforce_essentials
from campplanner.model.terms import coverage
from campplanner.solver import NeighbourhoodReplanner, SolveOptions, Solver, make_solver
from campplanner.solver.first_roster import GreedyPass, greedy_order
from campplanner.solver.result import Result
from campplanner.whatif.diff import roster_triples

REPORT_FORMAT = "campplanner-stress/1"
RESERVES_SHOWN = 10  # reserves per camp in a stress report
# solve --reserves: a short sweep at the default no-show rate (stress runs longer ones)
RESERVE_RUNS = 20
RESERVE_TIME_PER_RUN = 10.0
# A run's re-plan ends after this many neighbourhood search steps per second of its time
# limit (1 step for 10 s), not on the clock, so that it is the same on any engine and
# machine: on a loaded machine a step takes seconds (figures: docs/benchmarks.md).
STEPS_PER_SECOND = 0.1
# CP-SAT deterministic time per step (solve --baseline gives 1.0): a step of 1.0 on a
# small instance takes most of a run's time on a loaded machine
# (figures: docs/benchmarks.md).
STEP_WORK = 0.2
# Each run's re-plan ends on deterministic work (solver/work.py), this much per second of
# its time limit unless told: the exact model on a small neighbourhood (half of it) and
# the search end on it, and the time limit is only the safety net (a hidden
# 400-volunteer roster at 5 s per run had every run cut by the clock on a busy machine,
# and the two engines' reports differed).
WORK_PER_SECOND = 0.1


@dataclass(frozen=True)
class NoShowRates:
    """How likely people and camps are to drop out."""

    no_show: float = 0.05  # each assigned volunteer is absent with this probability
    skills: Mapping[str, float] = field(default_factory=dict)  # by skill id, overrides
    camp_cancel: float = 0.0  # each running camp is cancelled whole with this probability
    # by volunteer id, overrides the two above: estimates from an attendance history
    # (campplanner.whatif.attendance)
    people: Mapping[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        named: dict[str, Any] = {
            "no_show": self.no_show,
            "skills": dict(sorted(self.skills.items())),
            "camp_cancel": self.camp_cancel,
        }
        if self.people:  # how many, not the 22,000 rates (the report's people_at_risk)
            named["people_with_own_rate"] = len(self.people)
        return named


def replan_method(problem: Problem, method: str = "auto") -> str:
    """The re-plan of a stress run. "auto" is "large" on every size: with a baseline that
    is the anytime re-plan of ``solve --baseline`` on seasons
    (:class:`~campplanner.solver.neighbourhood.NeighbourhoodReplanner`: the published
    roster minus the absentees, refilled, then neighbourhood search for coverage first
    and the fewest changes next). "exact" (CP-SAT on the whole problem, counting
    changes) and "greedy" (the greedy repair: everyone present keeps their place, the
    holes are refilled; no search for fewer changes) are there to compare with."""
    return "large" if method == "auto" else method


def run_options(
    time_limit: float,
    method: str,
    weights: Mapping[str, float] | None = None,
    work_limit: float | None = None,
) -> SolveOptions:
    """The options of every run's re-plan: one CP-SAT worker and a work limit
    (deterministic; WORK_PER_SECOND x the time limit unless given), no secondary terms
    (a run is judged on coverage and changes)."""
    return SolveOptions(
        time_limit=time_limit,
        workers=1,
        seed=0,
        secondary=False,
        method=method,
        weights=dict(weights or {}),
        work_limit=WORK_PER_SECOND * time_limit if work_limit is None else work_limit,
    )


def search_steps(time_limit: float) -> int:
    """The neighbourhood search steps of a run's re-plan: its deterministic work limit,
    STEPS_PER_SECOND per second of the time limit (at least one)."""
    return max(1, round(STEPS_PER_SECOND * time_limit))


@dataclass(frozen=True, eq=False)
class StressSetup:
    """Everything a run reads; shipped to the workers once (see campplanner.whatif.engines)."""

    problem: Problem
    published: np.ndarray  # candidate indices of the published roster (still possible)
    triples: tuple[Triple, ...]  # the published roster as its file lists it
    dropped: tuple[tuple[Triple, str], ...]  # published, no longer possible, and why
    camps: frozenset[str] | None  # camps the published roster knew (Baseline.camps)
    rates: NoShowRates
    seed: int
    options: SolveOptions
    # The re-plan's greedy order (published roster first), the same in every run:
    # built once by prepared() and shared, rather than sorted again by every run.
    passes: GreedyPass | None = None

    def prepared(self) -> StressSetup:
        """The same setup with the problem's derived views and the re-plan's greedy
        order computed, so that they travel with it (in Ray's object store too, read in
        place) instead of being recomputed, and held again, by every run."""
        problem = self.problem
        for view in SHARED_VIEWS:
            getattr(problem, view)
        if self.options.method != "large" or self.passes is not None:
            return self
        # The absentees of a run are preferred here too, but masked there (max_camps
        # 0): the order of everyone else is the one the run's own re-plan would sort.
        prefer = np.zeros(problem.num_candidates, dtype=bool)
        prefer[self.published] = True
        return replace(self, passes=GreedyPass(problem, greedy_order(problem, prefer)))

    @classmethod
    def from_baseline(
        cls,
        problem: Problem,
        baseline: Baseline,
        triples: Iterable[Triple],
        rates: NoShowRates,
        seed: int,
        options: SolveOptions,
    ) -> StressSetup:
        return cls(
            problem,
            np.asarray(baseline.kept, dtype=np.int64),
            tuple(triples),
            baseline.dropped,
            baseline.camps,
            rates,
            seed,
            options,
        )


def roster_setup(
    problem: Problem, roster: np.ndarray, rates: NoShowRates, seed: int, options: SolveOptions
) -> StressSetup:
    """A sweep over a roster just solved (candidate indices), as if it were published."""
    roster = np.sort(np.asarray(roster, dtype=np.int64))
    return StressSetup(
        problem, roster, tuple(roster_triples(problem, roster)), (), None, rates, seed, options
    )


@dataclass(frozen=True)
class Draw:
    absent: np.ndarray  # volunteer indices, sorted
    cancelled: np.ndarray  # camp indices, sorted


@dataclass(frozen=True)
class RunOutcome:
    """What one run sends back: small on purpose."""

    run: int
    status: str
    stopped_by: str | None  # "time limit": the re-plan was cut short (see docs/stress.md)
    coverage: int  # after re-planning (the unchanged roster's when no re-plan came back)
    coverage_unplanned: int  # the roster minus the absentees, H9 applied, nobody called
    changed_assignments: int
    people_to_call: int  # people added, moved, or removed though present
    absent: int
    cancelled_drawn: tuple[int, ...]  # camps cancelled by the draw
    camps_lost: tuple[int, ...]  # camps the roster ran that the re-plan does not
    filled_per_skill: tuple[int, ...]  # slots filled per skill after re-planning
    fill_ins: tuple[tuple[int, int], ...]  # (volunteer, camp): not on the roster, called in
    # (volunteer, camp): absent from a camp of the published roster that this run lost
    absent_from_lost: tuple[tuple[int, int], ...]
    seconds: float
    # The worker's memory during the run (worker_memory): depends on the engine, so it
    # goes into the report's "sweep" section, never into the part engines agree on.
    memory: Mapping[str, int] = field(default_factory=dict)


def draw(setup: StressSetup, run: int) -> Draw:
    """Run ``run``'s absentees and cancelled camps: a function of (seed, run) alone."""
    problem, rates = setup.problem, setup.rates
    rng = np.random.default_rng([setup.seed, run])
    volunteers = problem.candidate_volunteer[setup.published]
    people = np.unique(volunteers)
    rate = np.full(people.size, rates.no_show, dtype=float)
    skill_rate = np.full(problem.num_skills, -1.0)
    for skill_id, value in rates.skills.items():
        if skill_id in problem.skill_index:
            skill_rate[problem.skill_index[skill_id]] = value
    if rates.skills:  # the highest rate among the skills each person serves with
        per_assignment = skill_rate[problem.candidate_skill[setup.published]]
        position = np.searchsorted(people, volunteers)
        override = np.full(people.size, -1.0)
        np.maximum.at(override, position, per_assignment)
        rate = np.where(override >= 0, override, rate)
    if rates.people:  # a person's own history says more than their skill's rate
        ids = problem.volunteer_ids
        own = np.array([rates.people.get(ids[p], -1.0) for p in people.tolist()])
        rate = np.where(own >= 0, own, rate)
    absent = people[rng.random(people.size) < rate]
    running = np.unique(problem.candidate_camp[setup.published])
    cancelled = running[rng.random(running.size) < rates.camp_cancel]
    return Draw(absent, cancelled)


def replan_run(setup: StressSetup, run: int) -> RunOutcome:
    """Draw run ``run``'s absentees and re-plan without them (see the module docstring)."""
    started = time.monotonic()
    reset_peak_memory()
    problem = setup.problem
    drawn = draw(setup, run)
    # The absentees and cancelled camps masked (max_camps 0, capacity 0), not cut out:
    # the season's candidate arrays stay the shared ones, and indices stay the same.
    masked = problem.unavailable(drawn.absent, drawn.cancelled)
    published = setup.published
    present = (masked.volunteer_max_camps[problem.candidate_volunteer[published]] > 0) & (
        masked.camp_capacity[problem.candidate_camp[published]] > 0
    )
    gone = tuple(
        (triple, "absent, or the camp cancelled, in this run")
        for triple in roster_triples(problem, published[~present])
    )
    baseline = Baseline(published[present], setup.dropped + gone, setup.camps)
    unplanned = enforce_essentials(masked, baseline.kept)
    result = _replanner(setup, masked, baseline).solve(None, started)
    # No re-plan in time: the unchanged roster, nobody called.
    roster = result.assigned if result.has_roster else unplanned
    return _outcome(
        setup,
        run,
        drawn,
        roster,
        unplanned,
        result.status,
        _stopped_by(result),
        time.monotonic() - started,
        worker_memory(),
    )


def _replanner(setup: StressSetup, masked: Problem, baseline: Baseline) -> Solver:
    """make_solver's re-plan for the run; "large" (that of ``solve --baseline``) given the
    sweep's greedy order, without the proof of a coverage bound (the report has none)
    and without time kept back to write a roster (none is written): the time goes to
    the search."""
    if setup.options.method != "large":
        return make_solver(masked, setup.options, baseline)
    passes = setup.passes.for_problem(masked) if setup.passes is not None else None
    return NeighbourhoodReplanner(
        masked,
        setup.options,
        baseline,
        passes=passes,
        bound=False,
        output_time=False,
        search_steps=search_steps(setup.options.time_limit),
        step_work=STEP_WORK,
    )


def _stopped_by(result: Result) -> str | None:
    """ "time limit" when the clock, not a work limit, ended some phase of the re-plan:
    then another machine may end elsewhere (docs/stress.md)."""
    if result.stopped_by is not None:
        return result.stopped_by
    exact = result.solver.get("exact_stopped_by") if result.solver else None
    return "time limit" if exact == "time limit" else None


# ------------------------------------------------------------------ worker memory


def reset_peak_memory() -> None:
    """Start this process's peak resident memory (VmHWM) afresh, so that a run's peak is
    its own, not that of the worker's start (unpickling the problem) or of an earlier
    run. Linux only; elsewhere the peak is the process's since it started."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as file:
            file.write("5")
    except OSError:
        pass


def worker_memory() -> dict[str, int]:
    """This worker's memory in bytes: ``peak`` resident (VmHWM since
    :func:`reset_peak_memory`), and ``shared``, resident pages mapped from files and
    shared memory now (libraries, and Ray's object store, where the problem is); their
    difference is about the run's own memory at its peak. Empty where /proc is not."""
    fields = {"VmHWM": "peak", "RssFile": "file", "RssShmem": "shmem"}
    values: dict[str, int] = {}
    try:
        with open("/proc/self/status", encoding="ascii") as file:
            for line in file:
                name, _, rest = line.partition(":")
                if name in fields:
                    values[fields[name]] = int(rest.split()[0]) * 1024
    except (OSError, ValueError, IndexError):
        return {}
    if "peak" not in values:
        return {}
    return {"peak": values["peak"], "shared": values.get("file", 0) + values.get("shmem", 0)}


def _outcome(
    setup: StressSetup,
    run: int,
    drawn: Draw,
    roster: np.ndarray,
    unplanned: np.ndarray,
    status: str,
    stopped_by: str | None,
    seconds: float,
    memory: Mapping[str, int],
) -> RunOutcome:
    problem, published = setup.problem, setup.published
    before = set(published.tolist())
    after = set(roster.tolist())
    changed = before ^ after
    absent = set(drawn.absent.tolist())
    people = {int(problem.candidate_volunteer[i]) for i in changed} - absent
    on_roster = np.zeros(problem.num_volunteers, dtype=bool)
    on_roster[problem.candidate_volunteer[published]] = True
    fresh = roster[~on_roster[problem.candidate_volunteer[roster]]]
    fill_ins = tuple(
        zip(
            problem.candidate_volunteer[fresh].tolist(),
            problem.candidate_camp[fresh].tolist(),
            strict=True,
        )
    )
    lost = camps_run(problem, published) & ~camps_run(problem, roster)
    missing = (
        np.isin(problem.candidate_volunteer[published], drawn.absent)
        & (lost[problem.candidate_camp[published]])
    )
    absent_from_lost = tuple(
        zip(
            problem.candidate_volunteer[published[missing]].tolist(),
            problem.candidate_camp[published[missing]].tolist(),
            strict=True,
        )
    )
    filled = np.bincount(problem.candidate_skill[roster], minlength=problem.num_skills)
    return RunOutcome(
        run=run,
        status=status,
        stopped_by=stopped_by,
        coverage=coverage(problem, roster),
        coverage_unplanned=coverage(problem, unplanned),
        changed_assignments=len(changed),
        people_to_call=len(people),
        absent=len(drawn.absent),
        cancelled_drawn=tuple(drawn.cancelled.tolist()),
        camps_lost=tuple(np.flatnonzero(lost).tolist()),
        filled_per_skill=tuple(filled.tolist()),
        fill_ins=fill_ins,
        absent_from_lost=absent_from_lost,
        seconds=seconds,
        memory=memory,
    )


# ------------------------------------------------------------------------- the report


def _spread(values: list[int] | list[float], digits: int = 2) -> dict[str, float]:
    """Mean, P5, P50, P95, worst (lowest) and best of ``values``."""
    array = np.asarray(values, dtype=float)
    if array.size == 0:
        return {}
    p5, p50, p95 = np.percentile(array, [5, 50, 95])
    named = {
        "mean": array.mean(),
        "p5": p5,
        "p50": p50,
        "p95": p95,
        "worst": array.min(),
        "best": array.max(),
    }
    return {key: round(float(value), digits) for key, value in named.items()}


def _calls(values: list[int]) -> dict[str, float]:
    """Mean, P50, P95 and most of a count where more is worse."""
    array = np.asarray(values, dtype=float)
    if array.size == 0:
        return {}
    p50, p95 = np.percentile(array, [50, 95])
    return {
        "mean": round(float(array.mean()), 2),
        "p50": round(float(p50), 2),
        "p95": round(float(p95), 2),
        "most": int(array.max()),
    }


def reserve_lists(
    problem: Problem, outcomes: Iterable[RunOutcome], limit: int
) -> dict[str, list[dict[str, Any]]]:
    """Per camp, the people not on the roster who filled in most often, best first (ties:
    file order); each is a candidate of that camp, so qualified, and free (no roster slot)."""
    counts: dict[int, Counter[int]] = {}
    runs = 0
    for outcome in outcomes:
        runs += 1
        for volunteer, camp in set(outcome.fill_ins):
            counts.setdefault(camp, Counter())[volunteer] += 1
    lists: dict[str, list[dict[str, Any]]] = {}
    for camp in sorted(counts):
        ranked = sorted(counts[camp].items(), key=lambda item: (-item[1], item[0]))[:limit]
        lists[problem.camp_ids[camp]] = [
            {
                "volunteer": problem.volunteer_ids[v],
                "name": problem.volunteer_names[v],
                "fill_ins": n,
                "share_of_runs": round(n / runs, 4),
            }
            for v, n in ranked
        ]
    return lists


ABSENCES_SHOWN = 5  # per camp at risk: the absences that came with its loss most often
PEOPLE_AT_RISK_SHOWN = 20  # people of the published roster with the highest own rates


def person_rate(setup: StressSetup, volunteer: int) -> float:
    """The no-show rate a run draws ``volunteer`` with, skills aside: their own estimate
    when the history gives one, else the sweep's rate."""
    vid = setup.problem.volunteer_ids[volunteer]
    return float(setup.rates.people.get(vid, setup.rates.no_show))


def absences_behind_losses(
    setup: StressSetup, outcomes: list[RunOutcome], limit: int = ABSENCES_SHOWN
) -> dict[int, list[dict[str, Any]]]:
    """Per camp lost in some run: the published team members whose absence came with the
    loss most often (runs where the camp was lost and they were absent), most first;
    with the rate they were drawn with, so that a planner sees who the camp hangs on."""
    problem = setup.problem
    counts: dict[int, Counter[int]] = {}
    for outcome in outcomes:
        for volunteer, camp in outcome.absent_from_lost:
            counts.setdefault(camp, Counter())[volunteer] += 1
    return {
        camp: [
            {
                "volunteer": problem.volunteer_ids[v],
                "name": problem.volunteer_names[v],
                "runs": n,
                "no_show_rate": round(person_rate(setup, v), 4),
            }
            for v, n in sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:limit]
        ]
        for camp, counter in counts.items()
    }


def people_at_risk(setup: StressSetup, limit: int = PEOPLE_AT_RISK_SHOWN) -> list[dict[str, Any]]:
    """The people of the published roster whose own estimate (attendance history) is
    above the sweep's rate, highest first, with the camps they hold; empty without a
    history."""
    problem, rates = setup.problem, setup.rates
    if not rates.people:
        return []
    camps: dict[int, list[str]] = {}
    for candidate in setup.published.tolist():
        volunteer = int(problem.candidate_volunteer[candidate])
        camps.setdefault(volunteer, []).append(problem.camp_ids[problem.candidate_camp[candidate]])
    own = [
        (rates.people[problem.volunteer_ids[v]], v)
        for v in camps
        if problem.volunteer_ids[v] in rates.people
    ]
    risky = [(rate, v) for rate, v in own if rate > rates.no_show]
    risky.sort(key=lambda item: (-item[0], item[1]))
    return [
        {
            "volunteer": problem.volunteer_ids[v],
            "name": problem.volunteer_names[v],
            "no_show_rate": round(rate, 4),
            "camps": sorted(camps[v]),
        }
        for rate, v in risky[:limit]
    ]


def stress_report(
    setup: StressSetup,
    outcomes: Iterable[RunOutcome],
    runs_requested: int,
    *,
    partial: bool,
    reserves: int = RESERVES_SHOWN,
) -> dict[str, Any]:
    """The report of a sweep, JSON-ready; a function of the outcomes sorted by run number,
    so it is the same whichever engine ran them and in which order they finished."""
    problem = setup.problem
    done = sorted(outcomes, key=lambda outcome: outcome.run)
    published_coverage = coverage(problem, setup.published)
    published_filled = np.bincount(
        problem.candidate_skill[setup.published], minlength=problem.num_skills
    )
    camps = Counter(c for outcome in done for c in outcome.camps_lost)
    behind = absences_behind_losses(setup, done)
    drawn = Counter(c for outcome in done for c in outcome.cancelled_drawn)
    runs = len(done)
    share = [o.coverage / published_coverage if published_coverage else 1.0 for o in done]
    skills = []
    for s in range(problem.num_skills):
        short = [max(0, int(published_filled[s]) - o.filled_per_skill[s]) for o in done]
        if published_filled[s] == 0 and not any(short):
            continue
        skills.append(
            {
                "skill": problem.skill_ids[s],
                "name": problem.skill_names[s],
                "published_filled": int(published_filled[s]),
                "expected_shortfall": round(float(np.mean(short)), 2) if short else 0.0,
                "p95_shortfall": round(float(np.percentile(short, 95)), 2) if short else 0.0,
                "runs_short": sum(1 for n in short if n > 0),
            }
        )
    skills.sort(key=lambda entry: (-entry["expected_shortfall"], entry["skill"]))
    return {
        "format": REPORT_FORMAT,
        "instance": problem.name,
        "partial": partial,
        "runs_done": runs,
        "runs_requested": runs_requested,
        "seed": setup.seed,
        "rates": setup.rates.as_dict(),
        "time_limit_per_run": setup.options.time_limit,
        "work_limit_per_run": setup.options.work_limit,
        "method": setup.options.method,
        # A run cut short by its time limit may end elsewhere on another machine or load:
        # the report is reproducible when this is 0 (docs/stress.md).
        "runs_stopped_by_time_limit": sum(1 for o in done if o.stopped_by),
        "runs_without_replan": sum(1 for o in done if o.status not in ("optimal", "feasible")),
        "published": {
            "coverage": published_coverage,
            "assignments": len(setup.published),
            "people": len(np.unique(problem.candidate_volunteer[setup.published])),
        },
        "absent_per_run": _calls([o.absent for o in done]),
        "coverage": _spread([o.coverage for o in done]),
        "coverage_share": _spread(share, digits=4),
        "coverage_without_replan": _spread([o.coverage_unplanned for o in done]),
        "calls": {
            "changed_assignments": _calls([o.changed_assignments for o in done]),
            "people": _calls([o.people_to_call for o in done]),
        },
        "camps": [
            {
                "camp": problem.camp_ids[c],
                "name": problem.camp_names[c],
                "cancelled_probability": round(n / runs, 4),
                "cancelled_runs": n,
                "cancelled_by_draw": drawn.get(c, 0),
                "absent_when_lost": behind.get(c, []),
            }
            for c, n in sorted(camps.items(), key=lambda item: (-item[1], item[0]))
        ],
        "skills": skills,
        "people_at_risk": people_at_risk(setup),
        "reserves": reserve_lists(problem, done, reserves),
        "runs": [
            {
                "run": o.run,
                "absent": o.absent,
                "coverage": o.coverage,
                "coverage_without_replan": o.coverage_unplanned,
                "changed_assignments": o.changed_assignments,
                "people_to_call": o.people_to_call,
                "camps_lost": len(o.camps_lost),
                "stopped_by": o.stopped_by,
            }
            for o in done
        ],
    }


def reserves_section(
    setup: StressSetup, outcomes: Iterable[RunOutcome], limit: int
) -> dict[str, Any]:
    """The solution file's ``reserves`` section (contract.Reserves): the top ``limit``
    reserves per camp found by the runs in ``outcomes``."""
    done = sorted(outcomes, key=lambda outcome: outcome.run)
    lists = reserve_lists(setup.problem, done, limit)
    return {
        "runs": len(done),
        "no_show": setup.rates.no_show,
        "seed": setup.seed,
        "time_limit_per_run": setup.options.time_limit,
        "camps": [{"camp": camp, "reserves": people} for camp, people in lists.items()],
    }
