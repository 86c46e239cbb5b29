"""What-if jobs: compare scenarios side by side, and replace a volunteer who drops out."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from campplanner.app.jobs import Job, JobControl
from campplanner.app.solving import load_published
from campplanner.contract.errors import (
    CampPlannerError,
    FilesError,
    InstanceError,
    UsageError,
)
from campplanner.contract.instance import instance_from_data, load_instance, read_json
from campplanner.contract.problems import moved, problem
from campplanner.contract.schema import Instance
from campplanner.contract.solution import match_instance
from campplanner.contract.suggest import did_you_mean
from campplanner.explain import WORDS
from campplanner.io.outputs import guard_output, write_atomic
from campplanner.io.solution_reader import load_solution
from campplanner.model.baseline import baseline_from_triples
from campplanner.model.compile import compile_instance
from campplanner.model.problem import Problem
from campplanner.solver import SolveOptions
from campplanner.whatif.compare import ComparisonStopped, Measures, comparison_report
from campplanner.whatif.compare import compare as solve_scenarios
from campplanner.whatif.engines import require_engine
from campplanner.whatif.fit import Fit, fit_slot, fit_volunteer, with_new_slot
from campplanner.whatif.replace import Dropout, Replan, replan_without, suggest_replacements
from campplanner.whatif.scenario import load_scenario, read_scenario, scenario_data


def scenario_instances(
    base_path: str, scenario_paths: list[str]
) -> list[tuple[str, dict[str, Any]]]:
    """(name, instance data) of the base and of each scenario applied to it, each
    validated like an instance file (every problem names its file and edit)."""
    base = read_json(base_path, "instance")
    errors: list[InstanceError] = []
    try:
        instance_from_data(base, base_path)  # the base itself must be good
    except InstanceError as error:
        errors.append(error)
    named: list[tuple[str, dict[str, Any]]] = [("base", base)]
    for path in scenario_paths:  # every problem of every file in one run, each at its edit
        try:
            if errors and errors[0].source == base_path:
                _, issues = read_scenario(path)  # a bad base: the file's own problems only
                if issues:
                    raise InstanceError(path, issues)
            else:
                named.append(scenario_data(path, base))
        except InstanceError as error:
            errors.append(error)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise FilesError(errors)
    return named


@dataclass(frozen=True)
class Applied:
    name: str  # the scenario's name, which the instance written takes
    data: dict[str, Any]


def apply(base_path: str, scenario_path: str, output_path: str, *, force: bool = False) -> Applied:
    """Write the instance a scenario makes of ``base_path`` (the edits applied, checked
    like any instance file) to ``output_path``: what ``solve --baseline`` and every other
    command read. Nothing is written when the base or an edit has a problem."""
    guard_output(output_path, [base_path, scenario_path], force=force)
    name, data = scenario_instances(base_path, [scenario_path])[1]
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    write_atomic(output_path, gzip.compress(text.encode(), mtime=0) if _gz(output_path) else text)
    return Applied(name, data)


def _gz(path: str) -> bool:
    return path.casefold().endswith(".gz")


def compare(
    base_path: str,
    scenario_paths: list[str],
    options: SolveOptions,
    *,
    jobs: int | None = None,
    output_path: str | None = None,
    force: bool = False,
    on_done: Callable[[Measures], None] | None = None,
    control: JobControl | None = None,
    engine: str = "local",
    address: str | None = None,
    from_scratch: bool = False,
) -> dict[str, Any]:
    """Solve the base, then re-plan each scenario from its roster with the fewest changes
    (``jobs`` at a time; ``from_scratch``: solve each one independently, as ``solve``
    does), measure, diff against the base; write the report to ``output_path`` if given.
    Weights: each scenario's own file weights (its ``set_weights`` edits included), then
    ``options.weights``. Cancelling ``control`` terminates the workers
    (ComparisonStopped). ``engine`` "ray" runs the solves on Ray (a local one, or the
    cluster at ``address``)."""
    require_engine(engine)
    if output_path is not None:
        guard_output(output_path, [base_path, *scenario_paths], force=force)
    named = scenario_instances(base_path, scenario_paths)
    on_cancel = control.on_cancel if control is not None else None
    measured = solve_scenarios(
        named,
        options,
        jobs=jobs,
        on_done=on_done,
        on_cancel=on_cancel,
        engine=engine,
        address=address,
        from_scratch=from_scratch,
    )
    report = comparison_report(measured)
    if not from_scratch:
        report["notes"] = weights_notes(scenario_paths)
    if output_path is not None:
        write_atomic(output_path, json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    return report


def weights_notes(scenario_paths: list[str]) -> list[str]:
    """What a re-plan cannot show: a scenario that sets weights keeps the base's roster
    wherever coverage allows (fewer changes come before travel, groups and fairness)."""
    notes = []
    for path in scenario_paths:
        scenario = load_scenario(path)
        if any(edit.op == "set_weights" for edit in scenario.edits):
            notes.append(
                f"{scenario.name!r} sets weights: re-planned, it keeps the base "
                "roster wherever coverage allows (fewer changes come first); "
                "--from-scratch shows the roster those weights give"
            )
    return notes


def compare_job(
    base_path: str, scenario_paths: list[str], options: SolveOptions, **settings: Any
) -> Job[dict[str, Any] | ComparisonStopped]:
    """:func:`compare` as a job; a cancelled one returns its ComparisonStopped."""

    def work(control: JobControl) -> dict[str, Any] | ComparisonStopped:
        try:
            return compare(base_path, scenario_paths, options, control=control, **settings)
        except ComparisonStopped as stopped:
            return stopped

    return Job(work, "compare")


@dataclass(frozen=True)
class Replacement:
    """``replace``'s answer: ranked suggestions per slot, and the best whole re-plan."""

    problem: Problem
    dropout: Dropout
    replan: Replan | None
    note: str | None = None  # what changed in the instance since the roster was made


