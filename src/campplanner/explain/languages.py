"""The languages ``explain`` speaks: one :class:`~campplanner.explain.words.Wording`
(a file of templates) for each code of :data:`campplanner.contract.languages.LANGUAGES`,
and the lines of the terminal's view around its reasons (``VIEWS``), said by it.

Add a language by writing ``words_<code>.py`` (templates over the facts, as
``words_en.py`` is, and its view's lines, as ``ENGLISH_VIEW`` is), listing its code in
``contract/languages.py`` and its wording and view here; ``tests/test_words.py`` asks
every language for every cause, and a view that lacks a line is refused here.
"""

from __future__ import annotations

from campplanner.contract.languages import LANGUAGES
from campplanner.explain.words import TemplateError, Wording
from campplanner.explain.words_en import ENGLISH, ENGLISH_VIEW
from campplanner.explain.words_fa import PERSIAN, PERSIAN_VIEW

_WRITTEN = {w.code: w for w in (PERSIAN, ENGLISH)}
WORDS: dict[str, Wording] = {code: _WRITTEN[code] for code in LANGUAGES}
_VIEWS = {"fa": PERSIAN_VIEW, "en": ENGLISH_VIEW}
VIEWS: dict[str, dict[str, str]] = {code: _VIEWS[code] for code in LANGUAGES}

for _code, _view in VIEWS.items():
    _gaps = WORDS[_code].missing_view(_view)
    if _gaps:
        raise TemplateError(f"the view of language {_code!r} lacks " + "; ".join(_gaps))
