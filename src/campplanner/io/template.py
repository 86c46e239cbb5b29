"""The planners' workbook written from instance data: the shipped template, and any instance.

``campplanner import --template FILE`` writes :func:`template_data` this way: every
sheet, every column with its Persian and English header, and a small example season
to copy from. Reading the written workbook back with ``campplanner import`` gives the
same instance (the round-trip tests hold it to that).
"""

from __future__ import annotations

from typing import Any

from campplanner.io import sheets as S
from campplanner.io.xlsx import Writer

_CALENDAR_WORDS = {"jalali": "jalali (شمسی)", "gregorian": "gregorian (میلادی)"}
_GENDER_WORDS = {"f": "زن", "m": "مرد"}


def template_data() -> dict[str, Any]:
    """A small Jalali season: the example rows of the template workbook."""
    return {
        "name": "اردوهای جهادی تابستان ۱۴۰۳",
        "calendar": "jalali",
        "rules": {"rest_days": 1, "max_camps": 2, "road_factor": 1.3},
        "skills": [
            {"id": "camp_leader", "name": "سرپرست اردو"},
            {"id": "physician", "name": "پزشک"},
            {"id": "nurse", "name": "پرستار"},
            {"id": "mason", "name": "بنا"},
        ],
        "places": [
            {"id": "arak", "name": "اراک", "lat": 34.0917, "lon": 49.6892, "county": "اراک"},
            {"id": "khomein", "name": "خمین", "lat": 33.6406, "lon": 50.0789, "county": "خمین"},
            {
                "id": "v-khomein-01",
                "name": "روستای حسن‌آباد",
                "lat": 33.55,
                "lon": 50.2,
                "county": "خمین",
                "deprivation": 4,
            },
        ],
        "groups": [{"id": "g1", "name": "گروه جهادی شهید همت", "home": "khomein"}],
        "volunteers": [
            {
                "id": "v01",
                "name": "علی رضایی",
                "home": "arak",
                "group": "g1",
                "gender": "m",
                "skills": {"camp_leader": 2, "mason": 2},
                "phone": "09120000001",
            },
            {
                "id": "v02",
                "name": "مریم احمدی",
                "home": "arak",
                "gender": "f",
                "skills": {"physician": 3},
                "available": [["1403-04-01", "1403-04-20"]],
            },
            {
                "id": "v03",
                "name": "زهرا کریمی",
                "home": "khomein",
                "group": "g1",
                "gender": "f",
                "skills": {"nurse": 2},
                "max_km": 100,
            },
        ],
        "camps": [
            {
                "id": "c1",
                "name": "اردوی سلامت حسن‌آباد",
                "place": "v-khomein-01",
                "start": "1403-04-10",
                "end": "1403-04-14",
                "capacity": 6,
                "priority": 3,
                "requirements": [
                    {"skill": "camp_leader", "count": 1, "level": 2, "essential": True},
                    {"skill": "physician", "count": 1, "essential": True},
                    {"skill": "nurse", "count": 2},
                ],
            },
        ],
        "locked": [],
        "forbidden": [],
    }


def _skills_text(levels: dict[str, int]) -> str:
    return ", ".join(skill if level == 1 else f"{skill}:{level}" for skill, level in levels.items())


def instance_workbook(data: dict[str, Any]) -> bytes:
    """The workbook of an instance (JSON data), sheets and headers as the importer reads them."""
    writer = Writer(title=str(data.get("name", "")))
    rules = data.get("rules", {})
    weights = data.get("weights") or {}

    settings = writer.sheet(S.SETTINGS.persian)
    settings_rows = [
        (S.SETTINGS.column("name").header, data.get("name", "")),
        (S.SETTINGS.column("calendar").header, _CALENDAR_WORDS[data.get("calendar", "gregorian")]),
    ]
    for key in ("rest_days", "max_camps", "road_factor"):
        if key in rules:
            settings_rows.append((S.SETTINGS.column(key).header, rules[key]))
    for key, value in weights.items():
        if value is not None:
            settings_rows.append((S.SETTINGS.column(f"weight_{key}").header, value))
    writer.table(
        settings,
        ("تنظیم (setting)", "مقدار (value)"),
        settings_rows,
        widths=(28, 40),
        autofilter=False,
    )

    def sheet(spec: S.Sheet, rows: list[tuple[Any, ...]], widths: tuple[float, ...]) -> None:
        worksheet = writer.sheet(spec.persian)
        headers = [column.header for column in spec.columns]
        writer.table(worksheet, headers, rows, widths=widths)

    sheet(S.SKILLS, [(s["id"], s["name"]) for s in data["skills"]], (16, 28))
    sheet(
        S.PLACES,
        [
            (p["id"], p["name"], p["lat"], p["lon"], p.get("county"), p.get("deprivation"))
            for p in data["places"]
        ],
        (16, 28, 14, 14, 16, 10),
    )
    sheet(
        S.GROUPS,
        [(g["id"], g["name"], g.get("home")) for g in data.get("groups", [])],
        (16, 32, 16),
    )
    volunteers = data["volunteers"]
    sheet(
        S.VOLUNTEERS,
        [
            (
                v["id"],
                v["name"],
                v["home"],
                v.get("group"),
                _GENDER_WORDS.get(v.get("gender") or ""),
                _skills_text(v["skills"]),
                v.get("max_camps"),
                v.get("max_km"),
                v.get("phone"),
                v.get("email"),
            )
            for v in volunteers
        ],
        (12, 24, 16, 14, 8, 32, 10, 10, 14, 24),
    )
    availability: list[tuple[Any, ...]] = []
    for v in volunteers:
        if v.get("available") is None:
            continue
        if not v["available"]:
            availability.append((v["id"], None, None))  # free on no day
        availability.extend((v["id"], first, last) for first, last in v["available"])
    sheet(S.AVAILABILITY, availability, (14, 14, 14))
    sheet(
        S.CAMPS,
        [
            (
                c["id"],
                c["name"],
                c["place"],
                c["start"],
                c["end"],
                c["capacity"],
                c.get("priority"),
                _GENDER_WORDS.get(c.get("gender") or ""),
            )
            for c in data["camps"]
        ],
        (10, 30, 16, 13, 13, 8, 8, 8),
    )
    sheet(
        S.REQUIREMENTS,
        [
            (
                c["id"],
                r["skill"],
                r["count"],
                r.get("level"),
                None if "essential" not in r else ("بله" if r["essential"] else "خیر"),
            )
            for c in data["camps"]
            for r in c["requirements"]
        ],
        (10, 16, 8, 8, 8),
    )
    sheet(
        S.LOCKED,
        [(e["volunteer"], e["camp"], e["skill"]) for e in data.get("locked", [])],
        (14, 10, 16),
    )
    sheet(
        S.FORBIDDEN,
        [(e["volunteer"], e["camp"]) for e in data.get("forbidden", [])],
        (14, 10),
    )
    return writer.close()
