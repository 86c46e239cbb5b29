"""pydantic's validation errors in a planner's words: what is wrong, what is expected.

pydantic writes for programmers ("Input should be a valid integer", "Input tag
'unavailble' found using 'op' does not match any of the expected tags: ..."). Every
kind of error a file can give is rewritten here, with the JSON path, the value found
(never for personal data) and, for an unknown key or tag, the closest known one.
"""

from __future__ import annotations

import json
import math
import re
import types
import typing
from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from campplanner.contract.contact import PERSONAL_FIELDS
from campplanner.contract.errors import Issue, json_path
from campplanner.contract.problems import Problem, english, issue_of, problem
from campplanner.contract.suggest import Suggestions

Location = tuple[str | int, ...]


def pydantic_issues(
    error: ValidationError,
    model: type[BaseModel] | None = None,
    prefix: Sequence[str | int] = (),
) -> Iterator[Issue]:
    """One plain issue per problem of ``error``; ``model`` (the class validated) lets an
    unknown key be answered with the closest known one; ``prefix`` is where in the file
    the validated value sits (``("edits", 2)``)."""
    seen: set[tuple[str, str]] = set()
    for detail in error.errors(include_url=False):
        # pydantic tags union branches ("int", "constrained-str"...) in the location.
        location = tuple(part for part in detail["loc"] if not _is_union_tag(part))
        issue = plain_issue(detail, location, model, json_path([*prefix, *location]))
        if (issue.path, issue.message) not in seen:  # two union branches, one complaint
            seen.add((issue.path, issue.message))
            yield issue


def plain_message(detail: Any, location: Location, model: type[BaseModel] | None) -> str:
    """The message for one pydantic error ``detail`` found at ``location``."""
    return plain_issue(detail, location, model, "").message


def plain_issue(detail: Any, location: Location, model: type[BaseModel] | None, path: str) -> Issue:
    """The issue at ``path`` for one pydantic error ``detail`` found at ``location``: its
    kind and values (``contract/problems.py``), its message the English."""
    kind = detail["type"]
    context = detail.get("ctx") or {}
    if kind == "missing":
        return problem(path, "missing")
    if kind == "extra_forbidden":
        name = str(location[-1]) if location else ""
        known = keys_at(model, location[:-1]) if model is not None else []
        return problem(path, "unknown_key", name=name, meant=_meant(name, known), known=known)
    if kind == "union_tag_invalid":
        field = str(context.get("discriminator", "")).strip("'")
        tags = [tag.strip(" '") for tag in str(context.get("expected_tags", "")).split(",")]
        tag = str(context.get("tag", ""))
        return problem(
            path, "unknown_tag", field=field, tag=tag, meant=_meant(tag, tags), tags=", ".join(tags)
        )
    if kind == "union_tag_not_found":
        field = str(context.get("discriminator", "")).strip("'")
        return problem(path, "tag_missing", field=field)
    expected = _expected(kind, context)
    if expected is None:
        expected = _fallback(detail["msg"])
    values: dict[str, Any] = {"type": kind, "expected": expected, "got": ""}
    values |= _limits(kind, context)
    inner = context.get("error")
    if kind == "value_error" and isinstance(inner, Problem):  # a validator's own check
        values["problem"] = issue_of("", inner)
    if location and location[-1] in PERSONAL_FIELDS:
        # personal data: the path says where; never the value
        return Issue(path, expected, "shape", values)
    if "input" not in detail:
        return Issue(path, expected, "shape", values)
    found = detail["input"]
    meant = None
    if kind == "literal_error" and isinstance(found, str):  # "F" for "f", "jalaali"
        meant = _meant(found, re.findall(r"'([^']*)'", str(context.get("expected"))))
    values |= {"got": f", got {show_value(found)}", "found": shown(found), "meant": meant}
    return Issue(path, english("shape", values), "shape", values)


def _meant(value: str, known: Sequence[str]) -> str | None:
    """The known value ``value`` was probably meant to be (what ``did_you_mean`` names)."""
    return Suggestions(known).meant(value)


def _limits(kind: str, context: dict[str, Any]) -> dict[str, Any]:
    """The bound, size or choices of a pydantic error, for another language's words."""
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        key = {"greater_than_equal": "ge", "greater_than": "gt"}.get(kind)
        key = key or {"less_than_equal": "le", "less_than": "lt"}[kind]
        bound = context.get(key)
        return {"bound": int(bound) if isinstance(bound, float) and bound.is_integer() else bound}
    if kind in ("too_short", "too_long", "string_too_short", "string_too_long"):
        return {"size": context.get("min_length", context.get("max_length", 0))}
    if kind in ("literal_error", "enum"):
        return {"choices": re.findall(r"'([^']*)'", str(context.get("expected")))}
    return {}


