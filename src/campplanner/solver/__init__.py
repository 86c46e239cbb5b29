"""Solvers: everything that knows CP-SAT or HiGHS lives in this package.

Imports run one way: ``options`` (what every solver takes) <- ``cpsat_model`` (the
rules and terms as CP-SAT constraints) <- ``conflicts`` <- ``cpsat`` (the exact method)
<- ``large`` (the large-scale method, which falls back on the exact one) <-
``neighbourhood`` (re-planning); ``greedy``, ``polish``, ``bounds`` and ``core`` serve
them and import only ``campplanner.model``. :func:`make_solver` is the one place that
picks a method; every job that solves goes through it.
"""

from __future__ import annotations

from collections.abc import Callable

from campplanner.contract.errors import UsageError
from campplanner.model.baseline import Baseline
from campplanner.model.problem import Problem
from campplanner.model.state import first_lock_clash
from campplanner.solver.cpsat import CpSatSolver
from campplanner.solver.greedy import GreedySolver
from campplanner.solver.large import LargeSolver
from campplanner.solver.neighbourhood import NeighbourhoodReplanner
from campplanner.solver.options import METHODS, ProgressCallback, SolveOptions, Solver
from campplanner.solver.portfolio import PortfolioSolver

__all__ = [
    "AUTO_LARGE_CANDIDATES",
    "BACKENDS",
    "EXACT_MAX_CANDIDATES",
    "METHODS",
    "CpSatSolver",
    "GreedySolver",
    "LargeSolver",
    "NeighbourhoodReplanner",
    "PortfolioSolver",
    "ProgressCallback",
    "SolveOptions",
    "Solver",
    "make_solver",
]

# From this many candidates on, "auto" uses the large-scale method: below it the exact
# model builds in a second or two and usually proves optimality; above it the exact
# model's build and presolve alone take most of a minute (figures: docs/benchmarks.md).
AUTO_LARGE_CANDIDATES = 50_000
# The exact model takes about a kilobyte and ten microseconds of Python per candidate
# to build, before CP-SAT's presolve: past this it cannot honour any sensible time limit.
EXACT_MAX_CANDIDATES = 2_000_000


def _exact(problem: Problem, options: SolveOptions, baseline: Baseline | None) -> Solver:
    return CpSatSolver(problem, options, baseline=baseline)


def _large(problem: Problem, options: SolveOptions, baseline: Baseline | None) -> Solver:
    clash = len(problem.locked_candidates) > 0 and first_lock_clash(problem) is not None
    if baseline is not None and not problem.impossible_locks and not clash:
        # A season re-planned from its published roster: the exact model (which counts
        # changes) on the neighbourhood of what changed. Locks that cannot all hold have
        # no roster to re-plan towards: the large method proves and words that (the
        # re-planner's greedy start dropped a clashing lock's rule, H6, and said nothing).
        return NeighbourhoodReplanner(problem, options, baseline)
    return LargeSolver(problem, options)


def _greedy(problem: Problem, options: SolveOptions, baseline: Baseline | None) -> Solver:
    return GreedySolver(problem, options, baseline)


# Every solving backend, by the name --method gives it. A new backend is a class that
# answers the Solver protocol, registered here (and in options.METHODS, which the
# command line offers): the per-rule tests then run on it too (docs/architecture.md).
BACKENDS: dict[str, Callable[[Problem, SolveOptions, Baseline | None], Solver]] = {
    "exact": _exact,
    "large": _large,
    "greedy": _greedy,
}


def make_solver(
    problem: Problem, options: SolveOptions, baseline: Baseline | None = None
) -> Solver:
    """The solver for ``problem``, by ``options.method`` (see ``BACKENDS``; "auto": the
    portfolio of both methods below AUTO_LARGE_CANDIDATES candidates, the large method
    from there on; re-plans below that size use the exact model, which counts changes).

    Re-planning against a published roster (``baseline``) counts changes: exactly on
    the whole problem when it is small, on the neighbourhood of the changes when large.
    """
    method = options.method
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}: use {', '.join(METHODS)}")
    if method == "auto" and problem.num_candidates < AUTO_LARGE_CANDIDATES and baseline is None:
        # both methods, the large one first, the exact one from its roster (portfolio.py)
        return PortfolioSolver(problem, options)
    if method == "auto":
        method = "large" if problem.num_candidates >= AUTO_LARGE_CANDIDATES else "exact"
    elif method == "exact" and problem.num_candidates > EXACT_MAX_CANDIDATES:
        # Building that model alone would take minutes and gigabytes: say so at once.
        raise UsageError(
            f"--method exact: {problem.num_candidates:,} candidates is too many for the "
            f"exact model (at most {EXACT_MAX_CANDIDATES:,}); use --method large or auto"
        )
    return BACKENDS[method](problem, options, baseline)
