"""``campplanner import``: a planners' workbook (or CSV folder) -> an instance file.

Cells are read leniently where a planner's habit is unambiguous (Persian digits,
Arabic letters, ``5`` stored as ``5.0``, dates typed as text or stored as dates, ``بله``
for yes) and strictly everywhere else: ``5.5`` beds or a date that does not exist is an
error naming the sheet, row and column. The dict built is then validated by
:func:`campplanner.contract.instance.instance_from_data`, so the data contract's every check
applies, and its JSON paths are mapped back to the cells they came from.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from campplanner.contract.calendar import Calendar, format_day, parse_day
from campplanner.contract.contact import normalise_email, normalise_phone
from campplanner.contract.errors import InstanceError, Issue
from campplanner.contract.instance import cross_check, instance_from_data, instance_warnings
from campplanner.contract.schema import (
    FORMAT,
    Assignment,
    Camp,
    ForbiddenPair,
    Group,
    Instance,
    Place,
    Requirement,
    Skill,
    Volunteer,
)
from campplanner.io import sheets as S
from campplanner.io.tables import (
    RawSheet,
    Row,
    Table,
    Where,
    is_blank,
    match_sheets,
    read_source,
    table_of,
)
from campplanner.io.text import header_key, normalize_code, normalize_text

_CALENDARS: dict[str, Calendar] = {
    header_key(word): calendar
    for calendar, words in (
        (
            "jalali",
            ("jalali", "shamsi", "persian", "solar hijri", "شمسی", "هجری شمسی", "خورشیدی", "جلالی"),
        ),
        ("gregorian", ("gregorian", "miladi", "میلادی")),
    )
    for word in words
}
_GENDERS = {
    header_key(word): gender
    for gender, words in (
        ("f", ("f", "female", "woman", "زن", "خانم", "خواهر", "مونث", "مؤنث")),
        ("m", ("m", "male", "man", "مرد", "آقا", "برادر", "مذکر")),
        ("", ("mixed", "مختلط", "-")),
    )
    for word in words
}
_BOOLEANS = {
    header_key(word): value
    for value, words in (
        (True, ("yes", "y", "true", "1", "x", "✓", "✔", "بله", "بلی", "آری", "دارد", "ضروری")),
        (False, ("no", "n", "false", "0", "خیر", "نه", "ندارد")),
    )
    for word in words
}
_LIST_SEPARATORS = re.compile(r"[,،;؛\n]+")
_LEVEL_SEPARATOR = re.compile(r"\s*[:=]\s*")
_INTEGER = re.compile(r"^[+-]?\d+(\.0*)?$")
_QUOTED_PATH = re.compile(r"\b[a-z_]+\[\d+\](?:\.[a-z_]+|\[\d+\])*")
_NUMBER = re.compile(r"^[+-]?(\d+([.٫]\d*)?|[.٫]\d+)$")


@dataclass
class ImportResult:
    """The instance data (JSON-ready), the validated instance, and warnings with their cells."""

    data: dict[str, Any]
    instance: Instance
    warnings: list[Issue] = field(default_factory=list)
    calendar_guessed: bool = False


class _Cells:
    """Converting cells to field values; every failure becomes an Issue with its cell."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues

    def fail(self, table: Table, row: Row, column: str, message: str) -> None:
        self.issues.append(Issue(str(table.where(row.number, column)), message))

    def text(self, table: Table, row: Row, column: str, *, code: bool = False) -> str | None:
        value = row.values.get(column)
        if value is None:
            return None
        if isinstance(value, bool):
            self.fail(table, row, column, f"expected text, got {value}")
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # an id typed as 101 is stored as 101.0 by some programs
        if isinstance(value, dt.datetime | dt.date | dt.time):
            self.fail(table, row, column, f"expected text, got the date {value}")
            return None
        text = normalize_code(str(value)) if code else normalize_text(str(value))
        return text or None

    def required(self, table: Table, row: Row, column: str, value: Any) -> Any:
        """``value``, after saying so when the cell is empty (a bad value is reported
        already, and a missing column once, at its header)."""
        if value is None and column in table.letters and is_blank(row.values.get(column)):
            self.fail(table, row, column, "required, but empty")
        return value

    def code(self, table: Table, row: Row, column: str) -> str | None:
        return self.text(table, row, column, code=True)

    def integer(self, table: Table, row: Row, column: str) -> int | None:
        value = row.values.get(column)
        if value is None or isinstance(value, bool):
            if isinstance(value, bool):
                self.fail(table, row, column, f"expected a whole number, got {value}")
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            if value.is_integer():
                return int(value)
            self.fail(table, row, column, f"expected a whole number, got {value:g}")
            return None
        text = self.code(table, row, column)
        if text is None:
            return None
        if not _INTEGER.match(text) or len(text) > 12:
            self.fail(table, row, column, f"expected a whole number, got {text!r}")
            return None
        return int(float(text)) if "." in text else int(text)

    def number(self, table: Table, row: Row, column: str) -> float | None:
        value = row.values.get(column)
        if value is None:
            return None
        if isinstance(value, bool):
            self.fail(table, row, column, f"expected a number, got {value}")
            return None
        if isinstance(value, int | float):
            number = float(value)
        else:
            text = self.code(table, row, column)
            if text is None:
                return None
            if not _NUMBER.match(text) or len(text) > 40:
                self.fail(table, row, column, f"expected a number, got {text!r}")
                return None
            number = float(text.replace("٫", "."))
        if not math.isfinite(number):
            self.fail(table, row, column, "expected a finite number")
            return None
        return number

    def date(self, table: Table, row: Row, column: str, calendar: Calendar) -> str | None:
        value = row.values.get(column)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            if calendar == "jalali" and value.year < 1700:
                # A program read "1403/04/10" as a date of the year 1403: the digits are Jalali.
                text = f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
            else:  # a real spreadsheet date is a day, whatever calendar the sheet shows it in
                return format_day(value.toordinal(), calendar)
        else:
            text = self.code(table, row, column) or ""
            if not text:
                return None
        try:
            return format_day(parse_day(text, calendar), calendar)
        except ValueError as error:
            self.fail(table, row, column, str(error))
            return None

    def choice(
        self, table: Table, row: Row, column: str, choices: dict[str, Any], what: str
    ) -> Any:
        text = self.text(table, row, column)
        if text is None:
            return None
        # "jalali (شمسی)" as the template writes it: either side of the brackets counts.
        key = next((k for k in S.header_candidates(text) if k in choices), None)
        if key is None:
            self.fail(table, row, column, f"expected {what}, got {text!r}")
            return None
        return choices[key]


