"""The languages ``explain`` speaks: one :class:`~campplanner.explain.words.Wording` each.

Add a language by writing a twin of ``words.py`` (as ``words_fa.py`` is) and listing it
here; ``--lang`` offers every key, and the tests ask every key for every cause.
"""

from __future__ import annotations

from campplanner.explain.words import ENGLISH, Wording
from campplanner.explain.words_fa import PERSIAN

WORDS: dict[str, Wording] = {"fa": PERSIAN, "en": ENGLISH}
LANGUAGES: tuple[str, ...] = tuple(WORDS)
