"""Rosters and solve summaries for the terminal (rich); data from files is escaped."""

from __future__ import annotations

import threading
import time
from typing import Any

import numpy as np
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from campplanner.app.jobs import Job, ProgressEvent
from campplanner.app.solving import WORST_CAMPS, SolveOutcome
from campplanner.cli.explain_view import print_short_explanation
from campplanner.contract.calendar import persian_date, to_persian_digits
from campplanner.explain.languages import WORDS
from campplanner.model.problem import Problem
from campplanner.model.terms import SECONDARY
from campplanner.report.roster import RosterView
from campplanner.solver.result import Result
from campplanner.whatif.compare import REPLANNED
from campplanner.whatif.diff import changes_claim, proven_fewest
from campplanner.whatif.replace import Dropout, Replan

# What ``solve`` prints around the rosters, per language (``--lang``): the reasons are
# explain's words (explain_view), ids and names as the file writes them, numbers in
# the language's digits (``_num``). The progress on stderr stays the solver's English.
SOLVE_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "heading": "{id}  {name}  |  {place}{county}  |  {start} .. {end}  |  priority "
        "{priority}  |  {members}/{capacity} beds",
        "cancelled": "CANCELLED",
        "nobody_assigned": "nobody assigned",
        "col:role": "role",
        "col:name": "name",
        "col:group": "group",
        "col:home": "home",
        "col:km": "km",
        "unfilled": "unfilled x{n}",
        "per_county": "Per county",
        "col:county": "county",
        "col:camps": "camps",
        "col:run": "run",
        "col:cancelled": "cancelled",
        "col:slots filled": "slots filled",
        "col:share": "share",
        "of": "{part} of {whole}",
        "percent": "{n}%",
        "worst": "The {n} camps that lose most coverage",
        "col:camp": "camp",
        "col:priority": "priority",
        "col:filled": "filled",
        "col:status": "status",
        "col:next": "next",
        "short": "short",
        "cancelled_camp": "cancelled",
        "for_each": "For each camp's evidence and what would fix it: {command}{after}",
        "solve_first": " (solve again with -o SOLUTION.json first)",
        "summary": "Summary",
        "row:status": "status",
        "row:coverage": "coverage",
        "row:proven bound": "proven bound",
        "row:gap": "gap",
        "row:camps run": "camps run",
        "row:camps cancelled": "camps cancelled",
        "row:slots filled": "slots filled",
        "row:volunteers used": "volunteers used",
        "row:infeasible because": "infeasible because",
        "see_below": "see below",
        "row:seconds": "seconds",
        "infeasible_because": "Infeasible because:",
        "per_skill": "Slots filled per skill",
        "col:skill": "skill",
        "col:asked": "asked",
        "all_in_file": "({n} camps: every roster is in the solution file and its exports; "
        "--full prints them here)",
        "written": "Solution written to {path}",
    },
    "fa": {
        "heading": "{id}  {name}  |  {place}{county}  |  {start} تا {end}  |  اولویت "
        "{priority}  |  {members} از {capacity} تخت",
        "cancelled": "لغو شد",
        "nobody_assigned": "کسی گمارده نشد",
        "col:role": "نقش",
        "col:name": "نام",
        "col:group": "گروه",
        "col:home": "محل سکونت",
        "col:km": "کیلومتر",
        "unfilled": "{n} جای خالی",
        "per_county": "به تفکیک شهرستان",
        "col:county": "شهرستان",
        "col:camps": "اردوها",
        "col:run": "برپا",
        "col:cancelled": "لغوشده",
        "col:slots filled": "جاهای پرشده",
        "col:share": "سهم",
        "of": "{part} از {whole}",
        "percent": "{n}٪",
        "worst": "{n} اردویی که بیشترین پوشش را از دست می‌دهند",
        "col:camp": "اردو",
        "col:priority": "اولویت",
        "col:filled": "پرشده",
        "col:status": "وضعیت",
        "col:next": "گام بعد",
        "short": "کم‌نفر",
        "cancelled_camp": "لغوشده",
        "for_each": "شواهد هر اردو و راه‌حل آن: {command}{after}",
        "solve_first": " (نخست دوباره با -o SOLUTION.json حل کنید)",
        "summary": "خلاصه",
        "row:status": "وضعیت",
        "row:coverage": "پوشش",
        "row:proven bound": "کران اثبات‌شده",
        "row:gap": "فاصله تا کران",
        "row:camps run": "اردوهای برپا",
        "row:camps cancelled": "اردوهای لغوشده",
        "row:slots filled": "جاهای پرشده",
        "row:volunteers used": "داوطلبان به‌کاررفته",
        "row:infeasible because": "ناشدنی است زیرا",
        "see_below": "پایین‌تر",
        "row:seconds": "ثانیه",
        "infeasible_because": "ناشدنی است زیرا:",
        "per_skill": "جاهای پرشده به تفکیک مهارت",
        "col:skill": "شناسه",
        "col:asked": "خواسته‌شده",
        "all_in_file": "({n} اردو: همهٔ برنامه‌ها در پروندهٔ راه‌حل و خروجی‌های آن است؛ "
        "--full آن‌ها را این‌جا چاپ می‌کند)",
        "written": "برنامه در {path} نوشته شد",
    },
}
STOPPED_FA = {"time limit": "مهلت زمانی", "interrupted": "قطع شد"}