def _setting_rows(raw: RawSheet) -> list[Row]:
    """The settings sheet: a setting's name in column A, its value in column B.

    A row whose name is no setting becomes ``{"?": name}`` (a warning), except the first
    row, which may be a header such as ``تنظیم (setting) | مقدار (value)``.
    """
    rows = []
    for index, (number, values) in enumerate(raw.rows):
        name = values[0] if values else None
        keys = set(S.header_candidates(str(name))) if name is not None else set()
        column = next((c for c in S.SETTINGS.columns if keys & c.names()), None)
        if column is not None:
            rows.append(Row(number, {column.key: values[1] if len(values) > 1 else None}))
        elif keys and index > 0:
            rows.append(Row(number, {"?": name}))
    return rows


def import_workbook(path: str | Path, *, calendar: Calendar | None = None) -> ImportResult:
    """Read a workbook or a folder of CSV files into validated instance data.

    ``calendar`` (``--calendar``) overrides the settings sheet; without either, the
    calendar is guessed from the camps' years (before 1700: Jalali) and said so.
    Raises :class:`InstanceError` listing every problem with its sheet, row and column.
    """
    source = str(path)
    issues: list[Issue] = []
    warnings: list[Issue] = []
    raw_sheets = read_source(path)
    # Every stage goes on after a problem, so that one run lists them all: a missing
    # sheet or column, each bad cell, then what the data contract and its cross-checks
    # find in what could be read.
    found = match_sheets(raw_sheets, S.INSTANCE_SHEETS, issues, warnings)
    tables = {
        key: table_of(raw, next(s for s in S.INSTANCE_SHEETS if s.key == key), issues, warnings)
        for key, raw in found.items()
        if key != "settings"
    }
    builder = _Builder(source, tables, issues, warnings)
    builder.settings(found.get("settings"), calendar)
    data = builder.build()
    try:
        instance = instance_from_data(data, source)
    except InstanceError as error:
        found_later = [*error.issues, *_cross_checks_anyway(data)]
        issues += builder.unreported([builder.locate(issue) for issue in found_later])
        raise InstanceError(source, issues) from None
    if issues:
        raise InstanceError(source, issues)
    warnings += [builder.locate(issue) for issue in instance_warnings(instance)]
    return ImportResult(data, instance, warnings, builder.calendar_guessed)


