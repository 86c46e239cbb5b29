"""The read model of a roster: what every front end shows of one roster, built once.

The terminal, the exports (workbook, CSV, HTML, packets, calls), the review page and
``compare`` all read a :class:`~campplanner.report.roster.RosterView`: camps with their
teams and empty slots, itineraries, the people on no camp, and the totals per skill and
per county beside them. It is built from a solution file (by ids) or from a solver's
``Result`` (by indices); both give the same object.
"""

from campplanner.report.roster import (
    NO_COUNTY,
    CampView,
    CountyTotal,
    Itinerary,
    Member,
    Reason,
    RosterTotals,
    RosterView,
    SkillTotal,
    Slot,
)

__all__ = [
    "NO_COUNTY",
    "CampView",
    "CountyTotal",
    "Itinerary",
    "Member",
    "Reason",
    "RosterTotals",
    "RosterView",
    "SkillTotal",
    "Slot",
]
