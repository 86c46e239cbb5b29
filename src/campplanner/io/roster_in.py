"""Reading an exported (and maybe edited) roster workbook back as a solution file.

``campplanner check INSTANCE roster.xlsx`` judges the master roster sheet (``برنامه کل``
or ``roster``): every row with a volunteer id is an assignment (volunteer, camp, skill);
rows whose volunteer cell is empty are empty slots. The other sheets and columns
(names, dates, the summary) are for people and are not read, so a planner edits only
the three id columns. The roster read back claims no coverage and no bound: it is
judged on the rules alone, with status ``feasible``.
"""

from __future__ import annotations

from pathlib import Path

from campplanner.contract import SolutionFile
from campplanner.errors import InstanceError, Issue
from campplanner.io.sanitize import restore_csv
from campplanner.io.sheets import ROSTER
from campplanner.io.tables import match_sheets, read_workbook, table_of
from campplanner.io.text import normalize_code

_ZIP_MAGIC = b"PK\x03\x04"


def is_workbook(path: str | Path) -> bool:
    """True for an .xlsx file (a zip archive), whatever its name says."""
    try:
        with Path(path).open("rb") as handle:
            return handle.read(4) == _ZIP_MAGIC
    except OSError:
        return False


def solution_from_workbook(path: str | Path) -> SolutionFile:
    """The assignments of a roster workbook's master sheet; problems name sheet, row, column."""
    source = str(path)
    issues: list[Issue] = []
    warnings: list[Issue] = []
    found = match_sheets(read_workbook(Path(path), [ROSTER]), [ROSTER], issues, warnings,
                         ignore_unknown=True)  # fmt: skip
    if issues:
        raise InstanceError(source, issues)
    table = table_of(found["roster"], ROSTER, issues, warnings, ignore_unknown=True)
    if issues:
        raise InstanceError(source, issues)
    assignments = []
    for row in table.rows:
        values = {}
        for key in ("volunteer", "camp", "skill"):
            value = row.values.get(key)
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            values[key] = restore_csv(normalize_code(str(value))) if value is not None else ""
        if not values["volunteer"]:
            continue  # an empty slot
        for key in ("camp", "skill"):
            if not values[key]:
                where = table.where(row.number, key)
                issues.append(Issue(str(where), f"empty, but volunteer {values['volunteer']!r} "
                                                "is assigned on this row"))  # fmt: skip
        assignments.append(values)
    if issues:
        raise InstanceError(source, issues)
    return SolutionFile.model_validate(
        {"format": "campplanner-solution/1", "status": "feasible", "assignments": assignments}
    )
