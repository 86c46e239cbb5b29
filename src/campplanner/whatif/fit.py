"""Recommended fit, both ways: the best camps for a volunteer who registers late, and
the best volunteers for one slot (``campplanner fit``, the camp page, the API).

Both rank with the replacement rankings of :mod:`campplanner.whatif.replace`, so every
roster rule is counted the one way (the slot and the beds left, H6; the essentials of
the camp, H9, which a newcomer can complete or a departure break; conflicts and the
camp limit, H3 to H5, for someone who must leave a camp of their own; no locked person
moved): each option's coverage change is net, and names whoever must give their place up
(``displaces``), leave a camp (``leaves``) or whose camp is cancelled (``cancels``). The
score change is the weighted secondary cost of the roster after the change less before
(smaller is better: travel, groups apart, unfair load; ``model.terms``), worked out for
the options shown. Why the volunteer cannot serve the other camps is the first filter of
``explain``'s funnel they fail (the same order ``explain`` asks about an empty slot).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from campplanner.explain.funnel import FUNNEL, Context
from campplanner.model.problem import Problem, frozen
from campplanner.model.rules import slots_left
from campplanner.model.terms import problem_weights, secondary_terms
from campplanner.whatif.replace import EmptySlots, Suggestion

# Why a camp is out of the question for one volunteer, beyond the funnel's filters.
NO_ROOM = "no_room"  # every slot of their skills and every bed is held by locked people
FULL = "full"  # their roles there are full: they would only take someone's place
NO_GAIN = "no_gain"  # they could join, but coverage would not rise (e.g. the camp cannot
# run without essential roles they do not fill)
WHY_NOT = (*FUNNEL, NO_ROOM, FULL, NO_GAIN)


@dataclass(frozen=True)
class Option:
    """One way to use a volunteer: a slot, and what taking it changes."""

    suggestion: Suggestion
    score_change: float  # weighted secondary cost after less before (smaller is better)
    # the slot (a candidate index) the one who gives their place up moves to, when the
    # newcomer helps only that way: they take it, and the newcomer takes their place
    moved_to: int | None = None


@dataclass(frozen=True)
class Fit:
    """A ranking: the options, best first, and (for a volunteer) the camps ruled out."""

    options: list[Option]
    not_possible: dict[int, str]  # camp -> a key of WHY_NOT (for a volunteer's fit)
    blocked_by_locks: int = 0  # (for a slot) people who could come only by moving a lock

    def as_dict(self, problem: Problem, why_words: dict[str, str]) -> dict[str, Any]:
        """JSON-ready, with ids, and each reason in words (``why_words``: key -> text)."""
        p = problem
        return {
            "options": [_option_dict(p, option) for option in self.options],
            "not_possible": [
                {"camp": p.camp_ids[c], "cause": cause, "why": why_words.get(cause, cause)}
                for c, cause in sorted(self.not_possible.items())
            ],
            "blocked_by_locks": self.blocked_by_locks,
        }


def _option_dict(p: Problem, option: Option) -> dict[str, Any]:
    s = option.suggestion

    def who(i: int) -> dict[str, str]:
        return {
            "volunteer": p.volunteer_ids[p.candidate_volunteer[i]],
            "camp": p.camp_ids[p.candidate_camp[i]],
            "skill": p.skill_ids[p.candidate_skill[i]],
        }

    return {
        "volunteer": p.volunteer_ids[s.volunteer],
        "camp": p.camp_ids[s.camp],
        "skill": p.skill_ids[p.requirement_skill[s.requirement]],
        "coverage_change": s.coverage_change,
        "score_change": round(option.score_change, 1),
        "km": round(s.km, 1),
        "displaces": [who(i) for i in s.displaces],
        "leaves": [who(i) for i in s.leaves],
        "cancels": [p.camp_ids[c] for c in s.cancels],
        "moves": len(s.displaces) + len(s.leaves),
        "moved_to": None if option.moved_to is None else who(option.moved_to),
    }


def _after(
    problem: Problem, roster: np.ndarray, s: Suggestion, moved_to: int | None = None
) -> np.ndarray:
    """The roster once ``s`` is taken: the newcomer in, whoever leaves or gives their
    place up out (and into ``moved_to``), and everyone out of a camp it cancels (H9)."""
    out = set(s.leaves) | set(s.displaces)
    kept = [int(i) for i in roster if int(i) not in out]
    kept = [i for i in kept if int(problem.candidate_camp[i]) not in s.cancels]
    pointer = problem.volunteer_candidates
    mine = np.arange(pointer[s.volunteer], pointer[s.volunteer + 1])
    candidate = mine[problem.candidate_requirement[mine] == s.requirement]
    added = [int(candidate[0])] + ([] if moved_to is None else [moved_to])
    return np.array(sorted([*kept, *added]), dtype=np.int64)


def _scored(
    problem: Problem,
    roster: np.ndarray,
    ranked: list[Suggestion],
    moved: dict[int, int] | None = None,
) -> list[Option]:
    """Each option with its score change; ``moved``: by camp, where the one who gives
    their place up there goes."""
    weights = problem_weights(problem)
    before = secondary_terms(problem, roster).weighted(weights)
    options = []
    for s in ranked:
        moved_to = (moved or {}).get(s.camp)
        after = secondary_terms(problem, _after(problem, roster, s, moved_to)).weighted(weights)
        options.append(Option(s, after - before, moved_to))
    return options


def _by_moving(slots: EmptySlots, candidate: int) -> tuple[Suggestion, int] | None:
    """A newcomer (``candidate``) who helps only by someone leaving: in a camp with no
    room for them, a member who could give their place up and take an empty slot
    elsewhere (every rule counted, as :meth:`EmptySlots.elsewhere`), the newcomer taking
    theirs; the best such pair when it raises coverage, with the member's new slot."""
    p = slots.problem
    requirement = int(p.candidate_requirement[candidate])
    target = int(p.requirement_camp[requirement])
    members = slots.camps.members.get(target, set())
    if slots_left(p, requirement, slots.camps.filled(requirement)) <= 0:
        members = {i for i in members if p.candidate_requirement[i] == requirement}
    locked = {int(i) for i in p.locked_candidates}
    best: tuple[int, Suggestion, int] | None = None
    for member in sorted(members - locked):
        here, cancels = slots.camps.change(target, {candidate}, {member})
        if cancels:
            continue
        away = slots.elsewhere(member)
        if away is None or here + away.coverage_change <= 0:
            continue
        total = here + away.coverage_change
        if best is None or total > best[0]:
            moved_to = p.candidate_index(away.volunteer, away.requirement)
            option = Suggestion(
                camp=target,
                requirement=requirement,
                volunteer=int(p.candidate_volunteer[candidate]),
                km=float(p.candidate_km[candidate]),
                coverage_change=total,
                displaces=(member,),
            )
            best = (total, option, int(moved_to))  # type: ignore[arg-type]
    return None if best is None else (best[1], best[2])


