"""A stress report on the terminal: what a planner acts on, most urgent first."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

CAMPS_SHOWN = 15
RESERVES_SHOWN = 3


def _n(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _percent(rate: float) -> str:
    """A rate as a percentage with at most one decimal: ``7%``, ``7.1%`` (not ``7.12345%``)."""
    return f"{100 * rate:.1f}".removesuffix(".0") + "%"


def print_stress(console: Console, report: dict[str, Any]) -> None:
    """Coverage against the published roster, calls, camps at risk, short skills, reserves."""
    published = report["published"]
    rates = report["rates"]
    head = (
        f"{report['runs_done']} of {report['runs_requested']} runs, seed {report['seed']}, "
        f"no-show {_percent(rates['no_show'])}"
    )
    if rates["skills"]:
        head += ", per skill " + ", ".join(f"{k} {_percent(v)}" for k, v in rates["skills"].items())
    if rates["camp_cancel"]:
        head += f", camps cancelled {_percent(rates['camp_cancel'])}"
    history = report.get("history")
    if history:
        head += (
            f", own rates from the attendance history for {history['people_with_history']:,}"
            f" people (shrunk towards {100 * history['province']:.1f}%,"
            f" {'the history' if history['province_from'] == 'history' else 'as given'})"
        )
    console.print(f"[bold]No-show stress test of {escape(report['instance'])}[/]: {escape(head)}")
    if report["partial"]:
        console.print("[yellow]partial:[/] the sweep was stopped; these are the runs that finished")
    if report["runs_done"] == 0:
        return
    table = Table(title="Coverage after re-planning")
    for column in ("", "mean", "P5", "P50", "P95", "worst"):
        table.add_column(column, justify="right" if column else "left")
    table.add_row("published", *[_n(published["coverage"])] * 5)
    for label, key in (("re-planned", "coverage"), ("not re-planned", "coverage_without_replan")):
        spread = report[key]
        table.add_row(label, *(_n(spread[k]) for k in ("mean", "p5", "p50", "p95", "worst")))
    share = report["coverage_share"]
    keys = ("mean", "p5", "p50", "p95", "worst")
    table.add_row("re-planned / published", *(f"{100 * share[k]:.1f}%" for k in keys))
    console.print(table)
    calls = report["calls"]
    console.print(
        f"Absent per run: {_n(report['absent_per_run']['mean'])} on average of "
        f"{published['people']:,} people. Calls per run: {_n(calls['people']['mean'])} people "
        f"on average (P95 {_n(calls['people']['p95'])}, most {calls['people']['most']:,}), "
        f"{_n(calls['changed_assignments']['mean'])} changed assignments."
    )
    _print_camps(console, report)
    _print_people(console, report)
    _print_skills(console, report)
    _print_reserves(console, report)
    if report["runs_stopped_by_time_limit"]:
        console.print(
            f"[yellow]note:[/] {report['runs_stopped_by_time_limit']} runs were cut by the "
            "time limit per run: their re-plan may differ on another machine (docs/stress.md)."
        )


def _print_camps(console: Console, report: dict[str, Any]) -> None:
    camps = report["camps"]
    if not camps:
        console.print("No camp was cancelled in any run.")
        return
    table = Table(title=f"Camps most likely to be cancelled ({len(camps)} at risk)")
    table.add_column("camp")
    table.add_column("name")
    table.add_column("cancelled", justify="right")
    table.add_column("absent when it was lost (runs)")
    table.add_column("reserves (fill-ins)")
    for entry in camps[:CAMPS_SHOWN]:
        reserves = report["reserves"].get(entry["camp"], [])[:RESERVES_SHOWN]
        names = ", ".join(f"{r['volunteer']} ({r['fill_ins']})" for r in reserves) or "-"
        absent = entry.get("absent_when_lost", [])[:RESERVES_SHOWN]
        whom = ", ".join(f"{a['volunteer']} ({a['runs']})" for a in absent) or "-"
        table.add_row(
            escape(entry["camp"]),
            escape(entry["name"]),
            f"{100 * entry['cancelled_probability']:.1f}%",
            escape(whom),
            escape(names),
        )
    console.print(table)


def _print_people(console: Console, report: dict[str, Any]) -> None:
    people = report.get("people_at_risk", [])
    if not people:
        return
    table = Table(title="On the roster, most likely to be missing (attendance history)")
    for column in ("volunteer", "name", "no-show rate", "camps"):
        table.add_column(column, justify="right" if column == "no-show rate" else "left")
    for entry in people[:CAMPS_SHOWN]:
        table.add_row(
            escape(entry["volunteer"]),
            escape(entry["name"]),
            f"{100 * entry['no_show_rate']:.1f}%",
            escape(", ".join(entry["camps"])),
        )
    console.print(table)


def _print_skills(console: Console, report: dict[str, Any]) -> None:
    skills = [s for s in report["skills"] if s["expected_shortfall"] > 0]
    if not skills:
        console.print("No skill ran short after re-planning.")
        return
    table = Table(title="Skills that run short after re-planning")
    for column in ("skill", "name", "filled", "expected short", "P95 short", "runs short"):
        table.add_column(column, justify="left" if column in ("skill", "name") else "right")
    for entry in skills:
        table.add_row(
            escape(entry["skill"]),
            escape(entry["name"]),
            f"{entry['published_filled']:,}",
            _n(entry["expected_shortfall"]),
            _n(entry["p95_shortfall"]),
            f"{entry['runs_short']}/{report['runs_done']}",
        )
    console.print(table)


def _print_reserves(console: Console, report: dict[str, Any]) -> None:
    reserves = report["reserves"]
    if not reserves:
        return
    # The camps that needed someone from outside the roster most often first.
    ranked = sorted(reserves.items(), key=lambda item: (-item[1][0]["fill_ins"], item[0]))
    table = Table(title=f"Reserves to keep: who filled in most often ({len(reserves)} camps)")
    table.add_column("camp")
    table.add_column("reserves, best first (runs filled in)")
    for camp, people in ranked[:CAMPS_SHOWN]:
        names = ", ".join(
            f"{p['volunteer']} {p['name']} ({p['fill_ins']})" for p in people[:RESERVES_SHOWN]
        )
        table.add_row(escape(camp), escape(names))
    console.print(table)
    if len(ranked) > CAMPS_SHOWN:
        console.print(f"... and {len(ranked) - CAMPS_SHOWN} more camps in the JSON report (-o).")
