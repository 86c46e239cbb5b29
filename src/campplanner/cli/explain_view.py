"""Reasons, conflicts and the objective breakdown for the terminal (rich).

Every line is said in the explanation's language (``--lang``): the reasons are
explain's, the lines around them the view's templates of ``explain.languages.VIEWS``,
numbers in that language's digits. Ids, names and the reason texts quote planners'
files, so every worded line is escaped before its styles are added.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from campplanner.app.inspect import Explained
from campplanner.explain import (
    Breakdown,
    Busy,
    CampReason,
    Explanation,
    SlotReason,
)
from campplanner.explain.languages import VIEWS, WORDS
from campplanner.model.problem import Problem
from campplanner.model.terms import GROUP, SECONDARY, Term, as_written
from campplanner.whatif.to_run import SIZES, ToRun

SHORT_LIMIT = 10  # cancelled camps listed by `solve` before "... and N more"


class Say:
    """The view's lines in one language: ``say(key, **fields)`` is the line's template
    over the fields, escaped; ``num`` a number in the language's digits."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.words = WORDS[lang]
        self.view = VIEWS[lang]

    def __call__(self, key: str, **fields: object) -> str:
        return escape(self.plain(key, **fields))

    def plain(self, key: str, **fields: object) -> str:
        return self.words.say(self.view[key], fields)  # type: ignore[arg-type]

    def num(self, value: float, spec: str = ",") -> str:
        return self.words.number(format(value, spec))

    def cause(self, cause: str) -> str:
        return self("cause", cause=cause, name=self.words.causes[cause])


def _label(problem: Problem, c: int) -> str:
    return f"{problem.camp_ids[c]}  {problem.camp_names[c]}"


def _camp(problem: Problem, c: int) -> str:
    return escape(_label(problem, c))


def _role_fields(problem: Problem, r: int) -> dict[str, object]:
    s = int(problem.requirement_skill[r])
    return {
        "skill_name": problem.skill_names[s],
        "skill_id": problem.skill_ids[s],
        "level": int(problem.requirement_level[r]),
    }


def _role(say: Say, problem: Problem, r: int) -> str:
    return say("role", **_role_fields(problem, r))


def _why_and_fix(console: Console, say: Say, why: str, fix: str) -> None:
    console.print(f"    {say('why')}: {escape(why)}")
    console.print(f"    {say('fix')}: [green]{escape(fix)}[/]")


def print_slot_reason(console: Console, problem: Problem, slot: SlotReason, say: Say) -> None:
    """One empty requirement: camp, role, how many, the cause, why, and the fix."""
    console.print(
        f"[bold]{_camp(problem, slot.camp)}[/]: {_role(say, problem, slot.requirement)} "
        f"[red]{say('unfilled', n=slot.missing)}[/] - [yellow]{say.cause(slot.cause)}[/]"
    )
    _why_and_fix(console, say, slot.why, slot.fix)


def print_camp_reason(console: Console, problem: Problem, reason: CampReason, say: Say) -> None:
    """One cancelled camp: the cause, why, and the fix."""
    console.print(
        f"[bold]{_camp(problem, reason.camp)}[/] [red]{say('cancelled')}[/] - "
        f"[yellow]{say.cause(reason.cause)}[/]"
    )
    if not reason.short:
        _why_and_fix(console, say, reason.why, reason.fix)
        return
    for slot in reason.short:  # one block per role that could not be filled
        console.print(
            f"  {_role(say, problem, slot.requirement)}: [yellow]{say.cause(slot.cause)}[/]"
        )
        _why_and_fix(console, say, slot.why, slot.fix)


def print_explanation(
    console: Console, problem: Problem, explanation: Explanation, camp: int | None = None
) -> None:
    """Every unfilled slot and cancelled camp (only ``camp``'s when given), with reasons."""
    say = Say(explanation.lang)
    slots = [s for s in explanation.slots if camp is None or s.camp == camp]
    cancelled = [c for c in explanation.cancelled if camp is None or c.camp == camp]
    if not slots and not cancelled:
        console.print(say("all_filled_camp" if camp is not None else "all_filled"))
        return
    if cancelled:
        console.print(f"[bold underline]{say('cancelled_camps', n=len(cancelled))}[/]")
        for reason in cancelled:
            print_camp_reason(console, problem, reason, say)
    if slots:
        missing = sum(s.missing for s in slots)
        console.print(f"[bold underline]{say('unfilled_slots', n=missing)}[/]")
        for slot in slots:
            print_slot_reason(console, problem, slot, say)


