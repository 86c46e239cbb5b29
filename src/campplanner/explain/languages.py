"""The languages ``explain`` speaks: one :class:`~campplanner.explain.words.Wording`
(a file of templates) for each code of :data:`campplanner.contract.languages.LANGUAGES`.

Add a language by writing ``words_<code>.py`` (templates over the facts, as
``words_en.py`` is), listing its code in ``contract/languages.py`` and its wording here;
``tests/test_words.py`` asks every language for every cause.
"""

from __future__ import annotations

from campplanner.contract.languages import LANGUAGES
from campplanner.explain.words import Wording
from campplanner.explain.words_en import ENGLISH
from campplanner.explain.words_fa import PERSIAN

_WRITTEN = {w.code: w for w in (PERSIAN, ENGLISH)}
WORDS: dict[str, Wording] = {code: _WRITTEN[code] for code in LANGUAGES}
