"""Proven upper bounds on coverage for large instances: a Lagrangian relaxation.

The slot, bed and essential constraints tie volunteers together; everything else (H3
one role, H4 no overlap, H5 load) concerns one volunteer at a time. With a variable
``runs[c]`` in {0, 1} per camp, every roster satisfies

    sum_{i in r} x_i <= count_r * runs_c      for every requirement r of camp c  (lam_r)
    sum_{i in c} x_i <= capacity_c * runs_c   for every camp c                 (mu_c)

and, for an essential r, the first holds with equality (H9), so its multiplier may have
either sign. Moving these constraints into the objective with multipliers lam, mu gives

    L(lam, mu) = sum_c max(0, sum_{r in c} lam_r count_r + mu_c capacity_c)
               + sum_v max_{S feasible for v} sum_{i in S} (priority_c - lam_r - mu_c)

where "S feasible for v" is a set of v's candidates, at most one per camp, in camps
that pairwise do not conflict (H4), at most ``max_camps[v]`` of them: a weighted
interval schedule with a cardinality limit, solved exactly by a small dynamic program.
For any lam_r >= 0 (non-essential r), any lam_r (essential r) and mu >= 0, L is an upper
bound on the coverage of every roster; its floor is the bound reported. The best
multipliers are searched for by subgradient steps; the value is valid at each of them.

Camps whose essential requirements can never be filled (fewer candidates than slots, or
fewer beds than essential slots) run in no roster: they are left out of the bound.

Locks are dropped (a relaxation), so the bound holds with or without them.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse

from campplanner.model.problem import Problem
from campplanner.model.rules import (
    beds_left,
    camps_left,
    conflict_window,
    essential_mask,
    runnable_camps,
    slots_left,
    volunteer_clique_rows,
)
from campplanner.solver.work import WorkBudget

_POSITIVE = 1e-9  # reduced profits at or below this are treated as zero
_ROUNDING = 1e-6  # per volunteer: float error allowed for in the dynamic program


@dataclass
class Relaxed:
    """One evaluation of the Lagrangian: its value and the relaxed optimum."""

    value: float  # L(lam, mu), an upper bound on coverage
    chosen: np.ndarray  # candidate indices of each volunteer's best schedule
    runs: np.ndarray  # bool per camp: the camp term is positive
    volunteer_value: np.ndarray  # per volunteer: its schedule's reduced profit


class LagrangianBound:
    """Evaluates and improves the Lagrangian bound of a Problem."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.runnable = runnable_camps(problem)
        p = problem
        self.requirement_priority = p.camp_priority[p.requirement_camp].astype(np.float64)
        self.requirement_alive = self.runnable[p.requirement_camp]
        # the rules' own numbers for an empty roster: slots, beds, camps per volunteer
        self.count = slots_left(p, np.arange(p.num_requirements), 0).astype(np.float64)
        self.capacity = beds_left(p, np.arange(p.num_camps), 0).astype(np.float64)
        self.max_camps = camps_left(p, np.arange(p.num_volunteers), 0)
        self.max_load = int(self.max_camps.max()) if p.num_volunteers else 0
        self.essential = essential_mask(p)
        # H4 as intervals [first, reach] (model.rules.conflict_window): a camp can follow
        # another in one schedule iff it starts after the other's reach. Camps ranked by
        # reach (ties by index): each volunteer's candidates sorted by this rank are in
        # the order the interval-scheduling recursion needs.
        first, reach = conflict_window(p)
        self.end_rank = np.empty(p.num_camps, dtype=np.int64)
        self.end_rank[np.lexsort((np.arange(p.num_camps), reach))] = np.arange(p.num_camps)
        day0 = int(first.min()) if p.num_camps else 0
        self.first_day = first - day0
        self.reach_day = reach - day0
        self.span = int(self.reach_day.max()) + 2 if p.num_camps else 1
        self.best_value = np.inf
        self.best_multipliers: tuple[np.ndarray, np.ndarray] | None = None
        self.last: Relaxed | None = None  # the evaluation of the last offer
        self.best_relaxed: Relaxed | None = None  # the evaluation at the best multipliers

    def offer(self, lam: np.ndarray, mu: np.ndarray) -> float:
        """Evaluate L at (lam, mu), projected onto the valid multipliers; keep the best."""
        lam = lam.copy()
        free = ~self.essential
        lam[free] = np.maximum(lam[free], 0.0)
        mu = np.maximum(mu, 0.0)
        relaxed = self.last = self.evaluate(lam, mu)
        if relaxed.value < self.best_value:
            self.best_value = relaxed.value
            self.best_multipliers = (lam, mu)
            self.best_relaxed = relaxed
        return relaxed.value

    # ------------------------------------------------------------------ multipliers
    def initial_multipliers(self) -> tuple[np.ndarray, np.ndarray]:
        """Each slot priced at its priority (beds where they bind): L = total demand."""
        p = self.problem
        lam = self.requirement_priority.copy()
        mu = np.zeros(p.num_camps)
        asked = np.bincount(p.requirement_camp, weights=self.count, minlength=p.num_camps)
        beds_bind = self.capacity < asked
        mu[beds_bind] = p.camp_priority[beds_bind]
        lam[beds_bind[p.requirement_camp]] = 0.0
        lam[~self.requirement_alive] = 0.0
        mu[~self.runnable] = 0.0
        return lam, mu

    # ------------------------------------------------------------------- evaluation
    def evaluate(self, lam: np.ndarray, mu: np.ndarray) -> Relaxed:
        """L(lam, mu) and the relaxed optimum (exact; valid for any feasible multipliers)."""
        p = self.problem
        reduced = self.requirement_priority - lam - mu[p.requirement_camp]
        reduced[~self.requirement_alive] = -1.0
        candidates = self._positive_candidates(reduced)
        weight = reduced[p.candidate_requirement[candidates]]
        volunteer = p.candidate_volunteer[candidates].astype(np.int64)
        camp = p.candidate_camp[candidates]
        order = np.argsort(volunteer * p.num_camps + self.end_rank[camp], kind="stable")
        candidates, weight = candidates[order], weight[order]
        volunteer, camp = volunteer[order], camp[order]

        # one item per (volunteer, camp): its best candidate (H3 one role)
        n = len(candidates)
        new_pair = np.ones(n, dtype=bool)
        if n:
            new_pair[1:] = (volunteer[1:] != volunteer[:-1]) | (camp[1:] != camp[:-1])
        starts = np.flatnonzero(new_pair)
        pair_weight = np.maximum.reduceat(weight, starts) if n else weight
        pair_of = np.cumsum(new_pair) - 1
        is_best = weight >= pair_weight[pair_of]
        position = np.where(is_best, np.arange(n), n)
        pair_best = candidates[np.minimum.reduceat(position, starts)] if n else candidates
        pair_volunteer, pair_camp = volunteer[starts], camp[starts]

        values, chosen_pairs = self._schedules(pair_volunteer, pair_camp, pair_weight)
        volunteer_value = np.zeros(p.num_volunteers)
        if len(pair_volunteer):
            np.add.at(volunteer_value, values[0], values[1])

        camp_term = np.bincount(p.requirement_camp, weights=lam * self.count, minlength=p.num_camps)
        camp_term += mu * self.capacity
        camp_term[~self.runnable] = 0.0
        runs = camp_term > 0
        # Requirements with reduced profit in (0, _POSITIVE] were left out of the programs:
        # each volunteer could have gained at most max_camps x _POSITIVE from them.
        margin = _POSITIVE * float(self.max_camps.sum())
        # The dynamic program adds and removes per-volunteer offsets of up to ~1e8, so
        # each volunteer's value may be off by a few ulps of that (~1e-8): allow 1e-6.
        margin += _ROUNDING * p.num_volunteers
        value = float(np.maximum(camp_term, 0.0).sum() + volunteer_value.sum()) + margin
        return Relaxed(value, np.sort(pair_best[chosen_pairs]), runs, volunteer_value)

    def _positive_candidates(self, reduced: np.ndarray) -> np.ndarray:
        """Candidate indices whose requirement has a positive reduced profit."""
        pointer, order = self.problem.requirement_candidates
        requirements = np.flatnonzero(reduced > _POSITIVE)
        lengths = pointer[requirements + 1] - pointer[requirements]
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(0, dtype=np.int64)
        # positions pointer[r] .. pointer[r+1]-1 of every positive r, without a Python loop
        offsets = np.repeat(pointer[requirements] - np.cumsum(lengths) + lengths, lengths)
        return order[offsets + np.arange(total)].astype(np.int64)

    def _schedules(
        self, volunteer: np.ndarray, camp: np.ndarray, weight: np.ndarray
    ) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray]:
        """Best schedule of every volunteer over items sorted by (volunteer, camp end).

        F_k(j) = max(F_k(j-1), w_j + F_{k-1}(pred j)), with pred j the last item of the same
        volunteer that ends, with rest, before j starts. Since F_{k-1} is known in full,
        F_k is a cumulative maximum per volunteer of g_k = w + F_{k-1}[pred]: one
        vectorised pass per k, over all volunteers at once.
        """
        n = len(volunteer)
        if n == 0:
            empty = np.zeros(0, dtype=np.int64)
            return (empty, np.zeros(0)), empty
        end_key = volunteer * self.span + self.reach_day[camp]
        query = volunteer * self.span + self.first_day[camp] - 1
        pred = np.searchsorted(end_key, query, side="right") - 1
        pred[(pred < 0) | (volunteer[np.maximum(pred, 0)] != volunteer)] = -1

        last = np.flatnonzero(np.append(volunteer[1:] != volunteer[:-1], True))
        segment = np.cumsum(np.concatenate(([0], (volunteer[1:] != volunteer[:-1]))))
        offset = segment * (float(weight.max()) * (self.max_load + 1) + 1.0)
        loads = self.max_camps[volunteer[last]]
        top = int(loads.max())
        value = np.zeros((top + 1, n + 1))  # column n is the empty prefix (value 0)
        best_at = np.zeros((top + 1, n), dtype=np.int64)
        positions = np.arange(n)
        for k in range(1, top + 1):
            gain = weight + value[k - 1][pred]  # pred -1 reads column n
            shifted = gain + offset
            running = np.maximum.accumulate(shifted)
            value[k, :n] = running - offset
            best_at[k] = np.maximum.accumulate(np.where(shifted >= running, positions, 0))

        totals = value[loads, last]
        chosen: list[np.ndarray] = []
        current, k = last.copy(), loads.copy()
        for _ in range(top):
            active = (current >= 0) & (k >= 1)
            if not active.any():
                break
            current, k = current[active], k[active]
            item = best_at[k, current]
            chosen.append(item)
            current, k = pred[item], k - 1
        chosen_items = np.concatenate(chosen) if chosen else np.zeros(0, dtype=np.int64)
        return (volunteer[last], totals), chosen_items

    @property
    def bound(self) -> int | None:
        """The proven integer bound: floor of the best L (coverage is integral)."""
        if not np.isfinite(self.best_value):
            return None
        return int(np.floor(self.best_value + 1e-6))


