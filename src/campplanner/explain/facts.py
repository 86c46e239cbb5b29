"""What a reason states, in no language: one facts object per empty slot and per camp.

:mod:`campplanner.explain.evidence` works the facts out once (who fails a filter, how
many are left, who is nearest to travelling that far, where the busy people serve,
which fixes apply); :mod:`campplanner.explain.words` says them in a language, from that
language's templates (``words_en.py``, ``words_fa.py``) and nothing else. A fact is a
number, a :class:`Day`, a label as the file writes it (an id, a name), a bool, a
mapping of facts (a role, a person, a camp served in) or a :class:`Listed` of them.

This module is data shapes only: the words depend on it, not on the model or the roster.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Union

# a lock's why is a fact too (made by the model, kept in the contract): the words read it here
from campplanner.contract.why import WHY_DAYS as WHY_DAYS
from campplanner.contract.why import WHY_ENGLISH as WHY_ENGLISH
from campplanner.contract.why import Why as Why

EVIDENCE_LIMIT = 5  # people (and camps) named per reason; the counts are always complete

# The causes of an empty slot: the funnel's filters (explain.funnel.FUNNEL), in order,
# then the roster's part in it.
SLOT_CAUSES = (
    "no_skill",
    "level",
    "dates",
    "gender",
    "distance",
    "forbidden",
    "no_camps",
    "busy",
    "beds",
    "improvable",
)
CAMP_CAUSES = ("essential", "nobody", "beds", "shared", "improvable")
CAUSES = tuple(dict.fromkeys((*SLOT_CAUSES, *CAMP_CAUSES)))

# What may help, each a sentence of every language; a reason lists those that apply.
FIX_KINDS = (
    "wanted",  # more people with the skill, available on the dates, willing to travel there
    "wanted_free",  # the same, free on the dates (the qualified ones serve elsewhere)
    "lower_level",  # accept a lower level, which people who pass every other filter have
    "travel_farther",  # the nearest person over their limit agrees to travel that far
    "lift_forbidden",  # lift the forbidden entries that bite
    "raise_max_camps",  # raise max_camps of the people with 0
    "move_from_lower",  # move someone from a camp of lower priority
    "more_beds",  # more beds at the camp
    "more_for_roles",  # more people for the essential roles that share the same few
    "solve_longer",  # solve again with a longer time limit
    "each_role",  # a cancelled camp: each short essential role's own fix
)


class Day(str):
    """A day as the instance's calendar writes it (``1403-04-06``); a language writes its
    digits and separator."""

    __slots__ = ()


@dataclass(frozen=True)
class Listed:
    """Some of a list of facts (people, camps, days), and how many were left out."""

    items: tuple[Mapping[str, Fact], ...]
    more: int = 0


Fact = Union[int, float, str, bool, Day, Mapping[str, "Fact"], Listed]  # noqa: UP007


@dataclass(frozen=True)
class Fix:
    """One thing that would help, with the facts it names beyond the reason's own."""

    kind: str  # a key of FIX_KINDS
    fields: Mapping[str, Fact] = field(default_factory=dict)


@dataclass(frozen=True)
class SlotFacts:
    """Why some slots of one requirement are empty, in no language."""

    cause: str  # a key of SLOT_CAUSES
    fields: Mapping[str, Fact]
    fixes: tuple[Fix, ...]


@dataclass(frozen=True)
class CampFacts:
    """Why a camp is cancelled, in no language; ``short`` are its roles that could not
    be filled, each with its own facts."""

    cause: str  # a key of CAMP_CAUSES
    fields: Mapping[str, Fact]
    fixes: tuple[Fix, ...]
    short: tuple[SlotFacts, ...] = ()
