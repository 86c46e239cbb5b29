"""Why a slot stays empty and why a camp is cancelled.

Works from a Problem and a roster (candidate indices). Each unfilled slot of a running
camp, and each cancelled camp, is classified by the *funnel* of candidate rules
(:mod:`campplanner.explain.funnel`): the first filter at which fewer people remain than
the requirement asks for is the reason. When enough people pass every filter, the
roster itself is the reason:

- ``busy``        every one of them serves in another camp that conflicts (H4 overlap
  or rest days, H5 most camps, H3 another role in the same camp): named, with priority;
- ``beds``        someone free could come, but the camp's beds are full (H6);
- ``improvable``  someone free could come and there is a bed: the roster is not the best.

A cancelled camp is explained by its essential requirements (H9): which were short and
why, by the same funnel; or, when each could be filled alone, ``beds`` (the essential
roles need more beds than the camp has) or ``shared`` (the same few people are the only
ones for several essential roles, and one person holds one role, H3).

Each reason's facts (evidence, numbers, which fixes apply) are worked out once, by
:mod:`campplanner.explain.evidence`, and kept on the reason (``facts``); the words
(``why``, ``fix``) are those facts said by the templates of the language asked
(:mod:`campplanner.explain.languages`), and :meth:`Explanation.in_language` says them
again in another language without deciding anything again.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

import numpy as np

from campplanner.contract.errors import CampPlannerError
from campplanner.explain import evidence
from campplanner.explain.facts import CampFacts, SlotFacts
from campplanner.explain.funnel import Busy, Context, Funnel, funnel_masks
from campplanner.explain.languages import VIEWS, WORDS
from campplanner.explain.words import Wording
from campplanner.model.problem import Problem
from campplanner.model.roster import camps_run, unfilled_slots
from campplanner.model.rules import beds_left, essential_requirements, slots_left

BUSY_KEPT = 50  # people kept away by the roster recorded per requirement (SlotReason.busy)


class RosterError(CampPlannerError):
    """A roster that does not fit its instance (an assignment no rule allows)."""


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
    facts: SlotFacts | None = None  # what why and fix say, in no language

    def in_language(self, words: Wording) -> SlotReason:
        """The same reason, its facts said in ``words``'s language."""
        if self.facts is None:
            return self
        why, fix = words.slot(self.facts)
        return replace(self, why=why, fix=fix)


@dataclass(frozen=True)
class CampReason:
    """Why a camp is cancelled; ``short`` holds the requirements that could not be met."""

    camp: int
    cause: str  # "essential", "nobody", "beds", "shared" or "improvable"
    why: str
    fix: str
    short: tuple[SlotReason, ...] = ()
    facts: CampFacts | None = None  # what why and fix say, in no language

    def in_language(self, words: Wording) -> CampReason:
        """The same reason, its facts (and its short roles') said in ``words``'s language."""
        if self.facts is None:
            return self
        why, fix = words.camp(self.facts)
        short = tuple(s.in_language(words) for s in self.short)
        return replace(self, why=why, fix=fix, short=short)

    @property
    def root_cause(self) -> str:
        """The cause behind the cancellation (the first short requirement's)."""
        return self.short[0].cause if self.short else self.cause


@dataclass(frozen=True)
class Explanation:
    """Reasons for every unfilled slot of a running camp and every cancelled camp."""

    slots: tuple[SlotReason, ...]
    cancelled: tuple[CampReason, ...]
    lang: str = "en"  # the language of every why and fix (explain.languages.WORDS)

    @property
    def causes(self) -> dict[str, str]:
        """The causes' names in the explanation's language."""
        return WORDS[self.lang].causes

    def in_language(self, lang: str) -> Explanation:
        """The same reasons said in ``lang`` (a key of ``explain.languages.WORDS``),
        from the facts already worked out: nothing is decided again."""
        words = WORDS[lang]
        return Explanation(
            tuple(s.in_language(words) for s in self.slots),
            tuple(c.in_language(words) for c in self.cancelled),
            lang,
        )

    def slot_counts(self) -> dict[str, int]:
        """Empty slots per cause, most common first."""
        counts: Counter[str] = Counter()
        for slot in self.slots:
            counts[slot.cause] += slot.missing
        return dict(counts.most_common())

    def camp_counts(self) -> dict[str, int]:
        """Cancelled camps per root cause, most common first."""
        return dict(Counter(c.root_cause for c in self.cancelled).most_common())