def _bound(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _expected(kind: str, context: dict[str, Any]) -> str | None:
    """What the field should have held, for the error kinds files give."""
    size = context.get("min_length", context.get("max_length", 0))
    items = "item" if size == 1 else "items"
    chars = "character" if size == 1 else "characters"
    table = {
        "int_type": "expected a whole number",
        "int_parsing": "expected a whole number",
        "int_from_float": "expected a whole number",
        "float_type": "expected a number",
        "float_parsing": "expected a number",
        "finite_number": "expected a finite number",
        "string_type": "expected text in quotes",
        "bool_type": "expected true or false",
        "bool_parsing": "expected true or false",
        "dict_type": "expected an object {...}",
        "model_type": "expected an object {...}",
        "model_attributes_type": "expected an object {...}",
        "list_type": "expected a list [...]",
        "tuple_type": "expected a list [...]",
        "none_required": "expected null",
        "greater_than_equal": f"must be at least {_bound(context.get('ge'))}",
        "greater_than": f"must be more than {_bound(context.get('gt'))}",
        "less_than_equal": f"must be at most {_bound(context.get('le'))}",
        "less_than": f"must be less than {_bound(context.get('lt'))}",
        "too_short": f"must hold at least {size} {items}",
        "too_long": f"must hold at most {size} {items}",
        "string_too_short": (
            "must not be empty" if size == 1 else f"must be at least {size} {chars} long"
        ),
        "string_too_long": f"must be at most {size} {chars} long",
        "literal_error": f"expected {context.get('expected')}",
        "enum": f"expected {context.get('expected')}",
    }
    if kind == "value_error":
        return str(context.get("error", "")) or None
    return table.get(kind)


def _fallback(message: str) -> str:
    """pydantic's own message, without its programmer's words, for kinds not above."""
    for start, instead in (
        ("Input should be", "expected"),
        ("Value error, ", ""),
        ("Assertion failed, ", ""),
    ):
        if message.startswith(start):
            return instead + message[len(start) :]
    return message


def _is_union_tag(part: str | int) -> bool:
    return isinstance(part, str) and (
        part in ("int", "float", "str", "bool", "none", "list[...]", "tuple[...]")
        or part.startswith(("constrained-", "function-", "literal["))
    )


def show_value(value: Any) -> str:
    """A value from a file as the planner typed it, cut to 60 characters."""
    kind, detail = shown(value)
    if kind == "object":
        return "an object"
    if kind == "list":
        return f"a list of {detail}"
    if kind == "digits":
        return f"an integer of about {detail} digits"
    if kind == "unheld":
        return "a value JSON cannot hold"
    text = json.dumps(detail, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def shown(value: Any) -> tuple[str, Any]:
    """What :func:`show_value` says of ``value``, as a fact: ("object", None), ("list",
    its length), ("digits", about how many), ("unheld", None) or ("json", the value)."""
    if isinstance(value, dict):
        return ("object", None)
    if isinstance(value, list):
        return ("list", len(value))
    try:
        json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):  # integers past 4300 digits, data not from JSON
        if isinstance(value, int):  # str() fails too; bit_length gives the size
            return ("digits", int(value.bit_length() * math.log10(2)) + 1)
        return ("unheld", None)
    if isinstance(value, str) and len(value) > 60:
        return ("json", value[:60])
    return ("json", value)


def json_kind(value: Any) -> str:
    """What a JSON value is, in JSON's words (never Python's ``str`` or ``dict``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "a value JSON cannot hold"


# ------------------------------------------------------------------ known keys


def keys_at(model: type[BaseModel], location: Location) -> list[str]:
    """The keys an object at ``location`` inside ``model`` may have (for "did you
    mean"); empty when the location does not lead to a model."""
    annotation: Any = model
    for part in location:
        annotation = _step(annotation, part)
        if annotation is None:
            return []
    target = _model_in(annotation)
    if target is None:
        return []
    return [field.alias or name for name, field in target.model_fields.items()]


def _step(annotation: Any, part: str | int) -> Any:
    """The type one step further in: a model's field, a list's item, a dict's value."""
    annotation = _unwrap(annotation)
    target = _model_in(annotation)
    if target is not None and isinstance(part, str):
        for name, field in target.model_fields.items():
            if part in (name, field.alias):
                return field.annotation
        return None
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin is list and isinstance(part, int) and arguments:
        return arguments[0]
    if origin is dict and len(arguments) == 2:
        return arguments[1]
    return None


def _unwrap(annotation: Any) -> Any:
    """``Annotated[X, ...]`` and ``X | None`` -> ``X`` (the first branch that is not None)."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            branches = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = branches[0]
        else:
            return annotation


def _model_in(annotation: Any) -> type[BaseModel] | None:
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None
