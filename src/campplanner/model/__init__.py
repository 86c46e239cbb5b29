"""The model of the problem, solver-free: the compiled problem, its hard rules, the
objective's terms, and rosters checked as they are built.

Nothing here imports a solver; everything that solves, explains or reports reads the
rules and terms from here (docs/architecture.md).
"""
