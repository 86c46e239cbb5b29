"""Days in the Gregorian or the Jalali (Solar Hijri) calendar, and Persian digits.

Internally every date is one integer: the proleptic Gregorian ordinal of the day
(``datetime.date.toordinal``). Both calendars map onto it, so a camp's length is
``end - start + 1`` and rest days are plain subtraction whatever the file's calendar.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

import jdatetime

from campplanner.contract.problems import Problem

Calendar = Literal["gregorian", "jalali"]
CALENDARS: tuple[Calendar, ...] = ("gregorian", "jalali")

# Persian (U+06F0..) and Arabic-Indic (U+0660..) digits both occur in planners' files.
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2)
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_DATE_SHAPE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")


def to_ascii_digits(text: str) -> str:
    """Replace Persian and Arabic-Indic digits by ASCII ones."""
    return text.translate(_DIGITS)


def to_persian_digits(text: str) -> str:
    """Replace ASCII digits by Persian ones, for text shown to planners."""
    return text.translate(_PERSIAN_DIGITS)


def persian_date(text: str) -> str:
    """``1403-03-04`` as ``۱۴۰۳/۰۳/۰۴``: Persian digits joined by ``/``, which keeps the
    date in order inside right-to-left text (hyphens between Persian digits let the
    bidirectional algorithm reverse its parts)."""
    return to_persian_digits(text.replace("-", "/"))


def parse_day(text: str, calendar: Calendar = "gregorian") -> int:
    """The day ordinal of ``YYYY-MM-DD`` written in ``calendar``.

    Raises ``ValueError`` with a planner-readable reason when the text is not a date
    of that calendar (``1400-12-30`` exists only in Jalali leap years, for example).
    """
    match = _DATE_SHAPE.match(to_ascii_digits(text.strip()))
    if match is None:
        raise Problem("date_shape", text=text)
    year, month, day = (int(part) for part in match.groups())
    try:
        if calendar == "jalali":
            return jdatetime.date(year, month, day).togregorian().toordinal()
        return dt.date(year, month, day).toordinal()
    except ValueError as error:
        reason = str(error)
        why = next((part for part in ("month", "day", "year") if reason.startswith(part)), "")
        raise Problem("not_a_day", text=text, calendar=calendar, reason=reason, why=why) from None


def format_day(ordinal: int, calendar: Calendar = "gregorian") -> str:
    """``YYYY-MM-DD`` in ``calendar`` for a day ordinal, with ASCII digits."""
    day = dt.date.fromordinal(int(ordinal))
    if calendar == "jalali":
        return jdatetime.date.fromgregorian(date=day).strftime("%Y-%m-%d")
    return day.isoformat()


def month_name(ordinal: int, calendar: Calendar = "gregorian") -> str:
    """The month's name (Persian month names for Jalali), for headings."""
    day = dt.date.fromordinal(int(ordinal))
    if calendar == "jalali":
        return jdatetime.date.fromgregorian(date=day, locale="fa_IR").strftime("%B")
    return day.strftime("%B")
