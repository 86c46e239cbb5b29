"""Solvers: everything that knows CP-SAT (or any other engine) lives in this package.

:func:`make_solver` is the one place that picks a method for a problem; every command
that solves (``solve``, ``compare``, ``replace``) goes through it.
"""

from __future__ import annotations

from campplanner.problem import Problem
from campplanner.replan import Baseline
from campplanner.solver.cpsat import CpSatSolver, SolveOptions

__all__ = ["CpSatSolver", "SolveOptions", "make_solver"]


def make_solver(
    problem: Problem, options: SolveOptions, baseline: Baseline | None = None
) -> CpSatSolver:
    """The solver for ``problem``: an object with ``solve(progress, started)`` and ``stop()``."""
    return CpSatSolver(problem, options, baseline=baseline)
