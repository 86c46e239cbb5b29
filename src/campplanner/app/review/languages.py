"""The languages the review's pages speak, and the registry titles they show.

The one list of languages is the contract's (``contract/languages.py``); the page's
label for coverage is the term registry's (``model/terms.py``). A front end reads both
here, from the application layer, as it reads everything else.
"""

from __future__ import annotations

from campplanner.contract.languages import LANGUAGES, NAMES, RIGHT_TO_LEFT
from campplanner.model.terms import COVERAGE

COVERAGE_TITLE: dict[str, str] = {"fa": COVERAGE.title_fa, "en": COVERAGE.title.capitalize()}

__all__ = ["COVERAGE_TITLE", "LANGUAGES", "NAMES", "RIGHT_TO_LEFT"]
