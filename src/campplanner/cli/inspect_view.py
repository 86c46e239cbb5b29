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


def _ids(ids: list[str]) -> str:
    # Ids and names come from planners' files: escaped, so "[x]" is shown, not read as markup.
    shown = escape(", ".join(ids[:LIST_LIMIT]))
    return shown + (f" ... and {len(ids) - LIST_LIMIT} more" if len(ids) > LIST_LIMIT else "")


def print_overview(
    console: Console, source: str, summary: Overview, warnings: list[Issue], lang: str = "en"
) -> None:
    """The ``validate`` report: counts, supply per skill, what cannot take part, warnings
    (in ``lang``)."""
    console.print(f"[bold green]OK[/] {escape(source)} follows the campplanner/1 contract")
    if summary.season:
        console.print(f"Season: {summary.season[0]} to {summary.season[1]}")

    counts = Table(title="Counts", show_header=False)
    counts.add_column("what")
    counts.add_column("number", justify="right")
    for what, number in summary.counts.items():
        counts.add_row(what, f"{number:,}")
    console.print(counts)

    supply = Table(title="Slots asked versus volunteers, per skill")
    for column in ("skill", "name", "slots", "essential", "have skill", "can serve", "ratio"):
        supply.add_column(column, justify="left" if column in ("skill", "name") else "right")
    for row in summary.skills:
        if row.candidates:
            ratio = f"{row.slots / row.candidates:.2f}"
        else:
            ratio = "inf" if row.slots else "-"
        style = "red" if row.slots and row.candidates < row.slots else None
        supply.add_row(
            escape(row.skill_id),
            escape(row.skill_name),
            f"{row.slots:,}",
            f"{row.essential_slots:,}",
            f"{row.volunteers:,}",
            f"{row.candidates:,}",
            ratio,
            style=style,
        )
    console.print(supply)
    console.print(
        "[dim]can serve: volunteers who pass skill level, dates, gender, distance and "
        "forbidden for at least one slot; ratio = slots / can serve (above 1: scarce)[/]"
    )

    if summary.camps_that_cannot_run:
        table = Table(title="Camps that cannot run whatever the roster (H9)")
        table.add_column("camp")
        table.add_column("why")
        for camp, why in list(summary.camps_that_cannot_run.items())[:100]:
            table.add_row(escape(camp), escape(why))
        console.print(table)
    if summary.impossible_locks:
        console.print("[bold red]Locks that no roster can hold: the instance is infeasible[/]")
        for line in summary.impossible_locks:
            console.print(f"  - {line}", markup=False, highlight=False)
    if summary.camps_without_candidates:
        unstaffed = _ids(summary.camps_without_candidates)
        console.print(f"[yellow]Camps no one can staff[/]: {unstaffed}")
    if summary.volunteers_without_candidates:
        count = len(summary.volunteers_without_candidates)
        console.print(
            f"[yellow]Volunteers who can serve nowhere[/] ({count}): "
            f"{_ids(summary.volunteers_without_candidates)}"
        )
    if summary.camps_short_of_beds:
        shown = [f"{c} ({b} beds < {e})" for c, (b, e) in summary.camps_short_of_beds.items()]
        console.print(f"[yellow]Camps with fewer beds than essential slots[/]: {_ids(shown)}")
    print_warnings(console, warnings, lang=lang)


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
