"""What the web itself refuses, worded in Persian and English: the page (or the API
client's ``?lang=``) gets its own language, never a traceback.

A :class:`Refusal` names its words by key and the values they quote; the handlers of
``handling.py`` and the guards of ``limits.py`` say it in the request's language.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from campplanner.app.review.errors import StaleRevision
from campplanner.web.i18n import LANGUAGES, Words
from campplanner.web.render import failure, isolated, language_of

# key -> (Persian, English); {name} quotes a value (numbers in the page's digits)
MESSAGES: dict[str, tuple[str, str]] = {
    "too_large": (
        "درخواست بیش از اندازه بزرگ است: دست‌بالا {limit} بایت.",
        "too large: at most {limit} bytes",
    ),
    "too_slow": (
        "درخواست بیش از اندازه کند رسید و کنار گذاشته شد؛ دوباره بفرستید.",
        "the request came too slowly and was dropped: send it again",
    ),
    "csrf": (
        "نشانهٔ امنیتی فرم نیست یا نادرست است: صفحه را دوباره باز کنید و دوباره بکوشید.",
        "missing or wrong CSRF token: reload the page and try again",
    ),
    "bad_number": (
        "مقدار «{name}» باید عددی درست و مثبت باشد.",
        "{name} must be a whole number, 0 or more",
    ),
    "not_found": ("چنین نشانی‌ای پیدا نشد.", "no such address"),
    "no_such_id": ("چنین «{name}» پیدا نشد.", "no such {name}"),
    "not_json": ("بدنهٔ درخواست JSON درستی نیست.", "the body is not JSON"),
    "not_object": ("بدنهٔ درخواست باید یک شیء JSON باشد.", "the body must be a JSON object"),
    "bad_text": (
        "درخواست متنی دارد که UTF-8 نیست.",
        "the request holds text that is not UTF-8",
    ),
    "disk_full": (
        "دیسک سرور پر است: چیزی ذخیره نشد و چیزی از دست نرفت. جا باز کنید و دوباره بکوشید.",
        "the server's disk is full: nothing was stored and nothing was lost. "
        "Free some space and try again",
    ),
    "compare_which": (
        "بگویید کدام دو نسخه مقایسه شوند: ‎?a=ID&b=ID",
        "say which versions to compare: ?a=ID&b=ID",
    ),
    "damaged": (
        "نسخهٔ {version} در فضای کار آسیب دیده است و نمی‌توان آن را نشان داد. "
        "نسخه‌های دیگر دست‌نخورده‌اند.",
        "version {version} is damaged in the workspace and cannot be shown ({reason}). "
        "The other versions are untouched",
    ),
    "edits_changed": (
        "تغییری که این برنامه با آن حل شد از آن زمان حذف یا پذیرفته شده است و برنامه هنوز "
        "آن را دارد. چیزی تغییر نکرد؛ با تغییرهای کنونی دوباره حل کنید.",
        "an edit this roster was solved with has been dropped or accepted since the solve "
        "started: the roster still carries it. Nothing was changed; re-solve with the "
        "edits as they are now.",
    ),
    "login_json": (
        'نام و گذرواژه را به صورت JSON بفرستید: ‎{{"name": ..., "password": ...}}',
        'send {{"name": ..., "password": ...}} as application/json',
    ),
    "bad_method": ("این نشانی این کار را نمی‌پذیرد.", "this address does not take this method"),
}


class Refusal(Exception):
    """A request the web refuses with ``status``, said by the words of ``key``."""

    def __init__(self, status: int, key: str, **values: Any):
        self.status = status
        self.key = key
        self.values = values
        super().__init__(said(key, "en", **values))


def said(key: str, lang: str, **values: Any) -> str:
    """The words of ``key`` in ``lang`` (Persian or English), with ``values`` quoted."""
    words = Words(lang, "jalali")
    persian, english = MESSAGES[key]
    shown = {  # a number in the language's digits; a name of a thing in Persian words
        name: words.num(value)
        if isinstance(value, int)
        else (words(str(value)) if lang == "fa" else str(value))
        for name, value in values.items()
    }
    return (persian if lang == "fa" else english).format(**shown)


def answer(request: Request, refusal: Refusal) -> Response:
    """``refusal`` said as a page or as JSON, in the request's language."""
    lang = refusal_language(request)
    return failure(request, refusal.status, said(refusal.key, lang, **refusal.values))


