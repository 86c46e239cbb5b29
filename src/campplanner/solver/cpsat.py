"""The CP-SAT model of the contract: one boolean per candidate, one rule per function.

Rules H1 (skill), H2 (dates), H7 (gender), H8 (distance) and the forbidden half of H10
hold by construction: only candidates that pass them get a variable (see problem.py).
The functions in ``HARD_RULES`` add the rest, in order. Each takes the model, the
problem and the variables, and adds the constraints of one rule.

Solving is lexicographic: stage 1 maximises coverage and proves it; stage 2 fixes
coverage at the stage-1 value and minimises the weighted secondary terms.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from campplanner.problem import Problem
from campplanner.replan import Baseline
from campplanner.result import Result
from campplanner.roster import DEFAULT_WEIGHTS, SecondaryTerms, secondary_terms
from campplanner.solver.bounds import LagrangianBound
from campplanner.solver.first_roster import first_roster

ProgressCallback = Callable[[float, int, float], None]  # (elapsed s, coverage, bound)


@dataclass(frozen=True)
class SolveOptions:
    time_limit: float = 60.0  # seconds, for the whole solve including model building
    workers: int = 1  # 1 is deterministic and fastest on small models; see docs/model.md
    seed: int = 0
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    secondary: bool = True  # run stage 2 (secondary terms) after coverage
    # Seconds for stage 2; None: max(10 s, 4 x stage 1), within the time limit. The
    # secondary terms matter less than a prompt answer, so they do not take all the time.
    secondary_time: float | None = None
    log: bool = False  # CP-SAT's own search log on stdout
    # "exact" (this model), "large" (solver/large.py) or "auto": the exact model below
    # AUTO_LARGE_CANDIDATES candidates, the large-scale method from there on
    method: str = "auto"


@dataclass
class Variables:
    """The decision variables: one per candidate, and "camp runs" for camps with essentials."""

    assign: list[cp_model.IntVar]
    runs: dict[int, cp_model.IntVar]


# ----------------------------------------------------------------------- hard rules


def _volunteer_camp_groups(problem: Problem) -> list[tuple[int, int, list[int]]]:
    """(volunteer, camp, candidate indices) for every volunteer-camp pair with candidates."""
    volunteers, camps = problem.candidate_volunteer, problem.candidate_camp
    # candidates are sorted by (volunteer, camp): runs of equal pairs are contiguous
    boundaries = np.flatnonzero((np.diff(volunteers) != 0) | (np.diff(camps) != 0)) + 1
    starts = np.concatenate(([0], boundaries)).astype(np.int64)
    stops = np.concatenate((boundaries, [problem.num_candidates])).astype(np.int64)
    if problem.num_candidates == 0:
        return []
    return [
        (int(volunteers[a]), int(camps[a]), list(range(a, b)))
        for a, b in zip(starts, stops, strict=True)
    ]


def add_one_role(model: cp_model.CpModel, problem: Problem, x: Variables) -> None:
    """H3 one role: sum_{s} x[v, c, s] <= 1 for every volunteer v and camp c."""
    for _, _, candidates in _volunteer_camp_groups(problem):
        if len(candidates) > 1:
            model.add_at_most_one(x.assign[i] for i in candidates)


def conflict_cliques(problem: Problem, camps: list[int]) -> list[list[int]]:
    """Maximal sets of mutually conflicting camps (H4) among ``camps``.

    With rest days r, camps a and b conflict iff [start, end + r] intervals overlap;
    overlaps of intervals form an interval graph, whose maximal cliques are found by
    a sweep over start days.
    """
    order = sorted(camps, key=lambda c: (problem.camp_start[c], problem.camp_end[c]))
    reach = {c: int(problem.camp_end[c]) + problem.rest_days for c in order}
    cliques: list[list[int]] = []
    active: list[int] = []  # camps whose interval contains the current start day
    for camp in order:
        start = int(problem.camp_start[camp])
        survivors = [a for a in active if reach[a] >= start]
        # The active set was maximal if this step drops one of its camps: the last camp
        # added is in it, so no earlier clique contains it, and later ones lack the dropped.
        if len(survivors) < len(active) and len(active) > 1:
            cliques.append(active)
        active = [*survivors, camp]
    if len(active) > 1:
        cliques.append(active)
    return cliques


def add_no_overlap(model: cp_model.CpModel, problem: Problem, x: Variables) -> None:
    """H4 no overlap: for each clique K of conflicting camps, sum_{c in K, s} x[v, c, s] <= 1."""
    by_volunteer: dict[int, dict[int, list[int]]] = {}
    for volunteer, camp, candidates in _volunteer_camp_groups(problem):
        by_volunteer.setdefault(volunteer, {})[camp] = candidates
    for camps in by_volunteer.values():
        if len(camps) < 2:
            continue
        for clique in conflict_cliques(problem, list(camps)):
            model.add_at_most_one(x.assign[i] for c in clique for i in camps[c])


def add_load(model: cp_model.CpModel, problem: Problem, x: Variables) -> None:
    """H5 load: sum_{c, s} x[v, c, s] <= max_camps[v] (H3 makes each term one camp)."""
    pointer = problem.volunteer_candidates
    for v in range(problem.num_volunteers):
        candidates = range(pointer[v], pointer[v + 1])
        limit = int(problem.volunteer_max_camps[v])
        distinct_camps = len(set(problem.candidate_camp[pointer[v] : pointer[v + 1]].tolist()))
        if distinct_camps > limit:
            model.add(sum(x.assign[i] for i in candidates) <= limit)


def add_slots(model: cp_model.CpModel, problem: Problem, x: Variables) -> None:
    """H6 slots: sum_{v} x[v, r] <= count[r] for every requirement r."""
    pointer, order = problem.requirement_candidates
    for r in range(problem.num_requirements):
        candidates = order[pointer[r] : pointer[r + 1]]
        if len(candidates) > problem.requirement_count[r]:
            model.add(sum(x.assign[i] for i in candidates) <= int(problem.requirement_count[r]))


def add_beds(model: cp_model.CpModel, problem: Problem, x: Variables) -> None:
    """H6 beds: sum_{v, s} x[v, c, s] <= capacity[c] for every camp c."""
    for camp, candidates in _camp_candidates(problem).items():
        capacity = int(problem.camp_capacity[camp])
        if len(candidates) > capacity:
            model.add(sum(x.assign[i] for i in candidates) <= capacity)


def add_essential(model: cp_model.CpModel, problem: Problem, x: Variables) -> None:
    """H9 essential: x[v, c, s] <= runs[c], and sum_{v} x[v, r] >= count[r] * runs[c] for
    every essential requirement r of camp c."""
    pointer, order = problem.requirement_candidates
    camp_candidates = _camp_candidates(problem)
    for camp in range(problem.num_camps):
        first, last = problem.camp_requirements[camp], problem.camp_requirements[camp + 1]
        essentials = [r for r in range(first, last) if problem.requirement_essential[r]]
        if not essentials or camp not in camp_candidates:
            continue
        runs = x.runs[camp] = model.new_bool_var(f"runs[{problem.camp_ids[camp]}]")
        for i in camp_candidates[camp]:
            model.add_implication(x.assign[i], runs)
        for r in essentials:
            filled = sum(x.assign[i] for i in order[pointer[r] : pointer[r + 1]])
            model.add(filled >= int(problem.requirement_count[r]) * runs)


def add_locked(model: cp_model.CpModel, problem: Problem, x: Variables) -> None:
    """H10 locked: x[v, c, s] = 1 for every locked triple (forbidden pairs have no variable)."""
    for i in problem.locked_candidates:
        model.add(x.assign[int(i)] == 1)


HARD_RULES = (add_one_role, add_no_overlap, add_load, add_slots, add_beds, add_essential)


def _camp_candidates(problem: Problem) -> dict[int, np.ndarray]:
    order = np.argsort(problem.candidate_camp, kind="stable")
    camps = problem.candidate_camp[order]
    splits = np.flatnonzero(np.diff(camps)) + 1
    return {int(chunk_camps[0]): chunk for chunk, chunk_camps in
            zip(np.split(order, splits), np.split(camps, splits), strict=True)
            if len(chunk)}  # fmt: skip


# ------------------------------------------------------------------------ objective


def coverage_expression(problem: Problem, x: Variables) -> cp_model.LinearExpr:
    """Coverage: sum over candidates of priority[camp] * x."""
    return cp_model.LinearExpr.weighted_sum(x.assign, problem.candidate_value.tolist())


def secondary_expression(
    model: cp_model.CpModel, problem: Problem, x: Variables, weights: dict[str, float]
) -> cp_model.LinearExpr:
    """Weighted secondary terms: travel km, group splits and extra camps (to minimise)."""
    scale = _integer_weights(weights)
    terms = []
    if scale["travel"]:
        km = np.rint(problem.candidate_km).astype(np.int64) * scale["travel"]
        terms.append(cp_model.LinearExpr.weighted_sum(x.assign, km.tolist()))
    if scale["group"]:
        terms.append(scale["group"] * _group_splits(model, problem, x))
    if scale["fairness"]:
        terms.append(scale["fairness"] * _extra_camps(model, problem, x))
    return sum(terms) if terms else cp_model.LinearExpr.constant(0)


def _integer_weights(weights: dict[str, float]) -> dict[str, int]:
    # CP-SAT needs integer coefficients: weights are kept to 1/100 precision.
    return {name: round(100 * weights[name]) for name in ("travel", "group", "fairness")}


def _group_splits(model: cp_model.CpModel, problem: Problem, x: Variables) -> cp_model.LinearExpr:
    """sum_g (number of camps where group g serves - [g serves anywhere])."""
    serves: dict[tuple[int, int], list[int]] = {}
    for i in range(problem.num_candidates):
        group = int(problem.volunteer_group[problem.candidate_volunteer[i]])
        if group >= 0:
            serves.setdefault((group, int(problem.candidate_camp[i])), []).append(i)
    camps_of_group: dict[int, list[cp_model.IntVar]] = {}
    for (group, camp), candidates in serves.items():
        present = model.new_bool_var(f"group{group}_at_{camp}")
        for i in candidates:
            model.add_implication(x.assign[i], present)
        camps_of_group.setdefault(group, []).append(present)
    penalty = []
    for presents in camps_of_group.values():
        if len(presents) < 2:
            continue
        anywhere = model.new_bool_var("")
        model.add(anywhere <= sum(presents))
        penalty.append(sum(presents) - anywhere)
    return sum(penalty) if penalty else cp_model.LinearExpr.constant(0)


def _extra_camps(model: cp_model.CpModel, problem: Problem, x: Variables) -> cp_model.LinearExpr:
    """sum_v (camps joined by v - [v joins any]): rewards spreading load over people."""
    pointer = problem.volunteer_candidates
    penalty = []
    for v in range(problem.num_volunteers):
        candidates = range(pointer[v], pointer[v + 1])
        if problem.volunteer_max_camps[v] < 2 or len(candidates) < 2:
            continue
        joins = sum(x.assign[i] for i in candidates)
        anywhere = model.new_bool_var("")
        model.add(anywhere <= joins)
        penalty.append(joins - anywhere)
    return sum(penalty) if penalty else cp_model.LinearExpr.constant(0)


# --------------------------------------------------------------------------- solving


def build_model(problem: Problem) -> tuple[cp_model.CpModel, Variables]:
    """The model with every hard rule; no objective yet."""
    model = cp_model.CpModel()
    x = Variables(
        assign=[model.new_bool_var(f"x{i}") for i in range(problem.num_candidates)],
        runs={},
    )
    for add_rule in HARD_RULES:
        add_rule(model, problem, x)
    add_locked(model, problem, x)
    return model, x


class _Progress(cp_model.CpSolverSolutionCallback):
    """Records every improving roster and reports progress."""

    def __init__(self, x: Variables, started: float, report: ProgressCallback | None,
                 owner: CpSatSolver | None = None):  # fmt: skip
        super().__init__()
        self._x = x
        self._started = started
        self._report = report
        self._owner = owner  # whose snapshot() this roster becomes
        self.first: np.ndarray | None = None
        self.best: np.ndarray | None = None

    def on_solution_callback(self) -> None:
        values = np.array([self.boolean_value(v) for v in self._x.assign], dtype=bool)
        self.best = np.flatnonzero(values)
        if self.first is None:
            self.first = self.best
        if self._owner is not None:
            self._owner._offer_best(self.best)
        if self._report is not None:
            self._report(
                time.monotonic() - self._started,
                round(self.objective_value),
                self.best_objective_bound,
            )


class CpSatSolver:
    """Solves a Problem with CP-SAT; ``stop()`` may be called from a signal handler."""

    def __init__(
        self,
        problem: Problem,
        options: SolveOptions | None = None,
        baseline: Baseline | None = None,
        start: np.ndarray | None = None,
    ):
        """``baseline``: a published roster to change as little as possible; ``start``:
        a roster (candidate indices) to start the search from."""
        self.problem = problem
        self.options = options or SolveOptions()
        self.baseline = baseline
        self.start = start
        self._solver: cp_model.CpSolver | None = None
        self._stopped = threading.Event()
        self._best: np.ndarray | None = None  # the best roster so far, for snapshot()
        self._started = time.monotonic()

    def stop(self) -> None:
        """Stop the search; the best roster found so far is returned."""
        self._stopped.set()
        if self._solver is not None:
            self._solver.stop_search()

    def snapshot(self) -> Result | None:
        """The best roster so far (the greedy's, or CP-SAT's latest), as a result."""
        best = self._best
        if best is None:
            return None
        return Result(
            status="feasible",
            assigned=np.sort(best),
            coverage=int(self.problem.candidate_value[best].sum()),
            coverage_bound=None,
            terms=secondary_terms(self.problem, best),
            timings={"total": time.monotonic() - self._started},
            stopped_by="interrupted",
            solver={"name": "cp-sat", "snapshot": True},
        )

    def _offer_best(self, roster: np.ndarray) -> None:
        value = self.problem.candidate_value
        if self._best is None or value[roster].sum() >= value[self._best].sum():
            self._best = roster

    def _greedy_start(self, progress: ProgressCallback | None, started: float) -> np.ndarray | None:
        """The first roster of every method (first_roster.py), if it keeps every lock."""
        problem = self.problem
        roster = first_roster(problem, stop=self._stopped)
        if not np.isin(problem.locked_candidates, roster).all():
            return None  # a locked camp left short of an essential role: not a roster
        self._best = roster
        if progress is not None:
            progress(time.monotonic() - started, int(problem.candidate_value[roster].sum()),
                     float("inf"))  # fmt: skip
        return roster

    def _parameters(self, solver: cp_model.CpSolver, time_limit: float) -> None:
        solver.parameters.max_time_in_seconds = max(0.01, time_limit)
        solver.parameters.num_workers = self.options.workers
        solver.parameters.random_seed = self.options.seed
        # Same instance, seed and options -> same roster, whatever the thread timing: one
        # worker is deterministic, and several are made so by interleaving their search.
        solver.parameters.interleave_search = self.options.workers > 1
        solver.parameters.catch_sigint_signal = False  # session.py handles Ctrl-C itself
        solver.parameters.log_search_progress = self.options.log

    def solve(
        self, progress: ProgressCallback | None = None, started: float | None = None
    ) -> Result:
        problem, options = self.problem, self.options
        started = time.monotonic() if started is None else started
        deadline = started + options.time_limit
        if problem.impossible_locks:
            reasons = tuple(f"locked[{i}]: {why}" for i, why in problem.impossible_locks)
            return Result(
                "infeasible", np.zeros(0, np.int64), None, None, infeasible_reasons=reasons
            )
        if len(problem.locked_candidates):
            # Locks that clash are found on the few candidates they touch (conflicts.py),
            # in milliseconds, before the full model is built: on a province-sized file
            # proving infeasibility there could take the whole time limit.
            from campplanner.solver.conflicts import find_lock_conflict

            conflict = find_lock_conflict(problem, time_limit=max(1.0, 0.25 * options.time_limit))
            if conflict is not None:
                timings = {"conflict": time.monotonic() - started}
                return Result("infeasible", np.zeros(0, np.int64), None, None, timings=timings,
                              infeasible_reasons=conflict.reasons())  # fmt: skip

        self._started = started
        greedy = None
        if self.start is None and self.baseline is None:
            # A roster in seconds, whatever CP-SAT does next: its hint, and the answer
            # when CP-SAT finds nothing better in time.
            greedy = self._greedy_start(progress, started)
        elif self.start is not None and np.isin(problem.locked_candidates, self.start).all():
            self._best = self.start
        model, x = build_model(problem)
        model.maximize(coverage_expression(problem, x))
        stage1_time = deadline - time.monotonic()
        if self.baseline is not None:
            # Start from what stays of the published roster; prove coverage with at most
            # half the time, so that the fewest-changes stage always gets its turn.
            stage1_time *= 0.5
        start = self.start if self.start is not None else greedy
        if start is None and self.baseline is not None:
            start = published_start(problem, self.baseline.kept)
        if start is not None:
            _hint(model, x, start)
        built = time.monotonic()

        first_stage = _Progress(x, started, progress, self)
        # The greedy's hint is given as it is, without repair_hint: the stage-1 settings
        # of a plain solve stay what they were before it (a full test run once aborted
        # in the stage-2 solve after a repaired greedy hint; the likelier cause, a solver
        # thread left running after a snapshot, is fixed in session.py)
        hinted = self.start is not None or self.baseline is not None
        status = self._run(model, first_stage, stage1_time, hinted=hinted)
        stage1_done = time.monotonic()
        solver = self._solver
        assert solver is not None
        stopped_by = "interrupted" if self._stopped.is_set() else None
        timings = {"build": built - started, "coverage": stage1_done - built}
        info = {"name": "cp-sat", "workers": options.workers, "seed": options.seed,
                "time_limit": options.time_limit}  # fmt: skip

        if status == cp_model.INFEASIBLE:
            reasons = _conflict_reasons(problem, deadline - time.monotonic())
            timings["conflict"] = time.monotonic() - stage1_done
            return Result("infeasible", np.zeros(0, np.int64), None, None, timings=timings,
                          infeasible_reasons=reasons, solver=info)  # fmt: skip
        searched = solver.num_branches > 0 or solver.num_conflicts > 0
        proven = status == cp_model.OPTIMAL or (status == cp_model.FEASIBLE and searched)
        fallback = greedy if greedy is not None else self._best
        if first_stage.best is None or (
            fallback is not None
            and problem.candidate_value[fallback].sum()
            > problem.candidate_value[first_stage.best].sum()
        ):
            if fallback is None:
                return Result("unknown", np.zeros(0, np.int64), None, None, timings=timings,
                              stopped_by=stopped_by or "time limit", solver=info)  # fmt: skip
            # CP-SAT found nothing better in time: the greedy's roster (a roster of the
            # whole problem), with CP-SAT's bound only if it proved one.
            first_stage.best = fallback
            optimal = False
            bound = _bound(solver) if proven else None
        else:
            optimal = status == cp_model.OPTIMAL
            bound = None
        best = first_stage.best
        best_coverage = int(problem.candidate_value[best].sum())
        if optimal:
            bound = best_coverage
        elif proven and bound is None:
            bound = _bound(solver)
        if bound is None or bound < best_coverage:
            # never claim less than we hold: fall back to the Lagrangian demand bound
            bound = _demand_bound(problem, best_coverage)
        if greedy is not None:
            info["first_roster"] = int(problem.candidate_value[greedy].sum())
        if not optimal and stopped_by is None:
            stopped_by = "time limit"
        changes = changes_bound = None
        if self.baseline is not None and not self._stopped.is_set():
            best, changes, changes_bound = self._fewest_changes(
                model, x, best, best_coverage, deadline - time.monotonic()
            )
            timings["changes"] = time.monotonic() - stage1_done
            stage1_done = time.monotonic()
        first_terms = secondary_terms(problem, best)
        terms, secondary_status = first_terms, None

        remaining = deadline - time.monotonic()
        if options.secondary_time is not None:
            remaining = min(remaining, options.secondary_time)
        else:
            remaining = min(remaining, max(10.0, 4 * timings["coverage"]))
        if options.secondary and not self._stopped.is_set() and remaining > 0.05:
            best, secondary_status = self._improve_secondary(
                model, x, best, best_coverage, remaining
            )
            if secondary_status != "optimal" and self.baseline is None:
                best = self._swap(best, deadline)
            terms = secondary_terms(problem, best)
            timings["secondary"] = time.monotonic() - stage1_done
            if self._stopped.is_set():
                stopped_by = stopped_by or "interrupted"
        timings["total"] = time.monotonic() - started
        return Result(
            status="optimal" if optimal else "feasible",
            assigned=np.sort(best),
            coverage=best_coverage,
            coverage_bound=bound,
            terms=terms,
            first_terms=first_terms,
            secondary_status=secondary_status,
            timings=timings,
            stopped_by=stopped_by,
            solver=info,
            changes=changes,
            changes_bound=changes_bound,
        )

    def _run(
        self, model: cp_model.CpModel, callback: _Progress, time_limit: float, hinted: bool = False
    ) -> int:
        solver = cp_model.CpSolver()
        self._parameters(solver, time_limit)
        # The stage-2 hint (the stage-1 roster) leaves the auxiliary variables open;
        # repairing it makes the search start from it and improve on it (measured on
        # generated 400-volunteer instances: -22% weighted secondary in 10 s, against
        # no improvement at all without it). CP-SAT 9.15 aborts the process when
        # repair_hint meets interleaved workers, so only a single worker repairs.
        solver.parameters.repair_hint = hinted and self.options.workers == 1
        self._solver = solver
        if self._stopped.is_set():
            return cp_model.UNKNOWN
        return solver.solve(model, callback)

    def _fewest_changes(
        self,
        model: cp_model.CpModel,
        x: Variables,
        best: np.ndarray,
        coverage: int,
        time_limit: float,
    ) -> tuple[np.ndarray, int, int]:
        """Keep coverage at its stage-1 value, change as few published assignments as
        possible; then fix that number so the secondary stage cannot trade it away.

        Returns the roster, its number of changed assignments against the baseline
        (forced ones included) and the proven lower bound on that number.
        """
        assert self.baseline is not None
        forced = len(self.baseline.dropped)  # published, but no longer possible
        published = self.baseline.kept
        model.add(coverage_expression(self.problem, x) >= coverage)
        changed = changes_expression(self.problem, x, published)
        model.minimize(changed)
        _hint(model, x, best)
        callback = _Progress(x, time.monotonic(), None)
        status = self._run(model, callback, max(0.05, time_limit))
        roster = best if callback.best is None else callback.best
        count = _count_changes(roster, published)
        proven = count if status == cp_model.OPTIMAL else max(0, _bound_up(self._solver))
        model.add(changed <= count)
        model.clear_objective()
        return roster, count + forced, min(count, proven) + forced

    def _swap(self, roster: np.ndarray, deadline: float) -> np.ndarray:
        """Swap passes of the large method (polish) after CP-SAT's secondary stage.

        One CP-SAT worker does no neighbourhood search, and on some instances stage 2
        did not improve at all in its time; swapping a volunteer for a free one of the
        same requirement keeps every slot and rule and costs milliseconds here. Not used
        when re-planning: a swap would add changes against the published roster.
        """
        from campplanner.solver.large import polish_passes

        return polish_passes(self.problem, roster, self.options.weights, deadline, self._stopped)

    def _improve_secondary(
        self,
        model: cp_model.CpModel,
        x: Variables,
        best: np.ndarray,
        coverage: int,
        time_limit: float,
    ) -> tuple[np.ndarray, str]:
        """Stage 2: keep coverage at its stage-1 value, minimise the secondary terms."""
        problem = self.problem
        model.add(coverage_expression(problem, x) >= coverage)
        model.minimize(secondary_expression(model, problem, x, self.options.weights))
        _hint(model, x, best)
        callback = _Progress(x, time.monotonic(), None)
        status = self._run(model, callback, time_limit, hinted=True)
        if callback.best is None:
            return best, "not improved"
        return callback.best, "optimal" if status == cp_model.OPTIMAL else "feasible"


def _conflict_reasons(problem: Problem, time_left: float) -> tuple[str, ...]:
    """The smallest set of locks that contradict, named (see conflicts.py)."""
    from campplanner.solver.conflicts import find_lock_conflict

    # Naming the conflict is worth a few seconds even when the limit is spent.
    conflict = find_lock_conflict(problem, time_limit=max(5.0, time_left))
    if conflict is None:
        return ("the locked assignments contradict the rules",)
    return conflict.reasons()


def published_start(problem: Problem, kept: np.ndarray) -> np.ndarray:
    """What stays of a published roster, made to respect H9 again: camps that lost an
    essential person are emptied (their people become free), so the hint is a roster."""
    filled = np.bincount(problem.candidate_requirement[kept], minlength=problem.num_requirements)
    short = problem.requirement_essential & (filled < problem.requirement_count)
    cancelled = np.zeros(problem.num_camps, dtype=bool)
    cancelled[problem.requirement_camp[short]] = True
    return kept[~cancelled[problem.candidate_camp[kept]]]


def changes_expression(
    problem: Problem, x: Variables, published: np.ndarray
) -> cp_model.LinearExpr:
    """Assignments that differ from the published ones: dropped plus new.

    sum_{k in B} (1 - x_k) + sum_{k not in B} x_k = |B| + sum_k (1 - 2 [k in B]) x_k.
    """
    in_published = np.zeros(problem.num_candidates, dtype=bool)
    in_published[published] = True
    coefficients = np.where(in_published, -1, 1).tolist()
    return cp_model.LinearExpr.weighted_sum(x.assign, coefficients) + len(published)


def _count_changes(roster: np.ndarray, published: np.ndarray) -> int:
    return len(np.setxor1d(roster, published))


def _hint(model: cp_model.CpModel, x: Variables, chosen_indices: np.ndarray) -> None:
    chosen = set(np.asarray(chosen_indices).tolist())
    model.clear_hints()
    for i, var in enumerate(x.assign):
        model.add_hint(var, i in chosen)


def _bound_up(solver: cp_model.CpSolver | None) -> int:
    """The proven lower bound of a minimisation, rounded up (0 when unknown)."""
    if solver is None or not np.isfinite(solver.best_objective_bound):
        return 0
    return int(np.ceil(solver.best_objective_bound - 1e-6))


def _demand_bound(problem: Problem, coverage: int) -> int | None:
    """The Lagrangian bound at the demand multipliers (every slot priced at its priority):
    a proof in milliseconds; None if, against all reason, it is below ``coverage``."""
    bounds = LagrangianBound(problem)
    bounds.offer(*bounds.initial_multipliers())
    bound = bounds.bound
    return bound if bound is not None and bound >= coverage else None


def _bound(solver: cp_model.CpSolver) -> int | None:
    bound = solver.best_objective_bound
    if not np.isfinite(bound):
        return None
    return int(np.floor(bound + 1e-6))


def secondary_value(terms: SecondaryTerms, weights: dict[str, float]) -> float:
    return terms.weighted(weights)
