"""What `validate` and `check` print on the terminal: the overview and the check report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from campplanner.check import RULES, CheckReport
from campplanner.contract.calendar import persian_date, to_persian_digits
from campplanner.contract.errors import MAX_ECHOED, Issue, shorten

if TYPE_CHECKING:  # a type only: `campplanner check` must not load the solver's problem.py
    from campplanner.explain.overview import Overview

LIST_LIMIT = 20  # ids shown inline before "... and N more"

# The lines and headings of ``validate`` per language (the warnings: WARNINGS_FA below).
# Ids, JSON paths and the contract's name as the file writes them; skills by their names
# beside their ids; numbers in the language's digits (``_number``).
OVERVIEW_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "ok": "[bold green]OK[/] {source} follows the campplanner/1 contract",
        "season": "Season: {first} to {last}",
        "counts": "Counts",
        "count:skills": "skills",
        "count:places": "places",
        "count:groups": "groups",
        "count:volunteers": "volunteers",
        "count:camps": "camps",
        "count:requirements": "requirements",
        "count:slots": "slots",
        "count:essential slots": "essential slots",
        "count:candidates (volunteer, camp, skill)": "candidates (volunteer, camp, skill)",
        "count:locked": "locked",
        "count:forbidden": "forbidden",
        "supply": "Slots asked versus volunteers, per skill",
        "col:skill": "skill",
        "col:name": "name",
        "col:slots": "slots",
        "col:essential": "essential",
        "col:have skill": "have skill",
        "col:can serve": "can serve",
        "col:ratio": "ratio",
        "infinite": "inf",
        "supply_note": "can serve: volunteers who pass skill level, dates, gender, distance and "
        "forbidden for at least one slot; ratio = slots / can serve (above 1: scarce)",
        "cannot_run": "Camps that cannot run whatever the roster (H9)",
        "col:camp": "camp",
        "col:why": "why",
        "cannot:essential": "essential {skill_id}: {have} possible volunteer(s) for {need} slot(s)",
        "cannot:beds": "{have} beds for {need} essential slots",
        "impossible_locks": "Locks that no roster can hold: the instance is infeasible",
        "unstaffed": "Camps no one can staff",
        "idle": "Volunteers who can serve nowhere",
        "short_of_beds": "Camps with fewer beds than essential slots",
        "beds": "{camp} ({beds} beds < {slots})",
        "more": " ... and {n} more",
        "list_join": ", ",
    },
    "fa": {
        "ok": "[bold green]درست است[/]: {source} از قرارداد campplanner/1 پیروی می‌کند",
        "season": "فصل: {first} تا {last}",
        "counts": "شمارش‌ها",
        "count:skills": "مهارت‌ها",
        "count:places": "مکان‌ها",
        "count:groups": "گروه‌ها",
        "count:volunteers": "داوطلبان",
        "count:camps": "اردوها",
        "count:requirements": "نقش‌های خواسته‌شده",
        "count:slots": "جاها",
        "count:essential slots": "جاهای ضروری",
        "count:candidates (volunteer, camp, skill)": "گزینه‌ها (داوطلب، اردو، مهارت)",
        "count:locked": "قفل‌ها",
        "count:forbidden": "منع‌ها",
        "supply": "جاهای خواسته‌شده در برابر داوطلبان، به تفکیک مهارت",
        "col:skill": "شناسه",
        "col:name": "مهارت",
        "col:slots": "جاها",
        "col:essential": "ضروری",
        "col:have skill": "دارای مهارت",
        "col:can serve": "می‌توانند خدمت کنند",
        "col:ratio": "نسبت",
        "infinite": "∞",
        "supply_note": "می‌توانند خدمت کنند: داوطلبانی که دست‌کم برای یک جا از سطح مهارت، "
        "تاریخ‌ها، جنسیت، مسافت و منع می‌گذرند؛ نسبت = جاها ÷ می‌توانند خدمت کنند (بیش از ۱: "
        "کمیاب)",
        "cannot_run": "اردوهایی که با هیچ برنامه‌ای برپا نمی‌شوند (H9)",
        "col:camp": "اردو",
        "col:why": "چرا",
        "cannot:essential": "نقش ضروری {skill_name}: {have} داوطلب ممکن برای {need} جا",
        "cannot:beds": "{have} تخت برای {need} جای ضروری",
        "impossible_locks": "قفل‌هایی که هیچ برنامه‌ای برقرارشان نمی‌کند: نمونه ناشدنی است",
        "unstaffed": "اردوهایی که کسی نمی‌تواند در آن‌ها خدمت کند",
        "idle": "داوطلبانی که هیچ جا نمی‌توانند خدمت کنند",
        "short_of_beds": "اردوهای با تخت کمتر از جاهای ضروری",
        "beds": "{camp} ({beds} تخت، {slots} جای ضروری)",
        "more": " ... و {n} دیگر",
        "list_join": "، ",
    },
}


def _number(value: float, lang: str, spec: str = ",") -> str:
    """A number as ``lang`` writes it: Persian digits and separators under fa."""
    text = format(value, spec)
    if lang != "fa":
        return text
    return to_persian_digits(text.replace(",", "٬").replace(".", "٫"))


def _ids(ids: list[str], lang: str = "en") -> str:
    # Ids and names come from planners' files: escaped, so "[x]" is shown, not read as markup.
    words = OVERVIEW_WORDS[lang]
    shown = escape(words["list_join"].join(ids[:LIST_LIMIT]))
    more = len(ids) - LIST_LIMIT
    return shown + (words["more"].format(n=_number(more, lang)) if more > 0 else "")


def print_overview(
    console: Console, source: str, summary: Overview, warnings: list[Issue], lang: str = "en"
) -> None:
    """The ``validate`` report: counts, supply per skill, what cannot take part, warnings
    (in ``lang``)."""
    words = OVERVIEW_WORDS[lang]

    def num(value: float, spec: str = ",") -> str:
        return _number(value, lang, spec)

    console.print(words["ok"].format(source=escape(source)))
    if summary.season:
        day = persian_date if lang == "fa" else str
        first, last = (day(d) for d in summary.season)
        console.print(words["season"].format(first=first, last=last))

    counts = Table(title=words["counts"], show_header=False)
    counts.add_column("what")
    counts.add_column("number", justify="right")
    for what, number in summary.counts.items():
        counts.add_row(words[f"count:{what}"], num(number))
    console.print(counts)

    supply = Table(title=words["supply"])
    for column in ("skill", "name", "slots", "essential", "have skill", "can serve", "ratio"):
        left = column in ("skill", "name")
        supply.add_column(words[f"col:{column}"], justify="left" if left else "right")
    for row in summary.skills:
        if row.candidates:
            ratio = num(row.slots / row.candidates, ".2f")
        else:
            ratio = words["infinite"] if row.slots else "-"
        style = "red" if row.slots and row.candidates < row.slots else None
        supply.add_row(
            escape(row.skill_id),
            escape(row.skill_name),
            num(row.slots),
            num(row.essential_slots),
            num(row.volunteers),
            num(row.candidates),
            ratio,
            style=style,
        )
    console.print(supply)
    console.print(f"[dim]{words['supply_note']}[/]")
    _print_what_cannot_take_part(console, summary, lang)
    print_warnings(console, warnings, lang=lang)


def _print_what_cannot_take_part(console: Console, summary: Overview, lang: str) -> None:
    """The camps that cannot run, the locks that cannot hold, the camps and people
    with no candidate, the camps short of beds (``validate``)."""
    # here, not at the top: `campplanner check` prints through this module and its judge
    # must not load the model the words of the reasons depend on (tests/test_check.py)
    from campplanner.explain.languages import WORDS

    words = OVERVIEW_WORDS[lang]
    if summary.camps_that_cannot_run:
        table = Table(title=words["cannot_run"])
        table.add_column(words["col:camp"])
        table.add_column(words["col:why"])
        for camp, why in list(summary.camps_that_cannot_run.items())[:100]:
            said = words[f"cannot:{why.kind}"].format(
                skill_id=why.skill_id,
                skill_name=why.skill_name,
                have=_number(why.have, lang),
                need=_number(why.need, lang),
            )
            table.add_row(escape(camp), escape(said))
        console.print(table)
    if summary.impossible_locks:
        console.print(f"[bold red]{words['impossible_locks']}[/]")
        for line in summary.impossible_locks:
            console.print(f"  - {WORDS[lang].why(line)}", markup=False, highlight=False)
    if summary.camps_without_candidates:
        unstaffed = _ids(summary.camps_without_candidates, lang)
        console.print(f"[yellow]{words['unstaffed']}[/]: {unstaffed}")
    if summary.volunteers_without_candidates:
        count = _number(len(summary.volunteers_without_candidates), lang)
        console.print(
            f"[yellow]{words['idle']}[/] ({count}): "
            f"{_ids(summary.volunteers_without_candidates, lang)}"
        )
    if summary.camps_short_of_beds:
        shown = [
            words["beds"].format(camp=c, beds=_number(b, lang), slots=_number(e, lang))
            for c, (b, e) in summary.camps_short_of_beds.items()
        ]
        console.print(f"[yellow]{words['short_of_beds']}[/]: {_ids(shown, lang)}")


# The warnings of an instance (contract.instance.instance_warnings) in Persian, by kind;
# their English is the warning's own message. Ids, skills and JSON as the file writes
# them (planners type them back), days and numbers in Persian digits.
WARNINGS_FA: dict[str, str] = {
    "format": "{found}: این برنامه {reads} را می‌خواند",
    "unknown_field": "فیلد ناشناخته، نادیده گرفته شد{hint}",
    "jalali_years": (
        "اردوها در سال {year} آغاز می‌شوند که سالی خورشیدی است، اما تقویم پرونده میلادی است "
        '(پیش‌فرض): اگر تاریخ‌ها خورشیدی‌اند، "calendar": "jalali" را بیفزایید'
    ),
    "gregorian_years": (
        "اردوها در سال {year} آغاز می‌شوند که سالی میلادی است، اما تقویم پرونده خورشیدی است: "
        'اگر تاریخ‌ها میلادی‌اند، "calendar": "jalali" را بردارید'
    ),
    "ranges_touch": (
        "بازه‌های آزادی {volunteer} به هم می‌رسند یا روی هم می‌افتند؛ هر اردو باید در یک بازه "
        "بگنجد (H2)، پس اگر در همهٔ آن روزها آزاد است آن‌ها را یکی کنید"
    ),
    "asks_nobody": "اردوی {camp} کسی را نمی‌خواهد",
    "lock_not_asked": (
        "اردوی {camp} جایی برای مهارت {skill} ندارد، پس این قفل برقرار نمی‌ماند: نمونه ناشدنی است"
    ),
    "lock_twice": "همین قفل بیش از یک بار آمده است",
    "expiry_unheld": "{volunteer} مهارت {skill} را ندارد: این تاریخ به کار نمی‌آید",
    "expired": (
        "اعتبار {skill} {volunteer} در {until} پایان یافته است، پیش از آغاز فصل ({start}): "
        "این فصل هیچ جای {skill} را پر نمی‌کند"
    ),
    "expires_soon": (
        "اعتبار {skill} {volunteer} در {until} پایان می‌یابد، کمتر از {days} روز پس از آغاز "
        "فصل ({start})"
    ),
    "expires_before_lock": (
        "اعتبار {skill} {volunteer} در {until} پایان می‌یابد، پیش از پایان اردوی {camp} که در "
        "آن قفل شده است ({end}): این قفل برقرار نمی‌ماند (H1)"
    ),
}
DAYS = ("until", "start", "end")


def said(warning: Issue, lang: str) -> str:
    """A warning in ``lang``: its own English, or its kind's Persian words (its English
    when it has none: a warning of another reader)."""
    if lang != "fa" or warning.kind not in WARNINGS_FA:
        return str(warning)
    values = {
        name: persian_date(str(value))
        if name in DAYS
        else to_persian_digits(str(value))
        if isinstance(value, int)
        else str(value)
        for name, value in warning.values.items()
    }
    if warning.kind == "unknown_field":
        values["hint"] = f" (شاید منظور {values['meant']} بود؟)" if values.get("meant") else ""
    text = shorten(WARNINGS_FA[warning.kind].format(**values), 5 * MAX_ECHOED)
    return f"{shorten(warning.path)}: {text}" if warning.path else text


def print_warnings(
    console: Console, warnings: list[Issue], limit: int = 50, lang: str = "en"
) -> None:
    """The warnings, the first ``limit`` of them, in ``lang`` (``validate --lang``)."""
    if not warnings:
        return
    persian = lang == "fa"
    count = len(warnings)
    console.print(
        f"[yellow]{to_persian_digits(str(count))} هشدار:[/]"
        if persian
        else f"[yellow]{count} warning(s):[/]"
    )
    for warning in warnings[:limit]:
        console.print(f"  - {said(warning, lang)}", markup=False, highlight=False)
    if count > limit:
        more = count - limit
        console.print(
            f"  ... و {to_persian_digits(str(more))} هشدار دیگر"
            if persian
            else f"  ... and {more} more"
        )


def print_check_report(console: Console, report: CheckReport, limit_per_rule: int = 50) -> None:
    """The ``check`` report: violations grouped by rule, coverage recomputed vs claimed, verdict."""
    if report.source:
        console.print(
            f"Checked {escape(report.source)}: {report.num_assignments:,} assignment(s)"
            + (f", status {escape(report.status)}" if report.status else "")
        )
    grouped = report.by_rule()
    if grouped:
        table = Table(title="Violations")
        table.add_column("rule", max_width=20)
        table.add_column("who")
        table.add_column("what")
        for rule, found in grouped.items():
            for index, violation in enumerate(found[:limit_per_rule]):
                title = RULES.get(rule, "")
                label = f"{rule} ({len(found):,})\n[dim]{title}[/]" if index == 0 else ""
                who = violation.volunteers[:LIST_LIMIT] or ("-",)
                table.add_row(label, _ids(list(who)), escape(violation.message))
            if len(found) > limit_per_rule:
                table.add_row("", "", f"... and {len(found) - limit_per_rule:,} more {rule}")
            table.add_section()
        console.print(table)
        counts = ", ".join(f"{rule} {len(found):,}" for rule, found in grouped.items())
        console.print(f"Violations per rule: {counts}")

    line = f"Coverage: {report.coverage:,} recomputed"
    if report.claimed_coverage is not None:
        same = report.claimed_coverage == report.coverage
        line += f", {report.claimed_coverage:,} claimed " + (
            "[green](same)[/]" if same else "[red](differs)[/]"
        )
    if report.claimed_bound is not None:
        line += f"; bound {report.claimed_bound:,} claimed"
    console.print(line)

    if report.ok:
        console.print(
            f"[bold green]OK[/] {report.num_assignments:,} assignment(s) obey every hard rule "
            "(H1..H10)"
        )
    else:
        console.print(
            f"[bold red]FAIL[/] {len(report.violations):,} violation(s) of "
            f"{len(grouped)} rule(s): {', '.join(grouped)}"
        )
