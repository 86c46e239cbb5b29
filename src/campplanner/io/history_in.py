"""Reading an attendance history file: JSON, or a spreadsheet a coordinator keeps.

The JSON form is the contract's (:mod:`campplanner.contract.history`). A CSV file or an
.xlsx workbook (its first sheet) is read as planners keep such lists: one row per
volunteer and camp, with the columns ``volunteer``, ``season``, ``camp`` and ``came``
(or their Persian names: داوطلب، فصل، اردو، حضور), ids in Persian or ASCII digits,
``came`` as yes/no, بله/خیر, آمد/نیامد, 1/0. Every problem is reported at once with its
row and column, as the workbook importer does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from campplanner.contract.errors import InstanceError, Issue
from campplanner.contract.history import HISTORY_FORMAT, Attendance, history_from_data
from campplanner.contract.instance import read_json
from campplanner.io.tables import RawSheet, Where, column_letter, is_blank, read_source
from campplanner.io.text import header_key, normalize_code

_HEADERS = {
    header_key(word): column
    for column, words in (
        ("volunteer", ("volunteer", "volunteer id", "id", "داوطلب", "کد داوطلب", "شناسه")),
        ("season", ("season", "year", "فصل", "سال", "دوره")),
        ("camp", ("camp", "camp id", "اردو", "کد اردو")),
        ("came", ("came", "attended", "present", "حضور", "آمد", "حاضر")),
    )
    for word in words
}
_COLUMNS = ("volunteer", "season", "camp", "came")
_CAME = {
    header_key(word): value
    for value, words in (
        (True, ("yes", "y", "true", "1", "came", "present", "بله", "بلی", "آمد", "حاضر")),
        (False, ("no", "n", "false", "0", "absent", "no-show", "خیر", "نه", "نیامد", "غایب")),
    )
    for word in words
}


def load_history(path: str | Path) -> list[Attendance]:
    """The attendance records of ``path`` (JSON, CSV or .xlsx), or an InstanceError
    naming every problem."""
    source = Path(path)
    if source.suffix.casefold() in (".csv", ".xlsx"):
        return _history_from_sheet(read_source(source)[0], str(source))
    return history_from_data(read_json(source), str(source))


def _history_from_sheet(sheet: RawSheet, source: str) -> list[Attendance]:
    if not sheet.rows:
        raise InstanceError(source, [Issue("", "the sheet is empty")])
    header_number, header = sheet.rows[0]
    columns: dict[str, int] = {}
    for position, value in enumerate(header):
        column = _HEADERS.get(header_key(str(value))) if not is_blank(value) else None
        if column is not None and column not in columns:
            columns[column] = position
    missing = [column for column in _COLUMNS if column not in columns]
    if missing:
        where = Where(sheet.name, header_number)
        raise InstanceError(
            source,
            [Issue(str(where), f"no column {', '.join(missing)} (volunteer, season, camp, came)")],
        )
    issues: list[Issue] = []
    records: list[dict[str, Any]] = []
    rows: list[int] = []
    for number, values in sheet.rows[1:]:
        record: dict[str, Any] = {}
        for column, position in columns.items():
            value = values[position] if position < len(values) else None
            text = "" if is_blank(value) else normalize_code(str(value))
            where = Where(sheet.name, number, column, column_letter(position))
            if column == "came":
                came = _CAME.get(header_key(text)) if text else None
                if came is None:
                    issues.append(Issue(str(where), f"yes or no (بله یا خیر), not {text!r}"))
                record[column] = came
            else:
                if not text:
                    issues.append(Issue(str(where), "empty: every row names it"))
                record[column] = text
        records.append(record)
        rows.append(number)
    if issues:
        raise InstanceError(source, issues)
    data = {"format": HISTORY_FORMAT, "attendance": records}
    try:  # the same record twice: said by the rows, in the sheet
        return history_from_data(data, source, lambda index: f"row {rows[index]}")
    except InstanceError as error:
        issues = [Issue(f"sheet {sheet.name!r}, {i.path}", i.message) for i in error.issues]
        raise InstanceError(source, issues) from None
