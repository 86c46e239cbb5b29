"""Work budgets: phases that end on counted work, so a roster does not depend on the clock.

A solve given ``SolveOptions.work_limit`` (``--work-limit``) is *deterministic*: every
phase ends on work a machine's speed and load cannot change, and the time limit is only
a safety net, reported when it cuts (``stopped_by: "time limit"`` and the phase named
in the solution file's ``solver.clock_cut``). The units are CP-SAT's deterministic
time (about a second of one core's search on an idle machine); what is not CP-SAT
counts otherwise:

- CP-SAT stages and sub-models: ``max_deterministic_time`` (:func:`limit_cpsat`);
- the greedy passes, the LPs (HiGHS, single-threaded, fixed seed) and the swaps run
  to their end;
- column generation: a fixed number of rounds, the neighbourhood search a fixed number
  of steps per unit as well as the deterministic time of its sub-models;
- the integer program over camps (:mod:`one_camp`, HiGHS' branch and bound): the
  simplex iterations of its LPs and its setup, counted by :func:`bounds.highs_work`;
- the restricted LPs after that program: their simplex iterations, counted the same.

So the same instance, seed and options give the same roster on any machine and at any
load, as long as the safety net does not cut (it is then said).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

# A phase whose CP-SAT run ended this close to its seconds limit was cut by the clock.
CLOCK_MARGIN = 0.02


@dataclass
class WorkBudget:
    """The work of one solve: its limit (None: the clock rules, as before), what was
    spent, and the phases the safety net cut."""

    limit: float | None = None
    spent: float = 0.0
    clock_cut: list[str] = field(default_factory=list)

    @property
    def deterministic(self) -> bool:
        return self.limit is not None

    def left(self) -> float:
        """Work still to spend (inf without a limit)."""
        if self.limit is None:
            return float("inf")
        return max(0.0, self.limit - self.spent)

    def share(self, fraction: float, floor: float = 0.01) -> float | None:
        """``fraction`` of the work left for a phase (None without a limit)."""
        if self.limit is None:
            return None
        return max(floor, fraction * self.left())

    def spend(self, amount: float) -> None:
        self.spent += max(0.0, amount)

    def cut(self, phase: str) -> None:
        """The safety net (the clock) ended ``phase`` before its work was done."""
        if phase not in self.clock_cut:
            self.clock_cut.append(phase)

    def describe(self) -> dict[str, object]:
        """The solution file's account of the budget (``solver.work``)."""
        return {
            "limit": self.limit,
            "spent": round(self.spent, 3),
            "clock_cut": list(self.clock_cut),
        }


def limit_cpsat(solver: cp_model.CpSolver, seconds: float, work: float | None) -> None:
    """Seconds are the safety net; ``work`` (CP-SAT deterministic time), when given,
    is the limit that ends the run on every machine alike."""
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    if work is not None:
        solver.parameters.max_deterministic_time = max(0.001, work)


def cut_by_clock(solver: cp_model.CpSolver, seconds: float, status: int) -> bool:
    """True when a CP-SAT run that was given ``seconds`` ended on them (not on its work
    limit, a proof, or infeasibility): another machine may have ended elsewhere."""
    if status in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
        return False
    try:
        wall = solver.wall_time
    except RuntimeError:  # stopped before it began
        return False
    return wall >= max(0.01, seconds) - CLOCK_MARGIN
