"""The ``campplanner`` command: thin click commands that parse, call, print, and exit.

Exit codes: 0 success, 1 a check found violations, 2 bad input or usage,
3 infeasible instance, 4 no roster within the time limit.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import sys
import time
from collections.abc import Callable
from typing import Any

import click
from rich.markup import escape

from campplanner.cli.console import SafeConsole
from campplanner.cli.startup import handled, interrupted_exit
from campplanner.contract.errors import MAX_ECHOED, CampPlannerError, shorten
from campplanner.contract.languages import LANGUAGES, NAMES
from campplanner.contract.problems_fa import error_in

stdout = SafeConsole(highlight=False)
stderr = SafeConsole(stderr=True, highlight=False)


# "error:" before a refusal, in the language of the command's --lang
ERROR_WORD = {"en": "error:", "fa": "خطا:"}


def reports_errors(command: Callable[..., Any], says_lang: bool = True) -> Callable[..., Any]:
    """Turn campplanner's own errors into one message on stderr and their exit code; a
    file's problems in the language of the command's ``--lang`` when ``says_lang`` (the
    commands whose --lang is the language of what they print)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except CampPlannerError as error:
            lang = kwargs.get("lang", "en") if says_lang else "en"
            # The message quotes the user's data (ids such as "[/]"): never read it as
            # markup, and never a huge key or value whole (each line cut, contract.errors).
            lines = error_in(error, lang).split("\n")
            said = "\n".join(shorten(line, 10 * MAX_ECHOED) for line in lines)
            word = ERROR_WORD.get(lang, ERROR_WORD["en"])
            stderr.print(f"[bold red]{word}[/] {escape(said)}", highlight=False)
            sys.exit(error.exit_code)
        except MemoryError:
            # Inputs are measured against the memory limit before they are built
            # (contract/limits.py); should an estimate still fall short, one message.
            from campplanner.contract.limits import describe_limit

            stderr.print(
                f"[bold red]error:[/] ran out of memory; the limit is {escape(describe_limit())}",
                highlight=False,
            )
            sys.exit(2)
        except KeyboardInterrupt as interrupt:
            # Ctrl-C or SIGTERM outside a solve (reading, exporting, printing, a second
            # Ctrl-C): what was written stays written (outputs are atomic); exit as a
            # shell expects (130, or 143 for SIGTERM: cli.startup)
            interrupted_exit(interrupt)

    return wrapper


class CommandGroup(click.Group):
    """The ``campplanner`` group: signals handled from its first step (``cli.startup``;
    the entry point ``campplanner.cli:run`` takes them earlier still, before this
    module's imports), and an interrupt while click parses or dispatches ends as one in
    a command does, not as click's "Aborted!" and exit 1."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        with handled():
            return super().main(*args, **kwargs)

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt as interrupt:
            interrupted_exit(interrupt)
            raise

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as interrupt:
            interrupted_exit(interrupt)
            raise


@click.group(cls=CommandGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="campplanner")
def main() -> None:
    """Staff volunteer service camps: validate instances, solve rosters, check them."""


class Number(click.FloatRange):
    """A finite number in a range: ``nan`` and ``inf`` pass click's own range check
    (every comparison with nan is false), so they are refused here by name."""

    name = "number"

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return number


# CP-SAT and numpy take 32-bit seeds; a larger one would end in a traceback.
# when this module was imported: a command run long after it is not this process's own
# (app.jobs.process_started)
LOADED = time.monotonic()
SEED = click.IntRange(min=0, max=2**31 - 1)
MAX_SECONDS = 7 * 24 * 3600.0  # a week: past this a time limit is a typo


def weight_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--weight-<term> for every secondary term: they override the instance file's
    weights (model.terms.resolve_weights), and reach the command as ``weights``."""
    from campplanner.model.terms import SECONDARY

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        weights = {t.name: kwargs.pop(f"weight_{t.name}") for t in SECONDARY}
        return command(*args, weights={k: v for k, v in weights.items() if v is not None}, **kwargs)

    for term in reversed(SECONDARY):
        wrapper = click.option(
            f"--weight-{term.name}",
            type=Number(min=0, max=1e6),
            help=f"Weight of {term.title} [default: the instance file's, else "
            f"{term.default_weight:g}].",
        )(wrapper)
    return wrapper


def lang_option(
    default: str, where: str, what: str = "the reasons and fixes"
) -> Callable[..., Any]:
    return click.option(
        "--lang",
        type=click.Choice(LANGUAGES),
        default=default,
        show_default=True,
        help=f"Language of {what} {where}: "
        + ", ".join(f"{code} ({NAMES[code]})" for code in LANGUAGES)
        + ".",
    )


def time_limit_option(default: float, what: str) -> Callable[..., Any]:
    return click.option(
        "--time-limit",
        type=Number(min=0.1, max=MAX_SECONDS),
        default=default,
        show_default=True,
        help=what,
    )


