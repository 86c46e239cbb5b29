"""Seasons where each volunteer joins at most one camp: which camps run, then who goes.

When nobody may join more than one camp (``max_camps`` 1 for everyone, the *teams*
shape of ``benchmarks/bench_robust.py``) and nothing is locked, the roster rules
reduce to a network: each volunteer sends at most one unit to one of their
requirements (H1, H2, H7, H8 and the forbidden pairs are in the candidates; H3 to H5
follow from the one unit), each requirement passes at most its slots on to its camp
(H6 slots), each camp at most its beds (H6 beds). Once the camps that run are chosen,
H9 asks every essential requirement of those camps to be full: a lower bound on its
arc. So:

- **who goes, given the camps that run** (:func:`best_staffing`) is a min-cost flow,
  solved exactly by OR-Tools' ``SimpleMinCostFlow`` (essential slots as lower bounds
  of their arcs; when they cannot all be met, a flow in which they weigh more than all
  the priorities together names the camps left short, which are closed, and the flow
  is solved again);
- **which camps run** is the restricted LP of :func:`bounds.column_lp` with its
  "runs" columns integer (:func:`camp_program`): a mixed-integer program with one
  binary per camp, the people continuous (their part is a network, so integral once
  the camps are), solved by HiGHS' branch and bound. It is a relaxation of every
  season (a roster gives a solution of it, with the same coverage), so its dual bound
  is a proof on any season; the camps of its best solution are the ones staffed.

The LP lets a camp run "in part" and the integer program does not: on teams-3k-s1 it
proves 9,367 where the LP says 9,525, and its camps staffed by the flow cover 9,367,
the optimum (figures: docs/benchmarks.md, issue 22).
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass

import highspy
import numpy as np
from ortools.graph.python import min_cost_flow

from campplanner.model.problem import Problem
from campplanner.model.rules import (
    beds_left,
    camps_left,
    camps_short_of_essentials,
    essentials_missing,
    slots_left,
)
from campplanner.model.state import RosterState
from campplanner.solver.bounds import _silent_highs, column_model, highs_work, run_highs


def one_camp_each(problem: Problem) -> bool:
    """True when every volunteer may join at most one camp and nothing is locked: the
    seasons whose staffing is a flow (see the module docstring)."""
    p = problem
    if p.num_volunteers == 0 or len(p.locked_candidates):
        return False
    return bool((camps_left(p, np.arange(p.num_volunteers), 0) <= 1).all())


def best_staffing(
    problem: Problem, runs: np.ndarray, stop: threading.Event | None = None
) -> np.ndarray | None:
    """The roster of highest coverage in which only camps of ``runs`` (bool per camp)
    run, each with its essential slots full (H9), on a season of :func:`one_camp_each`;
    a camp whose essentials cannot all be filled beside the others is closed. None if
    ``stop`` is set between two flows, or if the roster breaks a rule of
    :class:`RosterState` (a rule the flow does not know of: never offered)."""
    p = problem
    runs = np.asarray(runs, dtype=bool).copy()
    while stop is None or not stop.is_set():
        # the essential slots as lower bounds of their arcs: costs 1 to 5, the fastest
        roster = _flow(p, runs, forced=True)
        if roster is not None:
            return roster if _keeps_the_rules(p, roster) else None
        # infeasible: essential slots weighed above everything else say which camps
        # cannot be staffed beside the others; they are closed
        if stop is not None and stop.is_set():
            break
        roster = _flow(p, runs, forced=False)
        assert roster is not None
        short = camps_short_of_essentials(p, roster) & runs
        if not short.any():
            return roster if _keeps_the_rules(p, roster) else None
        runs[short] = False
    return None


def _keeps_the_rules(problem: Problem, roster: np.ndarray) -> bool:
    """H3 to H6 through :class:`RosterState`, H9 in the camps the roster staffs."""
    p = problem
    state = RosterState(p, np.ones(p.num_camps, dtype=bool))
    for i in roster.tolist():
        if not state.fits(i):
            return False
        state.add(np.array([i], dtype=np.int64))
    running = np.zeros(p.num_camps, dtype=bool)
    running[p.candidate_camp[roster]] = True
    return not (camps_short_of_essentials(p, roster) & running).any()


def _flow(p: Problem, runs: np.ndarray, forced: bool) -> np.ndarray | None:
    """One min-cost flow: source -> volunteer -> requirement -> camp -> sink, with an
    arc from source to sink for the people who go nowhere; each volunteer's arc to a
    requirement earns its camp's priority. The essential slots of the running camps
    are the lower bounds of their requirements' arcs to the camp (``forced``: None when
    they cannot all be met), or arcs of their own that earn more than all priorities
    together."""
    volunteers, requirements = p.num_volunteers, p.num_requirements
    source = volunteers + requirements + p.num_camps
    sink = source + 1
    candidates = np.flatnonzero(runs[p.candidate_camp])
    count = np.maximum(slots_left(p, np.arange(requirements), 0), 0)
    reqs = np.flatnonzero(runs[p.requirement_camp] & (count > 0))
    need = np.clip(essentials_missing(p, reqs, 0), 0, count[reqs])
    camps = np.flatnonzero(runs)
    req_node = volunteers + reqs
    camp_node = volunteers + requirements + p.requirement_camp[reqs]
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[source], supplies[sink] = volunteers, -volunteers
    if forced:  # lower bound l on r -> c: r asks for l more, c gives l more
        req_tails, req_heads, req_capacity = req_node, camp_node, count[reqs] - need
        req_cost = np.zeros(len(reqs))
        supplies[req_node] -= need
        np.add.at(supplies, camp_node, need)
    else:
        bonus = int(p.camp_priority.max(initial=1)) * (volunteers + 1) + 1
        req_tails = np.concatenate((req_node, req_node))
        req_heads = np.concatenate((camp_node, camp_node))
        req_capacity = np.concatenate((need, count[reqs] - need))
        req_cost = np.concatenate((np.full(len(reqs), -bonus), np.zeros(len(reqs))))
    load = np.maximum(camps_left(p, np.arange(volunteers), 0), 0)
    tails = np.concatenate(
        (
            np.full(volunteers, source),
            p.candidate_volunteer[candidates],
            req_tails,
            volunteers + requirements + camps,
            [source],
        )
    ).astype(np.int64)
    heads = np.concatenate(
        (
            np.arange(volunteers),
            volunteers + p.candidate_requirement[candidates],
            req_heads,
            np.full(len(camps), sink),
            [sink],
        )
    ).astype(np.int64)
    capacity = np.concatenate(
        (
            load,
            np.ones(len(candidates)),
            req_capacity,
            np.maximum(beds_left(p, camps, 0), 0),
            [volunteers],
        )
    ).astype(np.int64)
    costs = np.concatenate(
        (
            np.zeros(volunteers),
            -p.camp_priority[p.candidate_camp[candidates]],
            req_cost,
            np.zeros(len(camps)),
            [0],
        )
    ).astype(np.int64)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacity, costs)
    flow.set_nodes_supplies(np.arange(sink + 1), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        # without lower bounds the bypass arc carries everyone: always feasible
        if forced and status == flow.INFEASIBLE:
            return None
        raise RuntimeError(f"min-cost flow ended with status {status}")
    used = flow.flows(np.arange(volunteers, volunteers + len(candidates)))
    return np.sort(candidates[used > 0]).astype(np.int64)


# A line of HiGHS' MIP log with ``timeless_log``: source, nodes, queue, leaves,
# explored %, bounds, gap, cuts, then the LP iterations of the whole search so far
# (exact up to 999,999, then in thousands "k" or millions "m").
_DISPLAY_LINE = re.compile(
    r"^\s*[A-Za-z]?\s+\d+[km]?\s+\d+[km]?\s+\d+[km]?\s+[\d.]+%.*\s(\d+)([km]?)\s*$"
)
_MAGNITUDE = {"": 1, "k": 1_000, "m": 1_000_000}


def logged_iterations(line: str) -> int | None:
    """The LP iterations a line of HiGHS' MIP log reports (None: not such a line)."""
    match = _DISPLAY_LINE.match(line)
    if match is None:
        return None
    return int(match.group(1)) * _MAGNITUDE[match.group(2)]


