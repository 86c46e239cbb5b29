"""The ``campplanner`` command: thin click commands that parse, call, print, and exit.

Exit codes: 0 success, 1 a check found violations, 2 bad input or usage,
3 infeasible instance, 4 no roster within the time limit.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from campplanner.errors import CampPlannerError

stdout = Console(highlight=False)
stderr = Console(stderr=True, highlight=False)


def reports_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn campplanner's own errors into one message on stderr and their exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except CampPlannerError as error:
            # The message quotes the user's data (ids such as "[/]"): never read it as markup.
            stderr.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False)
            sys.exit(error.exit_code)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="campplanner")
def main() -> None:
    """Staff volunteer service camps: validate instances, solve rosters, check them."""


@main.command()
@click.argument("instance_file", type=click.Path(dir_okay=False, path_type=str))
@reports_errors
def validate(instance_file: str) -> None:
    """Check INSTANCE_FILE against the data contract and summarise it.

    Exit 0 with a summary (counts, supply per skill, camps and volunteers that cannot
    take part, warnings) when the file is good; exit 2 listing every problem, each with
    its JSON path, when it is not.
    """
    from campplanner.loader import instance_warnings, load_instance
    from campplanner.overview import overview
    from campplanner.problem import compile_instance
    from campplanner.terminal import print_overview

    instance = load_instance(instance_file)
    problem = compile_instance(instance)
    print_overview(stdout, instance_file, overview(problem), instance_warnings(instance))


@main.command()
def schema() -> None:
    """Print the JSON Schema of the instance file (for editors that check as you type)."""
    from campplanner.contract import instance_json_schema

    click.echo(json.dumps(instance_json_schema(), indent=2, ensure_ascii=False))


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
@click.option("--seed", type=click.IntRange(min=0), required=True, help="Random seed.")
@click.option("--name", help="Instance name  [default: markazi-<N>v-<C>c-seed<S>]")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=str),
    required=True,
    help="The instance file to write; a name ending in .gz is written gzip-compressed.",
)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@reports_errors
def generate(volunteers: int, camps: int, groups: int | None, season: tuple[str, str] | None,
             calendar: str, slots: int | None, seed: int, name: str | None, output: str,
             force: bool) -> None:  # fmt: skip
    """Generate a realistic Markazi instance (see docs/instances.md).

    The same options give the same file, byte for byte.
    """
    from campplanner.calendar import format_day, parse_day
    from campplanner.generate import DEFAULT_SEASON, check_settings, generate_instance
    from campplanner.generate import write_instance as write_generated
    from campplanner.loader import instance_from_data
    from campplanner.outputs import guard_output

    days = None
    if season:
        try:
            days = (parse_day(season[0], calendar), parse_day(season[1], calendar))
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="'--season'") from None
        if days[1] < days[0]:
            raise click.BadParameter("LAST is before FIRST", param_hint="'--season'")
    try:
        check_settings(volunteers=volunteers, camps=camps, groups=groups, season=days, slots=slots)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    guard_output(output, force=force)  # refuse before the work, not after it

    data = generate_instance(
        volunteers=volunteers, camps=camps, groups=groups, season=days, slots=slots,
        calendar=calendar, seed=seed, name=name,
    )  # fmt: skip
    instance_from_data(data, output)  # never write a file that validate would refuse
    write_generated(data, output, force=force)
    first, last = days or DEFAULT_SEASON
    num_slots = sum(r["count"] for c in data["camps"] for r in c["requirements"])
    stdout.print(
        f"Wrote {output}: {len(data['volunteers']):,} volunteers in {len(data['groups']):,} "
        f"groups, {len(data['camps']):,} camps asking for {num_slots:,} slots, "
        f"{format_day(first, calendar)} to {format_day(last, calendar)} ({calendar})",
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
    from campplanner.check import check_solution_file
    from campplanner.terminal import print_check_report

    report = check_solution_file(instance_file, solution_file)
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
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.1),
    default=60.0,
    show_default=True,
    help="Seconds for the whole solve, model building included.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1, max=64),
    default=1,
    show_default=True,
    help="Search threads; more than 1 interleaves strategies (still deterministic).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of the search.")
@click.option(
    "--method",
    type=click.Choice(["auto", "exact", "large"]),
    default="auto",
    show_default=True,
    help="exact: one CP-SAT model of every rule; large: greedy, LP bound and CP-SAT on the "
    "scarce core, for full seasons; auto: exact below 50,000 candidates, large above.",
)
@click.option(
    "--secondary-time",
    type=click.FloatRange(min=0),
    help="Seconds for improving travel, groups and fairness after coverage "
    "[default: max(10, 4 x the coverage stage), within the time limit].",
)
@click.option("--weight-travel", type=click.FloatRange(min=0), help="Weight per road km.")
@click.option("--weight-group", type=click.FloatRange(min=0), help="Weight per group split.")
@click.option(
    "--weight-fairness",
    type=click.FloatRange(min=0),
    help="Weight per extra camp given to one volunteer.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress and no rosters: the summary only.")
@click.option("--force", is_flag=True, help="Replace OUTPUT even if it is not a solution file.")
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, path_type=str),
    help="A published solution file: keep its assignments unless changing them raises "
    "coverage, change as few as possible, and print who is added, removed, moved.",
)
@reports_errors
def solve(instance_file: str, output: str | None, time_limit: float, workers: int, seed: int,
          method: str, secondary_time: float | None,
          weight_travel: float | None, weight_group: float | None,
          weight_fairness: float | None, quiet: bool, force: bool,
          baseline: str | None) -> None:  # fmt: skip
    """Staff the camps of INSTANCE_FILE: maximise coverage, then the secondary terms.

    Prints each camp's team with unfilled slots and cancelled camps, then a summary
    (status, coverage, proven bound, gap). Ctrl-C stops the search and keeps the best
    roster so far. Exit 0 with a roster, 2 bad input, 3 infeasible, 4 no roster within
    the time limit (130/143 when interrupted).
    """
    import signal
    import time

    from campplanner.loader import load_instance
    from campplanner.outputs import guard_output, write_atomic
    from campplanner.problem import compile_instance
    from campplanner.roster import DEFAULT_WEIGHTS
    from campplanner.roster_view import ProgressLine, print_result_summary, print_rosters
    from campplanner.session import (
        SIGNAL_EXIT_CODES,
        exit_after_solving,
        process_started,
        run_interruptibly,
    )
    from campplanner.solution import is_solution_file, solution_json
    from campplanner.solver import SolveOptions, make_solver
    from campplanner.solver.anytime import explain_estimate

    started = process_started()  # the limit covers the whole command
    inputs = [instance_file] + ([baseline] if baseline else [])
    if output is not None:
        guard_output(output, inputs, force=force, replaceable=is_solution_file)

    def prepare() -> tuple[Any, list[Any], Any, Any]:
        instance = load_instance(instance_file)
        weights = dict(DEFAULT_WEIGHTS)
        for name, from_file, from_cli in (
            ("travel", instance.weights and instance.weights.travel, weight_travel),
            ("group", instance.weights and instance.weights.group, weight_group),
            ("fairness", instance.weights and instance.weights.fairness, weight_fairness),
        ):
            if from_cli is not None:
                weights[name] = from_cli
            elif from_file is not None:
                weights[name] = from_file
        problem = compile_instance(instance)
        options = SolveOptions(
            time_limit=time_limit,
            workers=workers,
            seed=seed,
            weights=weights,
            secondary_time=secondary_time,
            method=method,
        )
        published, published_roster = [], None
        if baseline is not None:
            from campplanner.check import load_solution
            from campplanner.replan import baseline_from_triples
            from campplanner.replan import published_roster as published_roster_of

            published, cancelled = published_roster_of(load_solution(baseline))
            published_roster = baseline_from_triples(problem, published, cancelled)
        solver = make_solver(problem, options, baseline=published_roster)
        return problem, published, published_roster, solver

    try:
        problem, published, published_roster, solver = prepare()
    except KeyboardInterrupt:  # Ctrl-C while reading: no roster exists yet
        stderr.print("interrupted while reading the instance: no roster written")
        sys.exit(SIGNAL_EXIT_CODES[signal.SIGINT])
    progress = None if quiet else ProgressLine(stderr, time_limit)
    # past the limit, the best roster so far (the solver's own deadline comes first)
    result, received = run_interruptibly(
        solver, lambda: solver.solve(progress, started), deadline=started + time_limit
    )
    if progress is not None:
        progress.close()

    replan = None
    if published_roster is not None and result.has_roster:
        from campplanner.replan import replan_report

        replan = replan_report(problem, published_roster, published, result.assigned,
                               result.changes, result.changes_bound)  # fmt: skip
    if received is not None and output is not None and result.has_roster:
        # Interrupted: the roster first, within the promised seconds (explaining a full
        # season's roster takes seconds more), then again with its explanation below.
        write_atomic(output, solution_json(problem, result, None, replan, explain=False))
    explanation = None
    # The reasons for empty slots take seconds on a full season: within the time limit
    # when they fit, else the roster is written without them ("explained": false).
    explain = result.has_roster and (
        received is not None  # the roster is written already: no hurry now
        or time.monotonic() + 2 * explain_estimate(problem, result.assigned)
        <= started + time_limit
    )
    if explain:
        from campplanner.explain import explain_roster

        explanation = explain_roster(problem, result.assigned, result.status)
    if output is not None:
        write_atomic(output, solution_json(problem, result, explanation, replan,
                                           explain=explanation is not None))  # fmt: skip
    if not quiet and result.has_roster:
        print_rosters(stdout, problem, result, explanation)
    print_result_summary(stdout, problem, result)
    if replan is not None:
        from campplanner.roster_view import print_replan

        print_replan(stdout, problem, replan["replan"])
    if not quiet and explanation is not None:
        from campplanner.explain_view import print_short_explanation

        print_short_explanation(stdout, problem, explanation)
    if output is not None:
        stdout.print(f"Solution written to {output}", markup=False)
    if received is not None:
        exit_after_solving(SIGNAL_EXIT_CODES[received])
    if result.status == "infeasible":
        exit_after_solving(3)
    if not result.has_roster:
        exit_after_solving(4)
    exit_after_solving(0)


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
@reports_errors
def explain(instance_file: str, solution_file: str, camp_id: str | None,
            volunteer_id: str | None) -> None:  # fmt: skip
    """Say why slots of SOLUTION_FILE stay empty and camps are cancelled, and what each
    choice cost.

    For each unfilled slot and cancelled camp: the reason with evidence (skill, level,
    dates, gender, distance, forbidden, people serving elsewhere, beds, essential roles)
    and what would fix it; then coverage, road km, group splits and extra camps per camp
    and per volunteer. For an infeasible solution file: the smallest set of conflicting
    locks. Exit 0, or 2 for bad input or an unknown --camp / --volunteer.
    """
    from campplanner.check import load_solution
    from campplanner.errors import UsageError
    from campplanner.explain import (
        explain_roster,
        objective_breakdown,
        roster_from_assignments,
        wanted_for,
    )
    from campplanner.explain_view import (
        print_camp_costs,
        print_explanation,
        print_volunteer_costs,
        print_volunteer_story,
    )
    from campplanner.loader import load_instance
    from campplanner.problem import compile_instance
    from campplanner.roster import DEFAULT_WEIGHTS

    instance = load_instance(instance_file)
    solution = load_solution(solution_file)
    problem = compile_instance(instance)
    camp = volunteer = None
    if camp_id is not None:
        camp = problem.camp_index.get(camp_id)
        if camp is None:
            raise UsageError(f"--camp: no camp {camp_id!r} in {instance_file}")
    if volunteer_id is not None:
        volunteer = problem.volunteer_index.get(volunteer_id)
        if volunteer is None:
            raise UsageError(f"--volunteer: no volunteer {volunteer_id!r} in {instance_file}")

    if solution.status in ("infeasible", "unknown") and not solution.assignments:
        _explain_no_roster(problem, solution.status)
        return
    assigned = roster_from_assignments(
        problem, [(a.volunteer, a.camp, a.skill) for a in solution.assignments]
    )
    explanation = explain_roster(problem, assigned, solution.status)
    breakdown = objective_breakdown(problem, assigned)
    weights = dict(DEFAULT_WEIGHTS)
    if instance.weights is not None:
        for name in weights:
            value = getattr(instance.weights, name)
            if value is not None:
                weights[name] = value
    stdout.print(
        f"{escape(solution_file)}: status {escape(solution.status)}, "
        f"coverage {breakdown.coverage:,}"
    )
    if volunteer is not None:
        print_volunteer_costs(stdout, problem, breakdown, weights, [volunteer], limit=None)
        wanted = wanted_for(problem, assigned, explanation, volunteer)
        print_volunteer_story(stdout, problem, volunteer, wanted)
        if camp is None:
            return
    if camp is not None:
        print_explanation(stdout, problem, explanation, camp)
        print_camp_costs(stdout, problem, breakdown, weights, [camp])
        team = sorted({int(problem.candidate_volunteer[i]) for i in assigned
                       if problem.candidate_camp[i] == camp})  # fmt: skip
        if team:
            print_volunteer_costs(stdout, problem, breakdown, weights, team, limit=None)
        return
    print_explanation(stdout, problem, explanation)
    print_camp_costs(stdout, problem, breakdown, weights)
    print_volunteer_costs(stdout, problem, breakdown, weights)


def _explain_no_roster(problem: Any, status: str) -> None:
    """An infeasible file: the locks that contradict; an unknown one: nothing to explain."""
    if status == "unknown":
        stdout.print("No roster was found in the time given: there is nothing to explain.")
        return
    from campplanner.solver.conflicts import find_lock_conflict

    if problem.impossible_locks:
        lines = [f"locked[{i}]: {why}" for i, why in problem.impossible_locks]
        head = "These locks can never hold, whatever the roster:"
    else:
        conflict = find_lock_conflict(problem)
        if conflict is None:
            stdout.print("The locks of this instance do not contradict each other (now).")
            return
        head, *lines = conflict.reasons()
        head = f"These locks contradict each other - {head}"
    stdout.print(f"[bold red]infeasible:[/] {escape(head)}")
    for line in lines:
        stdout.print(f"  {escape(line)}")


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
def import_(source: str | None, output: str | None, calendar: str | None, template: str | None,
            force: bool) -> None:  # fmt: skip
    """Read a planners' workbook (.xlsx) or a folder of CSV files into an instance file.

    Sheets: settings, skills, places, groups, volunteers, availability, camps,
    requirements, locked, forbidden; headers in English or Persian (docs/spreadsheets.md).
    Every problem is listed with its sheet, row and column (exit 2).
    """
    from campplanner.errors import UsageError
    from campplanner.outputs import guard_output, write_atomic

    if template is not None:
        if output is not None:
            raise UsageError("--template writes a workbook: give no --output")
        from campplanner.io.template import instance_workbook, template_data

        data = template_data()
        if source is not None:  # an instance file to edit in Excel
            from campplanner.loader import load_instance

            data = load_instance(source).model_dump(exclude_none=True)
        guard_output(template, [source] if source else [], force=force)
        write_atomic(template, instance_workbook(data))
        what = f"{source} as a workbook" if source else "the template workbook"
        stdout.print(f"Wrote {what}: {template}", markup=False)
        return
    if source is None or output is None:
        raise UsageError("give the workbook (or CSV folder) to read and -o INSTANCE.json")
    from campplanner.io.workbook_in import import_workbook

    guard_output(output, [source], force=force)
    result = import_workbook(source, calendar=calendar)  # type: ignore[arg-type]
    write_atomic(output, json.dumps(result.data, ensure_ascii=False, indent=1) + "\n")
    for warning in result.warnings:
        stderr.print(f"[yellow]warning:[/] {escape(str(warning))}", highlight=False)
    data = result.data
    how = (
        " (guessed from the camps' years; use --calendar to say)" if result.calendar_guessed else ""
    )
    stdout.print(
        f"Wrote {output}: {len(data['skills'])} skills, {len(data['places'])} places, "
        f"{len(data['groups'])} groups, {len(data['volunteers'])} volunteers, "
        f"{len(data['camps'])} camps; calendar {data['calendar']}{how}",
        markup=False,
        soft_wrap=True,
    )


@main.command()
@click.argument("instance_file", type=click.Path(dir_okay=False, path_type=str))
@click.argument("solution_file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--xlsx", type=click.Path(dir_okay=False, path_type=str),
              help="Write the roster workbook (right to left) here.")  # fmt: skip
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False, path_type=str),
              help="Write the roster's CSV files (UTF-8 with BOM) into this folder.")  # fmt: skip
@click.option("--html", type=click.Path(dir_okay=False, path_type=str),
              help="Write the printable HTML report here.")  # fmt: skip
@click.option("--force", is_flag=True, help="Replace existing output files.")
@reports_errors
def export(instance_file: str, solution_file: str, xlsx: str | None, csv_dir: str | None,
           html: str | None, force: bool) -> None:  # fmt: skip
    """Export the roster in SOLUTION_FILE as a workbook, CSV files and/or an HTML report.

    SOLUTION_FILE is a solution file (JSON) or a roster workbook exported earlier.
    """
    from pathlib import Path

    from campplanner.check import load_solution
    from campplanner.errors import UsageError
    from campplanner.io.roster_model import roster_view
    from campplanner.loader import load_instance
    from campplanner.outputs import guard_output, write_atomic

    if not (xlsx or csv_dir or html):
        raise UsageError("say what to write: --xlsx FILE, --csv FOLDER and/or --html FILE")
    inputs = [instance_file, solution_file]
    outputs = [path for path in (xlsx, html) if path]
    if len({str(Path(path).resolve()) for path in outputs}) < len(outputs):
        raise UsageError("--xlsx and --html name the same file")
    for path in outputs:  # refuse before the work, not after it
        guard_output(path, inputs, force=force)
    folder = Path(csv_dir) if csv_dir else None
    if folder is not None:
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"{folder}: exists and is not a folder")
        if not folder.parent.exists():
            raise UsageError(f"{folder.parent}: no such folder")

    view = roster_view(load_instance(instance_file), load_solution(solution_file), solution_file)
    written = []
    if xlsx:
        from campplanner.io.workbook_out import roster_workbook

        write_atomic(xlsx, roster_workbook(view))
        written.append(xlsx)
    if folder is not None:
        from campplanner.io.csv_out import roster_csv_files

        files = roster_csv_files(view)
        folder.mkdir(exist_ok=True)
        for name in files:
            guard_output(folder / name, inputs, force=force)
        for name, content in files.items():
            write_atomic(folder / name, content)
        written.append(f"{folder}/ ({len(files)} CSV files)")
    if html:
        from campplanner.io.html_report import roster_html

        write_atomic(html, roster_html(view))
        written.append(html)
    stdout.print(
        f"Exported {len(view.camps)} camps, {view.filled} of {view.asked} slots filled: "
        + ", ".join(written),
        markup=False,
        soft_wrap=True,
    )


@main.command()
@click.argument("base_file", type=click.Path(dir_okay=False, path_type=str))
@click.argument("scenario_files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=str))  # fmt: skip
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=str),
              help="Write the comparison as JSON here.")  # fmt: skip
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds for each solve.")  # fmt: skip
@click.option("--jobs", type=click.IntRange(min=1, max=64),
              help="Scenarios solved at once [default: the number of CPUs].")  # fmt: skip
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@reports_errors
def compare(base_file: str, scenario_files: tuple[str, ...], output: str | None,
            time_limit: float, jobs: int | None, seed: int, force: bool) -> None:  # fmt: skip
    """Solve BASE_FILE and each SCENARIO_FILE (edits applied to the base) and compare them.

    Prints a table of coverage and its bound, share of slots filled, camps run and
    cancelled, unfilled slots per skill, volunteers used, road km and group splits,
    and per scenario what changed against the base (camps affected, people added,
    removed, moved). Scenarios are solved in parallel. See docs/scenarios.md.
    """
    from campplanner.compare import compare as run_compare
    from campplanner.compare import comparison_report
    from campplanner.loader import instance_from_data, read_json
    from campplanner.outputs import guard_output, write_atomic
    from campplanner.roster_view import print_comparison
    from campplanner.scenario import apply_edits, load_scenario
    from campplanner.solver import SolveOptions

    if output is not None:
        guard_output(output, [base_file, *scenario_files], force=force)
    base = read_json(base_file)
    instance_from_data(base, base_file)  # the base itself must be good
    named = [("base", base)]
    for path in scenario_files:
        scenario = load_scenario(path)
        data = apply_edits(base, scenario, path)
        instance_from_data(data, f"{path} (applied to {base_file})")
        named.append((scenario.name, data))
    options = SolveOptions(time_limit=time_limit, seed=seed)

    def done(measures: object) -> None:
        stderr.print(f"solved {escape(measures.name)}", highlight=False)  # type: ignore[attr-defined]

    report = comparison_report(run_compare(named, options, jobs=jobs, on_done=done))
    print_comparison(stdout, report)
    if output is not None:
        write_atomic(output, json.dumps(report, ensure_ascii=False, indent=1) + "\n")
        stdout.print(f"Comparison written to {output}", markup=False)


@main.command()
@click.argument("instance_file", type=click.Path(dir_okay=False, path_type=str))
@click.argument("solution_file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--volunteer", "volunteer_id", required=True, metavar="ID",
              help="The volunteer who drops out.")  # fmt: skip
@click.option("--camp", "camp_id", metavar="ID", help="Only their slot in this camp.")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True,
              help="Suggestions shown per slot.")  # fmt: skip
@click.option("--replan/--no-replan", default=True, show_default=True,
              help="Also re-plan the whole roster with the fewest changes.")  # fmt: skip
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=20.0, show_default=True,
              help="Seconds for the re-plan.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the suggestions as JSON.")
@reports_errors
def replace(instance_file: str, solution_file: str, volunteer_id: str, camp_id: str | None,
            limit: int, replan: bool, time_limit: float, as_json: bool) -> None:  # fmt: skip
    """Suggest who replaces a volunteer who drops out of SOLUTION_FILE, ranked.

    For each slot the volunteer held: every other volunteer who could fill it, with the
    effect on coverage (against leaving it empty), the km, and the camp they would have
    to leave (and whether that camp is then cancelled). Suggestions never move a locked
    person. With --replan, also the best whole re-plan without the volunteer in those
    camps, with the fewest changes to the published roster.
    """
    from campplanner.check import load_solution
    from campplanner.errors import UsageError
    from campplanner.loader import load_instance
    from campplanner.problem import compile_instance
    from campplanner.replace import replan_without, suggest_replacements
    from campplanner.replan import baseline_from_triples, published_roster
    from campplanner.roster_view import print_replacements, print_replan_without

    instance = load_instance(instance_file)
    problem = compile_instance(instance)
    if volunteer_id not in problem.volunteer_index:
        raise UsageError(f"--volunteer {volunteer_id}: no such volunteer in {instance_file}")
    if camp_id is not None and camp_id not in problem.camp_index:
        raise UsageError(f"--camp {camp_id}: no such camp in {instance_file}")
    published, cancelled = published_roster(load_solution(solution_file))
    baseline = baseline_from_triples(problem, published, cancelled)
    v = problem.volunteer_index[volunteer_id]
    c = None if camp_id is None else problem.camp_index[camp_id]
    dropout = suggest_replacements(problem, baseline.kept, v, c, limit)
    if as_json:
        click.echo(json.dumps(dropout.as_dict(problem), ensure_ascii=False, indent=1))
        return
    print_replacements(stdout, problem, dropout)
    if replan and dropout.slots:
        print_replan_without(
            stdout, replan_without(instance, published, cancelled, dropout, problem, time_limit)
        )
