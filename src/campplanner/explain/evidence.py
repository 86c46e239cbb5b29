"""The facts behind each reason, worked out once for every language.

:mod:`campplanner.explain.reasons` decides the cause; the functions here gather what
the reason states (who fails the filter, who is nearest to travelling that far, where
the busy people serve and why that keeps them away, what lowering a level would give)
and which fixes apply, as a :class:`~campplanner.explain.facts.SlotFacts` or
:class:`~campplanner.explain.facts.CampFacts`. One function per cause, each reading
only what its cause needs from the :class:`Slot` it is given. The languages put these
facts into sentences and decide nothing (:mod:`campplanner.explain.words`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from campplanner.contract.calendar import Calendar, format_day
from campplanner.explain.facts import (
    EVIDENCE_LIMIT,
    CampFacts,
    Day,
    Fact,
    Fix,
    Listed,
    SlotFacts,
)
from campplanner.explain.funnel import Busy, Context, Funnel, Masks, dropped, pass_all_but
from campplanner.model.problem import Problem
from campplanner.model.rules import rest_between

_GENDER = {1: "f", 2: "m"}  # Problem.camp_gender: 0 mixed, 1 women, 2 men


@dataclass(frozen=True)
class Slot:
    """An empty requirement as the cause was decided on: the funnel, the roster's part."""

    ctx: Context
    requirement: int
    missing: int  # slots of the requirement still empty
    funnel: Funnel
    masks: Masks
    busy: tuple[Busy, ...]  # qualified people kept away by the roster (cause "busy")
    free: int  # qualified people free to come

    @property
    def problem(self) -> Problem:
        return self.ctx.problem

    @property
    def camp(self) -> int:
        return int(self.problem.requirement_camp[self.requirement])


# ------------------------------------------------------------------ shared facts


def role(p: Problem, r: int) -> dict[str, Fact]:
    """The role a requirement asks for: the skill as the file names it, with its id
    beside a name that differs (``skill``: for languages whose readers type ids back),
    or by its name alone (``skill_name``: for a page that shows no id of a skill), and
    the level."""
    s = int(p.requirement_skill[r])
    name, sid = p.skill_names[s], p.skill_ids[s]
    return {
        "skill": sid if name == sid else f"{name} ({sid})",
        "skill_name": name,
        "level": int(p.requirement_level[r]),
    }


@lru_cache(maxsize=4096)
def day(ordinal: int, calendar: Calendar) -> Day:
    """A day ordinal as ``calendar`` writes it; kept, as a season has a few hundred days
    and writing a Jalali one takes longer than the rest of a reason's facts."""
    return Day(format_day(ordinal, calendar))


def camp_facts(p: Problem, c: int) -> dict[str, Fact]:
    """The camp: its label, first and last day, place and gender ("f", "m" or "")."""
    return {
        "camp": p.camp_label(c),
        "first": day(int(p.camp_start[c]), p.calendar),
        "last": day(int(p.camp_end[c]), p.calendar),
        "place": p.place_names[int(p.camp_place[c])],
        "gender": _GENDER.get(int(p.camp_gender[c]), ""),
    }


def named(
    volunteers: np.ndarray, describe: Callable[[int], Mapping[str, Fact]] | None = None
) -> Listed:
    """The first EVIDENCE_LIMIT people, each described, and how many more there are."""
    shown = [int(v) for v in volunteers[:EVIDENCE_LIMIT]]
    items = tuple(describe(v) if describe else {} for v in shown)
    return Listed(items, len(volunteers) - len(shown))


def labelled(p: Problem, volunteers: np.ndarray) -> Listed:
    """The first EVIDENCE_LIMIT people by their labels."""
    return named(volunteers, lambda v: {"label": p.volunteer_label(v)})


def available_spans(p: Problem, v: int) -> list[tuple[int, int]]:
    """The volunteer's availability as (first, last) day ordinals (empty: no day)."""
    lo, hi = p.availability_ptr[v], p.availability_ptr[v + 1]
    return [
        (int(a), int(b))
        for a, b in zip(p.availability_start[lo:hi], p.availability_end[lo:hi], strict=True)
    ]


def slot_facts(slot: Slot, cause: str) -> SlotFacts:
    """The facts of an empty requirement whose cause is ``cause``."""
    p = slot.problem
    r = slot.requirement
    fields: dict[str, Fact] = {
        **camp_facts(p, slot.camp),
        "role": role(p, r),
        "missing": slot.missing,
        "asked": int(p.requirement_count[r]),
        "status": slot.ctx.status,
    }
    own, fixes = CAUSE_FACTS[cause](slot)
    return SlotFacts(cause, {**fields, **own}, fixes)


