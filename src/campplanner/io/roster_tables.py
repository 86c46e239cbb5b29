"""A roster's tables for the writers (workbook, CSV): plain rows, Persian headers.

The rows come from the read model, :class:`campplanner.report.RosterView`; the writers
only lay them out. Headers name the column in Persian, then in English (what ``check``
reads back from an edited workbook).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from campplanner.report.roster import Member, RosterView

# With this many camps or fewer, the workbook has a sheet per camp; otherwise per county.
SHEET_PER_CAMP_UP_TO = 8

MASTER_HEADERS = (
    "شناسه اردو (camp)",
    "نام اردو (camp name)",
    "شهرستان (county)",
    "محل (place)",
    "شروع (start)",
    "پایان (end)",
    "شناسه مهارت (skill)",
    "نام مهارت (skill name)",
    "شناسه داوطلب (volunteer)",
    "نام داوطلب (volunteer name)",
    "گروه (group)",
    "محل سکونت (home)",
    "کیلومتر جاده (road km)",
    "وضعیت اردو (camp status)",
)
RUNS = "برگزار"
CANCELLED = "لغو (cancelled)"
EMPTY_SLOT = "— خالی —"
EMPTY_ROWS_PER_REQUIREMENT = 50


def master_table(view: RosterView, date: Any = None) -> list[list[Any]]:
    """One row per slot, filled or not: a planner fills an empty one by typing an id.

    ``date(camp, "start")`` gives the cell of a date (text, or a date for Gregorian workbooks).
    """
    date = date or (lambda camp, which: getattr(camp, which))
    rows = []
    for camp in view.camps:
        head = [
            camp.id,
            camp.name,
            camp.county,
            camp.place_name,
            date(camp, "start"),
            date(camp, "end"),
        ]
        status = RUNS if camp.runs else CANCELLED
        members_by_skill: dict[str, list[Member]] = defaultdict(list)
        for member in camp.members:
            members_by_skill[member.skill_id].append(member)
        for slot in camp.slots:
            for m in members_by_skill[slot.skill_id]:
                rows.append(
                    [
                        *head,
                        slot.skill_id,
                        slot.skill_name,
                        m.volunteer_id,
                        m.volunteer_name,
                        m.group_name,
                        m.home_name,
                        round(m.road_km),
                        status,
                    ]
                )
            for label in empty_slot_labels(slot.missing):
                rows.append(
                    [*head, slot.skill_id, slot.skill_name, None, label, None, None, None, status]
                )
    return rows


def empty_slot_labels(missing: int) -> list[str]:
    """One label per empty slot, at most EMPTY_ROWS_PER_REQUIREMENT (the last says how many more).

    A requirement may ask for 10,000 slots; a sheet of millions of empty rows helps nobody
    and overflows Excel's 1,048,576 rows.
    """
    if missing <= EMPTY_ROWS_PER_REQUIREMENT:
        return [EMPTY_SLOT] * missing
    more = missing - EMPTY_ROWS_PER_REQUIREMENT  # the last row is a slot, and these more
    return [EMPTY_SLOT] * (EMPTY_ROWS_PER_REQUIREMENT - 1) + [f"{EMPTY_SLOT} (+{more:,})"]


ITINERARY_HEADERS = (
    "شناسه داوطلب (volunteer)",
    "نام داوطلب (volunteer name)",
    "گروه (group)",
    "محل سکونت (home)",
    "شروع (start)",
    "پایان (end)",
    "شناسه اردو (camp)",
    "نام اردو (camp name)",
    "محل (place)",
    "شهرستان (county)",
    "نقش (role)",
)


def itinerary_table(view: RosterView, date: Any = None) -> list[list[Any]]:
    """Each volunteer's camps in order of dates, one row a camp."""
    date = date or (lambda camp, which: getattr(camp, which))
    return [
        [
            plan.volunteer_id,
            plan.volunteer_name,
            plan.group_name,
            plan.home_name,
            date(stop.camp, "start"),
            date(stop.camp, "end"),
            stop.camp.id,
            stop.camp.name,
            stop.camp.place_name,
            stop.camp.county,
            stop.skill_name,
        ]
        for plan in view.itineraries
        for stop in plan.stops
    ]


UNFILLED_HEADERS = (
    "شناسه اردو (camp)",
    "نام اردو (camp name)",
    "شهرستان (county)",
    "شروع (start)",
    "پایان (end)",
    "شناسه مهارت (skill)",
    "نام مهارت (skill name)",
    "حداقل سطح (level)",
    "ضروری (essential)",
    "درخواستی (asked)",
    "پرشده (filled)",
    "خالی (missing)",
    "وضعیت اردو (camp status)",
    "علت (reason)",
    "چرا (why)",
    "راه‌حل (fix)",
)


def unfilled_table(view: RosterView, date: Any = None) -> list[list[Any]]:
    """Every requirement with an empty slot; a cancelled camp's requirements all are."""
    date = date or (lambda camp, which: getattr(camp, which))
    rows = []
    for camp in view.camps:
        for slot in camp.slots:
            if not slot.missing:
                continue
            reason = camp.slot_reasons.get(slot.skill_id) or camp.reason
            rows.append(
                [
                    camp.id,
                    camp.name,
                    camp.county,
                    date(camp, "start"),
                    date(camp, "end"),
                    slot.skill_id,
                    slot.skill_name,
                    slot.level,
                    "بله" if slot.essential else "خیر",
                    slot.count,
                    slot.filled,
                    slot.missing,
                    RUNS if camp.runs else CANCELLED,
                    reason.cause_text if reason else None,
                    reason.why if reason else None,
                    reason.fix if reason else None,
                ]
            )
    return rows


SKILL_HEADERS = (
    "شناسه مهارت (skill)",
    "نام مهارت (skill name)",
    "درخواستی (asked)",
    "پرشده (filled)",
    "درصد (percent)",
)


def skill_table(view: RosterView) -> list[list[Any]]:
    return [[s.id, s.name, s.asked, s.filled, s.percent] for s in view.skills]


SUMMARY_HEADERS = ("مورد (item)", "مقدار (value)")


def summary_table(view: RosterView) -> list[list[Any]]:
    totals = view.totals
    return [
        ["نام (name)", view.name],
        ["وضعیت (status)", view.status],
        ["پوشش (coverage)", view.coverage],
        ["کران پوشش (coverage bound)", view.coverage_bound],
        ["اردوها (camps)", totals.camps],
        ["اردوهای برگزار (camps run)", totals.run],
        ["اردوهای لغو (camps cancelled)", totals.cancelled],
        ["جاهای درخواستی (slots asked)", totals.asked],
        ["جاهای پرشده (slots filled)", totals.filled],
        ["داوطلبان اعزامی (volunteers sent)", totals.volunteers_sent],
        ["تقویم (calendar)", view.calendar],
        *([["نقض قواعد (RULE VIOLATIONS)", v] for v in view.violations]),
    ]


RESERVE_HEADERS = (
    "شناسه اردو (camp id)",
    "اردو (camp)",
    "رتبه (rank)",
    "شناسه (volunteer id)",
    "نام (name)",
    "جایگزینی‌ها (fill-ins)",
    "سهم اجراها (share of runs)",
)
