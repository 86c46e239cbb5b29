"""Rosters and solve summaries for the terminal (rich); data from files is escaped."""

from __future__ import annotations

import threading
import time

import numpy as np
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from campplanner.app.jobs import Job, ProgressEvent
from campplanner.app.solving import SolveOutcome
from campplanner.cli.explain_view import print_short_explanation
from campplanner.contract.calendar import format_day
from campplanner.explain import CAUSES
from campplanner.model.problem import Problem
from campplanner.model.roster import camps_run, filled_per_requirement
from campplanner.model.terms import SECONDARY
from campplanner.solver.result import Result
from campplanner.whatif.compare import REPLANNED
from campplanner.whatif.diff import changes_claim
from campplanner.whatif.replace import Dropout, Replan


def print_rosters(
    console: Console, problem: Problem, result: Result, explanation: object = None
) -> None:
    """Per camp: name, village and county, dates, the team, unfilled slots, cancellation
    (with its reason when ``explanation``, a :class:`campplanner.explain.Explanation`, is
    given)."""
    assigned = result.assigned
    why_cancelled = {reason.camp: reason.why for reason in getattr(explanation, "cancelled", ())}
    by_camp: dict[int, list[int]] = {}
    for i in assigned:
        by_camp.setdefault(int(problem.candidate_camp[i]), []).append(int(i))
    filled = filled_per_requirement(problem, assigned)
    for c in range(problem.num_camps):
        place = int(problem.camp_place[c])
        county = problem.place_counties[place] or ""
        dates = (
            f"{format_day(int(problem.camp_start[c]), problem.calendar)} .. "
            f"{format_day(int(problem.camp_end[c]), problem.calendar)}"
        )
        members = by_camp.get(c, [])
        heading = (
            f"{problem.camp_ids[c]}  {problem.camp_names[c]}  |  {problem.place_names[place]}"
            f"{f' ({county})' if county else ''}  |  {dates}  |  priority "
            f"{problem.camp_priority[c]}  |  {len(members)}/{problem.camp_capacity[c]} beds"
        )
        if not members:
            why = why_cancelled.get(c, "nobody assigned")
            console.print(f"[bold]{escape(heading)}[/]  [red]CANCELLED[/]: {escape(why)}")
            continue
        console.print(f"[bold]{escape(heading)}[/]")
        table = Table()
        for column in ("role", "name", "group", "home", "km"):
            table.add_column(column, justify="right" if column == "km" else "left")
        members.sort(
            key=lambda i: (problem.candidate_requirement[i], problem.candidate_volunteer[i])
        )
        for i in members:
            v = int(problem.candidate_volunteer[i])
            group = int(problem.volunteer_group[v])
            table.add_row(
                escape(problem.skill_names[problem.candidate_skill[i]]),
                escape(problem.volunteer_names[v]),
                escape(problem.group_names[group]) if group >= 0 else "-",
                escape(problem.place_names[problem.volunteer_home[v]]),
                f"{problem.candidate_km[i]:.0f}",
            )
        for r in range(problem.camp_requirements[c], problem.camp_requirements[c + 1]):
            missing = int(problem.requirement_count[r] - filled[r])
            if missing > 0:
                table.add_row(
                    escape(problem.skill_names[problem.requirement_skill[r]]),
                    f"[red]unfilled x{missing}[/]",
                    "",
                    "",
                    "",
                    style="dim",
                )
        console.print(table)


ROSTERS_SHOWN_UP_TO = 60  # camps; a season's 54,000 lines are a summary by default
WORST_CAMPS = 10


