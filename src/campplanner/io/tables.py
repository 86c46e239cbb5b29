"""Reading the tables of a workbook or of a folder of CSV files, with where each cell is.

Every later message names the sheet, the row and the column as a planner sees them in
Excel: ``sheet 'داوطلبان', row 7, column 'home' (D)``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from campplanner.errors import InstanceError, Issue
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


def read_workbook(path: Path) -> list[RawSheet]:
    """Every worksheet of an .xlsx file, as values (formulas give their saved results)."""
    import openpyxl  # lazily: the CLI starts fast without it

    source = str(path)
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise InstanceError(source, [Issue("", "the workbook is too large")])
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except InstanceError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        reason = getattr(error, "strerror", None) or "not an .xlsx workbook"
        raise InstanceError(source, [Issue("", f"cannot be read ({reason})")]) from None
    except Exception:  # openpyxl raises many kinds on damaged files
        # Not the class name ("ParseError", "InvalidFileException"): words for a planner.
        reason = "the file is damaged or was not saved by a spreadsheet program"
        issue = Issue("", f"cannot be read as an .xlsx workbook ({reason})")
        raise InstanceError(source, [issue]) from None
    try:
        sheets = []
        for worksheet in workbook.worksheets:
            rows = []
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
                cells = list(values)
                if not all(is_blank(v) for v in cells):
                    rows.append((number, cells))
            sheets.append(RawSheet(worksheet.title, rows))
        return sheets
    finally:
        workbook.close()


def _read_csv_folder(folder: Path) -> list[RawSheet]:
    files = sorted(p for p in folder.iterdir() if p.suffix.casefold() == ".csv" and p.is_file())
    if not files:
        raise InstanceError(str(folder), [Issue("", "the folder holds no .csv file")])
    return [_read_csv(path) for path in files]


def _read_csv(path: Path) -> RawSheet:
    source = str(path)
    try:
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
    raw_sheets: Sequence[RawSheet], specs: Iterable[Sheet], issues: list[Issue],
    warnings: list[Issue], *, ignore_unknown: bool = False,
) -> dict[str, RawSheet]:  # fmt: skip
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
    raw: RawSheet, spec: Sheet, issues: list[Issue], warnings: list[Issue],
    *, ignore_unknown: bool = False,
) -> Table:  # fmt: skip
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