def work_limit_option(what: str) -> Callable[..., Any]:
    """--work-limit: deterministic work instead of the clock (solver/work.py)."""
    return click.option(
        "--work-limit",
        type=Number(min=0.01, max=1e7),
        help=f"{what} End every phase on deterministic work (about seconds of one core's "
        "CP-SAT search on an idle machine), not on the clock: the same input, seed and "
        "options give the same roster on any machine and at any load; the time limit "
        "is then a safety net, reported when it cuts. See docs/reliability.md.",
    )


def instance_output_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """-o/--output and --force of the commands that write an instance file."""
    command = click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")(command)
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=str),
        required=True,
        help="The instance file to write; a name ending in .gz is written gzip-compressed.",
    )(command)


NOTE_HEAD = {"en": "note:", "fa": "یادداشت:"}


def note(text: str | None, lang: str = "en") -> None:
    """Something the user should know that is not an error (on stderr), in ``lang``: a
    note made as a fact (contract.why.Why) is worded in it, another said as it is."""
    if text:
        from campplanner.explain.languages import WORDS

        said = WORDS[lang].why(text)
        stderr.print(f"[yellow]{NOTE_HEAD[lang]}[/] {escape(said)}", highlight=False)


def _exit_for(result: Any, received: Any) -> None:
    """Exit 130/143 after a signal, 3 for an infeasible instance, 4 without a roster, else
    0; in each case once a solver left running by a snapshot has stopped."""
    from campplanner.app.jobs import SIGNAL_EXIT_CODES, exit_after_jobs

    if received is not None:
        exit_after_jobs(SIGNAL_EXIT_CODES[received])
    if result.status == "infeasible":
        exit_after_jobs(3)
    if not result.has_roster:
        exit_after_jobs(4)
    exit_after_jobs(0)


# ------------------------------------------------------------------------- commands