# ----------------------------------------------------------------- multipliers by LP


@dataclass
class RestrictedLp:
    """The LP whose dual is the Lagrangian dual restricted to ``saturated``; see below."""

    value: float  # its optimum, equal to L(lam, mu) at its duals
    lam: np.ndarray
    mu: np.ndarray
    candidates: np.ndarray  # the candidates with a column
    fraction: np.ndarray  # their LP values
    runs: np.ndarray  # per camp, LP value of "the camp runs"


def restricted_lp(
    problem: Problem,
    runnable: np.ndarray,
    saturated: np.ndarray,
    time_limit: float,
    stop: threading.Event | None = None,
    work: float | None = None,
    budget: WorkBudget | None = None,
) -> RestrictedLp | None:
    """Solve, with HiGHS, the LP relaxation in which saturated requirements are free.

    A *saturated* requirement is one a good roster fills while a volunteer who could
    still join it is left over; in an optimal LP solution its reduced profit is then at
    most that volunteer's dual value, 0. Here its slots are filled by a phantom supply
    ``y_r`` (profit priority_c, beds used, no volunteer), which is the same as fixing
    its reduced profit at <= 0. What remains are the candidates of the other
    requirements: a few thousand columns instead of millions. See :func:`column_lp`.

    Its duals (lam, mu) are multipliers for :class:`LagrangianBound`, whose evaluation
    on *all* candidates is the proof; the LP value itself is never reported as a bound.
    Returns None if HiGHS does not finish in ``time_limit`` or ``stop`` is set, or
    within ``work`` (see :func:`column_lp`).
    """
    p = problem
    candidates = scarce_candidates(p, runnable, saturated)
    phantoms = np.flatnonzero(runnable[p.requirement_camp] & saturated)
    return column_lp(p, runnable, candidates, phantoms, time_limit, stop, work, budget)


