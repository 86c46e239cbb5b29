"""Files in and out: generate an instance, import a workbook, write the template, export."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from campplanner.contract.errors import Issue, RosterViolations, UsageError
from campplanner.io.outputs import (
    guard_folder,
    guard_output,
    refuse_without_space,
    write_atomic,
    write_outputs,
)

if TYPE_CHECKING:  # types only: the writers are imported when used
    import numpy as np

    from campplanner.contract.schema import Instance, SolutionFile
    from campplanner.model.problem import Problem
    from campplanner.report.roster import RosterView

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
    from campplanner.contract.instance import instance_from_data
    from campplanner.generate import (
        DEFAULT_SEASON,
        check_settings,
        generate_instance,
        is_generated_instance,
        refuse_beyond_memory,
        write_instance,
    )

    check_settings(volunteers=volunteers, camps=camps, groups=groups, season=season, slots=slots)
    refuse_beyond_memory(volunteers=volunteers, camps=camps)
    # refuse before the work, not after it
    guard_output(output_path, force=force, ours=is_generated_instance)
    data = generate_instance(
        volunteers=volunteers,
        camps=camps,
        groups=groups,
        season=season,
        slots=slots,
        calendar=calendar,
        seed=seed,
        name=name,
    )
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


def import_workbook(
    source: str, output_path: str, *, calendar: str | None = None, force: bool = False
) -> Imported:
    """Read a planners' workbook (or CSV folder) and write it as an instance file."""
    from campplanner.io.workbook_in import import_workbook as read_workbook

    guard_output(output_path, [source], force=force)
    result = read_workbook(source, calendar=calendar)  # type: ignore[arg-type]
    write_atomic(output_path, json.dumps(result.data, ensure_ascii=False, indent=1) + "\n")
    return Imported(output_path, result.data, list(result.warnings), result.calendar_guessed)


def write_template(path: str, source: str | None = None, *, force: bool = False) -> str:
    """Write the template workbook, or ``source`` (an instance file) as a workbook."""
    from campplanner.contract.instance import load_instance
    from campplanner.io.template import instance_workbook, template_data

    data = template_data()
    if source is not None:  # an instance file to edit in Excel
        data = load_instance(source).model_dump(exclude_none=True)
    guard_output(path, [source] if source else [], force=force)
    write_atomic(path, instance_workbook(data))
    return f"{source} as a workbook" if source else "the template workbook"


# ------------------------------------------------------------------------- export


@dataclass(frozen=True)
class Written:
    """One output of ``export``: a file, or a folder with ``files`` files of ``kinds``
    (their suffixes, upper case)."""

    path: str
    files: int | None = None  # None: a file, not a folder
    kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Exported:
    camps: int
    filled: int
    asked: int
    written: list[Written] = field(default_factory=list)
    note: str | None = None  # what changed in the instance since the roster was made


