"""The words of ``explain`` in English: templates over the facts, nothing else.

The fields each template may name are the facts of its reason
(:mod:`campplanner.explain.evidence`); the syntax is in :mod:`campplanner.explain.words`.
"""

from __future__ import annotations

from campplanner.explain.words import Wording
from campplanner.model.rules import RULES

ENGLISH = Wording(
    code="en",
    causes={
        "no_skill": "nobody has the skill",
        "level": "nobody has the skill at the level asked",
        "dates": "nobody qualified is free on the camp's dates",
        "gender": "nobody qualified and free is of the camp's gender",
        "distance": "the camp is farther than the qualified people will travel",
        "forbidden": "the qualified people are forbidden at this camp",
        "no_camps": "the qualified people may join no camp (max_camps 0)",
        "busy": "the qualified people serve elsewhere, or in another role here",
        "beds": "the camp's beds are full",
        "shared": "the same people are needed for several essential roles",
        "improvable": "someone free could fill it: the roster is not the best",
        "essential": "an essential role could not be filled, so the camp was cancelled",
        "nobody": "no slot of the camp could be filled",
    },
    slot_why={
        "no_skill": "{have:have_skill}",
        "level": "{having:people} {having:has} {role:skill}, {at_level:none_or_only} at level "
        "{level}: {below:person_level}",
        "dates": "{having:people} {having:has} {role:role}, {free_then:none_or_only} free for "
        "the whole of {first} to {last}: {away:person_days}",
        "gender": "{free_then:people} with {role:role} are free on the dates, "
        "{of_gender:none_or_only} of them {gender:gender_people} (the camp is for "
        "{gender:gender_people} only): {others:person}",
        "distance": "{could:people} with {role:role} could come, {will:none_or_only} will "
        "travel that far: {far:person_far}",
        "forbidden": "{could:people} with {role:role} could come, but the file forbids "
        "{allowed:forbidden_share} at this camp: {banned:person}",
        "no_camps": "{could:people} with {role:role} could come, but may join no camp "
        "(max_camps 0): {idle:person}",
        "busy": "{qualified:people} with {role:role} could come{here:filling_here}"
        "{free:filling_free}; {some_placed:rest} serves elsewhere: {serving:person_serving}",
        "beds": "{free:people} with {role:role} {free:is} free to come, but all {capacity} "
        "beds of the camp are taken",
        "improvable": "{free:people} with {role:role} {free:is} free to come and there is a "
        "bed: the roster ({status}) is not the best possible",
    },
    camp_why={
        "essential": "essential {count:role_word} {roles:role} could not be filled: "
        "{role_whys:sentence}",
        "nobody": "no slot could be filled: {role_whys:sentence}",
        "beds": "the essential roles need {total} people and the camp has {capacity} beds",
        "shared": "the essential roles ({roles:role}) need {total} people, but only {matched} "
        "can fill them at once, as one person holds one role ({rule}); the free people who "
        "could: {pool:person}",
        "improvable": "free people could fill {essentials:its_roles}: the roster ({status}) is "
        "not the best possible",
    },
    fixes={
        "wanted": "{gender:more_of_gender} with {role:role}, available {first} to {last}, "
        "willing to travel to {place}",
        "wanted_free": "{gender:more_of_gender} with {role:role}, free {first} to {last}, "
        "willing to travel to {place}",
        "lower_level": "accept level {best}, which {would:people} below level {level} {would:has}",
        "travel_farther": "{label} agrees to travel {km} km",
        "lift_forbidden": "lift the forbidden entry of {banned:person}",
        "raise_max_camps": "raise max_camps of {idle:person}",
        "move_from_lower": "move someone from a camp of lower priority: {camps:camp}",
        "more_beds": "{beds:more_beds} at {camp}",
        "more_for_roles": "{extra:more_people} for {roles:role}, free {first} to {last}",
        "solve_longer": "solve again with a longer --time-limit",
        "each_role": "{role_fixes:sentence}",
    },
    phrases={
        "role": "{skill}{level:at_level}",
        "skill": "{skill}",
        "person": "{label}",
        "person_level": "{label} level {held}",
        "person_days": "{label} {free_days:available}",
        "span": "{from}..{to}",
        "person_far": "{label} lives {km:.0f} km away, max {max_km:g} km",
        "person_serving": "{label} in {places:served}",
        "served": "{kind:served_at}",
        "camp": "{camp}",
        "sentence": "{text}",
    },
    choices={
        "people": {"=1": "1 person", "other": "{n} people"},
        "has": {"=1": "has", "other": "have"},
        "is": {"=1": "is", "other": "are"},
        "none_or_only": {"=0": "none", "other": "only {n}"},
        "at_level": {"=0": "", "=1": "", "other": " at level {n}+"},
        "have_skill": {
            "=0": "nobody in the file has {role:skill}",
            "other": "only {n:people} in the file {n:has} {role:skill}, {asked} asked",
        },
        "available": {"=False": "available on no day", "other": "available {spans:span}"},
        "gender_people": {"=f": "women", "=m": "men", "other": "people"},
        "forbidden_share": {"=0": "them all", "other": "all but {n} of them"},
        "filling_here": {
            "=0": "",
            "=1": "; 1 fill the other slot",
            "other": "; {n} fill the other slots",
        },
        "filling_free": {"=0": "", "=1": "; only 1 is free", "other": "; only {n} are free"},
        "rest": {"=True": "each of the rest", "other": "each"},
        "served_at": {
            "=same_camp": "this camp already, as {skill_id}",
            "=overlap": "{camp} as {skill_id} (priority {priority}, overlaps)",
            "=rest": "{camp} as {skill_id} (priority {priority}, {rest_days:rest_days} between, "
            "{rest_needed} needed)",
            "other": "{camp} as {skill_id} (priority {priority}, max {max_camps:camps})",
        },
        "rest_days": {"=1": "1 rest day", "other": "{n} rest days"},
        "camps": {"=1": "1 camp", "other": "{n} camps"},
        "more_of_gender": {
            "=f": "{missing:more_women}",
            "=m": "{missing:more_men}",
            "other": "{missing:more_people}",
        },
        "more_women": {"=1": "1 more woman", "other": "{n} more women"},
        "more_men": {"=1": "1 more man", "other": "{n} more men"},
        "more_people": {"=1": "1 more person", "other": "{n} more people"},
        "more_beds": {"=1": "1 more bed", "other": "{n} more beds"},
        "role_word": {"=1": "role", "other": "roles"},
        "its_roles": {"=True": "its essential roles", "other": "its slots"},
        "rule": {f"={rule.id}": rule.title for rule in RULES},
        "view_level": {"=0": "", "=1": "", "other": " level {n}+"},
        "changes": {"=1": "1 change", "other": "{n} changes"},
    },
    more=" and {n} more",
    person_why={
        "no_skill": "does not have a skill the camp asks for",
        "level": "has the camp's skills below the level asked, or no longer valid on its last day",
        "dates": "is not free for the whole camp",
        "gender": "is not of the camp's gender",
        "distance": "the camp is farther than they travel",
        "forbidden": "is forbidden at this camp",
        "no_camps": "may join no camp (max_camps 0)",
        "no_room": "every slot of their skills and every bed is held by locked people",
        "full": "their roles there are full: they would only take someone's place",
        "no_gain": "coverage would not rise: the camp cannot run with them alone, or "
        "someone as useful would have to give their place up",
    },
)

