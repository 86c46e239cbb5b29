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

# difflib computes a ratio per known id, ~10 us each: 22,000 volunteer ids x 250 typos
# would take a minute. Among more ids than _SCAN_AT_MOST, or past _RATIO_BUDGET ratios
# in all, only ids one typo away (a letter left out, added, changed or two swapped:
# looked up, not compared) are suggested.
_SCAN_AT_MOST = 2_000
_RATIO_BUDGET = 100_000
_CUTOFF = 0.75  # difflib's similarity below which a known id is not suggested
# A value this long is no typo of an id (and the typos of a 20 MB key would fill the
# memory): nothing is suggested for it.
_LONGEST_TYPO = 200


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
        self._letters = ""
        self._budget = _RATIO_BUDGET
        self._asked: dict[str, str | None] = {}

    def _normalised(self) -> dict[str, str]:
        if self._by_form is None:
            self._by_form = {}
            for value in sorted({v for v in self._known if isinstance(v, str)}):
                self._by_form.setdefault(comparable(value), value)
            self._forms = list(self._by_form)
            self._letters = "".join(sorted(set("".join(self._forms))))
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
        if len(form) > _LONGEST_TYPO:
            return None
        if len(self._forms) <= min(_SCAN_AT_MOST, self._budget):
            self._budget -= len(self._forms)
            candidates = self._forms
        else:
            candidates = sorted(self._one_typo_away(form) & by_form.keys())
        best = _most_similar(form, candidates)
        return by_form[best] if best is not None else None

    def _one_typo_away(self, form: str) -> set[str]:
        """Every string one typo from ``form``, over the letters the known ids use."""
        splits = [(form[:i], form[i:]) for i in range(len(form) + 1)]
        left_out = {a + b[1:] for a, b in splits if b}
        swapped = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        changed = {a + c + b[1:] for a, b in splits if b for c in self._letters}
        added = {a + c + b for a, b in splits for c in self._letters}
        return left_out | swapped | changed | added

    def meant(self, value: str) -> str | None:
        """The known value ``value`` was meant to be when it is another, or None (what
        :meth:`hint` names)."""
        found = self.closest(value)
        return found if found is not None and found != value else None

    def hint(self, value: str) -> str:
        """`` (did you mean 'nurse'?)``, or nothing when no known value is close."""
        found = self.meant(value)
        return f" (did you mean {found!r}?)" if found is not None else ""


def _most_similar(form: str, candidates: Iterable[str]) -> str | None:
    """The one candidate most similar to ``form`` (difflib's ratio, at least _CUTOFF),
    or None when there is none or several tie: then any one would be a guess
    (``v1234`` is as close to ``v01234`` as to ``v11234``)."""
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(form)
    best, best_score, tied = None, _CUTOFF, False
    for candidate in candidates:
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() < best_score or matcher.quick_ratio() < best_score:
            continue
        score = matcher.ratio()
        if score > best_score or (best is None and score >= best_score):
            best, best_score, tied = candidate, score, False
        elif score == best_score:
            tied = True
    return None if tied else best


def did_you_mean(value: str, known: Iterable[str]) -> str:
    """A one-off :meth:`Suggestions.hint`."""
    return Suggestions(known).hint(value)
