"""Writing the solution file: the contract's fields plus secondary terms, cancelled
camps, unfilled slots and timings (typed in :class:`campplanner.contract.schema.SolutionFile`;
read back by :mod:`campplanner.contract.solution`)."""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from campplanner.contract.schema import SOLUTION_FORMAT
from campplanner.explain import Explanation, explain_roster
from campplanner.model.problem import Problem
from campplanner.model.roster import camps_run
from campplanner.solver.result import Result


def solution_data(
    problem: Problem, result: Result, explanation: Explanation | None = None, explain: bool = True
) -> dict[str, Any]:
    """The solution file's content, JSON-ready (``explanation`` is computed when not given).

    ``explain=False`` leaves the reasons out (explaining a full season's roster takes
    seconds): cancelled camps are listed by id alone, with ``"explained": false``; an
    interrupted solve writes that first, then the whole file."""
    assigned = result.assigned
    order = np.lexsort(
        (
            problem.candidate_volunteer[assigned],
            problem.candidate_requirement[assigned],
        )
    )
    assignments = [
        {
            "volunteer": problem.volunteer_ids[problem.candidate_volunteer[i]],
            "camp": problem.camp_ids[problem.candidate_camp[i]],
            "skill": problem.skill_ids[problem.candidate_skill[i]],
        }
        for i in assigned[order]
    ]
    data: dict[str, Any] = {
        "format": SOLUTION_FORMAT,
        "instance": problem.name,
        "status": result.status,
        "coverage": result.coverage,
        "coverage_bound": result.coverage_bound,
        "gap": None if result.gap is None else round(result.gap, 6),
        "assignments": assignments,
    }
    if result.has_roster and explanation is None and not explain:
        running = camps_run(problem, assigned)
        data["cancelled_camps"] = [{"camp": problem.camp_ids[c]} for c in np.flatnonzero(~running)]
        data["explained"] = False
    elif result.has_roster:
        if explanation is None:
            explanation = explain_roster(problem, assigned, result.status)
        # Each cancelled camp and unfilled slot carries its reason (explain.py): "reason" is
        # a key of explain.CAUSES, "why" the evidence in words, "fix" what would help.
        data["cancelled_camps"] = [
            {
                "camp": problem.camp_ids[reason.camp],
                "reason": reason.cause,
                "roles": [
                    {
                        "skill": problem.skill_ids[problem.requirement_skill[short.requirement]],
                        "reason": short.cause,
                    }
                    for short in reason.short
                ],
                "why": reason.why,
                "fix": reason.fix,
            }
            for reason in explanation.cancelled
        ]
        data["unfilled_slots"] = [
            {
                "camp": problem.camp_ids[slot.camp],
                "skill": problem.skill_ids[problem.requirement_skill[slot.requirement]],
                "missing": slot.missing,
                "reason": slot.cause,
                "why": slot.why,
                "fix": slot.fix,
            }
            for slot in explanation.slots
        ]
    if result.terms is not None:
        data["secondary"] = result.terms.as_dict()
    if result.first_terms is not None:
        data["first_roster_secondary"] = result.first_terms.as_dict()
    if result.secondary_status:
        data["secondary_status"] = result.secondary_status
    if result.infeasible_reasons:
        data["infeasible_reasons"] = list(result.infeasible_reasons)
    if result.stopped_by:
        data["stopped_by"] = result.stopped_by
    data["timings"] = {name: round(seconds, 3) for name, seconds in result.timings.items()}
    data["solver"] = result.solver
    return data


def solution_json(
    problem: Problem,
    result: Result,
    explanation: Explanation | None = None,
    extra: dict[str, Any] | None = None,
    explain: bool = True,
) -> str:
    """The solution file's text; ``extra`` adds sections (the diff of a re-plan, say)."""
    data = solution_data(problem, result, explanation, explain)
    data.update(extra or {})
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
