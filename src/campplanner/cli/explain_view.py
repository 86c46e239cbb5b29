"""Reasons, conflicts and the objective breakdown for the terminal (rich).

Ids, names and the reason texts quote planners' files, so every data string is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from campplanner.app.inspect import Explained
from campplanner.explain import (
    CAUSES,
    Breakdown,
    Busy,
    CampReason,
    Explanation,
    SlotReason,
)
from campplanner.model.problem import Problem
from campplanner.model.terms import GROUP, SECONDARY, Term, as_written
from campplanner.whatif.to_run import WHY_NOT, ToRun

SHORT_LIMIT = 10  # cancelled camps listed by `solve` before "... and N more"


def _camp(problem: Problem, c: int) -> str:
    return escape(f"{problem.camp_ids[c]}  {problem.camp_names[c]}")


def _role(problem: Problem, r: int) -> str:
    s = int(problem.requirement_skill[r])
    level = int(problem.requirement_level[r])
    text = f"{problem.skill_names[s]} ({problem.skill_ids[s]})"
    return escape(text + (f" level {level}+" if level > 1 else ""))


def print_slot_reason(
    console: Console, problem: Problem, slot: SlotReason, causes: Mapping[str, str] = CAUSES
) -> None:
    """One empty requirement: camp, role, how many, the cause, why, and the fix."""
    console.print(
        f"[bold]{_camp(problem, slot.camp)}[/]: {_role(problem, slot.requirement)} "
        f"[red]x{slot.missing} unfilled[/] - [yellow]{slot.cause}[/]: {escape(causes[slot.cause])}"
    )
    console.print(f"    why: {escape(slot.why)}")
    console.print(f"    fix: [green]{escape(slot.fix)}[/]")


def print_camp_reason(
    console: Console, problem: Problem, reason: CampReason, causes: Mapping[str, str] = CAUSES
) -> None:
    """One cancelled camp: the cause, why, and the fix."""
    console.print(
        f"[bold]{_camp(problem, reason.camp)}[/] [red]CANCELLED[/] - "
        f"[yellow]{reason.cause}[/]: {escape(causes[reason.cause])}"
    )
    if not reason.short:
        console.print(f"    why: {escape(reason.why)}")
        console.print(f"    fix: [green]{escape(reason.fix)}[/]")
        return
    for slot in reason.short:  # one block per role that could not be filled
        console.print(
            f"  {_role(problem, slot.requirement)}: [yellow]{slot.cause}[/]: "
            f"{escape(causes[slot.cause])}"
        )
        console.print(f"    why: {escape(slot.why)}")
        console.print(f"    fix: [green]{escape(slot.fix)}[/]")


def print_explanation(
    console: Console, problem: Problem, explanation: Explanation, camp: int | None = None
) -> None:
    """Every unfilled slot and cancelled camp (only ``camp``'s when given), with reasons."""
    slots = [s for s in explanation.slots if camp is None or s.camp == camp]
    cancelled = [c for c in explanation.cancelled if camp is None or c.camp == camp]
    if not slots and not cancelled:
        where = "this camp" if camp is not None else "the roster"
        console.print(f"Every slot of {where} is filled.")
        return
    if cancelled:
        console.print(f"[bold underline]Cancelled camps ({len(cancelled)})[/]")
        for reason in cancelled:
            print_camp_reason(console, problem, reason, explanation.causes)
    if slots:
        missing = sum(s.missing for s in slots)
        console.print(f"[bold underline]Unfilled slots in camps that run ({missing})[/]")
        for slot in slots:
            print_slot_reason(console, problem, slot, explanation.causes)


def print_short_explanation(console: Console, problem: Problem, explanation: Explanation) -> None:
    """For ``solve``: unfilled slots counted per reason, the cause of each cancelled camp."""
    if explanation.slots:
        counts = ", ".join(f"{cause} {n}" for cause, n in explanation.slot_counts().items())
        console.print(f"Unfilled slots by reason: {counts}")
    for reason in explanation.cancelled[:SHORT_LIMIT]:
        short = reason.short[0] if reason.short else None
        role = f" {_role(problem, short.requirement)}:" if short else ""
        cause = short.cause if short else reason.cause
        console.print(
            f"Cancelled {_camp(problem, reason.camp)} -{role} "
            f"{escape(explanation.causes[cause])}; fix: {escape(reason.fix)}",
            highlight=False,
        )
    more = len(explanation.cancelled) - SHORT_LIMIT
    if more > 0:
        console.print(f"... and {more} more cancelled camps")
    if explanation.slots or explanation.cancelled:
        console.print("Run `campplanner explain INSTANCE SOLUTION` for the evidence.")


def _term_columns(split: str) -> list[Term]:
    """The secondary terms with a per-camp or per-volunteer split, in TERMS order."""
    return [t for t in SECONDARY if getattr(t, split) is not None]


def print_camp_costs(
    console: Console,
    problem: Problem,
    breakdown: Breakdown,
    weights: Mapping[str, float],
    camps: list[int] | None = None,
) -> None:
    """Per camp: slots filled, coverage earned, each secondary term, weighted cost."""
    terms = _term_columns("per_camp")
    table = Table(title="Objective per camp")
    columns = ("camp", "priority", "filled", "coverage", *(t.column for t in terms), "cost")
    for column in columns:
        table.add_column(column, justify="left" if column == "camp" else "right")
    for cost in breakdown.camps:
        if camps is not None and cost.camp not in camps:
            continue
        cells = [_written(t, cost.terms[t.name]) for t in terms]
        if cost.split_groups and GROUP in terms:
            at = terms.index(GROUP)
            cells[at] += " (" + escape(", ".join(problem.group_ids[g] for g in cost.split_groups))
            cells[at] += ")"
        table.add_row(
            _camp(problem, cost.camp),
            f"{problem.camp_priority[cost.camp]}",
            f"{cost.filled}/{cost.asked}",
            f"{cost.terms['coverage']:,}",
            *cells,
            f"{cost.weighted(weights):,.0f}",
        )
    if camps is None:
        table.add_row(
            "[bold]total[/]",
            "",
            f"{sum(c.filled for c in breakdown.camps)}/{sum(c.asked for c in breakdown.camps)}",
            f"{breakdown.coverage:,}",
            *(_written(t, breakdown.total(t)) for t in terms),
            "",
        )
    console.print(table)


def print_volunteer_costs(
    console: Console,
    problem: Problem,
    breakdown: Breakdown,
    weights: Mapping[str, float],
    volunteers: list[int] | None = None,
    limit: int | None = 20,
) -> None:
    """Per volunteer: camps joined, coverage, each secondary term, weighted cost."""
    terms = _term_columns("per_volunteer")
    rows = [v for v in breakdown.volunteers if volunteers is None or v.volunteer in volunteers]
    if volunteers is None:
        rows.sort(key=lambda v: (-v.weighted(weights), v.volunteer))
    shown = rows if limit is None else rows[:limit]
    title = "Objective per volunteer"
    if len(shown) < len(rows):
        title += f" (the {len(shown)} costliest of {len(rows)})"
    table = Table(title=title)
    for column in ("volunteer", "camps", "coverage", *(t.column for t in terms), "cost"):
        table.add_column(column, justify="left" if column in ("volunteer", "camps") else "right")
    for v in shown:
        table.add_row(
            escape(f"{problem.volunteer_ids[v.volunteer]}  {problem.volunteer_names[v.volunteer]}"),
            escape(", ".join(problem.camp_label(c) for c in v.camps)),
            f"{v.terms['coverage']:,}",
            *(_written(t, v.terms[t.name]) for t in terms),
            f"{v.weighted(weights):,.0f}",
        )
    if volunteers is None:
        table.add_row(
            "[bold]total[/]",
            "",
            f"{sum(v.terms['coverage'] for v in breakdown.volunteers):,}",
            *(_written(t, breakdown.total(t)) for t in terms),
            "",
        )
    console.print(table)


def _written(term: Term, value: float) -> str:
    """A term's value rounded as the solution file writes it (road km to one decimal),
    so that explain's totals read the same as the file's ``secondary``."""
    written = as_written(term, value)
    return f"{written:,.1f}" if isinstance(written, float) else f"{written:,}"


def print_volunteer_story(
    console: Console,
    problem: Problem,
    volunteer: int,
    wanted: list[tuple[SlotReason, list[Busy]]],
) -> None:
    """The empty slots a volunteer could have filled and the camps that kept them away
    (from :func:`campplanner.explain.wanted_for`)."""
    who = escape(problem.volunteer_ids[volunteer])
    if not wanted:
        console.print(f"{who} could fill none of the empty slots, or is free for them.")
        return
    console.print(f"[bold underline]Empty slots {who} could have filled[/]")
    for slot, busy in wanted:
        where = ", ".join(
            f"{problem.camp_ids[b.camp]} (priority {problem.camp_priority[b.camp]}, {b.rule})"
            for b in busy
        )
        console.print(
            f"{_camp(problem, slot.camp)}: {_role(problem, slot.requirement)} - "
            f"kept by {escape(where)}"
        )


def _requirement_place(problem: Problem, r: int) -> str:
    return f"{_camp(problem, int(problem.requirement_camp[r]))} as {_role(problem, r)}"


def print_to_run(console: Console, problem: Problem, to_run: ToRun) -> None:
    """What would run a cancelled camp: every change it takes and what it costs."""
    if not to_run.runs:
        why = WHY_NOT.get(to_run.why_not or "", "")
        console.print(f"[bold]To run it[/]: not possible - {escape(why)}")
        return
    sign = "+" if to_run.coverage_change >= 0 else ""
    console.print(
        f"[bold]To run it[/]: {len(to_run.moves)} change(s), coverage "
        f"{to_run.coverage_before:,} -> {to_run.coverage_after:,} "
        f"({sign}{to_run.coverage_change:,}), every rule kept"
    )
    for move in to_run.moves:
        v = move.volunteer
        who = escape(f"{problem.volunteer_ids[v]}  {problem.volunteer_names[v]}")
        parts = [f"joins {_requirement_place(problem, r)}" for r in move.joined]
        parts += [f"leaves {_requirement_place(problem, r)}" for r in move.left]
        console.print(f"    {who}: " + "; ".join(parts))
    for c in to_run.stops:
        console.print(f"    [red]stops running[/]: {_camp(problem, c)}")
    for c in to_run.starts:
        console.print(f"    [green]runs too[/]: {_camp(problem, c)}")


def print_explained(console: Console, source: str, explained: Explained) -> None:
    """``explain``'s whole answer: for a camp, a volunteer, or the whole roster."""
    problem = explained.problem
    if explained.explanation is None:
        _print_no_roster(console, explained)
        return
    assert explained.breakdown is not None and explained.assigned is not None
    breakdown, weights = explained.breakdown, explained.weights
    camp, volunteer = explained.camp, explained.volunteer
    console.print(
        f"{escape(source)}: status {escape(explained.solution.status)}, "
        f"coverage {breakdown.coverage:,}"
    )
    if volunteer is not None:
        print_volunteer_costs(console, problem, breakdown, weights, [volunteer], limit=None)
        print_volunteer_story(console, problem, volunteer, explained.wanted or [])
    if camp is not None:
        print_explanation(console, problem, explained.explanation, camp)
        if explained.to_run is not None:
            print_to_run(console, problem, explained.to_run)
        print_camp_costs(console, problem, breakdown, weights, [camp])
        team = sorted(
            {
                int(problem.candidate_volunteer[i])
                for i in explained.assigned
                if problem.candidate_camp[i] == camp
            }
        )
        if team:
            print_volunteer_costs(console, problem, breakdown, weights, team, limit=None)
    if camp is None and volunteer is None:
        print_explanation(console, problem, explained.explanation)
        print_camp_costs(console, problem, breakdown, weights)
        print_volunteer_costs(console, problem, breakdown, weights)


def _print_no_roster(console: Console, explained: Explained) -> None:
    """An infeasible file: the locks that contradict; an unknown one: nothing to explain."""
    if explained.solution.status == "unknown":
        console.print("No roster was found in the time given: there is nothing to explain.")
        return
    if explained.impossible_locks:
        head, lines = "These locks can never hold, whatever the roster:", explained.impossible_locks
    elif explained.lock_conflict is not None:
        head, *lines = explained.lock_conflict.reasons()
        head = f"These locks contradict each other - {head}"
    else:
        console.print("The locks of this instance do not contradict each other (now).")
        return
    console.print(f"[bold red]infeasible:[/] {escape(head)}")
    for line in lines:
        console.print(f"  {escape(line)}")
