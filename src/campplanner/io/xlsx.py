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
import math
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from typing import Any

from campplanner.io.sanitize import FORMULA_STARTS, is_formula_like

# A fixed creation date, so that the same roster gives the same workbook, byte for byte.
CREATED = dt.datetime(2024, 1, 1)
A4 = 9  # xlsxwriter's paper code
MAX_PAGE_BREAKS = 1023  # per sheet, in Excel
MAX_WIDTH = 60  # columns wider than this wrap their text instead
HEADER_LINE_HEIGHT = 15  # points per line of a header row (Tahoma 10, wrapped)
# The printed page's footer: "page 3 of 12", in Persian.
PAGE_FOOTER = "&Cصفحه &P از &N"

# The first characters of a text that may be formula-like (is_formula_like decides):
# every other text skips the guard's call (the season workbook has 1.1 M texts).
MAYBE_FORMULA = FORMULA_STARTS | {"'"}
FORMULA_PREFIXES = tuple(sorted(MAYBE_FORMULA))  # str.startswith of any of them
LONG_TEXT = 16_383  # longer texts go through xlsxwriter's own checks (32,767 UTF-16 units)

# Printing at a size people can read (issue 25: the unfilled slots printed at 4 pt).
# A sheet fitted to the page's width is scaled down by the page's width over its own;
# its text (FONT_POINTS) must not print below MIN_PRINTED_POINTS. 8 pt is the floor
# asked for; 8.5 leaves room for the programs' own arithmetic (LibreOffice prints
# medium.json's tall fitted sheets 2% below their widths' scale: 8.3 pt).
FONT_POINTS = 10
MIN_PRINTED_POINTS = 8.5
A4_INCHES = {False: 8.27, True: 11.69}  # the page's width, portrait and landscape
SIDE_MARGINS_INCHES = 0.8  # left + right, as print_setup sets them
# Widths are counted in characters of the default font, Calibri 11: Excel rounds its
# digit to 7 pixels, LibreOffice (with Carlito, Calibri's metric twin) keeps the exact
# 0.5068 em x 11 pt = 7.43 px, so there every column is 6% wider and a sheet fitted to
# the page's width prints 6% smaller (8.0 pt where Excel prints 8.5; 7.8 on medium's
# tall sheets). Fitted sheets are laid out for LibreOffice's count (issue 25's audit).
# Without Calibri or Carlito a wider font counts instead (docs/spreadsheets.md).
LIBREOFFICE_CHARACTER_PIXELS = 7.43
NARROWEST = 8.0  # characters: a column is never narrowed below this to fit the page


def column_pixels(width: float) -> float:
    """A column's width on screen and paper at 96 dpi: Excel counts a character of the
    default font as 7 pixels, plus 5 pixels of padding."""
    return width * 7 + 5


def print_scale(widths: Sequence[float], landscape: bool, pages_wide: int = 1) -> float:
    """How much a sheet of ``widths`` is shrunk when fitted ``pages_wide`` pages wide."""
    page = (A4_INCHES[landscape] - SIDE_MARGINS_INCHES) * 96 * pages_wide
    return min(1.0, page / max(1.0, sum(column_pixels(w) for w in widths)))


@dataclass(frozen=True)
class PageLayout:
    """How a sheet prints: its column widths, the paper's orientation, the columns whose
    text wraps because they were narrowed, and how many pages wide it is split."""

    widths: tuple[float, ...]
    landscape: bool = False
    narrowed: frozenset[int] = frozenset()
    pages_wide: int = 1

    @property
    def printed_points(self) -> float:
        """The text's printed size in Excel (6% smaller in LibreOffice, when fitted)."""
        if self.pages_wide > 1:  # print_setup prints a split sheet at the floor
            return MIN_PRINTED_POINTS
        return FONT_POINTS * print_scale(self.widths, self.landscape)


def _narrowed_to(widths: Sequence[float], pixels: float, narrowest: float) -> list[float]:
    """``widths`` with the widest cut to one common width so that they take at most
    ``pixels`` (never below ``narrowest``)."""
    low, high = narrowest, max(widths)
    for _ in range(40):  # bisection on the common width; 40 halvings is exact enough
        middle = (low + high) / 2
        if sum(column_pixels(min(w, middle)) for w in widths) <= pixels:
            low = middle
        else:
            high = middle
    return [min(w, low) for w in widths]


