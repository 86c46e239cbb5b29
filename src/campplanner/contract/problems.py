"""What is wrong with an input file, as a fact: a kind and the values it quotes.

Every problem the contract reports (and the scenario and history checks beside it) is an
:class:`~campplanner.contract.errors.Issue` with a ``kind`` (a key of
:data:`PROBLEMS_ENGLISH`) and its ``values``; its ``message`` is the English sentence,
from these templates, so every English line reads as it always did. Another language
words the same facts at the edge (``contract/problems_fa.py``): the command line under
``--lang fa`` and the review page's refusals of an uploaded file.

``hint`` is made here from ``meant`` (the id, key or op a typo probably meant), and
``listed`` from ``known``: a language words them its own way.
"""

from __future__ import annotations

from typing import Any

from campplanner.contract.errors import Issue

PROBLEMS_ENGLISH: dict[str, str] = {
    # the file as bytes and as JSON
    "empty_file": "the file is empty",
    "folder": "is a folder, not an instance file",
    "file_too_large": "the file is too large ({size:,} bytes)",
    "over_2gib": "the input is larger than 2 GiB",
    "inflates_over_2gib": "decompresses to more than 2 GiB",
    "no_file": "no such file",
    "denied": "permission denied",
    "unreadable": "cannot be read ({reason})",
    "device": "is a device or a socket, not a file",
    "gzip_damaged": "is not a valid gzip file: its compressed data is damaged",
    "gzip_truncated": "the gzip file is truncated",
    "not_utf8": "is not UTF-8 text (byte 0x{byte} at offset {offset}); save it as UTF-8",
    "bad_json": "not valid JSON at line {line}, column {column}: {reason}{truncated}",
    "json_nested": "the JSON is nested too deeply",
    "json_constant": "not valid JSON: {name} is not allowed: JSON numbers must be finite",
    "json_huge": "not valid JSON: the number {number} is too large",
    "json_digits": "not valid JSON: a whole number of more than 4,300 digits is too large",
    "json_value": "not valid JSON: {reason}",
    "duplicate_key": "the key {key!r} appears more than once",
    "top_not_object": "the top level must be a JSON object {{...}}, got {found}",
    "too_large": "{reason}",
    "wrong_kind": "this is {what}, not {wanted}: {next_step}",
    # the shape of a field (pydantic's errors, shape_errors.py)
    "missing": "required field is missing",
    "unknown_key": "unknown key {name!r}{hint}{listed}",
    "unknown_tag": "unknown {field} {tag!r}{hint}; one of: {tags}",
    "tag_missing": "the {field!r} key is missing: it says what this entry is",
    "shape": "{expected}{got}{hint}",
    # a field's own check (a ValueError of a validator, a date, a phone number)
    "not_finite": "must be a finite number",
    "date_shape": "expected a date written YYYY-MM-DD, got {text!r}",
    "not_a_day": "{text!r} is not a day of the {calendar} calendar ({reason})",
    "phone_empty": "the phone number is empty",
    "phone_abroad": "only Iranian numbers (+98) are taken; write {example}",
    "phone_letters": "a phone number holds digits only; write {example}",
    "phone_length": "a phone number has 10 digits after its 0 or +98, this one has {count} "
    "in all; write {example}",
    "email": "not an e-mail address (name@example.com)",
    # fields read together (instance.cross_check)
    "unknown_ref": "unknown {kind} {value!r}{hint}",
    "duplicate_id": "duplicate id {id!r} (also {other})",
    "range_reversed": "ends ({last}) before it starts ({first})",
    "end_before_start": "{end} is before the start {start}",
    "requirement_twice": "a second requirement for {skill!r} (first at {at}); "
    "a camp has one requirement per skill: add up the counts",
    "not_asked": "camp {camp!r} does not ask for {skill!r}",
    "other_instance": "this roster is for instance {named!r}, not {name!r} ({path}): give the "
    "instance file it was made for",
    # scenario files (whatif/scenario.py) and a late volunteer's record (app/scenarios.py)
    "edits_not_list": "expected a list [...] of edits, got {found}",
    "edit_not_object": 'an edit is an object {{"op": ...}}, got {found}',
    "op_missing": 'the "op" key is missing: it says what the edit does, one of {ops}',
    "op_not_text": "expected the name of an edit, got {found}; the ops are {ops}",
    "unknown_op": "unknown op {op!r}{hint}; the ops are {ops}",
    "unknown_rule": "unknown rule {name!r}{hint}; the rules are {rules}",
    "unknown_weight": "unknown weight {name!r}{hint}; the weights are {weights}",
    "last_before_first": "{last} is before {first}",
    "base_not_object": "the base instance is not a JSON object",
    "base_bad_here": "cannot be applied: the base instance has problems of its own here "
    "(run campplanner validate on it)",
    "no_base": "no base instance given",
    "in_edited": "{message} (in the instance the edits produce)",
    "record_not_list": "one volunteer record is expected, not a list",
    "record_no_id": "a volunteer record as in the instance file, with its id",
    # attendance histories (contract/history.py)
    "history_not_object": "a JSON object with a list 'attendance'",
    "history_format": "must be {wanted!r}, not {found!r}",
    "history_unknown": "unknown field (format, attendance, note)",
    "history_not_list": "a list of records {{volunteer, season, camp, came}}",
    "history_not_record": "a record {{volunteer, season, camp, came}}",
    "history_unknown_field": "unknown field (volunteer, season, camp, came)",
    "history_missing": "missing",
    "history_not_text": "a text (an id), not {value!r}",
    "history_empty": "empty: every record names it",
    "history_came": "true or false, not {value!r}",
    "history_twice": "the same volunteer, season and camp as {other}",
}


def english(kind: str, values: dict[str, Any]) -> str:
    """The English sentence of a problem ``kind`` with ``values``."""
    shown = dict(values)
    meant = values.get("meant")
    shown.setdefault("hint", f" (did you mean {meant!r}?)" if meant else "")
    known = values.get("known")
    shown.setdefault("listed", f"; the keys here are {', '.join(known)}" if known else "")
    return PROBLEMS_ENGLISH[kind].format(**shown)


def problem(path: str, kind: str, /, **values: Any) -> Issue:
    """An issue at ``path`` of ``kind``, its message the English sentence."""
    return Issue(path, english(kind, values), kind, values)


class Problem(ValueError):
    """A value's check that failed, as a fact: read by whoever makes the issue of it
    (:func:`issue_of`), so the kind reaches every language; ``str()`` is the English."""

    def __init__(self, kind: str, /, **values: Any):
        self.kind = kind
        self.values = values
        super().__init__(english(kind, values))


def issue_of(path: str, error: ValueError) -> Issue:
    """The issue at ``path`` of a failed check: its kind when it is a :class:`Problem`."""
    if isinstance(error, Problem):
        return Issue(path, str(error), error.kind, error.values)
    return Issue(path, str(error))


def moved(issue: Issue, path: str) -> Issue:
    """``issue`` said at another ``path`` (a problem of the edited instance at its edit)."""
    return Issue(path, issue.message, issue.kind, issue.values)
