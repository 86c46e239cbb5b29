"""Days and digits as the review's pages show them.

The contract keeps days as ordinals in the instance's calendar (``contract/calendar.py``):
a Persian page shows every day in the Jalali calendar, with slashes and Persian digits;
another language shows it in the instance's own calendar. A front end reads them here,
from the application layer, as it reads everything else.
"""

from __future__ import annotations

from campplanner.contract.calendar import Calendar, format_day, to_persian_digits


def shown_day(ordinal: int, calendar: Calendar, lang: str) -> str:
    """Day ``ordinal`` as a page in ``lang`` shows it."""
    if lang == "fa":
        return to_persian_digits(format_day(ordinal, "jalali").replace("-", "/"))
    return format_day(ordinal, calendar)


__all__ = ["Calendar", "shown_day", "to_persian_digits"]
