"""Reading the tables of a workbook or of a folder of CSV files, with where each cell is.

Every later message names the sheet, the row and the column as a planner sees them in
Excel: ``sheet 'داوطلبان', row 7, column 'home' (D)``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from campplanner.contract.errors import InstanceError, Issue
from campplanner.contract.kinds import kind_of_path, wrong_kind
from campplanner.io import archive
from campplanner.io.archive import inspect_workbook, refuse
from campplanner.io.sheets import Sheet, header_candidates
from campplanner.io.text import normalize_text

Value = str | int | float | bool | dt.datetime | dt.date | dt.time | None
MAX_SOURCE_BYTES = 512 * 1024**2


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (CSV files get letters too: Excel shows them so)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class Where:
    """A cell (or a row, or a sheet) as a planner finds it."""

    sheet: str
    row: int | None = None
    column: str | None = None  # the column's key
    letter: str | None = None

    def __str__(self) -> str:
        text = f"sheet {self.sheet!r}"
        if self.row is not None:
            text += f", row {self.row}"
        if self.column is not None:
            text += f", column {self.column!r}"
            if self.letter:
                text += f" ({self.letter})"
        return text


@dataclass
class RawSheet:
    """A sheet's cells as read: (row number, values) for every row that is not blank."""

    name: str
    rows: list[tuple[int, list[Value]]]


@dataclass
class Row:
    number: int
    values: dict[str, Value]  # column key -> the cell's value (None when blank)


@dataclass
class Table:
    """A sheet matched to its specification: columns found, then its data rows."""

    name: str
    spec: Sheet
    letters: dict[str, str]  # column key -> column letter
    rows: list[Row] = field(default_factory=list)
    header_row: int = 1

    def where(self, row: int | None = None, column: str | None = None) -> Where:
        return Where(self.name, row, column, self.letters.get(column) if column else None)


def is_blank(value: Value) -> bool:
    return value is None or (isinstance(value, str) and not normalize_text(value))


# ------------------------------------------------------------------ reading the source


def read_source(path: str | Path) -> list[RawSheet]:
    """The sheets of an .xlsx workbook, or the CSV files (one per sheet) of a folder."""
    source = Path(path)
    if source.is_dir():
        return _read_csv_folder(source)
    if not source.exists():
        raise InstanceError(str(source), [Issue("", "no such file or folder")])
    suffix = source.suffix.casefold()
    if suffix in (".xls", ".ods", ".numbers"):
        raise InstanceError(
            str(source),
            [Issue("", f"{suffix} files are not read: save the workbook as .xlsx")],
        )
    if suffix == ".csv":
        return [_read_csv(source)]
    return read_workbook(source)


def read_workbook(path: Path, only: Iterable[Sheet] | None = None) -> list[RawSheet]:
    """Every worksheet of an .xlsx file (or ``only`` those that match these sheets'
    names), as values (formulas give their saved results).

    The archive is inspected first (:func:`campplanner.io.archive.inspect_workbook`:
    what it inflates to, damage, DTDs); the size a sheet declares (``<dimension>``) is
    ignored, and at most ``archive.max_cells()`` cells are read in all, blank ones included.
    """
    source = str(path)
    try:
        if not path.is_file():
            raise refuse(source, "is not a regular file (a device, a pipe or a folder)")
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise refuse(source, "the workbook is too large")
    except OSError as error:
        raise refuse(source, f"cannot be read ({error.strerror})") from None
    found = kind_of_path(path)
    if found not in (None, "workbook"):  # JSON: not "a damaged workbook", but which file it is
        raise wrong_kind(source, found, "workbook")
    inspect_workbook(path)
    try:
        workbook = _open_workbook(path)
    except Exception as error:  # openpyxl raises many kinds on damaged files
        raise refuse(source, _damage(error, "the workbook's structure")) from None
    try:
        budget = _CellBudget(source)
        wanted = None if only is None else set().union(*(spec.names() for spec in only))
        return [
            _read_sheet(worksheet, budget, source)
            for worksheet in workbook.worksheets
            if wanted is None or set(header_candidates(worksheet.title)) & wanted
        ]
    finally:
        workbook.close()


def _open_workbook(path: Path) -> Any:
    """openpyxl's read-only workbook, with its shared strings as stored.

    openpyxl drops every ``x005F_`` from shared strings, which turns a literal
    ``_x000D_`` (stored as ``_x005F_x000D_``) into an escaped carriage return: the
    strings are kept as stored here and unescaped once, exactly, with every other cell
    (:func:`unescape_ooxml`).
    """
    # lazily: the CLI starts fast without openpyxl
    from openpyxl.cell.text import Text
    from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    class StringsAsStored(ExcelReader):  # type: ignore[misc]
        def read_strings(self) -> None:
            part = self.package.find(SHARED_STRINGS)
            if part is None:
                return
            tag = f"{{{SHEET_MAIN_NS}}}si"
            strings = []
            with self.archive.open(part.PartName[1:]) as stream:
                for _, node in iterparse(stream):
                    if node.tag == tag:
                        strings.append(Text.from_tree(node).content)
                        node.clear()
            self.shared_strings = strings

    reader = StringsAsStored(path, read_only=True, data_only=True)
    reader.read()
    return reader.wb