def _num(value: float, lang: str, spec: str = ",") -> str:
    """A number as ``lang`` writes it: Persian digits and separators under fa."""
    text = format(value, spec)
    if lang != "fa":
        return text
    return to_persian_digits(text.replace(",", "٬").replace(".", "٫"))


def _day(day: str, lang: str) -> str:
    return persian_date(day) if lang == "fa" else day


def print_rosters(
    console: Console, view: RosterView, explanation: object = None, lang: str = "en"
) -> None:
    """Per camp, in the instance's order: name, village and county, dates, the team,
    unfilled slots, cancellation (with its reason when ``explanation``, a
    :class:`campplanner.explain.Explanation`, is given), in ``lang``."""
    words = SOLVE_WORDS[lang]
    why_cancelled = {reason.camp: reason.why for reason in getattr(explanation, "cancelled", ())}
    for camp in view.in_file_order:
        heading = words["heading"].format(
            id=camp.id,
            name=camp.name,
            place=camp.place_name,
            county=f" ({camp.county_id})" if camp.county_id else "",
            start=_day(camp.start, lang),
            end=_day(camp.end, lang),
            priority=_num(camp.priority, lang),
            members=_num(len(camp.members), lang),
            capacity=_num(camp.capacity, lang),
        )
        if not camp.runs:
            why = why_cancelled.get(camp.index, words["nobody_assigned"])
            console.print(
                f"[bold]{escape(heading)}[/]  [red]{words['cancelled']}[/]: {escape(why)}"
            )
            continue
        console.print(f"[bold]{escape(heading)}[/]")
        table = Table()
        for column in ("role", "name", "group", "home", "km"):
            table.add_column(words[f"col:{column}"], justify="right" if column == "km" else "left")
        for member in camp.members:
            table.add_row(
                escape(member.skill_name),
                escape(member.volunteer_name),
                escape(member.group_name) if member.group_name else "-",
                escape(member.home_name),
                _num(member.road_km, lang, ".0f"),
            )
        for slot in camp.slots:
            if slot.missing:
                table.add_row(
                    escape(slot.skill_name),
                    f"[red]{words['unfilled'].format(n=_num(slot.missing, lang))}[/]",
                    "",
                    "",
                    "",
                    style="dim",
                )
        console.print(table)


ROSTERS_SHOWN_UP_TO = 60  # camps; a season's 54,000 lines are a summary by default


