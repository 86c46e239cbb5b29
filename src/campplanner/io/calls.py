"""``campplanner export --calls FOLDER``: whom to phone after a re-plan, and what to say.

A re-plan (``solve --baseline``) writes who is added, moved and removed, and which
published assignments are no longer possible, into the solution file's ``replan``
section. This export turns it into a call list, one row per person, the camp that
starts soonest first: their phone, what changes (from which camp and role to which),
with dates and places. An xlsx (printable, right to left) and a CSV file, named
``calls-phones.*`` when they carry phone numbers (personal data: the name says so).
"""

from __future__ import annotations

from typing import Any

from campplanner.contract.calendar import persian_date
from campplanner.contract.contact import spoken_phone
from campplanner.contract.errors import UsageError
from campplanner.explain import WORDS
from campplanner.io.csv_out import csv_text
from campplanner.io.xlsx import Writer
from campplanner.report.roster import CampView, RosterView

CALL_HEADERS = (
    "اولین روز (first day)",
    "تغییر (change)",
    "شناسه داوطلب (volunteer)",
    "نام داوطلب (volunteer name)",
    "تلفن (phone)",
    "گروه (group)",
    "از (from)",
    "به (to)",
    "شهرستان (county)",
    "توضیح (note)",
)
CALLS_SHEET = "تماس‌ها"
PERSIAN = WORDS["fa"]  # why a place is no longer possible, in the call list's language
# Each change of a re-plan (report.roster.Call.action) in the call list's words.
CALL_ACTIONS = {
    "added": "افزوده (added)",
    "moved": "جابه‌جا (moved)",
    "role_changed": "تغییر نقش (role changed)",
    "removed": "حذف (removed)",
    "no_longer_possible": "ناممکن (no longer possible)",
}


def _places(stops: list[tuple[CampView, str]]) -> str:
    """``c0001 اردوی … (نقش), قلعه قاسم، ۱۴۰۳/۰۳/۰۱ تا ۱۴۰۳/۰۳/۱۰`` per camp, joined by «؛ »."""
    return "؛ ".join(
        f"{camp.id} {camp.name} ({role})، {camp.place_name}، "
        f"{persian_date(camp.start)} تا {persian_date(camp.end)}"
        for camp, role in stops
    )


def call_rows(view: RosterView) -> list[list[Any]]:
    """One row per person to call, the soonest camp first (UsageError without a re-plan)."""
    if view.calls is None:
        raise UsageError(
            "--calls: the solution file is no re-plan (no 'replan' section); "
            "make one with `campplanner solve INSTANCE --baseline PUBLISHED.json -o NEW.json`"
        )
    rows = []
    for call in view.calls:
        soonest = min((camp for camp, _ in call.before + call.after), key=lambda c: c.first_day)
        rows.append(
            [
                persian_date(soonest.start),
                CALL_ACTIONS[call.action],
                call.volunteer_id,
                call.volunteer_name,
                spoken_phone(call.phone) if call.phone else None,
                call.group_name,
                _places(call.before) or None,
                _places(call.after) or None,
                "، ".join(
                    sorted({camp.county for camp, _ in call.before + call.after if camp.county})
                ),
                "؛ ".join(map(PERSIAN.why, call.reasons)) or None,
            ]
        )
    return rows


def call_files(view: RosterView) -> dict[str, bytes]:
    """``calls[-phones].xlsx`` and ``calls[-phones].csv``."""
    rows = call_rows(view)
    stem = "calls-phones" if any(row[4] for row in rows) else "calls"
    writer = Writer(title=f"{view.name} — {CALLS_SHEET}")
    sheet = writer.sheet(CALLS_SHEET)
    writer.table(sheet, CALL_HEADERS, rows)
    writer.print_setup(sheet, f"{view.name} — {CALLS_SHEET}", repeat_rows=(0, 0))
    return {
        f"{stem}.xlsx": writer.close(),
        f"{stem}.csv": csv_text(CALL_HEADERS, rows).encode("utf-8-sig"),
    }
