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
                raise not_for(actor, method.__name__, allowed)
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


# the roles as a refusal names them, in the order of the most allowed first
ROLE_NAMES = {
    "province": "province coordinator",
    "county": "county coordinator",
    "camp-leader": "camp leader",
    "viewer": "viewer",
}


def not_for(actor: Actor, call: str, allowed: Iterable[str]) -> Forbidden:
    """The refusal of session call ``call`` to an actor whose role may not make it,
    saying which roles may (key ``forbidden:role``)."""
    who = [role for role in ROLE_NAMES if role in allowed]
    return Forbidden(
        f"not for a {ROLE_NAMES[actor.role]}: {WHAT[call]} (only a "
        + " or a ".join(ROLE_NAMES[role] for role in who)
        + ")",
        key="forbidden:role",
        role=actor.role,
        what=call,
        allowed=who,
    )


def not_doing(actor: Actor, doing: str) -> Forbidden:
    """The refusal of ``doing`` (an edit's form, a camp's phones...) to an actor whose
    role does not do it on any camp (key ``forbidden:doing_role``)."""
    return Forbidden(
        f"{doing}: not for a {ROLE_NAMES[actor.role]}",
        key="forbidden:doing_role",
        doing=doing,
        role=actor.role,
    )


def leader_removes_only() -> Forbidden:
    """A camp leader's edit other than a member not coming."""
    return Forbidden(
        "a camp leader may only say a member of their camp is not coming",
        key="forbidden:leader_remove_only",
    )


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
    "start_accept": "accepting a roster",
    "accept_state": "following the accept of a roster",
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


def county_names(problem: Any, counties: Iterable[str | None]) -> list[str]:
    """Counties by name: the name of the place of the county's id, else the id."""
    names = dict(zip(problem.place_ids, problem.place_names, strict=True))
    return [names.get(county, county) for county in counties if county]


# what a scoped refusal says it refused (``doing``), as the callers of check_camp and
# check_edit name it; the web words each (``refusals.DOING_FA``)
DOING = (
    "this camp's page",
    "who could take a place",
    "not coming",
    "this edit",
    "restoring this version",
    "this camp's attendance",
    "this camp's phones",
    "this county's phones",
)


def check_camp(actor: Actor, problem: Any, camp_id: str, doing: str) -> None:
    """Refuse ``doing`` on camp ``camp_id`` unless it is in ``actor``'s scope, saying
    why: whose county the camp is in and which the actor coordinates, or which camps a
    camp leader leads."""
    if camp_in_scope(actor, problem, camp_id):
        return
    if actor.role == "county":
        county = county_names(problem, [camp_county(problem, camp_id)])
        theirs = county_names(problem, sorted(actor.counties))
        where = f"in county {county[0]}" if county else "in no county"
        raise Forbidden(
            f"{doing}: camp {camp_id} is {where}, not one of your counties' camps "
            f"({', '.join(theirs)})",
            key="forbidden:county_camp" if county else "forbidden:no_county_camp",
            doing=doing,
            camp=camp_id,
            county=county[0] if county else "",
            counties=theirs,
        )
    if actor.role == "camp-leader":
        camps = sorted(actor.camps)
        raise Forbidden(
            f"{doing}: camp {camp_id} is not one of your own camps ({', '.join(camps)})",
            key="forbidden:own_camp",
            doing=doing,
            camp=camp_id,
            camps=camps,
        )
    raise not_doing(actor, doing)


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
            raise leader_removes_only()
        for camp in edit_camps(ops, camps_of):
            check_camp(actor, problem, camp, "not coming")
        return
    touched = edit_camps(ops, camps_of)
    for camp in touched:
        check_camp(actor, problem, camp, "this edit")
    if not touched:  # a person on no camp, away: theirs if they live in its counties
        for op in ops:
            for volunteer in op.get("volunteers", []):
                home = home_county(volunteer)
                if home not in actor.counties:
                    county = county_names(problem, [home])
                    theirs = county_names(problem, sorted(actor.counties))
                    raise Forbidden(
                        f"this edit: {volunteer} is on no camp and lives in "
                        + (f"county {county[0]}" if county else "no county")
                        + f", not one of your counties ({', '.join(theirs)})",
                        key="forbidden:volunteer_county",
                        volunteer=volunteer,
                        county=county[0] if county else "—",
                        counties=theirs,
                    )


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
