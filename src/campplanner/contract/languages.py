"""The languages campplanner speaks, in one list for every front end and every paper.

The command line's ``--lang``, the page's language switch and the reasons written into
the workbook, CSV files, HTML report and packets all offer these codes and nothing
else. Each code has its words in ``explain/words_<code>.py`` (the reasons, from
templates) and on the page (``web/i18n.py``); ``tests/test_words.py`` checks that every
listed language words every cause. This module imports nothing, so that ``--help``
stays fast.
"""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("fa", "en")
NAMES: dict[str, str] = {"fa": "فارسی", "en": "English"}  # each in its own words
RIGHT_TO_LEFT: frozenset[str] = frozenset({"fa"})
