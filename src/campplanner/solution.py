"""The solution file: the contract's fields plus secondary terms, cancelled camps,
unfilled slots and timings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from campplanner.contract import SOLUTION_FORMAT
from campplanner.problem import Problem
from campplanner.result import Result
from campplanner.roster import camps_run, unfilled_slots


def solution_data(problem: Problem, result: Result) -> dict[str, Any]:
    """The solution file's content, JSON-ready."""
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
    if result.has_roster:
        running = camps_run(problem, assigned)
        data["cancelled_camps"] = [problem.camp_ids[c] for c in np.flatnonzero(~running)]
        data["unfilled_slots"] = [
            {
                "camp": problem.camp_ids[slot.camp],
                "skill": problem.skill_ids[problem.requirement_skill[slot.requirement]],
                "missing": slot.missing,
            }
            for slot in unfilled_slots(problem, assigned)
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


def solution_json(problem: Problem, result: Result) -> str:
    return json.dumps(solution_data(problem, result), ensure_ascii=False, indent=1) + "\n"


def is_solution_file(path: Path) -> bool:
    """True if ``path`` holds a campplanner solution file (which solve may replace)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096).decode("utf-8", errors="replace")
    except OSError:
        return False
    return f'"format": "{SOLUTION_FORMAT}"' in head
