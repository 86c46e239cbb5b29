"""The words of ``explain`` in Persian: templates over the facts, nothing else.

Written to read right in right-to-left text: numbers in Persian digits, dates as
``۱۴۰۳/۰۳/۰۴`` (Persian digits and ``/`` keep their order, hyphens do not), ranges
with «تا», lists joined by «، » and clauses by «؛ ». Ids (``v01``, ``c1``) stay as the
file writes them: planners type them back. The rules' titles are the rule registry's
(``model.rules.Rule.title_fa``). Persian negates the verb after «هیچ‌کس», so "nobody
... / only n ... " is a choice over whole clauses here, not over a word.
"""

from __future__ import annotations

from campplanner.explain.words import Wording
from campplanner.model.rules import RULES

_DATES = "{first} تا {last}"

PERSIAN = Wording(
    code="fa",
    causes={
        "no_skill": "هیچ‌کس این مهارت را ندارد",
        "level": "هیچ‌کس این مهارت را در سطح خواسته‌شده ندارد",
        "dates": "هیچ فرد واجد شرایطی در تاریخ‌های اردو آزاد نیست",
        "gender": "هیچ فرد واجد شرایط و آزادی هم‌جنس اردو نیست",
        "distance": "اردو دورتر از مسافتی است که افراد واجد شرایط سفر می‌کنند",
        "forbidden": "افراد واجد شرایط در این اردو منع شده‌اند",
        "no_camps": "افراد واجد شرایط مجاز به هیچ اردویی نیستند (بیشترین تعداد اردو صفر)",
        "busy": "افراد واجد شرایط جای دیگری یا در نقش دیگری در همین اردو خدمت می‌کنند",
        "beds": "تخت‌های اردو پر است",
        "shared": "همان افراد برای چند نقش ضروری لازم‌اند",
        "improvable": "فرد آزادی می‌توانست این جا را پر کند: برنامه بهترین نیست",
        "essential": "یک نقش ضروری پر نشد، پس اردو لغو شد",
        "nobody": "هیچ جایی از اردو پر نشد",
    },
    slot_why={
        "no_skill": "{have:have_skill}",
        "level": "{having:people} مهارت {role:skill} را دارند، {at_level:at_level_only}: "
        "{below:person_level}",
        "dates": "{having:people} مهارت {role:role} را دارند، {free_then:free_then_only}: "
        "{away:person_days}",
        "gender": "{free_then:people} با مهارت {role:role} در این تاریخ‌ها آزادند و "
        "{of_gender:of_gender_only} (اردو ویژه‌ی {gender:gender_people} است)؛ دیگران: "
        "{others:person}",
        "distance": "{could:people} با مهارت {role:role} می‌توانستند بیایند، "
        "{will:will_travel_only}: {far:person_far}",
        "forbidden": "{could:people} با مهارت {role:role} می‌توانستند بیایند، اما پرونده "
        "{allowed:forbidden_share} را در این اردو منع کرده است: {banned:person}",
        "no_camps": "{could:people} با مهارت {role:role} می‌توانستند بیایند، اما مجاز به هیچ "
        "اردویی نیستند (بیشترین تعداد اردو صفر): {idle:person}",
        "busy": "{qualified:people} با مهارت {role:role} می‌توانستند بیایند"
        "{here:filling_here}{free:filling_free}؛ {some_placed:rest} جای دیگری خدمت می‌کند: "
        "{serving:person_serving}",
        "beds": "{free:people} با مهارت {role:role} آزادند و می‌توانند بیایند، اما هر "
        "{capacity} تخت اردو پر است",
        "improvable": "{free:people} با مهارت {role:role} آزادند و می‌توانند بیایند و تخت هست: "
        "این برنامه ({status:status}) بهترین برنامه‌ی ممکن نیست",
    },
    camp_why={
        "essential": "{count:essential_roles} {roles:role} پر نشد: {role_whys:sentence}",
        "nobody": "هیچ جایی از اردو پر نشد: {role_whys:sentence}",
        "beds": "نقش‌های ضروری {total:people} لازم دارند و اردو {capacity} تخت دارد",
        "shared": "نقش‌های ضروری ({roles:role}) {total:people} لازم دارند، اما بنا به قاعده‌ی "
        "«{rule:rule}» فقط {matched:people} می‌توانند هم‌زمان آن‌ها را پر کنند؛ افراد آزادی "
        "که می‌توانند: {pool:person}",
        "improvable": "افراد آزاد می‌توانستند {essentials:its_roles} را پر کنند: "
        "این برنامه ({status:status}) بهترین برنامه‌ی ممکن نیست",
    },
    fixes={
        "wanted": "{missing} {gender:one_more} دیگر با مهارت {role:role}، آزاد از " + _DATES + "، "
        "که حاضر باشد تا {place} سفر کند",
        "wanted_free": "{missing} {gender:one_more} دیگر با مهارت {role:role}، آزاد از "
        + _DATES
        + "، که حاضر باشد تا {place} سفر کند",
        "lower_level": "سطح {best} پذیرفته شود، که {would:people} زیر سطح {level} آن را دارند",
        "travel_farther": "{label} بپذیرد تا {km} کیلومتر سفر کند",
        "lift_forbidden": "منع {banned:person} برداشته شود",
        "raise_max_camps": "بیشترین تعداد اردوی {idle:person} افزایش یابد",
        "move_from_lower": "کسی از اردویی با اولویت کمتر به این اردو بیاید: {camps:camp}",
        "more_beds": "{beds} تخت بیشتر در {camp}",
        "more_for_roles": "{extra:people} دیگر برای {roles:role}، آزاد از " + _DATES,
        "solve_longer": "دوباره با مهلت بلندتری حل کنید",
        "each_role": "{role_fixes:sentence}",
    },
    phrases={
        "role": "{skill_name}{level:at_level}",
        "skill": "{skill_name}",
        "person": "{label}",
        "person_level": "{label} سطح {held}",
        "person_days": "{label} {free_days:available}",
        "span": "{from} تا {to}",
        "person_far": "{label} {km:.0f} کیلومتر دورتر ساکن است، حداکثر {max_km:.0f} کیلومتر",
        "person_serving": "{label} در {places:served}",
        "served": "{kind:served_at}",
        "camp": "{camp}",
        "sentence": "{text}",
    },
    choices={
        "people": {"other": "{n} نفر"},
        "at_level": {"=0": "", "=1": "", "other": " با سطح {n} یا بالاتر"},
        "have_skill": {
            "=0": "هیچ‌کس در پرونده مهارت {role:skill} را ندارد",
            "other": "فقط {n:people} در پرونده مهارت {role:skill} را دارند، "
            "{asked:people} خواسته شده",
        },
        "at_level_only": {
            "=0": "هیچ‌کس در سطح {level} نیست",
            "other": "فقط {n:people} در سطح {level} است",
        },
        "free_then_only": {
            "=0": "هیچ‌کس در تمام روزهای " + _DATES + " آزاد نیست",
            "other": "فقط {n:people} در تمام روزهای " + _DATES + " آزاد است",
        },
        "of_gender_only": {
            "=0": "هیچ‌کس از آنان از {gender:gender_people} نیست",
            "other": "فقط {n:people} از آنان از {gender:gender_people} است",
        },
        "will_travel_only": {
            "=0": "هیچ‌کس حاضر به این مسافت نیست",
            "other": "فقط {n:people} حاضر به این مسافت است",
        },
        "available": {"=False": "هیچ روزی آزاد نیست", "other": "آزاد از {spans:span}"},
        "gender_people": {"=f": "خواهران", "=m": "برادران", "other": "همه"},
        "one_more": {"=f": "خواهر", "=m": "برادر", "other": "نفر"},
        "forbidden_share": {"=0": "همه‌ی آنان", "other": "همه جز {n:people} از آنان"},
        "filling_here": {"=0": "", "other": "؛ {n:people} جاهای دیگر این نقش را پر کرده‌اند"},
        "filling_free": {"=0": "", "other": "؛ فقط {n:people} آزادند"},
        "rest": {"=True": "هر یک از بقیه", "other": "هر یک از آنان"},
        "served_at": {
            "=same_camp": "همین اردو، در نقش {skill_name}",
            "=overlap": "{camp} در نقش {skill_name} (اولویت {priority}، هم‌زمان است)",
            "=rest": "{camp} در نقش {skill_name} (اولویت {priority}، {rest_days} روز استراحت "
            "میان دو اردو، {rest_needed} روز لازم است)",
            "other": "{camp} در نقش {skill_name} (اولویت {priority}، حداکثر {max_camps} اردو)",
        },
        "essential_roles": {"=1": "نقش ضروری", "other": "نقش‌های ضروری"},
        "its_roles": {"=True": "نقش‌های ضروری آن", "other": "جاهای آن"},
        "status": {
            "=optimal": "بهینه",
            "=feasible": "شدنی",
            "=infeasible": "ناشدنی",
            "=unknown": "نامعلوم",
            "other": "{n}",
        },
        "rule": {f"={rule.id}": rule.title_fa for rule in RULES},
    },
    more=" و {n:people} دیگر",
    list_join="، ",
    clause_join="؛ ",
    or_join="؛ یا ",
    digits="۰۱۲۳۴۵۶۷۸۹",
    date_separator="/",
    thousands="٬",
    decimal="٫",
    lock_why={
        "expired": "H1: اعتبار {skill} {who} تا {until} است و اردوی {camp} در {ends} تمام می‌شود",
        "level": "H1: {who} مهارت {skill} را در سطح {level} دارد و اردوی {camp} سطح {needed} "
        "می‌خواهد",
        "no_skill": "H1: {who} مهارت {skill} را ندارد و اردوی {camp} سطح {needed} می‌خواهد",
        "dates": "H2: {who} همهٔ روزهای اردوی {camp} آزاد نیست",
        "gender": "H7: اردوی {camp} تک‌جنسیتی است و {who} از آن جنسیت نیست",
        "distance": "H8: اردوی {camp} {km:.0f} کیلومتر جاده‌ای از خانهٔ {who} دور است، بیش "
        "از {limit:g}",
        "forbidden": "H10: {who} در اردوی {camp} ممنوع هم هست",
        "no_camps": "H5: {who} به هیچ اردویی نمی‌تواند برود (سقف اردوهایش صفر است)",
        "cannot": "{who} نمی‌تواند در اردوی {camp} خدمت کند",
        "no_slot": "اردوی {camp} جایی برای {skill} ندارد",
        "gone_volunteer": "{who} دیگر در پرونده نیست",
        "gone_camp": "اردوی {camp} دیگر در پرونده نیست",
        "not_asked": "اردوی {camp} دیگر {skill} نمی‌خواهد",
        "locked": "قفل شمارهٔ {index}: {why}",
        "clash": "قفل شمارهٔ {index}: {who} در اردوی {camp} همراه با قفل‌های پیش از آن "
        "H3 تا H6 را می‌شکند (یک نقش در هر اردو، بی‌هم‌پوشانی، سقف اردوها، جاها، تخت‌ها)",
        "conflict": "{rule}: {summary}",
        "conflict_partial": "{rule}: {summary} (وقت تمام شد: شاید این کوچک‌ترین مجموعه نباشد)",
        "roles_one_camp": "{who} در یک اردو، {camp}، در {n} نقش قفل شده است",
        "overlap": "{who} در اردوهایی قفل شده که هم‌پوشانی دارند",
        "rest_1": "{who} در اردوهایی قفل شده که کمتر از {rest} روز استراحت میانشان است",
        "rest": "{who} در اردوهایی قفل شده که کمتر از {rest} روز استراحت میانشان است",
        "max_camps": "{who} در {n} اردو قفل شده ولی دست‌بالا در {limit} اردو می‌تواند باشد",
        "slots": "{n} نفر در جاهای {skill} اردوی {camp} قفل شده‌اند و آن اردو {count} جا دارد",
        "beds": "{n} نفر در اردوی {camp} قفل شده‌اند و آن اردو {capacity} تخت دارد",
        "essential_1": "این قفل {camps} را برپا می‌کند، ولی همهٔ جاهای ضروری‌اش پر نمی‌شود",
        "essential": "این قفل‌ها با هم {camps} را برپا می‌کنند، و جاهای ضروری‌اش با کسانی که "
        "قفل‌ها آزاد می‌گذارند پر نمی‌شود",
        "together": "این قفل‌ها با هم برقرار نمی‌مانند",
        "lock": "قفل شمارهٔ {index}: {who} در نقش {skill} در {camp}، {first} تا {last}",
        "lock_kept": "نگه‌داشته چون منتشر شده: {who} در نقش {skill} در {camp}، {first} تا {last}",
        "clash_kept": "نگه‌داشته چون منتشر شده: {who} در اردوی {camp} همراه با قفل‌های پیش "
        "از آن H3 تا H6 را می‌شکند (یک نقش در هر اردو، بی‌هم‌پوشانی، سقف اردوها، جاها، "
        "تخت‌ها)",
        "instance_changed": "{path}: پرونده از زمان این برنامه تغییر کرده است: "
        "{volunteers:,} داوطلب و {camps_changed:,} اردو فرق دارند (افزوده، برداشته یا ویرایش‌شده)",
        "frozen": "ثابت تا {until}: {camps_frozen} اردو که پیش از آن آغاز می‌شوند تیم منتشرشده‌شان "
        "را نگه می‌دارند؛ {confirmed} گمارش تأییدشده فقط برای برپایی نقشی ضروری جابه‌جا "
        "می‌شود",
        "cannot_keep": "{who} را نمی‌توان در نقش {skill} در {camp} چنان‌که منتشر شده نگه داشت: {why}",
        "frozen_cannot_run": "اردوی {camp} پیش از {until} آغاز می‌شود ولی بخشی از تیم "
        "ضروری‌اش را از دست داده است: چنان‌که منتشر شده برپا نمی‌شود",
        "confirmed_moved": "{who} نقش {skill} در {camp} را تأیید کرده بود و به {to} می‌رود: "
        "تنها راهی که برای برپایی نقشی ضروری یافته شد",
        "role_in": "{skill} در {camp}",
        "places": "{one}، {others}",
        "no_camp": "هیچ اردویی",
    },
    person_why={
        "no_skill": "مهارتی را که اردو می‌خواهد ندارد",
        "level": "مهارت‌های اردو را پایین‌تر از سطح خواسته‌شده دارد، یا اعتبارش تا روز آخر "
        "اردو نمی‌ماند",
        "dates": "در همهٔ روزهای اردو آزاد نیست",
        "gender": "هم‌جنس اردوی تک‌جنسیتی نیست",
        "distance": "اردو دورتر از مسافتی است که می‌رود",
        "forbidden": "حضورش در این اردو ممنوع است",
        "no_camps": "در هیچ اردویی شرکت نمی‌کند (بیشترین تعداد اردو صفر)",
        "no_room": "همهٔ جاهای مهارت‌هایش و همهٔ تخت‌ها را افراد قفل‌شده گرفته‌اند",
        "full": "جای نقش‌هایش در آن اردو پر است: فقط جای کسی را می‌گیرد",
        "no_gain": "پوشش بالا نمی‌رود: اردو تنها با او برگزار نمی‌شود، یا کسی به همان اندازه مفید "
        "باید جایش را بدهد",
    },
)