def page_layout(
    widths: Sequence[float],
    *,
    narrowest: Sequence[float] | None = None,
    landscape: bool | None = None,
) -> PageLayout:
    """The most readable way to print columns of ``widths`` at MIN_PRINTED_POINTS or more
    (in LibreOffice; a little more in Excel):
    as they are in portrait, else landscape, else with the widest columns narrowed
    (their text wraps) down to ``narrowest`` (per column; NARROWEST by default), else
    split over as few pages wide as needed. ``landscape`` forces an orientation."""
    widths = [float(w) for w in widths]
    floor = list(narrowest) if narrowest is not None else [NARROWEST] * len(widths)
    floor = [min(f, w) for f, w in zip(floor, widths, strict=True)]
    scale = MIN_PRINTED_POINTS / FONT_POINTS * LIBREOFFICE_CHARACTER_PIXELS / 7
    orientations = (False, True) if landscape is None else (landscape,)
    for turned in orientations:
        if print_scale(widths, turned) >= scale:
            return PageLayout(tuple(widths), turned)
    turned = orientations[-1]
    page = (A4_INCHES[turned] - SIDE_MARGINS_INCHES) * 96 / scale
    fitted = [max(f, w) for f, w in zip(floor, _narrowed_to(widths, page, 0.0), strict=True)]
    narrowed = frozenset(i for i, (a, b) in enumerate(zip(fitted, widths, strict=True)) if a < b)
    pages = max(1, math.ceil(sum(column_pixels(w) for w in fitted) / page))
    return PageLayout(tuple(fitted), turned, narrowed, pages)


def header_lines(header: str) -> str:
    """``شناسه اردو (camp)`` on two lines: the Persian name, then the English one."""
    return header.replace(" (", "\n(", 1)


def fit_width(values: Iterable[Any], low: float = 6, high: float = MAX_WIDTH) -> float:
    """A column width (in characters) that shows the longest line of ``values``."""
    longest = max(
        (len(line) for v in values if v is not None for line in str(v).split("\n")), default=0
    )
    return max(low, min(high, longest * 1.1 + 2))


def longest_word(values: Iterable[Any], high: float = MAX_WIDTH) -> float:
    """The width (in characters) below which a column of ``values`` would break a word:
    how narrow a column may be made to fit the page."""
    longest = max(
        (len(word) for v in values if v is not None for word in str(v).split()), default=0
    )
    return min(high, longest * 1.1 + 2)


def distinct_texts(values: Iterable[Any]) -> set[str]:
    """The texts of ``values`` (None left out), each once: :func:`fit_width` and
    :func:`longest_word` of them equal those of ``values``, for far fewer splits
    (a column of skills or groups repeats a few texts over 100,000 rows)."""
    values = values if isinstance(values, list | tuple) else list(values)
    kinds = set(map(type, values))
    if float in kinds:  # 0.0 and -0.0 are one value, two texts
        return {v if v.__class__ is str else str(v) for v in values if v is not None}
    try:  # each value once, by type (True and 1 are equal, their texts are not)
        unique: Iterable[tuple[type, Any]] = set(zip(map(type, values), values, strict=True))
    except TypeError:  # a value that cannot be hashed
        unique = zip(map(type, values), values, strict=True)
    return {v if kind is str else str(v) for kind, v in unique if v is not None}


def _header_footer_text(text: str) -> str:
    """Text safe inside an Excel header: ``&`` doubled, at most 200 characters."""
    return text.replace("&", "&&")[:200]


