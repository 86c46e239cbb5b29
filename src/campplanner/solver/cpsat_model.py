"""The contract as a CP-SAT model: one boolean per candidate, one function per rule.

Candidate rules (H1 skill, H2 dates, H7 gender, H8 distance, the forbidden half of H10)
hold by construction: only candidates that pass them get a variable
(:mod:`campplanner.model.rules`). ``ROSTER_CONSTRAINTS`` adds the roster rules, keyed by
the rule ids of ``model/rules.py``; each ``add_<rule>`` takes the model, the problem, the
variables and the *fixed* rest of the roster, and adds the constraints of one rule,
reading the rule's own function of ``model/rules.py`` (the window, the camps, slots and
beds left, the essentials missing). The exact model is every rule over every candidate
with nothing fixed; the neighbourhood search's sub-model (``lns.py``) is the same
functions over a few candidates (``Problem.restricted``) with everyone else fixed, so a
rule added here reaches both. ``TERM_EXPRESSIONS`` holds the objective's secondary
terms, keyed by the term names of ``model/terms.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from campplanner.model.problem import Problem
from campplanner.model.rules import (
    beds_left,
    camps_left,
    conflict_cliques,
    conflict_window,
    essential_requirements,
    essentials_missing,
    slots_left,
    windows_meet,
)
from campplanner.model.state import RosterState
from campplanner.model.terms import SECONDARY


@dataclass
class Variables:
    """The decision variables: one per candidate, and "camp runs" for camps with essentials."""

    assign: list[cp_model.IntVar]
    runs: dict[int, cp_model.IntVar]


# ``fixed``: the rest of the roster, kept as it is (None: nothing, the whole problem is
# modelled). Its volunteers, camps and requirements are the problem's; its candidates
# are not among the variables.
AddRule = Callable[[cp_model.CpModel, Problem, Variables, RosterState | None], None]


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


def add_one_role(
    model: cp_model.CpModel, problem: Problem, x: Variables, fixed: RosterState | None = None
) -> None:
    """H3 one role: sum_{s} x[v, c, s] <= 1 for every volunteer v and camp c (a camp's
    window meets itself)."""
    first, reach = conflict_window(problem)
    for _, camp, candidates in _volunteer_camp_groups(problem):
        if len(candidates) > 1 and windows_meet(first[camp], reach[camp], first[camp], reach[camp]):
            model.add_at_most_one(x.assign[i] for i in candidates)


def add_no_overlap(
    model: cp_model.CpModel, problem: Problem, x: Variables, fixed: RosterState | None = None
) -> None:
    """H4 no overlap: for each clique K of conflicting camps, sum_{c in K, s} x[v, c, s] <= 1;
    x[v, c, s] = 0 where c meets a camp v holds in the fixed roster."""
    by_volunteer: dict[int, dict[int, list[int]]] = {}
    for volunteer, camp, candidates in _volunteer_camp_groups(problem):
        by_volunteer.setdefault(volunteer, {})[camp] = candidates
    for camps in by_volunteer.values():
        if len(camps) < 2:
            continue
        for clique in conflict_cliques(problem, list(camps)):
            model.add_at_most_one(x.assign[i] for c in clique for i in camps[c])
    if fixed is not None and problem.num_candidates:
        clash = fixed.clashes(problem.candidate_volunteer, problem.candidate_camp)
        for i in np.flatnonzero(clash).tolist():
            model.add(x.assign[i] == 0)


def add_load(
    model: cp_model.CpModel, problem: Problem, x: Variables, fixed: RosterState | None = None
) -> None:
    """H5 camp limit: sum_{c, s} x[v, c, s] <= camps left to v (max_camps[v] less the
    camps v holds in the fixed roster; H3 makes each term one camp)."""
    volunteers, camps = problem.candidate_volunteer, problem.candidate_camp
    if problem.num_candidates == 0:
        return
    new_volunteer = np.append(True, volunteers[1:] != volunteers[:-1])
    new_pair = new_volunteer | np.append(True, camps[1:] != camps[:-1])
    starts = np.flatnonzero(new_volunteer)
    stops = np.append(starts[1:], problem.num_candidates)
    distinct_camps = np.add.reduceat(new_pair.astype(np.int64), starts)
    who = volunteers[starts]
    limit = camps_left(problem, who, 0 if fixed is None else fixed.load[who])
    binding = np.flatnonzero(distinct_camps > limit)
    for a, b, most in zip(
        starts[binding].tolist(), stops[binding].tolist(), limit[binding].tolist(), strict=True
    ):
        model.add(sum(x.assign[i] for i in range(a, b)) <= most)


def add_slots(
    model: cp_model.CpModel, problem: Problem, x: Variables, fixed: RosterState | None = None
) -> None:
    """H6 slots: sum_{v} x[v, r] <= slots left in r (count[r] less the fixed roster's)."""
    pointer, order = problem.requirement_candidates
    asked = np.flatnonzero(np.diff(pointer))
    limit = slots_left(problem, asked, 0 if fixed is None else fixed.filled[asked])
    binding = np.flatnonzero(np.diff(pointer)[asked] > limit)
    for r, most in zip(asked[binding].tolist(), limit[binding].tolist(), strict=True):
        model.add(sum(x.assign[i] for i in order[pointer[r] : pointer[r + 1]]) <= most)


def add_beds(
    model: cp_model.CpModel, problem: Problem, x: Variables, fixed: RosterState | None = None
) -> None:
    """H6 beds: sum_{v, s} x[v, c, s] <= beds left in c (capacity[c] less the fixed
    roster's people there)."""
    for camp, candidates in _camp_candidates(problem).items():
        most = int(beds_left(problem, camp, 0 if fixed is None else fixed.people[camp]))
        if len(candidates) > most:
            model.add(sum(x.assign[i] for i in candidates) <= most)


def add_essential(
    model: cp_model.CpModel, problem: Problem, x: Variables, fixed: RosterState | None = None
) -> None:
    """H9 essential: x[v, c, s] <= runs[c], and sum_{v} x[v, r] >= missing[r] * runs[c]
    for every essential requirement r of camp c, missing[r] its essential slots the
    fixed roster leaves empty; a camp with people in the fixed roster runs.

    Where H6 leaves exactly the missing slots (every essential requirement, while the
    slot rule holds) the row is an equality: the same rosters, and a far tighter
    relaxation for CP-SAT (on the season's neighbourhoods, a sub-model cut by its work
    limit proved 1,064 with ``==`` where ``>=`` proved 1,168, and found less).
    """
    pointer, order = problem.requirement_candidates
    for camp, candidates in _camp_candidates(problem).items():
        essentials = essential_requirements(problem, camp)
        if not essentials:
            continue
        runs = x.runs[camp] = model.new_bool_var(f"runs[{problem.camp_ids[camp]}]")
        for i in candidates.tolist():
            model.add_implication(x.assign[i], runs)
        if fixed is not None and fixed.people[camp] > 0:
            model.add(runs == 1)
        filled = 0 if fixed is None else fixed.filled[essentials]
        missing = essentials_missing(problem, np.array(essentials), filled).tolist()
        room = slots_left(problem, np.array(essentials), filled).tolist()
        for r, need, most in zip(essentials, missing, room, strict=True):
            taken = sum(x.assign[i] for i in order[pointer[r] : pointer[r + 1]])
            if need == most:
                model.add(taken == need * runs)
            else:
                model.add(taken >= need * runs)


def add_locked(
    model: cp_model.CpModel, problem: Problem, x: Variables, fixed: RosterState | None = None
) -> None:
    """H10 locked: x[v, c, s] = 1 for every locked triple (forbidden pairs have no variable;
    locks in the fixed roster stay there)."""
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


def build_model(
    problem: Problem, *, with_locks: bool = True, fixed: RosterState | None = None
) -> tuple[cp_model.CpModel, Variables]:
    """The model with every roster rule (the locks too unless ``with_locks`` is False)
    over ``problem``'s candidates, ``fixed`` the rest of the roster; no objective yet."""
    model = cp_model.CpModel()
    x = Variables(
        assign=[model.new_bool_var(f"x{i}") for i in range(problem.num_candidates)],
        runs={},
    )
    for rule_id, add_rules in ROSTER_CONSTRAINTS.items():
        if rule_id == LOCKS and not with_locks:
            continue
        for add_rule in add_rules:
            add_rule(model, problem, x, fixed)
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
    most = camps_left(problem, np.arange(problem.num_volunteers), 0).tolist()
    penalty = []
    for v in range(problem.num_volunteers):
        candidates = range(pointer[v], pointer[v + 1])
        if most[v] < 2 or len(candidates) < 2:  # one camp at most: never an extra one
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
