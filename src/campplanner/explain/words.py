"""The words of ``explain``: why each slot is empty or camp cancelled, and what would help.

:mod:`campplanner.explain.reasons` decides the cause; the functions here put it into
words with its evidence (people named, at most ``EVIDENCE_LIMIT`` of them, counts always
complete) and a fix in the instance's calendar. ``SLOT_WORDS`` has one function per
cause of an empty slot, all with the same arguments. These are the English words;
:mod:`campplanner.explain.words_fa` is their Persian twin, function for function, and
:data:`Wording` bundles one language's functions (``explain.languages.WORDS``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from campplanner.contract.calendar import format_day
from campplanner.explain.evidence import (
    EVIDENCE_LIMIT,
    Serving,
    available_spans,
    below_level,
    lower_priority_camps,
    serving_elsewhere,
    too_far,
)
from campplanner.explain.funnel import Busy, Context, Funnel, Masks, dropped
from campplanner.model.problem import Problem

CAUSES: dict[str, str] = {
    "no_skill": "nobody has the skill",
    "level": "nobody has the skill at the level asked",
    "dates": "nobody qualified is free on the camp's dates",
    "gender": "nobody qualified and free is of the camp's gender",
    "distance": "the camp is farther than the qualified people will travel",
    "forbidden": "the qualified people are forbidden at this camp",
    "no_camps": "the qualified people may join no camp (max_camps 0)",
    "busy": "the qualified people serve elsewhere, or in another role here",
    "beds": "the camp's beds are full",
    "shared": "the same people are needed for several essential roles",
    "improvable": "someone free could fill it: the roster is not the best",
    "essential": "an essential role could not be filled, so the camp was cancelled",
    "nobody": "no slot of the camp could be filled",
}


def _skill(p: Problem, s: int) -> str:
    name, sid = p.skill_names[s], p.skill_ids[s]
    return sid if name == sid else f"{name} ({sid})"


def _skill_at(p: Problem, r: int) -> str:
    level = int(p.requirement_level[r])
    text = _skill(p, int(p.requirement_skill[r]))
    return text + (f" at level {level}+" if level > 1 else "")


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


def _people_have(n: int) -> str:
    return f"{_people(n)} {'has' if n == 1 else 'have'}"


def _forbidden_share(funnel: Funnel) -> str:
    """Who the forbidden entries leave out: "them all" or "all but 2 of them"."""
    left = funnel.left_after("forbidden")
    return "them all" if left == 0 else f"all but {left} of them"


def _none_or_only(n: int) -> str:
    return "none" if n == 0 else f"only {n}"


def _named(p: Problem, volunteers: np.ndarray, describe: Callable[[int], str]) -> str:
    shown = [describe(int(v)) for v in volunteers[:EVIDENCE_LIMIT]]
    more = len(volunteers) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _wanted(ctx: Context, r: int, missing: int) -> str:
    """The base fix: how many more people, of what, when, where."""
    p = ctx.problem
    c = int(p.requirement_camp[r])
    first, last = p.camp_days(c)
    nouns = {1: ("woman", "women"), 2: ("man", "men")}.get(
        int(p.camp_gender[c]), ("person", "people")
    )
    place = int(p.camp_place[c])
    return (
        f"{missing} more {nouns[missing != 1]} with "
        f"{_skill_at(p, r)}, available {first} to {last}, willing to travel to "
        f"{p.place_names[place]}"
    )


def no_skill_words(
    ctx: Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    masks: Masks,
) -> tuple[str, str]:
    """Too few volunteers have the skill at any level."""
    p = ctx.problem
    have = funnel.left_after("no_skill")
    skill = _skill(p, int(p.requirement_skill[r]))
    why = (
        f"nobody in the file has {skill}"
        if have == 0
        else f"only {_people(have)} in the file {'has' if have == 1 else 'have'} {skill}, "
        f"{int(p.requirement_count[r])} asked"
    )
    return why, _wanted(ctx, r, missing)


def level_words(
    ctx: Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    masks: Masks,
) -> tuple[str, str]:
    """People have the skill, too few at the level asked."""
    p = ctx.problem
    s, level = int(p.requirement_skill[r]), int(p.requirement_level[r])
    facts = below_level(ctx, r, masks)
    why = (
        f"{_people_have(funnel.left_after('no_skill'))} {_skill(p, s)}, "
        f"{_none_or_only(funnel.left_after('level'))} at level {level}: "
        + _named(p, facts.below, lambda v: f"{p.volunteer_label(v)} level {facts.held[v]}")
    )
    fix = _wanted(ctx, r, missing)
    # People below the level who pass every other filter: lowering the level would do.
    if facts.would:
        have = "has" if facts.would == 1 else "have"
        fix += (
            f"; or accept level {facts.best}, which {_people(facts.would)} below level "
            f"{level} {have}"
        )
    return why, fix


def dates_words(
    ctx: Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    masks: Masks,
) -> tuple[str, str]:
    """Qualified people exist, too few free for the whole of the camp."""
    p = ctx.problem
    c = int(p.requirement_camp[r])
    first, last = p.camp_days(c)
    away = dropped(masks, "dates")

    def ranges(v: int) -> str:
        spans = available_spans(p, v)
        if not spans:
            return f"{p.volunteer_label(v)} available on no day"
        days = ", ".join(
            f"{format_day(a, p.calendar)}..{format_day(b, p.calendar)}" for a, b in spans
        )
        return f"{p.volunteer_label(v)} available {days}"

    why = (
        f"{_people_have(funnel.left_after('level'))} {_skill_at(p, r)}, "
        f"{_none_or_only(funnel.left_after('dates'))} free for the whole of {first} to {last}: "
        + _named(p, away, ranges)
    )
    return why, _wanted(ctx, r, missing)


def gender_words(
    ctx: Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    masks: Masks,
) -> tuple[str, str]:
    """Qualified, free people exist, too few of the single-gender camp's gender."""
    p = ctx.problem
    c = int(p.requirement_camp[r])
    wanted = {1: "women", 2: "men"}[int(p.camp_gender[c])]
    other = dropped(masks, "gender")
    why = (
        f"{_people(funnel.left_after('dates'))} with {_skill_at(p, r)} are free on the dates, "
        f"{_none_or_only(funnel.left_after('gender'))} of them {wanted} "
        f"(the camp is for {wanted} only): " + _named(p, other, lambda v: p.volunteer_label(v))
    )
    return why, _wanted(ctx, r, missing)