def _share(part: int, whole: int, lang: str) -> str:
    if not whole:
        return "-"
    return SOLVE_WORDS[lang]["percent"].format(n=_num(100 * part / whole, lang, ".0f"))


def print_county_summary(console: Console, view: RosterView, lang: str = "en") -> None:
    """Per county (by the instance's id of it): camps run and cancelled, slots asked and
    filled."""
    words = SOLVE_WORDS[lang]
    table = Table(title=words["per_county"])
    for column in ("county", "camps", "run", "cancelled", "slots filled", "share"):
        table.add_column(words[f"col:{column}"], justify="left" if column == "county" else "right")
    for county in sorted(view.totals.counties, key=lambda total: total.id or "-"):
        table.add_row(
            escape(county.id or "-"),
            _num(county.camps, lang),
            _num(county.run, lang),
            _num(county.cancelled, lang),
            words["of"].format(part=_num(county.filled, lang), whole=_num(county.asked, lang)),
            _share(county.filled, county.asked, lang),
        )
    console.print(table)


def print_worst_camps(
    console: Console,
    view: RosterView,
    explanation: object = None,
    files: tuple[str, str | None] | None = None,
    lang: str = "en",
) -> None:
    """The camps that lose most coverage, cancelled ones and those with empty slots,
    each with its cause (from ``explanation``, the whole roster's or these camps',
    when given) and the command that gives the evidence and the fix. ``files``: the
    instance and the solution file written (None: not written), for that command."""
    worst = view.worst(WORST_CAMPS)
    if not worst:
        return
    words, names = SOLVE_WORDS[lang], WORDS[lang].causes
    causes: dict[int, str] = {}
    for reason in getattr(explanation, "slots", ()):  # the first empty role's cause
        causes.setdefault(reason.camp, names[reason.cause])
    for reason in getattr(explanation, "cancelled", ()):
        causes[reason.camp] = names[reason.root_cause]
    table = Table(title=words["worst"].format(n=_num(len(worst), lang)))
    for column in ("camp", "priority", "filled", "status", "next"):
        right = column in ("priority", "filled")
        table.add_column(words[f"col:{column}"], justify="right" if right else "left")
    for camp in worst:
        status = words["short"] if camp.runs else words["cancelled_camp"]
        if camp.index in causes:
            status += f": {causes[camp.index]}"
        table.add_row(
            escape(camp.label),
            _num(camp.priority, lang),
            words["of"].format(part=_num(camp.filled, lang), whole=_num(camp.asked, lang)),
            escape(status),
            escape(f"explain --camp {camp.id}"),
        )
    console.print(table)
    instance, solution = files if files is not None else ("INSTANCE", "SOLUTION")
    command = f"campplanner explain {instance} {solution or 'SOLUTION.json'} --camp ID"
    after = "" if files is None or solution else words["solve_first"]
    console.print(
        words["for_each"].format(command=escape(command), after=after),
        soft_wrap=True,
    )


def _status(result: Result, lang: str) -> str:
    """The result's status (and what cut it short) in ``lang``."""
    if lang != "fa":
        return result.status + (f" ({result.stopped_by})" if result.stopped_by else "")
    status = WORDS["fa"].say("{status:status}", {"status": result.status})
    stopped = STOPPED_FA.get(result.stopped_by or "", result.stopped_by)
    return status + (f" ({stopped})" if stopped else "")


