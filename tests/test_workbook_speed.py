"""The season workbook's fast paths write what the slow ones wrote (issue 25).

``Writer.row`` writes a row without ``Writer.cell``'s per-cell dispatch and asks the
formula guard only about texts whose first character could start a formula; the
column widths are measured on each column's distinct texts. Both must leave the
workbook as it was, byte for byte.
"""

from __future__ import annotations

import datetime as dt

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
