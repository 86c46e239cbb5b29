"""Why a slot stays empty, why a camp is cancelled, and what each choice of a roster cost.

Works from a Problem and a roster (candidate indices). Each unfilled slot of a running
camp, and each cancelled camp, is classified by a *funnel* over the volunteers, in the
order a planner would ask:

1. ``no_skill``   has the skill at all
2. ``level``      ... at the requirement's level
3. ``dates``      ... and one availability range holds the whole camp (H2)
4. ``gender``     ... and is of the camp's gender (H7)
5. ``distance``   ... and the camp is within their ``max_km`` (H8)
6. ``forbidden``  ... and is not forbidden at the camp (H10)
7. ``no_camps``   ... and may join a camp at all (``max_camps`` 0)

The first filter at which fewer people remain than the requirement asks for is the
reason. When enough people pass every filter, the roster itself is the reason:

- ``busy``        every one of them serves in another camp that conflicts (H4 overlap
  or rest days, H5 most camps, H3 another role in the same camp): named, with priority;
- ``beds``        someone free could come, but the camp's beds are full (H6);
- ``improvable``  someone free could come and there is a bed: the roster is not the best.

A cancelled camp is explained by its essential requirements (H9): which were short and
why, by the same funnel; or, when each could be filled alone, ``beds`` (the essential
roles need more beds than the camp has) or ``shared`` (the same few people are the only
ones for several essential roles, and one person holds one role, H3).

Everything is returned as dataclasses with the words already made (``why``, ``fix``);
``explain_view.py`` prints them for the terminal. The objective breakdown (coverage and
each secondary term per camp and per volunteer) is at the end.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from campplanner.calendar import format_day
from campplanner.errors import CampPlannerError
from campplanner.model.geo import great_circle_km
from campplanner.model.problem import Problem
from campplanner.model.roster import (
    camps_run,
    filled_per_requirement,
    people_per_camp,
    unfilled_slots,
)
from campplanner.model.rules import camps_conflict

# The funnel's filters, in order; each is also the cause when it empties the pool.
FUNNEL = ("no_skill", "level", "dates", "gender", "distance", "forbidden", "no_camps")

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

Masks = list[tuple[str, np.ndarray]]  # (funnel filter, volunteers left after it)
EVIDENCE_LIMIT = 5  # people named per reason; the counts are always complete
BUSY_KEPT = 50  # people kept away by the roster recorded per requirement (SlotReason.busy)


class RosterError(CampPlannerError):
    """A roster that does not fit its instance (an assignment no rule allows)."""


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Funnel:
    """How many volunteers remain after each filter, for one requirement."""

    stages: tuple[tuple[str, int], ...]  # (filter, people left after it), in FUNNEL order

    @property
    def qualified(self) -> int:
        """People who pass every filter: the requirement's candidates."""
        return self.stages[-1][1]

    def left_after(self, stage: str) -> int:
        return dict(self.stages)[stage]


@dataclass(frozen=True)
class Busy:
    """A qualified volunteer kept away by an assignment of the roster."""

    volunteer: int
    camp: int  # where they serve
    skill: int
    rule: str  # "H3" same camp, "H4" overlap or rest days, "H5" most camps


@dataclass(frozen=True)
class SlotReason:
    """Why ``missing`` slots of one requirement are empty, with evidence and a fix."""

    camp: int
    requirement: int
    missing: int
    cause: str  # a key of CAUSES
    why: str  # plain words, with evidence
    fix: str
    funnel: Funnel
    busy: tuple[Busy, ...] = ()
    free: int = 0  # qualified people free to come


@dataclass(frozen=True)
class CampReason:
    """Why a camp is cancelled; ``short`` holds the requirements that could not be met."""

    camp: int
    cause: str  # "essential", "nobody", "beds", "shared" or "improvable"
    why: str
    fix: str
    short: tuple[SlotReason, ...] = ()

    @property
    def root_cause(self) -> str:
        """The cause behind the cancellation (the first short requirement's)."""
        return self.short[0].cause if self.short else self.cause


