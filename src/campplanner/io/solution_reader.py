"""Reading a solution from a path, in one place: a JSON file or a roster workbook.

The checker, re-planning, ``explain``, the exports and every front end read a solution
through :func:`load_solution`, which returns the typed
:class:`~campplanner.contract.schema.SolutionFile`. It imports nothing from
``campplanner.model`` or ``campplanner.solver``, so the independent checker may use it.
"""

from __future__ import annotations

from pathlib import Path

from campplanner.contract.instance import read_json
from campplanner.contract.schema import Instance, SolutionFile
from campplanner.contract.solution import solution_from_data
from campplanner.io.roster_in import is_workbook, solution_from_workbook


def load_solution(path: str | Path, instance: Instance | None = None) -> SolutionFile:
    """Read and validate a solution file; every problem is reported with its JSON path.

    A roster workbook written by ``campplanner export --xlsx`` (and maybe edited by a
    planner) is read from its master roster sheet: same rules, problems by sheet and row;
    its ids exactly as written, or (given ``instance``) matched to the instance's ids
    when a planner typed them another way (Persian digits, Arabic letters...).
    """
    if is_workbook(path):
        return solution_from_workbook(path, instance)
    return solution_from_data(read_json(path, "solution"), str(path))
