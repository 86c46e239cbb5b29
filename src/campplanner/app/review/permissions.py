"""Who may do what: the roles of issue 23, enforced on every call of the review session.

Each method of :class:`~campplanner.app.review.session.ReviewSession` a front end calls
for an actor carries its rule (:func:`permitted`: the roles that may call it at all);
what depends on the camp or the edit (a county's camps, a camp leader's own camps) is
checked inside the method with :func:`camp_in_scope` and :func:`edit_in_scope`. A
workspace without accounts acts for the one planner (role ``province``): everything.

- ``province``: everything (accounts too, from the command line);
- ``county``: reads the province (overview, camps, people, versions, rosters); records
  and drops edits, re-solves, accepts only for camps of its counties, and a re-solve it
  starts changes only their assignments (:func:`scope_ops` locks the rest);
- ``camp-leader``: reads its own camps (and the overview's totals); says a member of
  its camp is not coming (an edit ``remove``, for the county to accept); records who
  came to its camps (attendance; a county coordinator for its counties' camps);
- ``viewer``: reads, no phones; changes nothing.

``RULES`` is the table (method name -> roles), read by the permission matrix test.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from campplanner.app.review.actor import Actor
from campplanner.app.review.errors import Forbidden

ALL = frozenset({"province", "county", "camp-leader", "viewer"})
READERS = frozenset({"province", "county", "viewer"})
PLANNERS = frozenset({"province", "county"})
PROVINCE = frozenset({"province"})
ALL_BUT_VIEWER = frozenset({"province", "county", "camp-leader"})

RULES: dict[str, frozenset[str]] = {}
# the calls whose rule also looks at the camp, and for which roles: another county's
# camp (a county coordinator), a camp not one's own (a camp leader) is refused there
CAMP_SCOPED: dict[str, frozenset[str]] = {
    "camp": frozenset({"camp-leader"}),  # a county reads every camp, forms aside
    "camp_fit": frozenset({"camp-leader"}),
    "camp_packet": frozenset({"county", "camp-leader"}),
    "add_edit": frozenset({"county", "camp-leader"}),
    "drop_edit": frozenset({"county"}),
    "attendance": frozenset({"county", "camp-leader"}),
    "record_attendance": frozenset({"county", "camp-leader"}),
}

F = TypeVar("F", bound=Callable[..., Any])


def permitted(roles: Iterable[str]) -> Callable[[F], F]:
    """The session method may be called for an actor of one of ``roles`` only; any
    other is refused (:class:`Forbidden`) before it starts."""
    allowed = frozenset(roles)

    def decorate(method: F) -> F:
        RULES[method.__name__] = allowed

        @functools.wraps(method)
        def checked(self: Any, actor: Actor, *args: Any, **kwargs: Any) -> Any:
            if actor.role not in allowed:
                raise Forbidden(
                    f"not for a {actor.role.replace('-', ' ')}: {WHAT[method.__name__]}"
                )
            return method(self, actor, *args, **kwargs)

        checked.roles = allowed  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return decorate


# the calls a volunteer's private link makes: the link is the credential (app/links.py
# checks it), no account or actor, and they read and answer for that volunteer alone
BY_LINK: set[str] = set()


def by_link(method: F) -> F:
    """The session method is called with a volunteer's link token, never for an actor."""
    BY_LINK.add(method.__name__)
    return method


# what each call does, for the refusal's message
WHAT = {
    "state": "the workspace's state",
    "overview": "the overview",
    "camps": "the camps table",
    "camp": "a camp's page",
    "search": "searching people",
    "volunteer": "a person's page",
    "camp_fit": "the best people for a camp's slot",
    "late_fit": "the best camps for a late volunteer",
    "pending_edits": "the pending edits",
    "edits_page": "the edits page",
    "add_edit": "recording an edit",
    "drop_edit": "dropping an edit",
    "start_resolve": "re-solving",
    "resolve": "a re-solve's progress",
    "job": "a job's progress",
    "cancel": "stopping a job",
    "accept": "accepting a roster",
    "discard": "discarding a roster",
    "versions_page": "the versions page",
    "version_list": "the versions",
    "publish": "publishing a version",
    "restore": "restoring an earlier version",
    "compare": "comparing versions",
    "solution": "the current roster as a file",
    "download": "downloading a version",
    "start_download": "making a version's file",
    "download_job": "a file being made",
    "download_file": "a version's file",
    "calls_file": "the call list of a version",
    "start_calls_file": "the call list of a version",
    "calls_page": "the call list of a version",
    "audit": "the audit log",
    "camp_packet": "a camp's packet with phones",
    "county_packets": "a county's packets with phones",
    "start_county_packets": "a county's packets with phones",
    "comparisons": "the scenario comparisons",
    "comparison": "a scenario comparison",
    "start_comparison": "comparing scenario files",
    "logout": "logging out",
    "users": "the accounts",
    "add_user": "adding an account",
    "disable_user": "disabling an account",
    "links_file": "the volunteers' links with phones",
    "revoke_link": "revoking a volunteer's link",
    "attendance": "a camp's attendance",
    "record_attendance": "recording attendance",
    "attendance_history": "the season's attendance history",
}


def camp_county(problem: Any, camp_id: str) -> str | None:
    c = problem.camp_index.get(camp_id)
    return None if c is None else problem.place_counties[int(problem.camp_place[c])]


def camp_in_scope(actor: Actor, problem: Any, camp_id: str) -> bool:
    """May ``actor`` change (or, a camp leader, read) camp ``camp_id``?"""
    if actor.role == "province":
        return True
    if actor.role == "county":
        return camp_county(problem, camp_id) in actor.counties
    if actor.role == "camp-leader":
        return camp_id in actor.camps
    return False


