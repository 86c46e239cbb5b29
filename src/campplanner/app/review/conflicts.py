"""Edits that contradict each other (two planners at once, issue 25).

Two planners (or two tabs) may record edits on the same person that cannot both hold:
a lock into a camp and a remove from it, a lock into a camp and the person away on its
days, two locks into camps one person cannot join together (H3/H4: the same camp in two
roles, an overlap, too few days of rest between them). Today the re-solve let one of
them win silently. The session refuses the second edit instead, naming the first one
and who typed it (:func:`contradictions` against the pending edits); a re-solve finds
the ones recorded before this check (an older server) and is refused, naming them
(:func:`among`) and flags them on the edits page. Dropping one of the pair there
(audited) resolves it. Locks into more camps than a person may join (H5) are refused
too, though each pair of them could hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from campplanner.app.review.versions import OpenVersion
from campplanner.contract.instance import day_of
from campplanner.model.rules import camps_conflict

# what contradicts what (the key of its words, on the pages and in the API)
KINDS = ("lock_remove", "lock_away", "two_locks", "too_many_camps")


@dataclass(frozen=True)
class Claim:
    """What one edit says about one person: ``lock`` (camp, skill), ``forbid`` (camp) or
    ``away`` (first, last: day ordinals)."""

    kind: str
    camp: str = ""
    skill: str = ""
    first: int = 0
    last: int = 0


@dataclass(frozen=True)
class Conflict:
    """The new edit's ``claim`` on ``volunteer`` against pending edit ``edit`` (typed by
    ``by``: None for one recorded before edits named their author)."""

    kind: str  # one of KINDS
    volunteer: str
    edit: int
    by: str | None
    camp: str  # the camp of the lock (of the new edit, or of the pending one)
    other: str  # the other camp(s) (locks), the camp removed from, or "first … last"
    limit: int = 0  # too_many_camps: the camps the person may join (H5)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "volunteer": self.volunteer,
            "edit": self.edit,
            "by": self.by,
            "camp": self.camp,
            "other": self.other,
            "limit": self.limit,
        }

    def english(self) -> str:
        who = self.by or "an earlier session"
        if self.kind == "lock_remove":
            what = f"{self.volunteer} locked into and removed from {self.camp}"
        elif self.kind == "lock_away":
            what = f"{self.volunteer} locked into {self.camp} but away {self.other}"
        elif self.kind == "too_many_camps":
            what = (
                f"{self.volunteer} locked into {self.camp} and {self.other}: more camps than "
                f"the {self.limit} they may join"
            )
        else:
            what = (
                f"{self.volunteer} locked into {self.camp} and {self.other}, which one "
                "person cannot both join"
            )
        return f"edit {self.edit} by {who}: {what}"


def claims(opened: OpenVersion, ops: list[dict[str, Any]]) -> dict[str, list[Claim]]:
    """Each person's claims in the scenario edits ``ops`` (a swap's lock and the
    forbid of who leaves are two people's)."""
    calendar = opened.instance.calendar
    found: dict[str, list[Claim]] = {}
    for op in ops:
        if op.get("op") == "lock":
            for a in op.get("assignments", []):
                found.setdefault(a["volunteer"], []).append(Claim("lock", a["camp"], a["skill"]))
        elif op.get("op") == "forbid":
            for p in op.get("pairs", []):
                found.setdefault(p["volunteer"], []).append(Claim("forbid", p["camp"]))
        elif op.get("op") == "unavailable":
            try:
                first, last = day_of(op["first"], calendar), day_of(op["last"], calendar)
            except (KeyError, ValueError):
                continue
            for volunteer in op.get("volunteers", []):
                found.setdefault(volunteer, []).append(
                    Claim("away", first=first, last=last, camp=f"{op['first']} … {op['last']}")
                )
    return found


def _clash(opened: OpenVersion, mine: Claim, theirs: Claim) -> tuple[str, str, str] | None:
    """(kind, camp, other) when two claims on one person cannot both hold."""
    problem = opened.problem
    if mine.kind != "lock" and theirs.kind == "lock":
        return _clash(opened, theirs, mine)  # said from the lock's side
    if mine.kind != "lock":
        return None  # a remove and an away, two removes: both can hold
    camp = problem.camp_index.get(mine.camp)
    if camp is None:
        return None
    if theirs.kind == "forbid":
        return ("lock_remove", mine.camp, mine.camp) if theirs.camp == mine.camp else None
    if theirs.kind == "away":
        start, end = int(problem.camp_start[camp]), int(problem.camp_end[camp])
        if theirs.first <= end and start <= theirs.last:
            return ("lock_away", mine.camp, theirs.camp)
        return None
    other = problem.camp_index.get(theirs.camp)
    if other is None or (theirs.camp == mine.camp and theirs.skill == mine.skill):
        return None  # the same lock twice: both hold
    if camps_conflict(problem, camp, other):  # H3 (the same camp) and H4
        return ("two_locks", mine.camp, theirs.camp)
    return None


def contradictions(
    opened: OpenVersion, ops: list[dict[str, Any]], pending: list[Any]
) -> list[Conflict]:
    """What the edit ``ops`` contradicts among the ``pending`` edits (records with
    ``id``, ``ops`` and ``by``), oldest first."""
    mine = claims(opened, ops)
    read = [(edit, claims(opened, edit.ops)) for edit in pending]
    found = [conflict for edit, theirs in read for conflict in _between(opened, mine, theirs, edit)]
    return found or _over_the_limit(opened, mine, read)


def _over_the_limit(
    opened: OpenVersion, mine: dict[str, list[Claim]], read: list[tuple[Any, dict]]
) -> list[Conflict]:
    """H5: locks into more camps than a person may join, with the pending edits' locks
    (each pair of camps may be compatible, the lot is not)."""
    problem = opened.problem
    found = []
    for volunteer, said in mine.items():
        index = problem.volunteer_index.get(volunteer)
        camps = sorted({c.camp for c in said if c.kind == "lock"})
        if index is None or not camps:
            continue
        theirs: dict[str, Any] = {}
        for edit, claimed in read:
            for c in claimed.get(volunteer, []):
                if c.kind == "lock" and c.camp not in camps:
                    theirs.setdefault(c.camp, edit)
        limit = int(problem.volunteer_max_camps[index])
        if theirs and len(camps) + len(theirs) > limit:
            first = min(theirs.values(), key=lambda e: e.id)
            others = ", ".join(sorted(theirs))
            found.append(
                Conflict(
                    "too_many_camps", volunteer, first.id, first.by, ", ".join(camps), others, limit
                )
            )
    return found


def _between(
    opened: OpenVersion, mine: dict[str, list[Claim]], theirs: dict[str, list[Claim]], edit: Any
) -> list[Conflict]:
    """Where the claims ``mine`` contradict ``theirs`` (those of pending ``edit``)."""
    found = []
    for volunteer in sorted(mine.keys() & theirs.keys()):
        for a in mine[volunteer]:
            for b in theirs[volunteer]:
                clash = _clash(opened, a, b)
                if clash is not None:
                    kind, camp, other = clash
                    found.append(Conflict(kind, volunteer, edit.id, edit.by, camp, other))
    return found


def among(opened: OpenVersion, pending: list[Any]) -> list[tuple[Any, Conflict]]:
    """The pairs of ``pending`` edits that contradict each other: (the later edit, what
    it contradicts in an earlier one); each edit's claims read once."""
    read = [claims(opened, edit.ops) for edit in pending]
    return [
        (edit, conflict)
        for i, edit in enumerate(pending)
        for j in range(i)
        for conflict in _between(opened, read[i], read[j], pending[j])
    ]