def distance_words(
    ctx: Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    masks: Masks,
) -> tuple[str, str]:
    """Qualified people exist, too few will travel as far as the camp."""
    p = ctx.problem
    facts = too_far(ctx, r, masks)
    km = facts.km
    why = (
        f"{_people(funnel.left_after('gender'))} with {_skill_at(p, r)} could come, "
        f"{_none_or_only(funnel.left_after('distance'))} will travel that far: "
        + _named(
            p,
            facts.far,
            lambda v: (
                f"{p.volunteer_label(v)} lives {km[v]:.0f} km away, max {facts.max_km[v]:g} km"
            ),
        )
    )
    fix = _wanted(ctx, r, missing)
    if facts.far.size:
        v = int(facts.far[0])
        fix += f"; or {p.volunteer_label(v)} agrees to travel {np.ceil(km[v]):.0f} km"
    return why, fix


def forbidden_words(
    ctx: Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    masks: Masks,
) -> tuple[str, str]:
    """Qualified people exist, but the file forbids them at this camp."""
    p = ctx.problem
    banned = dropped(masks, "forbidden")
    why = (
        f"{_people(funnel.left_after('distance'))} with {_skill_at(p, r)} could come, "
        f"but the file forbids {_forbidden_share(funnel)} at this camp: "
        + _named(p, banned, lambda v: p.volunteer_label(v))
    )
    fix = (
        _wanted(ctx, r, missing)
        + "; or lift the forbidden entry of "
        + _named(p, banned, lambda v: p.volunteer_label(v))
    )
    return why, fix


