"""Writing .xlsx files with xlsxwriter: right-to-left sheets, text that stays text.

Every text goes through :meth:`Writer.cell` (or :meth:`Writer.merged`), which stores
it as a string cell (never a formula, a number or a link, whatever it starts with). A
text that a spreadsheet program would read as a formula when a planner edits the cell
(``=``, ``+``, ``-``, ``@``...) also gets Excel's quote prefix, the same as typing an
apostrophe before it: the cell shows the text as it is, and stays text after an edit.
The guard is one function (``Writer._text_style``): the style keeps its look.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from campplanner.io.sanitize import is_formula_like

# A fixed creation date, so that the same roster gives the same workbook, byte for byte.
CREATED = dt.datetime(2024, 1, 1)
A4 = 9  # xlsxwriter's paper code
MAX_PAGE_BREAKS = 1023  # per sheet, in Excel
MAX_WIDTH = 60  # columns wider than this wrap their text instead
HEADER_LINE_HEIGHT = 15  # points per line of a header row (Tahoma 10, wrapped)
# The printed page's footer: "page 3 of 12", in Persian.
PAGE_FOOTER = "&Cصفحه &P از &N"


def header_lines(header: str) -> str:
    """``شناسه اردو (camp)`` on two lines: the Persian name, then the English one."""
    return header.replace(" (", "\n(", 1)


def fit_width(values: Iterable[Any], low: float = 6, high: float = MAX_WIDTH) -> float:
    """A column width (in characters) that shows the longest line of ``values``."""
    longest = max(
        (len(line) for v in values if v is not None for line in str(v).split("\n")), default=0
    )
    return max(low, min(high, longest * 1.1 + 2))


def _header_footer_text(text: str) -> str:
    """Text safe inside an Excel header: ``&`` doubled, at most 200 characters."""
    return text.replace("&", "&&")[:200]


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
        # each style's properties, so that its quote-prefixed twin can be made (_guarded)
        self._properties: dict[int, dict[str, Any]] = {}
        self._quoted: dict[int, Any] = {}
        font = {"font_name": "Tahoma", "font_size": 10, "reading_order": 2}
        self.plain = self.style(font)
        self.quoted = self._guarded(self.plain)
        self.bold = self.style({**font, "bold": True})
        self.header = self.style(
            {**font, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}
        )
        self.title = self.style({**font, "bold": True, "font_size": 13})
        self.camp_row = self.style({**font, "bold": True, "bg_color": "#FFF2CC"})
        self.missing = self.style({**font, "font_color": "#C00000"})
        self.date = self.style({**font, "num_format": "yyyy-mm-dd"})
        self.wrap = self.style({**font, "text_wrap": True, "valign": "top"})
        self.cancelled = self.style({**font, "font_color": "#7F7F7F", "bg_color": "#F2F2F2"})
        self.document_title = title

    def print_setup(
        self,
        worksheet: Any,
        heading: str,
        *,
        landscape: bool = False,
        repeat_rows: tuple[int, int] | None = None,
    ) -> None:
        """A4, as wide as one page, page numbers in the footer and ``heading`` on top of
        every page; ``repeat_rows`` (first, last) are printed again on every page."""
        worksheet.set_paper(A4)
        if landscape:
            worksheet.set_landscape()
        worksheet.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
        worksheet.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
        worksheet.set_header(f"&C{_header_footer_text(heading)}")
        worksheet.set_footer(PAGE_FOOTER)
        worksheet.hide_gridlines(0)  # print the grid: rows are easier to follow on paper
        if repeat_rows is not None:
            worksheet.repeat_rows(*repeat_rows)

    def page_breaks(self, worksheet: Any, rows: Sequence[int]) -> None:
        """A page break above each of ``rows`` (Excel keeps the first 1,023)."""
        worksheet.set_h_pagebreaks(sorted(rows)[:MAX_PAGE_BREAKS])

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
            worksheet.write_string(row, col, text, self._text_style(text, style))

    def merged(
        self, worksheet: Any, row: int, first_col: int, last_col: int, text: str, style: Any
    ) -> None:
        """One text across the columns ``first_col``..``last_col`` of ``row``, guarded as
        :meth:`cell` guards a cell (a camp's heading starts with its name)."""
        worksheet.merge_range(
            row, first_col, row, last_col, str(text), self._text_style(str(text), style)
        )

    def style(self, properties: dict[str, Any]) -> Any:
        """A cell style of this workbook (xlsxwriter's format), kept with its properties."""
        made = self.book.add_format(properties)
        self._properties[id(made)] = dict(properties)
        return made

    def _text_style(self, text: str, style: Any) -> Any:
        """The one formula guard of every text cell: a text a spreadsheet program could
        read as a formula gets its style's quote-prefixed twin (the look kept)."""
        style = style or self.plain
        return self._guarded(style) if is_formula_like(text) else style

    def _guarded(self, style: Any) -> Any:
        if id(style) not in self._quoted:
            properties = self._properties[id(style)]
            self._quoted[id(style)] = self.book.add_format({**properties, "quote_prefix": True})
        return self._quoted[id(style)]

    def table(
        self,
        worksheet: Any,
        headers: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        first_row: int = 0,
        widths: Sequence[float] | None = None,
        autofilter: bool = True,
        row_style: Any = None,
    ) -> int:
        """A header row (each header on two lines: Persian, then English) then the rows;
        returns the number of the row after the last one. Without ``widths``, each
        column is as wide as its longest text (up to MAX_WIDTH, then wrapped).
        ``row_style(values)`` may give a row its own style (a cancelled camp's, say)."""
        rows = [list(values) for values in rows]
        lines = 1
        for col, header in enumerate(headers):
            text = header_lines(header)
            lines = max(lines, text.count("\n") + 1)
            self.cell(worksheet, first_row, col, text, self.header)
        worksheet.set_row(first_row, HEADER_LINE_HEIGHT * lines)
        if widths is None:
            widths = [
                fit_width([header_lines(h), *(r[col] for r in rows if col < len(r))])
                for col, h in enumerate(headers)
            ]
        wide = {col for col, width in enumerate(widths) if width >= MAX_WIDTH}
        number = first_row + 1
        for values in rows:
            style = row_style(values) if row_style else None
            for col, value in enumerate(values):
                self.cell(worksheet, number, col, value, self.wrap if col in wide else style)
            number += 1
        for col, width in enumerate(widths):
            worksheet.set_column(col, col, width)
        worksheet.freeze_panes(first_row + 1, 0)
        if autofilter and headers:
            worksheet.autofilter(first_row, 0, max(number - 1, first_row), len(headers) - 1)
        return number

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()
