"""``campplanner export --xlsx``: the roster as a right-to-left workbook.

Sheets, in order: a summary, the master roster (one row per slot, filled or empty:
the sheet ``campplanner check`` reads back after a planner's edits), each volunteer's
itinerary, the unfilled slots, the counties' totals, each jihadi group's members and
their camps, the volunteers on no camp (a row per skill, and counted per skill and
county), then one sheet per county (one per camp when there are
few camps) with each camp's team under its heading, each camp on a page of its own,
and last the reserves per camp when the solution file has them (``solve --reserves``).
Jalali dates are written as text (``۱۴۰۳/۰۴/۱۰``: spreadsheet programs have no Jalali
dates); Gregorian ones as dates. Every sheet prints on A4, one page wide, with its
header row on every page, the season and sheet in the page header and "page N of M"
in the footer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from campplanner.contract.calendar import persian_date, to_persian_digits
from campplanner.contract.errors import UsageError
from campplanner.io import roster_tables as T
from campplanner.io import summaries as S
from campplanner.io.sanitize import sheet_name
from campplanner.io.sheets import ROSTER
from campplanner.io.xlsx import HEADER_LINE_HEIGHT, Writer, fit_width, header_lines, longest_word
from campplanner.report.roster import CampView, RosterView

MAX_ROWS = 1_048_576  # per sheet, in Excel
SUMMARY_SHEET = "خلاصه"
ITINERARY_SHEET = "برنامه داوطلبان"
UNFILLED_SHEET = "جاهای خالی"
COUNTY_SHEET = "شهرستان‌ها"
GROUP_SHEET = "گروه‌های جهادی"
UNASSIGNED_SHEET = "بدون اردو"
UNASSIGNED_COUNT_SHEET = "بدون اردو - شمار"
SUMMARY_SHEETS = 8  # the sheets before the per-county (or per-camp) ones
RESERVES_SHEET = "ذخیره‌ها"  # reserves per camp, when the solution file has them


def _date_cell(view: RosterView) -> Any:
    """Jalali dates as text that reads the same in a right-to-left sheet (۱۴۰۳/۰۴/۱۰:
    hyphens let the sheet show ``10-04-1403``); Gregorian ones as date cells."""
    if view.calendar == "jalali":
        return lambda camp, which: persian_date(getattr(camp, which))
    return lambda camp, which: dt.date.fromordinal(
        camp.first_day if which == "start" else camp.last_day
    )


def roster_workbook(view: RosterView) -> bytes:
    """The whole workbook, as bytes, set up to print (docs/spreadsheets.md, Printing)."""
    writer = Writer(title=view.name)
    used = {SUMMARY_SHEET, ROSTER.persian, ITINERARY_SHEET, UNFILLED_SHEET, RESERVES_SHEET}
    date = _date_cell(view)

    summary = writer.sheet(SUMMARY_SHEET)
    writer.cell(summary, 0, 0, view.name, writer.title)
    end = writer.table(
        summary,
        T.SUMMARY_HEADERS,
        T.summary_table(view),
        first_row=2,
        widths=(34, 30),
        autofilter=False,
    )
    writer.table(
        summary,
        T.SKILL_HEADERS,
        T.skill_table(view),
        first_row=end + 1,
        widths=(34, 30, 12, 12, 12),
        autofilter=False,
    )
    summary.freeze_panes(0, 0)
    writer.print_setup(summary, f"{view.name} — {SUMMARY_SHEET}")

    master = writer.sheet(ROSTER.persian)
    master_rows = T.master_table(view, date)
    if len(master_rows) >= MAX_ROWS:
        raise UsageError(
            f"the roster has {len(master_rows):,} rows, more than a sheet holds "
            f"({MAX_ROWS:,}): export it with --csv or --html"
        )
    status = len(T.MASTER_HEADERS) - 1
    writer.table(
        master,
        T.MASTER_HEADERS,
        master_rows,
        row_style=lambda row: writer.cancelled if row[status] == T.CANCELLED else None,
    )
    writer.print_setup(master, f"{view.name} — {ROSTER.persian}", repeat_rows=(0, 0))

    itinerary = writer.sheet(ITINERARY_SHEET)
    writer.table(itinerary, T.ITINERARY_HEADERS, T.itinerary_table(view, date))
    writer.print_setup(itinerary, f"{view.name} — {ITINERARY_SHEET}", repeat_rows=(0, 0))

    unfilled = writer.sheet(UNFILLED_SHEET)
    writer.table(unfilled, T.UNFILLED_HEADERS, T.unfilled_table(view, date))
    writer.print_setup(unfilled, f"{view.name} — {UNFILLED_SHEET}", repeat_rows=(0, 0))

    # Tables for county desks and group leaders (io/summaries.py, built with pandas).
    for name, (headers, rows) in (
        (COUNTY_SHEET, S.as_rows(S.county_frame(view))),
        (GROUP_SHEET, S.as_rows(S.group_frame(view, date))),
        (UNASSIGNED_SHEET, S.as_rows(S.unassigned_frame(view))),
        (UNASSIGNED_COUNT_SHEET, S.as_rows(S.unassigned_pivot(view))),
    ):
        sheet = writer.sheet(sheet_name(name, used))
        writer.table(sheet, headers, rows)
        writer.print_setup(sheet, f"{view.name} — {name}", repeat_rows=(0, 0))

    if len(view.camps) <= T.SHEET_PER_CAMP_UP_TO:
        groups = [
            (f"{camp.id} {camp.name}", f"{camp.id} {camp.name}", [camp]) for camp in view.camps
        ]
    else:
        groups = [(county, f"شهرستان {county}", camps) for county, camps in view.counties.items()]
    for tab, title, camps in groups:
        sheet = writer.sheet(sheet_name(tab, used))
        _team_sheet(writer, sheet, title, camps)
        writer.print_setup(sheet, f"{view.name} — {title}")
    if view.reserve_rows:  # last, so that the sheets before the county ones stay as they are
        reserves = writer.sheet(RESERVES_SHEET)
        writer.table(reserves, T.RESERVE_HEADERS, view.reserve_rows)
        writer.print_setup(reserves, f"{view.name} — {RESERVES_SHEET}", repeat_rows=(0, 0))
    return writer.close()


TEAM_HEADERS = (
    "نقش (role)",
    "نام (name)",
    "شناسه (id)",
    "گروه (group)",
    "محل سکونت (home)",
    "کیلومتر (km)",
)


def camp_heading(camp: CampView) -> str:
    """One line that names a camp on paper: name, village and county, dates, how full."""
    where = camp.place_name + (f" (شهرستان {camp.county})" if camp.county else "")
    when = f"از {persian_date(camp.start)} تا {persian_date(camp.end)}"
    full = f"پرشده {to_persian_digits(str(camp.filled))} از {to_persian_digits(str(camp.asked))}"
    state = "" if camp.runs else "  —  لغو (cancelled)"
    return f"{camp.name} ({camp.id})  |  {where}  |  {when}  |  {full}{state}"


def _team_sheet(writer: Writer, sheet: Any, title: str, camps: list[CampView]) -> None:
    """Each camp's heading, its team and its empty slots; every camp starts a page."""
    last_col = len(TEAM_HEADERS) - 1
    teams = [
        [
            (
                m.skill_name,
                m.volunteer_name,
                m.volunteer_id,
                m.group_name,
                m.home_name,
                round(m.road_km),
            )
            for m in camp.members
        ]
        for camp in camps
    ]
    columns: list[list[Any]] = [[header_lines(h)] for h in TEAM_HEADERS]
    for team in teams:
        for values in team:
            for col, value in enumerate(values):
                columns[col].append(value)
    for camp in camps:
        columns[0].extend(slot.skill_name for slot in camp.slots)
    layout = writer.columns(
        sheet,
        [fit_width(values, low=10) for values in columns],
        narrowest=[max(10, longest_word(values)) for values in columns],
    )
    wrap = {col: writer.wrapped() for col in layout.narrowed}
    styles = [wrap.get(col) for col in range(len(TEAM_HEADERS))]
    missing = (writer.missing, writer.missing)
    writer.cell(sheet, 0, 0, title, writer.title)
    row = 2
    starts = []
    for camp, team in zip(camps, teams, strict=True):
        starts.append(row)
        heading = camp_heading(camp)
        # Across the whole width, so that a long camp name is never cut at a cell's edge.
        writer.merged(sheet, row, 0, last_col, heading, writer.camp_row)
        sheet.set_row(row, HEADER_LINE_HEIGHT * 2 if len(heading) > 110 else None)
        row += 1
        for col, header in enumerate(TEAM_HEADERS):
            writer.cell(sheet, row, col, header_lines(header), writer.header)
        sheet.set_row(row, HEADER_LINE_HEIGHT * 2)
        row += 1
        for values in team:
            writer.row(sheet, row, values, styles)
            row += 1
        for slot in camp.slots:
            for label in T.empty_slot_labels(slot.missing):
                writer.row(sheet, row, (slot.skill_name, label), missing)
                row += 1
        row += 1
    writer.page_breaks(sheet, starts[1:])