def no_camps_words(
    ctx: Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    masks: Masks,
) -> tuple[str, str]:
    """Qualified people exist, but their max_camps is 0."""
    p = ctx.problem
    idle = dropped(masks, "no_camps")
    why = (
        f"{_people(funnel.left_after('forbidden'))} with {_skill_at(p, r)} could come, "
        f"but may join no camp (max_camps 0): " + _named(p, idle, lambda v: p.volunteer_label(v))
    )
    fix = (
        _wanted(ctx, r, missing)
        + "; or raise max_camps of "
        + _named(p, idle, lambda v: p.volunteer_label(v))
    )
    return why, fix


def _serving(p: Problem, place: Serving) -> str:
    """Where a busy person serves and why that keeps them away (H3, H4 or H5)."""
    if place.rule == "H3":
        return f"this camp already, as {p.skill_ids[place.skill]}"
    if place.rule == "H4":
        gap = place.rest_days
        why_not = (
            "overlaps"
            if gap < 0
            else f"{gap} rest day{'s' * (gap != 1)} between, {p.rest_days} needed"
        )
    else:
        why_not = f"max {place.max_camps} camp{'s' * (place.max_camps > 1)}"
    return (
        f"{p.camp_label(place.camp)} as {p.skill_ids[place.skill]} "
        f"(priority {p.camp_priority[place.camp]}, {why_not})"
    )


def busy_words(
    ctx: Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    masks: Masks,
) -> tuple[str, str]:
    """Enough people qualify, but each serves in a camp that conflicts with this one."""
    p = ctx.problem
    c = int(p.requirement_camp[r])
    seen = serving_elsewhere(p, c, busy)
    volunteers = np.array(list(seen), dtype=np.int64)
    here = int(ctx.filled[r])
    filling = f"; {here} fill the other slot{'s' * (here > 1)}" if here else ""
    if free:
        filling += f"; only {free} {'is' if free == 1 else 'are'} free"
    rest = "each of the rest" if here or free else "each"
    why = (
        f"{_people(funnel.qualified)} with {_skill_at(p, r)} could come{filling}; "
        f"{rest} serves elsewhere: "
        + _named(
            p,
            volunteers,
            lambda v: (
                f"{p.volunteer_label(v)} in " + "; ".join(_serving(p, place) for place in seen[v])
            ),
        )
    )
    first, last = p.camp_days(c)
    fix = _wanted(ctx, r, missing - free).replace(
        f"available {first} to {last}", f"free {first} to {last}"
    )
    lower = lower_priority_camps(p, c, busy)
    if lower:
        fix += "; or move someone from a camp of lower priority: " + ", ".join(
            p.camp_label(k) for k in lower
        )
    return why, fix


def beds_words(
    ctx: Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    masks: Masks,
) -> tuple[str, str]:
    """Someone free could come, but the camp is at capacity."""
    p = ctx.problem
    c = int(p.requirement_camp[r])
    capacity = int(p.camp_capacity[c])
    why = (
        f"{_people(free)} with {_skill_at(p, r)} {'is' if free == 1 else 'are'} free to come, "
        f"but all {capacity} beds of the camp are taken"
    )
    beds = min(missing, free)
    fix = f"{beds} more bed{'s' if beds > 1 else ''} at {p.camp_label(c)}"
    return why, fix


def improvable_words(
    ctx: Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    masks: Masks,
) -> tuple[str, str]:
    """Someone free could come and there is a bed: the roster is not the best one."""
    p = ctx.problem
    why = (
        f"{_people(free)} with {_skill_at(p, r)} {'is' if free == 1 else 'are'} free to come "
        f"and there is a bed: the roster ({ctx.status}) is not the best possible"
    )
    fix = "solve again with a longer --time-limit"
    return why, fix


