"""A no-show estimate per volunteer, from what their attendance history shows.

Someone rostered 2 times who missed once has not shown a 50% no-show rate: two records
say little. Each estimate is therefore shrunk towards the province's rate by a prior
worth ``PRIOR_STRENGTH`` rostered camps (a beta prior, the posterior mean):

    estimate = (missed + PRIOR_STRENGTH x province) / (rostered + PRIOR_STRENGTH)

so a newcomer with no history gets the province's rate, one with 2 of 2 missed gets
(2 + 10 x 0.05) / 12 = 21%, and one with 30 of 30 attended gets 0.5 / 40 = 1.3%. The
province's rate is the history's own (every record pooled) unless the planner gives one
(``--no-show``). ``stress`` and ``solve --reserves`` draw each person's absence with
their estimate (:func:`campplanner.whatif.stress.draw`); the report lists who, on the
published roster, is most likely to be missing, and per camp at risk the absences that
came with its loss. docs/stress.md has the format and the figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from campplanner.contract.history import Attendance
from campplanner.whatif.stress import NoShowRates

# The prior's weight, in rostered camps: the estimate of someone with this many records
# is half their own rate and half the province's. 10 keeps one or two missed camps from
# marking anyone as unreliable, while a record of a season or two (5 to 20 camps) counts.
PRIOR_STRENGTH = 10.0


@dataclass(frozen=True)
class PersonRecord:
    """What the history says of one volunteer."""

    rostered: int
    missed: int


@dataclass(frozen=True)
class NoShowEstimates:
    """Per volunteer id, the estimated no-show rate, and what it was estimated from."""

    province: float  # the rate the estimates are shrunk towards
    province_source: str  # "history" (pooled records) or "given" (--no-show)
    people: Mapping[str, float]  # volunteer id -> estimate, for those with a history
    records: Mapping[str, PersonRecord]
    ignored: int  # records of volunteers not in the instance (moved away, left)

    def summary(self) -> dict[str, object]:
        """What a report says of the estimates (not the 22,000 rates themselves)."""
        rates = sorted(self.people.values())
        return {
            "province": round(self.province, 4),
            "province_from": self.province_source,
            "prior_strength": PRIOR_STRENGTH,
            "people_with_history": len(rates),
            "records_ignored": self.ignored,
            "highest": round(rates[-1], 4) if rates else None,
        }


def person_records(history: Iterable[Attendance]) -> dict[str, PersonRecord]:
    """Rostered and missed camps per volunteer id."""
    rostered: dict[str, int] = {}
    missed: dict[str, int] = {}
    for record in history:
        rostered[record.volunteer] = rostered.get(record.volunteer, 0) + 1
        missed[record.volunteer] = missed.get(record.volunteer, 0) + (not record.came)
    return {vid: PersonRecord(rostered[vid], missed[vid]) for vid in rostered}


def pooled_rate(records: Mapping[str, PersonRecord]) -> float | None:
    """The share of rostered camps missed, over everyone: the province's rate."""
    rostered = sum(r.rostered for r in records.values())
    return sum(r.missed for r in records.values()) / rostered if rostered else None


def shrunk_rate(record: PersonRecord, province: float) -> float:
    """One person's estimate (the module docstring's formula)."""
    return (record.missed + PRIOR_STRENGTH * province) / (record.rostered + PRIOR_STRENGTH)


def estimate_no_shows(
    history: Iterable[Attendance],
    volunteers: Iterable[str],
    given: float | None = None,
    fallback: float = 0.05,
) -> NoShowEstimates:
    """The estimates of the ``volunteers`` (an instance's ids) who have a history,
    shrunk towards ``given`` when the planner gave a rate, else the history's pooled
    rate (``fallback`` for an empty history)."""
    every = person_records(history)
    known = set(volunteers)
    records = {vid: record for vid, record in every.items() if vid in known}
    ignored = sum(record.rostered for vid, record in every.items() if vid not in known)
    pooled = pooled_rate(every)
    if given is not None:
        province, source = given, "given"
    else:
        province, source = (pooled, "history") if pooled is not None else (fallback, "given")
    people = {vid: shrunk_rate(record, province) for vid, record in records.items()}
    return NoShowEstimates(province, source, people, records, ignored)


def with_history(
    rates: NoShowRates,
    volunteers: Sequence[str],
    history: list[Attendance] | None,
    given: float | None,
) -> tuple[NoShowRates, NoShowEstimates | None]:
    """``rates`` with each person's own estimate from the attendance history, shrunk
    towards the rate the planner gave (``given``), else towards the history's pooled
    rate, which then is the rate of everyone without a history too."""
    if history is None:
        return rates, None
    estimates = estimate_no_shows(history, volunteers, given, fallback=rates.no_show)
    return replace(rates, no_show=estimates.province, people=estimates.people), estimates
