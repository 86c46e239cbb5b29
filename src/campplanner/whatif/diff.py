"""Re-planning from a published roster: what of it still holds, and what changed.

Once a roster is published people have been called; a new roster should move as few
of them as possible. :class:`Baseline` is the published roster seen through the
(possibly edited) instance: the assignments that are still candidates, and those that
no longer can be (the volunteer left, is away, the camp moved or lost the slot...).
:func:`diff_rosters` says who is added, removed and moved, so planners call only them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from campplanner.contract.schema import SolutionFile
from campplanner.contract.solution import cancelled_camp_ids
from campplanner.contract.solution import roster_triples as solution_triples
from campplanner.contract.why import why_facts
from campplanner.model.baseline import Baseline, Triple
from campplanner.model.problem import Problem


def published_roster(solution: SolutionFile) -> tuple[list[Triple], list[str] | None]:
    """(assignments, cancelled camp ids or None if the file does not say) of a solution."""
    return solution_triples(solution), cancelled_camp_ids(solution)


def roster_triples(problem: Problem, assigned: Iterable[int]) -> list[Triple]:
    """Candidate indices as (volunteer, camp, skill) ids."""
    return [
        (
            problem.volunteer_ids[problem.candidate_volunteer[i]],
            problem.camp_ids[problem.candidate_camp[i]],
            problem.skill_ids[problem.candidate_skill[i]],
        )
        for i in assigned
    ]


@dataclass(frozen=True)
class RosterDiff:
    """Changes between two rosters, per volunteer."""

    added: dict[str, list[tuple[str, str]]]  # volunteer -> (camp, skill) now, had none
    removed: dict[str, list[tuple[str, str]]]  # volunteer -> (camp, skill) before, has none
    moved: dict[str, tuple[list[tuple[str, str]], list[tuple[str, str]]]]  # before, after
    changed_assignments: int  # triples in one roster and not the other

    @property
    def people(self) -> int:
        return len(self.added) + len(self.removed) + len(self.moved)

    @property
    def camps_affected(self) -> set[str]:
        camps = {c for places in self.added.values() for c, _ in places}
        camps |= {c for places in self.removed.values() for c, _ in places}
        for before, after in self.moved.values():
            camps |= {c for c, _ in set(before) ^ set(after)}
        return camps

    def as_dict(self) -> dict[str, object]:
        return {
            "changed_assignments": self.changed_assignments,
            "people_changed": self.people,
            "added": [
                {"volunteer": v, "to": [list(p) for p in ps]} for v, ps in self.added.items()
            ],
            "removed": [
                {"volunteer": v, "from": [list(p) for p in ps]} for v, ps in self.removed.items()
            ],
            "moved": [
                {"volunteer": v, "from": [list(p) for p in b], "to": [list(p) for p in a]}
                for v, (b, a) in self.moved.items()
            ],
            "camps_affected": sorted(self.camps_affected),
        }


def diff_rosters(before: Iterable[Triple], after: Iterable[Triple]) -> RosterDiff:
    """Who is added, removed or moved between two rosters."""
    old, new = set(before), set(after)
    by_volunteer_old: dict[str, list[tuple[str, str]]] = {}
    by_volunteer_new: dict[str, list[tuple[str, str]]] = {}
    for v, c, s in sorted(old):
        by_volunteer_old.setdefault(v, []).append((c, s))
    for v, c, s in sorted(new):
        by_volunteer_new.setdefault(v, []).append((c, s))
    added, removed, moved = {}, {}, {}
    for v in sorted(set(by_volunteer_old) | set(by_volunteer_new)):
        before_v, after_v = by_volunteer_old.get(v, []), by_volunteer_new.get(v, [])
        if before_v == after_v:
            continue
        if not before_v:
            added[v] = after_v
        elif not after_v:
            removed[v] = before_v
        else:
            moved[v] = (before_v, after_v)
    return RosterDiff(added, removed, moved, changed_assignments=len(old ^ new))


def proven_fewest(changes: int | None, changes_bound: int | None) -> bool:
    """True when ``changes`` is proven the fewest: its lower bound reaches it."""
    return changes is not None and changes_bound is not None and changes_bound >= changes


def changes_claim(changes: int, changes_bound: int | None) -> str:
    """How close to the fewest a re-plan's changes are, claiming no more than is proven."""
    if proven_fewest(changes, changes_bound):
        return "the fewest possible (proven)"
    if changes_bound is None:
        return "not proven the fewest"
    return f"at least {changes_bound:,} needed (a lower bound, not proven reachable)"


def _no_longer_possible(triple: Triple, why: str) -> dict[str, object]:
    """A published assignment the edited season no longer allows, and why: its English
    sentence, and its facts for the call list's Persian (when it has them)."""
    volunteer, camp, skill = triple
    entry: dict[str, object] = {"volunteer": volunteer, "camp": camp, "skill": skill, "why": why}
    facts = why_facts(why)
    if facts is not None:
        entry["why_facts"] = facts
    return entry


def replan_report(
    problem: Problem,
    baseline: Baseline,
    published: list[Triple],
    assigned: Iterable[int],
    changes: int | None,
    changes_bound: int | None,
) -> dict[str, object]:
    """The ``replan`` section of a solution file: the diff and how close to minimal it is."""
    diff = diff_rosters(published, roster_triples(problem, assigned))
    return {
        "replan": {
            "published_assignments": len(published),
            "no_longer_possible": [
                _no_longer_possible(triple, why) for triple, why in baseline.dropped
            ],
            "changed_assignments": diff.changed_assignments,
            # a proof that no roster as good changes fewer; "fewest_possible" only when
            # the roster reaches it (a lower bound alone is no claim that it can be met)
            "changes_lower_bound": changes_bound,
            "fewest_possible": changes if proven_fewest(changes, changes_bound) else None,
            **diff.as_dict(),
        }
    }
