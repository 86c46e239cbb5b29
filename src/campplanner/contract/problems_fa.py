"""The problems of a file (``contract/problems.py``) in Persian, for the edges that speak it.

The command line under ``--lang fa`` and the review page's refusal of an uploaded file
say an :class:`~campplanner.contract.errors.InstanceError` here, from the kinds and
values its issues carry: Persian words, numbers in Persian digits (thousands by «٬»),
dates the file wrote as ``YYYY-MM-DD`` joined by ``/`` (kept in order inside
right-to-left text). What a planner finds in the file stays as the file writes it: ids,
keys, JSON paths, field names, quoted values; ``isolate`` wraps each of those (the page
passes FSI ... PDI, a terminal nothing). It lives in the contract, beside the English,
so that the command line and the application layer (for the page) read one wording.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from campplanner.contract.calendar import persian_date, to_persian_digits
from campplanner.contract.errors import (
    MAX_ECHOED,
    FilesError,
    InstanceError,
    Issue,
    shorten,
)

Isolate = Callable[[str], str]

PROBLEMS_PERSIAN: dict[str, str] = {
    "empty_file": "پرونده خالی است",
    "folder": "پوشه است، نه پرونده",
    "file_too_large": "پرونده بیش از اندازه بزرگ است ({size} بایت)",
    "over_2gib": "ورودی بزرگ‌تر از ۲ گیگابایت است",
    "inflates_over_2gib": "پس از گشودن فشرده‌سازی بیش از ۲ گیگابایت می‌شود",
    "no_file": "چنین پرونده‌ای نیست",
    "denied": "اجازهٔ خواندن این پرونده نیست",
    "unreadable": "خوانده نمی‌شود",
    "device": "دستگاه یا سوکت است، نه پرونده",
    "gzip_damaged": "پروندهٔ فشردهٔ درستی نیست: داده‌های فشرده‌اش آسیب دیده است",
    "gzip_truncated": "پروندهٔ فشرده ناقص است",
    "not_utf8": "متن UTF-8 نیست (در بایت {offset})؛ آن را با UTF-8 ذخیره کنید",
    "bad_json": "JSON درستی نیست، در سطر {line} و ستون {column}: {reason}{truncated}",
    "json_nested": "JSON بیش از اندازه تودرتو است",
    "json_constant": "JSON درستی نیست: «{name}» پذیرفته نیست، عددهای JSON باید متناهی باشند",
    "json_huge": "JSON درستی نیست: عدد «{number}» بیش از اندازه بزرگ است",
    "json_digits": "JSON درستی نیست: عددی درست با بیش از ۴٬۳۰۰ رقم بیش از اندازه بزرگ است",
    "json_value": "JSON درستی نیست",
    "duplicate_key": "کلید «{key}» بیش از یک بار آمده است",
    "top_not_object": "بالاترین سطح باید یک شیء JSON {{...}} باشد، اما {found} است",
    "too_large": "بیش از اندازه بزرگ است: {what} حدود {needed} گیگابایت حافظه می‌خواهد، بیش از "
    "حد {limit} گیگابایت",
    "wrong_kind": "این {what} است، نه {wanted}: {next_step}",
    "missing": "این فیلد لازم است و نیامده است",
    "unknown_key": "کلید «{name}» شناخته نیست{hint}{listed}",
    "unknown_tag": "{field} «{tag}» شناخته نیست{hint}؛ یکی از: {tags}",
    "tag_missing": "کلید «{field}» نیامده است: این کلید می‌گوید این مورد چیست",
    "shape": "{expected}{got}{hint}",
    "not_finite": "باید عددی متناهی باشد",
    "date_shape": "باید تاریخی به شکل سال/ماه/روز باشد (مانند ۱۴۰۳/۰۵/۱۰)، اما «{text}» آمده است",
    "not_a_day": "{text} روزی از تقویم {calendar} نیست{reason}",
    "phone_empty": "شمارهٔ تلفن خالی است",
    "phone_abroad": "فقط شماره‌های ایران (با ‎+۹۸) پذیرفته می‌شود؛ بنویسید {example}",
    "phone_letters": "شمارهٔ تلفن فقط رقم دارد؛ بنویسید {example}",
    "phone_length": "شمارهٔ تلفن پس از ۰ یا ‎+۹۸ ده رقم دارد و این یکی روی هم {count} رقم دارد؛ "
    "بنویسید {example}",
    "email": "نشانی ایمیل درستی نیست",
    "unknown_ref": "«{value}» در فهرست {kind} نیست{hint}",
    "duplicate_id": "شناسهٔ «{id}» تکراری است (همچنین در {other})",
    "range_reversed": "پایانش ({last}) پیش از آغازش ({first}) است",
    "end_before_start": "پایان ({end}) پیش از آغاز ({start}) است",
    "requirement_twice": "نیاز دومی به «{skill}» (نخستین در {at})؛ هر اردو برای هر مهارت یک "
    "نیاز دارد: شمارها را با هم جمع کنید",
    "not_asked": "اردوی «{camp}» «{skill}» را نمی‌خواهد",
    "other_instance": "این برنامه برای نمونهٔ «{named}» است، نه «{name}» ({path}): پروندهٔ "
    "نمونه‌ای را بدهید که برنامه برای آن ساخته شده است",
    "edits_not_list": "باید فهرستی [...] از تغییرها باشد، اما {found} است",
    "edit_not_object": 'هر تغییر یک شیء {{"op": ...}} است، اما {found} آمده است',
    "op_missing": 'کلید "op" نیامده است: این کلید می‌گوید تغییر چه می‌کند، یکی از {ops}',
    "op_not_text": "باید نام یک تغییر باشد، اما {found} آمده است؛ تغییرها: {ops}",
    "unknown_op": "تغییر «{op}» شناخته نیست{hint}؛ تغییرها: {ops}",
    "unknown_rule": "قاعدهٔ «{name}» شناخته نیست{hint}؛ قاعده‌ها: {rules}",
    "unknown_weight": "وزن «{name}» شناخته نیست{hint}؛ وزن‌ها: {weights}",
    "last_before_first": "{last} پیش از {first} است",
    "base_not_object": "نمونهٔ پایه یک شیء JSON نیست",
    "base_bad_here": "به کار بسته نمی‌شود: نمونهٔ پایه در اینجا خودش مشکل دارد (campplanner "
    "validate را روی آن اجرا کنید)",
    "no_base": "نمونهٔ پایه داده نشده است",
    "in_edited": "{message} (در نمونه‌ای که تغییرها می‌سازند)",
    "record_not_list": "یک رکورد داوطلب خواسته می‌شود، نه یک فهرست",
    "record_no_id": "باید رکورد یک داوطلب باشد، همان‌گونه که در پروندهٔ نمونه است، با شناسه‌اش",
    "history_not_object": "باید یک شیء JSON با فهرستی به نام attendance باشد",
    "history_format": "باید «{wanted}» باشد، نه {found}",
    "history_unknown": "فیلد ناشناخته (format، attendance، note)",
    "history_not_list": "باید فهرستی از رکوردهای {{volunteer، season، camp، came}} باشد",
    "history_not_record": "باید یک رکورد {{volunteer، season، camp، came}} باشد",
    "history_unknown_field": "فیلد ناشناخته (volunteer، season، camp، came)",
    "history_missing": "نیامده است",
    "history_not_text": "باید متن (یک شناسه) باشد، نه {value}",
    "history_empty": "خالی است: هر رکورد باید آن را نام ببرد",
    "history_came": "باید true یا false باشد، نه {value}",
    "history_twice": "همان داوطلب، فصل و اردوی {other}",
}

# the lists an id refers to, by the kind of thing it names
KINDS_OF_IDS = {
    "skill": "مهارت‌ها",
    "place": "مکان‌ها",
    "group": "گروه‌ها",
    "volunteer": "داوطلبان",
    "camp": "اردوها",
}
CALENDARS = {"jalali": "خورشیدی", "gregorian": "میلادی"}
# why a date is no day (datetime's and jdatetime's reasons, by the part at fault)
NOT_A_DAY = {
    "month": "ماه باید از ۱ تا ۱۲ باشد",
    "day": "این ماه چنین روزی ندارد",
    "year": "سال بیرون از بازهٔ پذیرفتنی است",
}
# what a JSON value is (shape_errors.json_kind's English)
JSON_KINDS = {
    "null": "null",
    "true or false": "true یا false",
    "a number": "یک عدد",
    "text": "یک متن",
    "a list": "یک فهرست",
    "an object": "یک شیء",
    "a value JSON cannot hold": "مقداری که JSON نمی‌تواند نگه دارد",
}
# the reasons of Python's JSON parser, by their start
JSON_REASONS = {
    "Expecting value": "مقداری اینجا خواسته می‌شود",
    "Expecting ',' delimiter": "اینجا ویرگول (,) خواسته می‌شود",
    "Expecting ':' delimiter": "اینجا دونقطه (:) خواسته می‌شود",
    "Expecting property name enclosed in double quotes": 'اینجا نام یک کلید میان دو " خواسته می‌شود',
    "Unterminated string": "متنی آغاز شده و بسته نشده است",
    "Extra data": "پس از پایان JSON چیز دیگری آمده است",
    "Invalid control character": "نویسهٔ کنترلی نادرست درون متن",
    "Invalid \\escape": "نویسهٔ گریز (\\) نادرست",
    "Invalid \\uXXXX escape": "نویسهٔ گریز (\\) نادرست",
}
# what a field should have held (pydantic's kinds, shape_errors._expected)
EXPECTED = {
    "int_type": "باید عددی درست باشد",
    "int_parsing": "باید عددی درست باشد",
    "int_from_float": "باید عددی درست باشد",
    "float_type": "باید عدد باشد",
    "float_parsing": "باید عدد باشد",
    "finite_number": "باید عددی متناهی باشد",
    "string_type": "باید متنی میان دو نشانهٔ نقل‌قول باشد",
    "bool_type": "باید true یا false باشد",
    "bool_parsing": "باید true یا false باشد",
    "dict_type": "باید یک شیء {{...}} باشد",
    "model_type": "باید یک شیء {{...}} باشد",
    "model_attributes_type": "باید یک شیء {{...}} باشد",
    "list_type": "باید یک فهرست [...] باشد",
    "tuple_type": "باید یک فهرست [...] باشد",
    "none_required": "باید null باشد",
    "greater_than_equal": "باید دست‌کم {bound} باشد",
    "greater_than": "باید بیش از {bound} باشد",
    "less_than_equal": "باید دست‌بالا {bound} باشد",
    "less_than": "باید کمتر از {bound} باشد",
    "too_short": "باید دست‌کم {size} مورد داشته باشد",
    "too_long": "باید دست‌بالا {size} مورد داشته باشد",
    "string_too_short": "باید دست‌کم {size} نویسه باشد",
    "string_too_long": "باید دست‌بالا {size} نویسه باشد",
    "literal_error": "باید یکی از {choices} باشد",
    "enum": "باید یکی از {choices} باشد",
}
# what kind of file was given where another was wanted (contract/kinds.py)
FILE_KINDS = {
    "instance": "یک پروندهٔ نمونه (داوطلبان و اردوها)",
    "solution": "یک پروندهٔ برنامه",
    "scenario": "یک پروندهٔ سناریو (تغییرهایی بر یک نمونهٔ پایه)",
    "workbook": "یک کارپوشهٔ اکسل",
    "comparison": "گزارش یک مقایسه (نوشتهٔ campplanner compare -o)",
    "stress": "گزارش یک آزمون فشار (نوشتهٔ campplanner stress -o)",
    "replacements": "فهرستی از جایگزین‌ها (نوشتهٔ campplanner replace -o)",
    "history": "پیشینهٔ حضور (چه کسانی به اردوهایی که برایشان چیده شده بودند آمدند)",
    "json": "یک پروندهٔ JSON",
}
WANTED = {
    "instance": "پروندهٔ نمونه",
    "solution": "پروندهٔ برنامه",
    "scenario": "پروندهٔ سناریو",
    "workbook": "کارپوشهٔ اکسل یا پوشه‌ای از پرونده‌های CSV",
    None: "پروندهٔ JSON",
}
RESULT_NOT_INPUT = "نتیجه‌ای برای خواندن است، نه ورودی"
NEXT_STEPS = {
    "instance": "campplanner validate، solve، explain، export و serve آن را مستقیم می‌خوانند",
    "solution": "campplanner check، explain و export آن را پس از پروندهٔ نمونه می‌خوانند",
    "scenario": "campplanner apply آن را به پروندهٔ نمونه بدل می‌کند؛ campplanner compare آن را "
    "کنار نمونهٔ پایه حل می‌کند",
    "workbook": "campplanner import از کارپوشهٔ برنامه‌ریزان پروندهٔ نمونه می‌سازد؛ کارپوشهٔ "
    "برنامه‌ای که export --xlsx ساخته است را check و export به جای پروندهٔ برنامه می‌خوانند",
    "comparison": RESULT_NOT_INPUT,
    "stress": RESULT_NOT_INPUT,
    "replacements": RESULT_NOT_INPUT,
    "history": "campplanner stress و campplanner solve --reserves آن را با --history می‌خوانند",
    "json": "کارپوشه نیست: آن را به فرمانی بدهید که آن را می‌خواند",
    "swapped": "نخست پروندهٔ نمونه را بدهید، سپس پروندهٔ برنامه را (آیا جای دو پرونده عوض شده است؟)",
    "base_first": "نخست نمونهٔ پایه را بدهید، سپس پرونده‌های سناریو را (docs/scenarios.md)",
}

_DATE = re.compile(r"^\d{4}[-/]\d{1,2}[-/]\d{1,2}$")
GIB = 1024**3


def plain(text: str) -> str:
    """No isolation: a terminal shows the text as it is."""
    return text


def number(value: float, decimals: int = 0) -> str:
    """``12,345`` as ``۱۲٬۳۴۵``."""
    return to_persian_digits(f"{value:,.{decimals}f}".replace(",", "٬").replace(".", "٫"))


class _Sayer:
    """The values of one problem as Persian shows them."""

    def __init__(self, isolate: Isolate):
        self.isolate = isolate

    def value(self, value: Any) -> str:
        """A value quoted from the file (or a path): numbers in Persian digits, a date in
        order, anything else as written, isolated."""
        if isinstance(value, bool):
            return "true" if value else "false"
        if value is None:
            return "null"
        if isinstance(value, int | float):
            return number(value, 0 if float(value).is_integer() else 2)
        text = str(value)
        if _DATE.match(text):
            return persian_date(text)
        return self.isolate(shorten(text))

    def listed(self, values: Any) -> str:
        items = values.split(", ") if isinstance(values, str) else list(values)
        return "، ".join(self.isolate(str(item)) for item in items)

    def hint(self, values: Mapping[str, Any]) -> str:
        meant = values.get("meant")
        return f" (شاید منظور «{self.isolate(str(meant))}» بود؟)" if meant else ""

    def found(self, found: Any) -> str:
        """What a field held, from :func:`shape_errors.shown` (a kind and its detail)."""
        kind, detail = found
        if kind == "object":
            return "یک شیء"
        if kind == "list":
            return f"فهرستی از {number(detail)} مورد"
        if kind == "digits":
            return f"عددی درست با حدود {number(detail)} رقم"
        if kind == "unheld":
            return JSON_KINDS["a value JSON cannot hold"]
        if isinstance(detail, str):
            return f"«{self.value(detail)}»"
        return self.value(detail)


def said_fa(issue: Issue, isolate: Isolate = plain) -> str:
    """``issue`` in Persian (its English when it has no kind of :data:`PROBLEMS_PERSIAN`:
    a problem of a reader this table does not know)."""
    text = problem_fa(issue, isolate)
    if text is None:
        return str(issue)
    text = shorten(text, 5 * MAX_ECHOED)
    return f"{isolate(shorten(issue.path))}: {text}" if issue.path else text


def problem_fa(issue: Issue, isolate: Isolate = plain) -> str | None:
    """The Persian sentence of ``issue`` without its path, or None."""
    if issue.kind not in PROBLEMS_PERSIAN:
        return None
    say = _Sayer(isolate)
    values = issue.values
    shown: dict[str, str] = {
        name: say.value(value)
        for name, value in values.items()
        if isinstance(value, str | int | float | bool) or value is None
    }
    shown["hint"] = say.hint(values)
    shown["listed"] = ""
    extra = _EXTRAS.get(issue.kind)
    if extra is not None:
        extra_values = extra(say, values)
        if extra_values is None:
            return None
        shown.update(extra_values)
    return PROBLEMS_PERSIAN[issue.kind].format(**shown)


def _too_large(say: _Sayer, values: Mapping[str, Any]) -> dict[str, str]:
    what = values.get("what") or {}
    if "volunteers" in what:
        text = (
            f"بررسی {number(what['volunteers'])} داوطلب و {number(what['camps'])} اردو "
            f"({number(what['items'])} مورد)"
        )
    elif "inflated" in what:
        inflated = number(what["inflated"])
        text = f"خواندن بیش از {inflated} بایت JSON که این پروندهٔ فشرده به آن باز می‌شود"
    else:
        more = "بیش از " if what.get("more") else ""
        text = f"خواندن {more}{number(what.get('bytes', 0))} بایت JSON"
    return {
        "what": text,
        "needed": number(values["needed"] / GIB, 1),
        "limit": number(values["limit"] / GIB, 1),
    }


def _wrong_kind(say: _Sayer, values: Mapping[str, Any]) -> dict[str, str]:
    found, wanted = values["found"], values.get("wanted")
    return {
        "what": FILE_KINDS[found],
        "wanted": WANTED[wanted],
        "next_step": NEXT_STEPS[values.get("step") or found],
    }


def _shape(say: _Sayer, values: Mapping[str, Any]) -> dict[str, str] | None:
    kind = values["type"]
    inner = values.get("problem")
    if isinstance(inner, Issue):  # a validator's own check (a date, a phone number)
        expected = problem_fa(inner, say.isolate)
        if expected is None:
            return None
    elif kind in EXPECTED:
        expected = EXPECTED[kind]
    else:
        return None
    size = values.get("size", 0)
    if kind == "string_too_short" and size == 1:
        expected = "نباید خالی باشد"
    choices = "، ".join(f"«{say.isolate(c)}»" for c in values.get("choices", ()))
    expected = expected.format(
        bound=say.value(values.get("bound")), size=number(size or 0), choices=choices
    )
    found = values.get("found")
    got = f"، اما {say.found(found)} آمده است" if found is not None else ""
    return {"expected": expected, "got": got}


def _not_a_day(say: _Sayer, values: Mapping[str, Any]) -> dict[str, str]:
    reason = NOT_A_DAY.get(values.get("why", ""))
    return {
        "calendar": CALENDARS.get(values["calendar"], values["calendar"]),
        "reason": f" ({reason})" if reason else "",
    }


def _json_reason(say: _Sayer, values: Mapping[str, Any]) -> dict[str, str]:
    reason = next(
        (fa for start, fa in JSON_REASONS.items() if str(values["reason"]).startswith(start)),
        "ساختارش درست نیست",
    )
    truncated = " (پرونده ناقص به نظر می‌رسد)" if values.get("truncated") else ""
    return {"reason": reason, "truncated": truncated}


def _found_kind(say: _Sayer, values: Mapping[str, Any]) -> dict[str, str]:
    found = values.get("found")
    return {"found": JSON_KINDS.get(str(found), str(found))} if "found" in values else {}


def _with_lists(*names: str) -> Callable[[_Sayer, Mapping[str, Any]], dict[str, str]]:
    def extra(say: _Sayer, values: Mapping[str, Any]) -> dict[str, str]:
        shown = {name: say.listed(values[name]) for name in names if name in values}
        return shown | _found_kind(say, values)

    return extra


def _unknown_key(say: _Sayer, values: Mapping[str, Any]) -> dict[str, str]:
    known = values.get("known") or ()
    return {"listed": f"؛ کلیدهای اینجا: {say.listed(known)}" if known else ""}


def _unknown_ref(say: _Sayer, values: Mapping[str, Any]) -> dict[str, str]:
    return {"kind": KINDS_OF_IDS.get(values["kind"], say.isolate(str(values["kind"])))}


def _in_edited(say: _Sayer, values: Mapping[str, Any]) -> dict[str, str] | None:
    inner = values.get("issue")
    text = problem_fa(inner, say.isolate) if isinstance(inner, Issue) else None
    return None if text is None else {"message": text}


def _phone(say: _Sayer, values: Mapping[str, Any]) -> dict[str, str]:
    return {"example": "۰۹۱۲ ۳۴۵ ۶۷۸۹ یا ‎+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹"}


def _quoted_value(say: _Sayer, values: Mapping[str, Any]) -> dict[str, str]:
    value = values.get("value", values.get("found"))
    shown = f"«{say.value(value)}»" if isinstance(value, str) else say.value(value)
    return {"value": shown, "found": shown}


_EXTRAS: dict[str, Callable[[_Sayer, Mapping[str, Any]], dict[str, str] | None]] = {
    "too_large": _too_large,
    "wrong_kind": _wrong_kind,
    "shape": _shape,
    "not_a_day": _not_a_day,
    "bad_json": _json_reason,
    "top_not_object": _found_kind,
    "edits_not_list": _found_kind,
    "edit_not_object": _found_kind,
    "op_not_text": _with_lists("ops"),
    "op_missing": _with_lists("ops"),
    "unknown_op": _with_lists("ops"),
    "unknown_rule": _with_lists("rules"),
    "unknown_weight": _with_lists("weights"),
    "unknown_tag": _with_lists("tags"),
    "unknown_key": _unknown_key,
    "unknown_ref": _unknown_ref,
    "in_edited": _in_edited,
    "phone_abroad": _phone,
    "phone_letters": _phone,
    "phone_length": _phone,
    "history_format": _quoted_value,
    "history_not_text": _quoted_value,
    "history_came": _quoted_value,
}


def report_fa(error: InstanceError, isolate: Isolate = plain, limit: int = 200) -> str:
    """:meth:`InstanceError.report` in Persian: the file, how many problems, each one."""
    count = len(error.issues)
    head = f"{isolate(error.source)}: {number(count)} مشکل"
    lines = [head] + [f"  - {said_fa(issue, isolate)}" for issue in error.issues[:limit]]
    if count > limit:
        lines.append(f"  ... و {number(count - limit)} مورد دیگر")
    return "\n".join(lines)


def error_in(error: BaseException, lang: str, isolate: Isolate = plain) -> str:
    """``error`` as a front end says it in ``lang``: a file's problems in Persian under
    ``fa``, anything else (and every error under ``en``) as its own text."""
    if lang == "fa" and isinstance(error, FilesError):
        return "\n".join(report_fa(one, isolate) for one in error.errors)
    if lang == "fa" and isinstance(error, InstanceError):
        return report_fa(error, isolate)
    return str(error)
