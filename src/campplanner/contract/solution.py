"""Solution files as the contract has them: validated JSON, its roster as id triples,
and which instance it was made for.

Reading a solution from a path (a JSON file or a roster workbook) is
:func:`campplanner.io.solution_reader.load_solution`, built on :func:`solution_from_data`.
This module imports nothing from ``campplanner.model`` or ``campplanner.solver``, so the
independent checker may use it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from campplanner.contract.errors import InstanceError, Issue
from campplanner.contract.instance import read_json
from campplanner.contract.kinds import refuse_other_kind
from campplanner.contract.problems import problem
from campplanner.contract.schema import (
    CONTRACT_SOLUTION_FIELDS,
    SOLUTION_FORMAT,
    Instance,
    SolutionFile,
)
from campplanner.contract.shape_errors import json_kind, pydantic_issues
from campplanner.contract.why import Why

Triple = tuple[str, str, str]  # (volunteer id, camp id, skill id)


def solution_from_data(data: Any, source: str = "<solution>") -> SolutionFile:
    """Validate already-parsed JSON data as a solution file.

    The contract's fields must be right (InstanceError lists every problem with its
    JSON path). A campplanner section in another shape (a file written by another
    tool) is left out, so that any roster the contract accepts can still be judged.
    """
    if not isinstance(data, dict):
        found = json_kind(data)
        raise InstanceError(source, [problem("", "top_not_object", found=found)])
    refuse_other_kind(data, "solution", source)
    try:
        return SolutionFile.model_validate(data)
    except ValidationError as error:
        issues = list(pydantic_issues(error, SolutionFile))
        broken = {issue.path.split(".")[0].split("[")[0] for issue in issues}
        if broken & set(CONTRACT_SOLUTION_FIELDS) or "" in broken:
            contract_issues = [
                i
                for i in issues
                if i.path.split(".")[0].split("[")[0] in (*CONTRACT_SOLUTION_FIELDS, "")
            ]
            raise InstanceError(source, contract_issues) from None
        kept = {key: value for key, value in data.items() if key not in broken}
        return SolutionFile.model_validate(kept)


def roster_triples(solution: SolutionFile) -> list[Triple]:
    """The solution's assignments as (volunteer, camp, skill) ids, in file order."""
    return [(a.volunteer, a.camp, a.skill) for a in solution.assignments]


def cancelled_camp_ids(solution: SolutionFile) -> list[str] | None:
    """The camps the solution cancelled, or None if the file does not say."""
    if solution.cancelled_camps is None:
        return None
    return [entry if isinstance(entry, str) else entry.camp for entry in solution.cancelled_camps]


def is_solution_file(path: Path) -> bool:
    """True if ``path`` is a regular file holding a campplanner solution file (which
    solve may replace): JSON whose top-level "format" says so, not a text that merely
    contains the words."""
    if not path.is_file():
        return False
    try:
        data = read_json(path)
    except InstanceError:
        return False
    return isinstance(data, dict) and data.get("format") == SOLUTION_FORMAT


# --------------------------------------------------------------- which instance


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def instance_fingerprint(instance: Instance) -> dict[str, Any]:
    """What a solution file keeps of its instance, to tell an edit from another file:
    a digest of the whole, and a short one of each volunteer and each camp."""
    data = instance.model_dump(mode="json")
    return {
        "sha256": _digest(data),
        "volunteers": {v["id"]: _digest(v)[:10] for v in data["volunteers"]},
        "camps": {c["id"]: _digest(c)[:10] for c in data["camps"]},
    }


def match_instance(
    solution: SolutionFile,
    solution_path: str,
    instance: Instance,
    instance_path: str,
    fingerprint_now: dict[str, Any] | None = None,
) -> str | None:
    """Check that ``solution`` was made for ``instance``.

    A solution that names another instance (and shares none of its fingerprint) is
    refused: InstanceError, exit 2. One made for an earlier version of this instance
    (same name, other fingerprint) is fine: the returned note says what changed since.
    ``fingerprint_now``: :func:`instance_fingerprint` of ``instance``, when the caller
    has it (a second of work on a season).
    """
    named = solution.instance
    fingerprint = solution.fingerprint
    stems = {instance.name, Path(instance_path).name.split(".")[0]}
    if fingerprint is None:
        if named and named not in stems:
            raise InstanceError(
                solution_path,
                [_other_instance(named, instance.name, instance_path)],
            )
        return None
    now = instance_fingerprint(instance) if fingerprint_now is None else fingerprint_now
    if fingerprint.sha256 == now["sha256"]:
        return None
    changed_volunteers = _changed(fingerprint.volunteers, now["volunteers"])
    changed_camps = _changed(fingerprint.camps, now["camps"])
    # An edit keeps most people as they were; another instance (another season, another
    # seed of a generator with the same ids) keeps almost none.
    same = sum(
        1 for key, value in fingerprint.volunteers.items() if now["volunteers"].get(key) == value
    )
    unrelated = same < 0.5 * max(1, len(fingerprint.volunteers))
    if named and named not in stems and unrelated:
        raise InstanceError(
            solution_path,
            [_other_instance(named, instance.name, instance_path)],
        )
    return Why(
        "instance_changed",
        path=solution_path,
        volunteers=changed_volunteers,
        camps_changed=changed_camps,
    )


def _changed(before: dict[str, str], after: dict[str, str]) -> int:
    return len(set(before) ^ set(after)) + sum(
        1 for key in set(before) & set(after) if before[key] != after[key]
    )


def _other_instance(named: str, name: str, instance_path: str | Path) -> Issue:
    return problem("instance", "other_instance", named=named, name=name, path=str(instance_path))