Found = tuple[dict[str, Fact], tuple[Fix, ...]]  # a cause's own facts, and its fixes
WANTED = Fix("wanted")


# ------------------------------------------------------------ the funnel's causes


def no_skill(slot: Slot) -> Found:
    """Too few volunteers have the skill at any level."""
    return {"have": slot.funnel.left_after("no_skill")}, (WANTED,)


def level(slot: Slot) -> Found:
    """People have the skill, too few at the level asked; people below the level who
    pass every other filter make "accept a lower level" a fix."""
    p, r = slot.problem, slot.requirement
    held = p.volunteer_skill_level[:, int(p.requirement_skill[r])]
    # H1 also drops a qualification that expires before the camp ends (valid_until):
    # such a person is at the level, so neither "below" it nor helped by a lower one
    needed = int(p.requirement_level[r])
    would = pass_all_but(slot.ctx, r, "level")
    would = would[held[would] < needed]
    below = dropped(slot.masks, "level")
    below = below[held[below] < needed]
    facts: dict[str, Fact] = {
        "having": slot.funnel.left_after("no_skill"),
        "at_level": slot.funnel.left_after("level"),
        "level": int(p.requirement_level[r]),
        "below": named(below, lambda v: {"label": p.volunteer_label(v), "held": int(held[v])}),
    }
    fixes = [WANTED]
    if would.size:
        fixes.append(Fix("lower_level", {"best": int(held[would].max()), "would": int(would.size)}))
    return facts, tuple(fixes)


def dates(slot: Slot) -> Found:
    """Qualified people exist, too few free for the whole of the camp."""
    p = slot.problem

    def spans(v: int) -> Mapping[str, Fact]:
        days = tuple(
            {"from": day(a, p.calendar), "to": day(b, p.calendar)} for a, b in available_spans(p, v)
        )
        return {"label": p.volunteer_label(v), "spans": Listed(days), "free_days": bool(days)}

    return {
        "having": slot.funnel.left_after("level"),
        "free_then": slot.funnel.left_after("dates"),
        "away": named(dropped(slot.masks, "dates"), spans),
    }, (WANTED,)


def gender(slot: Slot) -> Found:
    """Qualified, free people exist, too few of the single-gender camp's gender."""
    return {
        "free_then": slot.funnel.left_after("dates"),
        "of_gender": slot.funnel.left_after("gender"),
        "others": labelled(slot.problem, dropped(slot.masks, "gender")),
    }, (WANTED,)


def distance(slot: Slot) -> Found:
    """Qualified people exist, too few will travel as far as the camp; the one nearest
    to their limit agreeing to travel that far is a fix."""
    p = slot.problem
    km = slot.ctx.camp_km(slot.camp)
    far = dropped(slot.masks, "distance")
    far = far[np.argsort(km[far] - p.volunteer_max_km[far], kind="stable")]
    facts: dict[str, Fact] = {
        "could": slot.funnel.left_after("gender"),
        "will": slot.funnel.left_after("distance"),
        "far": named(
            far,
            lambda v: {
                "label": p.volunteer_label(v),
                "km": float(km[v]),
                "max_km": float(p.volunteer_max_km[v]),
            },
        ),
    }
    fixes = [WANTED]
    if far.size:
        v = int(far[0])
        fixes.append(
            Fix("travel_farther", {"label": p.volunteer_label(v), "km": int(np.ceil(km[v]))})
        )
    return facts, tuple(fixes)


def forbidden(slot: Slot) -> Found:
    """Qualified people exist, but the file forbids them at this camp."""
    banned = labelled(slot.problem, dropped(slot.masks, "forbidden"))
    return {
        "could": slot.funnel.left_after("distance"),
        "allowed": slot.funnel.left_after("forbidden"),
        "banned": banned,
    }, (WANTED, Fix("lift_forbidden"))


def no_camps(slot: Slot) -> Found:
    """Qualified people exist, but their max_camps is 0."""
    return {
        "could": slot.funnel.left_after("forbidden"),
        "idle": labelled(slot.problem, dropped(slot.masks, "no_camps")),
    }, (WANTED, Fix("raise_max_camps"))


# ------------------------------------------------------------- the roster's part


