"""The portfolio of ``--method auto`` below the size where only the large method fits.

Neither method wins everywhere: on the public ptask files (issue 22) the exact model
stalled at 95% of the jobs in 60 s where the large method covered all of them, and on
small camps the exact model proves in a second what the large method's search only
approaches. So ``auto`` runs both, one after the other, sharing what they found:

1. the large method (first rosters, LP bound, scarce core, neighbourhood search) on
   LARGE_SHARE of the time (or of the work limit), without the secondary stage, and
   without a scarce core of more than CORE_SHARE of the candidates: that is nearly the
   exact model, which comes next (on ptask data_45_67_420_33 such a core took 50 of
   the 60 s the search needed);
2. the exact model on the rest, started from the large method's roster and told its
   proven bound: when that roster meets the bound (proven optimal) there is nothing left
   to search and CP-SAT only improves the secondary terms; when it is within a step of
   the bound CP-SAT first seeks a roster that meets it (``cpsat.PROBE_GAP``).

The exact model never returns less coverage than the roster it starts from, and its
bound is at most the one it is told, so the result is at least the large method's on
its share, with the smaller of the two bounds. Which method gave the roster, and why, is
in the log and in the solution file (``solver.chosen``, ``solver.why``).
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace

from campplanner.model.problem import Problem
from campplanner.solver.cpsat import CpSatSolver
from campplanner.solver.large import LargeSolver
from campplanner.solver.options import ProgressCallback, SolveOptions
from campplanner.solver.result import Result

LARGE_SHARE = 0.5  # of the time (or the work) left, for the large method
CORE_SHARE = 0.5  # a scarce core with more of the candidates is left to the exact model


class PortfolioSolver:
    """The large method, then the exact model from its roster (see the module doc)."""

    def __init__(self, problem: Problem, options: SolveOptions | None = None):
        self.problem = problem
        self.options = options or SolveOptions()
        self._stopped = threading.Event()
        self._running: LargeSolver | CpSatSolver | None = None
        self._large: Result | None = None

    def stop(self) -> None:
        """Stop the method running now; the best roster so far is returned."""
        self._stopped.set()
        running = self._running
        if running is not None:
            running.stop()

    def snapshot(self) -> Result | None:
        """The best roster so far: the running method's, else the large method's."""
        running = self._running
        held = running.snapshot() if running is not None else None
        large = self._large
        if held is None or (
            large is not None and large.has_roster and (held.coverage or 0) < (large.coverage or 0)
        ):
            return None if large is None or not large.has_roster else large
        return held

    def solve(
        self, progress: ProgressCallback | None = None, started: float | None = None
    ) -> Result:
        started = time.monotonic() if started is None else started
        options = self.options
        left = options.time_limit - (time.monotonic() - started)
        _say(progress, started, "auto: the large method first")
        large_options = replace(
            options,
            time_limit=max(0.1, LARGE_SHARE * left),
            secondary=False,
            work_limit=None if options.work_limit is None else LARGE_SHARE * options.work_limit,
        )
        large_solver = self._running = LargeSolver(
            self.problem, large_options, core_share=CORE_SHARE
        )
        if self._stopped.is_set():
            large_solver.stop()
        large = self._large = large_solver.solve(progress, time.monotonic())
        if large.status == "infeasible" or self._stopped.is_set():
            return _labelled(large, large, None, options)

        _say(progress, started, "auto: the exact model from the large method's roster")
        left = options.time_limit - (time.monotonic() - started)
        exact_options = replace(
            options,
            time_limit=max(0.1, left),
            work_limit=None
            if options.work_limit is None
            else max(0.01, options.work_limit - _work_spent(large)),
        )
        start = large.assigned if large.has_roster else None
        exact = self._running = CpSatSolver(
            self.problem, exact_options, start=start, known_bound=large.coverage_bound
        )
        if self._stopped.is_set():
            exact.stop()
        result = exact.solve(progress, time.monotonic())
        result = replace(result, timings={**result.timings, "total": time.monotonic() - started})
        return _labelled(result, large, result, options)


def _work_spent(result: Result) -> float:
    work = result.solver.get("work") if result.solver else None
    if isinstance(work, dict):
        return float(work.get("spent", 0.0) or 0.0)
    return 0.0


def _say(progress: ProgressCallback | None, started: float, stage: str) -> None:
    if progress is not None:
        progress(time.monotonic() - started, None, float("inf"), stage)


def _labelled(result: Result, large: Result, exact: Result | None, options: SolveOptions) -> Result:
    """``result`` with the portfolio's account: each method's coverage and bound, which
    one gave the roster, and why."""
    chosen, why = _verdict(large, exact)
    info: dict[str, object] = {
        "name": "auto (portfolio)",
        "chosen": chosen,
        "why": why,
        "time_limit": options.time_limit,
        "work_limit": options.work_limit,
        "large": _summary(large),
    }
    if exact is not None:
        info["exact"] = _summary(exact)
        info["exact_solver"] = _untimed(exact.solver)
    info["large_solver"] = _untimed(large.solver)
    if options.work_limit is not None:
        info["work"] = _work_of(options.work_limit, [large, *([exact] if exact else [])])
    return replace(result, solver=info)


def _work_of(limit: float, results: list[Result]) -> dict[str, object]:
    """The work of both methods as one budget (solver/work.py's account)."""
    spent = sum(_work_spent(r) for r in results)
    cut = [
        phase
        for r in results
        for phase in (r.solver.get("work") or {}).get("clock_cut", [])  # type: ignore[union-attr]
    ]
    return {"limit": limit, "spent": round(spent, 3), "clock_cut": cut}


def _untimed(info: dict[str, object]) -> dict[str, object]:
    """A method's account without its own time limit: a share of the portfolio's, so a
    number of the clock (the portfolio's own limit is said once, above)."""
    return {key: value for key, value in info.items() if key != "time_limit"}


def _summary(result: Result) -> dict[str, object]:
    return {
        "status": result.status,
        "coverage": result.coverage,
        "bound": result.coverage_bound,
        "seconds": round(result.timings.get("total", 0.0), 3),
    }


def _verdict(large: Result, exact: Result | None) -> tuple[str, str]:
    """(the method whose roster is returned, why), in a planner's words."""
    if exact is None:
        return "large", f"the large method ended the solve ({large.status})"
    if not large.has_roster:
        return "exact", "the large method found no roster; the exact model did"
    held, final = large.coverage or 0, exact.coverage or 0
    if large.status == "optimal":
        return (
            "large",
            f"the large method's roster is proven optimal ({held:,}); "
            "the exact model only improved the secondary terms",
        )
    if final > held:
        return "exact", f"the exact model raised coverage from {held:,} to {final:,}"
    if exact.status == "optimal":
        return (
            "large",
            f"the exact model proved the large method's coverage ({held:,}) optimal",
        )
    return (
        "large",
        f"the exact model found no better roster than the large method's ({held:,})",
    )
