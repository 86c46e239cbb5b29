"""Explanations of a roster, split by job: the funnel of candidate rules (``funnel``),
the cause of each empty slot and cancelled camp (``reasons``), the words that say it
(``words``), and what each choice cost (``breakdown``)."""

from campplanner.explain.breakdown import Breakdown, CampCost, VolunteerCost, objective_breakdown
from campplanner.explain.funnel import FUNNEL, Busy, Context, Funnel
from campplanner.explain.languages import LANGUAGES, WORDS
from campplanner.explain.reasons import (
    CampReason,
    Explanation,
    RosterError,
    SlotReason,
    explain_camp,
    explain_roster,
    roster_from_assignments,
    wanted_for,
)
from campplanner.explain.words import CAUSES, EVIDENCE_LIMIT

__all__ = [
    "CAUSES",
    "EVIDENCE_LIMIT",
    "FUNNEL",
    "LANGUAGES",
    "WORDS",
    "Breakdown",
    "Busy",
    "CampCost",
    "CampReason",
    "Context",
    "Explanation",
    "Funnel",
    "RosterError",
    "SlotReason",
    "VolunteerCost",
    "explain_camp",
    "explain_roster",
    "objective_breakdown",
    "roster_from_assignments",
    "wanted_for",
]