class _CellBudget:
    """Cells read so far, padding included: a row may claim a cell in column XFD."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.left = self.most = archive.max_cells()

    def spend(self, cells: int, sheet: str) -> None:
        self.left -= cells
        if self.left < 0:
            raise refuse(
                self.source,
                (
                    f"sheet {sheet!r}: more than {self.most:,} cells (rows and columns in use, "
                    "blank ones included): too many to read; delete the unused rows and columns"
                ),
            )


def _read_sheet(worksheet: Any, budget: _CellBudget, source: str) -> RawSheet:
    # A <dimension> of A1:XFD1048576 in a 13 KB file would make openpyxl pad every row
    # to 16,384 cells and yield a million rows: only the cells present count.
    worksheet.reset_dimensions()
    rows = []
    try:
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            budget.spend(len(values) + 1, worksheet.title)
            if not all(is_blank(v) for v in values):
                rows.append(
                    (number, [unescape_ooxml(v) if isinstance(v, str) else v for v in values])
                )
    except InstanceError:
        raise
    except Exception as error:  # a damaged sheet: broken XML, bad cell references...
        raise refuse(source, _damage(error, f"sheet {worksheet.title!r}")) from None
    return RawSheet(worksheet.title, rows)


_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape_ooxml(text: str) -> str:
    """A cell's text as it was typed: the .xlsx format stores a control character such
    as a carriage return as ``_x000D_``, and a literal ``_x000D_`` as ``_x005F_x000D_``
    (xlsxwriter and Excel write so; openpyxl hands both back as stored)."""
    if "_x" not in text:
        return text
    return _OOXML_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text)


def _damage(error: Exception, what: str) -> str:
    """A damaged part in a planner's words: where the XML breaks, never a class name."""
    position = getattr(error, "position", None)
    if isinstance(error, SyntaxError) and position:  # xml.etree's ParseError
        line, column = position
        return (
            f"{what} is damaged: its XML is broken at line {line}, column {column} "
            "(save the file again from a spreadsheet program)"
        )
    return f"{what} is damaged and cannot be read (save the file again from a spreadsheet program)"


def _read_csv_folder(folder: Path) -> list[RawSheet]:
    files = sorted(p for p in folder.iterdir() if p.suffix.casefold() == ".csv" and p.is_file())
    if not files:
        raise InstanceError(str(folder), [Issue("", "the folder holds no .csv file")])
    return [_read_csv(path) for path in files]


def _read_csv(path: Path) -> RawSheet:
    source = str(path)
    try:
        if not path.is_file():
            raise refuse(source, "is not a regular file (a device, a pipe or a folder)")
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise InstanceError(source, [Issue("", "the file is too large")])
        raw = path.read_bytes()
    except OSError as error:
        raise InstanceError(source, [Issue("", f"cannot be read ({error.strerror})")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InstanceError(
            source,
            [
                Issue(
                    "",
                    f"is not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start});"
                    " in Excel choose 'CSV UTF-8' when saving",
                )
            ],
        ) from None
    first_line = text.split("\n", 1)[0]
    # Excel writes ';' or tab in some locales; the header line tells which.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = [
            (number, list(values))
            for number, values in enumerate(reader, start=1)
            if not all(is_blank(v) for v in values)
        ]
    except csv.Error as error:
        raise InstanceError(source, [Issue("", f"is not a valid CSV file ({error})")]) from None
    return RawSheet(path.stem, rows)


# ------------------------------------------------------------- matching the specification


def match_sheets(
    raw_sheets: Sequence[RawSheet],
    specs: Iterable[Sheet],
    issues: list[Issue],
    warnings: list[Issue],
    *,
    ignore_unknown: bool = False,
) -> dict[str, RawSheet]:
    """Sheet key -> the raw sheet whose name matches it (English, Persian or alias)."""
    specs = list(specs)
    found: dict[str, RawSheet] = {}
    for raw in raw_sheets:
        keys = set(header_candidates(raw.name))
        spec = next((s for s in specs if keys & s.names()), None)
        if spec is None:
            if not ignore_unknown:
                warnings.append(Issue(str(Where(raw.name)), "unknown sheet, ignored"))
            continue
        if spec.key in found:
            issues.append(
                Issue(
                    str(Where(raw.name)),
                    f"a second {spec.key} sheet (the first is {found[spec.key].name!r})",
                )
            )
            continue
        found[spec.key] = raw
    for spec in specs:
        if spec.required and spec.key not in found:
            issues.append(
                Issue("", f"no {spec.key} sheet (name it {spec.key!r} or {spec.persian!r})")
            )
    return found


def table_of(
    raw: RawSheet,
    spec: Sheet,
    issues: list[Issue],
    warnings: list[Issue],
    *,
    ignore_unknown: bool = False,
) -> Table:
    """Match the header row (the first row that is not blank) and read the data rows."""
    table = Table(raw.name, spec, {})
    if not raw.rows:
        return table
    header_number, header = raw.rows[0]
    table.header_row = header_number
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        if is_blank(cell):
            continue
        text = normalize_text(str(cell))
        if text.startswith("#"):  # a planner's own note column
            continue
        keys = set(header_candidates(text))
        column = next((c for c in spec.columns if keys & c.names()), None)
        where = Where(raw.name, header_number, text, column_letter(index))
        if column is None:
            if not ignore_unknown:
                warnings.append(Issue(str(where), "unknown column, ignored"))
            continue
        if column.key in positions:
            issues.append(
                Issue(
                    str(where),
                    f"a second {column.key!r} column "
                    f"(the first is {column_letter(positions[column.key])})",
                )
            )
            continue
        positions[column.key] = index
    table.letters = {key: column_letter(index) for key, index in positions.items()}
    for column in spec.columns:
        if column.required and column.key not in positions:
            issues.append(
                Issue(
                    str(Where(raw.name, header_number)),
                    f"no {column.key!r} column (head it {column.key!r} or {column.persian!r})",
                )
            )
    for number, values in raw.rows[1:]:
        row = {key: values[i] if i < len(values) else None for key, i in positions.items()}
        if all(is_blank(v) for v in row.values()):
            continue
        table.rows.append(Row(number, row))
    return table