def check_camp(actor: Actor, problem: Any, camp_id: str, doing: str) -> None:
    if not camp_in_scope(actor, problem, camp_id):
        whose = "your counties'" if actor.role == "county" else "your own"
        raise Forbidden(f"{doing}: camp {camp_id} is not one of {whose} camps")


def edit_camps(ops: list[dict[str, Any]], camps_of: Callable[[str], set[str]]) -> set[str]:
    """The camps an edit touches: those it names, and a person's camps when it names
    only a person (``unavailable``)."""
    camps: set[str] = set()
    for op in ops:
        for pair in op.get("pairs", []) + op.get("assignments", []):
            camps.add(pair["camp"])
        for volunteer in op.get("volunteers", []):
            camps |= camps_of(volunteer)
    return camps


def check_edit(
    actor: Actor,
    problem: Any,
    kind: str,
    ops: list[dict[str, Any]],
    camps_of: Callable[[str], set[str]],
    home_county: Callable[[str], str | None],
) -> None:
    """May ``actor`` record (or drop) this edit? A county coordinator: every camp it
    touches is one of its counties' (a person on no camp: living in one); a camp leader:
    only ``remove`` (a member not coming) from one of its camps."""
    if actor.role == "province":
        return
    if actor.role == "camp-leader":
        if kind != "remove":
            raise Forbidden("a camp leader may only say a member of their camp is not coming")
        for camp in edit_camps(ops, camps_of):
            check_camp(actor, problem, camp, "not coming")
        return
    touched = edit_camps(ops, camps_of)
    for camp in touched:
        check_camp(actor, problem, camp, "this edit")
    if not touched:  # a person on no camp, away: theirs if they live in its counties
        for op in ops:
            for volunteer in op.get("volunteers", []):
                if home_county(volunteer) not in actor.counties:
                    raise Forbidden(f"this edit: {volunteer} is not on your counties' camps")


def check_restore(
    actor: Actor,
    problem: Any,
    now: list[tuple[str, str, str]],
    then: list[tuple[str, str, str]],
    undone: list[dict[str, Any]],
    camps_of: Callable[[str], set[str]],
    home_county: Callable[[str], str | None],
) -> None:
    """May ``actor`` make an earlier roster ``then`` current again over ``now``? The
    province: always. A county coordinator: only when every camp whose team changes is
    one of its counties' and every edit it would undo (``undone``: the recorded edits of
    the versions after it) was theirs to make."""
    if actor.role == "province":
        return
    changed = {c for _, c, _ in set(now) ^ set(then)}
    for camp in sorted(changed):
        check_camp(actor, problem, camp, "restoring this version")
    for edit in undone:
        check_edit(actor, problem, edit["kind"], edit["ops"], camps_of, home_county)


@dataclass(frozen=True)
class Scope:
    """What keeps a county coordinator's re-solve inside its counties: every other camp
    keeps its team (``teams``: camp id -> its members as locks, in the roster's order)
    and takes no one else; the empty ones (``empty``: indices of ``problem``, the current
    version's compiled season) are closed. Applied to the compiled season in memory
    (``resolves.scoped``), or as the scenario edits of :meth:`ops` to the instance file."""

    problem: Any
    teams: dict[str, list[dict[str, str]]]
    empty: list[int]

    def closed_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(volunteers, camps) of every candidate of the empty camps: closed to them."""
        problem = self.problem
        camps = np.asarray(problem.requirement_camp)[np.asarray(problem.candidate_requirement)]
        chosen = np.isin(camps, np.asarray(self.empty, dtype=camps.dtype))  # vectorised
        return np.asarray(problem.candidate_volunteer)[chosen], camps[chosen]

    def ops(self) -> list[dict]:
        """The scope as scenario edits: every team locked, a staffed camp with no bed
        left (``set_camp`` capacity: its team), an empty one closed to its candidates
        (``forbid``). A few edits per camp, not one per candidate: the season has
        millions of candidates, few of them of empty camps (yet 400,000 pairs)."""
        problem = self.problem
        ops: list[dict] = []
        kept = [a for team in self.teams.values() for a in team]
        if kept:
            ops.append({"op": "lock", "assignments": kept})
        for camp_id, team in sorted(self.teams.items()):
            ops.append({"op": "set_camp", "camp": camp_id, "capacity": len(team)})
        volunteers, camps = self.closed_pairs()
        pairs = {
            (problem.volunteer_ids[int(v)], problem.camp_ids[int(c)])
            for v, c in zip(volunteers, camps, strict=True)
        }
        if pairs:
            ops.append(
                {"op": "forbid", "pairs": [{"volunteer": v, "camp": c} for v, c in sorted(pairs)]}
            )
        return ops


def scope_of(actor: Actor, problem: Any, triples: list[tuple[str, str, str]]) -> Scope | None:
    """The :class:`Scope` of ``actor``'s re-solve (None: the province's, everything)."""
    if actor.role == "province":
        return None
    outside = {
        c
        for c, camp_id in enumerate(problem.camp_ids)
        if not camp_in_scope(actor, problem, camp_id)
    }
    teams: dict[str, list[dict[str, str]]] = {}
    for v, c, s in triples:
        if problem.camp_index[c] in outside:
            teams.setdefault(c, []).append({"volunteer": v, "camp": c, "skill": s})
    empty = sorted(c for c in outside if problem.camp_ids[c] not in teams)
    return Scope(problem, teams, empty)


def scope_ops(actor: Actor, problem: Any, triples: list[tuple[str, str, str]]) -> list[dict]:
    """What keeps a county coordinator's re-solve inside its counties, as scenario edits
    (:meth:`Scope.ops`; none for the province)."""
    scope = scope_of(actor, problem, triples)
    return [] if scope is None else scope.ops()
