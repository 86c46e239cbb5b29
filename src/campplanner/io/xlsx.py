"""Writing .xlsx files with xlsxwriter: right-to-left sheets, text that stays text.

Every text goes through :meth:`Writer.cell`, which stores it as a string cell (never a
formula, a number or a link, whatever it starts with). A text that a spreadsheet
program would read as a formula when a planner edits the cell (``=``, ``+``, ``-``,
``@``...) also gets Excel's quote prefix, the same as typing an apostrophe before it:
the cell shows the text as it is, and stays text after an edit.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from campplanner.io.sanitize import is_formula_like

# A fixed creation date, so that the same roster gives the same workbook, byte for byte.
CREATED = dt.datetime(2024, 1, 1)


class Writer:
    """One workbook in memory; :meth:`close` returns its bytes."""

    def __init__(self, *, title: str = "") -> None:
        import xlsxwriter  # lazily: the CLI starts fast without it

        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(
            self.buffer,
            {
                "in_memory": True,
                # Never turn a text into something else, whatever it looks like.
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self.book.set_properties({"title": title, "created": CREATED})
        font = {"font_name": "Tahoma", "font_size": 10, "reading_order": 2}
        self.plain = self.book.add_format(font)
        self.quoted = self.book.add_format({**font, "quote_prefix": True})
        self.bold = self.book.add_format({**font, "bold": True})
        self.header = self.book.add_format(
            {**font, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}
        )
        self.title = self.book.add_format({**font, "bold": True, "font_size": 13})
        self.camp_row = self.book.add_format({**font, "bold": True, "bg_color": "#FFF2CC"})
        self.missing = self.book.add_format({**font, "font_color": "#C00000"})
        self.date = self.book.add_format({**font, "num_format": "yyyy-mm-dd"})

    def sheet(self, name: str, *, rtl: bool = True) -> Any:
        worksheet = self.book.add_worksheet(name)
        if rtl:
            worksheet.right_to_left()
        return worksheet

    def cell(self, worksheet: Any, row: int, col: int, value: Any, style: Any = None) -> None:
        """Write one value: text as a string cell (quote-prefixed if formula-like)."""
        if value is None:
            if style is not None:
                worksheet.write_blank(row, col, None, style)
            return
        if isinstance(value, bool):
            worksheet.write_string(row, col, "yes" if value else "no", style or self.plain)
        elif isinstance(value, int | float):
            worksheet.write_number(row, col, value, style or self.plain)
        elif isinstance(value, dt.date):
            worksheet.write_datetime(row, col, value, self.date)
        else:
            text = str(value)
            if is_formula_like(text):
                worksheet.write_string(row, col, text, self.quoted)
            else:
                worksheet.write_string(row, col, text, style or self.plain)

    def table(
        self,
        worksheet: Any,
        headers: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        first_row: int = 0,
        widths: Sequence[float] | None = None,
        autofilter: bool = True,
    ) -> int:
        """A header row then the rows; returns the number of the row after the last one."""
        for col, header in enumerate(headers):
            self.cell(worksheet, first_row, col, header, self.header)
        number = first_row + 1
        for values in rows:
            for col, value in enumerate(values):
                self.cell(worksheet, number, col, value)
            number += 1
        if widths:
            for col, width in enumerate(widths):
                worksheet.set_column(col, col, width)
        worksheet.freeze_panes(first_row + 1, 0)
        if autofilter and headers:
            worksheet.autofilter(first_row, 0, max(number - 1, first_row), len(headers) - 1)
        return number

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()