def column_lp(
    problem: Problem,
    runnable: np.ndarray,
    candidates: np.ndarray,
    phantoms: np.ndarray,
    time_limit: float,
    stop: threading.Event | None = None,
    work: float | None = None,
    budget: WorkBudget | None = None,
) -> RestrictedLp | None:
    """The LP relaxation over the columns ``candidates`` (sorted), with phantom supply
    for the requirements ``phantoms``:

        max  sum_i p_c x_i + sum_{r in phantoms} p_c y_r
        s.t. sum_{i in r} x_i + y_r <= count_r runs_c   (= for essential r)   [lam_r]
             sum_{i in c} x_i + sum_{r in c} y_r <= capacity_c runs_c          [mu_c]
             per volunteer: at most one camp per clique of conflicting camps (H3, H4),
             at most max_camps camps (H5); 0 <= x, runs <= 1, 0 <= y_r.

    Returns None if HiGHS does not finish within ``time_limit`` seconds or ``stop`` is
    set: it is interrupted through its callbacks, within a few milliseconds. With
    ``work``, also when its simplex iterations, counted by :func:`highs_work`, pass
    ``work`` (the same point on every machine: HiGHS says its count at each
    iteration), or at once when its setup alone would spend ``work``; the work done is
    spent from ``budget``.
    """
    p = problem
    lp, camps = column_model(p, runnable, candidates, phantoms)
    n_x, n_y, base = len(candidates), len(phantoms), p.num_requirements
    highs = _silent_highs()
    highs.setOptionValue("time_limit", max(0.1, time_limit))
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("random_seed", 0)
    setup, per_iteration = highs_work(lp)
    if work is not None and setup >= work:
        return None  # its setup alone would spend the work
    if work is not None:
        highs.setOptionValue("solver", "simplex")  # the iterations counted
        limit = max(1, int((work - setup) / per_iteration))

        def enough(event: highspy.HighsCallbackEvent) -> None:
            if event.data_out.simplex_iteration_count >= limit:
                event.interrupt()

        highs.cbSimplexInterrupt += enough
    highs.passModel(lp)
    run_highs(highs, time.monotonic() + time_limit, stop)
    if budget is not None:
        iterations = max(0, int(highs.getInfo().simplex_iteration_count))
        budget.spend(setup + iterations * per_iteration)
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    solution = highs.getSolution()
    duals = np.asarray(solution.row_dual)
    values = np.asarray(solution.col_value)
    runs = np.zeros(p.num_camps)
    runs[camps] = values[n_x + n_y :]
    return RestrictedLp(
        value=float(highs.getInfo().objective_function_value),
        lam=duals[: p.num_requirements].copy(),
        mu=duals[base : base + p.num_camps].copy(),
        candidates=candidates,
        fraction=values[:n_x],
        runs=runs,
    )


