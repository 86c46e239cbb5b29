"""Files in and out: generate an instance, import a workbook, write the template, export."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from campplanner.errors import Issue, UsageError
from campplanner.outputs import guard_output, write_atomic

# ----------------------------------------------------------------------- generate


@dataclass(frozen=True)
class Generated:
    output_path: str
    data: dict[str, Any]
    season: tuple[int, int]  # first and last day drawn (day ordinals)

    @property
    def num_slots(self) -> int:
        return sum(r["count"] for c in self.data["camps"] for r in c["requirements"])


def generate(
    output_path: str,
    *,
    volunteers: int,
    camps: int,
    seed: int,
    groups: int | None = None,
    season: tuple[int, int] | None = None,
    slots: int | None = None,
    calendar: str = "jalali",
    name: str | None = None,
    force: bool = False,
) -> Generated:
    """Draw a Markazi instance and write it (ValueError for settings that cannot work)."""
    from campplanner.generate import (
        DEFAULT_SEASON,
        check_settings,
        generate_instance,
        write_instance,
    )
    from campplanner.loader import instance_from_data

    check_settings(volunteers=volunteers, camps=camps, groups=groups, season=season, slots=slots)
    guard_output(output_path, force=force)  # refuse before the work, not after it
    data = generate_instance(volunteers=volunteers, camps=camps, groups=groups, season=season,
                             slots=slots, calendar=calendar, seed=seed, name=name)  # fmt: skip
    instance_from_data(data, output_path)  # never write a file that validate would refuse
    write_instance(data, output_path, force=force)
    return Generated(output_path, data, season or DEFAULT_SEASON)


# ------------------------------------------------------------------------- import


@dataclass(frozen=True)
class Imported:
    output_path: str
    data: dict[str, Any]
    warnings: list[Issue]
    calendar_guessed: bool


def import_workbook(source: str, output_path: str, *, calendar: str | None = None,
                    force: bool = False) -> Imported:  # fmt: skip
    """Read a planners' workbook (or CSV folder) and write it as an instance file."""
    from campplanner.io.workbook_in import import_workbook as read_workbook

    guard_output(output_path, [source], force=force)
    result = read_workbook(source, calendar=calendar)  # type: ignore[arg-type]
    write_atomic(output_path, json.dumps(result.data, ensure_ascii=False, indent=1) + "\n")
    return Imported(output_path, result.data, list(result.warnings), result.calendar_guessed)


def write_template(path: str, source: str | None = None, *, force: bool = False) -> str:
    """Write the template workbook, or ``source`` (an instance file) as a workbook."""
    from campplanner.io.template import instance_workbook, template_data
    from campplanner.loader import load_instance

    data = template_data()
    if source is not None:  # an instance file to edit in Excel
        data = load_instance(source).model_dump(exclude_none=True)
    guard_output(path, [source] if source else [], force=force)
    write_atomic(path, instance_workbook(data))
    return f"{source} as a workbook" if source else "the template workbook"


# ------------------------------------------------------------------------- export


@dataclass(frozen=True)
class Exported:
    camps: int
    filled: int
    asked: int
    written: list[str] = field(default_factory=list)


def export(
    instance_path: str,
    solution_path: str,
    *,
    xlsx: str | None = None,
    csv_dir: str | None = None,
    html: str | None = None,
    force: bool = False,
) -> Exported:
    """The roster of a solution file (or roster workbook) as a workbook, CSV files and/or
    a printable HTML report; every output is checked before anything is written."""
    from campplanner.io.roster_model import roster_view
    from campplanner.loader import load_instance
    from campplanner.solution import load_solution

    if not (xlsx or csv_dir or html):
        raise UsageError("say what to write: --xlsx FILE, --csv FOLDER and/or --html FILE")
    inputs = [instance_path, solution_path]
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

    view = roster_view(load_instance(instance_path), load_solution(solution_path), solution_path)
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
    return Exported(len(view.camps), view.filled, view.asked, written)
