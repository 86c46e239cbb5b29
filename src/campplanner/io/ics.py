"""A volunteer's camps as an iCalendar file (RFC 5545), written with ``icalendar``.

Each camp is one all-day event from its first day to its last (``DTEND`` the day after,
as RFC 5545 counts all-day events). Its ``UID`` is made from the volunteer and the camp
alone, so that a calendar that imported the file before updates the event when the
roster is published again instead of adding a second one; ``SEQUENCE`` is the published
version's id, so the newer file wins. A camp the volunteer declined stays in the file as
``STATUS:CANCELLED`` until the re-plan takes them off it, and then it is not listed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

PRODUCT = "-//campplanner//volunteer camps//FA"


@dataclass(frozen=True)
class CampEvent:
    volunteer: str
    camp: str
    title: str
    first_day: int  # day ordinals (Gregorian)
    last_day: int
    location: str
    description: str
    cancelled: bool = False


def event_uid(volunteer: str, camp: str) -> str:
    """Stable across publications; names neither person nor camp in the clear."""
    digest = hashlib.sha256(f"{volunteer}\0{camp}".encode()).hexdigest()[:32]
    return f"{digest}@campplanner"


def calendar_file(events: list[CampEvent], sequence: int, name: str) -> bytes:
    """The ``.ics`` bytes of ``events``."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = datetime.now(UTC).replace(microsecond=0)
    for item in events:
        event = Event()
        event.add("uid", event_uid(item.volunteer, item.camp))
        event.add("sequence", sequence)
        event.add("dtstamp", stamp)
        event.add("summary", item.title)
        event.add("dtstart", date.fromordinal(item.first_day))
        event.add("dtend", date.fromordinal(item.last_day) + timedelta(days=1))
        event.add("location", item.location)
        event.add("description", item.description)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()