def print_result_summary(
    console: Console, result: Result, view: RosterView | None, lang: str = "en"
) -> None:
    """Status, coverage, bound and gap, camps run and cancelled, slots per skill, km
    (``view``: the read model of the result's roster, None when it has none)."""
    words = SOLVE_WORDS[lang]

    def of(part: int, whole: int) -> str:
        return words["of"].format(part=_num(part, lang), whole=_num(whole, lang))

    table = Table(title=words["summary"], show_header=False)
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row(words["row:status"], escape(_status(result, lang)))
    if view is not None:
        totals = view.totals
        gap = "-"
        if result.gap is not None:
            gap = words["percent"].format(n=_num(100 * result.gap, lang, ".2f"))
        bound = result.coverage_bound
        table.add_row(words["row:coverage"], _num(result.coverage, lang))
        table.add_row(words["row:proven bound"], _num(bound, lang) if bound is not None else "-")
        table.add_row(words["row:gap"], gap)
        table.add_row(words["row:camps run"], of(totals.run, totals.camps))
        table.add_row(words["row:camps cancelled"], _num(totals.cancelled, lang))
        table.add_row(words["row:slots filled"], of(totals.filled, totals.asked))
        table.add_row(words["row:volunteers used"], _num(totals.volunteers_sent, lang))
        if result.terms is not None:
            for term in SECONDARY:
                title = term.title_fa if lang == "fa" else term.title
                table.add_row(title, _num(result.terms[term.name], lang, ",.0f"))
    if result.infeasible_reasons:  # listed under the table: long lines read badly in it
        table.add_row(words["row:infeasible because"], words["see_below"])
    if result.timings:
        seconds = result.timings.get("total", sum(result.timings.values()))
        table.add_row(words["row:seconds"], _num(seconds, lang, ".1f"))
    console.print(table)
    if result.infeasible_reasons:
        console.print(f"[bold red]{words['infeasible_because']}[/]")
        for reason in result.infeasible_reasons:
            console.print(f"  {escape(WORDS[lang].why(reason))}")
    if view is not None:
        print_slots_per_skill(console, view, lang)