def refusal_language(request: Request) -> str:
    """A page's language; the API's refusals are English unless ``?lang=`` asks
    (the words a script matches, as the application layer's are)."""
    if request.url.path.startswith("/api/"):
        asked = request.query_params.get("lang", "en")
        return asked if asked in LANGUAGES else "en"
    return language_of(request)


# The application's refusals (app/review/errors.py ``Worded``, and the workspace's stale
# revision) in Persian, by key; their English is the error's own text. {name} quotes a
# value: a number in Persian digits, an id or a name isolated (FSI ... PDI).
APP_WORDS: dict[str, str] = {
    # the camps table's filters, said above the table (a date still being typed)
    "filter_from": "از: {text} تاریخ نیست (سال-ماه-روز)",
    "filter_to": "تا: {text} تاریخ نیست (سال-ماه-روز)",
    "filter_empty": "جاهای خالی: {text} یکی از گزینه‌های این پالایه نیست",
    "filter_page": "صفحه: {text} شمارهٔ صفحه نیست",
    "attendance_refused": (
        "حضور ثبت نشد: {people} یا در گروه این اردو نیستند یا جلوی نامشان «آمد» یا «نیامد» "
        "نیامده است. چیزی تغییر نکرد."
    ),
    "attendance_nothing": ("حضور ثبت نشد: برای هیچ‌یک از اعضا «آمد» یا «نیامد» انتخاب نشده است."),
    "scenarios:too_many": "چیزی مقایسه نشد: دست‌بالا {most} پروندهٔ سناریو را با هم بفرستید.",
    "no_version": "فضای کار هنوز هیچ نسخه‌ای ندارد: نخست برنامه‌ای را وارد کنید.",
    "accept:not_finished": "این حل هنوز تمام نشده است: پس از پایانش آن را بپذیرید.",
    "accept:no_roster": "این حل برنامه‌ای برای پذیرفتن ندارد: دوباره حل کنید.",
    "no_such_solve": "چنین حلی نیست (شاید کنار گذاشته شده است): صفحهٔ نسخه‌ها را ببینید.",
    "bad_rev": (
        "چیزی تغییر نکرد: شمارهٔ وضعیت فضای کار همراه این درخواست نبود؛ صفحه را دوباره باز کنید."
    ),
    "bulk:not_a_list": "چیزی ثبت نشد: داوطلبان باید فهرستی از شناسه‌ها باشند.",
    "not_on_team": "{volunteer} در گروه اردوی {camp} نیست: چیزی ثبت نشد.",
    "freeze_until:not_a_day": "«{day}» روزی از تقویم نیست: تاریخ ثابت‌ماندن را درست بنویسید.",
    "file:not_ready": "پرونده هنوز در دست ساخت است: تا پیوندش نمایان شود صبر کنید.",
    "file:failed": "پرونده ساخته نشد: دوباره درخواستش کنید.",
    "links:not_published": "نسخهٔ {version} نسخهٔ منتشرشده نیست: نخست آن را منتشر کنید.",
    "links:season_over": "فصل این برنامه به پایان رسیده است: پیوندهایش چیزی را باز نمی‌کنند.",
    "accounts:own": "حساب خودتان را نمی‌توانید از کار بیندازید.",
    "scenarios:none": "چیزی مقایسه نشد: یک یا چند پروندهٔ سناریو برگزینید.",
    "late:no_id": "داوطلب دیرآمده شناسه می‌خواهد: شناسه‌ای برایش بنویسید.",
    "late:id_taken": "شناسهٔ {id} از آنِ {name} است: داوطلب دیرآمده شناسهٔ دیگری می‌خواهد.",
    "late:not_a_skill": "«{text}» مهارتی شناخته نیست (مهارت، یا مهارت:سطح).",
    "stale_revision": (
        "این صفحه وضعیت قدیمی‌تری از فضای کار را نشان می‌داد: کسی (شاید زبانهٔ دیگری) از آن "
        "پس چیزی را تغییر داده است. چیزی تغییر نکرد؛ صفحه را دوباره باز کنید و دوباره بکوشید."
    ),
    "contradicts": (
        "چیزی ثبت نشد: این تغییر با {conflicts} ناسازگار است. یکی از آن دو را در صفحهٔ "
        "تغییرات حذف کنید (یا از ثبت‌کننده‌اش بپرسید)، سپس دوباره ثبت کنید."
    ),
    "contradicting_pending": (
        "تغییرهای در انتظار با هم ناسازگارند: {pairs}. از هر جفت یکی را در صفحهٔ تغییرات "
        "حذف کنید، سپس دوباره حل کنید."
    ),
    "version_replaced": (
        "از وقتی این صفحه نسخهٔ {shown} را نشان داد، نسخهٔ {newest} را {by} در {at} (UTC) "
        "پذیرفته است و تغییرهایی که این صفحه فهرست کرده بود دیگر همان تغییرهای در انتظار "
        "نیستند. چیزی آغاز نشد؛ صفحه را دوباره باز کنید، تغییرها را ببینید و دوباره حل کنید."
    ),
    "accepted_already": (
        "این حل پیش‌تر پذیرفته شده است: نسخهٔ {version}، به دست {by} در {at} (UTC). چیزی تغییر نکرد."
    ),
    "solve_running": "حلی در جریان است: صبر کنید تا تمام شود یا آن را متوقف کنید.",
    "restore_refused:current": "نسخهٔ {version} همین حالا نسخهٔ جاری است: کاری لازم نیست.",
    "restore_refused:running": (
        "حلی در جریان است: صبر کنید تا تمام شود (آن را بپذیرید یا کنار بگذارید) یا "
        "متوقفش کنید، سپس بازگردانید."
    ),
    "restore_refused:pending": (
        "{count} تغییر در انتظار روی برنامهٔ کنونی ثبت شده‌اند: آن‌ها را دوباره حل کنید و "
        "بپذیرید، یا در صفحهٔ تغییرات حذفشان کنید، سپس بازگردانید."
    ),
    "no_camp": "اردوی {camp} پیدا نشد.",
    "run_not:runs_already": "اردوی {camp} برپاست: چیزی برای قفل نیست.",
    "run_not:too_few_qualified": (
        "چیزی قفل نشد: برای یکی از نقش‌های ضروری اردوی {camp}، افراد واجد شرایط و آزاد در "
        "این تاریخ‌ها کافی نیستند."
    ),
    "run_not:not_found": (
        "چیزی قفل نشد: با جابه‌جایی افراد اردوهای نزدیک، برنامه‌ای که اردوی {camp} را برپا "
        "کند پیدا نشد."
    ),
    "edit:unknown": "چنین تغییری نیست: قفل، حذف، منع، جایگزین یا نبودن در تاریخ‌ها.",
    "edit:missing:volunteer": "شناسهٔ داوطلب را بنویسید.",
    "edit:missing:camp": "اردو را نام ببرید.",
    "edit:missing:skill": "مهارت (نقش) را برگزینید.",
    "edit:missing:first": "روز نخست را بنویسید.",
    "edit:missing:last": "روز آخر را بنویسید.",
    "edit:no_volunteer": "داوطلبی با شناسهٔ {id} نیست.",
    "edit:not_a_day:jalali": "«{typed}» روزی از تقویم خورشیدی نیست (نمونه: ۱۴۰۳-۰۵-۱۰).",
    "edit:not_a_day:gregorian": "«{typed}» روزی از تقویم میلادی نیست (نمونه: ۲۰۲۴-۰۸-۰۱).",
    "edit:last_before_first": "روز آخر پیش از روز نخست است.",
    "edit:not_asked": "اردوی {camp} مهارت {skill_name} را نمی‌خواهد.",
    "edit:rule": "{volunteer} را نمی‌توان در اردوی {camp} قفل کرد: قاعدهٔ «{rule}» اجازه نمی‌دهد.",
    "edit:cannot": "{volunteer} نمی‌تواند در اردوی {camp} خدمت کند.",
    "bulk_refused": "چیزی ثبت نشد: {count} نفر از {of} نفر این تغییر را نمی‌پذیرند: {entries}",
    "bulk_not_yours": (
        "چیزی ثبت نشد: {count} نفر از {of} نفر در حوزهٔ حساب شما نیستند (اردوهایشان از "
        "شهرستان‌های شما نیست): {ids}"
    ),
    "bulk_refused_all": "چیزی ثبت نشد: {reason} (هر {count} نفر)",
    "bulk_unread": "چیزی ثبت نشد: {count} مورد از فهرست به یک داوطلب نمی‌رسد: {entries}",
    "bulk:unknown": "این تغییر برای چند نفر نیست: نبودن در تاریخ‌ها، حذف از اردوها یا قفل.",
    "bulk:none": "هیچ داوطلبی نام برده نشد.",
    "bulk:too_many": "دست‌بالا {most} نفر در یک تغییر.",
    "bulk:on_no_camp": "در برنامهٔ کنونی در هیچ اردویی نیست: اردو را نام ببرید",
    "bulk:several": "چند نفر با این نام: {ids}",
    "bulk:nobody": "چنین داوطلبی نیست",
    # a 403 that says why (app/review/permissions.py): the role, the camp's county...
    "forbidden": "این کار در حوزهٔ حساب شما نیست.",
    "forbidden:role": "{what} کار {role} نیست: فقط {allowed} می‌تواند.",
    "forbidden:doing_role": "{doing} کار {role} نیست.",
    "forbidden:county_camp": (
        "{doing}: اردوی {camp} در شهرستان {county} است و شما هماهنگ‌کنندهٔ شهرستان {counties} هستید."
    ),
    "forbidden:no_county_camp": (
        "{doing}: اردوی {camp} در هیچ شهرستانی نیست و شما هماهنگ‌کنندهٔ شهرستان {counties} هستید."
    ),
    "forbidden:own_camp": (
        "{doing}: اردوی {camp} از اردوهای شما نیست؛ شما سرپرست اردوی {camps} هستید."
    ),
    "forbidden:leader_remove_only": "سرپرست اردو فقط می‌تواند بگوید عضوی از گروه اردویش نمی‌آید.",
    "forbidden:volunteer_county": (
        "این تغییر: {volunteer} در هیچ اردویی نیست و ساکن شهرستان {county} است، نه شهرستان‌های "
        "شما ({counties})."
    ),
    "forbidden:not_your_job": (
        "این کار را {by} آغاز کرده است، نه شما: فقط او و هماهنگ‌کنندهٔ استان می‌توانند آن را "
        "دنبال کنند، متوقف کنند یا بپذیرند."
    ),
    "forbidden:volunteer_not_yours": (
        "{volunteer} در هیچ‌یک از اردوهای شهرستان‌های شما ({counties}) نیست."
    ),
}