@main.command()
@click.argument("instance_file", type=click.Path(dir_okay=False, path_type=str))
@lang_option("en", "(a terminal seldom shows right-to-left text well)", "the report")
@reports_errors
def validate(instance_file: str, lang: str) -> None:
    """Check INSTANCE_FILE against the data contract and summarise it.

    Exit 0 with a summary (counts, supply per skill, camps and volunteers that cannot
    take part, warnings) when the file is good; exit 2 listing every problem, each with
    its JSON path, when it is not.
    """
    from campplanner.app.inspect import validate as validate_file
    from campplanner.cli.inspect_view import print_overview

    checked = validate_file(instance_file)
    print_overview(stdout, instance_file, checked.overview, checked.warnings, lang)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the instance file (for editors that check as you type)."""
    from campplanner.contract.schema import instance_json_schema

    click.echo(json.dumps(instance_json_schema(), indent=2, ensure_ascii=False))


def _season_days(season: tuple[str, str] | None, calendar: str) -> tuple[int, int] | None:
    """``--season FIRST LAST`` as day ordinals, or a usage error naming the option."""
    from campplanner.contract.calendar import parse_day

    if not season:
        return None
    try:
        days = (parse_day(season[0], calendar), parse_day(season[1], calendar))
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--season'") from None
    if days[1] < days[0]:
        raise click.BadParameter("LAST is before FIRST", param_hint="'--season'")
    return days


@main.command()
@click.option("--volunteers", type=click.IntRange(min=1), required=True, help="How many people.")
@click.option("--camps", type=click.IntRange(min=1), required=True, help="How many camps.")
@click.option(
    "--groups",
    type=click.IntRange(min=1),
    help="How many jihadi groups  [default: one per 18 or so volunteers]",
)
@click.option(
    "--season",
    nargs=2,
    metavar="FIRST LAST",
    help="First and last day of the season, in --calendar  [default: 1403-03-01 to 1403-06-31]",
)
@click.option(
    "--calendar",
    type=click.Choice(["gregorian", "jalali"]),
    default="jalali",
    show_default=True,
    help="The calendar of every date in the file.",
)
@click.option(
    "--slots",
    type=click.IntRange(min=1),
    help="Scale team sizes so that the camps ask for this many slots in total.",
)
@click.option("--seed", type=SEED, required=True, help="Random seed.")
@click.option("--name", help="Instance name  [default: markazi-<N>v-<C>c-seed<S>]")
@instance_output_options
@reports_errors
def generate(
    volunteers: int,
    camps: int,
    groups: int | None,
    season: tuple[str, str] | None,
    calendar: str,
    slots: int | None,
    seed: int,
    name: str | None,
    output: str,
    force: bool,
) -> None:
    """Generate a realistic Markazi instance (see docs/instances.md).

    The same options give the same file, byte for byte.
    """
    from campplanner.app.files import generate as generate_file
    from campplanner.contract.calendar import format_day

    try:
        drawn = generate_file(
            output,
            volunteers=volunteers,
            camps=camps,
            groups=groups,
            season=_season_days(season, calendar),
            slots=slots,
            calendar=calendar,
            seed=seed,
            name=name,
            force=force,
        )
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    first, last = (format_day(day, calendar) for day in drawn.season)
    stdout.print(
        f"Wrote {output}: {len(drawn.data['volunteers']):,} volunteers in "
        f"{len(drawn.data['groups']):,} groups, {len(drawn.data['camps']):,} camps asking for "
        f"{drawn.num_slots:,} slots, {first} to {last} ({calendar})",
        markup=False,
        soft_wrap=True,
    )


@main.command()
@click.argument("instance_file", type=click.Path(dir_okay=False, path_type=str))
@click.argument("solution_file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON, for scripts.")
@reports_errors
def check(instance_file: str, solution_file: str, as_json: bool) -> None:
    """Check SOLUTION_FILE against every hard rule of INSTANCE_FILE, independently of the solver.

    Recomputes rules H1..H10 and the coverage from the two files alone. Exit 0 when the
    roster obeys every rule and its claims hold, 1 when there are violations, 2 when a
    file cannot be read (each problem with its JSON path).
    """
    from campplanner.app.inspect import check as check_files
    from campplanner.cli.inspect_view import print_check_report

    report = check_files(instance_file, solution_file)
    note(report.note)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print_check_report(stdout, report)
    sys.exit(0 if report.ok else 1)


@main.command()
@click.argument("instance_file", type=click.Path(dir_okay=False, path_type=str))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=str),
    help="Write the solution file here (replaces an earlier solution file).",
)
@time_limit_option(60.0, "Seconds for the whole solve, model building included.")
@work_limit_option("Work for the whole solve.")
@click.option(
    "--workers",
    type=click.IntRange(min=1, max=64),
    default=1,
    show_default=True,
    help="Search threads; more than 1 interleaves strategies (still deterministic).",
)
@click.option("--seed", type=SEED, default=0, show_default=True, help="Random seed of the search.")
@click.option(
    "--method",
    type=click.Choice(["auto", "exact", "large", "greedy"]),
    default="auto",
    show_default=True,
    help="exact: one CP-SAT model of every rule; large: greedy, LP bound and CP-SAT on the "
    "scarce core, for full seasons; greedy: the first roster only, at once, no bound; "
    "auto: below 50,000 candidates both, the large method first and the exact model "
    "from its roster (the solution file says which won and why), large above.",
)
@click.option(
    "--secondary-time",
    type=Number(min=0, max=MAX_SECONDS),
    help="Seconds for improving travel, groups and fairness after coverage "
    "[default: max(10, 4 x the coverage stage), within the time limit].",
)
@weight_options
@click.option("--quiet", "-q", is_flag=True, help="No progress and no rosters: the summary only.")
@click.option(
    "--full/--summary",
    default=None,
    help="Print every camp's roster, or a summary per county and the worst camps "
    "[default: every roster up to 60 camps, the summary above].",
)
@click.option("--force", is_flag=True, help="Replace OUTPUT even if it is not a solution file.")
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, path_type=str),
    help="A published solution file: keep its assignments unless changing them raises "
    "coverage, change as few as possible, and print who is added, removed, moved.",
)
@click.option(
    "--freeze-until",
    metavar="DATE",
    help="With --baseline: camps starting before DATE (the instance's calendar) keep "
    "their published teams exactly, and the baseline's confirmed assignments move only "
    "to run an essential role. See docs/cli.md.",
)
@click.option(
    "--reserves",
    type=click.IntRange(min=0, max=1000),
    default=0,
    help="Then find the top K reserves per camp (20 no-show re-plans, after the "
    "time limit) for the solution file. See docs/stress.md.",
)
@click.option(
    "--history",
    type=click.Path(dir_okay=False, path_type=str),
    help="With --reserves: an attendance history (JSON, CSV or .xlsx); each person is "
    "drawn absent with their own no-show estimate. See docs/stress.md.",
)
@lang_option(
    "en",
    "printed (the progress on stderr aside) and of the reasons written to the solution file",
    "the rosters, summaries and reasons",
)
@reports_errors
def solve(
    instance_file: str,
    output: str | None,
    time_limit: float,
    work_limit: float | None,
    workers: int,
    seed: int,
    method: str,
    secondary_time: float | None,
    weights: dict[str, float],
    quiet: bool,
    full: bool | None,
    force: bool,
    baseline: str | None,
    freeze_until: str | None,
    lang: str,
    reserves: int,
    history: str | None,
) -> None:
    """Staff the camps of INSTANCE_FILE: maximise coverage, then the secondary terms.

    Prints each camp's team with unfilled slots and cancelled camps, then a summary
    (status, coverage, proven bound, gap). Ctrl-C stops the search and keeps the best
    roster so far. Exit 0 with a roster, 2 bad input, 3 infeasible, 4 no roster within
    the time limit (130/143 when interrupted).
    """
    from campplanner.app.jobs import process_started, run_in_foreground
    from campplanner.app.solving import SolveRequest, solve_job
    from campplanner.cli.solve_view import ProgressLine, print_solve_outcome
    from campplanner.solver import SolveOptions

    started = process_started(LOADED)  # the time limit covers the whole command
    options = SolveOptions(
        time_limit=time_limit,
        workers=workers,
        seed=seed,
        weights=weights,
        secondary_time=secondary_time,
        method=method,
        work_limit=work_limit,
    )
    request = SolveRequest(instance_file, options, baseline, output, force, lang, reserves, history)
    job = solve_job(dataclasses.replace(request, freeze_until=freeze_until), started)
    progress = None if quiet else ProgressLine(stderr, time_limit).follow(job)
    try:
        # --reserves re-plans the roster after the solve, on top of the time limit
        deadline = None if reserves else started + time_limit
        outcome, received = run_in_foreground(job, deadline=deadline)
    finally:
        if progress is not None:
            progress.close()
    for text in outcome.notes:
        note(text, lang)
    print_solve_outcome(stdout, outcome, quiet, full, lang)
    _exit_for(outcome.result, received)


@main.command()
@click.argument("instance_file", type=click.Path(dir_okay=False, path_type=str))
@click.argument("solution_file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--camp", "camp_id", metavar="ID", help="Only this camp: its reasons and costs.")
@click.option(
    "--volunteer",
    "volunteer_id",
    metavar="ID",
    help="Only this volunteer: costs and empty slots they were wanted for.",
)
@weight_options
@lang_option(
    "en",
    "(a terminal seldom shows right-to-left text well)",
    "every line: the reasons and fixes, the headings and tables",
)
@reports_errors
def explain(
    instance_file: str,
    solution_file: str,
    camp_id: str | None,
    volunteer_id: str | None,
    weights: dict[str, float],
    lang: str,
) -> None:
    """Say why slots of SOLUTION_FILE stay empty and camps are cancelled, and what each
    choice cost.

    For each unfilled slot and cancelled camp: the reason with evidence (skill, level,
    dates, gender, distance, forbidden, people serving elsewhere, beds, essential roles)
    and what would fix it; then coverage, road km, group splits and extra camps per camp
    and per volunteer, weighted as the instance file (or --weight-*) says. For an
    infeasible solution file: the smallest set of conflicting locks. Exit 0, or 2 for bad
    input or an unknown --camp / --volunteer.
    """
    from campplanner.app.inspect import explain as explain_files
    from campplanner.cli.explain_view import print_explained

    explained = explain_files(instance_file, solution_file, camp_id, volunteer_id, weights, lang)
    note(explained.note, lang)
    print_explained(stdout, solution_file, explained)


@main.command("import")
@click.argument("source", required=False, type=click.Path(path_type=str))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=str),
    help="The instance file (JSON) to write.",
)
@click.option(
    "--calendar",
    type=click.Choice(["gregorian", "jalali"]),
    help="The calendar of the workbook's dates  [default: the settings sheet's, else guessed "
    "from the camps' years]",
)
@click.option(
    "--template",
    type=click.Path(dir_okay=False, path_type=str),
    help="Write the template workbook (every sheet and column, with an example) to this "
    "file; with SOURCE, an instance file, write that instance as a workbook instead.",
)
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@reports_errors
def import_(
    source: str | None, output: str | None, calendar: str | None, template: str | None, force: bool
) -> None:
    """Read a planners' workbook (.xlsx) or a folder of CSV files into an instance file.

    Sheets: settings, skills, places, groups, volunteers, availability, camps,
    requirements, locked, forbidden; headers in English or Persian (docs/spreadsheets.md).
    Every problem is listed with its sheet, row and column (exit 2).
    """
    from campplanner.app.files import import_workbook, write_template
    from campplanner.contract.errors import UsageError

    if template is not None:
        if output is not None:
            raise UsageError("--template writes a workbook: give no --output")
        what = write_template(template, source, force=force)
        stdout.print(f"Wrote {what}: {template}", markup=False)
        return
    if source is None or output is None:
        raise UsageError("give the workbook (or CSV folder) to read and -o INSTANCE.json")
    imported = import_workbook(source, output, calendar=calendar, force=force)
    for warning in imported.warnings:
        stderr.print(f"[yellow]warning:[/] {escape(str(warning))}", highlight=False)
    data = imported.data
    how = " (guessed from the camps' years; use --calendar to say)"
    stdout.print(
        f"Wrote {output}: {len(data['skills'])} skills, {len(data['places'])} places, "
        f"{len(data['groups'])} groups, {len(data['volunteers'])} volunteers, "
        f"{len(data['camps'])} camps; calendar {data['calendar']}"
        + (how if imported.calendar_guessed else ""),
        markup=False,
        soft_wrap=True,
    )


def export_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """One option per export format (io/formats.py), passed on as ``outputs``."""
    from campplanner.io.formats import EXPORT_FORMATS

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        outputs = {f.name: kwargs.pop(f.name) for f in EXPORT_FORMATS}
        return command(*args, outputs=outputs, **kwargs)

    for export_format in reversed(EXPORT_FORMATS):
        kind = click.Path(
            file_okay=not export_format.folder, dir_okay=export_format.folder, path_type=str
        )
        wrapper = click.option(
            export_format.option, export_format.name, type=kind, help=export_format.help
        )(wrapper)
    return wrapper


@main.command()
@click.argument("instance_file", type=click.Path(dir_okay=False, path_type=str))
@click.argument("solution_file", type=click.Path(dir_okay=False, path_type=str))
@export_options
@click.option("--force", is_flag=True, help="Replace existing output files.")
@click.option(
    "--allow-violations",
    is_flag=True,
    help="Export a roster that breaks hard rules, showing each violation.",
)
@lang_option("fa", "in the workbook, CSV files and report")
@click.option(
    "--links",
    "links_folder",
    type=click.Path(file_okay=False, path_type=str),
    help="Write FOLDER/links-phones.csv: each volunteer's private link, phone and SMS text "
    "(needs --workspace or --db, and --base-url).",
)
@click.option("--base-url", metavar="URL", help="The server's address the links start with.")
@click.option(
    "--workspace",
    "workspace_file",
    type=click.Path(dir_okay=False, path_type=str),
    help="The workspace (SQLite file) that keeps the links.",
)
@click.option("--db", "db_url", metavar="URL", help="The workspace as a database URL instead.")
@functools.partial(reports_errors, says_lang=False)  # its --lang is the papers' language
def export(
    instance_file: str,
    solution_file: str,
    outputs: dict[str, str | None],
    force: bool,
    allow_violations: bool,
    lang: str,
    links_folder: str | None,
    base_url: str | None,
    workspace_file: str | None,
    db_url: str | None,
) -> None:
    """Export the roster in SOLUTION_FILE as a workbook, CSV files, HTML reports, the
    camp leaders' packets and/or, for a re-plan, the list of whom to call; with --links,
    each volunteer's private link and SMS text for a bulk-SMS panel.

    SOLUTION_FILE is a solution file (JSON) or a roster workbook exported earlier.
    Files that carry phone numbers say so in their names (docs/cli.md). A roster that
    breaks a hard rule is not exported (exit 1, with the violations) unless
    --allow-violations, which shows them in every output.
    """
    from campplanner.app.files import export as export_files
    from campplanner.cli.export_view import exported_line

    if links_folder:  # the volunteers' links, for a bulk-SMS panel (docs/review.md)
        _export_links(
            instance_file,
            solution_file,
            links_folder,
            workspace_file,
            db_url,
            base_url,
            force,
            lang,
        )
        if not any(outputs.values()):
            return
    done = export_files(
        instance_file,
        solution_file,
        {k: v for k, v in outputs.items() if v},
        force=force,
        allow_violations=allow_violations,
        lang=lang,
    )
    note(done.note, lang)
    stdout.print(exported_line(done, lang), markup=False, soft_wrap=True)


def _export_links(
    instance_file: str,
    solution_file: str,
    folder: str,
    workspace_file: str | None,
    db_url: str | None,
    base_url: str | None,
    force: bool,
    lang: str,
) -> None:
    from campplanner.app.links import export_links
    from campplanner.cli.export_view import links_line
    from campplanner.contract.errors import UsageError

    if not base_url:
        raise UsageError("--links needs --base-url: the address volunteers open (https://...)")
    done = export_links(
        instance_file, solution_file, folder, workspace_file, db_url, base_url, force=force
    )
    stdout.print(links_line(done, lang), markup=False, soft_wrap=True)


def _print_scenario_solved(measures: Any) -> None:
    """compare's progress: one line on stderr as each scenario is solved."""
    stderr.print(f"{escape(measures.name)}: {measures.solved}", highlight=False)


