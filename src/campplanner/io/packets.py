"""``campplanner export --packets`` / ``--camp-packets``: a printed page per camp leader.

Each camp gets one A4 page: its name, Jalali dates, village and county, the leader's
and the driver's phones, the team with roles and phones, the empty slots, and the
reserves when the solution file has a ``reserves`` section. The pages of one county
(``--packets``) or of one camp (``--camp-packets``) make one self-contained HTML file,
printed to PDF next to it by Chromium when it is installed (no PDF library needed).

Phone numbers are personal data: a file that carries any says so in its name
(``...-phones.html``); no number goes into a URL (no ``tel:`` links), a log or a
message.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

from markupsafe import Markup

from campplanner.contract.calendar import persian_date, to_persian_digits
from campplanner.contract.contact import spoken_phone
from campplanner.io import roster_tables as T
from campplanner.io.html_report import _GENDER, fa, font_css
from campplanner.io.pdf import print_to_pdf
from campplanner.io.sanitize import unique_file_stem
from campplanner.report.roster import CampView, RosterView


def phone(value: str | None) -> str:
    """``09123456789`` as ``۰۹۱۲ ۳۴۵ ۶۷۸۹`` (shown left to right by the template); "—"."""
    return to_persian_digits(spoken_phone(value)) if value else "—"


@cache
def _template() -> Any:
    import jinja2

    environment = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    environment.filters.update(fa=fa, fa_date=persian_date, phone=phone)
    source = (resources.files("campplanner.io") / "templates" / "packet.html.j2").read_text(
        encoding="utf-8"
    )
    return environment.from_string(source)


# the status of a member's assignment (issue 24: app/links.py), as the papers say it
ANSWER_WORDS = {
    "not_sent": "پیوند نرفته",
    "sent": "فرستاده شد",
    "opened": "باز کرده",
    "confirmed": "تأیید کرده",
    "declined": "نمی‌آید",
    "no_answer": "بی‌پاسخ",
}


def packet_html(
    view: RosterView,
    title: str,
    camps: Iterable[CampView],
    answers: dict[tuple[str, str], str] | None = None,
) -> str:
    """One HTML document with a page per camp of ``camps``; with ``answers``
    ((volunteer, camp) -> status), each member's answer to their link."""
    return _template().render(
        title=title,
        season=view.name,
        camps=list(camps),
        font_css=Markup(font_css()),
        gender=_GENDER,
        empty_slot=T.EMPTY_SLOT,
        answers=answers or {},
        answer_words=ANSWER_WORDS,
    )


def _has_phones(camps: list[CampView]) -> bool:
    return any(m.phone for c in camps for m in c.members) or any(
        r.phone for c in camps for r in c.reserves
    )


def _files(
    view: RosterView, groups: list[tuple[str, list[CampView]]], pdf: bool = True
) -> dict[str, bytes]:
    """File name -> bytes: an HTML file per group, and its PDF when Chromium prints."""
    used: set[str] = set()
    files: dict[str, bytes] = {}
    for title, camps in groups:
        stem = unique_file_stem(f"packets-{title}", used, fallback="packets")
        if _has_phones(camps):
            stem += "-phones"
        html = packet_html(view, title, camps)
        files[f"{stem}.html"] = html.encode("utf-8")
        printed = print_to_pdf(html) if pdf else None
        if printed is not None:
            files[f"{stem}.pdf"] = printed
    return files


def county_packets(view: RosterView) -> dict[str, bytes]:
    """A file per county, a page per camp (``--packets``)."""
    return _files(view, list(view.counties.items()))


def camp_packets(view: RosterView) -> dict[str, bytes]:
    """A file per camp (``--camp-packets``); HTML only: a browser per camp is slow."""
    return _files(view, [(camp.id, [camp]) for camp in view.camps], pdf=False)
