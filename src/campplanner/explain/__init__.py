"""Explanations of a roster, split by job: the funnel of candidate rules (``funnel``),
the cause of each empty slot and cancelled camp (``reasons``), its facts in no language
(``evidence``, ``facts``), the templates that say them in each language (``words`` and
``words_<code>``), and what each choice cost (``breakdown``)."""

from campplanner.explain.breakdown import Breakdown, CampCost, VolunteerCost, objective_breakdown
from campplanner.explain.facts import EVIDENCE_LIMIT, CampFacts, SlotFacts
from campplanner.explain.funnel import FUNNEL, Busy, Context, Funnel
from campplanner.explain.languages import LANGUAGES, WORDS
from campplanner.explain.reasons import (
    CampReason,
    Explanation,
    RosterError,
    SlotReason,
    explain_camp,
    explain_camps,
    explain_roster,
    roster_from_assignments,
    slot_of_cancelled,
    wanted_for,
)
from campplanner.explain.words_en import ENGLISH

CAUSES: dict[str, str] = dict(ENGLISH.causes)  # each cause's name in English

__all__ = [
    "CAUSES",
    "EVIDENCE_LIMIT",
    "FUNNEL",
    "LANGUAGES",
    "WORDS",
    "Breakdown",
    "Busy",
    "CampCost",
    "CampFacts",
    "CampReason",
    "Context",
    "Explanation",
    "Funnel",
    "RosterError",
    "SlotFacts",
    "SlotReason",
    "VolunteerCost",
    "explain_camp",
    "explain_camps",
    "explain_roster",
    "objective_breakdown",
    "roster_from_assignments",
    "slot_of_cancelled",
    "wanted_for",
]
