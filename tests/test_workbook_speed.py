"""The season workbook's fast paths write what the slow ones wrote (issue 25).

``Writer.row`` writes a row without ``Writer.cell``'s per-cell dispatch and asks the
formula guard only about texts whose first character could start a formula; the
column widths are measured on each column's distinct texts. Both must leave the
workbook as it was, byte for byte.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from campplanner.io.sanitize import FORMULA_STARTS
from campplanner.io.xlsx import Writer, distinct_texts, fit_width, longest_word

# Every kind of value a table holds, and texts on both sides of the formula guard.
VALUES = [
    *(f"{c}SUM(A1)" for c in sorted(FORMULA_STARTS)),
    *(f"'{c}1" for c in sorted(FORMULA_STARTS)),
    "'quoted",
    "",
    "علی کشاورز",
    "two words\nand a line",
    "x" * 20_000,  # longer than store_texts takes: xlsxwriter's own path
    "=" + "y" * 40_000,  # cut by xlsxwriter to 32,767
    False,
    3,
    2.5,
    True,
    None,
    dt.date(2024, 7, 1),
]


def _book(by_row: bool, stock: bool = False) -> bytes:
    """A sheet of VALUES, each row turned by one; ``stock``: on xlsxwriter's own
    worksheet class, written cell by cell through its public methods."""
    from xlsxwriter.worksheet import Worksheet

    writer = Writer(title="t")
    if stock:
        writer._worksheet_class = Worksheet
    sheet = writer.sheet("s")
    styles = [writer.cancelled, None, writer.wrapped(None)]
    writer.merged(sheet, 0, 0, 3, "=heading", writer.camp_row)
    sheet.set_row(1, 30)  # a row with a height and no cell
    for number, start in enumerate(range(len(VALUES)), start=2):
        values = VALUES[start:] + VALUES[:start]
        row_styles = [styles[col % len(styles)] for col in range(len(values))]
        if by_row:
            writer.row(sheet, number, values, row_styles)
        else:
            for col, value in enumerate(values):
                writer.cell(sheet, number, col, value, row_styles[col])
        if number % 3 == 0:
            sheet.set_row(number, 25)
    for number in (40, 41):  # rows far below: spans of their own
        writer.row(sheet, number, VALUES[:3], [None, None, None])
    return writer.close()


def test_a_row_is_written_as_its_cells_are() -> None:
    assert _book(by_row=True) == _book(by_row=False)


def test_the_fast_worksheet_writes_what_xlsxwriter_writes() -> None:
    assert _book(by_row=True) == _book(by_row=False, stock=True)


def test_widths_of_distinct_texts_are_the_widths_of_all_values() -> None:
    column = [*VALUES, *VALUES, "a" * 70, 12345678]
    assert fit_width(distinct_texts(column)) == fit_width(column)
    assert longest_word(distinct_texts(column)) == longest_word(column)
    # True and 1 are equal as values but not as texts: both count
    assert distinct_texts([1, True, 1.0]) == {"1", "True", "1.0"}


# Rows that store_row takes whole (no text too long): every kind of value it keeps
# (texts, ints, empty cells with and without a style) and those it leaves to the cell
# by cell path (floats, booleans, dates, texts that could be formulas).
ROW_VALUES = [
    "علی کشاورز",
    "",
    7,
    None,
    "two words\nand a line",
    -12,
    "=SUM(A1)",
    2.5,
    True,
    dt.date(2024, 7, 1),
    10**17,
    "'quoted",
]


def _rows_book(stock: bool) -> bytes:
    """Rows of ROW_VALUES' kinds in many shapes (a row of texts alone, of texts and
    ints, with empty cells, cut short), some with a height, one with a merged cell
    over it written later, rows far apart; ``stock``: on xlsxwriter's worksheet."""
    from xlsxwriter.worksheet import Worksheet

    writer = Writer(title="rows")
    if stock:
        writer._worksheet_class = Worksheet
    sheet = writer.sheet("rows")
    styles = [writer.cancelled, None, writer.wrapped(None), None, writer.missing]
    texts_only = [v for v in ROW_VALUES if isinstance(v, str) and not v.startswith(("=", "'"))]
    shapes = [
        texts_only,
        ["a", 1, "b", 2],
        [None, "x", None, 3, None],
        ["x", None],
        ROW_VALUES,
        ROW_VALUES[:6],
        [1, 2, 3],
        [None, None],
    ]
    number = 0
    for repeat in range(40):  # blocks of 16 rows of every mix of shapes
        for shape in shapes:
            values = shape[repeat % len(shape) :] + shape[: repeat % len(shape)]
            writer.row(sheet, number, values, styles)
            if number % 5 == 0:
                sheet.set_row(number, 25)
            number += 1
    writer.merged(sheet, 3, 6, 8, "=merged later", writer.camp_row)  # over a stored row
    sheet.set_row(number + 2, 30)  # a row with a height and no cell
    writer.row(sheet, 5000, texts_only, styles)  # far below: a span of its own
    writer.row(sheet, 5001, [3, "far"], [])
    return writer.close()


def test_rows_stored_whole_write_what_xlsxwriter_writes_cell_by_cell() -> None:
    assert _rows_book(stock=False) == _rows_book(stock=True)


def test_the_small_season_workbook_is_xlsxwriters_byte_for_byte(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The whole workbook of a roster (every sheet, format, width, print setting, the
    reasons for empty slots), its rows stored whole, is the one xlsxwriter's own
    worksheet writes cell by cell."""
    from xlsxwriter.worksheet import Worksheet

    from builders import REPO
    from campplanner.app.files import attach_reasons
    from campplanner.app.solving import SolveRequest, solve
    from campplanner.contract.instance import load_instance
    from campplanner.io import xlsx
    from campplanner.io.solution_reader import load_solution
    from campplanner.io.workbook_out import roster_workbook
    from campplanner.report.roster import RosterView
    from campplanner.solver import SolveOptions

    path = REPO / "instances" / "small.json"
    output = tmp_path / "roster.json"
    options = SolveOptions(time_limit=60, work_limit=0.5)  # ends on its work
    solve(SolveRequest(str(path), options, output_path=str(output)))
    instance = load_instance(path)
    solution = load_solution(output, instance)
    view = RosterView.from_solution(instance, solution)
    attach_reasons(view, instance, solution, "fa")
    fast = roster_workbook(view)
    monkeypatch.setattr(xlsx, "_worksheet_class", lambda: Worksheet)
    assert fast == roster_workbook(view)
