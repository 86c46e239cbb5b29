"""``campplanner export --xlsx``: the roster as a right-to-left workbook.

Sheets, in order: a summary, the master roster (one row per slot, filled or empty:
the sheet ``campplanner check`` reads back after a planner's edits), each volunteer's
itinerary, the unfilled slots, the reserves per camp (when the solution file has
them: ``solve --reserves``), then one sheet per county (one per camp when there are
few camps) with each camp's team under its heading. Jalali dates are written as text
(``1403-04-10``: spreadsheet programs have no Jalali dates); Gregorian ones as dates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from campplanner.errors import UsageError
from campplanner.io import roster_model as M
from campplanner.io.sanitize import sheet_name
from campplanner.io.sheets import ROSTER
from campplanner.io.xlsx import Writer

MAX_ROWS = 1_048_576  # per sheet, in Excel
SUMMARY_SHEET = "خلاصه"
ITINERARY_SHEET = "برنامه داوطلبان"
UNFILLED_SHEET = "جاهای خالی"
RESERVES_SHEET = "ذخیره‌ها"  # reserves per camp, when the solution file has them


def _date_cell(view: M.RosterView) -> Any:
    if view.calendar == "jalali":
        return lambda camp, which: getattr(camp, which)
    return lambda camp, which: dt.date.fromordinal(
        camp.first_day if which == "start" else camp.last_day
    )


def roster_workbook(view: M.RosterView) -> bytes:
    """The whole workbook, as bytes."""
    writer = Writer(title=view.name)
    used = {SUMMARY_SHEET, ROSTER.persian, ITINERARY_SHEET, UNFILLED_SHEET, RESERVES_SHEET}
    date = _date_cell(view)

    summary = writer.sheet(SUMMARY_SHEET)
    writer.cell(summary, 0, 0, view.name, writer.title)
    end = writer.table(summary, M.SUMMARY_HEADERS, M.summary_table(view), first_row=2,
                       widths=(34, 30), autofilter=False)  # fmt: skip
    writer.table(summary, M.SKILL_HEADERS, M.skill_table(view), first_row=end + 1,
                 widths=(34, 30, 12, 12, 12), autofilter=False)  # fmt: skip
    summary.freeze_panes(0, 0)

    master = writer.sheet(ROSTER.persian)
    master_rows = M.master_table(view, date)
    if len(master_rows) >= MAX_ROWS:
        raise UsageError(
            f"the roster has {len(master_rows):,} rows, more than a sheet holds "
            f"({MAX_ROWS:,}): export it with --csv or --html"
        )
    writer.table(master, M.MASTER_HEADERS, master_rows,
                 widths=(10, 28, 12, 18, 12, 12, 14, 16, 14, 22, 22, 14, 10))  # fmt: skip

    itinerary = writer.sheet(ITINERARY_SHEET)
    writer.table(itinerary, M.ITINERARY_HEADERS, M.itinerary_table(view, date),
                 widths=(14, 22, 22, 14, 12, 12, 10, 28, 18, 12, 16))  # fmt: skip

    unfilled = writer.sheet(UNFILLED_SHEET)
    writer.table(unfilled, M.UNFILLED_HEADERS, M.unfilled_table(view, date),
                 widths=(10, 28, 12, 12, 12, 14, 16, 8, 8, 8, 8, 8, 14))  # fmt: skip

    if view.reserves:
        writer.table(writer.sheet(RESERVES_SHEET), M.RESERVE_HEADERS, view.reserves,
                     widths=(12, 30, 8, 14, 22, 12, 12))  # fmt: skip

    if len(view.camps) <= M.SHEET_PER_CAMP_UP_TO:
        groups = [(f"{camp.id} {camp.name}", [camp]) for camp in view.camps]
    else:
        groups = list(view.counties.items())
    for title, camps in groups:
        _team_sheet(writer, writer.sheet(sheet_name(title, used)), title, camps, date)
    return writer.close()


TEAM_HEADERS = ("نقش (role)", "نام (name)", "شناسه (id)", "گروه (group)", "محل سکونت (home)",
                "کیلومتر (km)")  # fmt: skip


def _team_sheet(writer: Writer, sheet: Any, title: str, camps: list[M.CampView], date: Any) -> None:
    writer.cell(sheet, 0, 0, title, writer.title)
    row = 2
    for camp in camps:
        when = f"{_text(date(camp, 'start'))} .. {_text(date(camp, 'end'))}"
        state = "" if camp.runs else "  —  لغو (cancelled)"
        heading = (
            f"{camp.id}  {camp.name}  |  {camp.place_name}  |  {when}  |  "
            f"{camp.filled}/{camp.asked}{state}"
        )
        writer.cell(sheet, row, 0, heading, writer.camp_row)
        for col in range(1, len(TEAM_HEADERS)):
            writer.cell(sheet, row, col, "", writer.camp_row)
        row += 1
        for col, header in enumerate(TEAM_HEADERS):
            writer.cell(sheet, row, col, header, writer.header)
        row += 1
        for m in camp.members:
            values = (m.skill_name, m.volunteer_name, m.volunteer_id, m.group_name,
                      m.home_name, round(m.road_km))  # fmt: skip
            for col, value in enumerate(values):
                writer.cell(sheet, row, col, value)
            row += 1
        for slot in camp.slots:
            for label in M.empty_slot_labels(slot.missing):
                writer.cell(sheet, row, 0, slot.skill_name, writer.missing)
                writer.cell(sheet, row, 1, label, writer.missing)
                row += 1
        row += 1
    for col, width in enumerate((18, 24, 12, 24, 16, 10)):
        sheet.set_column(col, col, width)


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)
