"""Looking inside an .xlsx file before a spreadsheet library opens it.

An .xlsx file is a zip archive of XML parts. A 10 MB file can hold a sheet or a table
of shared strings that inflates to gigabytes, a part can be cut short or corrupted, and
an XML part can declare a DTD with entities. openpyxl would fill the memory, spend
minutes, or raise its own exceptions; here each is one message that names the file.

:func:`inspect_workbook` reads the archive's directory (refusing more than
``max_inflated_bytes()`` in total, as declared), then inflates every part once, in
bounded steps, counting what actually comes out (the same limit again: a directory may
lie), checking each part's CRC, refusing a DTD in any XML part, and counting the rows
and cells of the sheets and the shared strings (``max_cells()``) before any is parsed.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from pathlib import Path

from campplanner.contract.errors import InstanceError, Issue

# What the parts of one workbook may inflate to, in total: several times a sheet of a
# million short texts (figures: docs/benchmarks.md).
MAX_INFLATED_MIB = 256
# Rows and cells a workbook may hold (and texts in its table of shared strings).
# Four times a season's roster, which openpyxl reads in tens of seconds
# (figures: docs/benchmarks.md).
MAX_CELLS = 4_000_000
INFLATED_ENV = "CAMPPLANNER_MAX_WORKBOOK_MIB"
CELLS_ENV = "CAMPPLANNER_MAX_WORKBOOK_CELLS"


def _setting(name: str, default: int) -> int:
    text = os.environ.get(name)
    if not text:
        return default
    if not text.strip().isdigit() or int(text) < 1:
        raise InstanceError(f"{name}={text!r}", [Issue("", "must be a whole number, 1 or more")])
    return int(text)


def max_inflated_bytes() -> int:
    """What a workbook may inflate to: 256 MiB, or CAMPPLANNER_MAX_WORKBOOK_MIB."""
    return _setting(INFLATED_ENV, MAX_INFLATED_MIB) * 1024**2


def max_cells() -> int:
    """Rows and cells (or shared texts) a workbook may hold: 4 million, or
    CAMPPLANNER_MAX_WORKBOOK_CELLS."""
    return _setting(CELLS_ENV, MAX_CELLS)


_CHUNK = 1024**2
_XML_SUFFIXES = (".xml", ".rels", ".vml")
# A DTD is the only way to declare entities; no part of a real workbook has one.
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
_MARKER_OVERLAP = max(len(m) for m in _DTD_MARKERS) - 1


def refuse(source: str, message: str) -> InstanceError:
    return InstanceError(source, [Issue("", message)])


def inspect_workbook(path: Path) -> None:
    """Raise InstanceError unless ``path`` is an intact zip whose parts are safe to parse."""
    source = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            _check_directory(parts, source)
            inflated = 0
            for part in parts:
                inflated = _inflate_part(archive, part, inflated, source)
    except zipfile.BadZipFile:
        raise refuse(
            source,
            "not an .xlsx workbook, or a damaged one (its zip structure "
            "is broken: was the file cut short?)",
        ) from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError):
        # zip64 edge cases, unknown compression methods, encrypted parts
        raise refuse(
            source,
            "uses zip features a workbook does not (encryption or an "
            "unknown compression): save it again as .xlsx",
        ) from None
    except EOFError:
        raise refuse(source, "is damaged: a part ends early (was the file cut short?)") from None
    except OSError as error:
        raise refuse(source, f"cannot be read ({error.strerror or 'input/output error'})") from None


def _check_directory(parts: list[zipfile.ZipInfo], source: str) -> None:
    declared = sum(part.file_size for part in parts)
    if declared > max_inflated_bytes():
        raise refuse(source, _too_large(f"its parts declare {_mib(declared)} when inflated"))


def _inflate_part(
    archive: zipfile.ZipFile, part: zipfile.ZipInfo, inflated: int, source: str
) -> int:
    """Inflate one part in bounded steps; returns the running total of inflated bytes."""
    name = part.filename.casefold()
    check_markup = name.endswith(_XML_SUFFIXES)
    count_elements = _element_markers(name)
    elements = 0
    tail = b""
    limit, most_cells = max_inflated_bytes(), max_cells()
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(_CHUNK):
                inflated += len(chunk)
                if inflated > limit:
                    raise refuse(source, _too_large(f"it inflates past {_mib(inflated)}"))
                if check_markup:
                    window = tail + chunk
                    if any(marker in window for marker in _DTD_MARKERS):
                        raise refuse(
                            source,
                            f"the part {part.filename} declares a DTD or "
                            "entities, which workbooks never need: refused "
                            "(save the file again from a spreadsheet "
                            "program)",
                        )
                    tail = window[-_MARKER_OVERLAP:]
                elements += sum(chunk.count(marker) for marker in count_elements)
                if elements > most_cells:
                    raise refuse(
                        source,
                        f"the part {part.filename} holds more than "
                        f"{most_cells:,} rows, cells or texts: too many to "
                        f"read ({CELLS_ENV} raises the limit)",
                    )
    except zipfile.BadZipFile:
        raise refuse(
            source, f"is damaged: the part {part.filename} is corrupt (its checksum does not match)"
        ) from None
    except (EOFError, zlib.error):
        raise refuse(
            source,
            f"is damaged: the part {part.filename} cannot be inflated (was the file cut short?)",
        ) from None
    return inflated


def _element_markers(name: str) -> tuple[bytes, ...]:
    """The tags counted in a part: rows and cells of a sheet, texts of the shared strings."""
    if name.startswith("xl/worksheets/") and name.endswith(".xml"):
        return (b"<row", b"<c ", b"<c>")
    if name.endswith("sharedstrings.xml"):
        return (b"<si>", b"<si ")
    return ()


def _too_large(what: str) -> str:
    return (
        f"too large to read safely: {what}, more than the limit of "
        f"{_mib(max_inflated_bytes())} ({INFLATED_ENV} raises it)"
    )


def _mib(size: int) -> str:
    return f"{size / 1024**2:,.0f} MiB"
