"""The contract as a CP-SAT model: one boolean per candidate, one function per rule.

Candidate rules (H1 skill, H2 dates, H7 gender, H8 distance, the forbidden half of H10)
hold by construction: only candidates that pass them get a variable
(:mod:`campplanner.model.rules`). ``ROSTER_CONSTRAINTS`` adds the roster rules, keyed by
the rule ids of ``model/rules.py``; each ``add_<rule>`` takes the model, the problem and
the variables and adds the constraints of one rule. ``TERM_EXPRESSIONS`` holds the
objective's secondary terms, keyed by the term names of ``model/terms.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from campplanner.model.problem import Problem
from campplanner.model.rules import conflict_cliques, essential_requirements
from campplanner.model.terms import SECONDARY


@dataclass
class Variables:
    """The decision variables: one per candidate, and "camp runs" for camps with essentials."""

    assign: list[cp_model.IntVar]
    runs: dict[int, cp_model.IntVar]


AddRule = Callable[[cp_model.CpModel, Problem, Variables], None]


# ----------------------------------------------------------------------- hard rules


def _volunteer_camp_groups(problem: Problem) -> list[tuple[int, int, list[int]]]:
    """(volunteer, camp, candidate indices) for every volunteer-camp pair with candidates."""
    volunteers, camps = problem.candidate_volunteer, problem.candidate_camp
    if problem.num_candidates == 0:
        return []
    # candidates are sorted by (volunteer, camp): runs of equal pairs are contiguous
    boundaries = np.flatnonzero((np.diff(volunteers) != 0) | (np.diff(camps) != 0)) + 1
    starts = np.concatenate(([0], boundaries)).astype(np.int64)
    stops = np.concatenate((boundaries, [problem.num_candidates])).astype(np.int64)
    return [
        (int(volunteers[a]), int(camps[a]), list(range(a, b)))
        for a, b in zip(starts, stops, strict=True)
    ]


def _camp_candidates(problem: Problem) -> dict[int, np.ndarray]:
    order = np.argsort(problem.candidate_camp, kind="stable")
    camps = problem.candidate_camp[order]
    splits = np.flatnonzero(np.diff(camps)) + 1
    return {
        int(chunk_camps[0]): chunk
        for chunk, chunk_camps in zip(np.split(order, splits), np.split(camps, splits), strict=True)
        if len(chunk)
    }


def add_one_role(model: cp_model.CpModel, problem: Problem, x: Variables) -> None:
    """H3 one role: sum_{s} x[v, c, s] <= 1 for every volunteer v and camp c."""
    for _, _, candidates in _volunteer_camp_groups(problem):
        if len(candidates) > 1:
            model.add_at_most_one(x.assign[i] for i in candidates)


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
        essentials = essential_requirements(problem, camp)
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


# Every roster rule of model/rules.py, by id, in the order the model adds them. The
# locks come last and apart: the search for conflicting locks adds them as assumptions.
ROSTER_CONSTRAINTS: dict[str, tuple[AddRule, ...]] = {
    "H3": (add_one_role,),
    "H4": (add_no_overlap,),
    "H5": (add_load,),
    "H6": (add_slots, add_beds),
    "H9": (add_essential,),
    "H10": (add_locked,),
}
LOCKS = "H10"


def build_model(problem: Problem, *, with_locks: bool = True) -> tuple[cp_model.CpModel, Variables]:
    """The model with every roster rule (the locks too unless ``with_locks`` is False);
    no objective yet."""
    model = cp_model.CpModel()
    x = Variables(
        assign=[model.new_bool_var(f"x{i}") for i in range(problem.num_candidates)],
        runs={},
    )
    for rule_id, add_rules in ROSTER_CONSTRAINTS.items():
        if rule_id == LOCKS and not with_locks:
            continue
        for add_rule in add_rules:
            add_rule(model, problem, x)
    return model, x


# ------------------------------------------------------------------------ objective


def coverage_expression(problem: Problem, x: Variables) -> cp_model.LinearExpr:
    """Coverage: sum over candidates of priority[camp] * x."""
    return cp_model.LinearExpr.weighted_sum(x.assign, problem.candidate_value.tolist())


def travel_expression(
    model: cp_model.CpModel, problem: Problem, x: Variables
) -> cp_model.LinearExpr:
    """Travel: sum over candidates of whole road km * x."""
    km = np.rint(problem.candidate_km).astype(np.int64)
    return cp_model.LinearExpr.weighted_sum(x.assign, km.tolist())


def group_expression(
    model: cp_model.CpModel, problem: Problem, x: Variables
) -> cp_model.LinearExpr:
    """Group splits: sum_g (number of camps where group g serves - [g serves anywhere])."""
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


def fairness_expression(
    model: cp_model.CpModel, problem: Problem, x: Variables
) -> cp_model.LinearExpr:
    """Extra camps: sum_v (camps joined by v - [v joins any]); spreads load over people."""
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


TermExpression = Callable[[cp_model.CpModel, Problem, Variables], cp_model.LinearExpr]
# Every secondary term of model/terms.py, by name.
TERM_EXPRESSIONS: dict[str, TermExpression] = {
    "travel": travel_expression,
    "group": group_expression,
    "fairness": fairness_expression,
}


WEIGHT_SCALE = 100  # CP-SAT's secondary objective is this many times the weighted cost


def integer_weights(weights: Mapping[str, float]) -> dict[str, int]:
    """CP-SAT needs integer coefficients: weights are kept to 1/100 precision."""
    return {term.name: round(WEIGHT_SCALE * weights[term.name]) for term in SECONDARY}


def secondary_expression(
    model: cp_model.CpModel, problem: Problem, x: Variables, weights: Mapping[str, float]
) -> cp_model.LinearExpr:
    """sum_t 100 weight[t] * term_t over the secondary terms (to minimise)."""
    scaled = integer_weights(weights)
    parts = [
        scaled[name] * TERM_EXPRESSIONS[name](model, problem, x)
        for name in TERM_EXPRESSIONS
        if scaled[name]
    ]
    return sum(parts) if parts else cp_model.LinearExpr.constant(0)


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


def hint(model: cp_model.CpModel, x: Variables, chosen_indices: np.ndarray) -> None:
    """Start the search from a roster (candidate indices)."""
    chosen = np.zeros(len(x.assign), dtype=bool)
    chosen[np.asarray(chosen_indices, dtype=np.int64)] = True
    model.clear_hints()
    for var, on in zip(x.assign, chosen.tolist(), strict=True):
        model.add_hint(var, on)
