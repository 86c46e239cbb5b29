"""The objective, term by term: coverage first, then travel, group splits and fairness.

Each term is defined once here, with one name used everywhere: the key of its weight
(instance file ``weights``, ``--weight-<name>``, scenario ``set_weights``), how to
evaluate it on a roster, and how to break it down per camp and per volunteer. The
solvers express the same terms in their own form (``solver/cpsat_model.py`` keys its
CP-SAT expressions by these names, ``solver/polish.py`` its swap deltas) and tests
check that they agree.

"Best" (the contract): maximise coverage first, above everything else; among rosters of
equal coverage, minimise ``sum_t weight[t] * value[t]`` over the secondary terms.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from campplanner.model.problem import Problem

RosterValue = Callable[[Problem, np.ndarray], float]
RosterSplit = Callable[[Problem, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Term:
    """One term of the objective."""

    name: str  # the term's name everywhere, and the key of its weight
    measure: str  # the key of its value in solution files and reports ("travel_km")
    title: str
    title_fa: str
    column: str  # a table column's heading
    sense: str  # "maximise" (coverage) or "minimise" (the secondary terms)
    default_weight: float | None  # None for coverage, which is lexicographically first
    value: RosterValue
    per_camp: RosterSplit | None  # None when the term cannot be charged to one camp
    per_volunteer: RosterSplit | None  # likewise for one volunteer


# ------------------------------------------------------------------- evaluations


def coverage_value(problem: Problem, roster: np.ndarray) -> float:
    """Sum over assignments of the camp's priority."""
    return int(problem.candidate_value[roster].sum())


def coverage_per_camp(problem: Problem, roster: np.ndarray) -> np.ndarray:
    return np.bincount(
        problem.candidate_camp[roster],
        weights=problem.candidate_value[roster],
        minlength=problem.num_camps,
    ).astype(np.int64)


def coverage_per_volunteer(problem: Problem, roster: np.ndarray) -> np.ndarray:
    return np.bincount(
        problem.candidate_volunteer[roster],
        weights=problem.candidate_value[roster],
        minlength=problem.num_volunteers,
    ).astype(np.int64)


def travel_value(problem: Problem, roster: np.ndarray) -> float:
    """Road km from home to camp, summed over assignments."""
    return float(problem.candidate_km[roster].astype(np.float64).sum())


def travel_per_camp(problem: Problem, roster: np.ndarray) -> np.ndarray:
    return np.bincount(
        problem.candidate_camp[roster],
        weights=problem.candidate_km[roster].astype(np.float64),
        minlength=problem.num_camps,
    )


def travel_per_volunteer(problem: Problem, roster: np.ndarray) -> np.ndarray:
    return np.bincount(
        problem.candidate_volunteer[roster],
        weights=problem.candidate_km[roster].astype(np.float64),
        minlength=problem.num_volunteers,
    )


def _group_camps(problem: Problem, roster: np.ndarray) -> np.ndarray:
    """Distinct (group, camp) pairs of the roster, as a (2, n) array (groups only)."""
    groups = problem.volunteer_group[problem.candidate_volunteer[roster]]
    camps = problem.candidate_camp[roster]
    in_group = groups >= 0
    if not in_group.any():
        return np.zeros((2, 0), dtype=np.int64)
    return np.unique(np.stack([groups[in_group], camps[in_group]]).astype(np.int64), axis=1)


def group_value(problem: Problem, roster: np.ndarray) -> float:
    """Group splits: sum over groups of (camps the group serves in - 1)."""
    pairs = _group_camps(problem, roster)
    return int(pairs.shape[1] - len(np.unique(pairs[0]))) if pairs.size else 0