# what each session call does (permissions.WHAT), for a refusal of a role, in Persian
WHAT_FA: dict[str, str] = {
    "state": "وضعیت فضای کار",
    "overview": "نمای کلی",
    "camps": "جدول اردوها",
    "camp": "صفحهٔ یک اردو",
    "search": "جست‌وجوی افراد",
    "volunteer": "صفحهٔ یک داوطلب",
    "camp_fit": "یافتن بهترین افراد برای جای یک اردو",
    "late_fit": "یافتن بهترین اردوها برای داوطلب دیرآمده",
    "pending_edits": "دیدن تغییرهای در انتظار",
    "edits_page": "صفحهٔ تغییرات",
    "add_edit": "ثبت تغییر",
    "drop_edit": "حذف تغییر",
    "start_resolve": "حل دوباره",
    "resolve": "دیدن پیشرفت حل دوباره",
    "job": "دیدن پیشرفت یک کار",
    "cancel": "متوقف کردن یک کار",
    "accept": "پذیرفتن برنامه",
    "start_accept": "پذیرفتن برنامه",
    "accept_state": "دیدن پیشرفت پذیرفتن برنامه",
    "discard": "کنار گذاشتن برنامه",
    "versions_page": "صفحهٔ نسخه‌ها",
    "version_list": "فهرست نسخه‌ها",
    "publish": "انتشار نسخه",
    "restore": "بازگرداندن نسخهٔ پیشین",
    "compare": "مقایسهٔ نسخه‌ها",
    "solution": "پروندهٔ برنامهٔ کنونی",
    "download": "بارگیری نسخه",
    "start_download": "ساختن پروندهٔ نسخه",
    "download_job": "دیدن پروندهٔ در حال ساخت",
    "download_file": "پروندهٔ نسخه",
    "calls_file": "فهرست تماس‌های نسخه",
    "calls_page": "فهرست تماس‌های نسخه",
    "audit": "دفتر رویدادها",
    "camp_packet": "برگهٔ اردو با تلفن‌ها",
    "county_packets": "برگه‌های شهرستان با تلفن‌ها",
    "start_calls_file": "فهرست تماس‌های نسخه",
    "start_county_packets": "برگه‌های شهرستان با تلفن‌ها",
    "comparisons": "مقایسه‌های سناریو",
    "comparison": "یک مقایسهٔ سناریو",
    "start_comparison": "مقایسهٔ پرونده‌های سناریو",
    "logout": "خروج",
    "users": "فهرست حساب‌ها",
    "add_user": "افزودن حساب",
    "disable_user": "غیرفعال کردن حساب",
    "links_file": "پیوندهای داوطلبان با تلفن‌ها",
    "revoke_link": "لغو پیوند یک داوطلب",
    "attendance": "حضور در اردو",
    "record_attendance": "ثبت حضور",
    "attendance_history": "سابقهٔ حضور فصل",
}

