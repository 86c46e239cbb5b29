"""Why an instance is infeasible: the smallest set of ``locked`` entries that contradict.

Without locks the empty roster obeys every rule, so an infeasible instance always
comes from its locks. The model of ``cpsat_model.py`` is built with every hard rule but
without the locks; each lock becomes an *assumption* (its assignment literal), and
CP-SAT returns a subset of the assumptions that is already infeasible
(``sufficient_assumptions_for_infeasibility``). That core is then shrunk by deletion:
drop one lock, solve again, and keep it dropped if the rest is still infeasible. What
is left is a minimal conflict: every lock in it is needed for the contradiction.

Locks that fail on their own before any solving (``problem.impossible_locks``: wrong
skill, dates, gender, distance, forbidden) are conflicts of size one and are reported
by the solver directly.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from campplanner.model.baseline import NOT_IN_FILE
from campplanner.model.problem import Problem
from campplanner.model.rules import (
    Why,
    beds_left,
    camps_conflict,
    camps_left,
    essential_mask,
    essential_requirements,
    rest_between,
    slots_left,
)
from campplanner.solver.cpsat_model import build_model


@dataclass(frozen=True)
class LockConflict:
    """A set of locks that cannot all hold; minimal when ``minimal`` is True."""

    locks: tuple[int, ...]  # indices in the file's "locked" list, ascending
    rule: str  # the rule the locks break together, e.g. "H4"
    summary: Why  # the contradiction, as a fact (its text: in plain English words)
    named: tuple[Why, ...]  # one line per lock: "locked[3]: v01 (name) as mason in c2 (...)"
    minimal: bool  # False when the time ran out before every lock was tried

    def reasons(self) -> tuple[str, ...]:
        """Lines for ``Result.infeasible_reasons`` and the solution file."""
        kind = "conflict" if self.minimal else "conflict_partial"
        return (Why(kind, rule=self.rule, summary=self.summary), *self.named)


def find_lock_conflict(problem: Problem, time_limit: float = 30.0) -> LockConflict | None:
    """A minimal set of the problem's satisfiable locks that cannot all hold, or None.

    None means the locks are compatible (the instance is feasible) or that the time
    ran out before CP-SAT proved anything.
    """
    deadline = time.monotonic() + time_limit
    problem = lock_relevant_part(problem)
    model, x = build_model(problem, with_locks=False)  # the locks are the assumptions
    lock_of_var = {
        x.assign[int(candidate)].index: position
        for position, candidate in enumerate(problem.locked_candidates)
    }

    def core_of(positions: list[int]) -> tuple[str, list[int]]:
        """('infeasible', a core within positions) | ('feasible', []) | ('unknown', [])."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return "unknown", []
        model.clear_assumptions()
        model.add_assumptions([x.assign[int(problem.locked_candidates[p])] for p in positions])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1  # cores are reported by the sequential search
        solver.parameters.max_time_in_seconds = remaining
        status = solver.solve(model)
        if status == cp_model.INFEASIBLE:
            core = sorted(lock_of_var[i] for i in solver.sufficient_assumptions_for_infeasibility())
            return "infeasible", core or positions
        return ("feasible" if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else "unknown"), []

    status, core = core_of(list(range(len(problem.locked_candidates))))
    if status != "infeasible":
        return None
    minimal = True
    i = 0
    while i < len(core):
        trial = core[:i] + core[i + 1 :]
        status, smaller = core_of(trial) if trial else ("feasible", [])
        if status == "infeasible":
            core = [p for p in trial if p in set(smaller)] or trial
            # the positions before i were needed in a superset, hence in this subset too
            i = min(i, len(core))
        else:
            minimal &= status == "feasible"
            i += 1
    return describe_conflict(problem, core, minimal)


