"""The words of ``explain`` in Persian: the twin of :mod:`campplanner.explain.words`,
function for function, with the same arguments and the same evidence.

Written to read right in right-to-left text: numbers in Persian digits, dates as
``۱۴۰۳/۰۳/۰۴`` (Persian digits and ``/`` keep their order, hyphens do not), ranges
with «تا», lists joined by «، » and clauses by «؛ ». Ids (``v01``, ``c1``) stay as the
file writes them: planners type them back.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from campplanner.contract.calendar import format_day, persian_date, to_persian_digits
from campplanner.explain.evidence import (
    EVIDENCE_LIMIT,
    Serving,
    available_spans,
    below_level,
    lower_priority_camps,
    serving_elsewhere,
    too_far,
)
from campplanner.explain.funnel import Busy, Context, Funnel, Masks, dropped
from campplanner.explain.words import SlotWords, Wording
from campplanner.model.problem import Problem

CAUSES: dict[str, str] = {
    "no_skill": "هیچ‌کس این مهارت را ندارد",
    "level": "هیچ‌کس این مهارت را در سطح خواسته‌شده ندارد",
    "dates": "هیچ فرد واجد شرایطی در تاریخ‌های اردو آزاد نیست",
    "gender": "هیچ فرد واجد شرایط و آزادی هم‌جنس اردو نیست",
    "distance": "اردو دورتر از مسافتی است که افراد واجد شرایط سفر می‌کنند",
    "forbidden": "افراد واجد شرایط در این اردو منع شده‌اند",
    "no_camps": "افراد واجد شرایط مجاز به هیچ اردویی نیستند (max_camps برابر ۰)",
    "busy": "افراد واجد شرایط جای دیگری یا در نقش دیگری در همین اردو خدمت می‌کنند",
    "beds": "تخت‌های اردو پر است",
    "shared": "همان افراد برای چند نقش ضروری لازم‌اند",
    "improvable": "فرد آزادی می‌توانست این جا را پر کند: برنامه بهترین نیست",
    "essential": "یک نقش ضروری پر نشد، پس اردو لغو شد",
    "nobody": "هیچ جایی از اردو پر نشد",
}

_STATUS = {"optimal": "بهینه", "feasible": "شدنی", "infeasible": "ناشدنی", "unknown": "نامعلوم"}
_GENDER = {1: "خواهران", 2: "برادران"}


def _n(value: int | float) -> str:
    """A count or km in Persian digits."""
    return to_persian_digits(f"{value:.0f}" if isinstance(value, float) else str(value))


def _day(p: Problem, ordinal: int) -> str:
    return persian_date(format_day(ordinal, p.calendar))


def _camp_dates(p: Problem, camp: int) -> str:
    first, last = p.camp_days(camp)
    return f"{persian_date(first)} تا {persian_date(last)}"


def _skill(p: Problem, s: int) -> str:
    name, sid = p.skill_names[s], p.skill_ids[s]
    return sid if name == sid else f"{name} ({sid})"


def _skill_at(p: Problem, r: int) -> str:
    level = int(p.requirement_level[r])
    text = _skill(p, int(p.requirement_skill[r]))
    return text + (f" با سطح {_n(level)} یا بالاتر" if level > 1 else "")


def _people(n: int) -> str:
    return f"{_n(n)} نفر"


def _none_or_only(n: int) -> str:
    return "هیچ‌کس" if n == 0 else f"فقط {_people(n)}"


def _none_or_only_is(n: int, predicate: str) -> str:
    """ "هیچ‌کس … نیست" or "فقط ۲ نفر … است": Persian negates the verb after «هیچ‌کس»."""
    return f"{_none_or_only(n)} {predicate} {'نیست' if n == 0 else 'است'}"


def _forbidden_share(funnel: Funnel) -> str:
    left = funnel.left_after("forbidden")
    return "همه‌ی آنان" if left == 0 else f"همه جز {_people(left)} از آنان"


def _named(p: Problem, volunteers: np.ndarray, describe: Callable[[int], str]) -> str:
    shown = [describe(int(v)) for v in volunteers[:EVIDENCE_LIMIT]]
    more = len(volunteers) - len(shown)
    return "، ".join(shown) + (f" و {_people(more)} دیگر" if more > 0 else "")


def _wanted(ctx: Context, r: int, missing: int) -> str:
    """The base fix: how many more people, of what, when, where."""
    p = ctx.problem
    c = int(p.requirement_camp[r])
    noun = {1: "خواهر", 2: "برادر"}.get(int(p.camp_gender[c]), "نفر")
    place = p.place_names[int(p.camp_place[c])]
    return (
        f"{_n(missing)} {noun} دیگر با مهارت {_skill_at(p, r)}، آزاد از "
        f"{_camp_dates(p, c)}، که حاضر باشد تا {place} سفر کند"
    )


def no_skill_words(
    ctx: Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    masks: Masks,
) -> tuple[str, str]:
    """Too few volunteers have the skill at any level."""
    p = ctx.problem
    have = funnel.left_after("no_skill")
    skill = _skill(p, int(p.requirement_skill[r]))
    why = (
        f"هیچ‌کس در پرونده مهارت {skill} را ندارد"
        if have == 0
        else f"فقط {_people(have)} در پرونده مهارت {skill} را دارند، "
        f"{_people(int(p.requirement_count[r]))} خواسته شده"
    )
    return why, _wanted(ctx, r, missing)


def level_words(
    ctx: Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    masks: Masks,
) -> tuple[str, str]:
    """People have the skill, too few at the level asked."""
    p = ctx.problem
    s, level = int(p.requirement_skill[r]), int(p.requirement_level[r])
    facts = below_level(ctx, r, masks)
    why = (
        f"{_people(funnel.left_after('no_skill'))} مهارت {_skill(p, s)} را دارند، "
        + _none_or_only_is(funnel.left_after("level"), f"در سطح {_n(level)}")
        + ": "
        + _named(p, facts.below, lambda v: f"{p.volunteer_label(v)} سطح {_n(int(facts.held[v]))}")
    )
    fix = _wanted(ctx, r, missing)
    if facts.would:
        fix += (
            f"؛ یا سطح {_n(facts.best)} پذیرفته شود، که {_people(facts.would)} "
            f"زیر سطح {_n(level)} آن را دارند"
        )
    return why, fix


def dates_words(
    ctx: Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    masks: Masks,
) -> tuple[str, str]:
    """Qualified people exist, too few free for the whole of the camp."""
    p = ctx.problem
    c = int(p.requirement_camp[r])
    away = dropped(masks, "dates")

    def ranges(v: int) -> str:
        spans = available_spans(p, v)
        if not spans:
            return f"{p.volunteer_label(v)} هیچ روزی آزاد نیست"
        days = "، ".join(f"{_day(p, a)} تا {_day(p, b)}" for a, b in spans)
        return f"{p.volunteer_label(v)} آزاد از {days}"

    why = (
        f"{_people(funnel.left_after('level'))} مهارت {_skill_at(p, r)} را دارند، "
        + _none_or_only_is(funnel.left_after("dates"), f"در تمام روزهای {_camp_dates(p, c)} آزاد")
        + ": "
        + _named(p, away, ranges)
    )
    return why, _wanted(ctx, r, missing)


def gender_words(
    ctx: Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    masks: Masks,
) -> tuple[str, str]:
    """Qualified, free people exist, too few of the single-gender camp's gender."""
    p = ctx.problem
    c = int(p.requirement_camp[r])
    wanted = _GENDER[int(p.camp_gender[c])]
    other = dropped(masks, "gender")
    why = (
        f"{_people(funnel.left_after('dates'))} با مهارت {_skill_at(p, r)} در این تاریخ‌ها "
        "آزادند و "
        + _none_or_only_is(funnel.left_after("gender"), f"از آنان از {wanted}")
        + f" (اردو ویژه‌ی {wanted} است)؛ دیگران: "
        + _named(p, other, lambda v: p.volunteer_label(v))
    )
    return why, _wanted(ctx, r, missing)


