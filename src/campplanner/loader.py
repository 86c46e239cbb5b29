"""Reading instance files: bytes -> JSON -> contract models -> cross-checked instance.

Every way a file can be wrong ends in one :class:`InstanceError` that lists all the
problems found, each with its JSON path, instead of a traceback or only the first one.
"""

from __future__ import annotations

import itertools
import json
import math
import stat
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from campplanner.calendar import Calendar, parse_day, to_ascii_digits
from campplanner.contact import PERSONAL_FIELDS
from campplanner.contract import FORMAT, Instance
from campplanner.errors import InstanceError, Issue, json_path
from campplanner.limits import TooLarge, refuse_beyond_limit

MAX_FILE_BYTES = 2 * 1024**3  # past this a file is not an instance but an accident
_GZIP_MAGIC = b"\x1f\x8b"


def read_json(path: str | Path) -> Any:
    """The JSON value in ``path`` (plain or gzip-compressed), or an InstanceError."""
    source = str(path)
    raw = _read_bytes(Path(path), source)
    _refuse_beyond_memory(raw, source)
    text = _decode(raw, source)
    if not text.strip():
        raise InstanceError(source, [Issue("", "the file is empty")])
    return _parse_json(text, source)


def load_instance(path: str | Path) -> Instance:
    """Read, validate and cross-check an instance file."""
    data = read_json(path)
    _refuse_too_many_items(data, str(path))
    return instance_from_data(data, str(path))


def instance_from_data(data: Any, source: str = "<instance>") -> Instance:
    """Validate already-parsed JSON data as an instance; every problem is reported."""
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "null"
        raise InstanceError(
            source, [Issue("", f"the top level must be a JSON object {{...}}, got {kind}")]
        )
    if "volunteers" not in data and ("assignments" in data or "status" in data):
        # Four "missing field" lines would hide the real mistake: the wrong file.
        raise InstanceError(source, [Issue("", (
            "this is a solution file (a roster), not an instance: give the instance "
            "first, then the solution (are the two files swapped?)"))])  # fmt: skip
    try:
        instance = Instance.model_validate(data)
    except ValidationError as error:
        raise InstanceError(source, list(pydantic_issues(error))) from None
    issues = list(cross_check(instance))
    if issues:
        raise InstanceError(source, issues)
    return instance


# ---------------------------------------------------------------------------- bytes


def _read_bytes(path: Path, source: str) -> bytes:
    try:
        if path.is_dir():
            raise InstanceError(source, [Issue("", "is a folder, not an instance file")])
        _refuse_special_file(path, source)
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InstanceError(source, [Issue("", f"the file is too large ({size:,} bytes)")])
        raw = _read_up_to(path, MAX_FILE_BYTES + 1)  # a pipe has no size: stop past the limit
        if len(raw) > MAX_FILE_BYTES:
            raise InstanceError(source, [Issue("", "the input is larger than 2 GiB")])
    except FileNotFoundError:
        raise InstanceError(source, [Issue("", "no such file")]) from None
    except PermissionError:
        raise InstanceError(source, [Issue("", "permission denied")]) from None
    except OSError as error:
        raise InstanceError(source, [Issue("", f"cannot be read ({error.strerror})")]) from None
    if raw.startswith(_GZIP_MAGIC):
        return _gunzip(raw, source)
    return raw


# Memory per byte of JSON text, once parsed (~7) and validated into the contract's
# models (~15 more): measured on instances/markazi-season (5.3 MB of text).
JSON_MEMORY_FACTOR = 24


def _refuse_beyond_memory(raw: bytes, source: str) -> None:
    """A file whose parsing alone would pass the memory limit is refused before it."""
    try:
        refuse_beyond_limit(f"reading {len(raw):,} bytes of JSON", len(raw) * JSON_MEMORY_FACTOR)
    except TooLarge as error:
        raise InstanceError(source, [Issue("", str(error))]) from None


# Memory per volunteer, camp or other item, parsed and validated (measured: ~2.5 KB
# per volunteer at the peak of validating 20,000).
ITEM_MEMORY_BYTES = 2_500


def _refuse_too_many_items(data: Any, source: str) -> None:
    """Ten million volunteers fit in 24 MB of gzip: refuse before validating them."""
    if not isinstance(data, dict):
        return
    lists = {key: data.get(key) for key in ("skills", "places", "groups", "volunteers",
                                            "camps", "locked", "forbidden")}  # fmt: skip
    items = sum(len(value) for value in lists.values() if isinstance(value, list))
    camps = lists["camps"] if isinstance(lists["camps"], list) else []
    items += sum(len(c.get("requirements") or ()) for c in camps if isinstance(c, dict))
    volunteers = len(lists["volunteers"]) if isinstance(lists["volunteers"], list) else 0
    what = f"validating {volunteers:,} volunteers and {len(camps):,} camps ({items:,} items)"
    try:
        refuse_beyond_limit(what, items * ITEM_MEMORY_BYTES)
    except TooLarge as error:
        raise InstanceError(source, [Issue("", str(error))]) from None