def lock_relevant_part(problem: Problem) -> Problem:
    """The problem cut down to the candidates that can matter to the locks: the locked
    ones and those of the essential roles of camps that hold a lock.

    Exact: from any roster that obeys every rule and lock, keep the locks and, in each
    camp with a lock, its essential roles' people; every "at most" rule (H3 to H6) still
    holds for this subset, and the camps it runs (those with locks) are still fully
    staffed in their essential roles (H9). So the locks can all hold in the part iff
    they can in the whole, and on a province-sized file the model is a few hundred
    variables instead of hundreds of thousands.
    """
    locked = problem.locked_candidates
    if len(locked) == 0:
        return problem
    locked_camps = np.unique(problem.candidate_camp[locked])
    keep = essential_mask(problem)[problem.candidate_requirement] & np.isin(
        problem.candidate_camp, locked_camps
    )
    keep[locked] = True
    return problem.restricted(np.flatnonzero(keep))  # ascending: the order is kept


def describe_conflict(problem: Problem, positions: list[int], minimal: bool) -> LockConflict:
    """Name the locks at ``positions`` (of ``locked_candidates``) and the rule they break."""
    candidates = [int(problem.locked_candidates[p]) for p in positions]
    file_index = [int(problem.locked_file_index[p]) for p in positions]
    order = sorted(range(len(positions)), key=lambda k: file_index[k])
    candidates = [candidates[k] for k in order]
    file_index = [file_index[k] for k in order]
    rule, summary = _diagnose(problem, candidates)
    named = tuple(
        _lock_words(problem, index, candidate)
        for index, candidate in zip(file_index, candidates, strict=True)
    )
    return LockConflict(tuple(file_index), rule, summary, named, minimal)


def _lock_words(problem: Problem, index: int, candidate: int) -> Why:
    v = int(problem.candidate_volunteer[candidate])
    c = int(problem.candidate_camp[candidate])
    s = int(problem.candidate_skill[candidate])
    first, last = problem.camp_days(c)
    facts = {
        "who": problem.volunteer_label(v),
        "skill": problem.skill_ids[s],
        "camp": problem.camp_label(c),
        "first": first,
        "last": last,
    }
    if index == NOT_IN_FILE:
        return Why("lock_kept", **facts)
    return Why("lock", index=index, **facts)


def _diagnose(problem: Problem, candidates: list[int]) -> tuple[str, Why]:
    """The rule a set of locks breaks together, recognised from its shape."""
    volunteers = {int(problem.candidate_volunteer[i]) for i in candidates}
    camps = [int(problem.candidate_camp[i]) for i in candidates]
    requirements = {int(problem.candidate_requirement[i]) for i in candidates}
    n = len(candidates)
    if len(volunteers) == 1 and n > 1:
        v = next(iter(volunteers))
        who = problem.volunteer_label(v)
        if len(set(camps)) == 1:
            camp = problem.camp_label(camps[0])
            return "H3", Why("roles_one_camp", who=who, n=n, camp=camp)
        if all(camps_conflict(problem, a, b) for k, a in enumerate(camps) for b in camps[k + 1 :]):
            overlap = all(
                rest_between(problem, a, b) < 0 for k, a in enumerate(camps) for b in camps[k + 1 :]
            )
            if overlap:
                return "H4", Why("overlap", who=who)
            rest = problem.rest_days
            return "H4", Why("rest_1" if rest == 1 else "rest", who=who, rest=rest)
        if camps_left(problem, v, n) < 0:
            limit = int(camps_left(problem, v, 0))
            return "H5", Why("max_camps", who=who, n=n, limit=limit)
    if len(requirements) == 1 and n > 1:
        r = next(iter(requirements))
        if slots_left(problem, r, n) < 0:
            count = int(slots_left(problem, r, 0))
            skill = problem.skill_ids[int(problem.requirement_skill[r])]
            return "H6", Why(
                "slots", n=n, skill=skill, camp=problem.camp_label(camps[0]), count=count
            )
    if len(set(camps)) == 1 and beds_left(problem, camps[0], n) < 0:
        capacity = int(beds_left(problem, camps[0], 0))
        return "H6", Why("beds", n=n, camp=problem.camp_label(camps[0]), capacity=capacity)
    essential_camps = sorted({c for c in camps if essential_requirements(problem, c)})
    if essential_camps:
        named = ", ".join(problem.camp_label(c) for c in essential_camps)
        return "H9", Why("essential_1" if n == 1 else "essential", camps=named)
    return "H3-H6", Why("together")