def print_short_explanation(console: Console, problem: Problem, explanation: Explanation) -> None:
    """For ``solve``: unfilled slots counted per reason, the cause of each cancelled camp."""
    say = Say(explanation.lang)
    if explanation.slots:
        counts = say.plain("count_join").join(
            say.plain("count", cause=cause, name=explanation.causes[cause], n=n)
            for cause, n in explanation.slot_counts().items()
        )
        console.print(say("by_reason", counts=counts))
    for reason in explanation.cancelled[:SHORT_LIMIT]:
        short = reason.short[0] if reason.short else None
        cause = short.cause if short else reason.cause
        fields: dict[str, object] = {
            "camp": _label(problem, reason.camp),
            "name": explanation.causes[cause],
            "fix": reason.fix,
        }
        if short is None:
            console.print(say("short_cancelled", **fields), highlight=False)
        else:
            role = say.plain("role", **_role_fields(problem, short.requirement))
            console.print(say("short_cancelled_role", role=role, **fields), highlight=False)
    more = len(explanation.cancelled) - SHORT_LIMIT
    if more > 0:
        console.print(say("more_cancelled", n=more))
    if explanation.slots or explanation.cancelled:
        console.print(say("see_evidence"))


def _term_columns(split: str) -> list[Term]:
    """The secondary terms with a per-camp or per-volunteer split, in TERMS order."""
    return [t for t in SECONDARY if getattr(t, split) is not None]


def print_camp_costs(
    console: Console,
    problem: Problem,
    breakdown: Breakdown,
    explained: Explained,
    say: Say,
    camps: list[int] | None = None,
) -> None:
    """Per camp: slots filled, coverage earned, each secondary term, weighted cost."""
    weights = explained.weights
    terms = _term_columns("per_camp")
    table = Table(title=say("per_camp"))
    columns = ("col_camp", "col_priority", "col_filled", "col_coverage")
    for column in (*columns, *(f"column_{t.name}" for t in terms), "col_cost"):
        table.add_column(say(column), justify="left" if column == "col_camp" else "right")
    for cost in breakdown.camps:
        if camps is not None and cost.camp not in camps:
            continue
        cells = [_written(say, t, cost.terms[t.name]) for t in terms]
        if cost.split_groups and GROUP in terms:
            at = terms.index(GROUP)
            groups = say.words.list_join.join(problem.group_ids[g] for g in cost.split_groups)
            cells[at] += " (" + escape(groups) + ")"
        table.add_row(
            _camp(problem, cost.camp),
            say.num(problem.camp_priority[cost.camp], ""),
            say("filled_of", filled=cost.filled, asked=cost.asked),
            say.num(cost.terms["coverage"]),
            *cells,
            say.num(cost.weighted(weights), ",.0f"),
        )
    if camps is None:
        filled = sum(c.filled for c in breakdown.camps)
        asked = sum(c.asked for c in breakdown.camps)
        table.add_row(
            f"[bold]{say('total')}[/]",
            "",
            say("filled_of", filled=filled, asked=asked),
            say.num(breakdown.coverage),
            *(_written(say, t, breakdown.total(t)) for t in terms),
            "",
        )
    console.print(table)


def print_volunteer_costs(
    console: Console,
    problem: Problem,
    breakdown: Breakdown,
    explained: Explained,
    say: Say,
    volunteers: list[int] | None = None,
    limit: int | None = 20,
) -> None:
    """Per volunteer: camps joined, coverage, each secondary term, weighted cost."""
    weights = explained.weights
    terms = _term_columns("per_volunteer")
    rows = [v for v in breakdown.volunteers if volunteers is None or v.volunteer in volunteers]
    if volunteers is None:
        rows.sort(key=lambda v: (-v.weighted(weights), v.volunteer))
    shown = rows if limit is None else rows[:limit]
    title = say("per_volunteer")
    if len(shown) < len(rows):
        title += say("costliest", shown=len(shown), total=len(rows))
    table = Table(title=title)
    columns = ("col_volunteer", "col_camps", "col_coverage")
    for column in (*columns, *(f"column_{t.name}" for t in terms), "col_cost"):
        left = column in ("col_volunteer", "col_camps")
        table.add_column(say(column), justify="left" if left else "right")
    for v in shown:
        camps = say.words.list_join.join(problem.camp_label(c) for c in v.camps)
        table.add_row(
            escape(f"{problem.volunteer_ids[v.volunteer]}  {problem.volunteer_names[v.volunteer]}"),
            escape(camps),
            say.num(v.terms["coverage"]),
            *(_written(say, t, v.terms[t.name]) for t in terms),
            say.num(v.weighted(weights), ",.0f"),
        )
    if volunteers is None:
        table.add_row(
            f"[bold]{say('total')}[/]",
            "",
            say.num(sum(v.terms["coverage"] for v in breakdown.volunteers)),
            *(_written(say, t, breakdown.total(t)) for t in terms),
            "",
        )
    console.print(table)