@dataclass(frozen=True)
class Explanation:
    """Reasons for every unfilled slot of a running camp and every cancelled camp."""

    slots: tuple[SlotReason, ...]
    cancelled: tuple[CampReason, ...]

    def slot_counts(self) -> dict[str, int]:
        """Empty slots per cause, most common first."""
        counts: Counter[str] = Counter()
        for slot in self.slots:
            counts[slot.cause] += slot.missing
        return dict(counts.most_common())

    def camp_counts(self) -> dict[str, int]:
        """Cancelled camps per root cause, most common first."""
        return dict(Counter(c.root_cause for c in self.cancelled).most_common())


# ---------------------------------------------------------------------------- context


@dataclass
class _Context:
    """The roster seen from each volunteer and camp, and per-camp masks, cached."""

    problem: Problem
    assigned: np.ndarray
    status: str = "optimal"
    _camp_masks: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = field(
        default_factory=dict
    )
    _blocked: dict[int, np.ndarray] = field(default_factory=dict)

    @cached_property
    def volunteer_assignments(self) -> dict[int, list[int]]:
        """volunteer -> candidate indices assigned."""
        by_volunteer: dict[int, list[int]] = {}
        for i in self.assigned.tolist():
            by_volunteer.setdefault(int(self.problem.candidate_volunteer[i]), []).append(i)
        return by_volunteer

    @cached_property
    def people(self) -> np.ndarray:
        return people_per_camp(self.problem, self.assigned)

    @cached_property
    def filled(self) -> np.ndarray:
        return filled_per_requirement(self.problem, self.assigned)

    @cached_property
    def range_owner(self) -> np.ndarray:
        return np.repeat(
            np.arange(self.problem.num_volunteers), np.diff(self.problem.availability_ptr)
        )

    @cached_property
    def forbidden_by_camp(self) -> dict[int, list[int]]:
        by_camp: dict[int, list[int]] = {}
        for v, c in self.problem.forbidden_pairs:
            by_camp.setdefault(c, []).append(v)
        return by_camp

    def camp_masks(self, c: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(available, of gender, within max_km, road km) over volunteers, for camp c."""
        if c not in self._camp_masks:
            p = self.problem
            inside = (p.availability_start <= p.camp_start[c]) & (
                p.availability_end >= p.camp_end[c]
            )
            available = np.zeros(p.num_volunteers, dtype=bool)
            available[self.range_owner[inside]] = True
            gender = int(p.camp_gender[c])
            of_gender = (
                np.ones(p.num_volunteers, bool) if gender == 0 else p.volunteer_gender == gender
            )
            place = int(p.camp_place[c])
            homes = p.volunteer_home
            # The same expression as problem._candidates, so the funnel agrees with it.
            km = p.road_factor * great_circle_km(
                p.place_lat[place], p.place_lon[place], p.place_lat[homes], p.place_lon[homes]
            )
            within = km <= p.volunteer_max_km
            self._camp_masks[c] = (available, of_gender, within, km)
        return self._camp_masks[c]

    @cached_property
    def assigned_volunteer(self) -> np.ndarray:
        return self.problem.candidate_volunteer[self.assigned]

    @cached_property
    def assigned_camp(self) -> np.ndarray:
        return self.problem.candidate_camp[self.assigned]

    @cached_property
    def at_limit(self) -> np.ndarray:
        """Volunteers who already join as many camps as they may (H5)."""
        p = self.problem
        pairs = np.unique(
            self.assigned_volunteer.astype(np.int64) * p.num_camps + self.assigned_camp
        )
        joined = np.bincount(pairs // p.num_camps, minlength=p.num_volunteers)
        return (joined > 0) & (joined >= p.volunteer_max_camps)

    def conflicting_camps(self, c: int) -> np.ndarray:
        """Camps one volunteer cannot join together with c (H4), c included; as
        ``Problem.camps_conflict``, vectorised."""
        p = self.problem
        c_first = p.camp_start >= p.camp_start[c]
        gap = np.where(c_first, p.camp_start - p.camp_end[c] - 1, p.camp_start[c] - p.camp_end - 1)
        conflict = gap < p.rest_days
        conflict[c] = True
        return conflict

    def blocked(self, c: int) -> np.ndarray:
        """Volunteers kept from camp c by the roster (H3, H4 or H5), as a mask."""
        if c not in self._blocked:
            mask = self.at_limit.copy()
            mask[self.assigned_volunteer[self.conflicting_camps(c)[self.assigned_camp]]] = True
            self._blocked[c] = mask
        return self._blocked[c]

    def blocking(self, volunteer: int, camp: int) -> list[Busy]:
        """The assignments that keep ``volunteer`` from joining ``camp`` (empty: free)."""
        p = self.problem
        mine = self.volunteer_assignments.get(volunteer, [])
        found = []
        for i in mine:
            other = int(p.candidate_camp[i])
            if other == camp:
                found.append(Busy(volunteer, other, int(p.candidate_skill[i]), "H3"))
            elif camps_conflict(p, camp, other):
                found.append(Busy(volunteer, other, int(p.candidate_skill[i]), "H4"))
        if found:
            return found
        if len({int(p.candidate_camp[i]) for i in mine}) >= p.volunteer_max_camps[volunteer]:
            return [Busy(volunteer, int(p.candidate_camp[i]), int(p.candidate_skill[i]), "H5")
                    for i in mine]  # fmt: skip
        return []

    def others(self, requirement: int) -> tuple[np.ndarray, np.ndarray]:
        """(volunteers, blocked?) of the requirement's candidates not serving in it."""
        p = self.problem
        pointer, order = p.requirement_candidates
        volunteers = p.candidate_volunteer[order[pointer[requirement] : pointer[requirement + 1]]]
        here = self.assigned_volunteer[p.candidate_requirement[self.assigned] == requirement]
        volunteers = volunteers[~np.isin(volunteers, here)]
        return volunteers, self.blocked(int(p.requirement_camp[requirement]))[volunteers]


# ------------------------------------------------------------------------------ funnel


def funnel_masks(ctx: _Context, requirement: int) -> Masks:
    """The cumulative mask of volunteers left after each filter of the funnel."""
    p = ctx.problem
    c = int(p.requirement_camp[requirement])
    s = int(p.requirement_skill[requirement])
    level = p.volunteer_skill_level[:, s]
    available, of_gender, within, _ = ctx.camp_masks(c)
    not_forbidden = np.ones(p.num_volunteers, dtype=bool)
    not_forbidden[ctx.forbidden_by_camp.get(c, [])] = False
    filters = (
        level > 0,
        level >= p.requirement_level[requirement],
        available,
        of_gender,
        within,
        not_forbidden,
        p.volunteer_max_camps > 0,
    )
    masks = []
    left = np.ones(p.num_volunteers, dtype=bool)
    for name, keep in zip(FUNNEL, filters, strict=True):
        left = left & keep
        masks.append((name, left))
    return masks


def explain_requirement(
    ctx: _Context, requirement: int, missing: int, need_free: int = 1
) -> SlotReason:
    """Why ``missing`` slots of ``requirement`` are empty under the roster.

    ``need_free`` is how many free people the slots need before the roster is to blame:
    one for a camp that runs (one more person would fill one more slot), the whole count
    for an essential role of a cancelled camp (the camp runs only with all of them).
    """
    p = ctx.problem
    c = int(p.requirement_camp[requirement])
    asked = int(p.requirement_count[requirement])
    masks = funnel_masks(ctx, requirement)
    funnel = Funnel(tuple((name, int(mask.sum())) for name, mask in masks))

    volunteers, blocked = ctx.others(requirement)
    free = int((~blocked).sum())
    # Evidence for the first people kept away; the counts come from the masks.
    busy = [b for v in volunteers[blocked][:BUSY_KEPT].tolist() for b in ctx.blocking(v, c)]
    args = (ctx, requirement, missing, funnel, tuple(busy), free)

    for k, (name, _) in enumerate(masks):
        if funnel.stages[k][1] < asked:
            return _FUNNEL_REASONS[name](*args, masks=masks)
    if free < need_free:
        return busy_reason(*args)
    if ctx.people[c] >= p.camp_capacity[c]:
        return beds_reason(*args)
    return improvable_reason(*args)


# ------------------------------------------------------------------ words and numbers


def _skill(p: Problem, s: int) -> str:
    name, sid = p.skill_names[s], p.skill_ids[s]
    return sid if name == sid else f"{name} ({sid})"


def _skill_at(p: Problem, r: int) -> str:
    level = int(p.requirement_level[r])
    text = _skill(p, int(p.requirement_skill[r]))
    return text + (f" at level {level}+" if level > 1 else "")


def _who(p: Problem, v: int) -> str:
    name, vid = p.volunteer_names[v], p.volunteer_ids[v]
    return vid if name == vid else f"{vid} ({name})"


def _camp(p: Problem, c: int) -> str:
    name, cid = p.camp_names[c], p.camp_ids[c]
    return cid if name == cid else f"{cid} ({name})"


def _dates(p: Problem, c: int) -> tuple[str, str]:
    return (
        format_day(int(p.camp_start[c]), p.calendar),
        format_day(int(p.camp_end[c]), p.calendar),
    )


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


def _wanted(ctx: _Context, r: int, missing: int) -> str:
    """The base fix: how many more people, of what, when, where."""
    p = ctx.problem
    c = int(p.requirement_camp[r])
    first, last = _dates(p, c)
    nouns = {1: ("woman", "women"), 2: ("man", "men")}.get(
        int(p.camp_gender[c]), ("person", "people")
    )
    place = int(p.camp_place[c])
    return (
        f"{missing} more {nouns[missing != 1]} with "
        f"{_skill_at(p, r)}, available {first} to {last}, willing to travel to "
        f"{p.place_names[place]}"
    )


def _dropped(masks: Masks, stage: str) -> np.ndarray:
    """Volunteers who passed the filters before ``stage`` and fail it."""
    names = [name for name, _ in masks]
    k = names.index(stage)
    before = masks[k - 1][1] if k else np.ones_like(masks[0][1])
    return np.flatnonzero(before & ~masks[k][1])


def _slot(
    ctx: _Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    cause: str,
    why: str,
    fix: str,
) -> SlotReason:
    c = int(ctx.problem.requirement_camp[r])
    return SlotReason(c, r, missing, cause, why, fix, funnel, busy, free)


# ------------------------------------------------------------ one function per reason


def no_skill_reason(
    ctx: _Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    *,
    masks: Masks,
) -> SlotReason:
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
    return _slot(ctx, r, missing, funnel, busy, free, "no_skill", why, _wanted(ctx, r, missing))


def level_reason(
    ctx: _Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    *,
    masks: Masks,
) -> SlotReason:
    """People have the skill, too few at the level asked."""
    p = ctx.problem
    s, level = int(p.requirement_skill[r]), int(p.requirement_level[r])
    below = _dropped(masks, "level")
    held = p.volunteer_skill_level[:, s]
    why = (
        f"{_people_have(funnel.left_after('no_skill'))} {_skill(p, s)}, "
        f"{_none_or_only(funnel.left_after('level'))} at level {level}: "
        + _named(p, below, lambda v: f"{_who(p, v)} level {held[v]}")
    )
    fix = _wanted(ctx, r, missing)
    # People below the level who pass every other filter: lowering the level would do.
    would = _would_pass_without(masks, ctx, r, "level")
    if would.size:
        best = int(held[would].max())
        have = "has" if len(would) == 1 else "have"
        fix += f"; or accept level {best}, which {_people(len(would))} below level {level} {have}"
    return _slot(ctx, r, missing, funnel, busy, free, "level", why, fix)


def _would_pass_without(masks: Masks, ctx: _Context, r: int, stage: str) -> np.ndarray:
    """Volunteers who fail only ``stage`` (pass every other filter; skill held at all)."""
    p = ctx.problem
    c = int(p.requirement_camp[r])
    s = int(p.requirement_skill[r])
    level = p.volunteer_skill_level[:, s]
    available, of_gender, within, _ = ctx.camp_masks(c)
    not_forbidden = np.ones(p.num_volunteers, dtype=bool)
    not_forbidden[ctx.forbidden_by_camp.get(c, [])] = False
    filters = {
        "no_skill": level > 0,
        "level": level >= p.requirement_level[r],
        "dates": available,
        "gender": of_gender,
        "distance": within,
        "forbidden": not_forbidden,
        "no_camps": p.volunteer_max_camps > 0,
    }
    keep = level > 0
    for name, mask in filters.items():
        if name != stage:
            keep = keep & mask
    return np.flatnonzero(keep & ~filters[stage])


def dates_reason(
    ctx: _Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    *,
    masks: Masks,
) -> SlotReason:
    """Qualified people exist, too few free for the whole of the camp."""
    p = ctx.problem
    c = int(p.requirement_camp[r])
    first, last = _dates(p, c)
    away = _dropped(masks, "dates")

    def ranges(v: int) -> str:
        lo, hi = p.availability_ptr[v], p.availability_ptr[v + 1]
        if lo == hi:
            return f"{_who(p, v)} available on no day"
        spans = ", ".join(
            f"{format_day(int(a), p.calendar)}..{format_day(int(b), p.calendar)}"
            for a, b in zip(p.availability_start[lo:hi], p.availability_end[lo:hi], strict=True)
        )
        return f"{_who(p, v)} available {spans}"

    why = (
        f"{_people_have(funnel.left_after('level'))} {_skill_at(p, r)}, "
        f"{_none_or_only(funnel.left_after('dates'))} free for the whole of {first} to {last}: "
        + _named(p, away, ranges)
    )
    return _slot(ctx, r, missing, funnel, busy, free, "dates", why, _wanted(ctx, r, missing))


def gender_reason(
    ctx: _Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    *,
    masks: Masks,
) -> SlotReason:
    """Qualified, free people exist, too few of the single-gender camp's gender."""
    p = ctx.problem
    c = int(p.requirement_camp[r])
    wanted = {1: "women", 2: "men"}[int(p.camp_gender[c])]
    other = _dropped(masks, "gender")
    why = (
        f"{_people(funnel.left_after('dates'))} with {_skill_at(p, r)} are free on the dates, "
        f"{_none_or_only(funnel.left_after('gender'))} of them {wanted} "
        f"(the camp is for {wanted} only): " + _named(p, other, lambda v: _who(p, v))
    )
    return _slot(ctx, r, missing, funnel, busy, free, "gender", why, _wanted(ctx, r, missing))


def distance_reason(
    ctx: _Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    *,
    masks: Masks,
) -> SlotReason:
    """Qualified people exist, too few will travel as far as the camp."""
    p = ctx.problem
    c = int(p.requirement_camp[r])
    km = ctx.camp_masks(c)[3]
    far = _dropped(masks, "distance")
    far = far[np.argsort(km[far] - p.volunteer_max_km[far], kind="stable")]
    why = (
        f"{_people(funnel.left_after('gender'))} with {_skill_at(p, r)} could come, "
        f"{_none_or_only(funnel.left_after('distance'))} will travel that far: "
        + _named(
            p,
            far,
            lambda v: f"{_who(p, v)} lives {km[v]:.0f} km away, max {p.volunteer_max_km[v]:g} km",
        )
    )
    fix = _wanted(ctx, r, missing)
    if far.size:
        v = int(far[0])
        fix += f"; or {_who(p, v)} agrees to travel {np.ceil(km[v]):.0f} km"
    return _slot(ctx, r, missing, funnel, busy, free, "distance", why, fix)


def forbidden_reason(
    ctx: _Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    *,
    masks: Masks,
) -> SlotReason:
    """Qualified people exist, but the file forbids them at this camp."""
    p = ctx.problem
    banned = _dropped(masks, "forbidden")
    why = (
        f"{_people(funnel.left_after('distance'))} with {_skill_at(p, r)} could come, "
        f"but the file forbids {_forbidden_share(funnel)} at this camp: "
        + _named(p, banned, lambda v: _who(p, v))
    )
    fix = (
        _wanted(ctx, r, missing)
        + "; or lift the forbidden entry of "
        + _named(p, banned, lambda v: _who(p, v))
    )
    return _slot(ctx, r, missing, funnel, busy, free, "forbidden", why, fix)


def no_camps_reason(
    ctx: _Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    *,
    masks: Masks,
) -> SlotReason:
    """Qualified people exist, but their max_camps is 0."""
    p = ctx.problem
    idle = _dropped(masks, "no_camps")
    why = (
        f"{_people(funnel.left_after('forbidden'))} with {_skill_at(p, r)} could come, "
        f"but may join no camp (max_camps 0): " + _named(p, idle, lambda v: _who(p, v))
    )
    fix = (
        _wanted(ctx, r, missing)
        + "; or raise max_camps of "
        + _named(p, idle, lambda v: _who(p, v))
    )
    return _slot(ctx, r, missing, funnel, busy, free, "no_camps", why, fix)


def _too_close(p: Problem, camp_a: int, camp_b: int) -> str:
    """Why one person cannot join both camps (H4): they overlap, or too little rest."""
    first, second = sorted((camp_a, camp_b), key=lambda c: p.camp_start[c])
    gap = int(p.camp_start[second]) - int(p.camp_end[first]) - 1
    if gap < 0:
        return "overlaps"
    return f"{gap} rest day{'s' * (gap != 1)} between, {p.rest_days} needed"


def busy_reason(
    ctx: _Context, r: int, missing: int, funnel: Funnel, busy: tuple[Busy, ...], free: int
) -> SlotReason:
    """Enough people qualify, but each serves in a camp that conflicts with this one."""
    p = ctx.problem
    c = int(p.requirement_camp[r])
    seen: dict[int, list[str]] = {}
    for b in busy:
        if b.rule == "H3":
            text = f"this camp already, as {p.skill_ids[b.skill]}"
        else:
            limit = int(p.volunteer_max_camps[b.volunteer])
            why_not = (
                _too_close(p, c, b.camp)
                if b.rule == "H4"
                else f"max {limit} camp{'s' * (limit > 1)}"
            )
            text = (
                f"{_camp(p, b.camp)} as {p.skill_ids[b.skill]} "
                f"(priority {p.camp_priority[b.camp]}, {why_not})"
            )
        seen.setdefault(b.volunteer, []).append(text)
    volunteers = np.array(list(seen), dtype=np.int64)
    here = int(ctx.filled[r])
    filling = f"; {here} fill the other slot{'s' * (here > 1)}" if here else ""
    if free:
        filling += f"; only {free} {'is' if free == 1 else 'are'} free"
    rest = "each of the rest" if here or free else "each"
    why = (
        f"{_people(funnel.qualified)} with {_skill_at(p, r)} could come{filling}; "
        f"{rest} serves elsewhere: "
        + _named(p, volunteers, lambda v: f"{_who(p, v)} in {'; '.join(seen[v])}")
    )
    first, last = _dates(p, c)
    fix = _wanted(ctx, r, missing - free).replace(
        f"available {first} to {last}", f"free {first} to {last}"
    )
    lower = sorted({b.camp for b in busy if p.camp_priority[b.camp] < p.camp_priority[c]})
    if lower:
        fix += "; or move someone from a camp of lower priority: " + ", ".join(
            _camp(p, k) for k in lower[:EVIDENCE_LIMIT]
        )
    return _slot(ctx, r, missing, funnel, busy, free, "busy", why, fix)


def beds_reason(
    ctx: _Context, r: int, missing: int, funnel: Funnel, busy: tuple[Busy, ...], free: int
) -> SlotReason:
    """Someone free could come, but the camp is at capacity."""
    p = ctx.problem
    c = int(p.requirement_camp[r])
    capacity = int(p.camp_capacity[c])
    why = (
        f"{_people(free)} with {_skill_at(p, r)} {'is' if free == 1 else 'are'} free to come, "
        f"but all {capacity} beds of the camp are taken"
    )
    beds = min(missing, free)
    fix = f"{beds} more bed{'s' if beds > 1 else ''} at {_camp(p, c)}"
    return _slot(ctx, r, missing, funnel, busy, free, "beds", why, fix)


def improvable_reason(
    ctx: _Context, r: int, missing: int, funnel: Funnel, busy: tuple[Busy, ...], free: int
) -> SlotReason:
    """Someone free could come and there is a bed: the roster is not the best one."""
    p = ctx.problem
    why = (
        f"{_people(free)} with {_skill_at(p, r)} {'is' if free == 1 else 'are'} free to come "
        f"and there is a bed: the roster ({ctx.status}) is not the best possible"
    )
    fix = "solve again with a longer --time-limit"
    return _slot(ctx, r, missing, funnel, busy, free, "improvable", why, fix)


_FUNNEL_REASONS = {
    "no_skill": no_skill_reason,
    "level": level_reason,
    "dates": dates_reason,
    "gender": gender_reason,
    "distance": distance_reason,
    "forbidden": forbidden_reason,
    "no_camps": no_camps_reason,
}


# --------------------------------------------------------------------- cancelled camps


def explain_cancelled(ctx: _Context, camp: int) -> CampReason:
    """Why nobody serves in ``camp``: its short essential roles, beds, or shared people."""
    p = ctx.problem
    first, last = p.camp_requirements[camp], p.camp_requirements[camp + 1]
    essentials = [r for r in range(first, last) if p.requirement_essential[r]]
    needed = essentials or list(range(first, last))
    # A camp without essential roles runs with anyone at all; with them, only with all.
    reasons = [
        explain_requirement(
            ctx, r, int(p.requirement_count[r]), int(p.requirement_count[r]) if essentials else 1
        )
        for r in needed
    ]
    short = tuple(reason for reason in reasons if reason.cause not in ("beds", "improvable"))
    if not essentials and len(short) < len(reasons):
        short = ()  # someone free could come: not the instance's fault, see below
    if short:
        if essentials:
            roles = ", ".join(_skill_at(p, s.requirement) for s in short)
            why = f"essential role{'s' if len(short) > 1 else ''} {roles} could not be filled: "
            why += "; ".join(s.why for s in short)
            return CampReason(camp, "essential", why, "; ".join(s.fix for s in short), short)
        why = "no slot could be filled: " + "; ".join(s.why for s in short)
        return CampReason(camp, "nobody", why, "; ".join(s.fix for s in short), short)
    total = sum(int(p.requirement_count[r]) for r in needed)
    capacity = int(p.camp_capacity[camp])
    if essentials and total > capacity:
        why = f"the essential roles need {total} people and the camp has {capacity} beds"
        beds = total - capacity
        fix = f"{beds} more bed{'s' * (beds > 1)} at {_camp(p, camp)}"
        return CampReason(camp, "beds", why, fix)
    matched = _max_matching(ctx, camp, needed) if essentials else total
    if matched < total:
        roles = ", ".join(_skill_at(p, r) for r in needed)
        pool = np.unique(np.concatenate([ctx.others(r)[0][~ctx.others(r)[1]] for r in needed]))
        why = (
            f"the essential roles ({roles}) need {total} people, but only {matched} can fill "
            "them at once, as one person holds one role (H3); the free people who could: "
            + _named(p, pool, lambda v: _who(p, v))
        )
        first_day, last_day = _dates(p, camp)
        extra = total - matched
        fix = (
            f"{extra} more {'person' if extra == 1 else 'people'} for {roles}, "
            f"free {first_day} to {last_day}"
        )
        return CampReason(camp, "shared", why, fix)
    what = "its essential roles" if essentials else "its slots"
    why = f"free people could fill {what}: the roster ({ctx.status}) is not the best possible"
    return CampReason(camp, "improvable", why, "solve again with a longer --time-limit")


def _max_matching(ctx: _Context, camp: int, requirements: list[int]) -> int:
    """Most slots of ``requirements`` filled at once by free people, one role each (H3)."""
    p = ctx.problem
    slots: list[list[int]] = []
    for r in requirements:
        volunteers, blocked = ctx.others(r)
        slots.extend([volunteers[~blocked].tolist()] * int(p.requirement_count[r]))
    holder: dict[int, int] = {}  # volunteer -> slot

    def augment(slot: int, seen: set[int]) -> bool:
        for v in slots[slot]:
            if v in seen:
                continue
            seen.add(v)
            if v not in holder or augment(holder[v], seen):
                holder[v] = slot
                return True
        return False

    return sum(augment(k, set()) for k in range(len(slots)))


# ------------------------------------------------------------------------ entry points


def explain_roster(problem: Problem, assigned: np.ndarray, status: str = "optimal") -> Explanation:
    """Reasons for every unfilled slot of a running camp and every cancelled camp."""
    ctx = _Context(problem, np.asarray(assigned, dtype=np.int64), status)
    slots = tuple(
        explain_requirement(ctx, slot.requirement, slot.missing)
        for slot in unfilled_slots(problem, ctx.assigned)
    )
    running = camps_run(problem, ctx.assigned)
    cancelled = tuple(explain_cancelled(ctx, int(c)) for c in np.flatnonzero(~running))
    return Explanation(slots, cancelled)


def wanted_for(
    problem: Problem, assigned: np.ndarray, explanation: Explanation, volunteer: int
) -> list[tuple[SlotReason, list[Busy]]]:
    """The empty slots ``volunteer`` could have filled, each with the assignments that kept
    them away (their camps elsewhere, H3/H4/H5)."""
    ctx = _Context(problem, np.asarray(assigned, dtype=np.int64))
    shorts = [s for reason in explanation.cancelled for s in reason.short]
    found = []
    for slot in [*explanation.slots, *shorts]:
        if problem.candidate_index(volunteer, slot.requirement) is None:
            continue
        blocking = ctx.blocking(volunteer, slot.camp)
        if blocking:
            found.append((slot, blocking))
    return found


def roster_from_assignments(problem: Problem, triples: list[tuple[str, str, str]]) -> np.ndarray:
    """Candidate indices of (volunteer, camp, skill) triples; RosterError for one no rule allows."""
    found = []
    for v_id, c_id, s_id in triples:
        v = problem.volunteer_index.get(v_id)
        c = problem.camp_index.get(c_id)
        s = problem.skill_index.get(s_id)
        r = None if c is None or s is None else problem.requirement_index.get((c, s))
        i = None if v is None or r is None else problem.candidate_index(v, r)
        if i is None:
            raise RosterError(
                f"assignment ({v_id}, {c_id}, {s_id}) is not possible in this instance; "
                "run `campplanner check` on the solution file"
            )
        found.append(i)
    return np.array(sorted(set(found)), dtype=np.int64)


# -------------------------------------------------------------- objective breakdown


@dataclass(frozen=True)
class CampCost:
    """What one camp earned and cost: coverage, km of its team, group splits it caused."""

    camp: int
    filled: int
    asked: int
    coverage: int
    travel_km: float
    group_splits: int  # groups whose members serve here apart from the group's main camp
    split_groups: tuple[int, ...]


@dataclass(frozen=True)
class VolunteerCost:
    """What one volunteer's assignments earned and cost."""

    volunteer: int
    camps: tuple[int, ...]
    coverage: int
    travel_km: float
    extra_camps: int  # camps beyond the first


@dataclass(frozen=True)
class Breakdown:
    """The objective split per camp and per volunteer; the sums equal the roster's totals."""

    camps: tuple[CampCost, ...]
    volunteers: tuple[VolunteerCost, ...]  # volunteers who serve

    @property
    def coverage(self) -> int:
        return sum(c.coverage for c in self.camps)

    @property
    def travel_km(self) -> float:
        return float(sum(c.travel_km for c in self.camps))

    @property
    def group_splits(self) -> int:
        return sum(c.group_splits for c in self.camps)

    @property
    def extra_camps(self) -> int:
        return sum(v.extra_camps for v in self.volunteers)


def objective_breakdown(problem: Problem, assigned: np.ndarray) -> Breakdown:
    """Coverage and each secondary term (roster.secondary_terms), per camp and per volunteer.

    A group serving in k camps counts k - 1 splits (roster.py); they are charged to the
    camps other than the group's main one (most members, then first in the file).
    """
    assigned = np.asarray(assigned, dtype=np.int64)
    p = problem
    camps_of = p.candidate_camp[assigned]
    volunteers_of = p.candidate_volunteer[assigned]
    km_of = p.candidate_km[assigned].astype(np.float64)
    members: dict[int, Counter[int]] = {}
    for v, c in zip(volunteers_of.tolist(), camps_of.tolist(), strict=True):
        g = int(p.volunteer_group[v])
        if g >= 0:
            members.setdefault(g, Counter())[c] += 1
    split_at: dict[int, list[int]] = {}
    for g, at in members.items():
        main = min(at, key=lambda c: (-at[c], c))
        for c in at:
            if c != main:
                split_at.setdefault(c, []).append(g)

    camp_costs = []
    for c in range(p.num_camps):
        here = camps_of == c
        lo, hi = p.camp_requirements[c], p.camp_requirements[c + 1]
        camp_costs.append(
            CampCost(
                camp=c,
                filled=int(here.sum()),
                asked=int(p.requirement_count[lo:hi].sum()),
                coverage=int(here.sum()) * int(p.camp_priority[c]),
                travel_km=float(km_of[here].sum()),
                group_splits=len(split_at.get(c, [])),
                split_groups=tuple(sorted(split_at.get(c, []))),
            )
        )
    volunteer_costs = []
    for v in np.unique(volunteers_of).tolist():
        mine = volunteers_of == v
        camps = tuple(sorted(set(camps_of[mine].tolist())))
        volunteer_costs.append(
            VolunteerCost(
                volunteer=int(v),
                camps=camps,
                coverage=int(p.camp_priority[camps_of[mine]].sum()),
                travel_km=float(km_of[mine].sum()),
                extra_camps=max(len(camps) - 1, 0),
            )
        )
    return Breakdown(tuple(camp_costs), tuple(volunteer_costs))
