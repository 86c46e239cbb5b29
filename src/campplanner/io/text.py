"""Normalising what planners type: Arabic letters, Persian digits, invisible marks.

Persian keyboards on Windows and phones differ: the same name may arrive with the
Arabic yeh and kaf (``ي``, ``ك``) or the Persian ones (``ی``, ``ک``), with Persian,
Arabic-Indic or ASCII digits, and with invisible direction marks pasted from other
programs. Two spellings of one id must not become two volunteers.
"""

from __future__ import annotations

import re
import unicodedata

from campplanner.contract.calendar import to_ascii_digits

# Arabic yeh, alef maksura and kaf -> Persian yeh and kaf (what Persian keyboards type).
_LETTERS = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9"})
# Direction marks and embeddings: invisible, pasted along with text from other programs.
_BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_EDGE_SPACE = " \t\r\n\u00a0\u200b\u200c\u200d\u2009\u202f"
_ZWNJ_AND_SPACES = re.compile(r"[\s\u200c_\-]+")


def normalize_text(value: str) -> str:
    """Persian letters for Arabic ones, no direction marks, no spaces at either end.

    Digits are kept as typed: ``اردوی ۲`` is a name, not a number.
    """
    text = unicodedata.normalize("NFC", value).translate(_LETTERS)
    return _BIDI_MARKS.sub("", text).strip(_EDGE_SPACE)


def normalize_code(value: str) -> str:
    """An id, date or number as typed: normalised text with ASCII digits."""
    return to_ascii_digits(normalize_text(value))


def header_key(value: str) -> str:
    """A header or keyword reduced for matching: case, spaces, ZWNJ, ``_`` and ``-`` ignored.

    ``Max km``, ``max_km`` and ``MAX-KM`` match; so do ``مهارت‌ها``, ``مهارت ها`` and
    ``مهارتها``.
    """
    return _ZWNJ_AND_SPACES.sub("", normalize_code(value).casefold())
