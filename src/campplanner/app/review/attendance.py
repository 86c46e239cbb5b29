"""Attendance at the camp: the sheet a camp leader fills in, and the history file of it.

At the camp, the leader (or the county coordinator) marks each member of the team as
come or not; the marks are kept in the workspace (``workspace/attendance.py``), newest
per person and camp. The province then downloads them as an attendance history
(``contract/history.py``: one record per person and camp, this season's name as the
season) for next season's ``stress --history``, which turns who did not come into each
person's no-show estimate (``whatif/attendance.py``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from campplanner.app.review.errors import AttendanceRefused
from campplanner.app.review.links import Published
from campplanner.app.review.versions import OpenVersion
from campplanner.contract.history import Attendance, history_data
from campplanner.workspace.attendance import Mark

# what a form or a script may send for a member: came, did not, or not said (left out)
_CAME = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}


def sheet(
    opened: OpenVersion | Published, camp_id: str, marks: Iterable[Mark]
) -> list[dict[str, Any]]:
    """The camp's team, each with their mark: ``came`` True, False or None (not yet),
    who recorded it and when."""
    camp = opened.camps.get(camp_id)
    if camp is None:
        return []
    found = {mark.volunteer: mark for mark in marks if mark.camp == camp_id}
    rows = []
    for member in camp.members:
        mark = found.get(member.volunteer_id)
        rows.append(
            {
                "volunteer": member.volunteer_id,
                "name": member.volunteer_name,
                "role": member.skill_name,
                "came": None if mark is None else mark.came,
                "by": None if mark is None else mark.by,
                "at": None if mark is None else mark.at.isoformat(),
            }
        )
    return rows


def checked_marks(
    opened: OpenVersion | Published, camp_id: str, fields: Mapping[str, Any]
) -> dict[str, bool]:
    """The marks sent for ``camp_id``: ``{"marks": {volunteer: true|false}}`` (the API) or
    the form's ``came:VOLUNTEER`` fields (yes, no, or empty for not said); every
    problem said at once (a person not on the team, a value neither yes nor no)."""
    camp = opened.camps.get(camp_id)
    team = {m.volunteer_id for m in camp.members} if camp is not None else set()
    sent: dict[str, Any] = {}
    if isinstance(fields.get("marks"), dict):
        sent = dict(fields["marks"])
    else:
        sent = {k[len("came:") :]: v for k, v in fields.items() if k.startswith("came:")}
    problems: list[str] = []
    who: list[str] = []
    marks: dict[str, bool] = {}
    for volunteer, value in sent.items():
        if volunteer not in team:
            problems.append(f"{volunteer}: not on the team of camp {camp_id}")
            who.append(volunteer)
            continue
        if value in ("", None):
            continue  # not said yet
        came = value if isinstance(value, bool) else _CAME.get(str(value).strip().lower())
        if came is None:
            problems.append(f"{volunteer}: came is yes or no, not {value!r}")
            who.append(volunteer)
            continue
        marks[volunteer] = came
    if problems:
        raise AttendanceRefused("attendance not recorded: " + "; ".join(problems), people=who)
    if not marks:
        raise AttendanceRefused(
            "attendance not recorded: no member was marked as come or not",
            "attendance_nothing",
        )
    return marks


def history_file(season: str, marks: Iterable[Mark]) -> bytes:
    """The contract's history file of ``marks``, each a record of season ``season``."""
    records = [Attendance(m.volunteer, season, m.camp, m.came) for m in marks]
    records.sort(key=lambda r: (r.camp, r.volunteer))
    note = f"attendance recorded at the camps of {season}"
    return (json.dumps(history_data(records, note), ensure_ascii=False, indent=1) + "\n").encode()