def print_slots_per_skill(console: Console, view: RosterView, lang: str = "en") -> None:
    words = SOLVE_WORDS[lang]
    table = Table(title=words["per_skill"])
    for column in ("skill", "name", "filled", "asked", "share"):
        left = column in ("skill", "name")
        table.add_column(words[f"col:{column}"], justify="left" if left else "right")
    for skill in view.totals.skills:
        table.add_row(
            escape(skill.id),
            escape(skill.name),
            _num(skill.filled, lang),
            _num(skill.asked, lang),
            _share(skill.filled, skill.asked, lang),
            style="red" if skill.missing else None,
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


# Who to call after a re-plan, in Persian (``solve --baseline ... --lang fa``); the
# English is the lines' own. Why a published assignment no longer holds is a fact
# (contract.why.Why), worded by the language's ``lock_why``.
REPLAN_FA = {
    "head": "تغییرها نسبت به برنامهٔ منتشرشده",
    "counts": "{changed} گمارش، {people} نفر برای تماس؛ ",
    "fewest": "کمترین تعداد ممکن (اثبات‌شده)",
    "not_proven": "کمترین بودنش اثبات نشده",
    "at_least": "دست‌کم {n} لازم است (کرانی پایین، که رسیدن به آن اثبات نشده)",
    "no_longer": "دیگر ممکن نیست",
    "in": "در",
    "title": "با چه کسانی تماس بگیرید",
    "col:change": "تغییر",
    "col:volunteer": "داوطلب",
    "col:from": "از",
    "col:to": "به",
    "added": "افزوده",
    "removed": "برداشته",
    "moved": "جابه‌جا",
}


def _claim_fa(changes: int, bound: int | None) -> str:
    if proven_fewest(changes, bound):
        return REPLAN_FA["fewest"]
    if bound is None:
        return REPLAN_FA["not_proven"]
    return REPLAN_FA["at_least"].format(n=_num(bound, "fa"))


def print_replan(console: Console, problem: Problem, replan: dict, lang: str = "en") -> None:
    """Who to call after a re-plan: added, removed, moved; and how close to minimal."""
    names = dict(zip(problem.volunteer_ids, problem.volunteer_names, strict=True))
    persian = lang == "fa"
    fa = REPLAN_FA

    def who(volunteer: str) -> str:
        return escape(f"{volunteer} {names.get(volunteer, '')}".strip())

    def where(places: list) -> str:
        joined = "، " if persian else ", "
        return escape(joined.join(f"{camp} ({skill})" for camp, skill in places))

    changed, bound = replan["changed_assignments"], replan.get("changes_lower_bound")
    if persian:
        counts = fa["counts"].format(
            changed=_num(changed, lang), people=_num(replan["people_changed"], lang)
        )
        console.print(f"[bold]{fa['head']}[/]: {counts}{_claim_fa(changed, bound)}")
    else:
        console.print(
            f"[bold]Changes against the published roster[/]: {changed:,} assignment(s), "
            f"{replan['people_changed']:,} people to call; " + changes_claim(changed, bound)
        )
    for entry in replan["no_longer_possible"]:
        gone = fa["no_longer"] if persian else "no longer possible"
        console.print(
            f"  [red]{gone}[/] {who(entry['volunteer'])} {fa['in'] if persian else 'in'} "
            f"{escape(entry['camp'])}: {escape(WORDS[lang].why(entry['why']))}"
        )
    table = Table(title=fa["title"] if persian else "Who to call")
    for column in ("change", "volunteer", "from", "to"):
        table.add_column(fa[f"col:{column}"] if persian else column)

    def kind(change: str) -> str:
        return fa[change] if persian else change

    for entry in replan["added"]:
        table.add_row(kind("added"), who(entry["volunteer"]), "-", where(entry["to"]))
    for entry in replan["removed"]:
        table.add_row(kind("removed"), who(entry["volunteer"]), where(entry["from"]), "-")
    for entry in replan["moved"]:
        table.add_row(
            kind("moved"), who(entry["volunteer"]), where(entry["from"]), where(entry["to"])
        )
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
    row("search", [e.get("search", "-") for e in scenarios])
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
    console: Console,
    outcome: SolveOutcome,
    quiet: bool = False,
    full: bool | None = None,
    lang: str = "en",
) -> None:
    """What ``solve`` prints once the roster is written: every camp's roster (``full``;
    by default only up to ROSTERS_SHOWN_UP_TO camps, else per county and the worst
    camps), the summary, who to call after a re-plan, the reasons in short; ``quiet``:
    the summary only; in ``lang`` (the progress on stderr in English)."""
    result, problem = outcome.result, outcome.problem
    words = SOLVE_WORDS[lang]
    view = outcome.view
    if view is None and result.has_roster:
        view = RosterView.from_result(problem, result)
    if full is None:
        full = problem.num_camps <= ROSTERS_SHOWN_UP_TO
    if not quiet and view is not None and full:
        print_rosters(console, view, outcome.explanation, lang)
    elif not quiet and view is not None:
        print_county_summary(console, view, lang)
        print_worst_camps(
            console,
            view,
            outcome.explanation or outcome.worst,
            (outcome.instance_path, outcome.output_path),
            lang,
        )
        console.print(words["all_in_file"].format(n=_num(problem.num_camps, lang)), soft_wrap=True)
    print_result_summary(console, result, view, lang)
    if outcome.replan is not None:
        print_replan(console, problem, outcome.replan, lang)
    if not quiet and outcome.explanation is not None:
        print_short_explanation(console, problem, outcome.explanation)
    if outcome.output_path is not None:
        console.print(words["written"].format(path=outcome.output_path), markup=False)


