"""Replacement suggestions for a volunteer who drops out of a published roster, and
candidates for the empty slots of a roster.

For each slot, every other candidate for it is a possible replacement, and each
suggestion's effect on coverage is worked out with every roster rule of
:mod:`campplanner.model.rules`: one who is free (their conflict window meets none of
their camps, below their camp limit) simply takes the slot; one who is busy would have
to leave a camp of their own, which empties a slot there (and cancels that camp if the
slot was essential and nobody else holds it). When the slot's requirement or the camp
has no room left (slots or beds), someone in the camp must give their place up for the
newcomer: the suggestion names them (``displaces``) and counts what the camp loses. A
suggestion never moves a locked person. Suggestions are ranked by their net effect on
coverage, then by how many people and camps they touch, then by the km they add.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from campplanner.contract.schema import ForbiddenPair, Instance
from campplanner.model.baseline import Triple, baseline_from_triples
from campplanner.model.compile import compile_instance
from campplanner.model.problem import Problem
from campplanner.model.rules import (
    beds_left,
    camps_conflict,
    camps_left,
    essential_requirements,
    essentials_missing,
    slots_left,
)
from campplanner.model.terms import coverage
from campplanner.solver import SolveOptions, make_solver
from campplanner.solver.result import Result
from campplanner.whatif.diff import RosterDiff, diff_rosters, roster_triples


@dataclass(frozen=True)
class Suggestion:
    camp: int
    requirement: int
    volunteer: int
    km: float
    # net, against the roster with the slot left empty: the newcomer's slot, less what
    # every departure below costs (a camp that loses an essential role runs no more)
    coverage_change: int
    leaves: tuple[int, ...] = ()  # candidate indices the replacement must give up
    cancels: tuple[int, ...] = ()  # camps cancelled because an essential slot empties
    # candidate indices of people in this camp who give their place up to make room for
    # the newcomer: no slot of the requirement or no bed of the camp is left (H6)
    displaces: tuple[int, ...] = ()

    @property
    def camps_touched(self) -> int:
        return len(self.leaves) + len(self.displaces)


@dataclass(frozen=True)
class Dropout:
    """What the dropout costs if nobody replaces them, and the ranked suggestions."""

    volunteer: int
    slots: list[int]  # candidate indices the volunteer held
    loss_if_unreplaced: int
    cancelled_if_unreplaced: list[int]
    suggestions: dict[int, list[Suggestion]] = field(default_factory=dict)  # by slot
    # by slot: people who could fill it only by moving a locked person or cancelling
    # a camp that holds one
    blocked_by_locks: dict[int, int] = field(default_factory=dict)

    def as_dict(self, problem: Problem) -> dict[str, Any]:
        """JSON-ready, with ids (``replace --json``)."""
        ids = problem.camp_ids
        return {
            "volunteer": problem.volunteer_ids[self.volunteer],
            "loss_if_unreplaced": self.loss_if_unreplaced,
            "cancelled_if_unreplaced": [ids[c] for c in self.cancelled_if_unreplaced],
            "slots": [
                {
                    "camp": ids[problem.candidate_camp[slot]],
                    "skill": problem.skill_ids[problem.candidate_skill[slot]],
                    "suggestions": [
                        {
                            "volunteer": problem.volunteer_ids[s.volunteer],
                            "km": round(s.km, 1),
                            "coverage_change": s.coverage_change,
                            "leaves": [ids[problem.candidate_camp[i]] for i in s.leaves],
                            "cancels": [ids[c] for c in s.cancels],
                            "displaces": [
                                {
                                    "volunteer": problem.volunteer_ids[
                                        problem.candidate_volunteer[i]
                                    ],
                                    "skill": problem.skill_ids[problem.candidate_skill[i]],
                                }
                                for i in s.displaces
                            ],
                        }
                        for s in self.suggestions[slot]
                    ],
                }
                for slot in self.slots
            ],
        }


class _Camps:
    """Members per camp, and a camp's coverage under H9 (0 if an essential role is short)."""

    def __init__(self, problem: Problem, roster: set[int]):
        self.problem = problem
        self.members: dict[int, set[int]] = {}
        for i in roster:
            self.members.setdefault(int(problem.candidate_camp[i]), set()).add(i)

        # camp -> (members per requirement, coverage of the members), the camp's
        # essential requirements, and whether a state of them leaves the camp short
        # (H9): a change is then a few additions instead of a pass over the whole team,
        # for each of thousands of candidates.
        self._filled: dict[int, tuple[dict[int, int], int]] = {}
        self._essential: dict[int, list[int]] = {}
        self._short: dict[tuple[int, tuple[int, ...]], bool] = {}

    def _state(self, camp: int) -> tuple[dict[int, int], int]:
        if camp not in self._filled:
            problem = self.problem
            filled: dict[int, int] = {}
            for i in self.members.get(camp, ()):
                r = int(problem.candidate_requirement[i])
                filled[r] = filled.get(r, 0) + 1
            total = coverage(problem, list(self.members.get(camp, ())))
            self._filled[camp] = (filled, total)
        return self._filled[camp]

    def _value(self, camp: int, filled: dict[int, int], total: int) -> int:
        if camp not in self._essential:
            self._essential[camp] = essential_requirements(self.problem, camp)
        essentials = self._essential[camp]
        if not essentials:
            return total
        # H9, asked once per state of the camp's essential roles: thousands of
        # candidates leave the same few camps
        taken = tuple(filled.get(r, 0) for r in essentials)
        key = (camp, taken)
        if key not in self._short:
            missing = essentials_missing(self.problem, np.array(essentials), np.array(taken))
            self._short[key] = bool(missing.any())
        return 0 if self._short[key] else total

    def people(self, camp: int) -> int:
        """People in ``camp`` (the beds they take, H6)."""
        return len(self.members.get(camp, ()))

    def filled(self, requirement: int) -> int:
        """Slots of ``requirement`` taken (H6)."""
        camp = int(self.problem.requirement_camp[requirement])
        return self._state(camp)[0].get(requirement, 0)

    def change(self, camp: int, added: set[int], removed: set[int]) -> tuple[int, bool]:
        """Coverage change of ``camp``, and whether the change cancels it."""
        problem = self.problem
        now = self.members.get(camp, set())
        filled, total = self._state(camp)
        before = self._value(camp, filled, total)
        leaving = removed & now
        joining = added - (now - removed)
        after_filled = dict(filled)
        for i in leaving:
            r = int(problem.candidate_requirement[i])
            after_filled[r] -= 1
            total -= int(problem.candidate_value[i])
        for i in joining:
            r = int(problem.candidate_requirement[i])
            after_filled[r] = after_filled.get(r, 0) + 1
            total += int(problem.candidate_value[i])
        after = self._value(camp, after_filled, total)
        return after - before, before > 0 and after == 0


