"""Keeping data inert in outputs: no formulas in spreadsheets, no paths from names.

A volunteer called ``=HYPERLINK("http://…","click")`` must stay a name in every file
campplanner writes. Spreadsheet programs run a cell that starts with ``=``, ``+``,
``-`` or ``@`` (and some a tab or carriage return first) as a formula, in a workbook
and in a CSV file alike. The workbook writer stores every text as a string cell with
Excel's "quote prefix" (the program shows the text and keeps it text when edited); CSV
files have no cell types, so there a leading apostrophe is added, as OWASP advises.
HTML is escaped by the report's template engine, not here.
"""

from __future__ import annotations

import re
import unicodedata

# Full-width look-alikes are included: some spreadsheet programs read them as operators.
FORMULA_STARTS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
MAX_SHEET_NAME = 31
_FILE_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{i}" for p in ("com", "lpt") for i in range(10)
}
MAX_FILE_STEM = 60


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet program could read ``text`` as a formula (or hides it so).

    A text that starts with an apostrophe followed by such a text counts too, so that
    :func:`neutralize_csv` and :func:`restore_csv` are exact inverses.
    """
    if not text:
        return False
    if text[0] in FORMULA_STARTS:
        return True
    return text[0] == "'" and is_formula_like(text[1:])


def neutralize_csv(text: str) -> str:
    """``'`` + text when a spreadsheet program would read the text as a formula."""
    return "'" + text if is_formula_like(text) else text


def restore_csv(text: str) -> str:
    """The inverse of :func:`neutralize_csv` (for reading back what campplanner wrote)."""
    return text[1:] if text.startswith("'") and is_formula_like(text[1:]) else text


def sheet_name(text: str, used: set[str], fallback: str = "sheet") -> str:
    """A valid, unique worksheet name from free text; adds it to ``used`` (compared casefolded).

    Excel refuses ``[ ] : * ? / \\``, names longer than 31 characters, names that start
    or end with an apostrophe, ``History``, and two names that differ only in case.
    """
    name = _SHEET_FORBIDDEN.sub("_", unicodedata.normalize("NFC", text)).strip().strip("'")
    name = name[:MAX_SHEET_NAME].strip().strip("'") or fallback
    if name.casefold() == "history":
        name = f"{name}_"
    taken = {u.casefold() for u in used}
    candidate, number = name, 1
    while candidate.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = name[: MAX_SHEET_NAME - len(suffix)].rstrip().rstrip("'") + suffix
    used.add(candidate)
    return candidate


def file_stem(text: str, fallback: str = "unnamed") -> str:
    """A file name stem from free text: no folders, no dots at the start, no reserved names.

    Letters of every script are kept (``خمین`` stays ``خمین``); ``../../x`` becomes ``x``
    after its separators and dots are dropped, so nothing lands outside the chosen folder.
    """
    name = _FILE_FORBIDDEN.sub("_", unicodedata.normalize("NFC", text))
    name = re.sub(r"\.{2,}", "", name)  # ".." says "the folder above" to a careless reader
    name = re.sub(r"\s+", " ", name).strip(" ._")
    name = re.sub(r"_+", "_", name)
    name = name[:MAX_FILE_STEM].strip(" ._")
    if not name or name.split(".")[0].casefold() in _WINDOWS_RESERVED:
        name = f"{fallback}-{name}" if name else fallback
    return name


def unique_file_stem(text: str, used: set[str], fallback: str = "unnamed") -> str:
    """:func:`file_stem`, made unique among ``used`` (casefolded, for Windows and macOS)."""
    stem = file_stem(text, fallback)
    taken = {u.casefold() for u in used}
    candidate, number = stem, 1
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{stem}-{number}"
    used.add(candidate)
    return candidate