def _worksheet_class() -> type:
    """xlsxwriter's worksheet with faster paths for shared-string cells (1.1 M of the
    season workbook's 1.2 M cells): a row's texts stored at once (``store_texts``) and
    written inline by ``_write_rows`` (or a shorter ``_write_cell``); what they store
    and write is, byte for byte, what xlsxwriter's ``write_string`` and ``_write_rows``
    would (tests/test_workbook_speed.py compares them)."""
    from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell_fast
    from xlsxwriter.worksheet import (
        CellBlankTuple,
        CellNumberTuple,
        CellStringTuple,
        Worksheet,
    )

    class FastWorksheet(Worksheet):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.fast_rows = {}  # row -> (kinds, styles, values): see store_row
            self.kinds_ends: dict[str, tuple[int, int]] = {}  # first and last cell

        def store_texts(self, row: int, cells: Sequence[tuple[int, str, Any]]) -> None:
            """(column, text, format) cells of ``row``, in column order, as
            ``write_string`` stores them one by one (texts of up to 16,383 characters,
            the format never None)."""
            if not cells:
                return
            if (
                self.constant_memory
                or self._check_dimensions(row, cells[0][0])
                or self._check_dimensions(row, cells[-1][0])
            ):
                for col, text, style in cells:
                    self._write_string(row, col, text, style)
                return
            strings = self.str_table
            index_of = strings.string_table
            stored = self.table[row]
            for col, text, style in cells:
                index = index_of.get(text)
                if index is None:
                    index = index_of[text] = strings.unique_count
                    strings.unique_count += 1
                stored[col] = CellStringTuple(index, style)
            strings.count += len(cells)

        fast_rows: dict[int, tuple[str, tuple[Any, ...], list[Any]]]

        def store_row(
            self,
            row: int,
            kinds: str,
            styles: tuple[Any, ...],
            texts: Sequence[str],
            numbers: Sequence[Any],
        ) -> None:
            """A whole row from column 0 on, kept as one entry (no cell object each) and
            written by ``_write_rows`` with one template per row's shape, the XML
            xlsxwriter writes for the same cells one by one: ``kinds[col]`` is ``s``
            (a text of at most 16,383 characters: the next of ``texts``), ``n`` (an
            int or a finite float: the next of ``numbers``), ``b`` (blank, styled) or
            ``-`` (no cell); ``styles[col]`` its format, never None for a cell."""
            ends = self.kinds_ends.get(kinds)
            if ends is None:
                ends = self.kinds_ends[kinds] = (
                    len(kinds) - len(kinds.lstrip("-")),
                    len(kinds.rstrip("-")) - 1,
                )
            first, last = ends
            if last < 0:
                return
            if (
                self.constant_memory
                or self.table.get(row)
                or row in self.fast_rows
                or self._check_dimensions(row, first)
                or self._check_dimensions(row, last)
            ):
                text, number = iter(texts), iter(numbers)
                for col, kind in enumerate(kinds):
                    if kind == "s":
                        self._write_string(row, col, next(text), styles[col])
                    elif kind == "n":
                        self._write_number(row, col, next(number), styles[col])
                    elif kind == "b":
                        self._write_blank(row, col, None, styles[col])
                return
            strings = self.str_table
            index_of = strings.string_table
            indices = list(map(index_of.get, texts))
            if None in indices:  # new texts: numbered in column order, as written
                for at, text in enumerate(texts):
                    if indices[at] is None:
                        index = index_of.get(text)
                        if index is None:
                            index = index_of[text] = strings.unique_count
                            strings.unique_count += 1
                        indices[at] = index
            strings.count += len(indices)
            indices.extend(numbers)
            self.fast_rows[row] = (kinds, styles, indices)

        def _materialized(self, row: int) -> None:
            """A row kept by ``store_row`` as xlsxwriter's own cells (the row has other
            cells too, or the sheet comments)."""
            kinds, styles, values = self.fast_rows.pop(row)
            cells = self.table[row]
            text, number = iter(values), iter(values[kinds.count("s") :])
            for col, kind in enumerate(kinds):
                if kind == "s":
                    cells.setdefault(col, CellStringTuple(next(text), styles[col]))
                elif kind == "n":
                    cells.setdefault(col, CellNumberTuple(next(number), styles[col]))
                elif kind == "b":
                    cells.setdefault(col, CellBlankTuple(styles[col]))

        def _template(self, kinds: str, styles: tuple[Any, ...]) -> str:
            """The cells of a row of this shape, ``{0}`` its number, then each text's
            shared-string index and each number (``store_row``'s order), as
            ``_write_cell`` writes them."""
            parts = []
            text, number = 1, 1 + kinds.count("s")
            for col, kind in enumerate(kinds):
                if kind == "-":
                    continue
                head = f'<c r="{xl_col_to_name(col)}{{0}}" s="{styles[col]._get_xf_index()}"'
                if kind == "s":
                    parts.append(f'{head} t="s"><v>{{{text}}}</v></c>')
                    text += 1
                elif kind == "n":
                    parts.append(f"{head}><v>{{{number}:.16G}}</v></c>")
                    number += 1
                else:
                    parts.append(f"{head}/>")
            return "".join(parts)

        def _calculate_spans(self) -> None:
            """xlsxwriter's spans (the columns of each block of 16 rows), the rows of
            ``store_row`` counted too."""
            if self.comments:
                for row in list(self.fast_rows):
                    self._materialized(row)
            if not self.fast_rows:
                super()._calculate_spans()
                return
            blocks: dict[int, tuple[int, int]] = {}
            first, last = self.dim_rowmin, self.dim_rowmax

            def seen(row: int, low: int, high: int) -> None:
                block = row // 16
                if block in blocks:
                    was = blocks[block]
                    blocks[block] = (min(was[0], low), max(was[1], high))
                else:
                    blocks[block] = (low, high)

            for row, cells in self.table.items():
                if cells and first <= row <= last:
                    seen(row, min(cells), max(cells))
            ends: dict[str, tuple[int, int]] = {}
            for row, (kinds, _, _) in self.fast_rows.items():
                if kinds not in ends:
                    ends[kinds] = (
                        len(kinds) - len(kinds.lstrip("-")),
                        len(kinds.rstrip("-")) - 1,
                    )
                seen(row, *ends[kinds])
            self.row_spans = {
                block: f"{low + 1}:{high + 1}" for block, (low, high) in blocks.items()
            }

        def _write_rows(self) -> None:
            """xlsxwriter's ``_write_rows`` (a sheet without comments) with each row's
            string cells written inline, and the rows of ``store_row`` by a template of
            their shape: the same XML, with a call per cell fewer."""
            for row in [r for r in self.fast_rows if self.table.get(r)]:
                self._materialized(row)  # other cells in its row: written cell by cell
            if self.constant_memory or self.comments:
                super()._write_rows()
                return
            self._calculate_spans()
            write = self.fh.write
            table, row_info, spans = self.table, self.row_info, self.row_spans
            fast_rows = self.fast_rows
            templates: dict[tuple[str, tuple[Any, ...]], str] = {}
            plain_rows = (
                self.default_row_height == self.original_row_height and self.excel_version != 2010
            )
            columns = [(c, xl_col_to_name(c)) for c in range(self.dim_colmin, self.dim_colmax + 1)]
            for row in range(self.dim_rowmin, self.dim_rowmax + 1):
                info = row_info.get(row)
                fast = fast_rows.get(row)
                if fast is not None:
                    kinds, styles, values = fast
                    template = templates.get((kinds, styles))
                    if template is None:
                        template = templates[(kinds, styles)] = self._template(kinds, styles)
                    span = spans.get(row // 16)
                    number = row + 1
                    if info is None and plain_rows and span:
                        write(f'<row r="{number}" spans="{span}">')
                    else:
                        self._write_row(row, span, info)
                    write(template.format(number, *values))
                    write("</row>")
                    continue
                cells = table.get(row)
                span = spans.get(row // 16)
                if not cells:
                    if row in row_info:
                        self._write_empty_row(row, span, info)
                    continue
                if info is None:
                    self._write_row(row, span)
                else:
                    self._write_row(row, span, info)
                number = row + 1
                for col, name in columns:
                    cell = cells.get(col)
                    if cell is None:
                        continue
                    if cell.__class__ is CellStringTuple and cell.format is not None:
                        write(
                            f'<c r="{name}{number}" s="{cell.format._get_xf_index()}" '
                            f't="s"><v>{cell.string}</v></c>'
                        )
                    else:
                        self._write_cell(row, col, cell)
                self._xml_end_tag("row")

        def _write_cell(self, row: int, col: int, cell: Any) -> None:
            if (
                cell.__class__ is CellStringTuple
                and cell.format is not None
                and not self.constant_memory
            ):
                self.fh.write(
                    f'<c r="{xl_rowcol_to_cell_fast(row, col)}" '
                    f's="{cell.format._get_xf_index()}" t="s"><v>{cell.string}</v></c>'
                )
                return
            super()._write_cell(row, col, cell)

    return FastWorksheet


def _getter(columns: Sequence[int]) -> Any:
    """The values of ``columns`` of a row, as a sequence (C's itemgetter where it can)."""
    if len(columns) > 1:
        return itemgetter(*columns)
    if len(columns) == 1:
        only = columns[0]
        return lambda values: (values[only],)
    return lambda values: ()


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
        self._worksheet_class = _worksheet_class()
        self._quoted: dict[int, Any] = {}  # each format's quote-prefixed twin (_guarded)
        font = {"font_name": "Tahoma", "font_size": 10, "reading_order": 2}
        self._properties: dict[int, dict[str, Any]] = {}  # each format's, for wrapped()
        self._wrapped: dict[int, Any] = {}
        # (id of a row's styles, its values' types) -> what row() stores (_shape)
        self._shapes: dict[tuple[int, tuple[type, ...]], Any] = {}
        self.plain = self._format(font)
        self.quoted = self._guarded(self.plain)
        self.bold = self._format({**font, "bold": True})
        self.header = self._format(
            {**font, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}
        )
        self.title = self._format({**font, "bold": True, "font_size": 13})
        self.camp_row = self._format({**font, "bold": True, "bg_color": "#FFF2CC"})
        self.missing = self._format({**font, "font_color": "#C00000"})
        self.date = self._format({**font, "num_format": "yyyy-mm-dd"})
        self.wrap = self._format({**font, "text_wrap": True, "valign": "top"})
        self.cancelled = self._format({**font, "font_color": "#7F7F7F", "bg_color": "#F2F2F2"})
        self.document_title = title
        self.layouts: dict[str, PageLayout] = {}  # per sheet, from table() or columns()

    def _format(self, properties: dict[str, Any]) -> Any:
        made = self.book.add_format(properties)
        self._properties[id(made)] = properties
        return made

    def wrapped(self, style: Any = None) -> Any:
        """``style`` (plain when None) with its text wrapped, for a narrowed column."""
        if style is None:
            return self.wrap
        if id(style) not in self._wrapped:
            self._wrapped[id(style)] = self._format(
                {**self._properties[id(style)], "text_wrap": True, "valign": "top"}
            )
        return self._wrapped[id(style)]

    def columns(
        self,
        worksheet: Any,
        widths: Sequence[float],
        *,
        narrowest: Sequence[float] | None = None,
        landscape: bool | None = None,
    ) -> PageLayout:
        """Set the columns of ``worksheet`` to print readably (:func:`page_layout`);
        returns the layout, whose ``narrowed`` columns should wrap their text."""
        layout = page_layout(widths, narrowest=narrowest, landscape=landscape)
        for col, width in enumerate(layout.widths):
            worksheet.set_column(col, col, width)
        self.layouts[worksheet.name] = layout
        return layout

    def print_setup(
        self,
        worksheet: Any,
        heading: str,
        *,
        repeat_rows: tuple[int, int] | None = None,
    ) -> None:
        """A4, as wide as the sheet's layout says (one page, unless its columns cannot be
        read at 8 pt on one), page numbers in the footer and ``heading`` on top of every
        page; ``repeat_rows`` (first, last) are printed again on every page."""
        layout = self.layouts.get(worksheet.name, PageLayout(()))
        worksheet.set_paper(A4)
        if layout.landscape:
            worksheet.set_landscape()
        if layout.pages_wide == 1:
            worksheet.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
        else:
            # Too wide for one page at 8 pt: printed at the smallest readable size, the
            # columns flow over the pages (fitting to N pages wide would print a sheet
            # that needs 1.1 pages at full size, and twice the paper).
            worksheet.set_print_scale(math.ceil(100 * MIN_PRINTED_POINTS / FONT_POINTS))
            worksheet.repeat_columns(0, 0)  # the row's id on every page of a split sheet
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
        worksheet = self.book.add_worksheet(name, worksheet_class=self._worksheet_class)
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

    def row(self, worksheet: Any, row: int, values: Sequence[Any], styles: Sequence[Any]) -> None:
        """``values`` from column 0 on, each as :meth:`cell` writes it with its column's
        style in ``styles`` (None: plain); without the per-cell dispatch, the whole row
        kept at once (``store_row``: one template per row's shape writes it): the
        formula guard is asked only about a text whose first character could start a
        formula. A row holding what ``store_row`` does not take (a text too long, a
        value of another type) is written cell by cell."""
        if not hasattr(worksheet, "store_row"):
            for col, value in enumerate(values):
                self.cell(worksheet, row, col, value, styles[col] if col < len(styles) else None)
            return
        types = tuple(map(type, values))
        shape = self._shapes.get((id(styles), types))
        if shape is None:
            shape = self._shapes[(id(styles), types)] = self._shape(styles, types)
        kinds, formats, pick_texts, pick_numbers, _ = shape
        if kinds is not None:  # texts, ints and empty cells, as most rows
            strings = pick_texts(values)
            if not any(map(str.startswith, strings, repeat(FORMULA_PREFIXES))) and (
                max(map(len, strings), default=0) <= LONG_TEXT
            ):  # none that could be a formula, none too long
                worksheet.store_row(row, kinds, formats, strings, pick_numbers(values))
                return
        plain, maybe, date = self.plain, MAYBE_FORMULA, self.date
        kinds: list[str] = []
        cells: list[Any] = []
        formats: list[Any] = []
        for col, value in enumerate(values):
            style = styles[col] if col < len(styles) else None
            kind = value.__class__
            if kind is str:
                if len(value) > LONG_TEXT:  # xlsxwriter's own checks cut it
                    break
                kinds.append("s")
                cells.append(value)
                if value and value[0] in maybe:
                    formats.append(self._text_style(value, style))
                else:
                    formats.append(style or plain)
            elif kind is int or (kind is float and math.isfinite(value)):
                kinds.append("n")
                cells.append(value)
                formats.append(style or plain)
            elif kind is bool:
                kinds.append("s")
                cells.append("yes" if value else "no")
                formats.append(style or plain)
            elif value is None:
                kinds.append("-" if style is None else "b")
                cells.append(None)
                formats.append(style)
            elif kind is dt.date or kind is dt.datetime:
                kinds.append("n")
                cells.append(worksheet._convert_date_time(value))
                formats.append(date)
            else:
                break
        else:
            texts = [value for value, kind in zip(cells, kinds, strict=True) if kind == "s"]
            numbers = [value for value, kind in zip(cells, kinds, strict=True) if kind == "n"]
            worksheet.store_row(row, "".join(kinds), tuple(formats), texts, numbers)
            return
        for col, value in enumerate(values):  # cell by cell, as cell() writes each
            self.cell(worksheet, row, col, value, styles[col] if col < len(styles) else None)

    def _shape(
        self, styles: Sequence[Any], types: tuple[type, ...]
    ) -> tuple[str | None, tuple[Any, ...], Any, Any, Sequence[Any]]:
        """What :meth:`row` stores for a row of values of ``types`` in columns of
        ``styles``: its kinds (None: not texts, ints and empty cells alone), formats,
        and the getters of its texts and of its numbers; the styles are kept with it
        (their id, the shape's key, stays theirs)."""
        kinds, formats = [], []
        for col, kind in enumerate(types):
            style = styles[col] if col < len(styles) else None
            if kind is str or kind is int:
                kinds.append("s" if kind is str else "n")
                formats.append(style or self.plain)
            elif kind is type(None):
                kinds.append("-" if style is None else "b")
                formats.append(style)
            else:
                return None, (), None, None, styles
        texts = [col for col, kind in enumerate(kinds) if kind == "s"]
        numbers = [col for col, kind in enumerate(kinds) if kind == "n"]
        return "".join(kinds), tuple(formats), _getter(texts), _getter(numbers), styles

    @staticmethod
    def _store_texts(worksheet: Any, row: int, texts: Sequence[tuple[int, str, Any]]) -> None:
        if hasattr(worksheet, "store_texts"):
            worksheet.store_texts(row, texts)
        else:
            for col, text, style in texts:
                worksheet.write_string(row, col, text, style)

    def merged(
        self, worksheet: Any, row: int, first_col: int, last_col: int, text: str, style: Any
    ) -> None:
        """One text across the columns ``first_col``..``last_col`` of ``row``, guarded as
        :meth:`cell` guards a cell (a camp's heading starts with its name)."""
        worksheet.merge_range(
            row, first_col, row, last_col, str(text), self._text_style(str(text), style)
        )

    def _text_style(self, text: str, style: Any) -> Any:
        """The one formula guard of every text cell: a text a spreadsheet program could
        read as a formula gets its style's quote-prefixed twin (the look kept)."""
        style = style or self.plain
        return self._guarded(style) if is_formula_like(text) else style

    def _guarded(self, style: Any) -> Any:
        if id(style) not in self._quoted:
            properties = self._properties[id(style)]
            self._quoted[id(style)] = self._format({**properties, "quote_prefix": True})
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
        column is as wide as its longest text (up to MAX_WIDTH, then wrapped), narrowed
        where the sheet would otherwise print below 8 pt (:func:`page_layout`).
        ``row_style(values)`` may give a row its own style (a cancelled camp's, say)."""
        rows = [list(values) for values in rows]
        if set(map(len, rows)) <= {len(headers)}:  # every row as wide as the headers
            texts = [distinct_texts(column) for column in zip(*rows, strict=True)] or [
                set() for _ in headers
            ]
        else:
            texts = [
                distinct_texts([r[col] for r in rows if col < len(r)])
                for col in range(len(headers))
            ]
        if widths is None:
            widths = [
                fit_width(column | {header_lines(h)})
                for column, h in zip(texts, headers, strict=True)
            ]
        narrowest = [
            max(NARROWEST, longest_word(column | {h}))
            for column, h in zip(texts, headers, strict=True)
        ]
        layout = self.columns(worksheet, widths, narrowest=narrowest)
        lines = 1
        for col, header in enumerate(headers):
            text = header_lines(header)
            # a narrowed header wraps too: count the lines it takes at its width
            width = max(1, int(layout.widths[col]) - 1) if col < len(layout.widths) else 99
            taken = sum(max(1, math.ceil(len(line) / width)) for line in text.split("\n"))
            lines = max(lines, taken)
            self.cell(worksheet, first_row, col, text, self.header)
        worksheet.set_row(first_row, HEADER_LINE_HEIGHT * lines)
        wide = {col for col, width in enumerate(widths) if width >= MAX_WIDTH}
        wide |= layout.narrowed
        number = first_row + 1
        columns: dict[int, list[Any]] = {}  # each row style's style per column
        for values in rows:
            style = row_style(values) if row_style else None
            if id(style) not in columns:
                columns[id(style)] = [
                    self.wrapped(style) if col in wide else style for col in range(len(values))
                ]
            self.row(worksheet, number, values, columns[id(style)])
            number += 1
        worksheet.freeze_panes(first_row + 1, 0)
        if autofilter and headers:
            worksheet.autofilter(first_row, 0, max(number - 1, first_row), len(headers) - 1)
        return number

    def close(self) -> bytes:
        with _quick_zip():
            self.book.close()
        return self.buffer.getvalue()


# The workbook's parts are deflated at zlib's level 1, not its default 6: on the
# season's workbook, a third of the time for a file about a fifth larger.
ZIP_LEVEL = 1
_zip_lock = threading.Lock()


@contextmanager
def _quick_zip() -> Iterator[None]:
    """xlsxwriter's packaging with its parts deflated at ZIP_LEVEL: the ``ZipInfo``
    it makes each part's entry with gives that level (xlsxwriter has no option)."""
    from zipfile import ZipInfo

    import xlsxwriter.workbook

    class QuickZipInfo(ZipInfo):
        __slots__ = ()

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._compresslevel = ZIP_LEVEL

    with _zip_lock:  # one workbook packed at a time: the name is xlsxwriter's module's
        made = xlsxwriter.workbook.ZipInfo
        xlsxwriter.workbook.ZipInfo = QuickZipInfo
        try:
            yield
        finally:
            xlsxwriter.workbook.ZipInfo = made