def explain_requirement(
    ctx: Context, requirement: int, missing: int, need_free: int = 1, lang: str = "en"
) -> SlotReason:
    """Why ``missing`` slots of ``requirement`` are empty under the roster.

    ``need_free`` is how many free people the slots need before the roster is to blame:
    one for a camp that runs (one more person would fill one more slot), the whole count
    for an essential role of a cancelled camp (the camp runs only with all of them).
    """
    p = ctx.problem
    c = int(p.requirement_camp[requirement])
    masks = funnel_masks(ctx, requirement)
    funnel = Funnel(tuple((name, int(mask.sum())) for name, mask in masks))

    volunteers, blocked = ctx.others(requirement)
    free = int((~blocked).sum())
    cause = _slot_cause(ctx, requirement, funnel, free, need_free)
    # Evidence for the first people kept away, where the roster is the cause (only the
    # "busy" sentences name them; on a season whose beds bind, gathering it for every
    # open slot took most of the time of explaining); the counts come from the masks.
    busy = []
    if cause == "busy":
        busy = [b for v in volunteers[blocked][:BUSY_KEPT].tolist() for b in ctx.blocking(v, c)]
    slot = evidence.Slot(ctx, requirement, missing, funnel, masks, tuple(busy), free)
    facts = evidence.slot_facts(slot, cause)
    why, fix = WORDS[lang].slot(facts)
    return SlotReason(c, requirement, missing, cause, why, fix, funnel, tuple(busy), free, facts)


def _slot_cause(ctx: Context, requirement: int, funnel: Funnel, free: int, need_free: int) -> str:
    """The first funnel filter that leaves too few people; else the roster's part in it."""
    p = ctx.problem
    asked = int(p.requirement_count[requirement])
    for name, left in funnel.stages:
        if left < asked:
            return name
    if free < need_free:
        return "busy"
    camp = int(p.requirement_camp[requirement])
    if beds_left(p, camp, ctx.people[camp]) <= 0:
        return "beds"
    return "improvable"


# --------------------------------------------------------------------- cancelled camps


def explain_cancelled(ctx: Context, camp: int, lang: str = "en") -> CampReason:
    """Why nobody serves in ``camp``: its short essential roles, beds, or shared people."""
    p = ctx.problem
    essentials = essential_requirements(p, camp)
    first, last = p.camp_requirements[camp], p.camp_requirements[camp + 1]
    needed = essentials or list(range(first, last))
    # A camp without essential roles runs with anyone at all; with them, only with all.
    reasons = [
        explain_requirement(
            ctx,
            r,
            int(p.requirement_count[r]),
            int(p.requirement_count[r]) if essentials else 1,
            lang,
        )
        for r in needed
    ]
    short = tuple(reason for reason in reasons if reason.cause not in ("beds", "improvable"))
    if not essentials and len(short) < len(reasons):
        short = ()  # someone free could come: not the instance's fault, see below
    facts = _cancelled_facts(ctx, camp, essentials, needed, short)
    why, fix = WORDS[lang].camp(facts)
    return CampReason(camp, facts.cause, why, fix, short, facts)


