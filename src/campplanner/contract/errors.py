"""Errors a user can cause, each turned by the CLI into a clear message and exit code 2."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# A message quotes the user's data (a key, an id, a value): a 20 MB key was echoed whole
# (10 MB of stderr, minutes of terminal wrapping). What is quoted is cut to this much.
MAX_ECHOED = 200


def shorten(text: str, limit: int = MAX_ECHOED) -> str:
    """``text``, or its first ``limit`` characters and how long it was."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text):,} characters)"


@dataclass(frozen=True)
class Issue:
    """One problem (or warning) in an input file, located by its JSON path. A warning
    also names its ``kind`` and the ``values`` it quotes, for a front end to say it in
    its own language (``cli/inspect_view.WARNINGS_FA``); ``message`` is the English."""

    path: str  # "camps[3].requirements[0].skill", or "" for the whole file
    message: str
    kind: str = field(default="", compare=False)
    values: Mapping[str, object] = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        # the path and the message are said in full up to a few lines' length, never a
        # huge key or value they quote
        message = shorten(self.message, 5 * MAX_ECHOED)
        return f"{shorten(self.path)}: {message}" if self.path else message


class CampPlannerError(Exception):
    """Base of the errors campplanner reports to users without a traceback."""

    exit_code = 2


class InstanceError(CampPlannerError):
    """An input file that cannot be used, with every problem found in it."""

    def __init__(self, source: str, issues: Sequence[Issue]):
        self.source = source
        self.issues = list(issues)
        super().__init__(self.report())

    def report(self, limit: int = 200) -> str:
        count = len(self.issues)
        head = f"{self.source}: " + ("1 problem" if count == 1 else f"{count} problems")
        lines = [head] + [f"  - {issue}" for issue in self.issues[:limit]]
        if count > limit:
            lines.append(f"  ... and {count - limit} more")
        return "\n".join(lines)


class FilesError(CampPlannerError):
    """Problems in several input files, reported together (each file's with its name)."""

    def __init__(self, errors: Sequence[InstanceError]):
        self.errors = list(errors)
        super().__init__("\n".join(error.report() for error in self.errors))


class RosterViolations(CampPlannerError):
    """A roster that breaks hard rules, where a command will not pass it on (exit 1)."""

    exit_code = 1


class UsageError(CampPlannerError):
    """A command used in a way that cannot work (an output path equal to an input...)."""


def json_path(location: Sequence[str | int]) -> str:
    """``("camps", 3, "requirements", 0, "skill")`` -> ``camps[3].requirements[0].skill``."""
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.isidentifier() or part.replace("-", "_").isidentifier():
            text += f".{part}" if text else part
        else:
            text += f"[{part!r}]"
    return text


def is_under(path: str, parent: str) -> bool:
    """``camps[3].start`` is under ``camps[3]`` (and under itself), not under ``camps[30]``."""
    return path == parent or path.startswith((parent + ".", parent + "["))


_PATH_PART = re.compile(r"\[(\d+)\]|\[('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\]|\.?([^.\[]+)")


def parse_json_path(path: str) -> list[str | int]:
    """The inverse of :func:`json_path`: ``camps[3].requirements[0].skill`` -> parts."""
    parts: list[str | int] = []
    for index, quoted, name in _PATH_PART.findall(path):
        if index:
            parts.append(int(index))
        elif quoted:
            parts.append(ast.literal_eval(quoted))
        else:
            parts.append(name)
    return parts


# A library's own prefix ("(sqlite3.OperationalError) ...") and its links for programmers.
_LIBRARY_PREFIX = re.compile(r"^\([\w.]+\)\s*")
_LIBRARY_LINK = re.compile(r"\s*\(Background on this error at: [^)]*\)", re.IGNORECASE)


def plain_reason(error: BaseException) -> str:
    """Why ``error`` happened, for a planner: never a Python class name or a repr.

    campplanner's own errors say it already; the operating system's are its words for
    the file; a bug of ours (KeyError, TypeError...) says only that it is one."""
    if isinstance(error, CampPlannerError):
        return str(error)
    if isinstance(error, MemoryError):
        return "not enough memory"
    if isinstance(error, OSError):
        where = f": {error.filename}" if error.filename else ""
        return f"{(error.strerror or 'cannot be read or written').lower()}{where}"
    if isinstance(error, UnicodeError):
        return "the text is not UTF-8"
    if isinstance(
        error,
        (
            KeyError,
            IndexError,
            AttributeError,
            TypeError,
            AssertionError,
            NameError,
            RecursionError,
        ),
    ):
        return "an internal error of campplanner (please report it with the input files)"
    text = _LIBRARY_LINK.sub("", _LIBRARY_PREFIX.sub("", str(error).strip()))
    first_line = text.splitlines()[0] if text else ""
    return first_line or "an unexpected error (please report it with the input files)"