def _rank(options: list[Suggestion]) -> list[Suggestion]:
    # as the replacement rankings: coverage first, then fewest people moved, then km
    return sorted(options, key=lambda s: (-s.coverage_change, s.camps_touched, s.km, s.camp))


def fit_volunteer(problem: Problem, roster: np.ndarray, volunteer: int, limit: int = 10) -> Fit:
    """The best camps for ``volunteer`` (a late registration, on no camp of ``roster``):
    for each camp the best slot of theirs, ranked by coverage change; the camps they
    cannot serve, each with its reason."""
    p = problem
    slots = EmptySlots(p, roster)
    pointer = p.volunteer_candidates
    mine = np.arange(pointer[volunteer], pointer[volunteer + 1])
    best: dict[int, Suggestion] = {}
    moved: dict[int, int] = {}  # camp -> where the one who gives their place up goes
    room: dict[int, str] = {}  # camp -> why no option there raises coverage
    for k in mine.tolist():
        camp = int(p.candidate_camp[k])
        s = slots.suggest_for(int(p.candidate_requirement[k]), volunteer)
        if s is None:
            continue
        if room.get(camp) != NO_GAIN:
            room[camp] = FULL if s.displaces else NO_GAIN
        moved_to = None
        if s.coverage_change <= 0 and s.displaces and (chain := _by_moving(slots, k)):
            s, moved_to = chain
        if s.coverage_change > 0 and (camp not in best or _rank([s, best[camp]])[0] is s):
            best[camp] = s
            if moved_to is None:
                moved.pop(camp, None)
            else:
                moved[camp] = moved_to
    not_possible: dict[int, str] = {}
    candidate_camps = set(p.candidate_camp[mine].tolist())
    ctx = Context(p, np.asarray(roster, dtype=np.int64))
    for c in range(p.num_camps):
        if c in best:
            continue
        if c in room:
            not_possible[c] = room[c]
        elif c in candidate_camps:
            not_possible[c] = NO_ROOM
        else:
            not_possible[c] = _first_failed(ctx, c, volunteer)
    ranked = _rank(list(best.values()))[:limit]
    return Fit(_scored(p, roster, ranked, moved), not_possible)


def _first_failed(ctx: Context, camp: int, volunteer: int) -> str:
    """The first filter of the funnel ``volunteer`` fails for every role of ``camp``
    (the one that keeps them furthest down the funnel, over the camp's roles)."""
    p = ctx.problem
    deepest = -1
    for r in range(int(p.camp_requirements[camp]), int(p.camp_requirements[camp + 1])):
        masks = ctx.rule_masks(r)
        for depth, stage in enumerate(FUNNEL):
            if not masks[stage][volunteer]:
                deepest = max(deepest, depth)
                break
    return FUNNEL[deepest] if deepest >= 0 else NO_ROOM


def with_new_slot(problem: Problem, roster: np.ndarray, requirement: int) -> Problem:
    """``problem`` with one more slot of ``requirement`` when every slot of it is
    filled in ``roster`` (a new slot, not an empty one; the beds stay as they are)."""
    filled = int(np.count_nonzero(problem.candidate_requirement[roster] == requirement))
    if slots_left(problem, requirement, filled) > 0:
        return problem
    count = problem.requirement_count.copy()
    count[requirement] += 1
    return replace(problem, requirement_count=frozen(count))


def fit_slot(problem: Problem, roster: np.ndarray, requirement: int, limit: int = 10) -> Fit:
    """The best volunteers for an empty slot of ``requirement`` in ``roster`` (or a new
    one, when all are filled: see :func:`with_new_slot`, whose problem the caller
    should describe the answer with): who takes it, who has to move for it (leaving a
    camp of their own, or giving their place up here), ranked by coverage change, then
    by the people moved, then by km."""
    options, blocked = EmptySlots(problem, roster).suggest(requirement, limit)
    return Fit(_scored(problem, roster, options), {}, blocked)