def serving(p: Problem, camp: int, busy: Busy) -> dict[str, Fact]:
    """One place a busy volunteer serves, and the rule that keeps them from ``camp``:
    kind "same_camp" (H3), "overlap" or "rest" (H4), "limit" (H5)."""
    rest_days = rest_between(p, camp, busy.camp) if busy.rule == "H4" else 0
    if busy.rule == "H4":
        kind = "overlap" if rest_days < 0 else "rest"
    else:
        kind = {"H3": "same_camp", "H5": "limit"}[busy.rule]
    return {
        "kind": kind,
        "rule": busy.rule,
        "camp": p.camp_label(busy.camp),
        "skill_id": p.skill_ids[busy.skill],
        "skill_name": p.skill_names[busy.skill],
        "priority": int(p.camp_priority[busy.camp]),
        "rest_days": rest_days,
        "rest_needed": int(p.rest_days),
        "max_camps": int(p.volunteer_max_camps[busy.volunteer]),
    }


def busy(slot: Slot) -> Found:
    """Enough people qualify, but each serves in a camp that conflicts with this one;
    moving someone from a camp of lower priority is a fix."""
    p, c = slot.problem, slot.camp
    kept_by: dict[int, list[Busy]] = {}  # volunteer -> the assignments keeping them away
    for b in slot.busy:
        kept_by.setdefault(b.volunteer, []).append(b)
    here = int(slot.ctx.filled[slot.requirement])
    people = np.array(list(kept_by), dtype=np.int64)
    facts: dict[str, Fact] = {
        "qualified": slot.funnel.qualified,
        "here": here,
        "free": slot.free,
        "some_placed": bool(here or slot.free),
        "serving": named(
            people,
            lambda v: {
                "label": p.volunteer_label(v),
                "places": Listed(tuple(serving(p, c, b) for b in kept_by[v])),
            },
        ),
    }
    fixes = [Fix("wanted_free", {"missing": slot.missing - slot.free})]
    lower = sorted({b.camp for b in slot.busy if p.camp_priority[b.camp] < p.camp_priority[c]})
    if lower:
        camps = tuple({"camp": p.camp_label(k)} for k in lower[:EVIDENCE_LIMIT])
        fixes.append(Fix("move_from_lower", {"camps": Listed(camps)}))
    return facts, tuple(fixes)


def beds(slot: Slot) -> Found:
    """Someone free could come, but the camp is at capacity."""
    capacity = int(slot.problem.camp_capacity[slot.camp])
    more = Fix("more_beds", {"beds": min(slot.missing, slot.free)})
    return {"free": slot.free, "capacity": capacity}, (more,)


def improvable(slot: Slot) -> Found:
    """Someone free could come and there is a bed: the roster is not the best one."""
    return {"free": slot.free}, (Fix("solve_longer"),)


CAUSE_FACTS: dict[str, Callable[[Slot], Found]] = {
    "no_skill": no_skill,
    "level": level,
    "dates": dates,
    "gender": gender,
    "distance": distance,
    "forbidden": forbidden,
    "no_camps": no_camps,
    "busy": busy,
    "beds": beds,
    "improvable": improvable,
}


# ---------------------------------------------------------------- cancelled camps


def roles(p: Problem, requirements: list[int]) -> Listed:
    return Listed(tuple(role(p, r) for r in requirements))


def short_roles(
    p: Problem, camp: int, cause: str, requirements: list[int], short: tuple[SlotFacts, ...]
) -> CampFacts:
    """A camp cancelled for its short roles ("essential" or "nobody"): the roles, and
    each one's own facts."""
    fields = {**camp_facts(p, camp), "roles": roles(p, requirements), "count": len(short)}
    return CampFacts(cause, fields, (Fix("each_role"),), short)


def too_few_beds(p: Problem, camp: int, total: int) -> CampFacts:
    """The essential roles need more people than the camp has beds."""
    capacity = int(p.camp_capacity[camp])
    fields = {**camp_facts(p, camp), "total": total, "capacity": capacity}
    return CampFacts("beds", fields, (Fix("more_beds", {"beds": total - capacity}),))


def shared(
    p: Problem, camp: int, requirements: list[int], total: int, matched: int, pool: np.ndarray
) -> CampFacts:
    """The same few people are the only ones for several essential roles (H3)."""
    fields = {
        **camp_facts(p, camp),
        "roles": roles(p, requirements),
        "total": total,
        "matched": matched,
        "pool": labelled(p, pool),
        "rule": "H3",
    }
    return CampFacts("shared", fields, (Fix("more_for_roles", {"extra": total - matched}),))


def camp_improvable(p: Problem, camp: int, status: str, essentials: bool) -> CampFacts:
    """Free people could have run the camp: the roster is not the best."""
    fields = {**camp_facts(p, camp), "status": status, "essentials": essentials}
    return CampFacts("improvable", fields, (Fix("solve_longer"),))
