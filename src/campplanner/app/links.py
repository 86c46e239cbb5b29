"""Volunteers' private links (issue 24): made when a roster is published, checked on
every visit, written for a bulk-SMS panel, and the statuses of the assignments they
answer.

A link is ``BASE/v/TOKEN``. The token is an HMAC-SHA256, under the workspace's link key
(``workspace/links.py``), of the volunteer's id and the serial of their link: 256 bits
nobody can guess or forge, and the export can write the same link again from the key
without the workspace keeping the token (its row keeps the token's sha256). A link is
refused when its token names no row (another or a tampered token), when it has been
revoked (the planner's *revoke*: a new link is made at the next publication or export)
or once the season is over (the day after the last camp ends, UTC).

Statuses of an assignment: ``not_sent`` (no link written for an SMS yet), ``sent``,
``opened``, ``confirmed``, ``declined``, and ``no_answer`` once the link was sent
``NO_ANSWER_DAYS`` days ago or more with neither answer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import string
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from campplanner.contract.errors import CampPlannerError, UsageError
from campplanner.workspace.links import AnswerRecord, LinkRecord, LinkStore

NO_ANSWER_DAYS = 3  # a link sent this many days ago without an answer: "no answer"
ANSWERS = ("confirm", "decline")
# a decline's reasons, the short list the page offers (words in web/i18n.py)
REASONS = ("illness", "work", "family", "travel", "other")
TEXT_LENGTH = 500  # characters of a decline's own words
STATUSES = ("not_sent", "sent", "opened", "confirmed", "declined", "no_answer")
TOKEN_LENGTH = 43  # base64url of 32 bytes, unpadded
_TOKEN_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-_")
LINKS_FILE = "links-phones.csv"
LINK_COLUMNS = ("volunteer", "name", "phone", "link", "message")


class LinkRefused(CampPlannerError):
    """A link that opens nothing: ``why`` is ``unknown`` (no such link: another
    volunteer's altered, or a tampered token), ``revoked`` or ``expired``."""

    exit_code = 2

    def __init__(self, why: str):
        self.why = why
        super().__init__(
            {
                "unknown": "this link is not valid",
                "revoked": "this link has been revoked: ask your coordinator for a new one",
                "expired": "this link has expired: the season is over",
            }[why]
        )


def token_for(key: bytes, volunteer: str, serial: int) -> str:
    """The token of ``volunteer``'s link number ``serial``."""
    message = b"campplanner link\0" + volunteer.encode() + b"\0" + str(serial).encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def season_end(last_days: Iterable[int]) -> datetime:
    """When a season's links expire: the day after its last camp ends, 00:00 UTC."""
    last = max(last_days, default=datetime.now(UTC).date().toordinal())
    return datetime.combine(datetime.fromordinal(last + 1).date(), time(), tzinfo=UTC)


def link_of(base_url: str, token: str) -> str:
    return base_url.rstrip("/") + "/v/" + token


def issue(
    store: LinkStore,
    volunteers: Iterable[str],
    version: int | None,
    expires_at: datetime,
    by: str | None,
    address: str | None = None,
    now: datetime | None = None,
) -> dict[str, tuple[LinkRecord | None, str]]:
    """A live link for each of ``volunteers``: the one they have, else a new one (made
    here, audited once); volunteer -> (its record, None for a new one; its token)."""
    now = now or datetime.now(UTC)
    key = store.key()
    live = store.live(now)
    serials = store.serials()
    tokens: dict[str, tuple[LinkRecord | None, str]] = {}
    made = []
    for volunteer in dict.fromkeys(volunteers):
        record = live.get(volunteer)
        if record is not None:
            tokens[volunteer] = (record, token_for(key, volunteer, record.serial))
            continue
        serial = serials.get(volunteer, 0) + 1
        token = token_for(key, volunteer, serial)
        made.append((volunteer, serial, token_hash(token)))
        tokens[volunteer] = (None, token)
    store.add(made, version, expires_at, by, address)
    return tokens


def verify(store: LinkStore, token: str, now: datetime | None = None) -> LinkRecord:
    """The link ``token`` opens; :class:`LinkRefused` says why none."""
    if len(token) != TOKEN_LENGTH or not set(token) <= _TOKEN_CHARACTERS:
        raise LinkRefused("unknown")
    record = store.find(token_hash(token))
    if record is None:
        raise LinkRefused("unknown")
    # the row was found by the token's hash; the token must also be the key's signature
    # of the row's volunteer and serial (a row copied to another volunteer opens nothing)
    if not hmac.compare_digest(token, token_for(store.key(), record.volunteer, record.serial)):
        raise LinkRefused("unknown")
    if record.revoked_at is not None:
        raise LinkRefused("revoked")
    if record.expires_at <= (now or datetime.now(UTC)):
        raise LinkRefused("expired")
    return record


def status(
    link: LinkRecord | None,
    answer: AnswerRecord | None,
    now: datetime | None = None,
    days: int = NO_ANSWER_DAYS,
) -> str:
    """The status of one assignment (see the module docstring)."""
    if answer is not None:
        return "confirmed" if answer.answer == "confirm" else "declined"
    if link is None or link.sent_at is None:
        return "not_sent"
    if link.sent_at + timedelta(days=days) <= (now or datetime.now(UTC)):
        return "no_answer"
    return "opened" if link.opened_at is not None else "sent"


def checked_answer(fields: dict[str, Any]) -> tuple[str, str, str, str]:
    """(camp, answer, reason, text) of a posted answer; UsageError says what is wrong."""
    camp = fields.get("camp")
    answer = fields.get("answer")
    reason = fields.get("reason") or ""
    text = fields.get("text") or ""
    if not isinstance(camp, str) or not camp:
        raise UsageError("camp is missing")
    if answer not in ANSWERS:
        raise UsageError('answer must be "confirm" or "decline"')
    if not isinstance(reason, str) or (reason and reason not in REASONS):
        raise UsageError(f"reason must be one of {', '.join(REASONS)}")
    if not isinstance(text, str):
        raise UsageError("text must be text")
    if answer == "decline" and not reason:
        reason = "other"
    return camp, str(answer), reason if answer == "decline" else "", text[:TEXT_LENGTH]


def message(name: str, link: str) -> str:
    """The SMS text in Persian: who, what to do, the link (last, so a phone links it)."""
    return (
        f"{name} گرامی، برنامهٔ اردوهای شما آماده است. لطفاً تاریخ‌ها را ببینید و "
        f"حضورتان را در هر اردو تأیید کنید یا اعلام کنید که نمی‌آیید: {link}"
    )


@dataclass(frozen=True)
class LinkRow:
    volunteer: str
    name: str
    phone: str
    link: str
    message: str

    def cells(self) -> list[str]:
        return [self.volunteer, self.name, self.phone, self.link, self.message]


def link_rows(
    people: list[tuple[str, str, str | None]], tokens: dict[str, str], base_url: str
) -> list[LinkRow]:
    """One row per (volunteer, name, phone) of ``people``, with its link and message."""
    rows = []
    for volunteer, name, phone in people:
        link = link_of(base_url, tokens[volunteer])
        rows.append(LinkRow(volunteer, name, phone or "", link, message(name, link)))
    return rows


def links_csv(rows: list[LinkRow]) -> bytes:
    """``links-phones.csv``: UTF-8 with a BOM (Excel and the SMS panels read Persian)."""
    from campplanner.io.csv_out import csv_text

    return ("\ufeff" + csv_text(LINK_COLUMNS, [r.cells() for r in rows])).encode("utf-8")


def check_base_url(base_url: str) -> str:
    if not base_url.startswith(("https://", "http://")) or any(c in base_url for c in " \"'<>"):
        raise UsageError(
            f"--base-url must be an address such as https://camps.example.ir, got {base_url!r}"
        )
    return base_url.rstrip("/")


@dataclass(frozen=True)
class ExportedLinks:
    path: str
    links: int
    new: int
    without_phone: int


def export_links(
    instance_path: str,
    solution_path: str,
    folder: str,
    workspace_file: str | None,
    db_url: str | None,
    base_url: str,
    *,
    force: bool = False,
) -> ExportedLinks:
    """``campplanner export --links``: a link for every volunteer of the roster (the live
    one, else a new one in the workspace), written with phone and message to
    ``FOLDER/links-phones.csv``; those links count as sent."""
    from campplanner.app.accounts import workspace_url
    from campplanner.contract.calendar import parse_day
    from campplanner.contract.errors import plain_reason
    from campplanner.contract.instance import load_instance
    from campplanner.contract.solution import roster_triples
    from campplanner.io.outputs import guard_folder, guard_output, write_outputs
    from campplanner.io.solution_reader import load_solution
    from campplanner.workspace import Workspace
    from campplanner.workspace.probe import not_a_workspace

    base_url = check_base_url(base_url)
    guard_folder(folder, [instance_path, solution_path])
    if Path(folder, LINKS_FILE).exists():
        guard_output(Path(folder, LINKS_FILE), [instance_path, solution_path], force=force)
    instance = load_instance(instance_path)
    solution = load_solution(solution_path, instance)
    url = workspace_url(workspace_file, db_url)
    where = url.split("@")[-1]
    try:
        refused = not_a_workspace(url)  # another program's database is never written to
        workspace = None if refused else Workspace(url)
    except Exception as error:  # whatever the driver raises: said in a planner's words
        raise UsageError(f"{where}: cannot open the workspace ({plain_reason(error)})") from None
    if workspace is None:
        raise UsageError(f"{where}: cannot open the workspace: {refused}")
    try:
        store = LinkStore(workspace)
        assigned = {v for v, _, _ in roster_triples(solution)}
        camps = {c.id: c for c in instance.camps}
        ends = [parse_day(camps[c].end, instance.calendar) for _, c, _ in roster_triples(solution)]
        people = [(v.id, v.name, v.phone) for v in instance.volunteers if v.id in assigned]
        expires = season_end(ends)
        if expires <= datetime.now(UTC):
            raise UsageError(
                f"{solution_path}: its season ended before {expires:%Y-%m-%d} (UTC): its "
                "links would open nothing; nothing was written"
            )
        issued = issue(
            store, [p[0] for p in people], workspace.published(), expires, "command-line"
        )
        rows = link_rows(people, {v: t for v, (_, t) in issued.items()}, base_url)
        write_outputs([], [(Path(folder), {LINKS_FILE: links_csv(rows)})])
        sent = store.live(datetime.now(UTC))
        store.mark([sent[p[0]].id for p in people if p[0] in sent], "sent_at")
        workspace.log("download", by="command-line", kind="links", phones=True, links=len(rows))
    finally:
        workspace.close()
    return ExportedLinks(
        str(Path(folder, LINKS_FILE)),
        len(rows),
        sum(1 for record, _ in issued.values() if record is None),
        sum(1 for p in people if not p[2]),
    )