SlotWords = Callable[[Context, int, int, Funnel, tuple[Busy, ...], int, Masks], tuple[str, str]]
# One function per cause of an empty slot: (why, fix).
SLOT_WORDS: dict[str, SlotWords] = {
    "no_skill": no_skill_words,
    "level": level_words,
    "dates": dates_words,
    "gender": gender_words,
    "distance": distance_words,
    "forbidden": forbidden_words,
    "no_camps": no_camps_words,
    "busy": busy_words,
    "beds": beds_words,
    "improvable": improvable_words,
}


# ---------------------------------------------------------------- cancelled camps


def essential_words(p: Problem, shorts: list[tuple[int, str, str]]) -> tuple[str, str]:
    """A camp cancelled for its short essential roles: (requirement, why, fix) of each."""
    roles = ", ".join(_skill_at(p, r) for r, _, _ in shorts)
    why = f"essential role{'s' if len(shorts) > 1 else ''} {roles} could not be filled: "
    why += "; ".join(w for _, w, _ in shorts)
    return why, "; ".join(f for _, _, f in shorts)


def nobody_words(shorts: list[tuple[int, str, str]]) -> tuple[str, str]:
    """A camp without essential roles none of whose slots could be filled."""
    why = "no slot could be filled: " + "; ".join(w for _, w, _ in shorts)
    return why, "; ".join(f for _, _, f in shorts)


def camp_beds_words(p: Problem, camp: int, total: int) -> tuple[str, str]:
    """The essential roles need more people than the camp has beds."""
    capacity = int(p.camp_capacity[camp])
    why = f"the essential roles need {total} people and the camp has {capacity} beds"
    beds = total - capacity
    return why, f"{beds} more bed{'s' * (beds > 1)} at {p.camp_label(camp)}"


def shared_words(
    p: Problem, camp: int, requirements: list[int], total: int, matched: int, pool: np.ndarray
) -> tuple[str, str]:
    """The same few people are the only ones for several essential roles (H3)."""
    roles = ", ".join(_skill_at(p, r) for r in requirements)
    why = (
        f"the essential roles ({roles}) need {total} people, but only {matched} can fill "
        "them at once, as one person holds one role (H3); the free people who could: "
        + _named(p, pool, lambda v: p.volunteer_label(v))
    )
    first_day, last_day = p.camp_days(camp)
    extra = total - matched
    fix = (
        f"{extra} more {'person' if extra == 1 else 'people'} for {roles}, "
        f"free {first_day} to {last_day}"
    )
    return why, fix


def camp_improvable_words(status: str, essentials: bool) -> tuple[str, str]:
    """Free people could have run the camp: the roster is not the best."""
    what = "its essential roles" if essentials else "its slots"
    why = f"free people could fill {what}: the roster ({status}) is not the best possible"
    return why, "solve again with a longer --time-limit"


# ------------------------------------------------------------------------ one language


@dataclass(frozen=True)
class Wording:
    """Every text of ``explain`` in one language: the causes' names, one function per
    cause of an empty slot, and one per cause of a cancelled camp."""

    causes: dict[str, str]
    slot: dict[str, SlotWords]
    essential: Callable[[Problem, list[tuple[int, str, str]]], tuple[str, str]]
    nobody: Callable[[list[tuple[int, str, str]]], tuple[str, str]]
    camp_beds: Callable[[Problem, int, int], tuple[str, str]]
    shared: Callable[[Problem, int, list[int], int, int, np.ndarray], tuple[str, str]]
    camp_improvable: Callable[[str, bool], tuple[str, str]]


ENGLISH = Wording(
    causes=CAUSES,
    slot=SLOT_WORDS,
    essential=essential_words,
    nobody=nobody_words,
    camp_beds=camp_beds_words,
    shared=shared_words,
    camp_improvable=camp_improvable_words,
)