# The headings of ``campplanner fit``, per language (the reasons are explain's words).
FIT_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "for_volunteer": "The best camps for {who}",
        "for_slot": "The best volunteers for one more {skill} slot in {camp}",
        "rank": "rank",
        "camp": "camp",
        "volunteer": "volunteer",
        "skill": "role",
        "coverage": "coverage",
        "score": "score",
        "km": "km",
        "moves": "who has to move",
        "free": "nobody",
        "gives_up": "{who} gives up their {skill} place here",
        "leaves": "{who} leaves {camp}",
        "cancels": "{camp} cancelled",
        "moves_to": "{who} moves to {skill} in {camp}",
        "none": "no option raises coverage",
        "not_possible": "Camps not possible",
        "blocked": "{n} more could only by moving a locked person",
        "score_note": "score: the change of the weighted secondary cost (lower is better)",
        "join": "; ",
    },
    "fa": {
        "for_volunteer": "بهترین اردوها برای {who}",
        "for_slot": "بهترین داوطلبان برای یک جای دیگر {skill} در {camp}",
        "rank": "رتبه",
        "camp": "اردو",
        "volunteer": "داوطلب",
        "skill": "نقش",
        "coverage": "پوشش",
        "score": "امتیاز",
        "km": "کیلومتر",
        "moves": "چه کسی باید جابه‌جا شود",
        "free": "هیچ‌کس",
        "gives_up": "{who} جای {skill} خود را در این اردو می‌دهد",
        "leaves": "{who} از {camp} می‌رود",
        "cancels": "{camp} لغو می‌شود",
        "moves_to": "{who} برای {skill} به {camp} می‌رود",
        "none": "هیچ گزینه‌ای پوشش را بالا نمی‌برد",
        "not_possible": "اردوهایی که ممکن نیست",
        "blocked": "{n} نفر دیگر فقط با جابه‌جایی یک فرد قفل‌شده",
        "score_note": "امتیاز: تغییر هزینهٔ وزن‌دار هدف‌های فرعی (کمتر بهتر است)",
        "join": "؛ ",
    },
}


def _fit_number(value: float, spec: str, lang: str) -> str:
    """A number of ``fit``'s table as ``lang`` writes it (Persian digits and separators)."""
    text = format(value, spec)
    return to_persian_digits(text.replace(".", "٫")) if lang == "fa" else text


def print_fit(console: Console, answer: dict[str, Any], lang: str) -> None:
    """``campplanner fit``: the ranking (``FitAnswer.as_dict``) as a table, and the camps
    a late volunteer cannot serve, each with why."""
    words = FIT_WORDS[lang]
    by_volunteer = "volunteer" in answer
    if by_volunteer:
        title = words["for_volunteer"].format(who=answer["volunteer"])
    else:
        title = words["for_slot"].format(skill=answer["skill"], camp=answer["camp"])
    table = Table(title=escape(title))
    first = "camp" if by_volunteer else "volunteer"
    for column in ("rank", first, "skill", "coverage", "score", "km", "moves"):
        numeric = column in ("rank", "coverage", "score", "km")
        table.add_column(words[column], justify="right" if numeric else "left")
    for rank, option in enumerate(answer["options"], start=1):
        moves = [
            words["gives_up"].format(who=d["volunteer"], skill=d["skill"])
            for d in option["displaces"]
        ]
        moves += [
            words["leaves"].format(who=d["volunteer"], camp=d["camp"]) for d in option["leaves"]
        ]
        moves += [words["cancels"].format(camp=c) for c in option["cancels"]]
        if option.get("moved_to"):
            there = option["moved_to"]
            moves.append(
                words["moves_to"].format(
                    who=there["volunteer"], skill=there["skill"], camp=there["camp"]
                )
            )
        table.add_row(
            _fit_number(rank, "d", lang),
            escape(option[first]),
            escape(option["skill"]),
            _fit_number(option["coverage_change"], "+d", lang),
            _fit_number(option["score_change"], "+.1f", lang),
            _fit_number(option["km"], ".0f", lang),
            escape(words["join"].join(moves)) or words["free"],
        )
    if not answer["options"]:
        table.add_row("-", words["none"], "", "", "", "", "")
    console.print(table)
    console.print(words["score_note"])
    if answer.get("blocked_by_locks"):
        console.print(words["blocked"].format(n=_fit_number(answer["blocked_by_locks"], "d", lang)))
    if answer["not_possible"]:
        console.print(f"[bold]{words['not_possible']}[/]")
        for entry in answer["not_possible"]:
            console.print(f"  {escape(entry['camp'])}: {escape(entry['why'])}")