def print_county_summary(console: Console, problem: Problem, result: Result) -> None:
    """Per county: camps run and cancelled, slots asked and filled."""
    assigned = result.assigned
    running = camps_run(problem, assigned)
    filled = np.bincount(problem.candidate_camp[assigned], minlength=problem.num_camps)
    asked = np.bincount(
        problem.requirement_camp, weights=problem.requirement_count, minlength=problem.num_camps
    ).astype(int)
    county_of = [problem.place_counties[int(p)] or "-" for p in problem.camp_place]
    table = Table(title="Per county")
    for column in ("county", "camps", "run", "cancelled", "slots filled", "share"):
        table.add_column(column, justify="left" if column == "county" else "right")
    for county in sorted(set(county_of)):
        camps = np.array([k == county for k in county_of])
        got, want = int(filled[camps].sum()), int(asked[camps].sum())
        table.add_row(
            escape(county),
            f"{int(camps.sum()):,}",
            f"{int(running[camps].sum()):,}",
            f"{int((camps & ~running).sum()):,}",
            f"{got:,} of {want:,}",
            f"{100 * got / want:.0f}%" if want else "-",
        )
    console.print(table)


def print_worst_camps(
    console: Console, problem: Problem, result: Result, explanation: object = None
) -> None:
    """The camps that lose most coverage: cancelled ones and those with empty slots."""
    assigned = result.assigned
    filled = np.bincount(problem.candidate_camp[assigned], minlength=problem.num_camps)
    asked = np.bincount(
        problem.requirement_camp, weights=problem.requirement_count, minlength=problem.num_camps
    ).astype(int)
    lost = (np.minimum(asked, problem.camp_capacity) - filled) * problem.camp_priority
    worst = [int(c) for c in np.argsort(-lost, kind="stable")[:WORST_CAMPS] if lost[c] > 0]
    if not worst:
        return
    why_cancelled = {
        reason.camp: CAUSES[reason.root_cause] for reason in getattr(explanation, "cancelled", ())
    }
    table = Table(title=f"The {len(worst)} camps that lose most coverage")
    for column in ("camp", "priority", "filled", "status"):
        table.add_column(column, justify="left" if column in ("camp", "status") else "right")
    for c in worst:
        status = "cancelled: " + why_cancelled.get(c, "") if filled[c] == 0 else "short"
        table.add_row(
            escape(problem.camp_label(c)),
            f"{problem.camp_priority[c]}",
            f"{filled[c]} of {asked[c]}",
            escape(status),
        )
    console.print(table)


def print_result_summary(console: Console, problem: Problem, result: Result) -> None:
    """Status, coverage, bound and gap, camps run and cancelled, slots per skill, km."""
    table = Table(title="Summary", show_header=False)
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row(
        "status", result.status + (f" ({result.stopped_by})" if result.stopped_by else "")
    )
    if result.has_roster:
        assigned = result.assigned
        running = camps_run(problem, assigned)
        gap = f"{100 * result.gap:.2f}%" if result.gap is not None else "-"
        table.add_row("coverage", f"{result.coverage:,}")
        table.add_row(
            "proven bound",
            f"{result.coverage_bound:,}" if result.coverage_bound is not None else "-",
        )
        table.add_row("gap", gap)
        table.add_row("camps run", f"{int(running.sum()):,} of {problem.num_camps:,}")
        table.add_row("camps cancelled", f"{int((~running).sum()):,}")
        table.add_row("slots filled", f"{len(assigned):,} of {problem.num_slots:,}")
        table.add_row(
            "volunteers used", f"{len(np.unique(problem.candidate_volunteer[assigned])):,}"
        )
        if result.terms is not None:
            for term in SECONDARY:
                table.add_row(term.title, f"{result.terms[term.name]:,.0f}")
    if result.infeasible_reasons:  # listed under the table: long lines read badly in it
        table.add_row("infeasible because", "see below")
    if result.timings:
        table.add_row("seconds", f"{result.timings.get('total', sum(result.timings.values())):.1f}")
    console.print(table)
    if result.infeasible_reasons:
        console.print("[bold red]Infeasible because:[/]")
        for reason in result.infeasible_reasons:
            console.print(f"  {escape(reason)}")
    if result.has_roster:
        print_slots_per_skill(console, problem, result)


