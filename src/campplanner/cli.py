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
            stderr.print(f"[bold red]error:[/] {error}", markup=True, highlight=False)
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
