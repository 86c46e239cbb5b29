"""What kind of file a path holds, and which command reads it: one place for every reader.

A planner gives a workbook to ``solve``, a scenario to ``solve``, an instance to
``import``, a solution where the instance goes. Each reader asks here what the file is
(from its first bytes, or from its parsed JSON) and, when it is not what the reader
takes, raises one message that names the kind found and the command that reads it,
instead of the reader's own complaint ("save it as UTF-8", "required field is missing",
"a damaged workbook").
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from campplanner.contract.errors import InstanceError, Issue

_ZIP_MAGIC = b"PK\x03\x04"
_GZIP_MAGIC = b"\x1f\x8b"
_FORMAT_FIELD = re.compile(rb'"format"\s*:\s*"([^"]{1,60})"')

# kind -> (what it is, in a planner's words; what to do with it)
KINDS: dict[str, tuple[str, str]] = {
    "instance": (
        "an instance file (the volunteers and camps)",
        "`campplanner validate`, `solve`, `explain`, `export` and `serve` read it directly",
    ),
    "solution": (
        "a solution file (a roster)",
        "`campplanner check INSTANCE SOLUTION`, `explain` and `export` read it after the instance",
    ),
    "scenario": (
        "a scenario file (edits to a base instance)",
        "`campplanner apply BASE SCENARIO -o INSTANCE.json` turns it into an instance; "
        "`campplanner compare BASE SCENARIO` solves it beside the base",
    ),
    "workbook": (
        "a workbook (.xlsx)",
        "run `campplanner import WORKBOOK -o INSTANCE.json` to make an instance file of a "
        "planners' workbook; a roster workbook from `export --xlsx` is read by `check` and "
        "`export` as the solution",
    ),
    "comparison": (
        "a comparison report (written by `campplanner compare -o`)",
        "it is a result to read, not an input",
    ),
    "stress": (
        "a stress report (written by `campplanner stress -o`)",
        "it is a result to read, not an input",
    ),
    "replacements": (
        "a list of replacements (written by `campplanner replace -o`)",
        "it is a result to read, not an input",
    ),
    "history": (
        "an attendance history (who came to the camps they were rostered for)",
        "`campplanner stress INSTANCE SOLUTION --history FILE` and `solve --reserves K "
        "--history FILE` read it",
    ),
    "json": ("a JSON file", "it is not a workbook: give it to the command that reads it"),
}

# what each reader takes, as "this is X, not Y"
EXPECTED = {
    "instance": "an instance file",
    "solution": "a solution file",
    "scenario": "a scenario file",
    "workbook": "a workbook (.xlsx) or a folder of CSV files",
    None: "a JSON file",
}

_FORMATS = {
    "campplanner/": "instance",
    "campplanner-solution/": "solution",
    "campplanner-scenario/": "scenario",
    "campplanner-comparison/": "comparison",
    "campplanner-stress/": "stress",
    "campplanner-replacements/": "replacements",
    "campplanner-history/": "history",
}


def kind_of_format(value: Any) -> str | None:
    """The kind a ``"format"`` field names, or None."""
    if isinstance(value, str):
        for prefix, kind in _FORMATS.items():
            if value.startswith(prefix):
                return kind
    return None


def kind_of_data(data: Any) -> str | None:
    """The kind of parsed JSON: by its ``format`` field, else by the keys only one kind
    has; None when it cannot be told (a reader then reports what is wrong in detail)."""
    if not isinstance(data, dict):
        return None
    named = kind_of_format(data.get("format"))
    if named is not None:
        return named
    if "volunteers" in data:
        return "instance" if "status" not in data else None
    if "edits" in data:
        return "scenario"
    if "assignments" in data or "status" in data:
        return "solution"
    return None


def kind_of_bytes(head: bytes) -> str | None:
    """The kind told by a file's first bytes: a workbook (a zip archive), JSON (plain or
    gzip; its ``format`` field, if near the start, says which), or None."""
    if head.startswith(_ZIP_MAGIC):
        return "workbook"
    if head.startswith(_GZIP_MAGIC):
        return "json"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] in (b"{", b"["):
        found = _FORMAT_FIELD.search(head)
        return (kind_of_format(found.group(1).decode("utf-8", "replace")) if found else None) or (
            "json"
        )
    return None


def kind_of_path(path: str | Path, size: int = 4096) -> str | None:
    """:func:`kind_of_bytes` of a regular file's first bytes (None for anything else)."""
    path = Path(path)
    try:
        if not path.is_file():
            return None
        with path.open("rb") as handle:
            return kind_of_bytes(handle.read(size))
    except OSError:
        return None


def wrong_kind(source: str, found: str, expected: str | None) -> InstanceError:
    """The one message for a file of another kind: what it is, what was wanted, and the
    command that reads what it is."""
    what, next_step = KINDS[found]
    step = None
    if {found, expected} == {"instance", "solution"}:
        next_step = "give the instance first, then the solution (are the two files swapped?)"
        step = "swapped"
    elif (found, expected) == ("instance", "scenario"):
        next_step = "give the base instance first, then the scenario files (docs/scenarios.md)"
        step = "base_first"
    issue = Issue(
        "",
        f"this is {what}, not {EXPECTED[expected]}: {next_step}",
        "wrong_kind",
        {"found": found, "wanted": expected, "step": step},
    )
    return InstanceError(source, [issue])


def refuse_other_kind(data: Any, expected: str, source: str) -> None:
    """Raise :func:`wrong_kind` when ``data`` is recognisably another kind of file."""
    found = kind_of_data(data)
    if found is not None and found != expected:
        raise wrong_kind(source, found, expected)
