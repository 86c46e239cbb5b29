"""A published roster seen through a (possibly edited) instance.

Once a roster is published people have been called; re-planning keeps as much of it as
possible. :class:`Baseline` holds the published assignments that are still candidates
and those that no longer can be (the volunteer left, is away, the camp moved or lost the
slot...), each with the rule that now rules it out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np

from campplanner.contract.why import Why
from campplanner.model.problem import Problem
from campplanner.model.problem import frozen as frozen_array
from campplanner.model.rules import (
    candidate_failure,
    enforce_essentials,
    essential_mask,
    essentials_missing,
)
from campplanner.model.state import RosterState

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
            dropped.append((triple, Why("gone_volunteer", who=volunteer_id)))
            continue
        if c is None:
            dropped.append((triple, Why("gone_camp", camp=camp_id)))
            continue
        requirement = problem.requirement_index.get((c, s)) if s is not None else None
        if requirement is None:
            dropped.append((triple, Why("not_asked", camp=camp_id, skill=skill_id)))
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


# A frozen or confirmed assignment that is not one of the file's locks: its place in
# ``Problem.locked_file_index`` (the lock conflicts name such a lock by its triple).
NOT_IN_FILE = -1


@dataclass(frozen=True)
class Freeze:
    """What ``solve --freeze-until`` kept, and what it could not keep.

    ``camps`` are the camps that have started or start before the date: their teams are
    the published ones, locked, and nobody else is a candidate for them. ``confirmed``
    are the published assignments volunteers confirmed (of camps not frozen): their
    volunteers are offered no other role but their published ones and *essential* roles
    elsewhere, so a re-plan (coverage first, then the fewest changes) drops a confirmed
    assignment only to run a camp that would not run otherwise. ``lost`` names the
    published assignments of frozen camps (and confirmed ones) that no longer hold
    whatever the roster, with the rule that rules each out; a frozen camp whose
    essentials they were cannot run, and is left out of the locks (``cannot_run``).
    """

    until: int  # day ordinal: camps starting before it are frozen
    camps: tuple[int, ...]
    confirmed: tuple[Triple, ...]
    lost: tuple[tuple[Triple, str], ...] = ()
    cannot_run: tuple[int, ...] = ()


def freeze(
    problem: Problem,
    triples: Iterable[Triple],
    until: int,
    confirmed: Iterable[Triple] = (),
) -> tuple[Problem, Freeze]:
    """The problem in which only the future moves (``solve --freeze-until``).

    Candidates of a frozen camp (``camp_start < until``) are its published assignments
    alone, all locked (no one added, no one removed); a confirmed assignment's volunteer
    is a candidate elsewhere only for essential roles or where the published roster has
    them (so that leaving it pays only when it runs a camp; see :class:`Freeze`).
    The file's locks stay locks. Ids are unchanged; candidate indices are new.
    """
    triples = list(triples)
    published = baseline_from_triples(problem, triples)
    p = problem
    frozen_camp = p.camp_start < until
    kept_camp = p.candidate_camp[published.kept]
    frozen_kept = published.kept[frozen_camp[kept_camp]]
    lost = [(t, why) for t, why in published.dropped if _frozen(p, t, frozen_camp)]

    # A frozen camp that has lost part of its essential team cannot run: lock nobody there.
    filled = np.bincount(p.candidate_requirement[frozen_kept], minlength=p.num_requirements)
    short = essentials_missing(p, np.arange(p.num_requirements), filled) > 0
    cannot_run = np.zeros(p.num_camps, dtype=bool)
    cannot_run[p.requirement_camp[short]] = True
    cannot_run &= frozen_camp
    frozen_locks = frozen_kept[~cannot_run[p.candidate_camp[frozen_kept]]]

    confirmed_set = set(confirmed)
    confirmed_locks: list[int] = []
    confirmed_kept: list[Triple] = []
    for triple in dict.fromkeys(confirmed_set & set(triples)):
        c = p.camp_index.get(triple[1])
        if c is None or frozen_camp[c]:
            continue  # a frozen camp's team is kept anyway
        found = baseline_from_triples(p, [triple])
        if len(found.kept):
            confirmed_locks.append(int(found.kept[0]))
            confirmed_kept.append(triple)
        else:
            lost += list(found.dropped)

    keep = ~frozen_camp[p.candidate_camp]
    keep[frozen_kept] = True
    if confirmed_locks:
        held = np.zeros(p.num_volunteers, dtype=bool)
        held[p.candidate_volunteer[confirmed_locks]] = True
        elsewhere = held[p.candidate_volunteer] & ~essential_mask(p)[p.candidate_requirement]
        keep &= ~elsewhere
        keep[published.kept[~frozen_camp[kept_camp]]] = True  # their published roles
        keep[confirmed_locks] = True
    keep[p.locked_candidates] = True  # a planner's lock wins over the freeze
    candidates = np.flatnonzero(keep)
    restricted = p.restricted(candidates)
    extra = np.setdiff1d(frozen_locks, p.locked_candidates)
    position = np.searchsorted(candidates, extra).astype(np.int64)
    locks = np.concatenate([restricted.locked_candidates, position])
    file_index = restricted.locked_file_index
    if len(file_index) == len(restricted.locked_candidates):
        file_index = np.concatenate([file_index, np.full(len(position), NOT_IN_FILE)])
    order = np.argsort(locks, kind="stable")
    restricted = replace(
        restricted,
        locked_candidates=frozen_array(locks[order]),
        locked_file_index=frozen_array(np.asarray(file_index)[order])
        if len(file_index) == len(locks)
        else file_index,
    )
    report = Freeze(
        until,
        tuple(np.flatnonzero(frozen_camp).tolist()),
        tuple(confirmed_kept),
        tuple(lost),
        tuple(np.flatnonzero(cannot_run).tolist()),
    )
    return restricted, report


def _frozen(problem: Problem, triple: Triple, frozen_camp: np.ndarray) -> bool:
    c = problem.camp_index.get(triple[1])
    return c is not None and bool(frozen_camp[c])


def plain_refill(problem: Problem, baseline: Baseline) -> np.ndarray:
    """The simplest re-plan, the yardstick a re-plan's changes are held to
    (``bench_robust.py``, tests/test_replan.py): the published roster's kept assignments,
    each vacated slot refilled by the first free qualified volunteer in candidate order,
    then the camps short of an essential role cancelled. The roster (candidate indices)."""
    state = RosterState(problem, np.ones(problem.num_camps, dtype=bool))
    state.add(baseline.kept)
    pointer, order = problem.requirement_candidates
    for (_, camp_id, skill_id), _ in baseline.dropped:
        c, s = problem.camp_index.get(camp_id), problem.skill_index.get(skill_id)
        r = problem.requirement_index.get((c, s)) if c is not None and s is not None else None
        if r is None or state.slots_left[r] <= 0 or state.beds_left[c] <= 0:
            continue
        candidates = order[pointer[r] : pointer[r + 1]]
        candidates = candidates[~state.assigned[candidates]]
        free = candidates[state.free(candidates, c)]
        if len(free):
            state.add(free[:1])
    return enforce_essentials(problem, state.roster)