def _check_engine_address(engine: str, address: str | None) -> None:
    """``--address`` names a Ray cluster, so it goes with ``--engine ray`` only."""
    if address is not None and engine != "ray":
        raise click.UsageError("--address is for --engine ray")


def _print_event_message(event: Any) -> None:
    """A job's progress message, if it has one, as a line on stderr."""
    if event.message:
        stderr.print(escape(event.message), highlight=False)


@main.command()
@click.argument("base_file", type=click.Path(dir_okay=False, path_type=str))
@click.argument(
    "scenario_files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str)
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=str),
    help="Write the comparison as JSON here.",
)
@time_limit_option(
    60.0,
    "Seconds for each solve: the base's, then each scenario's "
    "(side by side); the command takes about twice this.",
)
@work_limit_option("Work for each solve.")
@click.option(
    "--jobs",
    type=click.IntRange(min=1, max=64),
    help="Scenarios solved at once [default: the number of CPUs].",
)
@click.option("--seed", type=SEED, default=0, show_default=True)
@weight_options
@click.option(
    "--from-scratch",
    is_flag=True,
    help="Solve each scenario independently, as solve does, instead of "
    "re-planning it from the base roster with the fewest changes; its changes "
    "against the base then include the differences between two solves.",
)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="local processes, or Ray.",
)
@click.option("--address", help="Ray cluster to join (--engine ray): auto or ray://host:port.")
@reports_errors
def compare(
    base_file: str,
    scenario_files: tuple[str, ...],
    output: str | None,
    time_limit: float,
    work_limit: float | None,
    jobs: int | None,
    seed: int,
    weights: dict[str, float],
    from_scratch: bool,
    force: bool,
    engine: str,
    address: str | None,
) -> None:
    """Solve BASE_FILE, re-plan each SCENARIO_FILE (edits applied to the base) from its
    roster with the fewest changes, as solve --baseline does, and compare them.

    Prints a table of coverage and its bound, share of slots filled, camps run and
    cancelled, unfilled slots per skill, volunteers used, road km and group splits,
    and per scenario what changed against the base (camps affected, people added,
    removed, moved, changed assignments). Scenarios are solved in parallel, each with
    its own file's weights (a set_weights edit included) unless --weight-* says
    otherwise. See docs/scenarios.md.
    """
    from campplanner.app.jobs import SIGNAL_EXIT_CODES, run_in_foreground
    from campplanner.app.scenarios import compare_job
    from campplanner.cli.solve_view import print_comparison
    from campplanner.solver import SolveOptions

    options = SolveOptions(time_limit=time_limit, seed=seed, weights=weights, work_limit=work_limit)
    _check_engine_address(engine, address)
    job = compare_job(
        base_file,
        list(scenario_files),
        options,
        jobs=jobs,
        output_path=output,
        force=force,
        on_done=_print_scenario_solved,
        engine=engine,
        address=address,
        from_scratch=from_scratch,
    )
    report, received = run_in_foreground(job)  # a signal terminates the workers
    if received is not None or not isinstance(report, dict):
        stderr.print(escape(str(report)), highlight=False)
        sys.exit(SIGNAL_EXIT_CODES.get(received, 130))  # type: ignore[arg-type]
    print_comparison(stdout, report)
    for text in report.get("notes", []):
        note(text)
    for text in report.get("warnings", []):
        stderr.print(f"[yellow]warning:[/] {escape(text)}", highlight=False)
    if output is not None:
        stdout.print(f"Comparison written to {output}", markup=False)


