"""Solvers: everything that knows CP-SAT (or any other engine) lives in this package.

:func:`make_solver` is the one place that picks a method for a problem; every command
that solves (``solve``, ``compare``, ``replace``) goes through it.
"""

from __future__ import annotations

from campplanner.errors import UsageError
from campplanner.problem import Problem
from campplanner.replan import Baseline
from campplanner.solver.cpsat import CpSatSolver, SolveOptions
from campplanner.solver.large import LargeOptions, LargeSolver
from campplanner.solver.neighbourhood import NeighbourhoodReplanner

__all__ = [
    "AUTO_LARGE_CANDIDATES",
    "EXACT_MAX_CANDIDATES",
    "CpSatSolver",
    "LargeSolver",
    "SolveOptions",
    "make_solver",
]

# From this many candidates on, "auto" uses the large-scale method: below it the exact
# model builds in a second or two and usually proves optimality; above it the exact
# model's build and presolve alone take most of a minute (instances/medium.json, 206,336
# candidates: no roster in 60 s with 1 worker; the large method proves it in ~1 s).
AUTO_LARGE_CANDIDATES = 50_000
# The exact model takes about a kilobyte and ten microseconds of Python per candidate
# to build, before CP-SAT's presolve: past this it cannot honour any sensible time limit.
EXACT_MAX_CANDIDATES = 2_000_000


def make_solver(
    problem: Problem, options: SolveOptions, baseline: Baseline | None = None
) -> CpSatSolver | LargeSolver | NeighbourhoodReplanner:
    """The solver for ``problem``: an object with ``solve(progress, started)`` and ``stop()``.

    ``options.method`` picks it ("auto", "exact" or "large"). Re-planning against a
    published roster (``baseline``) uses the exact model, which counts changes: on the
    whole problem when it is small, on the neighbourhood of the changes when it is large.
    """
    method = options.method
    if method not in ("auto", "exact", "large"):
        raise ValueError(f"unknown method {method!r}: use auto, exact or large")
    if method == "auto":
        method = "large" if problem.num_candidates >= AUTO_LARGE_CANDIDATES else "exact"
    if options.method == "exact" and problem.num_candidates > EXACT_MAX_CANDIDATES:
        # Building that model alone would take minutes and gigabytes: say so at once.
        raise UsageError(
            f"--method exact: {problem.num_candidates:,} candidates is too many for the "
            f"exact model (at most {EXACT_MAX_CANDIDATES:,}); use --method large or auto"
        )
    if method == "large" and baseline is not None:
        # A season re-planned from its published roster: the exact model (which counts
        # changes) on the neighbourhood of what changed.
        return NeighbourhoodReplanner(problem, options, baseline)
    if method == "large":
        large = LargeOptions(
            time_limit=options.time_limit,
            seed=options.seed,
            weights=dict(options.weights),
            secondary=options.secondary,
        )
        return LargeSolver(problem, large)
    return CpSatSolver(problem, options, baseline=baseline)
