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

from campplanner.contract.calendar import Calendar, parse_day, to_ascii_digits
from campplanner.contract.errors import InstanceError, Issue, is_under, json_path
from campplanner.contract.kinds import kind_of_bytes, refuse_other_kind, wrong_kind
from campplanner.contract.limits import TooLarge, memory_limit, refuse_beyond_limit
from campplanner.contract.problems import Problem, issue_of, moved, problem
from campplanner.contract.schema import FORMAT, Instance
from campplanner.contract.shape_errors import json_kind, pydantic_issues
from campplanner.contract.suggest import Suggestions

MAX_FILE_BYTES = 2 * 1024**3  # past this a file is not an instance but an accident
_GZIP_MAGIC = b"\x1f\x8b"


def read_json(path: str | Path, expected: str | None = None) -> Any:
    """The JSON value in ``path`` (plain or gzip-compressed), or an InstanceError.

    ``expected`` (a kind of :mod:`campplanner.contract.kinds`: "instance", "solution",
    "scenario") words the refusal of a workbook: it names the command that reads one.
    """
    source = str(path)
    raw = _read_bytes(Path(path), source)
    if kind_of_bytes(raw[:8]) == "workbook":  # not "save it as UTF-8": it is no text at all
        raise wrong_kind(source, "workbook", expected)
    _refuse_beyond_memory(raw, source)
    text = _decode(raw, source)
    if not text.strip():
        raise InstanceError(source, [problem("", "empty_file")])
    return _parse_json(text, source)


def load_instance(path: str | Path) -> Instance:
    """Read, validate and cross-check an instance file."""
    data = read_json(path, "instance")
    _refuse_too_many_items(data, str(path))
    return instance_from_data(data, str(path))


def instance_from_data(data: Any, source: str = "<instance>") -> Instance:
    """Validate already-parsed JSON data as an instance; every problem is reported."""
    if not isinstance(data, dict):
        found = json_kind(data)
        raise InstanceError(source, [problem("", "top_not_object", found=found)])
    # Four "missing field" lines would hide the real mistake: the wrong file.
    refuse_other_kind(data, "instance", source)
    instance: Instance | None = None
    shape: list[Issue] = []
    try:
        instance = Instance.model_validate(data)
    except ValidationError as error:
        shape = list(pydantic_issues(error, Instance))
    # Cross-checked even after a shape error: one run shows every problem.
    issues = shape + _new_problems(cross_check(data), shape)
    if issues or instance is None:
        raise InstanceError(source, issues)
    return instance


# ---------------------------------------------------------------------------- bytes