def suggest_replacements(
    problem: Problem, roster: np.ndarray, volunteer: int, camp: int | None = None, limit: int = 10
) -> Dropout:
    """Who could take ``volunteer``'s slots in ``roster`` (only in ``camp`` if given)."""
    current = {int(i) for i in roster}
    held = [
        i
        for i in sorted(current)
        if problem.candidate_volunteer[i] == volunteer
        and (camp is None or problem.candidate_camp[i] == camp)
    ]
    camps_before = _Camps(problem, current)
    loss = 0
    cancelled = []
    for c in sorted({int(problem.candidate_camp[i]) for i in held}):
        change, cancels = camps_before.change(c, set(), set(held))
        loss -= change
        if cancels:
            cancelled.append(c)
    dropout = Dropout(volunteer, held, loss, cancelled)

    without = current - set(held)
    camps = _Camps(problem, without)
    by_volunteer: dict[int, list[int]] = {}
    for i in without:
        by_volunteer.setdefault(int(problem.candidate_volunteer[i]), []).append(i)
    for slot in held:
        options, blocked = _ranked(
            problem, camps, by_volunteer, int(problem.candidate_requirement[slot]), volunteer, limit
        )
        dropout.suggestions[slot] = options
        if blocked:
            dropout.blocked_by_locks[slot] = blocked
    return dropout


