"""What a volunteer's private link shows and records, and the statuses of a published
roster's assignments on the planners' pages (issue 24; ``app/links.py`` makes and checks
the links).

A link shows the published version: the volunteer's camps (Jalali dates, village,
county, the camp leader's name and phone, what to bring, their answer) and nobody
else's phone but their camp leader's. A camp leader's link lists their team by name and
role, without phones (the packet has them). A volunteer's answer is stored; a decline
is also an edit at once (the volunteer away from that camp, by ``the volunteer``), which
the planner's next re-solve applies; confirming again drops that edit while it is still
pending.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from campplanner.app.links import (
    LINK_COLUMNS,
    REASONS,
    AnswerRecord,
    LinkRecord,
    link_rows,
    links_csv,
    status,
)
from campplanner.app.review.days import shown_day
from campplanner.app.review.downloads import Download
from campplanner.app.review.versions import OpenVersion
from campplanner.contract.contact import spoken_phone
from campplanner.contract.instance import instance_from_data
from campplanner.contract.schema import Instance, Volunteer
from campplanner.contract.solution import roster_triples, solution_from_data
from campplanner.io.ics import CampEvent, calendar_file
from campplanner.report.roster import CampView, RosterView
from campplanner.workspace import VersionInfo, Workspace

VOLUNTEER = "the volunteer"  # who a decline's edit is by, in the audit and the edits page
__all__ = ["LINK_COLUMNS", "REASONS", "VOLUNTEER"]


@dataclass
class Published:
    """The published version as the links read it: its instance and roster view, not
    compiled (a volunteer's visit never waits for the season's compile, and never pushes
    the planners' open versions out of memory)."""

    version: VersionInfo
    instance: Instance
    camps: dict[str, CampView]
    volunteers: dict[str, Volunteer]
    triples: list[tuple[str, str, str]]


def published_roster(workspace: Workspace, info: VersionInfo) -> Published:
    """Version ``info`` read for the links (its roster view, by ids)."""
    source = f"version {info.id}"
    instance = instance_from_data(json.loads(workspace.instance_json(info.id)), source)
    raw = workspace.solution_json(info.id)
    if raw is None:
        return Published(info, instance, {}, {v.id: v for v in instance.volunteers}, [])
    solution = solution_from_data(json.loads(raw), source)
    view = RosterView.from_solution(instance, solution, source)
    return Published(
        info,
        instance,
        {camp.id: camp for camp in view.camps},
        {v.id: v for v in instance.volunteers},
        roster_triples(solution),
    )


Roster = OpenVersion | Published  # what the pages of the links read: either has it all


def leaders(camp: CampView) -> list[tuple[str, str, str | None]]:
    """The camp's leaders: (volunteer, name, phone)."""
    return [(m.volunteer_id, m.volunteer_name, m.phone) for m in camp.members if m.role == "leader"]


def camps_of(opened: Roster, volunteer: str) -> list[tuple[CampView, str, str]]:
    """The camps of ``volunteer`` in ``opened``, soonest first: (camp, skill, role)."""
    found = []
    for camp in opened.camps.values():
        for member in camp.members:
            if member.volunteer_id == volunteer:
                found.append((camp, member.skill_id, member.skill_name))
    return sorted(found, key=lambda entry: (entry[0].first_day, entry[0].id))


def page(
    opened: Roster,
    volunteer: str,
    answers: dict[tuple[str, str], AnswerRecord],
    lang: str,
) -> dict[str, Any]:
    """A volunteer's page in ``lang``: their camps, leaders' phones, answers."""
    person = opened.volunteers.get(volunteer)
    bring = {c.id: c.bring or "" for c in opened.instance.camps}
    calendar = opened.instance.calendar
    camps = []
    for camp, skill, role in camps_of(opened, volunteer):
        answer = answers.get((volunteer, camp.id))
        leading = any(v == volunteer for v, _, _ in leaders(camp))
        camps.append(
            {
                "camp": camp.id,
                "name": camp.name,
                "first": shown_day(camp.first_day, calendar, lang),
                "last": shown_day(camp.last_day, calendar, lang),
                "days": camp.days,
                "village": camp.place_name,
                "county": camp.county,
                "role": role,
                "skill": skill,
                "leaders": [
                    {"name": name, "phone": spoken_phone(phone) if phone else ""}
                    for v, name, phone in leaders(camp)
                    if v != volunteer
                ],
                "leading": leading,
                # a leader's own team, names and roles only: no one's phone
                "team": [
                    {"name": m.volunteer_name, "role": m.skill_name}
                    for m in camp.members
                    if leading and m.volunteer_id != volunteer
                ],
                "bring": bring.get(camp.id, ""),
                "answer": answer.answer if answer else None,
                "reason": answer.reason if answer else "",
            }
        )
    return {
        "volunteer": volunteer,
        "name": person.name if person else volunteer,
        "camps": camps,
        "reasons": list(REASONS),
        "version": opened.version.id,
    }


def calendar(opened: Roster, volunteer: str, answers: dict[tuple[str, str], AnswerRecord]) -> bytes:
    """The volunteer's camps as an ``.ics`` file (io/ics.py): stable event ids."""
    events = []
    for camp, _, role in camps_of(opened, volunteer):
        heads = [
            f"{name} {spoken_phone(phone) if phone else ''}".strip()
            for v, name, phone in leaders(camp)
            if v != volunteer
        ]
        lines = [role] + [f"سرپرست: {h}" for h in heads]
        if any(v == volunteer for v, _, _ in leaders(camp)):
            lines.append(f"گروه: {len(camp.members)} نفر")
        answer = answers.get((volunteer, camp.id))
        events.append(
            CampEvent(
                volunteer,
                camp.id,
                camp.name,
                camp.first_day,
                camp.last_day,
                "، ".join(p for p in (camp.place_name, camp.county) if p),
                "\n".join(lines),
                cancelled=answer is not None and answer.answer == "decline",
            )
        )
    name = opened.volunteers[volunteer].name if volunteer in opened.volunteers else volunteer
    return calendar_file(events, opened.version.id, f"اردوها: {name}")


def statuses(
    triples: Iterable[tuple[str, str, str]],
    newest: dict[str, LinkRecord],
    answers: dict[tuple[str, str], AnswerRecord],
    now: datetime | None = None,
) -> dict[tuple[str, str], str]:
    """(volunteer, camp) -> the assignment's status (``app/links.status``)."""
    now = now or datetime.now(UTC)
    return {(v, c): status(newest.get(v), answers.get((v, c)), now) for v, c, _ in triples}


def camp_confirmation(camp: CampView, found: dict[tuple[str, str], str]) -> dict[str, Any]:
    """A camp's share confirmed, and its essential members not confirmed yet."""
    essential = {s.skill_id for s in camp.slots if s.essential}
    members = [(m, found.get((m.volunteer_id, camp.id), "not_sent")) for m in camp.members]
    confirmed = sum(1 for _, s in members if s == "confirmed")
    unconfirmed = [
        {"volunteer": m.volunteer_id, "name": m.volunteer_name, "role": m.skill_name, "status": s}
        for m, s in members
        if m.skill_id in essential and s != "confirmed"
    ]
    declined = [m.volunteer_id for m, s in members if s == "declined"]
    return {
        "confirmed": confirmed,
        "members": len(members),
        "share": confirmed / len(members) if members else None,
        "essentials_unconfirmed": unconfirmed,
        "declined": declined,
        # at risk: someone said no, or an essential member has not answered in time
        "at_risk": bool(declined)
        or any(u["status"] in ("declined", "no_answer") for u in unconfirmed),
    }


def unanswered(
    opened: Roster, found: dict[tuple[str, str], str]
) -> dict[str, list[dict[str, Any]]]:
    """Who has not opened their link, and who has opened it but not answered."""
    per_volunteer: dict[str, set[str]] = {}
    for (volunteer, _), state in found.items():
        per_volunteer.setdefault(volunteer, set()).add(state)
    not_opened, not_answered = [], []
    for volunteer, states in sorted(per_volunteer.items()):
        person = opened.volunteers.get(volunteer)
        row = {"volunteer": volunteer, "name": person.name if person else volunteer}
        if states & {"sent", "no_answer"} and "opened" not in states:
            not_opened.append(row)
        elif "opened" in states:
            not_answered.append(row)
    return {"not_opened": not_opened, "not_answered": not_answered}


def links_file(
    opened: Roster,
    tokens: dict[str, str],
    base_url: str,
    may_see: Any,
) -> Download:
    """``links-phones.csv`` of the people ``may_see`` (volunteer id -> bool) allows."""
    people = [
        (v.id, v.name, v.phone)
        for v in opened.instance.volunteers
        if v.id in tokens and may_see(v.id)
    ]
    rows = link_rows(people, tokens, base_url)
    return Download(
        f"links-phones-v{opened.version.id}.csv", "text/csv; charset=utf-8", links_csv(rows)
    )