# With a work budget (solver/work.py) a HiGHS model counts, in units of about a second
# of one core: its presolve and setup, this much per nonzero of its matrix, then each
# simplex iteration this much times the square root of the nonzeros (an iteration's
# cost grows with the model, less than in proportion). Fitted on the camps' MIP of
# teams-3k/10k/22k-s1 (one_camp.py; 20k to 327k nonzeros: 1.1e-6 to 1.4e-6 and 8.3e-6
# to 9.4e-6 CPU seconds; docs/benchmarks.md, issue 22).
WORK_PER_ITERATION = 1.25e-6
WORK_PER_NONZERO = 9e-6


def highs_work(lp: highspy.HighsLp) -> tuple[float, float]:
    """The work a HiGHS run over ``lp`` counts for its setup, and for each simplex
    iteration."""
    nonzeros = max(1, len(lp.a_matrix_.value_))
    return WORK_PER_NONZERO * nonzeros, WORK_PER_ITERATION * float(np.sqrt(nonzeros))


def column_model(
    problem: Problem, runnable: np.ndarray, candidates: np.ndarray, phantoms: np.ndarray
) -> tuple[highspy.HighsLp, np.ndarray]:
    """The model of :func:`column_lp` for HiGHS, and the runnable camps whose "runs"
    are its last columns (after the x of ``candidates``, then the y of ``phantoms``);
    its rows: requirements, then camps, then volunteers."""
    p = problem
    alive_requirement = runnable[p.requirement_camp]
    camps = np.flatnonzero(runnable)
    n_x, n_y, n_c = len(candidates), len(phantoms), len(camps)
    camp_col = np.full(p.num_camps, -1, dtype=np.int64)
    camp_col[camps] = n_x + n_y + np.arange(n_c)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    x_cols = np.arange(n_x)
    y_cols = n_x + np.arange(n_y)
    cand_req = p.candidate_requirement[candidates].astype(np.int64)
    cand_camp = p.candidate_camp[candidates].astype(np.int64)
    # requirement rows: row index = requirement index
    rows += [cand_req, phantoms, np.arange(p.num_requirements)[alive_requirement]]
    cols += [x_cols, y_cols, camp_col[p.requirement_camp[alive_requirement]]]
    count = slots_left(p, np.flatnonzero(alive_requirement), 0).astype(float)
    vals += [np.ones(n_x), np.ones(n_y), -count]
    # camp rows
    base = p.num_requirements
    rows += [base + cand_camp, base + p.requirement_camp[phantoms].astype(np.int64), base + camps]
    cols += [x_cols, y_cols, camp_col[camps]]
    vals += [np.ones(n_x), np.ones(n_y), -beds_left(p, camps, 0).astype(float)]
    row_upper: list[float] = [0.0] * (p.num_requirements + p.num_camps)
    essential = essential_mask(p).tolist()
    row_lower = [0.0 if essential[r] else -highspy.kHighsInf for r in range(p.num_requirements)]
    row_lower += [-highspy.kHighsInf] * p.num_camps
    # volunteer rows: cliques of conflicting camps and the load limit
    next_row = base + p.num_camps
    person_rows, person_cols, person_upper = volunteer_clique_rows(p, candidates, next_row)
    rows.append(person_rows)
    cols.append(person_cols)
    vals.append(np.ones(len(person_rows)))
    row_upper += person_upper
    row_lower += [-highspy.kHighsInf] * len(person_upper)

    num_rows = len(row_upper)
    num_cols = n_x + n_y + n_c
    matrix = sparse.csc_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(num_rows, num_cols),
    )
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = num_cols, num_rows
    lp.col_cost_ = np.concatenate(
        (
            p.camp_priority[cand_camp].astype(float),
            p.camp_priority[p.requirement_camp[phantoms]].astype(float),
            np.zeros(n_c),
        )
    )
    lp.col_lower_ = np.zeros(num_cols)
    # y_r has no upper bound of its own (its row bounds it): then its dual constraint is
    # lam_r + mu_c >= p_c, the reduced profit <= 0 the relaxation is restricted to.
    lp.col_upper_ = np.concatenate((np.ones(n_x), np.full(n_y, highspy.kHighsInf), np.ones(n_c)))
    lp.row_lower_ = np.array(row_lower)
    lp.row_upper_ = np.array(row_upper)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = matrix.data
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = num_cols, num_rows
    return lp, camps


