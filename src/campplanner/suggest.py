"""Suggestions ("did you mean ...?") for unknown ids, edit ops and keys.

Planners type ids by hand on Persian and Arabic keyboards: ``پرستار`` may arrive with the
Arabic kaf or yeh, ``اردو۱`` with Persian, Arabic-Indic or ASCII digits, a compound with
or without its zero-width non-joiner. Those spellings are compared after normalising
them, so the suggestion is the id the planner meant even where difflib's similarity
of the raw strings is low; plain typos (``nurce``) are found by difflib.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

# Arabic yeh, alef maksura and kaf -> the Persian ones; Persian and Arabic-Indic digits
# -> ASCII. The same table as the workbook reader's, kept here because the data contract
# layer may not import the io layer above it.
_SAME_LETTERS = str.maketrans(
    {"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9"}
    | {chr(0x06F0 + d): str(d) for d in range(10)}
    | {chr(0x0660 + d): str(d) for d in range(10)}
)
# ZWNJ, zero-width joiner and space, direction marks and embeddings: invisible.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SEPARATORS = re.compile(r"[\s_\-]+")

# Past this many known ids, difflib (a ratio per known id) is only asked about the first
# few unknown values of a file: 22,000 volunteers x 250 typos would take a minute.
_FUZZY_BUDGET = 2_000_000


def comparable(text: str) -> str:
    """``text`` reduced to what a planner means: Persian letters, ASCII digits, no
    invisible marks, case and ``_ - space`` ignored."""
    folded = unicodedata.normalize("NFKC", text).translate(_SAME_LETTERS)
    return _SEPARATORS.sub("", _INVISIBLE.sub("", folded).casefold())


class Suggestions:
    """The known values of one kind (skill ids, place ids, ops...), asked for the closest
    one to a value that is not among them."""

    def __init__(self, known: Iterable[str]):
        self._known = known
        self._by_form: dict[str, str] | None = None  # built at the first question
        self._forms: list[str] = []
        self._budget = _FUZZY_BUDGET
        self._asked: dict[str, str | None] = {}

    def _normalised(self) -> dict[str, str]:
        if self._by_form is None:
            self._by_form = {}
            for value in sorted({v for v in self._known if isinstance(v, str)}):
                self._by_form.setdefault(comparable(value), value)
            self._forms = list(self._by_form)
        return self._by_form

    def closest(self, value: str) -> str | None:
        """The known value ``value`` most probably meant, or None."""
        if value not in self._asked:
            self._asked[value] = self._closest(value)
        return self._asked[value]

    def _closest(self, value: str) -> str | None:
        by_form = self._normalised()
        form = comparable(value)
        if form in by_form:  # the same id typed on another keyboard
            return by_form[form]
        if self._budget < len(self._forms):
            return None
        self._budget -= len(self._forms)
        close = difflib.get_close_matches(form, self._forms, n=1, cutoff=0.75)
        return by_form[close[0]] if close else None

    def hint(self, value: str) -> str:
        """`` (did you mean 'nurse'?)``, or nothing when no known value is close."""
        found = self.closest(value)
        return f" (did you mean {found!r}?)" if found is not None and found != value else ""


def did_you_mean(value: str, known: Iterable[str]) -> str:
    """A one-off :meth:`Suggestions.hint`."""
    return Suggestions(known).hint(value)