def group_split_pairs(problem: Problem, roster: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(group, camp) pairs charged a split: a group in k camps counts k - 1 splits, charged
    to the camps other than its main one (most members, then first in the file)."""
    p = problem
    groups = p.volunteer_group[p.candidate_volunteer[roster]].astype(np.int64)
    camps = p.candidate_camp[roster].astype(np.int64)
    in_group = groups >= 0
    if not in_group.any():
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    pairs, members = np.unique(
        np.stack([groups[in_group], camps[in_group]]), axis=1, return_counts=True
    )
    # main camp of each group: most members, then the lowest camp index
    order = np.lexsort((pairs[1], -members, pairs[0]))
    main = np.ones(len(order), dtype=bool)
    main[1:] = pairs[0][order][1:] != pairs[0][order][:-1]
    return pairs[0][order][~main], pairs[1][order][~main]


def group_per_camp(problem: Problem, roster: np.ndarray) -> np.ndarray:
    """Group splits charged to each camp (see :func:`group_split_pairs`)."""
    _, camps = group_split_pairs(problem, roster)
    return np.bincount(camps, minlength=problem.num_camps).astype(np.int64)


def fairness_value(problem: Problem, roster: np.ndarray) -> float:
    """Extra camps: sum over volunteers of (camps joined - 1), for those who join any."""
    return int(fairness_per_volunteer(problem, roster).sum())


def fairness_per_volunteer(problem: Problem, roster: np.ndarray) -> np.ndarray:
    joined = np.bincount(problem.candidate_volunteer[roster], minlength=problem.num_volunteers)
    return np.maximum(joined - 1, 0).astype(np.int64)


COVERAGE = Term(
    "coverage",
    "coverage",
    "coverage",
    "پوشش",
    "coverage",
    "maximise",
    None,
    coverage_value,
    coverage_per_camp,
    coverage_per_volunteer,
)
TRAVEL = Term(
    "travel",
    "travel_km",
    "total road km",
    "مجموع کیلومتر سفر",
    "km",
    "minimise",
    1.0,
    travel_value,
    travel_per_camp,
    travel_per_volunteer,
)
GROUP = Term(
    "group",
    "group_splits",
    "group splits",
    "پراکندگی گروه‌ها",
    "group splits",
    "minimise",
    50.0,
    group_value,
    group_per_camp,
    None,
)
FAIRNESS = Term(
    "fairness",
    "extra_camps",
    "extra camps (load)",
    "اردوهای اضافه",
    "extra camps",
    "minimise",
    100.0,
    fairness_value,
    None,
    fairness_per_volunteer,
)

TERMS: tuple[Term, ...] = (COVERAGE, TRAVEL, GROUP, FAIRNESS)
SECONDARY: tuple[Term, ...] = tuple(t for t in TERMS if t.default_weight is not None)
TERM_BY_NAME: dict[str, Term] = {t.name: t for t in TERMS}
DEFAULT_WEIGHTS: dict[str, float] = {t.name: float(t.default_weight) for t in SECONDARY}  # type: ignore[arg-type]
MAX_WEIGHT = 1e6


# ------------------------------------------------------------------------ weights


def resolve_weights(
    file_weights: Mapping[str, float] | None, *overrides: Mapping[str, float | None] | None
) -> dict[str, float]:
    """The weights in force: defaults < the instance file's < each override in turn.

    A scenario's ``set_weights`` edit is part of the instance it produces (so it is in
    ``file_weights``); the command line's ``--weight-<name>`` options come last. Values
    that are None are not set. Unknown names and values that are not finite numbers in
    [0, 1e6] raise ValueError.
    """
    weights = dict(DEFAULT_WEIGHTS)
    for layer in (file_weights, *overrides):
        for name, value in (layer or {}).items():
            if value is None:
                continue
            if name not in weights:
                raise ValueError(
                    f"unknown weight {name!r}: the weights are {', '.join(DEFAULT_WEIGHTS)}"
                )
            if not (
                isinstance(value, (int, float))
                and math.isfinite(value)
                and 0 <= value <= MAX_WEIGHT
            ):
                raise ValueError(f"weight {name}: {value!r} is not a number from 0 to 1e6")
            weights[name] = float(value)
    return weights


def problem_weights(
    problem: Problem, overrides: Mapping[str, float | None] | None = None
) -> dict[str, float]:
    """The weights for solving or judging ``problem``: its file's, then ``overrides``."""
    return resolve_weights(problem.weights, overrides)


# --------------------------------------------------------------- values of a roster


@dataclass(frozen=True)
class TermValues:
    """The secondary terms of one roster, by term name (smaller is better)."""

    values: Mapping[str, float]

    def __getitem__(self, name: str) -> float:
        return self.values[name]

    def weighted(self, weights: Mapping[str, float]) -> float:
        """sum_t weight[t] * value[t]; travel counts whole km, as the CP-SAT model does."""
        return sum(weights[t.name] * _as_counted(t, self.values[t.name]) for t in SECONDARY)

    def as_dict(self) -> dict[str, float | int]:
        """By each term's measure key, as solution files and reports write them."""
        return {t.measure: as_written(t, self.values[t.name]) for t in SECONDARY}


def _as_counted(term: Term, value: float) -> float:
    return round(value) if term is TRAVEL else value


def as_written(term: Term, value: float) -> float | int:
    """A term's value as every output writes it (the solution file, ``explain``'s
    breakdown): road km to one decimal, counts whole."""
    return round(value, 1) if term is TRAVEL else int(value)


def secondary_terms(problem: Problem, roster: np.ndarray) -> TermValues:
    """Every secondary term of ``roster`` (candidate indices)."""
    roster = np.asarray(roster, dtype=np.int64)
    return TermValues({t.name: t.value(problem, roster) for t in SECONDARY})


def coverage(problem: Problem, roster: np.ndarray) -> int:
    """Sum over assignments of the camp's priority."""
    return int(coverage_value(problem, np.asarray(roster, dtype=np.int64)))