def distance_words(
    ctx: Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    masks: Masks,
) -> tuple[str, str]:
    """Qualified people exist, too few will travel as far as the camp."""
    p = ctx.problem
    facts = too_far(ctx, r, masks)
    km, far = facts.km, facts.far
    why = (
        f"{_people(funnel.left_after('gender'))} با مهارت {_skill_at(p, r)} می‌توانستند "
        "بیایند، "
        + _none_or_only_is(funnel.left_after("distance"), "حاضر به این مسافت")
        + ": "
        + _named(
            p,
            far,
            lambda v: (
                f"{p.volunteer_label(v)} {_n(float(km[v]))} کیلومتر دورتر ساکن است، "
                f"حداکثر {_n(float(facts.max_km[v]))} کیلومتر"
            ),
        )
    )
    fix = _wanted(ctx, r, missing)
    if far.size:
        v = int(far[0])
        fix += f"؛ یا {p.volunteer_label(v)} بپذیرد تا {_n(int(np.ceil(km[v])))} کیلومتر سفر کند"
    return why, fix


def forbidden_words(
    ctx: Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    masks: Masks,
) -> tuple[str, str]:
    """Qualified people exist, but the file forbids them at this camp."""
    p = ctx.problem
    banned = dropped(masks, "forbidden")
    names = _named(p, banned, lambda v: p.volunteer_label(v))
    why = (
        f"{_people(funnel.left_after('distance'))} با مهارت {_skill_at(p, r)} می‌توانستند "
        f"بیایند، اما پرونده {_forbidden_share(funnel)} را در این اردو منع کرده است: {names}"
    )
    fix = _wanted(ctx, r, missing) + f"؛ یا منع {names} برداشته شود"
    return why, fix