@dataclass
class CampProgram:
    """What the integer program over camps found."""

    runs: np.ndarray | None  # bool per camp, of its best solution (None: none found)
    bound: int | None  # its proven bound on coverage (None: no proof)
    value: float | None  # the objective of its best solution (a relaxation's value)
    nodes: int  # branch-and-bound nodes explored
    iterations: int = 0  # simplex iterations of all its LPs (HiGHS' count)
    cut_by_work: bool = False  # ended on its work budget, not on its proof or the clock
    work_done: float = 0.0  # its setup and iterations counted as work (bounds.highs_work)


def camp_program(
    problem: Problem,
    runnable: np.ndarray,
    candidates: np.ndarray,
    phantoms: np.ndarray,
    time_limit: float,
    stop: threading.Event | None = None,
    work: float | None = None,
) -> CampProgram:
    """The restricted LP of :func:`bounds.column_lp` (``candidates`` as columns,
    ``phantoms`` filled by phantom supply) with its "runs" columns binary, solved by
    HiGHS within ``time_limit`` seconds or, deterministically, about ``work`` units:
    its setup and the simplex iterations of its LPs, counted by :func:`bounds.highs_work`.

    HiGHS counts its LP iterations but its callbacks do not say them (highspy's
    ``simplex_iteration_count`` reads -1 in a MIP): its log does, on every line of
    the search. With ``work`` the log goes to a callback only (never the
    console), a line at every step (``mip_min_logging_interval`` 0, without seconds),
    and the search is interrupted at the first check after a line reports
    the budget's iterations or more. Lines and checks come at the same points of the same
    search on every machine (one thread, fixed seed), so where it stops does too; an
    LP under way is not cut, so the count may pass the budget by one LP's iterations."""
    p = problem
    lp, camps = column_model(p, runnable, candidates, phantoms)
    integrality = [highspy.HighsVarType.kContinuous] * (lp.num_col_ - len(camps))
    lp.integrality_ = integrality + [highspy.HighsVarType.kInteger] * len(camps)
    highs = _silent_highs()
    highs.setOptionValue("time_limit", max(0.1, time_limit))
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("random_seed", 0)
    highs.setOptionValue("mip_rel_gap", 1e-6)
    seen = [0]
    cut = [False]
    setup, per_iteration = highs_work(lp)
    if work is not None:
        max_iterations = max(1, int((work - setup) / per_iteration))
        # its sub-MIP heuristics (RINS, RENS and the root's reduced-cost sub-MIP) are
        # off: they search for minutes on a full season without a check between (HiGHS
        # polls interrupts only in the main search) and their iterations reach the
        # count only at their end (on teams-10k the reduced-cost sub-MIP took 9.4 of
        # the 16.8 s of CPU; without it the search proves the same optimum in 4.4 s)
        highs.setOptionValue("mip_heuristic_run_rins", False)
        highs.setOptionValue("mip_heuristic_run_rens", False)
        highs.setOptionValue("mip_heuristic_run_root_reduced_cost", False)
        highs.setOptionValue("output_flag", True)
        highs.setOptionValue("log_to_console", False)
        highs.setOptionValue("timeless_log", True)
        highs.setOptionValue("mip_min_logging_interval", 0.0)

        def read(event: highspy.HighsCallbackEvent) -> None:
            iterations = logged_iterations(event.message)
            if iterations is not None:
                seen[0] = max(seen[0], iterations)

        def enough(event: highspy.HighsCallbackEvent) -> None:
            if seen[0] >= max_iterations:
                cut[0] = True
                event.interrupt()

        highs.cbLogging += read
        highs.cbMipInterrupt += enough
    highs.passModel(lp)
    run_highs(highs, time.monotonic() + time_limit, stop)
    info = highs.getInfo()
    bound = None
    dual = float(info.mip_dual_bound)
    if np.isfinite(dual) and abs(dual) < highspy.kHighsInf and info.mip_node_count >= 0:
        bound = int(np.floor(dual + 1e-6))
    runs = None
    value = None
    if info.primal_solution_status == 2:  # kSolutionStatusFeasible
        values = np.asarray(highs.getSolution().col_value)
        runs = np.zeros(p.num_camps, dtype=bool)
        runs[camps] = values[lp.num_col_ - len(camps) :] > 0.5
        value = float(info.objective_function_value)
    # after a MIP, HiGHS' info holds the LP iterations of the whole search
    iterations = max(int(info.simplex_iteration_count), seen[0])
    nodes = int(info.mip_node_count)
    done = setup + iterations * per_iteration
    return CampProgram(runs, bound, value, nodes, iterations, cut[0], done)
