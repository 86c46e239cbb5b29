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
from functools import cache
from importlib import resources
from typing import Any

from markupsafe import Markup, escape

from campplanner.calendar import persian_date, to_persian_digits
from campplanner.io import roster_model as M

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


def skill_chart(skills: list[M.SkillTotal], width: int = 720) -> Markup:
    """A horizontal bar chart, right to left: per skill, slots asked (grey) and filled."""
    row_height, top = 30, 10
    label_width = 190
    right = width - label_width - 12  # bars grow leftwards from here
    bar_span = right - 80
    most = max((s.asked for s in skills), default=1) or 1
    height = top * 2 + row_height * max(1, len(skills))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'style="direction:rtl" aria-label="جاهای پرشده به تفکیک مهارت">',
        "<title>جاهای پرشده به تفکیک مهارت</title>",
    ]
    for k, skill in enumerate(skills):
        y = top + k * row_height
        asked_w = bar_span * skill.asked / most
        filled_w = bar_span * min(skill.filled, skill.asked) / most
        color = "#2e7d32" if skill.filled >= skill.asked else "#e65100"
        parts += [
            f'<text x="{width - 4}" y="{y + 19}" text-anchor="start" class="label" '
            'unicode-bidi="plaintext">'
            f"{escape(skill.name)}</text>",
            f'<rect x="{right - asked_w:.1f}" y="{y + 5}" width="{asked_w:.1f}" height="18" '
            'fill="#e0e0e0" rx="3"/>',
            f'<rect x="{right - filled_w:.1f}" y="{y + 5}" width="{filled_w:.1f}" height="18" '
            f'fill="{color}" rx="3"/>',
            f'<text x="{right - asked_w - 6:.1f}" y="{y + 19}" text-anchor="start" '
            f'class="value">{fa(skill.filled)} از {fa(skill.asked)}</text>',
        ]
    parts.append("</svg>")
    return Markup("".join(parts))  # every text above went through escape()


@cache
def _template() -> Any:
    import jinja2

    environment = jinja2.Environment(
        autoescape=True,  # every {{ }} is escaped, whatever the file's name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["fa"] = fa
    environment.filters["fa_date"] = persian_date
    source = (resources.files("campplanner.io") / "templates" / "report.html.j2").read_text(
        encoding="utf-8"
    )
    return environment.from_string(source)


def roster_html(view: M.RosterView) -> str:
    """The report as one HTML document."""
    running = sum(camp.runs for camp in view.camps)
    return _template().render(
        view=view,
        font_css=Markup(font_css()),
        chart=skill_chart(view.skills),
        status=_STATUS.get(view.status, view.status),
        running=running,
        cancelled=len(view.camps) - running,
        gender=_GENDER,
        calendar_name="هجری شمسی" if view.calendar == "jalali" else "میلادی",
        empty_slot=M.EMPTY_SLOT,
    )