@main.command()
@click.argument("base_file", type=click.Path(dir_okay=False, path_type=str))
@click.argument("scenario_file", type=click.Path(dir_okay=False, path_type=str))
@instance_output_options
@reports_errors
def apply(base_file: str, scenario_file: str, output: str, force: bool) -> None:
    """Apply SCENARIO_FILE's edits to BASE_FILE and write the instance they make.

    The result is checked like any instance file (every problem named at its edit, exit
    2, nothing written). Solve it as the new plan, e.g. with --baseline the published
    roster of the base: campplanner solve OUTPUT --baseline PUBLISHED.json.
    """
    from campplanner.app.scenarios import apply as apply_scenario

    applied = apply_scenario(base_file, scenario_file, output, force=force)
    data = applied.data
    stdout.print(
        f"Wrote {output}: scenario {applied.name!r}, {len(data['volunteers']):,} volunteers, "
        f"{len(data['camps']):,} camps",
        markup=False,
        soft_wrap=True,
    )


@main.command()
@click.argument("instance_file", type=click.Path(dir_okay=False, path_type=str))
@click.argument("solution_file", type=click.Path(dir_okay=False, path_type=str))
@click.option(
    "--volunteer", "volunteer_id", required=True, metavar="ID", help="The volunteer who drops out."
)
@click.option("--camp", "camp_id", metavar="ID", help="Only their slot in this camp.")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Suggestions shown per slot.",
)
@click.option(
    "--replan/--no-replan",
    default=True,
    show_default=True,
    help="Also re-plan the whole roster with the fewest changes.",
)
@time_limit_option(20.0, "Seconds for the re-plan.")
@work_limit_option("Work for the re-plan.")
@weight_options
@click.option("--json", "as_json", is_flag=True, help="Print the suggestions as JSON.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=str),
    help="Write the ranked suggestions (and the re-plan's changes) as JSON here.",
)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@reports_errors
def replace(
    instance_file: str,
    solution_file: str,
    volunteer_id: str,
    camp_id: str | None,
    limit: int,
    replan: bool,
    time_limit: float,
    work_limit: float | None,
    weights: dict[str, float],
    as_json: bool,
    output: str | None,
    force: bool,
) -> None:
    """Suggest who replaces a volunteer who drops out of SOLUTION_FILE, ranked.

    For each slot the volunteer held: every other volunteer who could fill it, with the
    effect on coverage (against leaving it empty), the km, and the camp they would have
    to leave (and whether that camp is then cancelled). Suggestions never move a locked
    person. With --replan, also the best whole re-plan without the volunteer in those
    camps, with the fewest changes to the published roster.
    """
    from campplanner.app.scenarios import replace as replace_volunteer
    from campplanner.cli.solve_view import print_replacements, print_replan_without
    from campplanner.solver import SolveOptions

    options = SolveOptions(time_limit=time_limit, weights=weights, work_limit=work_limit)
    found = replace_volunteer(
        instance_file,
        solution_file,
        volunteer_id,
        camp_id,
        limit=limit,
        replan=replan and not as_json,
        options=options,
        output_path=output,
        force=force,
    )
    note(found.note)
    if as_json:
        click.echo(json.dumps(found.dropout.as_dict(found.problem), ensure_ascii=False, indent=1))
        return
    print_replacements(stdout, found.problem, found.dropout)
    if found.replan is not None:
        print_replan_without(stdout, found.problem, found.replan)