def replace(
    instance_path: str,
    solution_path: str,
    volunteer_id: str,
    camp_id: str | None = None,
    *,
    limit: int = 10,
    replan: bool = True,
    options: SolveOptions | None = None,
    output_path: str | None = None,
    force: bool = False,
) -> Replacement:
    """Who could take the slots ``volunteer_id`` leaves in the published roster, ranked;
    with ``replan``, also the whole re-plan with the fewest changes (``options``).
    ``output_path``: write the ranked candidates (and the re-plan's changes) as JSON."""
    if output_path is not None:  # refuse before the work, not after it
        guard_output(
            output_path,
            [instance_path, solution_path],
            force=force,
            replaceable=is_replacements_file,
        )
    instance = load_instance(instance_path)
    problem = compile_instance(instance)
    if volunteer_id not in problem.volunteer_index:
        hint = did_you_mean(volunteer_id, problem.volunteer_index)
        raise UsageError(f"--volunteer {volunteer_id}: no such volunteer in {instance_path}{hint}")
    if camp_id is not None and camp_id not in problem.camp_index:
        hint = did_you_mean(camp_id, problem.camp_index)
        raise UsageError(f"--camp {camp_id}: no such camp in {instance_path}{hint}")
    published = load_published(problem, solution_path, instance, instance_path)
    v = problem.volunteer_index[volunteer_id]
    c = None if camp_id is None else problem.camp_index[camp_id]
    dropout = suggest_replacements(problem, published.baseline.kept, v, c, limit)
    whole = None
    if replan and dropout.slots:
        whole = replan_without(
            instance,
            published.triples,
            published.cancelled,
            dropout,
            problem,
            options or SolveOptions(time_limit=20.0),
        )
    found = Replacement(problem, dropout, whole, published.note)
    if output_path is not None:
        report = replacements_report(found, instance_path, solution_path)
        write_atomic(output_path, json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    return found


REPLACEMENTS_FORMAT = "campplanner-replacements/1"


def replacements_report(
    found: Replacement, instance_path: str, solution_path: str
) -> dict[str, Any]:
    """``replace -o``: the ranked candidates per slot, by id, and the re-plan's changes."""
    report: dict[str, Any] = {
        "format": REPLACEMENTS_FORMAT,
        "instance": instance_path,
        "roster": solution_path,
        **found.dropout.as_dict(found.problem),
    }
    whole = found.replan
    if whole is not None:
        result = whole.result
        report["replan"] = {
            "status": result.status,
            "coverage": result.coverage if result.has_roster else None,
            "published_coverage": whole.published_coverage,
            "changes": whole.diff.as_dict() if result.has_roster else None,
        }
    return report


def is_replacements_file(path: Path) -> bool:
    """An earlier ``replace -o`` output, which a new one may replace without --force."""
    try:
        data = read_json(path) if path.is_file() else None
    except CampPlannerError:
        return False
    return isinstance(data, dict) and data.get("format") == REPLACEMENTS_FORMAT


@dataclass(frozen=True)
class FitAnswer:
    """``fit``'s answer: the ranking for a late volunteer or for one slot."""

    problem: Problem
    fit: Fit
    volunteer: str | None  # the late volunteer's id (``--volunteer``)
    camp: str | None  # the slot's camp and skill (``--camp --skill``)
    skill: str | None
    note: str | None = None  # what changed in the instance since the roster was made

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        """JSON-ready, reasons in ``lang`` (``fit --json``, the API)."""
        words = dict(WORDS[lang].person_why)
        head = {"volunteer": self.volunteer} if self.volunteer else {}
        if self.camp:
            head = {"camp": self.camp, "skill": self.skill}
        return {**head, **self.fit.as_dict(self.problem, words)}


def fit(
    instance_path: str,
    solution_path: str,
    *,
    volunteer_path: str | None = None,
    camp_id: str | None = None,
    skill_id: str | None = None,
    limit: int = 10,
) -> FitAnswer:
    """The best camps for a late volunteer (``volunteer_path``: one volunteer record as
    in the instance file, on no camp yet), or the best volunteers for one more slot of
    ``skill_id`` in ``camp_id``, against the published roster ``solution_path``."""
    if (volunteer_path is None) == (camp_id is None):
        raise UsageError("fit: give either --volunteer NEW.json or --camp ID --skill S")
    if camp_id is not None and skill_id is None:
        raise UsageError("fit --camp: name the slot's skill with --skill S")
    data = read_json(instance_path, "instance")
    note = None
    record = None
    if volunteer_path is not None:
        # the roster was made for the instance without them: compare with that one
        original = instance_from_data(data, instance_path)
        note = match_instance(
            load_solution(solution_path, original), solution_path, original, instance_path
        )
        record = _volunteer_record(volunteer_path)
        if isinstance(data, dict) and isinstance(data.get("volunteers"), list):
            data = {**data, "volunteers": [*data["volunteers"], record]}
    instance = _with_late_volunteer(data, instance_path, volunteer_path)
    problem = compile_instance(instance)
    published = load_published(problem, solution_path, instance, instance_path)
    roster = published.baseline.kept
    if record is not None:
        v = problem.volunteer_index[record["id"]]
        found = fit_volunteer(problem, roster, v, limit)
        return FitAnswer(problem, found, record["id"], None, None, note)
    requirement = _slot(problem, instance_path, camp_id or "", skill_id or "")
    problem = with_new_slot(problem, roster, requirement)
    found = fit_slot(problem, roster, requirement, limit)
    return FitAnswer(problem, found, None, camp_id, skill_id, published.note)


def _volunteer_record(path: str) -> dict[str, Any]:
    record = read_json(path)
    if isinstance(record, dict) and isinstance(record.get("volunteers"), list):
        raise InstanceError(path, [problem("", "record_not_list")])
    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
        raise InstanceError(path, [problem("id", "record_no_id")])
    return record


def _with_late_volunteer(data: Any, instance_path: str, volunteer_path: str | None) -> Any:
    """The instance with the late volunteer last; a problem in their record is said at
    its path in their file, not in the instance's list."""
    try:
        return instance_from_data(data, instance_path)
    except InstanceError as error:
        if volunteer_path is None or not isinstance(data, dict):
            raise
        last = f"volunteers[{len(data.get('volunteers', [])) - 1}]"
        theirs = [i for i in error.issues if i.path == last or i.path.startswith(last + ".")]
        if not theirs:
            raise
        issues = [moved(i, i.path[len(last) :].lstrip(".")) for i in theirs]
        raise InstanceError(volunteer_path, issues) from None


def _slot(problem: Problem, instance_path: str, camp_id: str, skill_id: str) -> int:
    if camp_id not in problem.camp_index:
        hint = did_you_mean(camp_id, problem.camp_index)
        raise UsageError(f"--camp {camp_id}: no such camp in {instance_path}{hint}")
    c = problem.camp_index[camp_id]
    s = problem.skill_index.get(skill_id)
    requirement = problem.requirement_index.get((c, s)) if s is not None else None
    if requirement is None:
        asked = [
            problem.skill_ids[problem.requirement_skill[r]]
            for r in range(int(problem.camp_requirements[c]), int(problem.camp_requirements[c + 1]))
        ]
        hint = did_you_mean(skill_id, asked)
        raise UsageError(
            f"--skill {skill_id}: camp {camp_id} asks for {', '.join(asked) or 'nobody'}{hint}"
        )
    return requirement


def fit_late_volunteer(
    instance: Instance,
    triples: list[tuple[str, str, str]],
    record: dict[str, Any],
    limit: int = 10,
    source: str = "the late volunteer",
) -> FitAnswer:
    """``fit --volunteer`` on an instance already open (the review page): ``record`` as
    in the instance file, ranked against the roster ``triples``."""
    data = instance.model_dump(mode="json", by_alias=True, exclude_unset=True)
    data["volunteers"] = [*data.get("volunteers", []), record]
    extended = _with_late_volunteer(data, source, source)
    problem = compile_instance(extended)
    roster = baseline_from_triples(problem, triples).kept
    found = fit_volunteer(problem, roster, problem.volunteer_index[record["id"]], limit)
    return FitAnswer(problem, found, record["id"], None, None)


def fit_open_slot(
    problem: Problem, roster: np.ndarray, camp_id: str, skill_id: str, limit: int = 10
) -> FitAnswer:
    """``fit --camp --skill`` on a problem and roster already open (the review page)."""
    requirement = _slot(problem, "this version", camp_id, skill_id)
    problem = with_new_slot(problem, roster, requirement)
    found = fit_slot(problem, roster, requirement, limit)
    return FitAnswer(problem, found, None, camp_id, skill_id)