def no_camps_words(
    ctx: Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    masks: Masks,
) -> tuple[str, str]:
    """Qualified people exist, but their max_camps is 0."""
    p = ctx.problem
    idle = dropped(masks, "no_camps")
    names = _named(p, idle, lambda v: p.volunteer_label(v))
    why = (
        f"{_people(funnel.left_after('forbidden'))} با مهارت {_skill_at(p, r)} می‌توانستند "
        f"بیایند، اما مجاز به هیچ اردویی نیستند (max_camps برابر ۰): {names}"
    )
    fix = _wanted(ctx, r, missing) + f"؛ یا max_camps {names} افزایش یابد"
    return why, fix


def _serving(p: Problem, place: Serving) -> str:
    """Where a busy person serves and why that keeps them away (H3, H4 or H5)."""
    if place.rule == "H3":
        return f"همین اردو، در نقش {p.skill_ids[place.skill]}"
    if place.rule == "H4":
        gap = place.rest_days
        why_not = (
            "هم‌زمان است"
            if gap < 0
            else f"{_n(gap)} روز استراحت میان دو اردو، {_n(p.rest_days)} روز لازم است"
        )
    else:
        why_not = f"حداکثر {_n(place.max_camps)} اردو"
    return (
        f"{p.camp_label(place.camp)} در نقش {p.skill_ids[place.skill]} "
        f"(اولویت {_n(int(p.camp_priority[place.camp]))}، {why_not})"
    )


def busy_words(
    ctx: Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    masks: Masks,
) -> tuple[str, str]:
    """Enough people qualify, but each serves in a camp that conflicts with this one."""
    p = ctx.problem
    c = int(p.requirement_camp[r])
    seen = serving_elsewhere(p, c, busy)
    volunteers = np.array(list(seen), dtype=np.int64)
    here = int(ctx.filled[r])
    filling = f"؛ {_people(here)} جاهای دیگر این نقش را پر کرده‌اند" if here else ""
    if free:
        filling += f"؛ فقط {_people(free)} آزادند"
    rest = "هر یک از بقیه" if here or free else "هر یک از آنان"
    why = (
        f"{_people(funnel.qualified)} با مهارت {_skill_at(p, r)} می‌توانستند بیایند{filling}؛ "
        f"{rest} جای دیگری خدمت می‌کند: "
        + _named(
            p,
            volunteers,
            lambda v: (
                f"{p.volunteer_label(v)} در " + "؛ ".join(_serving(p, place) for place in seen[v])
            ),
        )
    )
    fix = _wanted(ctx, r, missing - free)
    lower = lower_priority_camps(p, c, busy)
    if lower:
        fix += "؛ یا کسی از اردویی با اولویت کمتر به این اردو بیاید: " + "، ".join(
            p.camp_label(k) for k in lower
        )
    return why, fix