def print_slots_per_skill(console: Console, problem: Problem, result: Result) -> None:
    filled = filled_per_requirement(problem, result.assigned)
    table = Table(title="Slots filled per skill")
    for column in ("skill", "name", "filled", "asked", "share"):
        table.add_column(column, justify="left" if column in ("skill", "name") else "right")
    for s, skill_id in enumerate(problem.skill_ids):
        of_skill = problem.requirement_skill == s
        asked = int(problem.requirement_count[of_skill].sum())
        if not asked:
            continue
        got = int(filled[of_skill].sum())
        style = "red" if got < asked else None
        table.add_row(
            escape(skill_id),
            escape(problem.skill_names[s]),
            f"{got:,}",
            f"{asked:,}",
            f"{100 * got / asked:.0f}%",
            style=style,
        )
    console.print(table)


class ProgressLine:
    """Progress of a solve on stderr, in every stage of it.

    On a terminal, one line rewritten in place at every event and every TICK seconds,
    so that the clock moves even in a stage that finds nothing better for a while (the
    secondary terms, a bound). In a log (stderr not a terminal), one timestamped line
    per phase or stage change and per better roster or bound:
    ``  12.3 s  coverage 10,201  bound 10,333  (neighbourhood search)``.
    """

    TICK = 0.5  # seconds between redraws of the terminal line

    def __init__(self, console: Console, time_limit: float):
        self._console = console
        self._time_limit = time_limit
        self._started: float | None = None
        self._coverage: int | None = None
        self._bound = np.inf
        self._doing = ""  # the phase, or the solver's stage
        self._printed: tuple[object, ...] | None = None  # the last line logged
        self._drawn = False
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._ticker: threading.Thread | None = None

    def follow(self, job: Job) -> ProgressLine:
        """Show the progress of ``job`` (a campplanner.app.jobs.Job) until close()."""
        self._started = job.control.started
        job.listen(self.show)
        if self._console.is_terminal:
            self._ticker = threading.Thread(
                target=self._tick, name="campplanner-progress", daemon=True
            )
            self._ticker.start()
        return self

    def show(self, event: ProgressEvent) -> None:
        """Take one progress event: draw it (terminal) or log it if anything changed."""
        with self._lock:
            if self._closed.is_set():
                return
            if event.coverage is not None:
                self._coverage = event.coverage
                self._bound = np.inf if event.bound is None else event.bound
            self._doing = event.stage or event.message or event.phase
            if self._console.is_terminal:
                self._draw(event.elapsed)
            else:
                self._log(event.elapsed)

    def _numbers(self) -> str:
        if self._coverage is None:
            return ""
        bound = f"{self._bound:,.0f}" if np.isfinite(self._bound) else "-"
        return f"coverage {self._coverage:,}  bound {bound}"

    def _log(self, elapsed: float) -> None:
        state = (self._coverage, self._bound, self._doing)
        if state == self._printed:
            return
        self._printed = state
        numbers = self._numbers()
        line = f"{elapsed:6.1f} s  " + (f"{numbers}  ({self._doing})" if numbers else self._doing)
        self._console.print(line, markup=False, highlight=False, soft_wrap=True)

    def _draw(self, elapsed: float) -> None:
        numbers = self._numbers()
        line = (
            f"{elapsed:6.1f}s / {self._time_limit:.0f}s  "
            + (f"best {numbers}  " if numbers else "")
            + self._doing
        )
        width = max(20, self._console.width - 1)  # a wrapped line would not be rewritten
        self._console.file.write("\r" + line[:width] + "\033[K")
        self._console.file.flush()
        self._drawn = True

    def _tick(self) -> None:
        assert self._started is not None
        while not self._closed.wait(self.TICK):
            with self._lock:
                if self._drawn and not self._closed.is_set():
                    self._draw(time.monotonic() - self._started)

    def close(self) -> None:
        with self._lock:
            self._closed.set()
            if self._console.is_terminal and self._drawn:
                self._console.file.write("\r\033[K")
                self._console.file.flush()
        if self._ticker is not None:
            self._ticker.join()


