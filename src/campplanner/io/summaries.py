"""Tables for group leaders and county desks, built with pandas: grouping, pivoting, sorting.

- :func:`county_frame`: per county, camps run and cancelled, slots asked, filled, missing;
- :func:`group_frame`: per jihadi group, each member's camps with dates and places (the
  members on no camp listed too, so a group leader sees the whole group);
- :func:`unassigned_frame`: the volunteers on no camp, one row per skill they hold, by
  county then skill; :func:`unassigned_pivot` counts them per skill and county.

The writers (workbook, CSV) lay them out like the other tables: :func:`as_rows` gives
the headers and rows they take. Headers are Persian, then English in brackets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from campplanner.report.roster import NO_COUNTY, CampView, RosterView

if TYPE_CHECKING:  # pandas is imported when a table is built, not at start
    import pandas as pd

DateCell = Callable[[CampView, str], Any]
NOT_SENT = "— بدون اردو —"


def _date(date: DateCell | None) -> DateCell:
    return date or (lambda camp, which: getattr(camp, which))


def as_rows(frame: pd.DataFrame) -> tuple[tuple[str, ...], list[list[Any]]]:
    """Headers and rows for the writers; pandas' missing values become empty cells."""
    import pandas as pd

    rows = [
        [
            None
            if (not isinstance(v, str | tuple) and pd.isna(v))
            else (v.item() if hasattr(v, "item") else v)
            for v in row
        ]
        for row in frame.itertuples(index=False, name=None)
    ]
    return tuple(str(c) for c in frame.columns), rows


def county_frame(view: RosterView) -> pd.DataFrame:
    """One row per county: camps, run, cancelled, slots asked, filled, missing, % filled
    (the read model's county totals, laid out)."""
    import pandas as pd

    table = pd.DataFrame(
        [
            (t.name, t.camps, t.run, t.cancelled, t.asked, t.filled, t.missing, t.percent)
            for t in view.totals.counties
        ],
        columns=list(COUNTY_HEADERS),
    )
    # empty, not NaN, for a county asking nothing; whole numbers stay whole
    table[COUNTY_HEADERS[-1]] = table[COUNTY_HEADERS[-1]].astype("Int64")
    return table


COUNTY_HEADERS = (
    "شهرستان (county)",
    "اردوها (camps)",
    "برگزار (run)",
    "لغو (cancelled)",
    "جاهای درخواستی (asked)",
    "پرشده (filled)",
    "خالی (missing)",
    "درصد (percent)",
)


GROUP_HEADERS = (
    "گروه (group)",
    "شناسه داوطلب (volunteer)",
    "نام داوطلب (volunteer name)",
    "شروع (start)",
    "پایان (end)",
    "شناسه اردو (camp)",
    "نام اردو (camp name)",
    "محل (place)",
    "شهرستان (county)",
    "نقش (role)",
)


def group_frame(view: RosterView, date: DateCell | None = None) -> pd.DataFrame:
    """Each group's members and their camps, by group, then member, then date."""
    import pandas as pd

    date = _date(date)
    sent = [
        (
            plan.group_name,
            plan.volunteer_id,
            plan.volunteer_name,
            stop.camp.first_day,
            date(stop.camp, "start"),
            date(stop.camp, "end"),
            stop.camp.id,
            stop.camp.name,
            stop.camp.place_name,
            stop.camp.county,
            stop.skill_name,
        )
        for plan in view.itineraries
        for stop in plan.stops
    ]
    idle = [
        (
            u.group_name,
            u.volunteer_id,
            u.volunteer_name,
            None,
            None,
            None,
            None,
            NOT_SENT,
            None,
            None,
            None,
        )
        for u in view.unassigned
    ]
    columns = ["group", "id", "name", "first_day", *GROUP_HEADERS[3:]]
    frame = pd.DataFrame(sent + idle, columns=columns)
    frame = frame[frame["group"] != ""]  # volunteers in no group have no group leader
    frame = frame.sort_values(
        ["group", "name", "id", "first_day"], na_position="last", kind="stable"
    )
    frame = frame.drop(columns="first_day")
    frame.columns = list(GROUP_HEADERS)
    return frame.reset_index(drop=True)


UNASSIGNED_HEADERS = (
    "شهرستان (county)",
    "مهارت (skill)",
    "سطح (level)",
    "شناسه داوطلب (volunteer)",
    "نام داوطلب (volunteer name)",
    "گروه (group)",
    "محل سکونت (home)",
)


def unassigned_frame(view: RosterView) -> pd.DataFrame:
    """Volunteers on no camp, a row per skill they hold: by county, skill, level (highest
    first) and name: whom to ask when a camp of that county needs that skill."""
    import pandas as pd

    frame = pd.DataFrame(
        [
            (
                u.county or NO_COUNTY,
                skill,
                level,
                u.volunteer_id,
                u.volunteer_name,
                u.group_name,
                u.home_name,
            )
            for u in view.unassigned
            for skill, level in u.skills
        ],
        columns=list(UNASSIGNED_HEADERS),
    )
    keys = [*UNASSIGNED_HEADERS[:3], UNASSIGNED_HEADERS[4]]
    order = frame.sort_values(keys, ascending=[True, True, False, True], kind="stable")
    return order.reset_index(drop=True)


TOTAL = "جمع (total)"


def unassigned_pivot(view: RosterView) -> pd.DataFrame:
    """How many volunteers on no camp hold each skill, per county (with totals), the
    skills with most people first."""
    import pandas as pd

    frame = unassigned_frame(view)
    county, skill = UNASSIGNED_HEADERS[0], UNASSIGNED_HEADERS[1]
    if frame.empty:
        return pd.DataFrame(columns=[skill, TOTAL])
    table = pd.crosstab(frame[skill], frame[county], margins=True, margins_name=TOTAL)
    body = table.drop(index=TOTAL).sort_values(TOTAL, ascending=False, kind="stable")
    table = pd.concat([body, table.loc[[TOTAL]]])
    table.index.name = skill
    table.columns.name = None
    return table.reset_index()
