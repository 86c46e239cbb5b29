"""Reading an exported (and maybe edited) roster workbook back as a solution file.

``campplanner check INSTANCE roster.xlsx`` judges the master roster sheet (``برنامه کل``
or ``roster``): every row with a volunteer id is an assignment (volunteer, camp, skill);
rows whose volunteer cell is empty are empty slots. The other sheets and columns
(names, dates, the summary) are for people and are not read, so a planner edits only
the three id columns. The roster read back claims no coverage and no bound: it is
judged on the rules alone, with status ``feasible``.

Ids are read back exactly as written (Persian digits, Arabic letters, decomposed
accents, direction marks and control characters included). Given the instance, an id
typed by hand that matches none exactly is matched as a planner meant it: without a
CSV file's protective apostrophe, then with Persian letters and ASCII digits and no
invisible marks (:func:`campplanner.io.text.normalize_code`), when that names one id.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from campplanner.contract.errors import InstanceError, Issue
from campplanner.contract.kinds import kind_of_path
from campplanner.contract.schema import Instance, SolutionFile
from campplanner.io.sanitize import restore_csv
from campplanner.io.sheets import ROSTER
from campplanner.io.tables import match_sheets, read_workbook, table_of
from campplanner.io.text import normalize_code


def is_workbook(path: str | Path) -> bool:
    """True for an .xlsx file (a zip archive), whatever its name says; a pipe, which can
    be read only once, is judged by its name (sniffing it lost its first bytes)."""
    path = Path(path)
    try:
        if not path.is_file():
            return path.suffix.casefold() == ".xlsx"
    except OSError:
        return False
    return kind_of_path(path) == "workbook"


class IdMatcher:
    """Cell text -> the instance's id it names: exact first, then as typed by hand."""

    def __init__(self, ids: Iterable[str]):
        self.exact = set(ids)
        typed: dict[str, set[str]] = {}
        for known in self.exact:
            typed.setdefault(normalize_code(known), set()).add(known)
        # a typed form shared by two ids names neither
        self.typed = {form: next(iter(ids)) for form, ids in typed.items() if len(ids) == 1}

    def __call__(self, text: str) -> str:
        if text in self.exact:
            return text
        for candidate in (
            restore_csv(text),
            normalize_code(text),
            normalize_code(restore_csv(text)),
        ):
            if candidate in self.exact:
                return candidate
            if candidate in self.typed:
                return self.typed[candidate]
        return text


def _matchers(instance: Instance | None) -> dict[str, IdMatcher] | None:
    if instance is None:
        return None
    return {
        "volunteer": IdMatcher(v.id for v in instance.volunteers),
        "camp": IdMatcher(c.id for c in instance.camps),
        "skill": IdMatcher(s.id for s in instance.skills),
    }


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an id typed as 101 is stored as 101.0
    return str(value)


def solution_from_workbook(path: str | Path, instance: Instance | None = None) -> SolutionFile:
    """The assignments of a roster workbook's master sheet; problems name sheet, row, column.

    Ids are kept exactly as read; with ``instance``, a hand-typed id is matched to the
    instance's (see the module docstring)."""
    source = str(path)
    issues: list[Issue] = []
    warnings: list[Issue] = []
    found = match_sheets(
        read_workbook(Path(path), [ROSTER]), [ROSTER], issues, warnings, ignore_unknown=True
    )
    if issues:
        raise InstanceError(source, issues)
    table = table_of(found["roster"], ROSTER, issues, warnings, ignore_unknown=True)
    if issues:
        raise InstanceError(source, issues)
    matchers = _matchers(instance)
    assignments = []
    for row in table.rows:
        values = {}
        for key in ("volunteer", "camp", "skill"):
            text = _cell_text(row.values.get(key))
            values[key] = matchers[key](text) if matchers and text else text
        if not normalize_code(values["volunteer"]):
            continue  # an empty slot
        for key in ("camp", "skill"):
            if not normalize_code(values[key]):
                where = table.where(row.number, key)
                issues.append(
                    Issue(
                        str(where),
                        f"empty, but volunteer {values['volunteer']!r} is assigned on this row",
                    )
                )
        assignments.append(values)
    if issues:
        raise InstanceError(source, issues)
    return SolutionFile.model_validate(
        {"format": "campplanner-solution/1", "status": "feasible", "assignments": assignments}
    )
