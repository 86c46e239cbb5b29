"""The words of ``explain``: one language is a set of templates over a reason's facts.

:mod:`campplanner.explain.evidence` decides what a reason states and which fixes apply
(:mod:`campplanner.explain.facts`); a :class:`Wording` says it in one language from its
templates alone, so a language is a file of sentences (``words_en.py``,
``words_fa.py``) and decides nothing. Templates are text with fields in braces, as
Python's ``str.format`` writes them:

- ``{name}``: a fact; a number in the language's digits, a day with its digits and
  date separator, a label from the file as written (ids and names are typed back);
- ``{name:choice}``: the form of ``choices[choice]`` picked by the fact's value
  (``"=1"``, ``"=f"``, ``"=True"``; else ``"other"``), itself a template in which
  ``{n}`` is that value: plurals, "nobody" or "only n", a status's name;
- ``{name:phrase}``: ``phrases[phrase]`` said of a fact with facts of its own (a role,
  a person, a camp served in); of a list, said of each, joined by ``list_join`` (by
  ``clause_join`` for the ``clause_phrases``), then ``more`` when some were left out;
- ``{name:.0f}``: a number in that Python format, in the language's digits.

A fix is its kind's template; several that apply are joined by ``or_join``.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from campplanner.explain.facts import (
    CAMP_CAUSES,
    CAUSES,
    FIX_KINDS,
    SLOT_CAUSES,
    WHY_DAYS,
    WHY_ENGLISH,
    CampFacts,
    Day,
    Fact,
    Fix,
    Listed,
    SlotFacts,
    Why,
)

ASCII_DIGITS = "0123456789"


class TemplateError(LookupError):
    """A template names a fact, choice or phrase that is not there."""


@cache
def _parsed(template: str) -> tuple[tuple[str, str | None, str], ...]:
    """(text before, field, spec) of each field of ``template``, parsed once."""
    return tuple(
        (literal, name, spec or "") for literal, name, spec, _ in string.Formatter().parse(template)
    )


@dataclass(frozen=True)
class Wording:
    """Every text of ``explain`` in one language: templates only (see the module)."""

    code: str  # a key of contract.languages.LANGUAGES
    causes: Mapping[str, str]  # cause -> its name, for tables and counts
    slot_why: Mapping[str, str]  # cause of an empty slot -> why, over its SlotFacts
    camp_why: Mapping[str, str]  # cause of a cancelled camp -> why, over its CampFacts
    fixes: Mapping[str, str]  # fix kind -> what would help
    phrases: Mapping[str, str]
    choices: Mapping[str, Mapping[str, str]]
    more: str  # after a list cut short: "and {n} more"
    list_join: str = ", "
    clause_join: str = "; "
    or_join: str = "; or "
    clause_phrases: frozenset[str] = frozenset({"served", "sentence"})
    digits: str = ASCII_DIGITS
    date_separator: str = "-"
    thousands: str = ","  # between groups of three digits, in numbers formatted with ","
    decimal: str = "."  # before the fraction of a number
    # Why one volunteer cannot serve a camp (``campplanner fit``): the funnel filter
    # they fail, or "no_room" / "no_gain" (whatif.fit); plain sentences, no template.
    person_why: Mapping[str, str] = field(default_factory=dict)
    # Why a lock or a published assignment can never hold (model.rules.Why), and the
    # notes about a roster's instance and a frozen re-plan, by kind; none: the reason's
    # own text, its English sentence (contract.why.WHY_ENGLISH).
    lock_why: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        missing = self.missing_templates()
        if missing:
            raise TemplateError(f"language {self.code!r} lacks " + "; ".join(missing))

    def missing_templates(self) -> list[str]:
        """Every cause, fix, choice and phrase a template of this language needs and
        the language does not have, all at once."""
        gaps = []
        for table, keys, what in (
            (self.causes, CAUSES, "the name of cause"),
            (self.slot_why, SLOT_CAUSES, "why for an empty slot's cause"),
            (self.camp_why, CAMP_CAUSES, "why for a cancelled camp's cause"),
            (self.fixes, FIX_KINDS, "the fix"),
        ):
            gaps += [f"{what} {key!r}" for key in keys if key not in table]
        if self.lock_why:
            gaps += [f"the lock's why {k!r}" for k in WHY_ENGLISH if k not in self.lock_why]
        templates = [
            *self.slot_why.values(),
            *self.camp_why.values(),
            *self.fixes.values(),
            *self.lock_why.values(),
            *self.phrases.values(),
            *(form for forms in self.choices.values() for form in forms.values()),
            self.more,
        ]
        for template in templates:
            for _, name, spec in _parsed(template):
                if name is not None and not self._knows(spec):
                    gaps.append(f"the choice or phrase {spec!r} (in {template!r})")
        return sorted(set(gaps))

    def _knows(self, spec: str) -> bool:
        """A spec is a choice, a phrase, or a number format (``.0f``, ``g``)."""
        if not spec or spec in self.choices or spec in self.phrases:
            return True
        try:
            format(0.5, spec)
        except ValueError:
            return False
        return True

    # ------------------------------------------------------------------ reasons

    def slot(self, facts: SlotFacts) -> tuple[str, str]:
        """(why, fix) of an empty slot."""
        fields = facts.fields
        return self.say(self.slot_why[facts.cause], fields), self.fix(facts.fixes, fields)

    def camp(self, facts: CampFacts) -> tuple[str, str]:
        """(why, fix) of a cancelled camp; one whose roles were short says each role's."""
        worded = [self.slot(short) for short in facts.short]
        fields = {
            **facts.fields,
            "role_whys": Listed(tuple({"text": why} for why, _ in worded)),
            "role_fixes": Listed(tuple({"text": fix} for _, fix in worded)),
        }
        return self.say(self.camp_why[facts.cause], fields), self.fix(facts.fixes, fields)

    def fix(self, fixes: tuple[Fix, ...], fields: Mapping[str, Fact]) -> str:
        """The fixes that apply, each in its sentence (over the reason's ``fields`` and
        its own), as alternatives."""
        return self.or_join.join(
            self.say(self.fixes[fix.kind], {**fields, **fix.fields}) for fix in fixes
        )

    def why(self, why: str) -> str:
        """A reason of the model or the solver (a ``Why``: a lock that cannot hold, an
        assignment no longer possible) in this language; another text as it is."""
        if not self.lock_why or not isinstance(why, Why):
            return str(why)
        fields: dict[str, Fact] = {}
        for name, value in why.facts.items():
            if isinstance(value, Why):
                fields[name] = self.why(value)
            elif name in WHY_DAYS:
                fields[name] = Day(value)
            else:
                fields[name] = value  # type: ignore[assignment]
        return self.say(self.lock_why[why.kind], fields)

    # ---------------------------------------------------------------- templates

    def say(self, template: str, fields: Mapping[str, Fact]) -> str:
        """``template`` with each field in braces replaced by its fact, in words."""
        out = []
        for literal, name, spec in _parsed(template):
            out.append(literal)
            if name is None:
                continue
            if name not in fields:
                raise TemplateError(
                    f"language {self.code!r}: {template!r} names {name!r}, a fact this "
                    f"reason does not have ({', '.join(sorted(fields))})"
                )
            out.append(self._field(fields[name], spec, fields))
        return "".join(out)

    def _field(self, value: Fact, spec: str, fields: Mapping[str, Fact]) -> str:
        if isinstance(value, Listed):
            join = self.clause_join if spec in self.clause_phrases else self.list_join
            text = join.join(self.say(self.phrases[spec], {**fields, **i}) for i in value.items)
            return text + (self.say(self.more, {"n": value.more}) if value.more else "")
        if isinstance(value, Mapping):
            return self.say(self.phrases[spec], {**fields, **value})
        if spec in self.choices:
            forms = self.choices[spec]
            form = forms.get(f"={value}", forms.get("other"))
            if form is None:
                raise TemplateError(f"language {self.code!r}: choice {spec!r} has no {value!r}")
            return self.say(form, {**fields, "n": value})
        if spec:
            return self.number(format(value, spec))
        return self.plain(value)

    def plain(self, value: Fact) -> str:
        """A fact alone: numbers and days in this language's digits, labels as written."""
        if isinstance(value, Day):
            return self.number(value.replace("-", self.date_separator))
        if isinstance(value, bool) or not isinstance(value, int | float):
            return str(value)
        return self.number(f"{value:g}" if isinstance(value, float) else str(value))

    def number(self, text: str) -> str:
        """A number written by Python (ASCII digits, "," and ".") in this language's
        digits and separators."""
        if (self.digits, self.thousands, self.decimal) == (ASCII_DIGITS, ",", "."):
            return text
        return text.translate(_digits(self.digits, self.thousands, self.decimal))

    def missing_view(self, view: Mapping[str, str]) -> list[str]:
        """The lines of the terminal's views (:data:`VIEW_KEYS`) that ``view`` lacks, and
        the choices and phrases its templates name that this language does not have."""
        gaps = [f"the line {key!r}" for key in VIEW_KEYS if key not in view]
        for template in view.values():
            for _, name, spec in _parsed(template):
                if name is not None and not self._knows(spec):
                    gaps.append(f"the choice or phrase {spec!r} (in {template!r})")
        return sorted(set(gaps))