# The terminal's lines around the reasons (``explain``, and ``solve``'s short form), as
# ENGLISH_VIEW has them: cli/explain_view.py prints them under ``--lang fa``. Skills by
# their names, as the reasons say them; numbers in Persian digits and separators.
PERSIAN_VIEW: dict[str, str] = {
    "role": "{skill_name}{level:at_level}",
    "unfilled": "{n} جای خالی",
    "cause": "{name}",
    "why": "چرا",
    "fix": "راه‌حل",
    "cancelled": "لغو شد",
    "all_filled": "همهٔ جاهای برنامه پر است.",
    "all_filled_camp": "همهٔ جاهای این اردو پر است.",
    "cancelled_camps": "اردوهای لغوشده ({n})",
    "unfilled_slots": "جاهای خالی اردوهای برپا ({n})",
    "by_reason": "جاهای خالی به تفکیک علت: {counts}",
    "count": "{name}: {n}",
    "count_join": "؛ ",
    "short_cancelled": "لغو {camp} — {name}؛ راه‌حل: {fix}",
    "short_cancelled_role": "لغو {camp} — {role}: {name}؛ راه‌حل: {fix}",
    "more_cancelled": "... و {n} اردوی لغوشدهٔ دیگر",
    "see_evidence": "شواهد هر علت را campplanner explain با همین دو پرونده نشان می‌دهد.",
    "per_camp": "هدف به تفکیک اردو",
    "per_volunteer": "هدف به تفکیک داوطلب",
    "costliest": " ({shown} پرهزینه‌ترین از {total})",
    "col_camp": "اردو",
    "col_priority": "اولویت",
    "col_filled": "پرشده",
    "col_coverage": "پوشش",
    "col_cost": "هزینه",
    "col_volunteer": "داوطلب",
    "col_camps": "اردوها",
    "column_travel": "کیلومتر",
    "column_group": "پراکندگی گروه",
    "column_fairness": "اردوی اضافه",
    "total": "جمع",
    "filled_of": "{filled} از {asked}",
    "wanted_none": "{who} هیچ‌یک از جاهای خالی را نمی‌توانست پر کند، یا برای آن‌ها آزاد است.",
    "wanted": "جاهای خالی‌ای که {who} می‌توانست پر کند",
    "kept_by": "{camp}: {role} — جای دیگری خدمت می‌کند: {busy}",
    "busy_at": "{camp} (اولویت {priority}، {rule:rule})",
    "to_run_not": "برای برپایی این اردو: ممکن نیست — {why}",
    "why_not_runs_already": "این اردو برپاست",
    "why_not_too_few_qualified": "برای یکی از نقش‌های ضروری، افراد واجد شرایط و آزاد در این "
    "تاریخ‌ها کافی نیستند، هر جابه‌جایی دیگری هم که شود",
    "why_not_not_found": "با جابه‌جایی افراد تا {n} اردوی نزدیک، برنامه‌ای که این اردو را برپا "
    "کند پیدا نشد",
    "to_run": "برای برپایی این اردو: {moves} جابه‌جایی، پوشش از {before:,} به {after:,} "
    "({change:+,})، با رعایت همهٔ قواعد",
    "joins": "می‌آید به {place}",
    "leaves": "می‌رود از {place}",
    "place": "{camp} در نقش {role}",
    "stops": "این اردو لغو می‌شود",
    "starts": "این اردو هم برپا می‌شود",
    "slot_of_cancelled": "در اردویی که برپا نشود کسی خدمت نمی‌کند، و این اردو برپا نمی‌شود: {cause}",
    "head": "{source}: وضعیت {status:status}، پوشش {coverage:,}",
    "no_roster": "در زمان داده‌شده برنامه‌ای پیدا نشد: چیزی برای توضیح نیست.",
    "impossible_locks": "این قفل‌ها با هیچ برنامه‌ای برقرار نمی‌مانند:",
    "locks_contradict": "این قفل‌ها با هم ناسازگارند — {head}",
    "locks_agree": "قفل‌های این نمونه (اکنون) با هم ناسازگار نیستند.",
    "infeasible": "ناشدنی:",
}