@main.command()
@click.argument("instance_file", type=click.Path(dir_okay=False, path_type=str))
@click.argument("solution_file", type=click.Path(dir_okay=False, path_type=str))
@click.option(
    "--volunteer",
    "volunteer_file",
    metavar="NEW.json",
    type=click.Path(dir_okay=False, path_type=str),
    help="A late volunteer: one record as in the instance file. Ranks the camps for them.",
)
@click.option("--camp", "camp_id", metavar="ID", help="The camp of a new or empty slot.")
@click.option("--skill", "skill_id", metavar="S", help="The slot's skill (with --camp).")
@click.option(
    "--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Options shown."
)
@click.option("--json", "as_json", is_flag=True, help="Print the ranking as JSON.")
@lang_option("en", "and the headings")
@reports_errors
def fit(
    instance_file: str,
    solution_file: str,
    volunteer_file: str | None,
    camp_id: str | None,
    skill_id: str | None,
    limit: int,
    as_json: bool,
    lang: str,
) -> None:
    """Recommended fit: the best camps for a late volunteer (--volunteer NEW.json), or
    the best volunteers for one more slot (--camp ID --skill S), against SOLUTION_FILE.

    Each option with its coverage change (every rule counted: slots, beds, essentials,
    conflicts, most camps), its score change, and who would have to move or give their
    place up; for a volunteer, also why each other camp is not possible.
    """
    from campplanner.app.scenarios import fit as fit_answer
    from campplanner.cli.solve_view import print_fit

    found = fit_answer(
        instance_file,
        solution_file,
        volunteer_path=volunteer_file,
        camp_id=camp_id,
        skill_id=skill_id,
        limit=limit,
    )
    note(found.note, lang)
    if as_json:
        click.echo(json.dumps(found.as_dict(lang), ensure_ascii=False, indent=1))
        return
    print_fit(stdout, found.as_dict(lang), lang)