def _read_bytes(path: Path, source: str) -> bytes:
    try:
        if path.is_dir():
            raise InstanceError(source, [problem("", "folder")])
        _refuse_special_file(path, source)
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InstanceError(source, [problem("", "file_too_large", size=size)])
        # What the memory limit lets campplanner parse is refused before it is read (a
        # 1.9 GB file under a 3 GiB cap was read whole, then ran out of memory).
        allowed = min(MAX_FILE_BYTES, memory_limit() // JSON_MEMORY_FACTOR)
        if size > allowed:
            _refuse_read(size, "", source)
        raw = _read_up_to(path, allowed + 1)  # a pipe has no size: stop past the limit
        if len(raw) > MAX_FILE_BYTES:
            raise InstanceError(source, [problem("", "over_2gib")])
        if len(raw) > allowed:
            _refuse_read(len(raw), "more than ", source)
    except FileNotFoundError:
        raise InstanceError(source, [problem("", "no_file")]) from None
    except PermissionError:
        raise InstanceError(source, [problem("", "denied")]) from None
    except OSError as error:
        issue = problem("", "unreadable", reason=error.strerror)
        raise InstanceError(source, [issue]) from None
    if raw.startswith(_GZIP_MAGIC):
        return _gunzip(raw, source)
    return raw


# Memory per byte of JSON text, once parsed and validated into the contract's models
# (figures: docs/benchmarks.md).
JSON_MEMORY_FACTOR = 24


def _refuse_beyond_memory(raw: bytes, source: str) -> None:
    """A file whose parsing alone would pass the memory limit is refused before it."""
    what = {"bytes": len(raw)}
    _refuse(f"reading {len(raw):,} bytes of JSON", len(raw) * JSON_MEMORY_FACTOR, what, source)


def _refuse_read(size: int, more: str, source: str) -> None:
    what = {"bytes": size, "more": bool(more)}
    _refuse(f"reading {more}{size:,} bytes of JSON", size * JSON_MEMORY_FACTOR, what, source)


def _refuse(what: str, needed: int, counts: dict[str, int], source: str) -> None:
    """:func:`refuse_beyond_limit` as a problem of ``source``; ``counts`` say ``what`` as
    facts (bytes read, or volunteers, camps and items), for another language's words."""
    try:
        refuse_beyond_limit(what, needed)
    except TooLarge as error:
        values = {"reason": str(error), "what": counts, "needed": needed}
        issue = problem("", "too_large", **values, limit=memory_limit())
        raise InstanceError(source, [issue]) from None


# Memory per volunteer, camp or other item, parsed and validated
# (figures: docs/benchmarks.md).
ITEM_MEMORY_BYTES = 2_500


def _refuse_too_many_items(data: Any, source: str) -> None:
    """Ten million volunteers fit in 24 MB of gzip: refuse before validating them."""
    if not isinstance(data, dict):
        return
    lists = {
        key: data.get(key)
        for key in ("skills", "places", "groups", "volunteers", "camps", "locked", "forbidden")
    }
    items = sum(len(value) for value in lists.values() if isinstance(value, list))
    camps = lists["camps"] if isinstance(lists["camps"], list) else []
    items += sum(len(c.get("requirements") or ()) for c in camps if isinstance(c, dict))
    volunteers = len(lists["volunteers"]) if isinstance(lists["volunteers"], list) else 0
    what = f"validating {volunteers:,} volunteers and {len(camps):,} camps ({items:,} items)"
    counts = {"volunteers": volunteers, "camps": len(camps), "items": items}
    _refuse(what, items * ITEM_MEMORY_BYTES, counts, source)


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
        raise InstanceError(source, [problem("", "device")])


def _gunzip(raw: bytes, source: str) -> bytes:
    """Every gzip member of ``raw``, decompressed in bounded steps (GUNZIP_STEP bytes out
    at a time): what is inflated, not only what is read, stops at MAX_FILE_BYTES and at
    what the memory limit lets campplanner parse (a "zip bomb", or a small first member
    followed by a huge second one, cannot fill the memory: under a 4 GiB cap one asked
    for a 2 GiB buffer at once and died of MemoryError)."""
    allowed = min(MAX_FILE_BYTES, memory_limit() // JSON_MEMORY_FACTOR)
    parts: list[bytes] = []
    inflated = 0
    rest = raw
    while rest:
        decompressor = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
        pending = rest
        while True:
            try:
                data = decompressor.decompress(pending, GUNZIP_STEP)
            except zlib.error:  # zlib's own words ("Error -3 ... invalid block type") help no one
                issue = problem("", "gzip_damaged")
                raise InstanceError(source, [issue]) from None
            inflated += len(data)
            parts.append(data)
            if inflated > allowed:
                _refuse_inflated(inflated, source)
            pending = decompressor.unconsumed_tail
            if decompressor.eof or not pending:
                break
        if not decompressor.eof:
            raise InstanceError(source, [problem("", "gzip_truncated")])
        rest = decompressor.unused_data
        if rest and not rest.startswith(_GZIP_MAGIC):
            break  # trailing bytes after the last member, as gzip itself ignores them
    return b"".join(parts)


GUNZIP_STEP = 64 * 1024**2


def _refuse_inflated(inflated: int, source: str) -> None:
    if inflated > MAX_FILE_BYTES:
        raise InstanceError(source, [problem("", "inflates_over_2gib")])
    what = f"reading the more than {inflated:,} bytes of JSON this gzip file decompresses to"
    _refuse(what, inflated * JSON_MEMORY_FACTOR, {"inflated": inflated}, source)


def _decode(raw: bytes, source: str) -> str:
    try:
        return raw.decode("utf-8-sig")  # a byte-order mark from Windows editors is fine
    except UnicodeDecodeError as error:
        byte = raw[error.start : error.start + 1].hex()
        issue = problem("", "not_utf8", byte=byte, offset=error.start)
        raise InstanceError(source, [issue]) from None


def _reject_constant(name: str) -> float:
    raise Problem("json_constant", name=name)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise Problem("json_huge", number=text[:30])
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
            yield problem(json_path(location), "duplicate_key", key=key)
        for key, item in value.items():
            yield from _duplicate_keys(item, [*location, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _duplicate_keys(item, [*location, index])


def _parse_json(text: str, source: str) -> Any:
    repeats: list[bool] = []  # an object held a key twice: only then is the tree walked

    def hook(pairs: list[tuple[str, Any]]) -> _Object:
        found = _object(pairs)
        if found.repeated and not repeats:
            repeats.append(True)
        return found

    try:
        data = json.loads(
            text,
            parse_constant=_reject_constant,
            parse_float=_finite_float,
            object_pairs_hook=hook,
        )
        # walking a season's tree for their paths took about a second per file read
        if repeats:
            raise InstanceError(source, list(_duplicate_keys(data, [])))
        return data
    except json.JSONDecodeError as error:
        hint = " (the file looks truncated)" if error.pos >= len(text.rstrip()) else ""
        issue = problem(
            "", "bad_json", line=error.lineno, column=error.colno, reason=error.msg, truncated=hint
        )
        raise InstanceError(source, [issue]) from None
    except RecursionError:
        raise InstanceError(source, [problem("", "json_nested")]) from None
    except Problem as error:  # NaN, Infinity, 1e999
        raise InstanceError(source, [problem("", error.kind, **error.values)]) from None
    except ValueError as error:  # integers of thousands of digits
        if "integer string conversion" in str(error):  # Python's words, naming sys.set_int_...
            raise InstanceError(source, [problem("", "json_digits")]) from None
        raise InstanceError(source, [problem("", "json_value", reason=str(error))]) from None


# ---------------------------------------------------------------------- validation


@lru_cache(maxsize=65_536)
def day_of(text: str, calendar: Calendar) -> int:
    """Cached :func:`parse_day`: a season repeats the same few hundred dates."""
    return parse_day(text, calendar)


def _new_problems(found: list[Issue], shape: list[Issue]) -> list[Issue]:
    """Cross-check issues not at (or inside) a field already reported as misshapen:
    ``"start": 20210701`` is one problem, not also "not a date"."""
    bad_fields = {issue.path for issue in shape}
    return [
        issue
        for issue in found
        if not any(is_under(issue.path, field) for field in bad_fields if field)
    ]


def _records(data: dict[str, Any], list_name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, record) of a list of the file, skipping what is not an object: checks
    after a shape error still look at every record that can be read."""
    items = data.get(list_name)
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, dict):
                yield index, item


def _text(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    return value if isinstance(value, str) and value else None


class _Known:
    """The ids of one list (skills, places...), with "did you mean" for the others."""

    def __init__(self, kind: str, ids: Iterable[str], complete: bool):
        self.kind = kind
        self.ids = set(ids)
        # False when the list or one of its ids could not be read: an id missing from
        # it may be the unreadable one, so "unknown" would not be known to be true.
        self.complete = complete
        self._suggestions: Suggestions | None = None

    def unknown(self, value: Any) -> Issue | None:
        """The problem with ``value`` as a reference to this list, or None."""
        if not self.complete or not isinstance(value, str) or not value or value in self.ids:
            return None  # not text: a shape problem, reported as such
        if self._suggestions is None:
            self._suggestions = Suggestions(self.ids)
        return problem(
            "", "unknown_ref", kind=self.kind, value=value, meant=self._suggestions.meant(value)
        )


def _ids(data: dict[str, Any], list_name: str, kind: str) -> tuple[_Known, list[Issue]]:
    """The ids of a list, and an issue for each id given twice."""
    first_seen: dict[str, int] = {}
    issues = []
    # Only groups may be left out (none then); a required list left out is unknown.
    items = data.get(list_name, [] if list_name == "groups" else None)
    complete = isinstance(items, list)
    for index, record in _records(data, list_name):
        item_id = _text(record, "id")
        if item_id is None:
            complete = False
            continue
        if item_id in first_seen:
            other = f"{list_name}[{first_seen[item_id]}]"
            issues.append(
                problem(f"{list_name}[{index}].id", "duplicate_id", id=item_id, other=other)
            )
        else:
            first_seen[item_id] = index
    complete = complete and len(first_seen) + len(issues) == len(items or ())
    return _Known(kind, first_seen, complete), issues


def _date(
    text: Any, at: str, field: str, calendar: Calendar | None, issues: list[Issue]
) -> int | None:
    if not isinstance(text, str) or calendar is None:
        return None  # not text, or no calendar to read it in: reported elsewhere
    try:
        return day_of(text, calendar)
    except ValueError as error:
        issues.append(issue_of(at + field, error))
        return None


def cross_check(data: dict[str, Any]) -> list[Issue]:
    """Problems that need more than one field: ids, references, dates.

    Reads the raw JSON data, so that it runs even when some fields have the wrong
    shape: a type error in one camp does not hide an unknown skill in another, and
    one run of ``validate`` reports both."""
    issues: list[Issue] = []
    known: dict[str, _Known] = {}
    for list_name, kind in (
        ("skills", "skill"),
        ("places", "place"),
        ("groups", "group"),
        ("volunteers", "volunteer"),
        ("camps", "camp"),
    ):
        known[kind], duplicates = _ids(data, list_name, kind)
        issues += duplicates
    calendar = data.get("calendar", "gregorian")
    readable = calendar if calendar in ("gregorian", "jalali") else None

    def refer(at: Any, field: str, kind: str, value: Any) -> None:
        # ``at`` is the record's path or a pair (list, index): paths are built only for
        # problems, which keeps a province of 22,000 volunteers quick to check.
        if isinstance(value, str) and value in known[kind].ids:
            return
        if unknown := known[kind].unknown(value):
            issues.append(moved(unknown, _path(at, field)))

    for index, group in _records(data, "groups"):
        refer(("groups", index), ".home", "place", group.get("home"))
    for index, volunteer in _records(data, "volunteers"):
        _check_volunteer(("volunteers", index), volunteer, refer, readable, issues)
    for index, camp in _records(data, "camps"):
        _check_camp(f"camps[{index}]", camp, refer, readable, issues)
    for index, entry in _records(data, "locked"):
        for key, kind in (("volunteer", "volunteer"), ("camp", "camp"), ("skill", "skill")):
            refer(("locked", index), f".{key}", kind, entry.get(key))
    for index, pair in _records(data, "forbidden"):
        for key in ("volunteer", "camp"):
            refer(("forbidden", index), f".{key}", key, pair.get(key))
    return issues


def _path(at: Any, field: str) -> str:
    if isinstance(at, tuple):
        at = f"{at[0]}[{at[1]}]"
    return at + field


def _check_volunteer(
    where: tuple[str, int],
    volunteer: dict[str, Any],
    refer: Any,
    calendar: Calendar | None,
    issues: list[Issue],
) -> None:
    refer(where, ".home", "place", volunteer.get("home"))
    group = volunteer.get("group")
    if group is not None:
        refer(where, ".group", "group", group)
    skills = volunteer.get("skills")
    for skill in skills if isinstance(skills, dict) else ():
        refer(where, ".skills", "skill", skill)
    expiries = volunteer.get("valid_until")
    for skill, until in expiries.items() if isinstance(expiries, dict) else ():
        refer(where, ".valid_until", "skill", skill)
        _date(until, _path(where, ""), f".valid_until.{skill}", calendar, issues)
    ranges = volunteer.get("available")
    if not ranges or not isinstance(ranges, list):
        return
    at = _path(where, "")
    for k, pair in enumerate(ranges):
        if not isinstance(pair, list) or len(pair) != 2:
            continue  # a shape problem, reported as such
        first, last = pair
        start = _date(first, at, f".available[{k}][0]", calendar, issues)
        end = _date(last, at, f".available[{k}][1]", calendar, issues)
        if start is not None and end is not None and end < start:
            issues.append(problem(f"{at}.available[{k}]", "range_reversed", first=first, last=last))


def _check_camp(
    at: str, camp: dict[str, Any], refer: Any, calendar: Calendar | None, issues: list[Issue]
) -> None:
    refer(at, ".place", "place", camp.get("place"))
    start = _date(camp.get("start"), at, ".start", calendar, issues)
    end = _date(camp.get("end"), at, ".end", calendar, issues)
    if start is not None and end is not None and end < start:
        issues.append(
            problem(f"{at}.end", "end_before_start", end=camp["end"], start=camp["start"])
        )
    seen: dict[str, int] = {}
    for k, requirement in _records(camp, "requirements"):
        skill = requirement.get("skill")
        refer(at, f".requirements[{k}].skill", "skill", skill)
        if not isinstance(skill, str):
            continue
        if skill in seen:
            first = f"requirements[{seen[skill]}]"
            issues.append(
                problem(f"{at}.requirements[{k}].skill", "requirement_twice", skill=skill, at=first)
            )
        seen.setdefault(skill, k)


def instance_warnings(instance: Instance) -> list[Issue]:
    """Things that are allowed but probably not meant: worth a planner's look."""
    warnings: list[Issue] = []
    if instance.format is not None and instance.format != FORMAT:
        warnings.append(
            Issue(
                "format",
                f"{instance.format!r}: this tool reads {FORMAT!r}",
                "format",
                {"found": instance.format, "reads": FORMAT},
            )
        )
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
                        "ranges_touch",
                        {"volunteer": volunteer.id},
                    )
                )
                break

    warnings.extend(_expiry_warnings(instance))

    for index, camp in enumerate(instance.camps):
        if not camp.requirements:
            warnings.append(
                Issue(
                    f"camps[{index}].requirements",
                    f"camp {camp.id} asks for nobody",
                    "asks_nobody",
                    {"camp": camp.id},
                )
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
                    "lock_not_asked",
                    {"camp": entry.camp, "skill": entry.skill},
                )
            )
        if locked_count[(entry.volunteer, entry.camp, entry.skill)] > 1:
            warnings.append(
                Issue(f"locked[{index}]", "the same lock appears more than once", "lock_twice")
            )
    return warnings


EXPIRY_WARNING_DAYS = 30  # "within a month of the season's start"


def _expiry_warnings(instance: Instance) -> Iterator[Issue]:
    """Qualifications (``valid_until``) that name a skill not held, or that run out
    before, or within a month after, the season's first camp starts, or before the end of
    a camp the volunteer is locked to for that skill."""
    calendar = instance.calendar
    if not instance.camps or not any(v.valid_until for v in instance.volunteers):
        return
    first_camp = min(instance.camps, key=lambda camp: day_of(camp.start, calendar))
    season_start = day_of(first_camp.start, calendar)
    camp_by_id = {camp.id: camp for camp in instance.camps}
    locks: dict[tuple[str, str], list[str]] = {}
    for entry in instance.locked:
        locks.setdefault((entry.volunteer, entry.skill), []).append(entry.camp)
    for index, volunteer in enumerate(instance.volunteers):
        for skill, until in (volunteer.valid_until or {}).items():
            at = f"volunteers[{index}].valid_until.{skill}"
            if skill not in volunteer.skills:
                yield Issue(
                    at,
                    f"{volunteer.id} does not hold {skill!r}: the date is unused",
                    "expiry_unheld",
                    {"volunteer": volunteer.id, "skill": skill},
                )
                continue
            last = day_of(until, calendar)
            if last < season_start:
                yield Issue(
                    at,
                    f"{volunteer.id}'s {skill} expired on {until}, before the season starts "
                    f"({first_camp.start}): it fills no {skill} slot this season",
                    "expired",
                    {"volunteer": volunteer.id, "skill": skill, "until": until}
                    | {"start": first_camp.start},
                )
            elif last < season_start + EXPIRY_WARNING_DAYS:
                yield Issue(
                    at,
                    f"{volunteer.id}'s {skill} expires on {until}, within "
                    f"{EXPIRY_WARNING_DAYS} days of the season's start ({first_camp.start})",
                    "expires_soon",
                    {"volunteer": volunteer.id, "skill": skill, "until": until}
                    | {"days": EXPIRY_WARNING_DAYS, "start": first_camp.start},
                )
            for camp_id in locks.get((volunteer.id, skill), ()):
                camp = camp_by_id.get(camp_id)
                if camp is not None and last < day_of(camp.end, calendar):
                    yield Issue(
                        at,
                        f"{volunteer.id}'s {skill} expires on {until}, before camp {camp_id} "
                        f"they are locked to ends ({camp.end}): the lock cannot hold (H1)",
                        "expires_before_lock",
                        {"volunteer": volunteer.id, "skill": skill, "until": until}
                        | {"camp": camp_id, "end": camp.end},
                    )


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
            "jalali_years",
            {"year": years[0]},
        )
    elif instance.calendar == "jalali" and years[-1] > 1700:
        yield Issue(
            "calendar",
            f"camps start in the year {years[-1]}, a Gregorian year, but the file's calendar "
            'is jalali: remove "calendar": "jalali" if its dates are Gregorian',
            "gregorian_years",
            {"year": years[-1]},
        )


def _unknown_fields(model: Any, location: list[str | int]) -> Iterator[Issue]:
    if isinstance(model, BaseModel):
        for name in model.model_extra or {}:
            meant = Suggestions(type(model).model_fields).closest(name)
            hint = f" (did you mean {meant!r}?)" if meant is not None and meant != name else ""
            yield Issue(
                json_path([*location, name]),
                f"unknown field, ignored{hint}",
                "unknown_field",
                {"meant": meant if hint else ""},
            )
        for name in type(model).model_fields:
            yield from _unknown_fields(getattr(model, name), [*location, name])
    elif isinstance(model, list) and model and isinstance(model[0], BaseModel):
        for index, item in enumerate(model):
            yield from _unknown_fields(item, [*location, index])