def _written(say: Say, term: Term, value: float) -> str:
    """A term's value rounded as the solution file writes it (road km to one decimal),
    so that explain's totals read the same as the file's ``secondary``."""
    written = as_written(term, value)
    return say.num(written, ",.1f" if isinstance(written, float) else ",")


def print_volunteer_story(
    console: Console,
    problem: Problem,
    volunteer: int,
    wanted: list[tuple[SlotReason, list[Busy]]],
    say: Say,
) -> None:
    """The empty slots a volunteer could have filled and the camps that kept them away
    (from :func:`campplanner.explain.wanted_for`)."""
    who = problem.volunteer_ids[volunteer]
    if not wanted:
        console.print(say("wanted_none", who=who))
        return
    console.print(f"[bold underline]{say('wanted', who=who)}[/]")
    for slot, busy in wanted:
        where = say.words.list_join.join(
            say.plain(
                "busy_at",
                camp=problem.camp_ids[b.camp],
                priority=int(problem.camp_priority[b.camp]),
                rule=b.rule,
            )
            for b in busy
        )
        role = say.plain("role", **_role_fields(problem, slot.requirement))
        console.print(say("kept_by", camp=_label(problem, slot.camp), role=role, busy=where))


def _requirement_place(say: Say, problem: Problem, r: int) -> str:
    role = say.plain("role", **_role_fields(problem, r))
    return say.plain("place", camp=_label(problem, int(problem.requirement_camp[r])), role=role)


def print_to_run(console: Console, problem: Problem, to_run: ToRun, say: Say) -> None:
    """What would run a cancelled camp: every change it takes and what it costs."""
    if not to_run.runs:
        why = say.plain(f"why_not_{to_run.why_not}", n=SIZES[-1]) if to_run.why_not else ""
        console.print(say("to_run_not", why=why))
        return
    console.print(
        say(
            "to_run",
            moves=len(to_run.moves),
            before=to_run.coverage_before,
            after=to_run.coverage_after,
            change=to_run.coverage_change,
        )
    )
    for move in to_run.moves:
        v = move.volunteer
        who = escape(f"{problem.volunteer_ids[v]}  {problem.volunteer_names[v]}")
        parts = [say.plain("joins", place=_requirement_place(say, problem, r)) for r in move.joined]
        parts += [say.plain("leaves", place=_requirement_place(say, problem, r)) for r in move.left]
        console.print(f"    {who}: " + escape(say.words.clause_join.join(parts)))
    for c in to_run.stops:
        console.print(f"    [red]{say('stops')}[/]: {_camp(problem, c)}")
    for c in to_run.starts:
        console.print(f"    [green]{say('starts')}[/]: {_camp(problem, c)}")


def print_explained(console: Console, source: str, explained: Explained) -> None:
    """``explain``'s whole answer: for a camp, a volunteer, or the whole roster."""
    problem = explained.problem
    say = Say(explained.lang)
    if explained.explanation is None:
        _print_no_roster(console, explained, say)
        return
    assert explained.breakdown is not None and explained.assigned is not None
    breakdown = explained.breakdown
    camp, volunteer = explained.camp, explained.volunteer
    console.print(
        say("head", source=source, status=explained.solution.status, coverage=breakdown.coverage)
    )
    if volunteer is not None:
        print_volunteer_costs(console, problem, breakdown, explained, say, [volunteer], None)
        print_volunteer_story(console, problem, volunteer, explained.wanted or [], say)
    if camp is not None:
        print_explanation(console, problem, explained.explanation, camp)
        if explained.to_run is not None:
            print_to_run(console, problem, explained.to_run, say)
        print_camp_costs(console, problem, breakdown, explained, say, [camp])
        team = sorted(
            {
                int(problem.candidate_volunteer[i])
                for i in explained.assigned
                if problem.candidate_camp[i] == camp
            }
        )
        if team:
            print_volunteer_costs(console, problem, breakdown, explained, say, team, None)
    if camp is None and volunteer is None:
        print_explanation(console, problem, explained.explanation)
        print_camp_costs(console, problem, breakdown, explained, say)
        print_volunteer_costs(console, problem, breakdown, explained, say)


def _print_no_roster(console: Console, explained: Explained, say: Say) -> None:
    """An infeasible file: the locks that contradict; an unknown one: nothing to explain."""
    if explained.solution.status == "unknown":
        console.print(say("no_roster"))
        return
    if explained.impossible_locks:
        head = say.plain("impossible_locks")
        lines = [say.words.why(line) for line in explained.impossible_locks]
    elif explained.lock_conflict is not None:
        first, *lines = (say.words.why(r) for r in explained.lock_conflict.reasons())
        head = say.plain("locks_contradict", head=first)
    else:
        console.print(say("locks_agree"))
        return
    console.print(f"[bold red]{say('infeasible')}[/] {escape(head)}")
    for line in lines:
        console.print(f"  {escape(line)}")