@main.command()
@click.argument("instance_file", type=click.Path(dir_okay=False, path_type=str))
@click.argument("solution_file", required=False, type=click.Path(dir_okay=False, path_type=str))
@click.option(
    "--workspace",
    "workspace_file",
    type=click.Path(dir_okay=False, path_type=str),
    help="The workspace's SQLite file [default: INSTANCE.workspace.sqlite beside it].",
)
@click.option(
    "--db",
    "db_url",
    metavar="URL",
    help="The workspace as a database URL instead (postgresql://... for an office).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on; any other than this one needs a token.",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--token",
    help="The access token, at least 16 characters [default: none on 127.0.0.1, else a "
    "new one]. Other users of this machine can read it here: prefer --token-file or "
    "the environment variable CAMPPLANNER_TOKEN. Not used on a workspace with accounts.",
)
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False, path_type=str),
    help="Read the access token from this file (its first line).",
)
@click.option(
    "--single-user",
    is_flag=True,
    help="A new workspace without accounts, for one planner at this machine [default: a "
    "new workspace gets the province coordinator's account, its password printed once].",
)
@time_limit_option(30.0, "Seconds for each re-solve.")
@reports_errors
def serve(
    instance_file: str,
    solution_file: str | None,
    workspace_file: str | None,
    db_url: str | None,
    host: str,
    port: int,
    token: str | None,
    token_file: str | None,
    single_user: bool,
    time_limit: float,
) -> None:
    """Review and adjust rosters in the browser: a local web application.

    Opens INSTANCE_FILE (and SOLUTION_FILE, a published roster) into a workspace that
    keeps every accepted roster as a version; edits are recorded there, never written
    to the files. Persian, right to left; English with a switch. See docs/review.md.
    """
    from campplanner.web.server import ServeSettings, given_token
    from campplanner.web.server import serve as run_server

    if workspace_file and db_url:
        raise click.UsageError("--workspace and --db: give one of them")
    url = db_url or (f"sqlite:///{workspace_file}" if workspace_file else None)
    token = given_token(token, token_file)
    run_server(
        ServeSettings(
            instance_file, solution_file, url, host, port, token, time_limit, single_user
        ),
        say=lambda line: stdout.print(line, markup=False, highlight=False),
    )