# The contract's models of each list, to cross-check data that failed to validate.
_ITEM_MODELS: dict[str, type[Any]] = {
    "skills": Skill,
    "places": Place,
    "groups": Group,
    "volunteers": Volunteer,
    "camps": Camp,
    "locked": Assignment,
    "forbidden": ForbiddenPair,
}
_KINDS = {
    "skills": "skill",
    "places": "place",
    "groups": "group",
    "volunteers": "volunteer",
    "camps": "camp",
}
_TEXT_FIELDS = ("id", "name", "home", "place", "start", "end", "skill", "volunteer", "camp")


def _cross_checks_anyway(data: dict[str, Any]) -> list[Issue]:
    """The loader's cross-checks (unknown ids, duplicates, dates) on data that failed
    the contract's types: a type error must not hide a broken reference until the next
    run. The items are built without validation; a field left empty reads as ``""``
    (its cell is reported already)."""
    try:
        lists = {
            key: [_unchecked(model, item) for item in data.get(key, []) if isinstance(item, dict)]
            for key, model in _ITEM_MODELS.items()
        }
        instance = Instance.model_construct(calendar=data.get("calendar", "gregorian"), **lists)
        return list(cross_check(instance))
    except Exception:  # data too broken to cross-check: what the contract said is enough
        return []


def _unchecked(model: type[Any], item: dict[str, Any]) -> Any:
    fields = {name: item.get(name, "") for name in _TEXT_FIELDS if name in model.model_fields}
    if model is Camp:
        fields["requirements"] = [
            _unchecked(Requirement, r) for r in item.get("requirements", []) if isinstance(r, dict)
        ]
    if model is Volunteer:
        fields["skills"] = item.get("skills", {})
        fields["group"] = item.get("group")
        fields["available"] = item.get("available")
    if model is Group:
        fields["home"] = item.get("home")
    return model.model_construct(**fields)