def export(
    instance_path: str,
    solution_path: str,
    outputs: dict[str, str],
    *,
    force: bool = False,
    allow_violations: bool = False,
    lang: str = "fa",
) -> Exported:
    """The roster of a solution file (or roster workbook) in each format of ``outputs``
    (format name -> file or folder; see io/formats.py), with the reasons for empty slots
    and cancelled camps in ``lang``; every output is checked before anything is written.
    A roster that breaks hard rules is refused (RosterViolations, exit 1), or with
    ``allow_violations`` exported with the violations shown in it."""
    from campplanner.check import check_roster
    from campplanner.contract.instance import load_instance
    from campplanner.contract.solution import match_instance, roster_triples
    from campplanner.io.formats import EXPORT_FORMATS
    from campplanner.io.solution_reader import load_solution
    from campplanner.report.roster import RosterView, collector_paused

    wanted = [(f, outputs[f.name]) for f in EXPORT_FORMATS if outputs.get(f.name)]
    if not wanted:
        options = ", ".join(
            f"{f.option} {'FOLDER' if f.folder else 'FILE'}" for f in EXPORT_FORMATS
        )
        raise UsageError(f"say what to write: {options}")
    inputs = [instance_path, solution_path]
    files = [(f, path) for f, path in wanted if not f.folder]
    if len({str(Path(path).resolve()) for _, path in files}) < len(files):
        raise UsageError(" and ".join(f.option for f, _ in files) + " name the same file")
    # Every output is checked before the work, and again, with what it will hold,
    # before any is written: one refused output leaves the others unwritten too.
    for export_format, path in wanted:
        if export_format.folder:
            guard_folder(path, inputs)
        else:
            guard_output(path, inputs, force=force)

    instance = load_instance(instance_path)
    solution = load_solution(solution_path, instance)
    note = match_instance(solution, solution_path, instance, instance_path)
    view = RosterView.from_solution(instance, solution, solution_path)
    checked = check_roster(instance, roster_triples(solution))
    found = [f"{v.rule}: {v.message}" for v in checked.violations]
    if found and not allow_violations:
        shown = "\n".join(f"  - {line}" for line in found[:20])
        more = f"\n  ... and {len(found) - 20} more" if len(found) > 20 else ""
        raise RosterViolations(
            f"{solution_path}: the roster breaks {len(found)} hard rule(s); nothing was "
            f"written (campplanner check says more; --allow-violations exports it marked):"
            f"\n{shown}{more}"
        )
    with collector_paused():  # millions of objects, no cycles: see collector_paused
        attach_reasons(view, instance, solution, lang)
        view = replace(view, violations=found)
        renders = [(f, path, f.render(view)) for f, path in wanted]
    out_files: list[tuple[Path, bytes]] = []
    out_folders: list[tuple[Path, dict[str, bytes]]] = []
    written = []
    for export_format, path, rendered in renders:
        if not export_format.folder:
            out_files.append((Path(path), _as_bytes(rendered)))  # type: ignore[arg-type]
            written.append(Written(path))
            continue
        folder = Path(path)
        for name in rendered if folder.exists() else ():  # type: ignore[union-attr]
            guard_output(folder / name, inputs, force=force)
        out_folders.append((folder, dict(rendered)))  # type: ignore[arg-type]
        kinds = sorted({Path(name).suffix.lstrip(".").upper() for name in rendered})
        written.append(Written(str(folder), len(rendered), tuple(kinds)))
    sizes = [(path, len(data)) for path, data in out_files]
    sizes += [(folder, sum(map(len, contents.values()))) for folder, contents in out_folders]
    refuse_without_space(sizes)
    write_outputs(out_files, out_folders)
    return Exported(len(view.camps), view.filled, view.asked, written, note)


def _as_bytes(rendered: bytes | str) -> bytes:
    return rendered.encode("utf-8") if isinstance(rendered, str) else rendered


def attach_reasons(
    view: RosterView,
    instance: Instance,
    solution: SolutionFile,
    lang: str,
    problem: Problem | None = None,
    assigned: np.ndarray | None = None,
) -> None:
    """Give each camp of ``view`` (a RosterView) why its slots are empty, or why it is
    cancelled, in ``lang``: worked out again by ``explain`` (on ``problem``, the
    instance compiled, when the caller has it, and ``assigned``, the solution's roster
    as that problem's candidates, sorted, if known); for a roster the instance does not
    allow (a hand-edited workbook), the solution file's own words, if any."""
    from campplanner.contract.solution import roster_triples
    from campplanner.explain import WORDS, RosterError, explain_roster, roster_from_assignments
    from campplanner.model.compile import compile_instance
    from campplanner.report.roster import Reason

    causes = WORDS[lang].causes
    camps = {camp.id: camp for camp in view.camps}
    problem = problem if problem is not None else compile_instance(instance)
    try:
        if assigned is None:
            assigned = roster_from_assignments(problem, roster_triples(solution))
    except RosterError:
        for slot in solution.unfilled_slots or []:
            if slot.why and slot.camp in camps:
                camps[slot.camp].slot_reasons[slot.skill] = Reason(
                    slot.reason or "", causes.get(slot.reason or "", ""), slot.why, slot.fix or ""
                )
        for entry in solution.cancelled_camps or []:
            if not isinstance(entry, str) and entry.why and entry.camp in camps:
                camps[entry.camp].reason = Reason(
                    entry.reason or "",
                    causes.get(entry.reason or "", ""),
                    entry.why,
                    entry.fix or "",
                )
        return
    explanation = explain_roster(problem, assigned, solution.status, lang)
    for slot in explanation.slots:
        skill = problem.skill_ids[problem.requirement_skill[slot.requirement]]
        camps[problem.camp_ids[slot.camp]].slot_reasons[skill] = Reason(
            slot.cause, causes[slot.cause], slot.why, slot.fix
        )
    for reason in explanation.cancelled:
        camp = camps[problem.camp_ids[reason.camp]]
        camp.reason = Reason(reason.cause, causes[reason.cause], reason.why, reason.fix)
        for short in reason.short:  # the roles that kept it from running, each its own why
            skill = problem.skill_ids[problem.requirement_skill[short.requirement]]
            camp.slot_reasons[skill] = Reason(
                short.cause, causes[short.cause], short.why, short.fix
            )
