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
@reports_errors
def solve(instance_file: str, output: str | None, time_limit: float, workers: int, seed: int,
          secondary_time: float | None,
          weight_travel: float | None, weight_group: float | None,
          weight_fairness: float | None, quiet: bool, force: bool) -> None:  # fmt: skip
    """Staff the camps of INSTANCE_FILE: maximise coverage, then the secondary terms.

    Prints each camp's team with unfilled slots and cancelled camps, then a summary
    (status, coverage, proven bound, gap). Ctrl-C stops the search and keeps the best
    roster so far. Exit 0 with a roster, 2 bad input, 3 infeasible, 4 no roster within
    the time limit (130/143 when interrupted).
    """
    import time

    from campplanner.loader import load_instance
    from campplanner.outputs import guard_output, write_atomic
    from campplanner.problem import compile_instance
    from campplanner.roster import DEFAULT_WEIGHTS
    from campplanner.roster_view import ProgressLine, print_result_summary, print_rosters
    from campplanner.session import SIGNAL_EXIT_CODES, run_interruptibly
    from campplanner.solution import is_solution_file, solution_json
    from campplanner.solver import CpSatSolver, SolveOptions

    started = time.monotonic()
    if output is not None:
        guard_output(output, [instance_file], force=force, replaceable=is_solution_file)
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
    )
    solver = CpSatSolver(problem, options)
    progress = None if quiet else ProgressLine(stderr, time_limit)
    result, received = run_interruptibly(solver, lambda: solver.solve(progress, started))
    if progress is not None:
        progress.close()

    if output is not None:
        write_atomic(output, solution_json(problem, result))
    if not quiet and result.has_roster:
        print_rosters(stdout, problem, result)
    print_result_summary(stdout, problem, result)
    if output is not None:
        stdout.print(f"Solution written to {output}", markup=False)
    if received is not None:
        sys.exit(SIGNAL_EXIT_CODES[received])
    if result.status == "infeasible":
        sys.exit(3)
    if not result.has_roster:
        sys.exit(4)
