"""What each page shows, as plain JSON-ready data: the pages render it, the API returns it.

Everything here reads an :class:`~campplanner.app.review.versions.OpenVersion`; nothing
solves. Days are ordinals (``contract/calendar.py``), formatted by the page in the
planner's language.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from campplanner.app.review.errors import LateRefused, Worded
from campplanner.app.review.versions import OpenVersion, search_key
from campplanner.app.scenarios import fit_late_volunteer, fit_open_slot
from campplanner.contract.calendar import Calendar, to_ascii_digits
from campplanner.contract.errors import InstanceError
from campplanner.contract.instance import day_of
from campplanner.contract.schema import Reserves
from campplanner.explain import CampReason, SlotReason, explain_camp, slot_of_cancelled
from campplanner.report.roster import NO_COUNTY, CampView
from campplanner.whatif.diff import diff_rosters
from campplanner.whatif.replace import suggest_replacements
from campplanner.whatif.to_run import what_would_run

CANDIDATES_PER_SLOT = 8
CAMPS_PER_PAGE = 300
# the camps table's filter of empty slots: any empty slot, or an essential role empty
EMPTY_FILTERS = ("any", "essential")
SEARCH_RESULTS = 50
MAP_WIDTH, MAP_HEIGHT, MAP_MARGIN = 640, 420, 16


def camp_status(camp: CampView) -> str:
    return camp.status


def county_names(opened: OpenVersion) -> dict[str, str]:
    """County id -> the name of the place of that id (``arak`` -> ``اراک``), if there is one."""
    if "county names" not in opened.cache:
        places = {p.id: p.name for p in opened.instance.places}
        opened.cache["county names"] = {
            p.county: places.get(p.county, p.county) for p in opened.instance.places if p.county
        }
    return opened.cache["county names"]


def empty_matches(camp: CampView, empty: str) -> bool:
    """Whether ``camp`` has an empty slot (``any``) or an essential role empty
    (``essential``: a cancelled camp's essential roles are all empty); "" matches all."""
    if empty == "essential":
        return any(s.missing and s.essential for s in camp.slots)
    if empty == "any":
        return any(s.missing for s in camp.slots)
    return True


def _camp_row(camp: CampView, names: dict[str, str] | None = None) -> dict[str, Any]:
    county = camp.county or NO_COUNTY
    return {
        "id": camp.id,
        "name": camp.name,
        "county": county,
        "county_name": (names or {}).get(county, county),
        "place": camp.place_name,
        "first_day": camp.first_day,
        "last_day": camp.last_day,
        "status": camp_status(camp),
        "filled": camp.filled,
        "asked": camp.asked,
        "priority": camp.priority,
        "short_skills": [s.skill_id for s in camp.slots if s.missing],
    }


def bound_season(solution: dict[str, Any], version: int) -> int:
    """The version whose season the bound of ``version``'s solution file was proven for
    (its own, unless it says ``bound_season``)."""
    season = solution.get("bound_season")
    if isinstance(season, dict) and isinstance(season.get("version"), int):
        return season["version"]
    return version


def overview(opened: OpenVersion) -> dict[str, Any]:
    """Coverage, bound and gap; fill per skill (scarce first); camps by status, per county;
    the map's points."""
    if "overview" in opened.cache:
        return opened.cache["overview"]
    view = opened.view
    info = opened.version
    result: dict[str, Any] = {"version": info.id, "status": info.status, "roster": view is not None}
    if view is None:
        opened.cache["overview"] = result
        return result
    bound = view.coverage_bound
    gap = None if not bound else max(0.0, (bound - view.coverage) / bound)
    skills = sorted(
        (
            {
                "id": s.id,
                "name": s.name,
                "asked": s.asked,
                "filled": s.filled,
                "share": s.filled / s.asked if s.asked else 1.0,
            }
            for s in view.skills
        ),
        key=lambda s: (s["share"], s["id"]),
    )
    totals = view.totals
    result.update(
        {
            # every count of the overview is a link to the list it counts
            "empty_slots": totals.asked - totals.filled,
            "camps_with_empty": sum(empty_matches(c, "any") for c in view.camps),
            "essential_empty": sum(empty_matches(c, "essential") for c in view.camps),
            "unassigned": len(view.unassigned),
            "coverage": view.coverage,
            "bound": bound,
            "gap": gap,
            # the version whose season the bound was proven for: this one's, or an
            # earlier one's its edits since cannot raise (docs/model.md)
            "bound_season": bound_season(opened.solution.model_extra or {}, info.id)
            if opened.solution is not None
            else info.id,
            "slots_asked": totals.asked,
            "slots_filled": totals.filled,
            "camps": {
                "total": totals.camps,
                "run": totals.run,
                "full": totals.full,
                "short": totals.short,
                "cancelled": totals.cancelled,
            },
            "skills": skills,
            "counties": [
                {
                    "county": t.name,
                    "county_name": county_names(opened).get(t.name, t.name),
                    "camps": t.camps,
                    "full": t.full,
                    "short": t.short,
                    "cancelled": t.cancelled,
                    "asked": t.asked,
                    "filled": t.filled,
                }
                for t in totals.counties
            ],
            "map": camp_map(opened),
        }
    )
    opened.cache["overview"] = result
    return result


def camp_map(opened: OpenVersion) -> list[dict[str, Any]]:
    """Camps as points of an SVG (x right, y down), projected from their places' lat/lon."""
    places = {p.id: p for p in opened.instance.places}
    located = [(c, places[c.place]) for c in opened.instance.camps]
    if not located:
        return []
    lats = [p.lat for _, p in located]
    lons = [p.lon for _, p in located]
    mid = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lons) - min(lons)) * mid, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    scale = min((MAP_WIDTH - 2 * MAP_MARGIN) / span_x, (MAP_HEIGHT - 2 * MAP_MARGIN) / span_y)
    left = (MAP_WIDTH - span_x * scale) / 2  # centred across
    points = []
    for camp, place in located:
        view = opened.camps.get(camp.id)
        points.append(
            {
                "id": camp.id,
                "name": camp.name,
                "x": round(left + (place.lon - min(lons)) * mid * scale, 1),
                "y": round(MAP_HEIGHT - MAP_MARGIN - (place.lat - min(lats)) * scale, 1),
                "status": camp_status(view) if view else "cancelled",
            }
        )
    return points