@cache
def _digits(digits: str, thousands: str = ",", decimal: str = ".") -> dict[int, int | str]:
    table: dict[int, int | str] = str.maketrans(ASCII_DIGITS, digits)
    table[ord(",")], table[ord(".")] = thousands, decimal
    return table


# The lines of ``explain``'s terminal view (cli/explain_view.py) and of the reasons
# ``solve`` prints, each a template over the view's own fields, in every language
# (``ENGLISH_VIEW`` and ``PERSIAN_VIEW`` beside the reasons' words).
VIEW_KEYS: tuple[str, ...] = (
    # a reason
    "role",
    "unfilled",
    "cause",
    "why",
    "fix",
    "cancelled",
    # the lists of reasons
    "all_filled",
    "all_filled_camp",
    "cancelled_camps",
    "unfilled_slots",
    # solve's short form
    "by_reason",
    "count",
    "count_join",
    "short_cancelled",
    "short_cancelled_role",
    "more_cancelled",
    "see_evidence",
    # the objective's tables
    "per_camp",
    "per_volunteer",
    "costliest",
    "col_camp",
    "col_priority",
    "col_filled",
    "col_coverage",
    "col_cost",
    "col_volunteer",
    "col_camps",
    "column_travel",
    "column_group",
    "column_fairness",
    "total",
    "filled_of",
    # one volunteer
    "wanted_none",
    "wanted",
    "kept_by",
    "busy_at",
    # what would run a cancelled camp
    "to_run_not",
    "why_not_runs_already",
    "why_not_too_few_qualified",
    "why_not_not_found",
    "to_run",
    "joins",
    "leaves",
    "place",
    "stops",
    "starts",
    # an empty slot of a cancelled camp that is none of its short roles
    "slot_of_cancelled",
    # the whole answer
    "head",
    "no_roster",
    "impossible_locks",
    "locks_contradict",
    "locks_agree",
    "infeasible",
)
