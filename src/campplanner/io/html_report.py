"""``campplanner export --html``: one self-contained, printable report in Persian.

One file that opens anywhere and prints well: ``lang="fa"``, right to left, the
Vazirmatn font embedded (base64, OFL, ``io/fonts/``), Jalali dates in Persian digits,
a summary with a chart of slots filled per skill (inline SVG drawn here, no script),
and a page per camp when printed. Every text from the data is escaped by the template
engine (autoescape), and a Content-Security-Policy forbids scripts and any network
access, so a name like ``<script>`` is shown, never run.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from importlib import resources
from typing import Any

from markupsafe import Markup, escape

from campplanner.contract.calendar import persian_date, to_persian_digits
from campplanner.io import roster_tables as T
from campplanner.io.sanitize import unique_file_stem
from campplanner.report.roster import CampView, Member, RosterView, SkillTotal, Slot

GROUP_PREFIX = "گروه جهادی "
# Up to this many camps the report has each team in full (name, id, group, home, km), a
# page per camp, and each volunteer's camps. A season's (1,200 camps, 24,000 people) is
# an overview that stays under 3 MB and prints in minutes: a line per role with its
# people, camps sharing pages; the details are in the per-county reports and packets.
DETAIL_UP_TO = 200

_ARABIC_RANGE = (
    "U+0600-06FF,U+0750-077F,U+08A0-08FF,U+200C-200E,U+2010-2011,U+FB50-FDFF,U+FE70-FEFC"
)
_LATIN_RANGE = (
    "U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+2000-200B,"
    "U+2012-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD"
)
_GENDER = {"f": "خواهران", "m": "برادران", None: "مختلط"}
_STATUS = {
    "optimal": "بهینه (optimal)",
    "feasible": "شدنی (feasible)",
    "infeasible": "ناشدنی (infeasible)",
    "unknown": "نامعلوم (unknown)",
}


@cache
def font_css() -> str:
    """``@font-face`` rules with the bundled Vazirmatn subsets as data URLs."""
    fonts = resources.files("campplanner.io") / "fonts"
    rules = []
    for subset, unicode_range in (("arabic", _ARABIC_RANGE), ("latin", _LATIN_RANGE)):
        for weight in (400, 700):
            data = (fonts / f"vazirmatn-{subset}-{weight}-normal.woff2").read_bytes()
            encoded = base64.b64encode(data).decode("ascii")
            rules.append(
                "@font-face{font-family:'Vazirmatn';font-style:normal;"
                f"font-weight:{weight};font-display:block;"
                f"src:url(data:font/woff2;base64,{encoded}) format('woff2');"
                f"unicode-range:{unicode_range};}}"
            )
    return "\n".join(rules)


def fa(value: Any) -> str:
    """Numbers and dates in Persian digits; dates with ``/`` as Iranians write them."""
    if value is None:
        return ""
    if isinstance(value, float):
        value = f"{value:.0f}"
    return to_persian_digits(str(value))


def by_share(skills: list[SkillTotal]) -> list[SkillTotal]:
    """Skills from the scarcest (lowest share of its slots filled) to the best staffed."""
    return sorted(skills, key=lambda s: (s.filled / s.asked if s.asked else 1.0, s.name))


def percent(skill: SkillTotal) -> str:
    """The share of the skill's slots filled: ``۵۴٪``."""
    if skill.percent is None:
        return ""
    return f"{fa(skill.percent)}٪"


