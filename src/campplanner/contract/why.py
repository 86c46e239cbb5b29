"""Why a lock or a published assignment can never hold, as a fact; and the notes about a
roster read against its instance (changed since; what a frozen re-plan keeps), likewise.

Made by the model and the solver, worded by the views: it sits in the contract so that
the words (explain/words.py) and the checker's views read it without loading the model.
"""

from __future__ import annotations

# Why a lock or a published assignment can never hold, as a fact: a kind and its
# values (ids as written, numbers as numbers, days as the file's calendar writes them).
# The text of a ``Why`` is its English sentence, from these templates, so the solution
# file and every English line read it as a string; another language words the same
# facts at the edge (explain/words_fa.py ``lock_why``).
WHY_ENGLISH: dict[str, str] = {
    "expired": "H1: {who}'s {skill} is valid until {until}, camp {camp} ends {ends}",
    "level": "H1: {who} has {skill} at level {level}, camp {camp} needs level {needed}",
    "no_skill": "H1: {who} does not have {skill}, camp {camp} needs level {needed}",
    "dates": "H2: {who} is not available for all the days of camp {camp}",
    "gender": "H7: camp {camp} is single-gender and {who} is not of that gender",
    "distance": "H8: camp {camp} is {km:.0f} road km from {who}'s home, more than {limit:g}",
    "forbidden": "H10: {who} at camp {camp} is also forbidden",
    "no_camps": "H5: {who} may join no camp (max_camps 0)",
    "cannot": "{who} cannot serve camp {camp}",
    "no_slot": "camp {camp} has no slot for {skill}",
    # a published assignment whose volunteer, camp or role the instance no longer has
    "gone_volunteer": "{who} is no longer in the instance",
    "gone_camp": "camp {camp} is no longer in the instance",
    "not_asked": "camp {camp} no longer asks for {skill}",
    "locked": "locked[{index}]: {why}",
    "clash": "locked[{index}]: {who} at camp {camp} breaks H3..H6 together with the locks before "
    "it (one role per camp, no overlap, max_camps, slots, beds)",
    "clash_kept": "kept as published: {who} at camp {camp} breaks H3..H6 together with the "
    "locks before it (one role per camp, no overlap, max_camps, slots, beds)",
    # locks that contradict (solver/conflicts.py): the head, the rule's summary, each lock
    "conflict": "{rule}: {summary}",
    "conflict_partial": "{rule}: {summary} (time ran out: this set may not be the smallest)",
    "roles_one_camp": "{who} is locked into {n} roles in one camp, {camp}",
    "overlap": "{who} is locked into camps that overlap",
    "rest_1": "{who} is locked into camps with fewer than {rest} rest day between them",
    "rest": "{who} is locked into camps with fewer than {rest} rest days between them",
    "max_camps": "{who} is locked into {n} camps but may join at most {limit}",
    "slots": "{n} people are locked into the {skill} slots of {camp}, which has {count}",
    "beds": "{n} people are locked into {camp}, which has {capacity} beds",
    "essential_1": "the lock makes {camps} run, but its essential slots cannot all be filled",
    "essential": "together these locks make {camps} run, and its essential slots cannot all "
    "be filled with the people the locks leave free",
    "together": "these locks cannot all hold together",
    "lock": "locked[{index}]: {who} as {skill} in {camp}, {first} to {last}",
    "lock_kept": "kept as published (--freeze-until): {who} as {skill} in {camp}, {first} to "
    "{last}",
    # what a planner should know before reading a roster against its instance (the notes
    # of contract.solution.match_instance and app.solving's re-plans)
    "instance_changed": "{path}: instance changed since this roster: {volunteers:,} "
    "volunteer(s) and {camps_changed:,} camp(s) differ (added, removed or edited)",
    "frozen": "--freeze-until {until}: {camps_frozen} camp(s) starting before it keep their "
    "published teams; {confirmed} confirmed assignment(s) move only to run an essential role",
    "cannot_keep": "cannot keep {who} as {skill} in {camp} as published: {why}",
    "frozen_cannot_run": "camp {camp} starts before {until} but lost part of its essential "
    "team: it cannot run as published",
    "confirmed_moved": "{who} had confirmed {skill} in {camp}, and moves to {to}: the only way "
    "found to run an essential role",
    "role_in": "{skill} in {camp}",  # a place in a roster; several: places of role_in
    "places": "{one}, {others}",
    "no_camp": "no camp",
}
WHY_DAYS = frozenset({"until", "ends", "first", "last"})  # the facts that are days


class Why(str):
    """A reason as a fact: ``kind`` (a key of :data:`WHY_ENGLISH`) and ``facts``; as a
    string, its English sentence."""

    kind: str
    facts: dict[str, object]

    def __new__(cls, kind: str, **facts: object) -> Why:
        text = WHY_ENGLISH[kind].format(**facts)
        why = super().__new__(cls, text)
        why.kind, why.facts = kind, facts
        return why

    def __reduce__(self) -> tuple:
        return (_why, (self.kind, self.facts))


def _why(kind: str, facts: dict[str, object]) -> Why:
    return Why(kind, **facts)


# A reason kept in a file (a solution file's ``replan.no_longer_possible[].why_facts``):
# its kind and facts beside its English sentence, so that a later reader (the call
# list) words it in its own language. Only flat facts are kept: ids, numbers, days.
def why_facts(why: str) -> dict[str, object] | None:
    """``why``'s kind and facts as a JSON object, or None (a plain text, or nested facts)."""
    if not isinstance(why, Why):
        return None
    if not all(
        isinstance(v, str | int | float) and not isinstance(v, Why) for v in why.facts.values()
    ):
        return None
    return {"kind": why.kind, **why.facts}


def why_read(text: str, facts: dict[str, object] | None) -> str:
    """The reason a file kept: a ``Why`` again when its facts are there and still say
    ``text`` (a hand-edited sentence is kept as typed), else ``text`` itself."""
    if not facts or facts.get("kind") not in WHY_ENGLISH:
        return text
    values = {k: v for k, v in facts.items() if k != "kind"}
    try:
        why = Why(str(facts["kind"]), **values)
    except (KeyError, ValueError, IndexError, TypeError):  # facts that do not fit the kind
        return text
    return why if why == text else text