# what a scoped refusal refused (permissions.DOING), in Persian
DOING_FA: dict[str, str] = {
    "this camp's page": "صفحهٔ این اردو",
    "who could take a place": "یافتن جانشین",
    "not coming": "نیامدن",
    "this edit": "این تغییر",
    "restoring this version": "بازگرداندن این نسخه",
    "this camp's attendance": "حضور این اردو",
    "this camp's phones": "تلفن‌های این اردو",
    "this county's phones": "تلفن‌های این شهرستان",
}

# What the application finds missing (app/review NotFound), by its English text; {n} a
# number. Said in Persian on a Persian page.
NOT_FOUND: dict[str, str] = {
    "no roster yet": "هنوز برنامه‌ای نیست.",
    "no such camp": "چنین اردویی نیست.",
    "no such comparison": "چنین مقایسه‌ای نیست.",
    "no such font": "چنین قلمی نیست.",
    "no such format": "چنین قالبی نیست.",
    "no such job": "چنین کاری نیست.",
    "no such pending edit": "چنین تغییر در انتظاری نیست (شاید کسی آن را حذف یا حل کرده است).",
    "no such solve": "چنین حلی نیست (شاید پذیرفته یا کنار گذاشته شده است).",
    "no such version or format": "چنین نسخه یا قالبی نیست.",
    "no such version": "چنین نسخه‌ای نیست.",
    "no such volunteer": "چنین داوطلبی نیست.",
    "the workspace has no version": "فضای کار هنوز نسخه‌ای ندارد.",
    "this version has no roster": "این نسخه برنامه‌ای ندارد.",
    "no version {n}": "نسخهٔ {n} نیست.",
    "version {n} has no roster": "نسخهٔ {n} برنامه‌ای ندارد.",
    "version {n} is no re-plan of another: nobody to call": (
        "نسخهٔ {n} برنامه‌ریزی دوباره از نسخهٔ دیگری نیست: با کسی نباید تماس گرفت."
    ),
    "no finished solve to accept": (
        "حل پایان‌یافته‌ای برای پذیرفتن نیست (شاید پذیرفته یا کنار گذاشته شده است)."
    ),
}