# The terminal's lines around the reasons (``explain``, and ``solve``'s short form):
# cli/explain_view.py prints them, in the language of ``--lang``.
ENGLISH_VIEW: dict[str, str] = {
    "role": "{skill_name} ({skill_id}){level:view_level}",
    "unfilled": "x{n} unfilled",
    "cause": "{cause}: {name}",
    "why": "why",
    "fix": "fix",
    "cancelled": "CANCELLED",
    "all_filled": "Every slot of the roster is filled.",
    "all_filled_camp": "Every slot of this camp is filled.",
    "cancelled_camps": "Cancelled camps ({n})",
    "unfilled_slots": "Unfilled slots in camps that run ({n})",
    "by_reason": "Unfilled slots by reason: {counts}",
    "count": "{cause} {n}",
    "count_join": ", ",
    "short_cancelled": "Cancelled {camp} - {name}; fix: {fix}",
    "short_cancelled_role": "Cancelled {camp} - {role}: {name}; fix: {fix}",
    "more_cancelled": "... and {n} more cancelled camps",
    "see_evidence": "Run `campplanner explain INSTANCE SOLUTION` for the evidence.",
    "per_camp": "Objective per camp",
    "per_volunteer": "Objective per volunteer",
    "costliest": " (the {shown} costliest of {total})",
    "col_camp": "camp",
    "col_priority": "priority",
    "col_filled": "filled",
    "col_coverage": "coverage",
    "col_cost": "cost",
    "col_volunteer": "volunteer",
    "col_camps": "camps",
    "column_travel": "km",
    "column_group": "group splits",
    "column_fairness": "extra camps",
    "total": "total",
    "filled_of": "{filled}/{asked}",
    "wanted_none": "{who} could fill none of the empty slots, or is free for them.",
    "wanted": "Empty slots {who} could have filled",
    "kept_by": "{camp}: {role} - kept by {busy}",
    "busy_at": "{camp} (priority {priority}, {rule})",
    "to_run_not": "To run it: not possible - {why}",
    "why_not_runs_already": "the camp runs already",
    "why_not_too_few_qualified": "too few people are qualified and free on its dates for an "
    "essential role, whatever else moves",
    "why_not_not_found": "no roster found that runs it by moving the people of up to {n} camps",
    "to_run": "To run it: {moves:changes}, coverage {before:,} -> {after:,} ({change:+,}), "
    "every rule kept",
    "joins": "joins {place}",
    "leaves": "leaves {place}",
    "place": "{camp} as {role}",
    "stops": "stops running",
    "starts": "runs too",
    "slot_of_cancelled": "nobody serves in a camp that does not run, and this one does not: "
    "{cause}",
    "head": "{source}: status {status}, coverage {coverage:,}",
    "no_roster": "No roster was found in the time given: there is nothing to explain.",
    "impossible_locks": "These locks can never hold, whatever the roster:",
    "locks_contradict": "These locks contradict each other - {head}",
    "locks_agree": "The locks of this instance do not contradict each other (now).",
    "infeasible": "infeasible:",
}