class EmptySlots:
    """Who could take an empty slot of a requirement in ``roster``, ranked like
    :func:`suggest_replacements`. Built once per roster (a web page asks again and
    again); :meth:`suggest` also says how many more could only by moving a locked person.
    """

    def __init__(self, problem: Problem, roster: np.ndarray):
        self.problem = problem
        current = {int(i) for i in roster}
        self.by_volunteer: dict[int, list[int]] = {}
        for i in current:
            self.by_volunteer.setdefault(int(problem.candidate_volunteer[i]), []).append(i)
        self.camps = _Camps(problem, current)
        self._elsewhere: dict[int, Suggestion | None] = {}
        self._joining: dict[int, _Joining | None] = {}  # by requirement, this roster's

    def suggest(self, requirement: int, limit: int = 10) -> tuple[list[Suggestion], int]:
        return _ranked(self.problem, self.camps, self.by_volunteer, requirement, None, limit)

    def elsewhere(self, leaving: int) -> Suggestion | None:
        """The best place for the volunteer of ``leaving`` (a candidate of the roster)
        once they give it up: another camp's empty slot they simply take (no one else
        moves, no camp of theirs left), raising coverage most; None when there is none.
        Kept: a late volunteer's fit asks it of the same members again and again."""
        if leaving not in self._elsewhere:
            self._elsewhere[leaving] = self._best_elsewhere(leaving)
        return self._elsewhere[leaving]

    def _best_elsewhere(self, leaving: int) -> Suggestion | None:
        p = self.problem
        volunteer = int(p.candidate_volunteer[leaving])
        given_up = int(p.candidate_camp[leaving])
        mine = [i for i in self.by_volunteer.get(volunteer, []) if i != leaving]
        held = {int(p.candidate_camp[i]) for i in mine}
        locked = {int(i) for i in p.locked_candidates}
        pointer = p.volunteer_candidates
        best = None
        for k in range(int(pointer[volunteer]), int(pointer[volunteer + 1])):
            target = int(p.candidate_camp[k])
            if target == given_up or target in held:
                continue
            requirement = int(p.candidate_requirement[k])
            if (
                slots_left(p, requirement, self.camps.filled(requirement)) <= 0
                or beds_left(p, target, self.camps.people(target)) <= 0
            ):
                continue  # no empty slot and bed there: someone else would have to move
            option = _suggestion(p, self.camps, mine, k, target, locked, self._joining)
            if option is None or option.leaves or option.displaces or option.coverage_change <= 0:
                continue
            if best is None or (option.coverage_change, -option.km) > (
                best.coverage_change,
                -best.km,
            ):
                best = option
        return best

    def suggest_for(self, requirement: int, volunteer: int) -> Suggestion | None:
        """What ``volunteer`` taking one more slot of ``requirement`` changes (every
        roster rule counted, as :meth:`suggest` ranks it); None when they cannot without
        moving a locked person, or are in that camp already (H3)."""
        p = self.problem
        candidate = p.candidate_index(volunteer, requirement)
        if candidate is None:
            return None
        target = int(p.requirement_camp[requirement])
        mine = self.by_volunteer.get(volunteer, [])
        if any(p.candidate_camp[i] == target for i in mine):
            return None
        locked = {int(i) for i in p.locked_candidates}
        option = _suggestion(p, self.camps, mine, candidate, target, locked, {})
        if option is None or _breaks_a_lock(p, self.camps, option, locked):
            return None
        return option


def _ranked(
    problem: Problem,
    camps: _Camps,
    by_volunteer: dict[int, list[int]],
    requirement: int,
    leaving: int | None,
    limit: int,
) -> tuple[list[Suggestion], int]:
    """The ``limit`` best candidates for one slot of ``requirement``, and the number
    blocked by locks."""
    locked = {int(i) for i in problem.locked_candidates}
    pointer, order = problem.requirement_candidates
    target = int(problem.requirement_camp[requirement])
    options, blocked = [], 0
    # What a newcomer to this requirement changes in its camp (the slot they fill, and
    # who gives their place up when no slot or bed is left) is the same whoever they
    # are: worked out once, not for each of the thousands free for a plentiful skill.
    joining: dict[int, _Joining | None] = {}
    for k in order[pointer[requirement] : pointer[requirement + 1]]:
        other = int(problem.candidate_volunteer[k])
        mine = by_volunteer.get(other, [])
        if other == leaving or any(problem.candidate_camp[i] == target for i in mine):
            continue  # the dropout, or someone already in this camp (H3)
        option = _suggestion(problem, camps, mine, int(k), target, locked, joining)
        if option is None:  # no room unless a locked person leaves
            blocked += int(joining[requirement] is None and _locked_in(camps, target, locked))
        elif _breaks_a_lock(problem, camps, option, locked):
            blocked += 1
        else:
            options.append(option)
    options.sort(key=lambda s: (-s.coverage_change, s.camps_touched, s.km, s.volunteer))
    return options[:limit], blocked


@dataclass(frozen=True)
class _Joining:
    """A newcomer's effect on the camp they join: its coverage change (H9 included),
    whether that cancels it, and who gives their place up to make room (H6)."""

    change: int
    cancelled: bool
    displaces: tuple[int, ...]


def _joining(
    problem: Problem, camps: _Camps, candidate: int, target: int, locked: set[int]
) -> _Joining | None:
    """What ``candidate`` joining ``target`` does there; None when there is no room and
    nobody but locked people could give theirs up."""
    requirement = int(problem.candidate_requirement[candidate])
    slots = slots_left(problem, requirement, camps.filled(requirement))
    beds = beds_left(problem, target, camps.people(target))
    if slots > 0 and beds > 0:
        return _Joining(*camps.change(target, {candidate}, set()), ())
    members = camps.members.get(target, set())
    if slots <= 0:  # the newcomer takes a slot of this requirement: one of its holders goes
        members = {i for i in members if problem.candidate_requirement[i] == requirement}
    movable = sorted(members - locked)
    if not movable:
        return None
    # the departure that costs the camp least (an essential role's only holder would
    # cancel it, H9), then the one who travels farthest, then the lowest index
    effects = {i: camps.change(target, {candidate}, {i}) for i in movable}
    best = min(movable, key=lambda i: (-effects[i][0], -float(problem.candidate_km[i]), i))
    return _Joining(*effects[best], (best,))