def filter_day(
    params: Mapping[str, str], name: str, calendar: Calendar, problems: list[Worded] | None
) -> int | None:
    """The day of the date ``params[name]`` (``from`` or ``to``, Persian or Latin
    digits), None when empty; one that is not a date is refused (Worded) or, given
    ``problems``, said there and left out."""
    text = (params.get(name) or "").strip()
    if not text:
        return None
    try:
        return day_of(text, calendar)
    except ValueError:
        pass
    message = f"{name}: {text!r} is not a date (YYYY-MM-DD)"
    _refused(Worded(message, f"filter_{name}", text=text), problems)
    return None


def _refused(problem: Worded, problems: list[Worded] | None) -> None:
    """A filter's value that cannot be read: refused (raised), or, given ``problems``,
    said there (a live filter while the planner is still typing it)."""
    if problems is None:
        raise problem
    problems.append(problem)


def camp_filters(
    params: Mapping[str, str], calendar: Calendar, problems: list[Worded] | None = None
) -> dict[str, Any]:
    """The camps table's filters (the keyword arguments of :func:`camps`) from an
    address's parameters. A date that is not one is refused (Worded, a UsageError), or,
    given ``problems``, left out and said there (a live filter while the planner is
    still typing it), in the page's language."""

    def day(name: str) -> int | None:
        return filter_day(params, name, calendar, problems)

    empty = params.get("empty", "")
    if empty and empty not in EMPTY_FILTERS:
        message = f"empty: {empty[:20]!r} is not one of {', '.join(EMPTY_FILTERS)}"
        _refused(Worded(message, "filter_empty", text=empty[:20]), problems)
        empty = ""
    page = params.get("page", "") or "1"
    if not (page.isascii() and page.isdigit() and len(page) < 10):  # "²" is a digit too
        message = f"page: {page[:20]!r} is not a page number"
        _refused(Worded(message, "filter_page", text=page[:20]), problems)
        page = "1"
    return {
        "county": params.get("county", ""),
        "first": day("from"),
        "last": day("to"),
        "status": params.get("status", ""),
        "skill": params.get("skill", ""),
        "empty": empty,
        "query": params.get("q", ""),
        "page": int(page),
    }