def print_replan(console: Console, problem: Problem, replan: dict) -> None:
    """Who to call after a re-plan: added, removed, moved; and how close to minimal."""
    names = dict(zip(problem.volunteer_ids, problem.volunteer_names, strict=True))

    def who(volunteer: str) -> str:
        return escape(f"{volunteer} {names.get(volunteer, '')}".strip())

    def where(places: list) -> str:
        return escape(", ".join(f"{camp} ({skill})" for camp, skill in places))

    changed = replan["changed_assignments"]
    console.print(
        f"[bold]Changes against the published roster[/]: {changed:,} assignment(s), "
        f"{replan['people_changed']:,} people to call; "
        + changes_claim(changed, replan.get("changes_lower_bound"))
    )
    for entry in replan["no_longer_possible"]:
        console.print(
            f"  [red]no longer possible[/] {who(entry['volunteer'])} in {escape(entry['camp'])}: "
            f"{escape(entry['why'])}"
        )
    table = Table(title="Who to call")
    for column in ("change", "volunteer", "from", "to"):
        table.add_column(column)
    for entry in replan["added"]:
        table.add_row("added", who(entry["volunteer"]), "-", where(entry["to"]))
    for entry in replan["removed"]:
        table.add_row("removed", who(entry["volunteer"]), where(entry["from"]), "-")
    for entry in replan["moved"]:
        table.add_row("moved", who(entry["volunteer"]), where(entry["from"]), where(entry["to"]))
    if table.row_count:
        console.print(table)


def print_comparison(console: Console, report: dict) -> None:
    """Scenarios side by side: the measures planners weigh, and changes against the base."""
    scenarios = report["scenarios"]
    table = Table(title=f"Scenarios compared: {report['solved_how']}")
    table.add_column("measure")
    for entry in scenarios:
        table.add_column(escape(entry["name"]), justify="right")

    def row(label: str, values: list[str]) -> None:
        table.add_row(label, *values)

    def number(value: object) -> str:
        return "-" if value is None else f"{value:,}"

    row("status", [e["status"] for e in scenarios])
    row("coverage", [number(e["coverage"]) for e in scenarios])
    row("proven bound", [number(e["coverage_bound"]) for e in scenarios])
    row(
        "slots filled",
        [
            f"{e['slots_filled']:,}/{e['slots']:,} ({100 * e['share_filled']:.1f}%)"
            for e in scenarios
        ],
    )
    row("camps run", [f"{e['camps_run']:,}" for e in scenarios])
    row("camps cancelled", [f"{len(e['camps_cancelled']):,}" for e in scenarios])
    row("volunteers used", [f"{e['volunteers_used']:,}" for e in scenarios])
    row("total road km", [f"{e['travel_km']:,.0f}" for e in scenarios])
    row("group splits", [f"{e['group_splits']:,}" for e in scenarios])
    skills = sorted({s for e in scenarios for s in e["unfilled_per_skill"]})
    for skill in skills:
        row(
            f"unfilled {escape(skill)}",
            [f"{e['unfilled_per_skill'].get(skill, 0):,}" for e in scenarios],
        )
    table.add_section()
    changes = (
        ("camps_affected", "camps affected"),
        ("people_added", "people added"),
        ("people_removed", "people removed"),
        ("people_moved", "people moved"),
        ("changed_assignments", "changed assignments"),
    )
    for key, label in changes:
        row(
            label,
            [f"{e['against_base'][key]:,}" if "against_base" in e else "base" for e in scenarios],
        )
    if report["solved"] == REPLANNED:
        bounds = [
            e["against_base"]["changes_lower_bound"] if "against_base" in e else None
            for e in scenarios
        ]
        row("changes needed: at least", ["base", *(number(b) for b in bounds[1:])])
    row("seconds", [f"{e['seconds']:.1f}" for e in scenarios])
    console.print(table)