def _read_up_to(path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes, read in chunks (``read(limit)`` would reserve it all)."""
    chunks: list[bytes] = []
    read = 0
    with path.open("rb") as handle:
        while read < limit and (chunk := handle.read(min(16 * 1024**2, limit - read))):
            chunks.append(chunk)
            read += len(chunk)
    return b"".join(chunks)


def _refuse_special_file(path: Path, source: str) -> None:
    """Devices (``/dev/zero``, a terminal) are endless or interactive: never read them.
    Regular files and pipes (``<(zcat season.json.gz)``) are read, up to the limit."""
    mode = path.stat().st_mode
    if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
        raise InstanceError(source, [Issue("", "is a device or a socket, not a file")])


def _gunzip(raw: bytes, source: str) -> bytes:
    """Every gzip member of ``raw``, decompressed in bounded steps: what is inflated, not
    only what is read, stops at MAX_FILE_BYTES (a "zip bomb", or a small first member
    followed by a huge second one, cannot fill the memory)."""
    parts: list[bytes] = []
    inflated = 0
    rest = raw
    while rest:
        decompressor = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
        try:
            data = decompressor.decompress(rest, MAX_FILE_BYTES + 1 - inflated)
        except zlib.error as error:
            issue = Issue("", f"is not a valid gzip file ({error})")
            raise InstanceError(source, [issue]) from None
        inflated += len(data)
        if inflated > MAX_FILE_BYTES or decompressor.unconsumed_tail:
            raise InstanceError(source, [Issue("", "decompresses to more than 2 GiB")])
        if not decompressor.eof:
            raise InstanceError(source, [Issue("", "the gzip file is truncated")])
        parts.append(data)
        rest = decompressor.unused_data
        if rest and not rest.startswith(_GZIP_MAGIC):
            break  # trailing bytes after the last member, as gzip itself ignores them
    return b"".join(parts)


def _decode(raw: bytes, source: str) -> str:
    try:
        return raw.decode("utf-8-sig")  # a byte-order mark from Windows editors is fine
    except UnicodeDecodeError as error:
        byte = raw[error.start : error.start + 1].hex()
        raise InstanceError(
            source,
            [
                Issue(
                    "",
                    f"is not UTF-8 text (byte 0x{byte} at offset {error.start}); "
                    "save it as UTF-8",
                )
            ],
        ) from None


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not allowed: JSON numbers must be finite")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:30]} is too large")
    return value


class _Object(dict):
    """A JSON object that remembers the keys it was given twice."""

    repeated: list[str]


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    found = _Object(pairs)
    found.repeated = [] if len(found) == len(pairs) else _repeats(pairs)
    return found


def _repeats(pairs: list[tuple[str, Any]]) -> list[str]:
    seen: set[str] = set()
    repeated = []
    for key, _ in pairs:
        if key in seen and key not in repeated:
            repeated.append(key)
        seen.add(key)
    return repeated


def _duplicate_keys(value: Any, location: list[str | int]) -> Iterator[Issue]:
    """Every object that holds a key twice, with its path: JSON parsers keep the last
    one silently, so a hidden second ``assignments`` could pass for the first."""
    if isinstance(value, _Object):
        for key in value.repeated:
            yield Issue(json_path(location), f"the key {key!r} appears more than once")
        for key, item in value.items():
            yield from _duplicate_keys(item, [*location, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _duplicate_keys(item, [*location, index])


def _parse_json(text: str, source: str) -> Any:
    try:
        data = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float,
                          object_pairs_hook=_object)  # fmt: skip
        repeated = list(_duplicate_keys(data, []))
        if repeated:
            raise InstanceError(source, repeated)
        return data
    except json.JSONDecodeError as error:
        hint = " (the file looks truncated)" if error.pos >= len(text.rstrip()) else ""
        message = f"not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}{hint}"
        raise InstanceError(source, [Issue("", message)]) from None
    except RecursionError:
        raise InstanceError(source, [Issue("", "the JSON is nested too deeply")]) from None
    except ValueError as error:  # NaN, Infinity, 1e999, integers of thousands of digits
        raise InstanceError(source, [Issue("", f"not valid JSON: {error}")]) from None


# ---------------------------------------------------------------------- validation


def pydantic_issues(error: ValidationError) -> Iterator[Issue]:
    for detail in error.errors(include_url=False):
        location = list(detail["loc"])
        kind = detail["type"]
        # pydantic tags union branches ("int", "constrained-str"...) in the location.
        location = [part for part in location if not _is_union_tag(part)]
        message = detail["msg"]
        if kind == "missing":
            message = "required field is missing"
        elif location and location[-1] in PERSONAL_FIELDS:
            pass  # personal data: the path says where, the message what; never the value
        elif "input" in detail and kind not in ("missing",):
            message += f" (got {_show(detail['input'])})"
        yield Issue(json_path(location), message)


def _is_union_tag(part: str | int) -> bool:
    return isinstance(part, str) and (
        part in ("int", "float", "str", "bool", "none", "list[...]", "tuple[...]")
        or part.startswith(("constrained-", "function-", "literal["))
    )


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):  # integers past 4300 digits, data not from JSON
        if isinstance(value, int):  # str() fails too; bit_length gives the size
            return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1} digits"
        return type(value).__name__
    return text if len(text) <= 60 else text[:57] + "..."


@lru_cache(maxsize=65_536)
def day_of(text: str, calendar: Calendar) -> int:
    """Cached :func:`parse_day`: a season repeats the same few hundred dates."""
    return parse_day(text, calendar)


def _unique_ids(items: Iterable[BaseModel], list_name: str) -> Iterator[Issue]:
    first_seen: dict[str, int] = {}
    for index, item in enumerate(items):
        item_id = item.id  # type: ignore[attr-defined]
        if item_id in first_seen:
            yield Issue(
                f"{list_name}[{index}].id",
                f"duplicate id {item_id!r} (also {list_name}[{first_seen[item_id]}])",
            )
        else:
            first_seen[item_id] = index


def _date(text: str, path: str, calendar: Calendar, issues: list[Issue]) -> int | None:
    try:
        return day_of(text, calendar)
    except ValueError as error:
        issues.append(Issue(path, str(error)))
        return None


def cross_check(instance: Instance) -> Iterator[Issue]:
    """Problems that need more than one field: ids, references, dates."""
    yield from _unique_ids(instance.skills, "skills")
    yield from _unique_ids(instance.places, "places")
    yield from _unique_ids(instance.groups, "groups")
    yield from _unique_ids(instance.volunteers, "volunteers")
    yield from _unique_ids(instance.camps, "camps")

    skills = {skill.id for skill in instance.skills}
    places = {place.id for place in instance.places}
    groups = {group.id for group in instance.groups}
    volunteers = {volunteer.id for volunteer in instance.volunteers}
    camp_skills = {camp.id: {r.skill for r in camp.requirements} for camp in instance.camps}
    calendar = instance.calendar

    def missing(kind: str, value: str, known: set[str]) -> str | None:
        return None if value in known else f"unknown {kind} {value!r}"

    for index, group in enumerate(instance.groups):
        if group.home is not None and (problem := missing("place", group.home, places)):
            yield Issue(f"groups[{index}].home", problem)

    issues: list[Issue] = []
    for index, volunteer in enumerate(instance.volunteers):
        at = f"volunteers[{index}]"
        if problem := missing("place", volunteer.home, places):
            issues.append(Issue(f"{at}.home", problem))
        if volunteer.group is not None and (problem := missing("group", volunteer.group, groups)):
            issues.append(Issue(f"{at}.group", problem))
        for skill in volunteer.skills:
            if skill not in skills:
                issues.append(Issue(f"{at}.skills", f"unknown skill {skill!r}"))
        for k, (first, last) in enumerate(volunteer.available or ()):
            start = _date(first, f"{at}.available[{k}][0]", calendar, issues)
            end = _date(last, f"{at}.available[{k}][1]", calendar, issues)
            if start is not None and end is not None and end < start:
                issues.append(
                    Issue(f"{at}.available[{k}]", f"ends ({last}) before it starts ({first})")
                )
    yield from issues

    issues = []
    for index, camp in enumerate(instance.camps):
        at = f"camps[{index}]"
        if problem := missing("place", camp.place, places):
            issues.append(Issue(f"{at}.place", problem))
        start = _date(camp.start, f"{at}.start", calendar, issues)
        end = _date(camp.end, f"{at}.end", calendar, issues)
        if start is not None and end is not None and end < start:
            issues.append(Issue(f"{at}.end", f"{camp.end} is before the start {camp.start}"))
        seen: dict[str, int] = {}
        for k, requirement in enumerate(camp.requirements):
            if problem := missing("skill", requirement.skill, skills):
                issues.append(Issue(f"{at}.requirements[{k}].skill", problem))
            if requirement.skill in seen:
                issues.append(
                    Issue(
                        f"{at}.requirements[{k}].skill",
                        f"a second requirement for {requirement.skill!r} "
                        f"(first at requirements[{seen[requirement.skill]}]); "
                        "a camp has one requirement per skill: add up the counts",
                    )
                )
            seen.setdefault(requirement.skill, k)
    yield from issues

    for index, entry in enumerate(instance.locked):
        at = f"locked[{index}]"
        if problem := missing("volunteer", entry.volunteer, volunteers):
            yield Issue(f"{at}.volunteer", problem)
        if problem := missing("camp", entry.camp, set(camp_skills)):
            yield Issue(f"{at}.camp", problem)
        if problem := missing("skill", entry.skill, skills):
            yield Issue(f"{at}.skill", problem)
    for index, pair in enumerate(instance.forbidden):
        at = f"forbidden[{index}]"
        if problem := missing("volunteer", pair.volunteer, volunteers):
            yield Issue(f"{at}.volunteer", problem)
        if problem := missing("camp", pair.camp, set(camp_skills)):
            yield Issue(f"{at}.camp", problem)


def instance_warnings(instance: Instance) -> list[Issue]:
    """Things that are allowed but probably not meant: worth a planner's look."""
    warnings: list[Issue] = []
    if instance.format is not None and instance.format != FORMAT:
        warnings.append(Issue("format", f"{instance.format!r}: this tool reads {FORMAT!r}"))
    warnings.extend(_unknown_fields(instance, []))
    warnings.extend(_calendar_mismatch(instance))

    for index, volunteer in enumerate(instance.volunteers):
        ranges = sorted(
            (day_of(a, instance.calendar), day_of(b, instance.calendar))
            for a, b in volunteer.available or ()
        )
        for (_, end), (next_start, _) in itertools.pairwise(ranges):
            if next_start <= end + 1:
                warnings.append(
                    Issue(
                        f"volunteers[{index}].available",
                        f"ranges of {volunteer.id} touch or overlap; a camp must fit inside "
                        "one range (H2), so merge them if the volunteer is free throughout",
                    )
                )
                break

    for index, camp in enumerate(instance.camps):
        if not camp.requirements:
            warnings.append(
                Issue(f"camps[{index}].requirements", f"camp {camp.id} asks for nobody")
            )

    camp_skills = {camp.id: {r.skill for r in camp.requirements} for camp in instance.camps}
    locked_count = Counter((e.volunteer, e.camp, e.skill) for e in instance.locked)
    for index, entry in enumerate(instance.locked):
        if entry.skill not in camp_skills[entry.camp]:
            warnings.append(
                Issue(
                    f"locked[{index}]",
                    f"camp {entry.camp} has no requirement for {entry.skill!r}, so this lock "
                    "cannot hold: the instance is infeasible",
                )
            )
        if locked_count[(entry.volunteer, entry.camp, entry.skill)] > 1:
            warnings.append(Issue(f"locked[{index}]", "the same lock appears more than once"))
    return warnings


def _calendar_mismatch(instance: Instance) -> Iterator[Issue]:
    # 1400-04-10 is a valid Gregorian day too (in the 15th century), so a Jalali file
    # without "calendar": "jalali" would load; the year gives it away.
    years = sorted({int(to_ascii_digits(camp.start.strip())[:4]) for camp in instance.camps})
    if not years:
        return
    if instance.calendar == "gregorian" and years[0] < 1700:
        yield Issue(
            "calendar",
            f"camps start in the year {years[0]}, a Jalali year, but the file's calendar is "
            'gregorian (the default): add "calendar": "jalali" if its dates are Jalali',
        )
    elif instance.calendar == "jalali" and years[-1] > 1700:
        yield Issue(
            "calendar",
            f"camps start in the year {years[-1]}, a Gregorian year, but the file's calendar "
            'is jalali: remove "calendar": "jalali" if its dates are Gregorian',
        )


def _unknown_fields(model: Any, location: list[str | int]) -> Iterator[Issue]:
    if isinstance(model, BaseModel):
        for name in model.model_extra or {}:
            yield Issue(json_path([*location, name]), "unknown field, ignored")
        for name in type(model).model_fields:
            yield from _unknown_fields(getattr(model, name), [*location, name])
    elif isinstance(model, list) and model and isinstance(model[0], BaseModel):
        for index, item in enumerate(model):
            yield from _unknown_fields(item, [*location, index])
