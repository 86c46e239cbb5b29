"""Attendance history: who came to the camps they were rostered for, season after season.

A history file is optional and separate from the instance (it outlives seasons, and an
instance is one season). It lists attendance records, one per volunteer and camp they
were rostered for:

    {"format": "campplanner-history/1",
     "attendance": [{"volunteer": "v0001", "season": "1403", "camp": "c0004",
                     "came": true}, ...]}

or the same as a CSV file with the columns ``volunteer``, ``season``, ``camp``, ``came``
(read by :mod:`campplanner.io.history_in`). Volunteers are matched to an instance by id;
camps and seasons are free text (last season's camps are not this season's). What the
records are for (a no-show estimate per person, drawn by ``stress`` and ``solve
--reserves``) is :mod:`campplanner.whatif.attendance`; docs/stress.md has the format.

This module validates parsed data only and reports every problem at once, each with its
JSON path, as the instance reader does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from campplanner.contract.errors import InstanceError, Issue
from campplanner.contract.problems import problem

HISTORY_FORMAT = "campplanner-history/1"
FIELDS = ("volunteer", "season", "camp", "came")


@dataclass(frozen=True)
class Attendance:
    """One volunteer rostered for one camp of one season, and whether they came."""

    volunteer: str
    season: str
    camp: str
    came: bool


def _text(value: Any, where: str, issues: list[Issue]) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        issues.append(problem(where, "history_not_text", value=value))
        return ""
    text = str(value).strip()
    if not text:
        issues.append(problem(where, "history_empty"))
    return text


def _json_path(index: int) -> str:
    return f"attendance[{index}]"


def history_from_data(
    data: Any, source: str = "<history>", where: Callable[[int], str] = _json_path
) -> list[Attendance]:
    """Validate parsed JSON as a history file: the records, or an InstanceError listing
    every problem (wrong format, a record missing a field, ``came`` not true or false,
    the same volunteer, season and camp twice). ``where`` names record i in a message:
    its JSON path, or the row a spreadsheet's reader took it from."""
    if not isinstance(data, dict):
        raise InstanceError(source, [problem("", "history_not_object")])
    issues: list[Issue] = []
    if data.get("format") != HISTORY_FORMAT:
        found = data.get("format")
        issues.append(problem("format", "history_format", wanted=HISTORY_FORMAT, found=found))
    unknown = sorted(set(data) - {"format", "attendance", "note"})
    for key in unknown:
        issues.append(problem(key, "history_unknown"))
    rows = data.get("attendance")
    if not isinstance(rows, list):
        issues.append(problem("attendance", "history_not_list"))
        raise InstanceError(source, issues)
    records: list[Attendance] = []
    seen: dict[tuple[str, str, str], int] = {}
    for index, row in enumerate(rows):
        at = where(index)
        if not isinstance(row, dict):
            issues.append(problem(at, "history_not_record"))
            continue
        before = len(issues)
        for key in sorted(set(row) - set(FIELDS)):
            issues.append(problem(f"{at}.{key}", "history_unknown_field"))
        for key in FIELDS:
            if key not in row:
                issues.append(problem(f"{at}.{key}", "history_missing"))
        volunteer, season, camp = (
            _text(row[key], f"{at}.{key}", issues) if key in row else ""
            for key in ("volunteer", "season", "camp")
        )
        came = row.get("came")
        if "came" in row and not isinstance(came, bool):
            issues.append(problem(f"{at}.came", "history_came", value=came))
        if len(issues) > before:
            continue
        key = (volunteer, season, camp)
        if key in seen:
            issues.append(problem(at, "history_twice", other=where(seen[key])))
            continue
        seen[key] = index
        records.append(Attendance(volunteer, season, camp, bool(came)))
    if issues:
        raise InstanceError(source, issues)
    return records


def history_data(records: list[Attendance], note: str | None = None) -> dict[str, Any]:
    """The JSON a history file holds (``history_from_data`` reads it back)."""
    data: dict[str, Any] = {"format": HISTORY_FORMAT}
    if note:
        data["note"] = note
    data["attendance"] = [
        {"volunteer": r.volunteer, "season": r.season, "camp": r.camp, "came": r.came}
        for r in records
    ]
    return data