def beds_words(
    ctx: Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    masks: Masks,
) -> tuple[str, str]:
    """Someone free could come, but the camp is at capacity."""
    p = ctx.problem
    c = int(p.requirement_camp[r])
    why = (
        f"{_people(free)} با مهارت {_skill_at(p, r)} آزادند و می‌توانند بیایند، "
        f"اما هر {_n(int(p.camp_capacity[c]))} تخت اردو پر است"
    )
    return why, f"{_n(min(missing, free))} تخت بیشتر در {p.camp_label(c)}"


def improvable_words(
    ctx: Context,
    r: int,
    missing: int,
    funnel: Funnel,
    busy: tuple[Busy, ...],
    free: int,
    masks: Masks,
) -> tuple[str, str]:
    """Someone free could come and there is a bed: the roster is not the best one."""
    p = ctx.problem
    why = (
        f"{_people(free)} با مهارت {_skill_at(p, r)} آزادند و می‌توانند بیایند و تخت هست: "
        f"این برنامه ({_STATUS.get(ctx.status, ctx.status)}) بهترین برنامه‌ی ممکن نیست"
    )
    return why, "دوباره با --time-limit بلندتر حل کنید"


SLOT_WORDS: dict[str, SlotWords] = {
    "no_skill": no_skill_words,
    "level": level_words,
    "dates": dates_words,
    "gender": gender_words,
    "distance": distance_words,
    "forbidden": forbidden_words,
    "no_camps": no_camps_words,
    "busy": busy_words,
    "beds": beds_words,
    "improvable": improvable_words,
}


# ---------------------------------------------------------------- cancelled camps


def essential_words(p: Problem, shorts: list[tuple[int, str, str]]) -> tuple[str, str]:
    """A camp cancelled for its short essential roles: (requirement, why, fix) of each."""
    roles = "، ".join(_skill_at(p, r) for r, _, _ in shorts)
    noun = "نقش‌های ضروری" if len(shorts) > 1 else "نقش ضروری"
    why = f"{noun} {roles} پر نشد: " + "؛ ".join(w for _, w, _ in shorts)
    return why, "؛ ".join(f for _, _, f in shorts)


def nobody_words(shorts: list[tuple[int, str, str]]) -> tuple[str, str]:
    """A camp without essential roles none of whose slots could be filled."""
    why = "هیچ جایی از اردو پر نشد: " + "؛ ".join(w for _, w, _ in shorts)
    return why, "؛ ".join(f for _, _, f in shorts)


def camp_beds_words(p: Problem, camp: int, total: int) -> tuple[str, str]:
    """The essential roles need more people than the camp has beds."""
    capacity = int(p.camp_capacity[camp])
    why = f"نقش‌های ضروری {_people(total)} لازم دارند و اردو {_n(capacity)} تخت دارد"
    return why, f"{_n(total - capacity)} تخت بیشتر در {p.camp_label(camp)}"


def shared_words(
    p: Problem, camp: int, requirements: list[int], total: int, matched: int, pool: np.ndarray
) -> tuple[str, str]:
    """The same few people are the only ones for several essential roles (H3)."""
    roles = "، ".join(_skill_at(p, r) for r in requirements)
    why = (
        f"نقش‌های ضروری ({roles}) {_people(total)} لازم دارند، اما فقط {_people(matched)} "
        "می‌توانند هم‌زمان آن‌ها را پر کنند، چون هر نفر یک نقش می‌گیرد (H3)؛ "
        "افراد آزادی که می‌توانند: " + _named(p, pool, lambda v: p.volunteer_label(v))
    )
    fix = f"{_people(total - matched)} دیگر برای {roles}، آزاد از {_camp_dates(p, camp)}"
    return why, fix


def camp_improvable_words(status: str, essentials: bool) -> tuple[str, str]:
    """Free people could have run the camp: the roster is not the best."""
    what = "نقش‌های ضروری آن" if essentials else "جاهای آن"
    why = (
        f"افراد آزاد می‌توانستند {what} را پر کنند: "
        f"این برنامه ({_STATUS.get(status, status)}) بهترین برنامه‌ی ممکن نیست"
    )
    return why, "دوباره با --time-limit بلندتر حل کنید"


PERSIAN = Wording(
    causes=CAUSES,
    slot=SLOT_WORDS,
    essential=essential_words,
    nobody=nobody_words,
    camp_beds=camp_beds_words,
    shared=shared_words,
    camp_improvable=camp_improvable_words,
)
