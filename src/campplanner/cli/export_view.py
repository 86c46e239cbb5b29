"""What ``export`` prints once its files are written, in the language of ``--lang``
(Persian by default, as the files are): paths as given, numbers in its digits."""

from __future__ import annotations

from campplanner.app.files import Exported, Written
from campplanner.app.links import ExportedLinks
from campplanner.contract.calendar import to_persian_digits

EXPORT_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "exported": "Exported {camps} camps, {filled} of {asked} slots filled: {written}",
        "folder": "{path}/ ({n} {kinds} files)",
        "no_kinds": "no",
        "join": ", ",
        "links": "Wrote {path}: {links} links ({new} new), {without} volunteers without a phone",
    },
    "fa": {
        "exported": "برنامهٔ {camps} اردو نوشته شد، {filled} از {asked} جا پر: {written}",
        "folder": "{path}/ ({n} پرونده)",
        "no_kinds": "",
        "join": "، ",
        "links": "{path} نوشته شد: {links} پیوند ({new} تازه)، {without} داوطلب بی‌تلفن",
    },
}


def _count(n: int, lang: str) -> str:
    """A count as ``lang`` writes it (English: plain digits, as the line always had)."""
    if lang != "fa":
        return str(n)
    return to_persian_digits(f"{n:,}".replace(",", "٬"))


def exported_line(done: Exported, lang: str = "en") -> str:
    """The line ``export`` prints: how many camps and slots, and each file written."""
    words = EXPORT_WORDS[lang]

    def said(written: Written) -> str:
        if written.files is None:
            return written.path
        kinds = "/".join(written.kinds) or words["no_kinds"]
        return words["folder"].format(path=written.path, n=_count(written.files, lang), kinds=kinds)

    return words["exported"].format(
        camps=_count(done.camps, lang),
        filled=_count(done.filled, lang),
        asked=_count(done.asked, lang),
        written=words["join"].join(said(w) for w in done.written),
    )


def links_line(done: ExportedLinks, lang: str = "en") -> str:
    """The line ``export --links`` prints: the file, its links, who has no phone."""
    return EXPORT_WORDS[lang]["links"].format(
        path=done.path,
        links=_count(done.links, lang),
        new=_count(done.new, lang),
        without=_count(done.without_phone, lang),
    )