def camps(
    opened: OpenVersion,
    *,
    county: str = "",
    first: int | None = None,
    last: int | None = None,
    status: str = "",
    skill: str = "",
    empty: str = "",
    query: str = "",
    page: int = 1,
    only: frozenset[str] | None = None,
) -> dict[str, Any]:
    """The camps table, filtered: county, overlapping [first, last], status, a skill short,
    empty slots (``any``) or an essential role empty (``essential``), and a search over
    name, id and place; ``only`` these camps (a camp leader's)."""
    view = opened.view
    if view is None:
        return {
            "rows": [],
            "total": 0,
            "shown": 0,
            "page": 1,
            "pages": 1,
            "counties": [],
            "skills": [],
        }
    key = search_key(query) if query else ""
    names = county_names(opened)
    rows = []
    for camp in view.camps:
        if only is not None and camp.id not in only:
            continue
        if county and (camp.county or NO_COUNTY) != county:
            continue
        if first is not None and camp.last_day < first:
            continue
        if last is not None and camp.first_day > last:
            continue
        if status and camp_status(camp) != status:
            continue
        if skill and not any(s.skill_id == skill and s.missing for s in camp.slots):
            continue
        if not empty_matches(camp, empty):
            continue
        if key and key not in search_key(f"{camp.name} {camp.id} {camp.place_name}"):
            continue
        rows.append(_camp_row(camp, names))
    pages = max(1, -(-len(rows) // CAMPS_PER_PAGE))
    page = min(max(page, 1), pages)
    shown = rows[(page - 1) * CAMPS_PER_PAGE : page * CAMPS_PER_PAGE]
    return {
        "rows": shown,
        "total": len(rows),
        "shown": len(shown),
        "page": page,
        "pages": pages,
        "counties": [
            {"id": c, "name": names.get(c, c)}
            for c in sorted({c.county or NO_COUNTY for c in view.camps})
        ],
        "skills": [{"id": s.id, "name": s.name} for s in opened.instance.skills],
    }


def camp(opened: OpenVersion, camp_id: str, lang: str = "fa") -> dict[str, Any] | None:
    """A camp: its team, its empty slots with reason and fix (in ``lang``), ranked
    candidates, and its reserves when the roster has them."""
    view = opened.camps.get(camp_id)
    problem = opened.problem
    if view is None or camp_id not in problem.camp_index:
        return None
    c = problem.camp_index[camp_id]
    team = [
        {
            "volunteer": m.volunteer_id,
            "name": m.volunteer_name,
            "group": m.group_name,
            "home": m.home_name,
            "skill": m.skill_id,
            "role": m.skill_name,
            "km": round(m.road_km, 1),
        }
        for m in view.members
    ]
    reasons, cancelled = camp_reasons(opened, c, lang)
    cancelled_reason = {"why": cancelled.why, "fix": cancelled.fix} if cancelled else None
    requirements = {
        problem.skill_ids[problem.requirement_skill[r]]: r
        for r in range(problem.camp_requirements[c], problem.camp_requirements[c + 1])
    }
    empty = [
        (slot, requirements[slot.skill_id])
        for slot in view.slots
        if slot.missing and slot.skill_id in requirements
    ]
    slots = []
    for slot, r in empty:
        reason = reasons.get(r)
        why, fix = (reason.why, reason.fix) if reason else ("", "")
        if reason is None and cancelled is not None:  # issue 25: a reason on every slot
            why, fix = slot_of_cancelled(cancelled, lang)
        options, blocked = ranked_candidates(opened, r)
        slots.append(
            {
                "skill": slot.skill_id,
                "skill_name": slot.skill_name,
                "missing": slot.missing,
                "count": slot.count,
                "level": slot.level,
                "essential": slot.essential,
                "why": why,
                "fix": fix,
                "candidates": [_suggestion(opened, s) for s in options],
                "blocked_by_locks": blocked,
            }
        )
    return {
        "camp": _camp_row(view, county_names(opened)),
        "capacity": view.capacity,
        "gender": view.gender,
        "requirements": [
            {
                "skill": s.skill_id,
                "name": s.skill_name,
                "count": s.count,
                "filled": s.filled,
                "level": s.level,
                "essential": s.essential,
            }
            for s in view.slots
        ],
        "team": team,
        "empty_slots": slots,
        "cancelled": cancelled_reason,
        "to_run": camp_to_run(opened, c) if cancelled is not None else None,
        "reserves": camp_reserves(opened, view),
        "lang": lang,
    }


def camp_to_run(opened: OpenVersion, c: int) -> dict[str, Any]:
    """What would run cancelled camp ``c`` (whatif/to_run.py): every change, with the
    camps and roles by id and name, the coverage before and after, the camps that stop;
    worked out when first asked, then kept."""
    key = ("to run", c)
    if key not in opened.cache:
        opened.cache[key] = what_would_run(opened.problem, opened.assigned, c)
    answer = opened.cache[key]
    p = opened.problem

    def place(r: int) -> dict[str, str]:
        camp, skill = int(p.requirement_camp[r]), int(p.requirement_skill[r])
        return {
            "camp": p.camp_ids[camp],
            "camp_name": p.camp_names[camp],
            "skill": p.skill_ids[skill],
            "role": p.skill_names[skill],
        }

    def camp_of(k: int) -> dict[str, str]:
        return {"camp": p.camp_ids[k], "camp_name": p.camp_names[k]}

    return {
        "runs": answer.runs,
        "why_not": answer.why_not,
        "coverage_before": answer.coverage_before,
        "coverage_after": answer.coverage_after,
        "coverage_change": answer.coverage_change,
        "moves": [
            {
                "volunteer": p.volunteer_ids[m.volunteer],
                "name": p.volunteer_names[m.volunteer],
                "joins_camp": m.joins_camp,
                "joins": [place(r) for r in m.joined],
                "leaves": [place(r) for r in m.left],
            }
            for m in answer.moves
        ],
        "stops": [camp_of(k) for k in answer.stops],
        "starts": [camp_of(k) for k in answer.starts],
    }


def ranked_candidates(opened: OpenVersion, requirement: int) -> tuple[list[Any], int]:
    """The best candidates for an empty slot of ``requirement`` and how many locks block,
    ranked once per version (thousands of candidates for a plentiful skill)."""
    key = ("ranked", requirement)
    if key not in opened.cache:
        opened.cache[key] = opened.empty_slots.suggest(requirement, CANDIDATES_PER_SLOT)
    return opened.cache[key]


def camp_reasons(
    opened: OpenVersion, c: int, lang: str
) -> tuple[dict[int, SlotReason], CampReason | None]:
    """Why the camp's slots are empty (requirement -> reason) or why it is cancelled, in
    ``lang``: worked out for this camp when first asked, then kept."""
    key = ("reasons", lang, c)
    if key not in opened.cache:
        if opened.solution is None:
            opened.cache[key] = ({}, None)
        else:
            slots, cancelled = explain_camp(opened.roster_context, c, lang)
            if cancelled is not None:
                slots = cancelled.short
            opened.cache[key] = ({r.requirement: r for r in slots}, cancelled)
    return opened.cache[key]


def camp_reserves(opened: OpenVersion, view: CampView) -> list[dict[str, Any]]:
    """The camp's reserves (the solution file's ``reserves``, best first): who they are,
    where they live and how far, and in how many no-show re-plans they filled in."""
    if not view.reserves:
        return []
    problem = opened.problem
    instance = opened.instance
    groups = {g.id: g.name for g in instance.groups}
    places = {p.id: p.name for p in instance.places}
    km = opened.roster_context.camp_km(problem.camp_index[view.id])
    counts = reserve_counts(opened).get(view.id, {})
    rows = []
    for reserve in view.reserves:
        volunteer = opened.volunteers[reserve.volunteer_id]
        v = problem.volunteer_index[volunteer.id]
        fill_ins, share = counts.get(volunteer.id, (None, None))
        rows.append(
            {
                "volunteer": volunteer.id,
                "name": volunteer.name,
                "group": groups.get(volunteer.group or "", ""),
                "home": places.get(volunteer.home, volunteer.home),
                "km": round(float(km[v]), 1),
                "skill": reserve.skill_name,
                "fill_ins": fill_ins,
                "share_of_runs": share,
            }
        )
    return rows


def reserve_counts(opened: OpenVersion) -> dict[str, dict[str, tuple[int, float | None]]]:
    """camp -> volunteer -> (fill-ins, share of runs), from campplanner's own reserves
    section (another tool's shape has no counts)."""
    if "reserve counts" not in opened.cache:
        section = opened.solution.reserves if opened.solution else None
        opened.cache["reserve counts"] = {
            entry.camp: {r.volunteer: (r.fill_ins, r.share_of_runs) for r in entry.reserves}
            for entry in (section.camps if isinstance(section, Reserves) else [])
        }
    return opened.cache["reserve counts"]


def replacements(opened: OpenVersion, camp_id: str, volunteer_id: str) -> list[dict[str, Any]]:
    """Who could take ``volunteer_id``'s place in the camp, ranked (``replace``)."""
    problem = opened.problem
    c, v = problem.camp_index.get(camp_id), problem.volunteer_index.get(volunteer_id)
    if c is None or v is None:
        return []
    dropout = suggest_replacements(problem, opened.assigned, v, c, CANDIDATES_PER_SLOT)
    return [
        _suggestion(opened, s)
        | {
            "skill": problem.skill_ids[problem.candidate_skill[slot]],
            "skill_name": problem.skill_names[problem.candidate_skill[slot]],
        }
        for slot in dropout.slots
        for s in dropout.suggestions[slot]
    ]


def _suggestion(opened: OpenVersion, s: Any) -> dict[str, Any]:
    problem = opened.problem
    volunteer = problem.volunteer_ids[s.volunteer]
    return {
        "volunteer": volunteer,
        "name": opened.volunteers[volunteer].name,
        "km": round(s.km, 1),
        "coverage_change": s.coverage_change,
        "leaves": [problem.camp_ids[problem.candidate_camp[i]] for i in s.leaves],
        "cancels": [problem.camp_ids[x] for x in s.cancels],
        # who gives their place in this camp up for the newcomer (no slot or bed left)
        "displaces": [problem.volunteer_ids[problem.candidate_volunteer[i]] for i in s.displaces],
        # the same, by name, for the page (issue 25: a gain that needs someone to leave
        # names them)
        "displaced": [
            {"volunteer": displaced, "name": opened.volunteers[displaced].name}
            for displaced in (
                problem.volunteer_ids[problem.candidate_volunteer[i]] for i in s.displaces
            )
        ],
        "stops": [
            {"camp": problem.camp_ids[x], "camp_name": problem.camp_names[x]} for x in s.cancels
        ],
    }


def search(
    opened: OpenVersion,
    query: str,
    skill: str = "",
    every_id: bool = False,
    unassigned: bool = False,
    county: str = "",
    group: str = "",
    first: int | None = None,
    last: int | None = None,
) -> dict[str, Any]:
    """Volunteers whose name or id contains the query, however it was typed, and who
    have ``skill`` (if given; the query may then be empty), live in ``county`` and
    belong to ``group`` (ids, if given), serve in this roster on a camp that overlaps
    the days [``first``, ``last``] (either end open; "the physicians of Mordad", to mark
    them away), and, with ``unassigned``, who could serve but are on no camp (the
    overview's count); each with what tells namesakes apart (group, home, skills).
    ``skills``, ``counties`` and ``groups`` list the filters' choices; with
    ``every_id``, ``ids`` holds the id of every one found (for a bulk edit)."""
    instance = opened.instance
    skill_name = skill_names(opened)
    places = {p.id: p.name for p in instance.places}
    groups = {g.id: g.name for g in instance.groups}
    county_of = {p.id: p.county or NO_COUNTY for p in instance.places}
    names = county_names(opened)
    data: dict[str, Any] = {
        "results": [],
        "total": 0,
        "skills": [{"id": s.id, "name": s.name} for s in instance.skills],
        "skill": skill if skill in skill_name else "",
        "counties": [{"id": c, "name": names.get(c, c)} for c in sorted(set(county_of.values()))],
        "county": county if county in county_of.values() else "",
        "groups": [{"id": g.id, "name": g.name} for g in instance.groups],
        "group": group if group in groups else "",
        "unassigned": unassigned,
        "dated": first is not None or last is not None,
    }
    key = search_key(query)
    asked = (data["skill"], data["county"], data["group"], data["dated"], unassigned)
    if not (key or any(asked)):
        return data
    idle = {u.volunteer_id for u in opened.view.unassigned} if opened.view is not None else set()
    serving = _serving(opened, first, last) if data["dated"] else set()
    found = [
        vid
        for text, vid in opened.search_keys
        if key in text
        and (not data["skill"] or data["skill"] in opened.volunteers[vid].skills)
        and (not data["county"] or county_of.get(opened.volunteers[vid].home) == data["county"])
        and (not data["group"] or opened.volunteers[vid].group == data["group"])
        and (not unassigned or vid in idle)
        and (not data["dated"] or vid in serving)
    ]
    results = []
    for vid in found[:SEARCH_RESULTS]:
        v = opened.volunteers[vid]
        stops = opened.itineraries.get(vid)
        results.append(
            {
                "volunteer": vid,
                "name": v.name,
                "home": v.home,
                "home_name": places.get(v.home, v.home),
                "group": groups.get(v.group or "", v.group or ""),
                "skills": [
                    {"id": s, "name": skill_name.get(s, s), "level": level}
                    for s, level in sorted(v.skills.items())
                ],
                "camps": len(stops.stops) if stops else 0,
            }
        )
    data.update(results=results, total=len(found))
    if every_id:
        data["ids"] = found
    return data


def _serving(opened: OpenVersion, first: int | None, last: int | None) -> set[str]:
    """Who serves in this version's roster on a camp overlapping [first, last]."""
    if opened.view is None:
        return set()
    return {
        m.volunteer_id
        for camp in opened.view.camps
        if (first is None or camp.last_day >= first) and (last is None or camp.first_day <= last)
        for m in camp.members
    }


def volunteer(opened: OpenVersion, volunteer_id: str) -> dict[str, Any] | None:
    """A volunteer: skills, availability and itinerary."""
    v = opened.volunteers.get(volunteer_id)
    if v is None:
        return None
    instance = opened.instance
    skill_names = {s.id: s.name for s in instance.skills}
    places = {p.id: p.name for p in instance.places}
    groups = {g.id: g.name for g in instance.groups}
    problem = opened.problem
    calendar = instance.calendar
    itinerary = opened.itineraries.get(volunteer_id)
    return {
        "volunteer": v.id,
        "name": v.name,
        "gender": v.gender,
        "group": groups.get(v.group or "", ""),
        "home": places.get(v.home, v.home),
        "skills": _skills_held(v, skill_names, calendar, opened, itinerary),
        "available": None
        if v.available is None
        else [[day_of(a, calendar), day_of(b, calendar)] for a, b in v.available],
        "max_camps": int(problem.volunteer_max_camps[problem.volunteer_index[v.id]]),
        "itinerary": [
            {
                "camp": stop.camp.id,
                "name": stop.camp.name,
                "role": stop.skill_name,
                "first_day": stop.camp.first_day,
                "last_day": stop.camp.last_day,
                "place": stop.camp.place_name,
            }
            for stop in (itinerary.stops if itinerary else [])
        ],
    }


EXPIRY_SOON_DAYS = 30  # as validate warns (contract.instance)


def _skills_held(
    v: Any, skill_names: dict[str, str], calendar: Any, opened: OpenVersion, itinerary: Any
) -> list[dict[str, Any]]:
    """Each skill with its level and, for a qualification that expires (``valid_until``),
    its last day and whether it runs out within a month of the season's start or before
    a camp of the volunteer's ends."""
    problem = opened.problem
    season_start = int(problem.camp_start.min()) if problem.num_camps else 0
    held: list[dict[str, Any]] = []
    for s, level in sorted(v.skills.items()):
        until_text = (v.valid_until or {}).get(s)
        until = day_of(until_text, calendar) if until_text else None
        ends = [stop.camp.last_day for stop in (itinerary.stops if itinerary else [])]
        soon = until is not None and (
            until < season_start + EXPIRY_SOON_DAYS or any(until < end for end in ends)
        )
        held.append(
            {
                "id": s,
                "name": skill_names.get(s, s),
                "level": level,
                "valid_until": until,
                "expires_soon": soon,
            }
        )
    return held


def roster_diff(
    before: list[tuple[str, str, str]],
    after: list[tuple[str, str, str]],
    names: dict[str, str],
    instance: Any = None,
) -> dict[str, Any]:
    """Who to call: added, removed and moved between two rosters, with names (and, given
    the ``instance``, each camp left or joined by name, role, place and days)."""
    diff = diff_rosters(before, after)
    data = diff.as_dict()
    for key in ("added", "removed", "moved"):
        for entry in data[key]:  # type: ignore[union-attr]
            entry["name"] = names.get(entry["volunteer"], "")
    return named_stops(data, instance) if instance is not None else data


def named_stops(diff: dict[str, Any], instance: Any) -> dict[str, Any]:
    """``diff`` (added, removed, moved with ``from`` and ``to`` as [camp, skill]) with
    ``before`` and ``after``: each camp left or joined as a planner reads it (the camp's
    and the role's names, its place, its first and last day as ordinals); a move lists
    only the camps and roles that change, not the ones kept."""
    camps = {c.id: c for c in instance.camps}
    skills = {s.id: s.name for s in instance.skills}
    places = {p.id: p.name for p in instance.places}

    def stops(pairs: list[list[str]], kept: set[tuple[str, str]]) -> list[dict[str, Any]]:
        shown = []
        for camp_id, skill in pairs:
            if (camp_id, skill) in kept:
                continue
            camp = camps.get(camp_id)
            shown.append(
                {
                    "camp": camp_id,
                    "camp_name": camp.name if camp else camp_id,
                    "skill": skill,
                    "role": skills.get(skill, skill),
                    "place": places.get(camp.place, camp.place) if camp else "",
                    "first_day": day_of(camp.start, instance.calendar) if camp else None,
                    "last_day": day_of(camp.end, instance.calendar) if camp else None,
                }
            )
        return shown

    for key in ("added", "removed", "moved"):
        for entry in diff[key]:
            old, new = entry.get("from", []), entry.get("to", [])
            kept = {tuple(p) for p in old} & {tuple(p) for p in new}
            entry["before"] = stops(old, kept)
            entry["after"] = stops(new, kept)
    return diff


def camp_fit(opened: OpenVersion, camp_id: str, skill_id: str, lang: str) -> dict[str, Any]:
    """The best volunteers for an empty (or a new) slot of ``skill_id`` in the camp,
    each with who would have to move (``campplanner fit --camp --skill``), kept."""
    key = f"fit {camp_id} {skill_id} {lang}"
    if key not in opened.cache:
        answer = fit_open_slot(opened.problem, opened.assigned, camp_id, skill_id)
        opened.cache[key] = answer.as_dict(lang) | {"skill_names": skill_names(opened)}
    return opened.cache[key]


def skill_names(opened: OpenVersion) -> dict[str, str]:
    """Skill id -> the file's name of it: a page names a role, never by its id."""
    return {s.id: s.name for s in opened.instance.skills}


def late_fit(opened: OpenVersion, fields: Mapping[str, object], lang: str) -> dict[str, Any]:
    """The best camps for a volunteer who registers late, typed into the volunteers
    page's form (``campplanner fit --volunteer``): an id, a name, a home place, skills
    as ``nurse:2 mason`` (level 1 when left out), a gender and the days they are free,
    both optional."""
    typed = not isinstance(fields.get("skills"), dict)  # else a record as the file writes it
    if not typed:
        record = {k: v for k, v in fields.items() if k not in ("csrf", "rev", "next")}
    else:
        record = late_record(fields, skill_names(opened))
    if not isinstance(record.get("id"), str) or not record["id"]:
        raise Worded("id: the late volunteer needs an id", key="late:no_id")
    taken = opened.volunteers.get(record["id"])
    if taken is not None:  # the file's words would point at its list: name who has it
        message = f"id: {taken.id!r} is already the id of {taken.name}: give the late one another"
        raise Worded(message, key="late:id_taken", id=taken.id, name=taken.name)
    try:
        answer = fit_late_volunteer(opened.instance, opened.triples, record, source="the form")
    except InstanceError as error:
        raise LateRefused(error, typed) from None
    data = answer.as_dict(lang)
    data["record"] = record
    data["skill_names"] = skill_names(opened)
    return data


def late_record(
    fields: Mapping[str, object], skill_names: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A volunteer record from the late volunteer's form (Worded when unreadable).

    Skills are typed as a spreadsheet's cell takes them: ``skill:level`` (level 1 when
    left out), each skill by its id or its name (``پرستار:۲، بنا`` or ``nurse:2 mason``,
    ``skill_names``: id -> name), separated by commas or spaces (a name of two words
    between commas)."""

    def text(name: str) -> str:
        return str(fields.get(name) or "").strip()

    by_name = {search_key(name): sid for sid, name in (skill_names or {}).items()}

    def skill_of(typed: str) -> str:
        typed = typed.strip()
        if skill_names is None or typed in skill_names:
            return typed
        return by_name.get(search_key(typed), typed)

    items = []
    for part in text("skills").replace("،", ",").split(","):
        name, _, level = part.partition(":")
        one = skill_of(name) in (skill_names or {}) and (
            not level.strip() or to_ascii_digits(level.strip()).isdigit()
        )
        items += [part.strip()] if one else part.split()  # a name of two words, or ids
    skills: dict[str, int] = {}
    for item in filter(None, items):
        skill, _, level = item.partition(":")
        level = to_ascii_digits(level.strip() or "1")
        if not level.isdigit():
            raise Worded(
                f"skills: {item!r} is not a skill, or skill:level",
                key="late:not_a_skill",
                text=item,
            )
        skills[skill_of(skill)] = int(level)
    record: dict[str, Any] = {
        "id": text("id"),
        "name": text("name") or text("id"),
        "home": text("home"),
        "skills": skills,
    }
    if text("gender"):
        record["gender"] = text("gender")
    if text("first") or text("last"):
        record["available"] = [[text("first"), text("last")]]
    return record
