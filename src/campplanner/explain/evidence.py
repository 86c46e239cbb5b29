"""The evidence behind each reason, worked out once for every language.

:mod:`campplanner.explain.words` (English) and :mod:`campplanner.explain.words_fa`
(Persian) put the same facts into sentences. Which facts they are (who fails the
filter, who is nearest to travelling that far, where the busy people serve and why
that keeps them away, what lowering a level would give) is decided here, once, so the
languages cannot drift apart; only the wording differs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from campplanner.explain.funnel import Busy, Context, Masks, dropped, pass_all_but
from campplanner.model.problem import Problem
from campplanner.model.rules import rest_between

EVIDENCE_LIMIT = 5  # people (and camps) named per reason; the counts are always complete


@dataclass(frozen=True)
class Level:
    """People with the skill below the level asked, and what a lower level would give."""

    below: np.ndarray  # volunteers who hold the skill below the level (the funnel's drop)
    held: np.ndarray  # per volunteer, the level they hold
    would: int  # people below the level who pass every other filter
    best: int  # the highest level among them (0: nobody)


def below_level(ctx: Context, r: int, masks: Masks) -> Level:
    p = ctx.problem
    held = p.volunteer_skill_level[:, int(p.requirement_skill[r])]
    would = pass_all_but(ctx, r, "level")
    best = int(held[would].max()) if would.size else 0
    return Level(dropped(masks, "level"), held, int(would.size), best)


@dataclass(frozen=True)
class Distance:
    """People who will not travel that far, nearest to their limit first."""

    far: np.ndarray  # volunteers, ordered by how far beyond their limit the camp is
    km: np.ndarray  # per volunteer, road km to the camp
    max_km: np.ndarray  # per volunteer, how far they will travel


def too_far(ctx: Context, r: int, masks: Masks) -> Distance:
    p = ctx.problem
    km = ctx.camp_km(int(p.requirement_camp[r]))
    far = dropped(masks, "distance")
    far = far[np.argsort(km[far] - p.volunteer_max_km[far], kind="stable")]
    return Distance(far, km, p.volunteer_max_km)


def available_spans(p: Problem, v: int) -> list[tuple[int, int]]:
    """The volunteer's availability as (first, last) day ordinals (empty: no day)."""
    lo, hi = p.availability_ptr[v], p.availability_ptr[v + 1]
    return [
        (int(a), int(b))
        for a, b in zip(p.availability_start[lo:hi], p.availability_end[lo:hi], strict=True)
    ]


@dataclass(frozen=True)
class Serving:
    """One place a busy volunteer serves, and the rule that keeps them from the camp."""

    camp: int
    skill: int
    rule: str  # "H3" this camp in another role, "H4" overlap or rest days, "H5" most camps
    rest_days: int  # H4: free days between the two camps (negative: they overlap)
    max_camps: int  # H5: how many camps the volunteer may join


def serving_elsewhere(p: Problem, camp: int, busy: tuple[Busy, ...]) -> dict[int, list[Serving]]:
    """volunteer -> where they serve, in the order the roster's evidence lists them."""
    seen: dict[int, list[Serving]] = {}
    for b in busy:
        gap = rest_between(p, camp, b.camp) if b.rule == "H4" else 0
        seen.setdefault(b.volunteer, []).append(
            Serving(b.camp, b.skill, b.rule, gap, int(p.volunteer_max_camps[b.volunteer]))
        )
    return seen


def lower_priority_camps(p: Problem, camp: int, busy: tuple[Busy, ...]) -> list[int]:
    """The camps of lower priority the busy people serve in (someone could move), at
    most EVIDENCE_LIMIT of them."""
    lower = sorted({b.camp for b in busy if p.camp_priority[b.camp] < p.camp_priority[camp]})
    return lower[:EVIDENCE_LIMIT]
