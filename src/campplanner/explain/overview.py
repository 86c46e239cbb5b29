"""What a planner wants to know about an instance before solving it (``validate``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from campplanner.contract.calendar import format_day
from campplanner.contract.why import Why
from campplanner.model.problem import Problem
from campplanner.model.rules import beds_left, essential_short_of_candidates, essential_slots


@dataclass(frozen=True)
class SkillSupply:
    skill_id: str
    skill_name: str
    slots: int  # slots asked across all camps
    essential_slots: int
    volunteers: int  # volunteers who have the skill at any level
    candidates: int  # volunteers who could fill at least one of its slots


@dataclass(frozen=True)
class CannotRun:
    """Why a camp cannot run whatever the roster (H9), as facts each front end words:
    an essential role with fewer possible volunteers than its slots, or fewer beds than
    the essential slots."""

    kind: str  # "essential" or "beds"
    have: int  # the possible volunteers of the role, or the beds
    need: int  # the role's slots, or the camp's essential slots
    skill_id: str = ""  # the essential role's skill ("essential" only)
    skill_name: str = ""

    def __str__(self) -> str:
        if self.kind == "beds":
            return f"{self.have} beds for {self.need} essential slots"
        return (
            f"essential {self.skill_id}: {self.have} possible volunteer(s) for {self.need} slot(s)"
        )


@dataclass(frozen=True)
class Overview:
    counts: dict[str, int]
    season: tuple[str, str] | None
    skills: list[SkillSupply]
    # camp id -> why it cannot run whatever the roster
    camps_that_cannot_run: dict[str, CannotRun]
    camps_without_candidates: list[str]
    volunteers_without_candidates: list[str]
    camps_short_of_beds: dict[str, tuple[int, int]]  # camp id -> (beds, essential slots)
    # "locked[i]: reason" for each lock that no roster can hold (the instance is infeasible)
    impossible_locks: list[str] = field(default_factory=list)


def overview(problem: Problem) -> Overview:
    """Counts, supply per skill, and the camps and people that cannot take part."""
    counts = {
        "skills": problem.num_skills,
        "places": len(problem.place_ids),
        "groups": len(problem.group_ids),
        "volunteers": problem.num_volunteers,
        "camps": problem.num_camps,
        "requirements": problem.num_requirements,
        "slots": problem.num_slots,
        "essential slots": int(problem.requirement_count[problem.requirement_essential].sum()),
        "candidates (volunteer, camp, skill)": problem.num_candidates,
        "locked": len(problem.locked_candidates) + len(problem.impossible_locks),
        "forbidden": len(problem.forbidden_pairs),
    }
    season = None
    if problem.num_camps:
        season = (
            format_day(int(problem.camp_start.min()), problem.calendar),
            format_day(int(problem.camp_end.max()), problem.calendar),
        )

    candidates_per_requirement = np.bincount(
        problem.candidate_requirement, minlength=problem.num_requirements
    )
    # (skill, volunteer) -> has a candidate: one scatter instead of a unique per skill.
    serves = np.zeros((problem.num_skills, problem.num_volunteers), dtype=bool)
    serves[problem.candidate_skill, problem.candidate_volunteer] = True
    skills = []
    names = zip(problem.skill_ids, problem.skill_names, strict=True)
    for s, (skill_id, skill_name) in enumerate(names):
        of_skill = problem.requirement_skill == s
        skills.append(
            SkillSupply(
                skill_id=skill_id,
                skill_name=skill_name,
                slots=int(problem.requirement_count[of_skill].sum()),
                essential_slots=int(
                    problem.requirement_count[of_skill & problem.requirement_essential].sum()
                ),
                volunteers=int(np.count_nonzero(problem.volunteer_skill_level[:, s])),
                candidates=int(np.count_nonzero(serves[s])),
            )
        )

    cannot_run: dict[str, CannotRun] = {}  # the reasons of rules.runnable_camps
    for r in np.flatnonzero(essential_short_of_candidates(problem)):
        camp = problem.camp_ids[problem.requirement_camp[r]]
        s = int(problem.requirement_skill[r])
        have, need = int(candidates_per_requirement[r]), int(problem.requirement_count[r])
        cannot_run.setdefault(
            camp,
            CannotRun("essential", have, need, problem.skill_ids[s], problem.skill_names[s]),
        )

    essential = essential_slots(problem)
    short_of_beds = {
        problem.camp_ids[c]: (int(problem.camp_capacity[c]), int(essential[c]))
        for c in np.flatnonzero(beds_left(problem, np.arange(problem.num_camps), essential) < 0)
    }
    for camp_id, (beds, slots) in short_of_beds.items():
        cannot_run.setdefault(camp_id, CannotRun("beds", beds, slots))

    has_candidates_camp = np.zeros(problem.num_camps, dtype=bool)
    has_candidates_camp[problem.candidate_camp] = True
    has_candidates_volunteer = np.zeros(problem.num_volunteers, dtype=bool)
    has_candidates_volunteer[problem.candidate_volunteer] = True
    return Overview(
        counts=counts,
        season=season,
        skills=skills,
        camps_that_cannot_run=cannot_run,
        camps_without_candidates=[
            problem.camp_ids[c] for c in np.flatnonzero(~has_candidates_camp)
        ],
        volunteers_without_candidates=[
            problem.volunteer_ids[v] for v in np.flatnonzero(~has_candidates_volunteer)
        ],
        camps_short_of_beds=short_of_beds,
        impossible_locks=[Why("locked", index=i, why=why) for i, why in problem.impossible_locks],
    )
