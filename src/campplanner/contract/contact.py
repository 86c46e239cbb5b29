"""Volunteers' phone numbers and e-mail addresses: one written form for each.

Planners type phone numbers every way Iranians write them: ``۰۹۱۲ ۳۴۵ ۶۷۸۹``,
``+98 912 345 6789``, ``0098-912-3456789``, ``9123456789`` (a spreadsheet that took
the number for a number and dropped its 0), landlines as ``086-3222 0000``. Every one
of them becomes the national form that a phone dials and a planner reads:
``09123456789``, eleven ASCII digits starting with 0.

These are personal data: the messages below say what is wrong with a number without
repeating it, so that neither a terminal log nor a CI log carries it.
"""

from __future__ import annotations

import re

from campplanner.contract.calendar import to_ascii_digits
from campplanner.contract.problems import Problem

# Separators people type inside numbers, and the direction marks that spreadsheets and
# right-to-left editors slip in around digits (LRM, RLM, ALM, ZWNJ, ZWJ, NBSP...).
_SEPARATORS = re.compile(r"[\s\-\.\(\)/\u00a0\u061c\u200c-\u200f\u202a-\u202e\u2066-\u2069]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
PERSONAL_FIELDS = ("phone", "email")  # never quoted in a message, a log or a file name
PHONE_EXAMPLE = "09xx xxx xxxx, +98 9xx xxx xxxx or 0098 9xx xxx xxxx"


def normalise_phone(text: str) -> str:
    """``text`` as ``0`` and ten digits (``09123456789``); ValueError says why not.

    Accepts Persian and Arabic-Indic digits, spaces, hyphens, dots, brackets and
    direction marks between digits, and the prefixes ``+98``, ``0098`` and ``98``.
    """
    digits = _SEPARATORS.sub("", to_ascii_digits(str(text)))
    if not digits:
        raise Problem("phone_empty")
    if digits.startswith("+"):
        if not digits.startswith("+98"):
            raise Problem("phone_abroad", example=PHONE_EXAMPLE)
        digits = digits[3:]
    elif digits.startswith("0098"):
        digits = digits[4:]
    elif digits.startswith("98") and len(digits) == 12:
        digits = digits[2:]
    if not digits.isdigit():
        raise Problem("phone_letters", example=PHONE_EXAMPLE)
    if len(digits) == 10 and not digits.startswith("0"):
        digits = "0" + digits  # the national 0, dropped by +98 or by a spreadsheet
    if len(digits) != 11 or not digits.startswith("0") or digits.startswith("00"):
        raise Problem("phone_length", count=len(digits), example=PHONE_EXAMPLE)
    return digits


def normalise_email(text: str) -> str:
    """``text`` trimmed, its domain in lower case; ValueError when it is no address."""
    address = str(text).strip()
    if not _EMAIL.match(address):
        raise Problem("email")
    local, domain = address.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def spoken_phone(phone: str) -> str:
    """``09123456789`` grouped as ``0912 345 6789``, for papers people read aloud from."""
    if len(phone) == 11 and phone.startswith("09"):
        return f"{phone[:4]} {phone[4:7]} {phone[7:]}"
    return f"{phone[:3]} {phone[3:7]} {phone[7:]}"  # a landline: 086 3222 0000
