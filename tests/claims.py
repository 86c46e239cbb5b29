"""What a suggestion or an explanation claims about a roster, judged by the checker.

A replacement or an empty-slot candidate claims "apply me and coverage changes by this
much, every rule kept"; ``explain`` claims "someone free could fill this slot" (cause
``improvable``) or "nobody can" (``busy``, ``beds``), and for a cancelled camp "it
could run with free people" or not. Each judge here applies the claim to the roster
and asks the independent checker (``campplanner.check``), which shares no code with
``model/rules.py``: a claim computed without one of the rules is caught here.

Each judge returns the claims it found false, as lines that say what was claimed.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from campplanner.check import check_roster
from campplanner.contract.schema import Instance
from campplanner.explain import explain_roster
from campplanner.model.problem import Problem
from campplanner.whatif.diff import roster_triples
from campplanner.whatif.replace import Dropout, EmptySlots, Suggestion, suggest_replacements

MAX_SUBSET = 4  # people added to a cancelled camp when judging "it could run"


def judged(instance: Instance, problem: Problem, roster: set[int]):
    return check_roster(instance, roster_triples(problem, np.array(sorted(roster), np.int64)))


def _members(problem: Problem, roster: set[int], camp: int) -> set[int]:
    return {i for i in roster if problem.candidate_camp[i] == camp}


def applied(problem: Problem, base: set[int], suggestion: Suggestion) -> set[int]:
    """``base`` with the suggestion made: the newcomer in, whoever it says leaves out,
    the camps it says are cancelled emptied."""
    newcomer = problem.candidate_index(suggestion.volunteer, suggestion.requirement)
    assert newcomer is not None
    roster = (base | {newcomer}) - set(suggestion.leaves) - set(suggestion.displaces)
    for camp in suggestion.cancels:
        roster -= _members(problem, roster, camp)
    return roster


def suggestion_lies(
    instance: Instance, problem: Problem, base: set[int], base_coverage: int, s: Suggestion
) -> list[str]:
    """[] if making ``s`` on ``base`` (worth ``base_coverage``) gives a roster the checker
    accepts, worth ``base_coverage + s.coverage_change``.

    A newcomer to a camp that still cannot run serves nowhere (H9: a camp that does not
    run has nobody): when the checker finds the target camp short of an essential role,
    its people are taken out before the roster is scored, as the claim assumes.
    """
    roster = applied(problem, base, s)
    report = judged(instance, problem, roster)
    target = problem.camp_ids[s.camp]
    if any(v.rule == "H9" and v.camps == (target,) for v in report.violations):
        roster -= _members(problem, roster, s.camp)
        report = judged(instance, problem, roster)
    if report.ok and report.coverage == base_coverage + s.coverage_change:
        return []
    who = problem.volunteer_ids[s.volunteer]
    return [
        f"{who} into {target} claims {s.coverage_change:+d}: the checker finds "
        f"{report.coverage - base_coverage:+d} and {sorted(report.rules_broken())}"
    ]


def empty_slot_lies(instance: Instance, problem: Problem, roster: np.ndarray) -> list[str]:
    """Every candidate :class:`EmptySlots` offers for every requirement, judged."""
    base = {int(i) for i in roster}
    coverage = judged(instance, problem, base).coverage
    slots = EmptySlots(problem, roster)
    lies = []
    for r in range(problem.num_requirements):
        for s in slots.suggest(r, limit=100)[0]:
            lies += suggestion_lies(instance, problem, base, coverage, s)
    return lies


def dropout_lies(instance: Instance, problem: Problem, roster: np.ndarray) -> list[str]:
    """For every volunteer of the roster dropping out: what leaving their slots empty
    costs, and every replacement offered, judged."""
    base = {int(i) for i in roster}
    coverage = judged(instance, problem, base).coverage
    lies = []
    for v in sorted({int(problem.candidate_volunteer[i]) for i in base}):
        dropout: Dropout = suggest_replacements(problem, roster, v, limit=100)
        without = base - set(dropout.slots)
        emptied = set(without)
        for camp in dropout.cancelled_if_unreplaced:
            emptied -= _members(problem, emptied, camp)
        report = judged(instance, problem, emptied)
        if not report.ok or report.coverage != coverage - dropout.loss_if_unreplaced:
            lies.append(
                f"{problem.volunteer_ids[v]} leaving claims -{dropout.loss_if_unreplaced}: "
                f"the checker finds {report.coverage - coverage:+d} and "
                f"{sorted(report.rules_broken())}"
            )
        left = coverage - dropout.loss_if_unreplaced
        for suggestions in dropout.suggestions.values():
            for s in suggestions:
                lies += suggestion_lies(instance, problem, without, left, s)
    return lies


def explanation_lies(instance: Instance, problem: Problem, roster: np.ndarray) -> list[str]:
    """``explain``'s causes, judged: an empty slot of a running camp is ``improvable``
    exactly when someone can be added to it (``busy`` and ``beds`` say nobody can), and
    a cancelled camp is ``improvable`` exactly when some people added to it make it run."""
    base = {int(i) for i in roster}
    pointer, order = problem.requirement_candidates
    explanation = explain_roster(problem, roster)
    lies = []
    for slot in explanation.slots:
        if slot.cause not in ("improvable", "busy", "beds"):
            continue  # a funnel cause: a statement about the instance, not the roster
        options = set(order[pointer[slot.requirement] : pointer[slot.requirement + 1]].tolist())
        fits = any(judged(instance, problem, base | {k}).ok for k in options - base)
        if fits != (slot.cause == "improvable"):
            skill = problem.skill_ids[problem.requirement_skill[slot.requirement]]
            lies.append(
                f"{problem.camp_ids[slot.camp]} {skill}: {slot.cause}, yet someone "
                f"{'can' if fits else 'cannot'} be added"
            )
    for reason in explanation.cancelled:
        first, last = (
            problem.camp_requirements[reason.camp],
            problem.camp_requirements[reason.camp + 1],
        )
        options = sorted(set(order[pointer[first] : pointer[last]].tolist()) - base)
        runs = any(
            judged(instance, problem, base | set(chosen)).ok
            for size in range(1, min(MAX_SUBSET, len(options)) + 1)
            for chosen in combinations(options, size)
        )
        if runs != (reason.cause == "improvable"):
            lies.append(
                f"{problem.camp_ids[reason.camp]} cancelled: {reason.cause}, yet it "
                f"{'can' if runs else 'cannot'} run with people added"
            )
    return lies