def _locked_in(camps: _Camps, camp: int, locked: set[int]) -> bool:
    return bool(locked.intersection(camps.members.get(camp, ())))


def _suggestion(
    problem: Problem,
    camps: _Camps,
    mine: list[int],
    candidate: int,
    target: int,
    locked: set[int],
    joining: dict[int, _Joining | None],
) -> Suggestion | None:
    """The effect of ``candidate`` (a volunteer for the empty slot) taking it, every
    roster rule counted; None when the camp has no room for them unless a locked person
    leaves. ``joining`` keeps the effect on the camp itself, per requirement."""
    other = int(problem.candidate_volunteer[candidate])
    leaves = [i for i in mine if _clashes(problem, int(problem.candidate_camp[i]), target)]
    if camps_left(problem, other, len(mine) - len(leaves)) <= 0:
        # At the camp limit: give up the camp worth least to coverage, then the farthest.
        def worth(i: int) -> tuple[int, float]:
            return int(problem.candidate_value[i]), -float(problem.candidate_km[i])

        spare = sorted((i for i in mine if i not in leaves), key=worth)
        leaves.append(spare[0])
    requirement = int(problem.candidate_requirement[candidate])
    if requirement not in joining:
        joining[requirement] = _joining(problem, camps, candidate, target, locked)
    here = joining[requirement]
    if here is None:
        return None
    change = here.change
    cancels = [target] if here.cancelled else []
    for c in sorted({int(problem.candidate_camp[i]) for i in leaves} - {target}):
        lost, cancelled = camps.change(c, set(), set(leaves))
        change += lost
        if cancelled:
            cancels.append(c)
    return Suggestion(
        camp=target,
        requirement=requirement,
        volunteer=other,
        km=float(problem.candidate_km[candidate]),
        coverage_change=change,
        leaves=tuple(leaves),
        cancels=tuple(cancels),
        displaces=here.displaces,
    )


def _breaks_a_lock(problem: Problem, camps: _Camps, option: Suggestion, locked: set[int]) -> bool:
    """A suggestion may not move a locked person nor cancel a camp holding one."""
    if locked.intersection(option.leaves) or locked.intersection(option.displaces):
        return True
    return any(_locked_in(camps, c, locked) for c in option.cancels)


def _clashes(problem: Problem, camp_a: int, camp_b: int) -> bool:
    """Same camp (H3) or overlapping / too little rest (H4)."""
    return camps_conflict(problem, camp_a, camp_b)


@dataclass(frozen=True)
class Replan:
    """The best whole re-plan once the volunteer is out of the camps they leave."""

    result: Result
    diff: RosterDiff
    published_coverage: int


def replan_without(
    instance: Instance,
    published: list[Triple],
    cancelled: list[str] | None,
    dropout: Dropout,
    problem: Problem,
    options: SolveOptions,
) -> Replan:
    """Re-plan without the volunteer in the camps they drop out of.

    The dropout is out of the plan, not free to go elsewhere: they are forbidden (and
    unlocked) in those camps and may join no camp they do not already hold, so the best
    re-plan never moves them to another camp. Their leaving is what happened, not a
    change the re-plan makes: the changes (and whom to call) are counted against the
    published roster without their dropped slots. The instance's weights and
    ``options.weights`` apply, as in ``solve``; the secondary stage gets at most a
    quarter of the time limit.
    """
    who = problem.volunteer_ids[dropout.volunteer]
    dropped = {problem.camp_ids[problem.candidate_camp[i]] for i in dropout.slots}
    locked = [e for e in instance.locked if not (e.volunteer == who and e.camp in dropped)]
    kept_camps = {camp for v, camp, _ in published if v == who} - dropped
    kept_camps |= {e.camp for e in locked if e.volunteer == who}
    already = {(f.volunteer, f.camp) for f in instance.forbidden}
    barred = [c for c in problem.camp_ids if c not in kept_camps and (who, c) not in already]
    edited = instance.model_copy(
        update={
            "forbidden": [
                *instance.forbidden,
                *(ForbiddenPair(volunteer=who, camp=camp) for camp in barred),
            ],
            "locked": locked,
        }
    )
    new_problem = compile_instance(edited)
    remaining = [t for t in published if not (t[0] == who and t[1] in dropped)]
    baseline = baseline_from_triples(new_problem, remaining, cancelled)
    if options.secondary_time is None and options.work_limit is None:  # on work: no clock
        options = replace(options, secondary_time=min(5.0, options.time_limit / 4))
    result = make_solver(new_problem, options, baseline=baseline).solve()
    diff = diff_rosters(remaining, roster_triples(new_problem, result.assigned))
    kept = baseline_from_triples(problem, published).kept
    return Replan(result, diff, coverage(problem, kept))