class _Builder:
    """Sheets -> instance dict, remembering which cell every JSON path came from."""

    def __init__(
        self, source: str, tables: dict[str, Table], issues: list[Issue], warnings: list[Issue]
    ):
        self.source = source
        self.tables = tables
        self.issues = issues
        self.warnings = warnings
        self.cells = _Cells(issues)
        self.origin: dict[str, Where] = {}  # JSON path -> the cell (or row) it came from
        self.data: dict[str, Any] = {"format": FORMAT}
        self.calendar: Calendar = "gregorian"
        self.calendar_guessed = False
        self.skill_by_name: dict[str, str] = {}

    def rows(self, key: str) -> tuple[Table | None, list[Row]]:
        table = self.tables.get(key)
        return table, (table.rows if table else [])

    def note(self, path: str, table: Table, row: Row, column: str | None = None) -> None:
        self.origin[path] = table.where(row.number, column)

    # ---- settings and calendar

    def settings(self, raw: RawSheet | None, calendar: Calendar | None) -> None:
        rules: dict[str, Any] = {}
        weights: dict[str, Any] = {}
        stated: Calendar | None = None
        if raw is not None:
            table = Table(raw.name, S.SETTINGS, {c.key: "B" for c in S.SETTINGS.columns})
            for row in _setting_rows(raw):
                (key,) = row.values
                where = table.where(row.number, key)
                if key == "?":
                    unknown = f"unknown setting {row.values['?']!r}, ignored"
                    self.warnings.append(Issue(str(Where(raw.name, row.number)), unknown))
                elif key == "name":
                    self.data["name"] = self.cells.text(table, row, key) or ""
                elif key == "calendar":
                    stated = self.cells.choice(table, row, key, _CALENDARS, "jalali or gregorian")
                elif key in ("rest_days", "max_camps"):
                    value = self.cells.integer(table, row, key)
                    if value is not None:
                        rules[key] = value
                        self.origin[f"rules.{key}"] = where
                elif key == "road_factor" or key.startswith("weight_"):
                    value = self.cells.number(table, row, key)
                    if value is not None and key == "road_factor":
                        rules[key] = value
                        self.origin["rules.road_factor"] = where
                    elif value is not None:
                        weights[key.removeprefix("weight_")] = value
                        self.origin[f"weights.{key.removeprefix('weight_')}"] = where
        if rules:
            self.data["rules"] = rules
        if weights:
            self.data["weights"] = weights
        if calendar is not None:
            self.calendar = calendar
        elif stated is not None:
            self.calendar = stated
        else:
            self.calendar = self._guess_calendar()
            self.calendar_guessed = True
        self.data["calendar"] = self.calendar

    def _guess_calendar(self) -> Calendar:
        _, rows = self.rows("camps")
        for row in rows:
            value = row.values.get("start")
            if isinstance(value, dt.date | dt.datetime):
                return "jalali" if value.year < 1700 else "gregorian"
            match = re.match(r"\s*(\d{4})", normalize_code(str(value or "")))
            if match:
                return "jalali" if int(match.group(1)) < 1700 else "gregorian"
        return "gregorian"

    # ---- the lists

    def build(self) -> dict[str, Any]:
        self.data.setdefault("name", Path(self.source).stem)
        self.data["skills"] = self.simple("skills", "skills", ("id", "name"))
        for skill in self.data["skills"]:
            self.skill_by_name.setdefault(header_key(skill.get("name") or ""), skill.get("id"))
        self.data["places"] = self.places()
        self.data["groups"] = self.simple("groups", "groups", ("id", "name"), ("home",))
        self.data["volunteers"] = self.volunteers()
        self.data["camps"] = self.camps()
        self.data["locked"] = self.pairs("locked", ("volunteer", "camp", "skill"))
        self.data["forbidden"] = self.pairs("forbidden", ("volunteer", "camp"))
        return self.data

    def simple(
        self, key: str, path: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> list[dict[str, Any]]:
        table, rows = self.rows(key)
        items = []
        for row in rows:
            item: dict[str, Any] = {}
            at = f"{path}[{len(items)}]"
            self.note(at, table, row)
            for column in required + optional:
                text = (
                    self.cells.code(table, row, column)
                    if column != "name"
                    else (self.cells.text(table, row, column))
                )
                self.note(f"{at}.{column}", table, row, column)  # a missing value is here
                if text is None:
                    if column in required:
                        self.cells.required(table, row, column, None)
                    continue
                item[column] = text
                self.note(f"{at}.{column}", table, row, column)
            items.append(item)
        return items

    def places(self) -> list[dict[str, Any]]:
        table, rows = self.rows("places")
        places = self.simple("places", "places", ("id", "name"))
        for index, (place, row) in enumerate(zip(places, rows, strict=True)):
            at = f"places[{index}]"
            for column in ("lat", "lon"):
                value = self.cells.number(table, row, column)
                self.cells.required(table, row, column, value)
                if value is not None:
                    place[column] = value
                self.note(f"{at}.{column}", table, row, column)
            county = self.cells.text(table, row, "county")
            if county is not None:
                place["county"] = county
            deprivation = self.cells.integer(table, row, "deprivation")
            if deprivation is not None:
                place["deprivation"] = deprivation
                self.note(f"{at}.deprivation", table, row, "deprivation")
        return places

    def skill_ref(self, table: Table, row: Row, column: str, text: str) -> str:
        """A skill given by id, or else by its name (``پرستار`` for ``nurse``)."""
        ids = {skill.get("id") for skill in self.data["skills"]}
        if text in ids:
            return text
        return self.skill_by_name.get(header_key(text), text)

    def volunteers(self) -> list[dict[str, Any]]:
        table, rows = self.rows("volunteers")
        volunteers = self.simple("volunteers", "volunteers", ("id", "name", "home"), ("group",))
        for index, (volunteer, row) in enumerate(zip(volunteers, rows, strict=True)):
            at = f"volunteers[{index}]"
            gender = self.cells.choice(table, row, "gender", _GENDERS, "f or m (زن or مرد)")
            if gender:
                volunteer["gender"] = gender
                self.note(f"{at}.gender", table, row, "gender")
            volunteer["skills"] = self.skill_levels(table, row)
            self.note(f"{at}.skills", table, row, "skills")
            for column, convert in (
                ("max_camps", self.cells.integer),
                ("max_km", self.cells.number),
            ):
                value = convert(table, row, column)  # type: ignore[operator]
                if value is not None:
                    volunteer[column] = value
                    self.note(f"{at}.{column}", table, row, column)
            for column, normalise in (("phone", normalise_phone), ("email", normalise_email)):
                text = self.cells.text(table, row, column, code=True)
                if text is None:
                    continue
                try:
                    volunteer[column] = normalise(text)
                except ValueError as error:  # says what is wrong, never the value
                    self.cells.fail(table, row, column, str(error))
                self.note(f"{at}.{column}", table, row, column)
        self.availability(volunteers)
        return volunteers

    def skill_levels(self, table: Table, row: Row) -> dict[str, int]:
        text = self.cells.text(table, row, "skills")
        levels: dict[str, int] = {}
        for part in _LIST_SEPARATORS.split(text or ""):
            part = normalize_code(part)
            if not part:
                continue
            name, level_text = _split_level(part)
            skill_id = self.skill_ref(table, row, "skills", name)
            if level_text is None:
                level = 1
            elif level_text.isdigit() and 1 <= int(level_text) <= 3:
                level = int(level_text)
            else:
                self.cells.fail(
                    table, row, "skills", f"{part!r}: a level is 1, 2 or 3, as in 'nurse:2'"
                )
                continue
            if skill_id in levels:
                self.cells.fail(table, row, "skills", f"{name!r} is listed twice")
            levels[skill_id] = level
        return levels

    def availability(self, volunteers: list[dict[str, Any]]) -> None:
        table, rows = self.rows("availability")
        position = {v.get("id"): i for i, v in enumerate(volunteers)}
        for row in rows:
            volunteer_id = self.cells.required(
                table, row, "volunteer", self.cells.code(table, row, "volunteer")
            )
            first = self.cells.date(table, row, "from", self.calendar)
            last = self.cells.date(table, row, "to", self.calendar)
            if volunteer_id is None:
                continue
            if volunteer_id not in position:
                self.cells.fail(table, row, "volunteer", f"unknown volunteer {volunteer_id!r}")
                continue
            index = position[volunteer_id]
            ranges = volunteers[index].setdefault("available", [])
            if first is None and last is None:
                if row.values.get("from") is None and row.values.get("to") is None:
                    continue  # "free on no day": the list stays as it is, maybe empty
                continue  # a bad date, already reported
            if first is None or last is None:
                missing = "from" if first is None else "to"
                if row.values.get(missing) is None:
                    self.cells.fail(table, row, missing, "both dates of a range are needed")
                continue
            at = f"volunteers[{index}].available[{len(ranges)}]"
            ranges.append([first, last])
            self.note(at, table, row)
            self.note(f"{at}[0]", table, row, "from")
            self.note(f"{at}[1]", table, row, "to")

    def camps(self) -> list[dict[str, Any]]:
        table, rows = self.rows("camps")
        camps = self.simple("camps", "camps", ("id", "name", "place"))
        for index, (camp, row) in enumerate(zip(camps, rows, strict=True)):
            at = f"camps[{index}]"
            for column in ("start", "end"):
                value = self.cells.date(table, row, column, self.calendar)
                self.note(f"{at}.{column}", table, row, column)
                self.cells.required(table, row, column, value)
                if value is not None:
                    camp[column] = value
            for column, required in (("capacity", True), ("priority", False)):
                value = self.cells.integer(table, row, column)
                self.note(f"{at}.{column}", table, row, column)
                if required:
                    self.cells.required(table, row, column, value)
                if value is not None:
                    camp[column] = value
            gender = self.cells.choice(table, row, "gender", _GENDERS, "f, m or empty (mixed)")
            if gender:
                camp["gender"] = gender
                self.note(f"{at}.gender", table, row, "gender")
            camp["requirements"] = []
        self.requirements(camps)
        return camps

    def requirements(self, camps: list[dict[str, Any]]) -> None:
        table, rows = self.rows("requirements")
        position = {c.get("id"): i for i, c in enumerate(camps)}
        for row in rows:
            camp_id = self.cells.required(table, row, "camp", self.cells.code(table, row, "camp"))
            skill = self.cells.required(table, row, "skill", self.cells.code(table, row, "skill"))
            count = self.cells.required(
                table, row, "count", self.cells.integer(table, row, "count")
            )
            level = self.cells.integer(table, row, "level")
            essential = self.cells.choice(table, row, "essential", _BOOLEANS, "yes or no")
            if camp_id is None:
                continue
            if camp_id not in position:
                self.cells.fail(table, row, "camp", f"unknown camp {camp_id!r}")
                continue
            index = position[camp_id]
            requirements = camps[index]["requirements"]
            at = f"camps[{index}].requirements[{len(requirements)}]"
            requirement: dict[str, Any] = {}
            if skill is not None:
                requirement["skill"] = self.skill_ref(table, row, "skill", skill)
            if count is not None:
                requirement["count"] = count
            if level is not None:
                requirement["level"] = level
            if essential is not None:
                requirement["essential"] = essential
            requirements.append(requirement)
            self.note(at, table, row)
            for column in ("skill", "count", "level", "essential"):
                self.note(f"{at}.{column}", table, row, column)

    def pairs(self, key: str, columns: tuple[str, ...]) -> list[dict[str, Any]]:
        table, rows = self.rows(key)
        items = []
        for row in rows:
            at = f"{key}[{len(items)}]"
            item = {}
            for column in columns:
                value = self.cells.required(table, row, column, self.cells.code(table, row, column))
                if value is not None and column == "skill":
                    value = self.skill_ref(table, row, column, value)
                if value is not None:
                    item[column] = value
                self.note(f"{at}.{column}", table, row, column)
            self.note(at, table, row)
            items.append(item)
        return items

    # ---- JSON paths back to cells

    def unreported(self, found: list[Issue]) -> list[Issue]:
        """Issues of the contract not already said: none at a cell (or row) with a
        problem of its own, none in a column the sheet lacks (said once, at its
        header), each once."""
        said = {issue.path for issue in self.issues}
        # with a sheet missing (said once), every reference to its ids is unknown
        unknowable = tuple(
            f"unknown {kind} " for key, kind in _KINDS.items() if key not in self.tables
        )
        kept: list[Issue] = []
        for issue in found:
            if (
                issue.path in said
                or self._in_a_missing_column(issue.path)
                or issue.message.startswith(unknowable)
                or issue in kept
            ):
                continue
            kept.append(issue)
        return kept

    def _in_a_missing_column(self, path: str) -> bool:
        return any(
            path.startswith(f"{table.where(None)}, row ")
            and f"column {column.key!r}" in path
            and column.key not in table.letters
            for table in self.tables.values()
            for column in table.spec.columns
        )

    def origin_of(self, path: str) -> Where | None:
        """The cell (or row) a JSON path, or the nearest path above it, came from."""
        while path:
            if path in self.origin:
                return self.origin[path]
            path = _parent(path)
        return None

    def locate(self, issue: Issue) -> Issue:
        """The issue with its JSON path replaced by the cell it came from, where known.

        Paths quoted in the message (``duplicate id 'v1' (also volunteers[0])``) become rows.
        """
        where = self.origin_of(issue.path)
        if where is None:
            return issue

        def row_of(match: re.Match[str]) -> str:
            quoted = match.group(0)
            # "requirements[1]" in a message about camps[2].requirements[3]: the same camp's.
            at = issue.path.rfind(quoted.split("[", 1)[0] + "[")
            other = self.origin.get(issue.path[:at] + quoted) if at > 0 else None
            other = other or self.origin.get(quoted)
            if other is None or other.row is None:
                return match.group(0)
            return (
                f"row {other.row}"
                if other.sheet == where.sheet
                else str(Where(other.sheet, other.row))
            )

        return Issue(str(where), _in_a_planners_words(_QUOTED_PATH.sub(row_of, issue.message)))


# The data contract's checks, said as a planner would read them under a cell.
_CONTRACT_WORDS = [
    (re.compile(r"^Input should be greater than or equal to (\S+)"), r"must be \1 or more"),
    (re.compile(r"^Input should be less than or equal to (\S+)"), r"must be \1 or less"),
    (re.compile(r"^Input should be greater than (\S+)"), r"must be more than \1"),
    (re.compile(r"^Input should be less than (\S+)"), r"must be less than \1"),
    (re.compile(r"^String should have at most (\S+) characters?"), r"at most \1 characters"),
    (re.compile(r"^String should have at least (\S+) characters?"), r"at least \1 characters"),
    (re.compile(r"^List should have at most (\S+) items?.*?(?=\(got|$)"), r"at most \1 "),
]


def _in_a_planners_words(message: str) -> str:
    for pattern, words in _CONTRACT_WORDS:
        message = pattern.sub(words, message)
    return message


def _split_level(part: str) -> tuple[str, str | None]:
    pieces = _LEVEL_SEPARATOR.split(part, maxsplit=1)
    if len(pieces) == 1:
        return part, None
    return pieces[0].strip(), pieces[1].strip()


def _parent(path: str) -> str:
    """``camps[3].requirements[0].skill`` -> ``camps[3].requirements[0]`` -> ``camps[3]``..."""
    match = re.match(r"^(.*?)(\.[^.\[]+|\[[^\]]*\])$", path)
    return match.group(1) if match else ""
