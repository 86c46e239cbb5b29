"""A published roster seen through a (possibly edited) instance.

Once a roster is published people have been called; re-planning keeps as much of it as
possible. :class:`Baseline` holds the published assignments that are still candidates
and those that no longer can be (the volunteer left, is away, the camp moved or lost the
slot...), each with the rule that now rules it out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from campplanner.model.problem import Problem
from campplanner.model.rules import candidate_failure

Triple = tuple[str, str, str]  # (volunteer id, camp id, skill id)


@dataclass(frozen=True)
class Baseline:
    kept: np.ndarray  # candidate indices of published assignments still possible alone
    dropped: tuple[tuple[Triple, str], ...]  # published assignments no longer possible, why
    # Camps the published roster knew (staffed or cancelled); others were added since.
    # None when the solution file does not list its cancelled camps: then no camp can be
    # told apart as new.
    camps: frozenset[str] | None = None


def baseline_from_triples(
    problem: Problem, triples: Iterable[Triple], cancelled: Iterable[str] | None = None
) -> Baseline:
    """Map a published roster (and the camps it cancelled) onto the problem's candidates."""
    triples = list(triples)
    kept: list[int] = []
    dropped: list[tuple[Triple, str]] = []
    for triple in dict.fromkeys(triples):  # once each, in order
        volunteer_id, camp_id, skill_id = triple
        v = problem.volunteer_index.get(volunteer_id)
        c = problem.camp_index.get(camp_id)
        s = problem.skill_index.get(skill_id)
        if v is None:
            dropped.append((triple, f"{volunteer_id} is no longer in the instance"))
            continue
        if c is None:
            dropped.append((triple, f"camp {camp_id} is no longer in the instance"))
            continue
        requirement = problem.requirement_index.get((c, s)) if s is not None else None
        if requirement is None:
            dropped.append((triple, f"camp {camp_id} no longer asks for {skill_id}"))
            continue
        candidate = problem.candidate_index(v, requirement)
        if candidate is None:
            dropped.append((triple, candidate_failure(problem, v, requirement)))
        else:
            kept.append(candidate)
    camps = None
    if cancelled is not None:
        camps = frozenset(c for _, c, _ in triples) | frozenset(cancelled)
    return Baseline(np.array(sorted(kept), dtype=np.int64), tuple(dropped), camps)