def print_replacements(console: Console, problem: Problem, dropout: Dropout) -> None:
    """Ranked replacements per slot of a volunteer who drops out."""
    v = dropout.volunteer
    who = escape(f"{problem.volunteer_ids[v]} {problem.volunteer_names[v]}")
    if not dropout.slots:
        console.print(f"{who} holds no slot in this roster: nothing to replace.")
        return
    lost = ", ".join(escape(problem.camp_ids[c]) for c in dropout.cancelled_if_unreplaced)
    console.print(
        f"[bold]{who} drops out[/]: left unreplaced, coverage falls by "
        f"{dropout.loss_if_unreplaced}" + (f" and camp(s) {lost} cannot run" if lost else "")
    )
    for slot, suggestions in dropout.suggestions.items():
        c, s = int(problem.candidate_camp[slot]), int(problem.candidate_skill[slot])
        title = (
            f"{problem.camp_ids[c]} {problem.camp_names[c]}: "
            f"{problem.skill_names[s]} ({problem.skill_ids[s]})"
        )
        table = Table(title=escape(title))
        for column in ("rank", "volunteer", "group", "home", "km", "coverage", "must leave"):
            table.add_column(
                column, justify="right" if column in ("rank", "km", "coverage") else "left"
            )
        for rank, option in enumerate(suggestions, start=1):
            w = option.volunteer
            group = int(problem.volunteer_group[w])
            leaves = ", ".join(
                problem.camp_ids[problem.candidate_camp[i]]
                + (" (cancelled)" if problem.candidate_camp[i] in option.cancels else "")
                for i in option.leaves
            )
            gives_up = ", ".join(
                f"{problem.volunteer_ids[problem.candidate_volunteer[i]]} gives up their place"
                for i in option.displaces
            )
            leaves = "; ".join(part for part in (leaves, gives_up) if part)
            table.add_row(
                str(rank),
                escape(f"{problem.volunteer_ids[w]} {problem.volunteer_names[w]}"),
                escape(problem.group_names[group]) if group >= 0 else "-",
                escape(problem.place_names[problem.volunteer_home[w]]),
                f"{option.km:.0f}",
                f"{option.coverage_change:+d}",
                escape(leaves) or "free",
            )
        blocked = dropout.blocked_by_locks.get(slot, 0)
        if not suggestions:
            table.add_row("-", "nobody else can fill this slot", "", "", "", "", "")
        console.print(table)
        if blocked:
            console.print(
                f"  {blocked} more could, but only by moving a locked person or cancelling "
                "a camp that holds one"
            )


def print_replan_without(console: Console, problem: Problem, replan: Replan) -> None:
    """The best whole re-plan after a dropout (see replace.replan_without): one line,
    then whom to call, by name."""
    result, diff = replan.result, replan.diff
    if not result.has_roster:
        console.print(f"Re-plan: {result.status} within the time limit.")
        return
    console.print(
        f"[bold]Best re-plan[/] ({result.status}): coverage {result.coverage:,} "
        f"(published {replan.published_coverage:,}); camps affected: "
        f"{escape(', '.join(sorted(diff.camps_affected))) or '-'}"
    )
    print_replan(
        console,
        problem,
        {**diff.as_dict(), "no_longer_possible": [], "changes_lower_bound": result.changes_bound},
    )


def print_solve_outcome(
    console: Console, outcome: SolveOutcome, quiet: bool = False, full: bool | None = None
) -> None:
    """What ``solve`` prints once the roster is written: every camp's roster (``full``;
    by default only up to ROSTERS_SHOWN_UP_TO camps, else per county and the worst
    camps), the summary, who to call after a re-plan, the reasons in short; ``quiet``:
    the summary only."""
    result, problem = outcome.result, outcome.problem
    if full is None:
        full = problem.num_camps <= ROSTERS_SHOWN_UP_TO
    if not quiet and result.has_roster and full:
        print_rosters(console, problem, result, outcome.explanation)
    elif not quiet and result.has_roster:
        print_county_summary(console, problem, result)
        print_worst_camps(console, problem, result, outcome.explanation)
        console.print(
            f"({problem.num_camps:,} camps: every roster is in the solution file "
            "and its exports; --full prints them here)",
            soft_wrap=True,
        )
    print_result_summary(console, problem, result)
    if outcome.replan is not None:
        print_replan(console, problem, outcome.replan)
    if not quiet and outcome.explanation is not None:
        print_short_explanation(console, problem, outcome.explanation)
    if outcome.output_path is not None:
        console.print(f"Solution written to {outcome.output_path}", markup=False)
