"""Solvers: everything that knows CP-SAT (or any other engine) lives in this package."""

from campplanner.solver.cpsat import CpSatSolver, SolveOptions

__all__ = ["CpSatSolver", "SolveOptions"]