def skill_chart(skills: list[SkillTotal], width: int = 720) -> Markup:
    """A horizontal bar chart, right to left: per skill, the share of its slots filled
    (a full bar is every slot), the scarcest first, so that 54% of 40 physicians is as
    visible as 96% of 1,200 labourers."""
    row_height, top = 30, 10
    label_width = 190
    right = width - label_width - 12  # bars grow leftwards from here
    bar_span = right - 150
    ordered = by_share(skills)
    height = top * 2 + row_height * max(1, len(ordered))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'style="direction:rtl" aria-label="سهم جاهای پرشده به تفکیک مهارت">',
        "<title>سهم جاهای پرشده به تفکیک مهارت</title>",
    ]
    for k, skill in enumerate(ordered):
        y = top + k * row_height
        share = min(skill.filled, skill.asked) / skill.asked if skill.asked else 1.0
        filled_w = bar_span * share
        color = "#2e7d32" if share >= 1 else "#e65100" if share >= 0.8 else "#c62828"
        parts += [
            f'<text x="{width - 4}" y="{y + 19}" text-anchor="start" class="label" '
            'unicode-bidi="plaintext">'
            f"{escape(skill.name)}</text>",
            f'<rect x="{right - bar_span:.1f}" y="{y + 5}" width="{bar_span:.1f}" height="18" '
            'fill="#e0e0e0" rx="3"/>',
            f'<rect x="{right - filled_w:.1f}" y="{y + 5}" width="{filled_w:.1f}" height="18" '
            f'fill="{color}" rx="3"/>',
            f'<text x="{right - bar_span - 6:.1f}" y="{y + 19}" text-anchor="start" '
            f'class="value">{percent(skill)} ({fa(skill.filled)} از {fa(skill.asked)})</text>',
        ]
    parts.append("</svg>")
    return Markup("".join(parts))  # every text above went through escape()


def anchor(value: str, kind: str) -> str:
    """A fragment id for a camp or county: ``camp-c0001``; text other than letters,
    digits, ``-`` and ``_`` becomes ``_`` (ids and county names are free text)."""
    return f"{kind}-" + re.sub(r"[^\w-]", "_", value)


def group(name: str) -> str:
    """A group's name without the «گروه جهادی» every one of them starts with (the column
    says it), which makes a season's report of 24,000 rows lighter
    (figures: docs/benchmarks.md)."""
    return name.removeprefix(GROUP_PREFIX) or name


def teams(camp: CampView) -> list[tuple[Slot, list[Member]]]:
    """Each requirement of ``camp`` with the members who fill it, in the file's order."""
    members: dict[str, list[Member]] = {}
    for member in camp.members:
        members.setdefault(member.skill_id, []).append(member)
    return [(slot, members.get(slot.skill_id, [])) for slot in camp.slots]


@cache
def _template() -> Any:
    import jinja2

    environment = jinja2.Environment(
        autoescape=True,  # every {{ }} is escaped, whatever the file's name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        fa=fa, fa_date=persian_date, percent=percent, anchor=anchor, group=group, teams=teams
    )
    source = (resources.files("campplanner.io") / "templates" / "report.html.j2").read_text(
        encoding="utf-8"
    )
    return environment.from_string(source)


def roster_html(view: RosterView, county: str | None = None) -> str:
    """The report as one HTML document; with ``county``, that county's camps only (and
    the itineraries of the people serving there)."""
    if county is not None:
        view = view.of_county(county)
    small = county is not None or len(view.camps) <= DETAIL_UP_TO
    return _template().render(
        view=view,
        county=county,
        counties=list(view.counties.items()),
        font_css=Markup(font_css()),
        chart=skill_chart(view.skills),
        skills=by_share(view.skills),
        status=_STATUS.get(view.status, view.status),
        running=view.camps_run,
        cancelled=view.camps_cancelled,
        gender=_GENDER,
        calendar_name="هجری شمسی" if view.calendar == "jalali" else "میلادی",
        empty_slot=T.EMPTY_SLOT,
        itineraries=view.itineraries if small else [],
        detail=small,
    )


def county_reports(view: RosterView) -> dict[str, bytes]:
    """``--county-reports``: a report per county (``report-اراک.html``)."""
    used: set[str] = set()
    return {
        f"{unique_file_stem(f'report-{county}', used, 'report')}.html": roster_html(
            view, county
        ).encode("utf-8")
        for county in view.counties
    }