def not_found_fa(message: str) -> str | None:
    """A missing thing's English text in Persian (None: not one of :data:`NOT_FOUND`)."""
    for english, persian in NOT_FOUND.items():
        pattern = re.escape(english).replace(re.escape("{n}"), "([0-9]+)")
        found = re.fullmatch(pattern, message)
        if found:
            number = Words("fa", "jalali").num(int(found.group(1))) if found.groups() else ""
            return persian.format(n=number)
    return None


# what contradicts what (app/review/conflicts.py), in Persian
CONFLICT_WORDS = {
    "lock_remove": "{volunteer} هم در اردوی {camp} قفل و هم از آن حذف می‌شود",
    "lock_away": "{volunteer} در اردوی {camp} قفل می‌شود ولی در روزهای {other} نیست",
    "too_many_camps": (
        "{volunteer} در اردوهای {camp} و {other} قفل می‌شود، بیش از {limit} اردویی که می‌تواند برود"
    ),
    "two_locks": (
        "{volunteer} در اردوهای {camp} و {other} قفل می‌شود که یک نفر نمی‌تواند در هر دو باشد"
    ),
}


def conflict_fa(conflict: dict[str, Any], edit: int | None = None) -> str:
    """One contradiction in Persian: which pending edit, who typed it, and what clashes."""
    words = Words("fa", "jalali")
    values = {
        name: isolated(to_digits(str(conflict[name]), conflict["kind"] == "lock_away"))
        for name in ("volunteer", "camp", "other")
    }
    values["limit"] = words.num(conflict.get("limit") or 0)
    who = isolated(conflict["by"]) if conflict.get("by") else "نشستی پیشین"
    said = f"تغییر {words.num(conflict['edit'])} از {who}: " + CONFLICT_WORDS[
        conflict["kind"]
    ].format(**values)
    return said if edit is None else f"تغییر {words.num(edit)} و {said}"


