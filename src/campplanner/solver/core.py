"""The scarce core of a large instance, solved exactly-ish with CP-SAT.

In a season most requirements are *saturated*: a good roster fills them and still
leaves volunteers who could still join (see :func:`large.free_counts`). What decides
coverage is the rest, the scarce requirements (physicians, veterinarians, ...), and
which camps run (H9). The core model keeps a boolean for every candidate of a scarce
requirement, one "runs" boolean per camp, and for every saturated requirement an
integer ``y_r`` of slots filled by the plentiful supply, not named yet:

    max  sum_i p_c x_i + sum_{r saturated} p_c y_r
    s.t. sum_{i in r} x_i + y_r <= count_r runs_c     (= for essential r, H6 + H9)
         sum_{i in c} x_i + sum_{r in c} y_r <= capacity_c runs_c       (H6 beds)
         per volunteer: one camp per clique of conflicting camps (H3, H4), max_camps (H5)

This is the integer program of :func:`campplanner.solver.bounds.restricted_lp`. Its
solution says which camps run and where the scarce people go; the greedy then names
the volunteers of the saturated slots (:func:`campplanner.solver.greedy.greedy_roster`).
The model has thousands of variables where the full one has millions.
"""

from __future__ import annotations

import threading

import numpy as np
from ortools.sat.python import cp_model

from campplanner.model.problem import Problem
from campplanner.model.rules import beds_left, essential_mask, slots_left, volunteer_clique_rows
from campplanner.solver.bounds import scarce_candidates


class CoreModel:
    """Builds and solves the core; ``stop()`` may be called from another thread."""

    def __init__(self, problem: Problem, runnable: np.ndarray, saturated: np.ndarray):
        p = self.problem = problem
        self.runnable = runnable
        self.saturated = saturated & runnable[p.requirement_camp]
        self.candidates = scarce_candidates(p, runnable, saturated)
        self._solver: cp_model.CpSolver | None = None
        self._stopped = threading.Event()
        self.work_done = 0.0  # CP-SAT deterministic time of the last solve
        model = self.model = cp_model.CpModel()
        self.x = [model.new_bool_var("") for _ in range(len(self.candidates))]
        self.runs = {int(c): model.new_bool_var("") for c in np.flatnonzero(runnable)}
        phantoms = np.flatnonzero(self.saturated)
        # the rules' own numbers for an empty roster: slots, beds, essentials
        count = slots_left(p, np.arange(p.num_requirements), 0)
        capacity = beds_left(p, np.arange(p.num_camps), 0)
        essential = essential_mask(p)
        self.y = {int(r): model.new_int_var(0, int(count[r]), "") for r in phantoms}
        by_requirement: dict[int, list] = {}
        by_camp: dict[int, list] = {}
        for var, i in zip(self.x, self.candidates.tolist(), strict=True):
            by_requirement.setdefault(int(p.candidate_requirement[i]), []).append(var)
            by_camp.setdefault(int(p.candidate_camp[i]), []).append(var)
        for r, y in self.y.items():
            by_requirement.setdefault(r, []).append(y)
            by_camp.setdefault(int(p.requirement_camp[r]), []).append(y)
        for r in np.flatnonzero(runnable[p.requirement_camp]).tolist():
            terms = by_requirement.get(r, [])
            runs = self.runs[int(p.requirement_camp[r])]
            if essential[r]:
                model.add(sum(terms) == int(count[r]) * runs)
            elif terms:
                model.add(sum(terms) <= int(count[r]) * runs)
        for c, terms in by_camp.items():
            model.add(sum(terms) <= int(capacity[c]) * self.runs[c])
        rows, cols, upper = volunteer_clique_rows(p, self.candidates, 0)
        if len(rows):
            splits = np.flatnonzero(np.diff(rows)) + 1
            for members, limit in zip(np.split(cols, splits), upper, strict=True):
                if limit == 1:
                    model.add_at_most_one(self.x[j] for j in members.tolist())
                else:
                    model.add(sum(self.x[j] for j in members.tolist()) <= int(limit))
        for i in problem.locked_candidates.tolist():
            hit = np.searchsorted(self.candidates, i)
            if hit < len(self.candidates) and self.candidates[hit] == i:
                model.add(self.x[int(hit)] == 1)
            model.add(self.runs[int(p.candidate_camp[i])] == 1)
        value = p.camp_priority
        model.maximize(
            cp_model.LinearExpr.weighted_sum(
                self.x, value[p.candidate_camp[self.candidates]].tolist()
            )
            + cp_model.LinearExpr.weighted_sum(
                list(self.y.values()), [int(value[p.requirement_camp[r]]) for r in self.y]
            )
        )

    def hint(self, roster: np.ndarray) -> None:
        """Start the search from ``roster`` (its scarce assignments and running camps)."""
        p = self.problem
        chosen = np.isin(self.candidates, roster)
        for var, on in zip(self.x, chosen.tolist(), strict=True):
            self.model.add_hint(var, on)
        running = np.zeros(p.num_camps, dtype=bool)
        running[p.candidate_camp[roster]] = True
        for c, var in self.runs.items():
            self.model.add_hint(var, bool(running[c]))
        filled = np.bincount(p.candidate_requirement[roster], minlength=p.num_requirements)
        for r, var in self.y.items():
            self.model.add_hint(var, int(filled[r]))

    def stop(self) -> None:
        self._stopped.set()
        if self._solver is not None:
            self._solver.stop_search()

    def solve(
        self, time_limit: float, work_limit: float, seed: int = 0
    ) -> tuple[np.ndarray | None, np.ndarray | None, int | None]:
        """(scarce candidates chosen, bool per camp: runs, proven bound on the core or None).

        The core is a relaxation of the instance (any roster gives a core solution with
        the same coverage: its scarce assignments, and y_r = slots it fills in r), so the
        bound CP-SAT proves on the core is a bound on coverage. ``work_limit`` is CP-SAT's
        deterministic time, so the answer does not depend on the machine's speed unless
        ``time_limit`` (seconds) binds first.
        """
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, time_limit)
        solver.parameters.max_deterministic_time = max(0.05, work_limit)
        solver.parameters.num_workers = 1
        # The LP relaxation with cuts is what proves the core: at the default level one
        # worker proves nothing on a tight season, at level 2 in about a second
        # (figures: docs/benchmarks.md).
        solver.parameters.linearization_level = 2
        solver.parameters.random_seed = seed
        solver.parameters.catch_sigint_signal = False
        self._solver = solver
        if self._stopped.is_set():
            return None, None, None
        status = solver.solve(self.model)
        self.work_done = solver.deterministic_time  # for a caller's work budget
        bound = solver.best_objective_bound
        # A bound is a proof only when CP-SAT says so: the search ended OPTIMAL, or
        # FEASIBLE after it ran. A search stopped UNKNOWN (e.g. in presolve) may read 0.
        searched = solver.num_branches > 0 or solver.num_conflicts > 0
        proven = None
        if np.isfinite(bound) and (
            status == cp_model.OPTIMAL or (status == cp_model.FEASIBLE and searched)
        ):
            proven = int(np.floor(bound + 1e-6))
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None, None, None
        chosen = np.array([solver.boolean_value(v) for v in self.x], dtype=bool)
        runs = np.zeros(self.problem.num_camps, dtype=bool)
        for c, var in self.runs.items():
            runs[c] = solver.boolean_value(var)
        return self.candidates[chosen], runs, proven