def _cancelled_facts(
    ctx: Context, camp: int, essentials: list[int], needed: list[int], short: tuple[SlotReason, ...]
) -> CampFacts:
    """The cause of a cancelled camp, with its facts: its short roles, beds, or shared people."""
    p = ctx.problem
    if short:
        cause = "essential" if essentials else "nobody"
        facts = tuple(s.facts for s in short if s.facts is not None)
        return evidence.short_roles(p, camp, cause, [s.requirement for s in short], facts)
    total = sum(int(p.requirement_count[r]) for r in needed)
    if essentials and beds_left(p, camp, total) < 0:
        return evidence.too_few_beds(p, camp, total)
    matched = _max_matching(ctx, camp, needed) if essentials else total
    if matched < total:
        pool = np.unique(np.concatenate([ctx.others(r)[0][~ctx.others(r)[1]] for r in needed]))
        return evidence.shared(p, camp, needed, total, matched, pool)
    return evidence.camp_improvable(p, camp, ctx.status, bool(essentials))


def _max_matching(ctx: Context, camp: int, requirements: list[int]) -> int:
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


def slot_of_cancelled(reason: CampReason, lang: str = "en") -> tuple[str, str]:
    """(why, fix) in ``lang`` of an empty slot of the cancelled camp of ``reason`` that
    is none of its short roles (any other role, or an essential one that people could
    fill): nobody serves in a camp that does not run, so it fills when the camp runs,
    and what would run the camp is its fix."""
    words = WORDS[lang]
    why = words.say(VIEWS[lang]["slot_of_cancelled"], {"cause": words.causes[reason.cause]})
    return why, reason.fix


# ------------------------------------------------------------------------ entry points


def explain_roster(
    problem: Problem, assigned: np.ndarray, status: str = "optimal", lang: str = "en"
) -> Explanation:
    """Reasons for every unfilled slot of a running camp and every cancelled camp, in
    ``lang`` (a key of ``explain.languages.WORDS``: "fa" or "en")."""
    ctx = Context(problem, np.asarray(assigned, dtype=np.int64), status)
    slots = tuple(
        explain_requirement(ctx, slot.requirement, slot.missing, lang=lang)
        for slot in unfilled_slots(problem, ctx.assigned)
    )
    running = camps_run(problem, ctx.assigned)
    cancelled = tuple(explain_cancelled(ctx, int(c), lang) for c in np.flatnonzero(~running))
    return Explanation(slots, cancelled, lang)


def explain_camps(
    problem: Problem,
    assigned: np.ndarray,
    camps: list[int],
    status: str = "optimal",
    lang: str = "en",
) -> Explanation:
    """:func:`explain_roster` for these camps only: what a summary of the camps that
    lose most says when the whole season's reasons were not worked out (ten camps take
    a fraction of a second where the season's 1,200 take minutes)."""
    ctx = Context(problem, np.asarray(assigned, dtype=np.int64), status)
    slots: list[SlotReason] = []
    cancelled: list[CampReason] = []
    for camp in camps:
        camp_slots, reason = explain_camp(ctx, camp, lang)
        slots += camp_slots
        if reason is not None:
            cancelled.append(reason)
    return Explanation(tuple(slots), tuple(cancelled), lang)


def explain_camp(
    ctx: Context, camp: int, lang: str = "en"
) -> tuple[tuple[SlotReason, ...], CampReason | None]:
    """One camp's part of :func:`explain_roster`, in ``lang``: the reasons for its empty
    slots if it runs, else why it is cancelled. The same reasons, worked out for this
    camp alone (a page shows one camp; the season's 1,200 need not be explained first)."""
    p = ctx.problem
    if ctx.people[camp] == 0:
        return (), explain_cancelled(ctx, camp, lang)
    first, last = int(p.camp_requirements[camp]), int(p.camp_requirements[camp + 1])
    missing = slots_left(p, np.arange(first, last), ctx.filled[first:last])
    slots = tuple(
        explain_requirement(ctx, first + k, int(missing[k]), lang=lang)
        for k in np.flatnonzero(missing > 0)
    )
    return slots, None


def wanted_for(
    problem: Problem, assigned: np.ndarray, explanation: Explanation, volunteer: int
) -> list[tuple[SlotReason, list[Busy]]]:
    """The empty slots ``volunteer`` could have filled, each with the assignments that kept
    them away (their camps elsewhere, H3/H4/H5)."""
    ctx = Context(problem, np.asarray(assigned, dtype=np.int64))
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
