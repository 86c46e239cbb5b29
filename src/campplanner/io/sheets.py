"""The sheets and columns of the planners' workbook, in English and Persian.

One table here drives the importer, the template writer and ``docs/spreadsheets.md``:
each sheet and column has an English key (the instance file's field), a Persian name,
and a few aliases. Headers match whatever the case, spaces, ZWNJ, ``_`` or ``-``
(:func:`campplanner.io.text.header_key`), and a header may carry both names, as the
template writes them: ``محل سکونت (home)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from campplanner.io.text import header_key


@dataclass(frozen=True)
class Column:
    key: str  # the instance file's field (or the importer's, for from/to and skills)
    persian: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    note: str = ""  # what the cell holds, for the documentation

    @property
    def header(self) -> str:
        """The header the template writes: Persian, then the English key in brackets."""
        return f"{self.persian} ({self.key})"

    def names(self) -> set[str]:
        return {header_key(name) for name in (self.key, self.persian, *self.aliases)}


@dataclass(frozen=True)
class Sheet:
    key: str
    persian: str
    columns: tuple[Column, ...]
    required: bool = False
    aliases: tuple[str, ...] = ()
    note: str = ""

    def names(self) -> set[str]:
        return {header_key(name) for name in (self.key, self.persian, *self.aliases)}

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


def _id(persian: str = "شناسه") -> Column:
    return Column("id", persian, ("کد", "code"), required=True, note="unique text")


def _name() -> Column:
    return Column("name", "نام", ("عنوان", "title"), required=True, note="free text")


SETTINGS = Sheet(
    "settings",
    "تنظیمات",
    (
        Column("name", "نام", ("عنوان", "instance"), note="the season's name, shown on rosters"),
        Column("calendar", "تقویم", note="jalali (شمسی) or gregorian (میلادی)"),
        Column("rest_days", "روزهای استراحت", ("استراحت",), note="integer, default 0"),
        Column("max_camps", "حداکثر اردو", ("حداکثر تعداد اردو",), note="integer, default 1"),
        Column("road_factor", "ضریب جاده", note="number >= 1, default 1.3"),
        Column("weight_travel", "وزن مسافت", note="optional weight, docs/model.md"),
        Column("weight_group", "وزن گروه", note="optional weight"),
        Column("weight_fairness", "وزن عدالت", note="optional weight"),
    ),
    note="two columns: a setting's name, then its value; one setting a row",
)

SKILLS = Sheet("skills", "مهارت‌ها", (_id(), _name()), required=True, aliases=("تخصص‌ها",))

PLACES = Sheet(
    "places",
    "مکان‌ها",
    (
        _id(),
        _name(),
        Column("lat", "عرض جغرافیایی", ("latitude", "عرض"), True, "decimal degrees north"),
        Column("lon", "طول جغرافیایی", ("longitude", "lng", "طول"), True, "decimal degrees east"),
        Column("county", "شهرستان", note="free text; rosters are grouped by it"),
        Column("deprivation", "محرومیت", ("سطح محرومیت",), note="1 (least) to 5 (most)"),
    ),
    required=True,
    aliases=("روستاها",),
)

GROUPS = Sheet(
    "groups",
    "گروه‌ها",
    (_id(), _name(), Column("home", "محل", ("محل گروه", "مقر"), note="a place id")),
    aliases=("گروه‌های جهادی",),
)

VOLUNTEERS = Sheet(
    "volunteers",
    "داوطلبان",
    (
        _id(),
        _name(),
        Column("home", "محل سکونت", ("محل", "سکونت"), True, "a place id"),
        Column("group", "گروه", ("گروه جهادی",), note="a group id"),
        Column("gender", "جنسیت", note="f or m (زن, مرد, خواهر, برادر)"),
        Column(
            "skills",
            "مهارت‌ها",
            ("مهارت", "تخصص"),
            True,
            "skill:level, separated by commas: `nurse:2, camp_leader` (level 1 when left out);"
            " skill ids or names",
        ),
        Column("max_camps", "حداکثر اردو", note="integer; empty: the setting max_camps"),
        Column("max_km", "حداکثر مسافت", ("حداکثر کیلومتر",), note="road km; empty: no limit"),
        Column(
            "phone",
            "تلفن",
            (
                "تلفن همراه",
                "موبایل",
                "شماره تماس",
                "شماره تلفن",
                "همراه",
                "mobile",
                "tel",
                "telephone",
                "phone number",
            ),
            note="optional; `0912 345 6789`, `+98 912 345 6789`, `۰۹۱۲۳۴۵۶۷۸۹`... "
            "all become `09123456789`",
        ),
        Column(
            "email",
            "ایمیل",
            ("رایانامه", "پست الکترونیک", "e-mail", "mail"),
            note="optional; name@example.com",
        ),
    ),
    required=True,
    aliases=("افراد", "نیروها"),
)

AVAILABILITY = Sheet(
    "availability",
    "حضور",
    (
        Column("volunteer", "داوطلب", ("شناسه داوطلب",), True, "a volunteer id"),
        Column("from", "از", ("first", "start", "از تاریخ"), note="first day"),
        Column("to", "تا", ("last", "end", "تا تاریخ"), note="last day"),
    ),
    aliases=("زمان حضور", "available"),
    note="one row per range; a volunteer with no row is free every day, one with a row "
    "whose two dates are empty is free on no day",
)

CAMPS = Sheet(
    "camps",
    "اردوها",
    (
        _id(),
        _name(),
        Column("place", "محل", ("محل برگزاری", "روستا"), True, "a place id"),
        Column("start", "شروع", ("تاریخ شروع", "from"), True, "first day"),
        Column("end", "پایان", ("تاریخ پایان", "to"), True, "last day"),
        Column("capacity", "ظرفیت", ("beds", "تخت"), True, "beds: the most people"),
        Column("priority", "اولویت", note="1 to 5, default 1"),
        Column("gender", "جنسیت", note="f or m for a single-gender camp; empty: mixed"),
    ),
    required=True,
)

REQUIREMENTS = Sheet(
    "requirements",
    "نیازها",
    (
        Column("camp", "اردو", ("شناسه اردو",), True, "a camp id"),
        Column("skill", "مهارت", ("شناسه مهارت", "تخصص"), True, "a skill id or name"),
        Column("count", "تعداد", ("slots",), True, "slots, 1 or more"),
        Column("level", "سطح", ("حداقل سطح",), note="lowest level accepted, 1 to 3, default 1"),
        Column("essential", "ضروری", note="yes/no (بله/خیر); the camp runs only if filled"),
    ),
    aliases=("نیازمندی‌ها",),
)

LOCKED = Sheet(
    "locked",
    "قطعی",
    (
        Column("volunteer", "داوطلب", ("شناسه داوطلب",), True),
        Column("camp", "اردو", ("شناسه اردو",), True),
        Column("skill", "مهارت", ("شناسه مهارت",), True),
    ),
    aliases=("تثبیت‌شده",),
    note="assignments every roster must hold",
)

FORBIDDEN = Sheet(
    "forbidden",
    "ممنوع",
    (
        Column("volunteer", "داوطلب", ("شناسه داوطلب",), True),
        Column("camp", "اردو", ("شناسه اردو",), True),
    ),
    note="pairs that must never be assigned",
)

INSTANCE_SHEETS: tuple[Sheet, ...] = (
    SETTINGS,
    SKILLS,
    PLACES,
    GROUPS,
    VOLUNTEERS,
    AVAILABILITY,
    CAMPS,
    REQUIREMENTS,
    LOCKED,
    FORBIDDEN,
)

# The master roster sheet of an exported workbook, as far as reading it back needs.
ROSTER = Sheet(
    "roster",
    "برنامه کل",
    (
        Column("camp", "شناسه اردو", ("اردو",), True),
        Column("skill", "شناسه مهارت", ("مهارت",), True),
        Column("volunteer", "شناسه داوطلب", ("داوطلب",), True),
    ),
    required=True,
    aliases=("master roster",),
)

_BRACKETED = re.compile(r"^(.*?)\s*[(\[](.*?)[)\]]\s*$")


def header_candidates(text: str) -> list[str]:
    """Keys a header may stand for: all of it, and either side of ``name (other name)``."""
    candidates = [header_key(text)]
    match = _BRACKETED.match(text)
    if match:
        candidates += [header_key(match.group(1)), header_key(match.group(2))]
    return [c for c in candidates if c]
