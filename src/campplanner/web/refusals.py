"""What the web itself refuses, worded in Persian and English: the page (or the API
client's ``?lang=``) gets its own language, never a traceback.

A :class:`Refusal` names its words by key and the values they quote; the handlers of
``handling.py`` and the guards of ``limits.py`` say it in the request's language.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from campplanner.web.i18n import LANGUAGES, Words
from campplanner.web.render import failure, language_of

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
