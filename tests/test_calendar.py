"""Days in both calendars and Persian digits, checked against jdatetime and datetime."""

from __future__ import annotations

import datetime as dt

import jdatetime
import pytest
from hypothesis import given
from hypothesis import strategies as st

from campplanner.contract.calendar import (
    format_day,
    month_name,
    parse_day,
    to_ascii_digits,
    to_persian_digits,
)

days = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2150, 12, 31))


@given(days)
def test_jalali_round_trip(day: dt.date) -> None:
    text = format_day(day.toordinal(), "jalali")
    assert parse_day(text, "jalali") == day.toordinal()
    assert parse_day(to_persian_digits(text), "jalali") == day.toordinal()
    jalali = jdatetime.date.fromgregorian(date=day)
    assert text == f"{jalali.year:04d}-{jalali.month:02d}-{jalali.day:02d}"


@given(days)
def test_gregorian_round_trip(day: dt.date) -> None:
    assert format_day(day.toordinal()) == day.isoformat()
    assert parse_day(day.isoformat()) == day.toordinal()


@pytest.mark.parametrize(
    ("text", "calendar"),
    [
        ("2021-02-29", "gregorian"),  # 2021 is not a leap year
        ("2021-02-30", "gregorian"),
        ("2021-13-01", "gregorian"),
        ("1400-12-30", "jalali"),  # 1400 is not a Jalali leap year
        ("1400-13-01", "jalali"),
        ("1400-07-31", "jalali"),  # months 7 to 12 have at most 30 days
        ("1400-04-00", "jalali"),
        ("14000-04-01", "jalali"),
        ("1400-04", "jalali"),
        ("", "gregorian"),
    ],
)
def test_days_that_do_not_exist(text: str, calendar: str) -> None:
    with pytest.raises(ValueError):
        parse_day(text, calendar)  # type: ignore[arg-type]


def test_leap_days() -> None:
    assert parse_day("2024-02-29") == dt.date(2024, 2, 29).toordinal()
    # Esfand 30 exists in 1399 (a leap year), and the next day is Nowruz 1400.
    assert parse_day("1399-12-30", "jalali") + 1 == parse_day("1400-01-01", "jalali")
    assert parse_day("1400-01-01", "jalali") == dt.date(2021, 3, 21).toordinal()


def test_digits() -> None:
    assert to_ascii_digits("۱۴۰۰-۰۴-۱۰") == "1400-04-10"
    assert to_ascii_digits("١٤٠٠-٠٤-١٠") == "1400-04-10"
    assert to_persian_digits("1400-04-10") == "۱۴۰۰-۰۴-۱۰"
    assert parse_day("۱۴۰۰/۴/۱۰", "jalali") == parse_day("1400-04-10", "jalali")


def test_month_names() -> None:
    tir_10 = parse_day("1400-04-10", "jalali")
    assert month_name(tir_10, "jalali") == "تیر"
    assert month_name(tir_10) == "July"
