"""The counting bound: no roster fills more slots than can be filled at all.

Every method's proven bound is at most this (a planner reads "697 of 697 slots, proven"
where a relaxation alone said 1,424): per camp that can run at all
(:func:`~campplanner.model.rules.runnable_camps`), the slots it can fill are at most

- per requirement, its count and its candidates who may serve (``max_camps`` > 0):
  ``min(count_r, |K_r|)``;
- its beds, and the distinct volunteers among its candidates (H3: one role each);

each weighted by the camp's priority. A camp with no beds (masked) fills nothing.
Counting needs no search: milliseconds on a season, exact on every instance.
"""

from __future__ import annotations

import numpy as np

from campplanner.model.problem import Problem
from campplanner.model.rules import runnable_camps


def counting_bound(problem: Problem) -> int:
    """An upper bound on coverage by counting slots, candidates, beds and people."""
    per_camp, _ = fillable_slots(problem)
    return int((per_camp * problem.camp_priority).sum())


def fillable_slots(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    """(per camp: the slots it can fill at most; per requirement: the same, or -1 where
    the camp's beds or people bind first). A roster whose coverage is the counting bound
    fills exactly these in every camp, and in every requirement not marked -1: the
    constraints that let CP-SAT find such a roster as fast as a model that requires it
    (cpsat.py's probe)."""
    p = problem
    if p.num_camps == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(p.num_requirements, dtype=np.int64)
    serving = p.volunteer_max_camps[p.candidate_volunteer] > 0
    candidates = np.bincount(p.candidate_requirement[serving], minlength=p.num_requirements).astype(
        np.int64
    )
    fillable = np.minimum(p.requirement_count.astype(np.int64), candidates)
    asked = np.bincount(p.requirement_camp, weights=fillable, minlength=p.num_camps).astype(
        np.int64
    )
    per_camp = np.minimum(asked, p.camp_capacity.astype(np.int64))
    per_camp = np.minimum(per_camp, _people_per_camp(p, serving))
    per_camp[~runnable_camps(p)] = 0
    per_camp = np.maximum(per_camp, 0)
    exact = per_camp[p.requirement_camp] == asked[p.requirement_camp]
    per_requirement = np.where(exact, fillable, -1)
    return per_camp, per_requirement


def _people_per_camp(problem: Problem, serving: np.ndarray) -> np.ndarray:
    """Distinct volunteers among each camp's candidates who may serve."""
    p = problem
    volunteer = p.candidate_volunteer[serving].astype(np.int64)
    camp = p.candidate_camp[serving].astype(np.int64)
    key = volunteer * p.num_camps + camp
    if len(key) > 1 and not bool((np.diff(key) >= 0).all()):
        key = np.sort(key)  # compiled problems are sorted already; restricted ones may not be
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    return np.bincount(key[first] % p.num_camps, minlength=p.num_camps)