def to_digits(text: str, dates: bool) -> str:
    """Dates in Persian digits (``1400-04-10 … 1400-04-12``); ids as they are."""
    return Words("fa", "jalali").digits(text) if dates else text


def worded(error: Exception, lang: str) -> str:
    """An application refusal in ``lang``: English is its own text, Persian its words."""
    if lang != "fa":
        return str(error)
    words = Words("fa", "jalali")
    stale = "stale_revision" if isinstance(error, StaleRevision) else ""
    key = getattr(error, "key", "") or stale
    if not key:  # a refusal with no words of its own: its text
        return str(error)
    values = dict(getattr(error, "values", {}))
    if key.startswith("forbidden:"):
        return forbidden_fa(key, values)
    values_rule = str(values.get("rule") or "")  # a rule's Persian title: words, not an id
    if key == "stale_revision" and getattr(error, "newest", None) is not None:
        return superseded_fa(error)
    if key == "restore_refused":
        key = f"restore_refused:{values.get('why')}"
    shown: dict[str, str] = {}
    for name, value in values.items():
        if name == "conflicts":
            shown[name] = "؛ ".join(conflict_fa(c) for c in value)
        elif name == "entries":  # (the entry, why it was refused) each
            shown[name] = "؛ ".join(
                f"{isolated(entry)} ({worded(why, 'fa').rstrip('.')})" for entry, why in value
            )
        elif name == "reason":
            shown[name] = worded(value, "fa").rstrip(".")
        elif name == "pairs":
            shown[name] = "؛ ".join(conflict_fa(c, c["edit_by_id"]) for c in value)
        elif name in ("at", "typed"):
            shown[name] = words.digits(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            shown[name] = words.num(value)
        elif isinstance(value, list):
            shown[name] = "؛ ".join(  # ids as they are, numbers in Persian digits
                words.num(v) if isinstance(v, int) else isolated(v) for v in value
            )
        else:
            shown[name] = isolated(value)
    if values_rule:
        shown["rule"] = values_rule
    template = APP_WORDS.get(key)
    return template.format(**shown) if template else str(error)


def superseded_fa(error: Any) -> str:
    """Someone else's version replaced the one a re-solve started from (Superseded)."""
    words = Words("fa", "jalali")
    first = words("superseded").format(
        newest=words.num(error.newest), base=words.num(error.base), at=words.digits(error.at)
    )
    pending = (
        words("superseded_pending").format(
            edits=words.digits("، ".join(map(str, error.pending))),
            newest=words.num(error.newest),
        )
        if error.pending
        else words("superseded_in").format(newest=words.num(error.newest))
    )
    return f"{first} {isolated(error.by)}. {pending}"


def forbidden_fa(key: str, values: dict[str, Any]) -> str:
    """A refusal of the roles' rules (``forbidden:...``) in Persian: the role and what
    was refused in words, ids and names isolated, lists joined by «، »."""
    words = Words("fa", "jalali")
    shown: dict[str, str] = {}
    for name, value in values.items():
        if name == "role":
            shown[name] = words(f"role_{value}")
        elif name == "allowed":
            shown[name] = " یا ".join(words(f"role_{role}") for role in value)
        elif name == "what":
            shown[name] = WHAT_FA.get(value, str(value))
        elif name == "doing":
            shown[name] = DOING_FA.get(value, str(value))
        elif isinstance(value, list):
            shown[name] = "، ".join(isolated(v) for v in value)
        elif name == "by" and not value:
            shown[name] = "کس دیگری"
        else:
            shown[name] = isolated(value)
    return APP_WORDS[key].format(**shown)
