"""Looking at files without solving: validate an instance, check a roster, explain one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from campplanner.check import CheckReport, check_solution_file
from campplanner.contract.errors import Issue, UsageError
from campplanner.contract.instance import instance_warnings, load_instance
from campplanner.contract.schema import Instance, SolutionFile
from campplanner.contract.solution import match_instance
from campplanner.contract.solution import roster_triples as solution_triples
from campplanner.contract.suggest import did_you_mean
from campplanner.contract.why import Why
from campplanner.explain import (
    Breakdown,
    Busy,
    Explanation,
    SlotReason,
    explain_roster,
    objective_breakdown,
    roster_from_assignments,
    wanted_for,
)
from campplanner.explain.overview import Overview, overview
from campplanner.io.solution_reader import load_solution
from campplanner.model.compile import compile_instance
from campplanner.model.problem import Problem
from campplanner.model.terms import problem_weights
from campplanner.solver.conflicts import LockConflict, find_lock_conflict
from campplanner.whatif.to_run import ToRun, what_would_run


@dataclass(frozen=True)
class Validation:
    instance: Instance
    problem: Problem
    overview: Overview
    warnings: list[Issue]


def validate(instance_path: str) -> Validation:
    """Read, check and compile an instance file (InstanceError lists every problem)."""
    instance = load_instance(instance_path)
    problem = compile_instance(instance)
    return Validation(instance, problem, overview(problem), instance_warnings(instance))


def check(instance_path: str, solution_path: str) -> CheckReport:
    """Judge a solution file (or roster workbook) with the independent checker."""
    return check_solution_file(instance_path, solution_path)


@dataclass(frozen=True)
class Explained:
    """``explain``'s answer for a roster, or for a file that holds none."""

    problem: Problem
    solution: SolutionFile
    weights: Mapping[str, float]
    camp: int | None = None  # --camp, as an index
    volunteer: int | None = None  # --volunteer, as an index
    assigned: np.ndarray | None = None  # None when the file claims no roster
    explanation: Explanation | None = None
    breakdown: Breakdown | None = None
    wanted: list[tuple[SlotReason, list[Busy]]] | None = None  # for --volunteer
    # A file without a roster: why (locks that can never hold, or contradict)
    impossible_locks: list[str] | None = None
    lock_conflict: LockConflict | None = None
    note: str | None = None  # what changed in the instance since the roster was made
    to_run: ToRun | None = None  # --camp of a cancelled camp: what would run it
    lang: str = "en"  # the language of every line said about it (explain.languages)


def explain(
    instance_path: str,
    solution_path: str,
    camp_id: str | None = None,
    volunteer_id: str | None = None,
    weights: Mapping[str, float] | None = None,
    lang: str = "en",
) -> Explained:
    """Why slots stay empty and camps are cancelled (in ``lang``), and what each choice
    cost (with the instance's weights, overridden by ``weights``)."""
    instance = load_instance(instance_path)
    solution = load_solution(solution_path, instance)
    note = match_instance(solution, solution_path, instance, instance_path)
    problem = compile_instance(instance)
    camp = volunteer = None
    if camp_id is not None:
        camp = problem.camp_index.get(camp_id)
        if camp is None:
            hint = did_you_mean(camp_id, problem.camp_index)
            raise UsageError(f"--camp: no camp {camp_id!r} in {instance_path}{hint}")
    if volunteer_id is not None:
        volunteer = problem.volunteer_index.get(volunteer_id)
        if volunteer is None:
            hint = did_you_mean(volunteer_id, problem.volunteer_index)
            raise UsageError(f"--volunteer: no volunteer {volunteer_id!r} in {instance_path}{hint}")
    resolved = problem_weights(problem, weights)
    base = Explained(problem, solution, resolved, camp, volunteer, note=note, lang=lang)
    if solution.status in ("infeasible", "unknown") and not solution.assignments:
        return _no_roster(base)
    assigned = roster_from_assignments(problem, solution_triples(solution))
    explanation = explain_roster(problem, assigned, solution.status, lang)
    wanted = None
    if volunteer is not None:
        wanted = wanted_for(problem, assigned, explanation, volunteer)
    to_run = None
    if camp is not None and not (problem.candidate_camp[assigned] == camp).any():
        to_run = what_would_run(problem, assigned, camp)
    return Explained(
        problem,
        solution,
        resolved,
        camp,
        volunteer,
        assigned,
        explanation,
        objective_breakdown(problem, assigned),
        wanted,
        note=note,
        to_run=to_run,
        lang=lang,
    )


def _no_roster(base: Explained) -> Explained:
    """An infeasible file: the locks that never hold or contradict; unknown: nothing."""
    problem = base.problem
    if base.solution.status == "unknown":
        return base
    if problem.impossible_locks:
        lines: list[str] = [Why("locked", index=i, why=why) for i, why in problem.impossible_locks]
        return replace(base, impossible_locks=lines)
    return replace(base, lock_conflict=find_lock_conflict(problem))


def load_problem(instance_path: str) -> tuple[Instance, Problem]:
    """Read, check and compile an instance file in one step."""
    instance = load_instance(instance_path)
    return instance, compile_instance(instance)