@main.command()
@click.argument("instance_file", type=click.Path(dir_okay=False, path_type=str))
@click.argument("solution_file", type=click.Path(dir_okay=False, path_type=str))
@click.option(
    "--no-show",
    type=Number(min=0, max=1),
    help="Probability that each assigned volunteer is absent [default: 0.05].",
)
@click.option(
    "--rates",
    type=click.Path(dir_okay=False, path_type=str),
    help="JSON file: no_show, skills (rate per skill id), camp_cancel.",
)
@click.option(
    "--history",
    type=click.Path(dir_okay=False, path_type=str),
    help="Attendance history (JSON, CSV or .xlsx: volunteer, season, camp, came): each "
    "person is drawn with their own no-show estimate, shrunk towards --no-show or, "
    "without it, the history's rate. See docs/stress.md.",
)
@click.option("--runs", type=click.IntRange(min=1, max=1_000_000), default=200, show_default=True)
@click.option("--seed", type=SEED, default=0, show_default=True, help="Seed of the draws.")
@click.option(
    "--time-limit-per-run",
    type=Number(min=0.1, max=MAX_SECONDS),
    default=10.0,
    show_default=True,
    help="Seconds for each re-plan: the safety net of its work limit.",
)
@click.option(
    "--work-limit-per-run",
    type=Number(min=0.01, max=1e7),
    help="Deterministic work of each re-plan [default: 0.1 per second of "
    "--time-limit-per-run]: runs end on it, so the report is the same on any engine, "
    "number of workers, machine and load unless the time limit cuts a run (counted).",
)
@click.option(
    "--method",
    type=click.Choice(["auto", "large", "exact", "greedy"]),
    default="auto",
    show_default=True,
    help="The re-plan: auto is large, the re-plan of solve --baseline (coverage, "
    "then fewest changes); greedy keeps and refills, to compare with.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="local processes, or Ray.",
)
@click.option("--address", help="Ray cluster to join: auto or ray://host:port.")
@click.option(
    "--jobs",
    type=click.IntRange(min=1, max=100_000),
    help="Runs at once [default: the CPUs here, or the Ray cluster's].",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=str),
    help="Write the report as JSON here.",
)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@reports_errors
def stress(
    instance_file: str,
    solution_file: str,
    no_show: float | None,
    rates: str | None,
    history: str | None,
    runs: int,
    seed: int,
    time_limit_per_run: float,
    work_limit_per_run: float | None,
    method: str,
    engine: str,
    address: str | None,
    jobs: int | None,
    output: str | None,
    force: bool,
) -> None:
    """How robust is SOLUTION_FILE? Draw absentees RUNS times, re-plan each time with the
    fewest changes, and report coverage won back, calls, camps at risk, short skills and
    reserves per camp. Ctrl-C writes the report of the runs done. See docs/stress.md.
    """
    from campplanner.app.jobs import SIGNAL_EXIT_CODES, run_in_foreground
    from campplanner.app.stress import StressRequest, stress_job
    from campplanner.cli.stress_view import print_stress

    _check_engine_address(engine, address)
    request = StressRequest(
        *(instance_file, solution_file, no_show, rates, history, runs, seed),
        *(time_limit_per_run, method, engine, address, jobs, output, force),
        work_limit_per_run=work_limit_per_run,
    )
    job = stress_job(request).listen(_print_event_message)
    outcome, received = run_in_foreground(job)
    for text in outcome.notes:
        note(text)
    print_stress(stdout, outcome.report)
    if output is not None:
        stdout.print(f"Report written to {output}", markup=False)
    if received is not None:
        sys.exit(SIGNAL_EXIT_CODES[received])


# The accounts of a workspace (issue 23): a group of their own, in cli/users.py.
from campplanner.cli.users import audit, users  # noqa: E402

main.add_command(users)
main.add_command(audit)