def run_highs(highs: highspy.Highs, deadline: float, stop: threading.Event | None) -> None:
    """``highs.run()``, interrupted when ``stop`` is set or the monotonic ``deadline``
    passes: HiGHS calls back between simplex and interior-point iterations."""

    def interrupt(event: highspy.HighsCallbackEvent) -> None:
        if (stop is not None and stop.is_set()) or time.monotonic() > deadline:
            event.interrupt()

    highs.cbSimplexInterrupt += interrupt
    highs.cbIpmInterrupt += interrupt
    highs.cbMipInterrupt += interrupt
    if stop is not None and stop.is_set():
        return
    highs.run()


def _silent_highs() -> highspy.Highs:
    """A Highs object whose banner does not reach stdout (solution rosters print there)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 1)
            highs = highspy.Highs()
            highs.setOptionValue("output_flag", False)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    return highs


def scarce_candidates(problem: Problem, runnable: np.ndarray, saturated: np.ndarray) -> np.ndarray:
    """Sorted candidate indices of the requirements of runnable camps not saturated."""
    p = problem
    pointer, order = p.requirement_candidates
    reqs = np.flatnonzero(runnable[p.requirement_camp] & ~saturated)
    lengths = pointer[reqs + 1] - pointer[reqs]
    offsets = np.repeat(pointer[reqs] - np.cumsum(lengths) + lengths, lengths)
    return np.sort(order[offsets + np.arange(int(lengths.sum()))].astype(np.int64))
