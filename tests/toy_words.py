"""A toy third language for tests/test_words.py: terse "telegraph" English written with
full-width digits and dates with dots, from templates alone (no function, no condition),
to show that a new language is a file of sentences over the facts."""

from __future__ import annotations

from campplanner.explain.words import Wording

TELEGRAPH = Wording(
    code="xx",
    causes={
        "no_skill": "NO SKILL",
        "level": "LEVEL LOW",
        "dates": "DATES",
        "gender": "GENDER",
        "distance": "TOO FAR",
        "forbidden": "FORBIDDEN",
        "no_camps": "NO CAMPS",
        "busy": "BUSY ELSEWHERE",
        "beds": "BEDS FULL",
        "shared": "SAME PEOPLE",
        "improvable": "ROSTER NOT BEST",
        "essential": "ESSENTIAL SHORT",
        "nobody": "NOBODY",
    },
    slot_why={
        "no_skill": "{role:role} HELD BY {have} STOP {asked} ASKED",
        "level": "{role:role} HELD BY {having} STOP {at_level} AT LEVEL {level} STOP {below:below}",
        "dates": "{role:role} FREE {first} TO {last}: {free_then} OF {having} STOP {away:away}",
        "gender": "{role:role} FREE {free_then} STOP OF GENDER {gender}: {of_gender} STOP "
        "{others:who}",
        "distance": "{role:role} COULD {could} STOP WILL TRAVEL {will} STOP {far:far}",
        "forbidden": "{role:role} COULD {could} STOP ALLOWED {allowed} STOP {banned:who}",
        "no_camps": "{role:role} COULD {could} STOP MAX CAMPS ZERO {idle:who}",
        "busy": "{role:role} QUALIFIED {qualified} HERE {here} FREE {free} STOP {serving:serving}",
        "beds": "{role:role} FREE {free} STOP BEDS {capacity} FULL",
        "improvable": "{role:role} FREE {free} STOP ROSTER {status}",
    },
    camp_why={
        "essential": "{count} ROLES SHORT {roles:role}: {role_whys:sentence}",
        "nobody": "NOBODY: {role_whys:sentence}",
        "beds": "NEED {total} BEDS {capacity}",
        "shared": "NEED {total} FOR {roles:role} MATCHED {matched} RULE {rule:rule} {pool:who}",
        "improvable": "ROSTER {status} ESSENTIALS {essentials:yes}",
    },
    fixes={
        "wanted": "SEND {missing} {role:role} TO {place} {first} TO {last}",
        "wanted_free": "SEND {missing} FREE {role:role} TO {place} {first} TO {last}",
        "lower_level": "OR LEVEL {best} GIVES {would}",
        "travel_farther": "OR {label} TRAVELS {km} KM",
        "lift_forbidden": "OR LIFT {banned:who}",
        "raise_max_camps": "OR RAISE {idle:who}",
        "move_from_lower": "OR MOVE FROM {camps:camp}",
        "more_beds": "ADD {beds} BEDS {camp}",
        "more_for_roles": "SEND {extra} FOR {roles:role}",
        "solve_longer": "SOLVE LONGER",
        "each_role": "{role_fixes:sentence}",
    },
    phrases={
        "role": "{skill}/{level}",
        "who": "{label}",
        "below": "{label}/{held}",
        "away": "{label} {spans:span}",
        "span": "{from}-{to}",
        "far": "{label} {km:.0f}/{max_km:.0f}KM",
        "serving": "{label} AT {places:served}",
        "served": "{camp}/{rule}",
        "camp": "{camp}",
        "sentence": "{text}",
    },
    choices={
        "yes": {"=True": "YES", "other": "NO"},
        "rule": {"other": "{n}"},
    },
    more=" +{n}",
    list_join=" ",
    clause_join=" STOP ",
    or_join=" STOP ",
    digits="０１２３４５６７８９",
    date_separator=".",
)
