"""The anytime contract (issue 13), on small instances, the checker as the judge.

- the first roster (first_roster.py) is a roster, at least the plain greedy, also when
  stopped halfway through its first pass;
- the neighbourhood search (lns.py) never lowers coverage, every roster it holds passes
  the checker, and with the same seed and number of steps it gives the same roster;
- HiGHS and the search stop within a second of being asked;
- the exact method returns the greedy's roster when CP-SAT finds nothing in time;
- re-planning always has a roster when the published one minus the removals is one.
Speed is measured in benchmarks/bench_robust.py, not here.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import highspy
import numpy as np
import pytest
from ortools.sat.python import cp_model
from scipy import sparse

from builders import REPO, camp, compile_data, load_data, make_instance, requirement, volunteer
from campplanner.check import check_roster
from campplanner.generate import generate_instance
from campplanner.model.baseline import baseline_from_triples
from campplanner.model.compile import compile_instance
from campplanner.model.problem import Problem
from campplanner.model.rules import enforce_essentials, runnable_camps
from campplanner.model.terms import coverage
from campplanner.solver import CpSatSolver, SolveOptions
from campplanner.solver.anytime import Clock, Incumbent
from campplanner.solver.bounds import run_highs
from campplanner.solver.first_roster import GreedyPass, first_roster, plain_greedy
from campplanner.solver.lns import KINDS, REPLAN_KINDS, Lns, LnsOptions
from campplanner.solver.neighbourhood import NeighbourhoodReplanner, refilled_start
from campplanner.whatif.diff import roster_triples


def generated(volunteers: int, camps: int, seed: int, **edits: Any) -> tuple[Any, Problem]:
    data = generate_instance(volunteers=volunteers, camps=camps, seed=seed)
    data["rules"].update(edits)
    instance = load_data(data)
    return instance, compile_instance(instance)


def passes_check(instance: Any, problem: Problem, roster: np.ndarray) -> None:
    report = check_roster(instance, roster_triples(problem, roster))
    assert report.ok, [v.to_dict() for v in report.violations[:5]]
    assert report.coverage == coverage(problem, roster)


# ------------------------------------------------------------------ first roster


def test_essential_first_greedy_on_a_micro_instance() -> None:
    # Two camps on the same days, one physician. Camp a (priority 3) needs the physician
    # (essential) and one nurse; camp b (priority 1) needs one nurse. Essential slots
    # come first, so the physician goes to a, then priority: the first nurse (fewest
    # candidate triples: n1 can only serve a) to a, n2 to b. Coverage 3 + 3 + 1 = 7.
    data = make_instance(
        volunteers=[
            volunteer("doc", skills={"physician": 1}),
            volunteer("n1", skills={"nurse": 1}, max_km=1),  # too far from camp b
            volunteer("n2", skills={"nurse": 1}),
        ],
        camps=[
            camp(
                "a",
                place="arak",
                priority=3,
                requirements=[requirement("physician", essential=True), requirement("nurse")],
            ),
            camp("b", priority=1, requirements=[requirement("nurse")]),
        ],
        skills=[{"id": s, "name": s} for s in ("physician", "nurse")],
    )
    problem = compile_data(data)
    assert coverage(problem, plain_greedy(problem)) == 7
    assert coverage(problem, first_roster(problem)) == 7


@pytest.mark.parametrize("seed", range(4))
def test_first_roster_passes_check_and_beats_the_plain_greedy(seed: int) -> None:
    instance, problem = generated(400, 24, seed, max_camps=1 + seed % 2, rest_days=seed % 3)
    plain, first = plain_greedy(problem), first_roster(problem)
    passes_check(instance, problem, plain)
    passes_check(instance, problem, first)
    assert coverage(problem, first) >= coverage(problem, plain)


def test_a_pass_stopped_halfway_is_still_a_roster() -> None:
    instance, problem = generated(400, 24, 5)
    stop = threading.Event()
    stop.set()
    taken, complete = GreedyPass(problem).run(runnable_camps(problem), stop=stop)
    assert not complete
    passes_check(instance, problem, enforce_essentials(problem, taken))
    roster = first_roster(problem, stop=stop)
    passes_check(instance, problem, roster)


def test_first_roster_keeps_locks() -> None:
    data = generate_instance(volunteers=200, camps=12, seed=9)
    instance = load_data(data)
    problem = compile_instance(instance)
    roster = CpSatSolver(problem, SolveOptions(time_limit=10, secondary=False)).solve().assigned
    chosen = roster_triples(problem, roster[:: max(1, len(roster) // 5)])
    data["locked"] = [{"volunteer": v, "camp": c, "skill": s} for v, c, s in chosen]
    instance = load_data(data)
    problem = compile_instance(instance)
    greedy = first_roster(problem)
    passes_check(instance, problem, greedy)
    assert np.isin(problem.locked_candidates, greedy).all()


# ---------------------------------------------------------- neighbourhood search


@pytest.mark.parametrize("seed", range(3))
def test_search_never_lowers_coverage_and_every_roster_passes(seed: int) -> None:
    instance, problem = generated(300, 20, seed, max_camps=1 + seed % 2)
    roster = plain_greedy(problem)
    search = Lns(problem, roster, LnsOptions(seed=seed, step_work=0.2))
    values = [coverage(problem, roster)]
    for step in range(16):
        search.step(KINDS[step % len(KINDS)], time_limit=10)
        passes_check(instance, problem, search.roster)
        values.append(coverage(problem, search.roster))
        assert values[-1] == search.coverage
    assert values == sorted(values)
    assert search.stats.rejected == 0


def test_search_is_deterministic_for_a_seed() -> None:
    _, problem = generated(300, 20, 11)
    roster = plain_greedy(problem)
    runs = []
    for _ in range(2):
        search = Lns(problem, roster, LnsOptions(seed=3, step_work=0.2))
        search.run(time.monotonic() + 300, threading.Event(), max_steps=12)
        runs.append(search.roster)
    assert np.array_equal(runs[0], runs[1])


def now() -> tuple[float, float]:
    """(wall clock, this process's CPU seconds), when a stop is asked."""
    return time.monotonic(), time.process_time()


def within(asked: tuple[float, float], seconds: float) -> bool:
    """Whether the work since ``asked`` took at most ``seconds``, counted in this
    process's CPU time: another program on the machine stretches the wall clock, not
    the work done after the stop (issue 22: the suite passes beside a CPU hog). The
    wall clock only has to show that it ended at all."""
    wall, cpu = asked
    return time.process_time() - cpu < seconds and time.monotonic() - wall < 120


def test_search_stops_within_a_second() -> None:
    _, problem = generated(400, 24, 2)
    search = Lns(problem, plain_greedy(problem), LnsOptions(step_work=100.0))
    stop = threading.Event()
    asked: list[tuple[float, float]] = []
    threading.Timer(0.5, lambda: (asked.append(now()), stop.set(), search.stop())).start()
    search.run(time.monotonic() + 300, stop)
    # the step's CP-SAT stops at once; building a sub-model (Python) is not cut
    assert asked and within(asked[0], 2.0)


def test_highs_stops_within_a_second() -> None:
    # A random LP that takes HiGHS far longer than a second with one thread.
    rng = np.random.default_rng(0)
    rows, cols = 20_000, 200_000
    matrix = sparse.csc_matrix(
        (rng.random(5 * cols), (rng.integers(0, rows, 5 * cols), np.repeat(np.arange(cols), 5))),
        shape=(rows, cols),
    )
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = cols, rows
    lp.col_cost_ = rng.random(cols)
    lp.col_lower_, lp.col_upper_ = np.zeros(cols), np.ones(cols)
    lp.row_lower_, lp.row_upper_ = np.full(rows, -highspy.kHighsInf), np.ones(rows)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_ = matrix.indptr, matrix.indices
    lp.a_matrix_.value_ = matrix.data
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = cols, rows
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", 1)
    # HiGHS calls back during its iterations, not in presolve (seconds on this LP): a
    # signal then is answered by the session's snapshot (test_interrupt.py)
    highs.setOptionValue("presolve", "off")
    highs.passModel(lp)
    stop = threading.Event()
    asked: list[tuple[float, float]] = []
    threading.Timer(1.0, lambda: (asked.append(now()), stop.set())).start()
    run_highs(highs, time.monotonic() + 300, stop)
    assert asked and within(asked[0], 1.0)
    assert highs.getModelStatus() == highspy.HighsModelStatus.kInterrupt


# ------------------------------------------------------------------- incumbent


def test_incumbent_only_improves_and_never_keeps_a_bound_below_its_roster() -> None:
    _, problem = generated(200, 12, 1)
    roster = plain_greedy(problem)
    value = coverage(problem, roster)
    incumbent = Incumbent(problem, time.monotonic())
    assert incumbent.offer_roster(roster, "greedy")
    assert not incumbent.offer_roster(roster[:-1], "worse")
    assert not incumbent.offer_bound(value - 1, "a bug")  # below the roster: no proof
    assert incumbent.rejected_bounds == [("a bug", value - 1)]
    assert incumbent.offer_bound(value + 10, "relaxation")
    assert not incumbent.offer_bound(value + 11, "weaker")
    assert incumbent.bound == value + 10


def test_clock_budgets_are_shares_of_the_time_left() -> None:
    clock = Clock(time.monotonic(), 100.0, reserve=10.0)
    assert 89 < clock.remaining() <= 90
    assert clock.budget(0.5) - time.monotonic() == pytest.approx(45, abs=0.1)
    assert clock.budget(0.5, at_most=5) - time.monotonic() == pytest.approx(5, abs=0.1)


# ---------------------------------------------------------------- exact method


def test_exact_method_returns_the_greedy_roster_when_cp_sat_finds_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    instance, problem = generated(300, 20, 4)

    class NeverRan:  # what CP-SAT reports when stopped before its search began
        num_branches = num_conflicts = 0
        best_objective_bound = 0.0

    def finds_nothing(self: Any, model: Any, callback: Any, *args: Any, **kwargs: Any) -> int:
        self._solver = NeverRan()
        return cp_model.UNKNOWN

    monkeypatch.setattr(CpSatSolver, "_run", finds_nothing)
    result = CpSatSolver(problem, SolveOptions(time_limit=5)).solve()
    assert result.status == "feasible"
    assert result.coverage == coverage(problem, first_roster(problem))
    assert result.coverage_bound is None or result.coverage_bound >= result.coverage
    passes_check(instance, problem, result.assigned)


def test_exact_method_with_a_tiny_limit_still_has_a_roster() -> None:
    instance, problem = generated(400, 24, 6)
    result = CpSatSolver(problem, SolveOptions(time_limit=0.1)).solve()
    assert result.has_roster
    assert result.coverage >= coverage(problem, plain_greedy(problem))
    passes_check(instance, problem, result.assigned)


# ------------------------------------------------------------------ re-planning


def dropouts(seed: int, gone: int) -> tuple[Any, Problem, Any, list]:
    data = generate_instance(volunteers=400, camps=24, seed=seed)
    instance = load_data(data)
    problem = compile_instance(instance)
    published = roster_triples(problem, first_roster(problem))
    essential = {
        (
            problem.camp_ids[problem.requirement_camp[r]],
            problem.skill_ids[problem.requirement_skill[r]],
        )
        for r in np.flatnonzero(problem.requirement_essential)
    }
    leaving = sorted({v for v, c, s in published if (c, s) in essential})[:gone]
    for person in data["volunteers"]:
        if person["id"] in leaving:
            person["available"] = []
    instance = load_data(data)
    problem = compile_instance(instance)
    return instance, problem, baseline_from_triples(problem, published), published


@pytest.mark.parametrize("seed", range(3))
def test_replan_always_has_a_roster_and_it_passes_check(seed: int) -> None:
    instance, problem, baseline, _ = dropouts(seed, gone=6)
    assert baseline.dropped
    start = refilled_start(problem, baseline.kept)
    passes_check(instance, problem, start)
    # ended on work, the clock a safety net: what is asserted holds for any roster the
    # re-plan returns, and a loaded machine's clock must not choose which one that is
    options = SolveOptions(time_limit=120, work_limit=1, seed=seed)
    result = NeighbourhoodReplanner(problem, options, baseline).solve()
    assert result.stopped_by is None
    assert result.has_roster
    passes_check(instance, problem, result.assigned)
    assert result.coverage >= coverage(problem, start)
    assert result.changes is not None and result.changes >= len(baseline.dropped)
    assert result.coverage_bound is None or result.coverage_bound >= result.coverage


def test_replan_stopped_at_once_still_returns_the_refilled_roster() -> None:
    instance, problem, baseline, _ = dropouts(1, gone=4)
    replanner = NeighbourhoodReplanner(problem, SolveOptions(time_limit=30), baseline)
    replanner.stop()
    result = replanner.solve()
    assert result.has_roster
    assert result.stopped_by == "interrupted"
    passes_check(instance, problem, result.assigned)


def test_search_moves_no_published_assignment_without_a_gain() -> None:
    # Re-planning LNS ranks equal coverage by closeness to the published roster, so
    # steps on an intact roster change nothing.
    instance, problem, baseline, _ = dropouts(2, gone=0)
    assert not baseline.dropped
    search = Lns(problem, baseline.kept, LnsOptions(step_work=0.2), published=baseline.kept)
    for step in range(8):
        search.step(REPLAN_KINDS[step % len(REPLAN_KINDS)], time_limit=10)
    gained = coverage(problem, search.roster) - coverage(problem, baseline.kept)
    if gained == 0:
        assert np.array_equal(search.roster, np.sort(baseline.kept))
    passes_check(instance, problem, search.roster)


# ------------------------------------------------------------ large method, bounds


@pytest.mark.parametrize("seed", range(3))
def test_large_method_is_never_below_the_plain_greedy(seed: int) -> None:
    from campplanner.solver import LargeSolver
    from campplanner.solver import SolveOptions as LargeOptions

    instance, problem = generated(400, 24, seed, max_camps=1, rest_days=1 + seed % 2)
    # 3 s worth of work (0.25 a second, as test_large.py's), ended on it, not the clock
    options = LargeOptions(time_limit=120, work_limit=0.75, seed=seed)
    result = LargeSolver(problem, options).solve()
    assert result.coverage >= coverage(problem, plain_greedy(problem))
    assert result.coverage_bound is None or result.coverage_bound >= result.coverage
    passes_check(instance, problem, result.assigned)


def test_a_snapshot_says_what_the_search_did_so_far() -> None:
    # A solve whose last phase overran the deadline answers with its snapshot; its file
    # had only {"name", "seed", "snapshot"}, so a benchmark read no first roster, no
    # trace and no time limit from it (beds-22k-s1, 2026-12-07). A snapshot taken during
    # the search now carries them, the same keys as a solve that returned.
    from campplanner.solver import LargeSolver
    from campplanner.solver import SolveOptions as LargeOptions

    instance, problem = generated(400, 24, 1, max_camps=1)
    solver = LargeSolver(problem, LargeOptions(time_limit=30, seed=1))
    taken: list[Any] = []

    def progress(elapsed: float, coverage: int | None, bound: float, stage: str = "") -> None:
        if not taken and coverage is not None and solver.incumbent is not None:
            taken.append(solver.snapshot())  # mid-solve, from the solver's own thread

    result = solver.solve(progress)
    held = taken[0]
    assert held is not None and held.solver["snapshot"] is True
    assert held.solver["time_limit"] == 30
    assert held.solver["first_roster"] == result.solver["first_roster"]
    assert held.solver["trace"] and held.solver["trace"][0][1] == held.solver["first_roster"]
    shared = {"name", "seed", "time_limit", "first_roster", "bound_source", "trace"}
    assert shared <= set(held.solver) and shared <= set(result.solver)
    passes_check(instance, problem, held.assigned)


def test_a_core_stopped_before_its_search_proves_nothing() -> None:
    # issue 13: "bound 0, gap 0.00%" came from CP-SAT's objective bound after a search
    # that ended UNKNOWN. A core cut at once must report no bound, or a true one.
    from campplanner.solver.core import CoreModel

    _, problem = generated(300, 20, 8)
    optimum = CpSatSolver(problem, SolveOptions(time_limit=20, secondary=False)).solve()
    runnable = runnable_camps(problem)
    saturated = np.zeros(problem.num_requirements, dtype=bool)
    for work in (1e-9, 1e-4, 0.01):
        core = CoreModel(problem, runnable, saturated)
        _, _, bound = core.solve(time_limit=5, work_limit=work)
        assert bound is None or bound >= optimum.coverage


def test_the_greedy_order_is_the_lexicographic_order_of_its_keys() -> None:
    """greedy_order packs its four keys into one integer; it must sort exactly as the
    keys would: essential first, higher priority, preferred, fewer candidates, index."""
    import numpy as np

    from campplanner.app.inspect import load_problem
    from campplanner.solver.first_roster import greedy_order

    _, p = load_problem(str(REPO / "instances" / "medium.json"))
    per_volunteer = np.diff(p.volunteer_candidates)[p.candidate_volunteer]
    essential = p.requirement_essential[p.candidate_requirement]
    prefer = np.random.default_rng(7).random(p.num_candidates) < 0.05
    for preferred in (None, prefer):
        keys = [np.arange(p.num_candidates), per_volunteer]
        if preferred is not None:
            keys.append(~preferred)
        keys += [-p.candidate_value, ~essential]
        assert np.array_equal(greedy_order(p, preferred), np.lexsort(keys))


def test_a_volunteer_who_may_join_one_camp_gets_one_row() -> None:
    """max_camps 1: one row over all the volunteer's candidates implies every clique row;
    without this the foreign seasons' restricted LP grew too large to finish in time."""
    from campplanner.model.rules import volunteer_clique_rows

    camps = [camp(f"c{k}", start=f"2021-07-0{k}", end=f"2021-07-0{k + 1}") for k in range(1, 6)]
    p = compile_data(
        make_instance(volunteers=[volunteer("v1")], camps=camps, rules={"max_camps": 1})
    )
    candidates = np.arange(p.num_candidates)
    _, cols, upper = volunteer_clique_rows(p, candidates)
    assert upper == [1.0] and sorted(cols.tolist()) == list(range(5))
    p2 = compile_data(
        make_instance(volunteers=[volunteer("v1")], camps=camps, rules={"max_camps": 2})
    )
    _, _, upper2 = volunteer_clique_rows(p2, np.arange(p2.num_candidates))
    assert len(upper2) > 1 and upper2[-1] == 2.0  # cliques of overlapping camps, then H5
