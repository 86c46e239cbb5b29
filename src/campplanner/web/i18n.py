"""The words of the pages in Persian and English, and numbers and dates as planners read them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import jdatetime

from campplanner.app.review.days import Calendar, shown_day, to_persian_digits
from campplanner.app.review.languages import COVERAGE_TITLE, LANGUAGES, RIGHT_TO_LEFT

__all__ = ["LANGUAGES", "WORDS", "Words"]  # LANGUAGES: the one list, contract.languages

# key -> (Persian, English)
WORDS: dict[str, tuple[str, str]] = {
    "app": ("برنامه‌ریز اردوها", "Camp planner"),
    "overview": ("نمای کلی", "Overview"),
    # access (issue 25): the skip link, the map's stand-in on a phone
    "skip_to_content": ("پرش به محتوا", "Skip to content"),
    "map_on_phones": ("اردوهای نقشه به تفکیک وضعیت:", "The map's camps by status:"),
    "county_packets": ("برگه‌های سرپرستان اردوهای این شهرستان", "This county's camp leader pages"),
    # the overview's counts as links, and the filters they lead to (issue 25)
    "essential_empty_camps": ("اردوهای با نقش ضروری خالی", "Camps with an essential role empty"),
    "unassigned_people": ("داوطلبان بی‌اردو", "Volunteers on no camp"),
    "only_unassigned": ("فقط بی‌اردوها", "only those on no camp"),
    "empty_filter": ("جای خالی", "Empty slots"),
    "empty:any": ("هر جای خالی", "any empty slot"),
    "empty:essential": ("نقش ضروری خالی", "an essential role empty"),
    # attendance at the camp (issue 24): the sheet a camp leader fills in
    "attendance": ("حضور در اردو", "Attendance"),
    "attendance_recorded": ("ثبت‌شده", "Recorded"),
    "attendance_came": ("آمد؟", "Came?"),
    "attendance_yes": ("آمد", "came"),
    "attendance_no": ("نیامد", "did not come"),
    "attendance_by": ("ثبت‌کننده", "Recorded by"),
    "attendance_single_user": ("برنامه‌ریز", "the planner"),
    "attendance_record": ("ثبت حضور", "Record attendance"),
    "attendance_no_team": ("این اردو گروهی ندارد.", "This camp has no team."),
    "attendance_history": (
        "سابقهٔ حضور این فصل (برای آزمون غیبت فصل بعد)",
        "This season's attendance history (for next season's no-show test)",
    ),
    # what would run a cancelled camp (whatif/to_run.py)
    "to_run": ("برای برپایی این اردو", "What would run this camp"),
    "to_run_changes": ("کمترین جابه‌جایی:", "fewest changes:"),
    "to_run_rules": ("با رعایت همهٔ قواعد", "every rule kept"),
    "to_run_joins": ("می‌آید به", "joins"),
    "to_run_leaves": ("می‌رود از", "leaves"),
    "to_run_lock_all": (
        "قفل همهٔ این جابه‌جایی‌ها (یک تغییر)",
        "Lock all these changes (one edit)",
    ),
    "edit:run": ("برپایی اردو", "Run a camp"),
    "to_run_stops": ("این اردو لغو می‌شود", "this camp stops running"),
    "to_run_starts": ("این اردو هم برپا می‌شود", "this camp runs too"),
    "to_run_not:runs_already": ("این اردو برپاست.", "The camp runs already."),
    "to_run_not:too_few_qualified": (
        "برای یکی از نقش‌های ضروری، افراد واجد شرایط و آزاد در این تاریخ‌ها کافی نیستند؛ "
        "با هیچ جابه‌جایی برپا نمی‌شود.",
        "Too few people are qualified and free on its dates for an essential role: no "
        "change of the roster runs it.",
    ),
    "to_run_not:not_found": (
        "با جابه‌جایی افراد تا ۳۲ اردوی نزدیک، برنامه‌ای که این اردو را برپا کند پیدا نشد.",
        "No roster found that runs it by moving the people of up to 32 camps.",
    ),
    # a volunteer's private page (issue 24: web/templates/link.html)
    "link_title": ("اردوهای من", "My camps"),
    "link_hello": ("سلام", "Hello"),
    "link_intro": (
        "برای هر اردو بگویید می‌آیید یا نه. اگر نمی‌توانید بیایید، زودتر بگویید "
        "تا کس دیگری جایتان برود.",
        "For each camp, say whether you are coming. If you cannot come, say so early so "
        "that someone else can take your place.",
    ),
    "link_no_camps": (
        "در برنامهٔ منتشرشده، اردویی برای شما نیست.",
        "You are on no camp of the published roster.",
    ),
    "link_dates": ("تاریخ", "Dates"),
    "link_place": ("روستا و شهرستان", "Village and county"),
    "link_role": ("نقش شما", "Your role"),
    "link_you_lead": ("سرپرست این اردو شمایید", "you lead this camp"),
    "link_leader": ("سرپرست اردو", "Camp leader"),
    "link_bring": ("همراه بیاورید", "Bring"),
    "link_team": ("گروه اردو", "The camp's team"),
    "link_answer:none": ("هنوز پاسخ نداده‌اید.", "You have not answered yet."),
    "link_answer:confirm": ("می‌آیید: تأیید شد.", "Coming: confirmed."),
    "link_answer:decline": ("نمی‌آیید: به برنامه‌ریز خبر داده شد.", "Not coming: the planner knows."),
    "link_confirm": ("می‌آیم", "I am coming"),
    "link_decline": ("نمی‌توانم بیایم", "I cannot come"),
    "link_reason": ("دلیل", "Reason"),
    "link_text": ("توضیح (اختیاری)", "A note (optional)"),
    "link_calendar": ("افزودن به تقویم (.ics)", "Add to my calendar (.ics)"),
    "link_done:confirm": ("سپاس! آمدنتان ثبت شد.", "Thank you: you are down as coming."),
    "link_done:decline": (
        "ثبت شد که نمی‌آیید؛ برنامه‌ریز کس دیگری را جای شما می‌گذارد.",
        "Recorded that you are not coming; the planner will find someone for your place.",
    ),
    "link_refused:unknown": ("این پیوند معتبر نیست.", "This link is not valid."),
    "link_refused:revoked": (
        "این پیوند باطل شده است؛ پیوند تازه را از هماهنگ‌کنندهٔ خود بخواهید.",
        "This link has been revoked: ask your coordinator for a new one.",
    ),
    "link_refused:expired": (
        "این پیوند منقضی شده است: فصل اردوها تمام شده.",
        "This link has expired: the season is over.",
    ),
    "reason:illness": ("بیماری", "illness"),
    "reason:work": ("کار", "work"),
    "reason:family": ("کار خانوادگی", "family"),
    "reason:travel": ("سفر", "travel"),
    "reason:other": ("دلیل دیگر", "another reason"),
    # the statuses of the assignments on the planners' pages (issue 24)
    "confirmation": ("پاسخ", "Answer"),
    "conf:not_sent": ("پیوند نرفته", "link not sent"),
    "conf:sent": ("فرستاده شد", "sent"),
    "conf:opened": ("باز کرده", "opened"),
    "conf:confirmed": ("تأیید کرده", "confirmed"),
    "conf:declined": ("نمی‌آید", "declined"),
    "conf:no_answer": ("بی‌پاسخ", "no answer"),
    "confirmed_share": ("تأییدشده", "confirmed"),
    "essentials_unconfirmed": ("نقش‌های ضروری تأییدنشده", "essential roles not confirmed"),
    "at_risk": ("اردوهای در خطر", "Camps at risk"),
    "status:at_risk": ("در خطر", "at risk"),
    "at_risk_none": ("هیچ اردویی در خطر نیست.", "No camp is at risk."),
    "declines": (
        "کسانی که نمی‌آیند و جایگزین‌هایشان",
        "Who is not coming, and who could take their place",
    ),
    "replan_now": ("برنامه‌ریزی دوباره با کمترین تغییر", "Re-plan with the fewest changes"),
    "answers": ("پاسخ داوطلبان", "Volunteers' answers"),
    "assignments": ("جایگاه‌ها", "assignments"),
    "not_opened": ("پیوند را باز نکرده‌اند", "Have not opened their link"),
    "not_answered": ("باز کرده‌اند ولی پاسخ نداده‌اند", "Opened but not answered"),
    "links_csv": ("پیوندها و تلفن‌ها برای پیامک (جدول)", "Links and phones for SMS (CSV)"),
    "revoke_link": ("باطل کردن پیوند", "Revoke the link"),
    # logging in (issue 23): what the login page and the frame say
    "log_in": ("ورود", "Log in"),
    "log_out": ("خروج", "Log out"),
    "who": ("چه کسی", "Who"),
    # the audit's actions (workspace, app/accounts.py, app/review), as the pages name them
    "action:accept": ("پذیرش نسخه", "accept"),
    "action:edit": ("تغییر", "edit"),
    "action:drop edit": ("حذف تغییر", "drop edit"),
    "action:discard": ("کنار گذاشتن حل", "discard"),
    "action:publish": ("انتشار", "publish"),
    "action:issue links": ("ساختن پیوندهای داوطلبان", "issue links"),
    "action:revoke link": ("باطل کردن پیوند", "revoke link"),
    "action:answer": ("پاسخ داوطلب", "volunteer's answer"),
    "action:restore": ("بازگرداندن نسخه", "restore"),
    "action:download": ("دریافت پرونده", "download"),
    "action:login": ("ورود", "login"),
    "action:login failed": ("ورود ناموفق", "login failed"),
    "action:login refused": ("ورود ردشده", "login refused"),
    "action:logout": ("خروج", "logout"),
    "action:add account": ("افزودن حساب", "add account"),
    "action:disable account": ("غیرفعال‌کردن حساب", "disable account"),
    "action:enable account": ("فعال‌کردن حساب", "enable account"),
    "action:reset password": ("گذرواژهٔ تازه", "reset password"),
    "action:add api key": ("کلید API تازه", "add api key"),
    "action:revoke api keys": ("لغو کلیدهای API", "revoke api keys"),
    "forbidden": ("اجازه ندارید", "Not allowed"),
    "forbidden_why": (
        "این کار یا این اردو در حوزهٔ حساب شما نیست؛ اگر باید باشد، از هماهنگ‌کنندهٔ استان بپرسید.",
        "This is outside what your account may do; "
        "ask the province coordinator if it should not be.",
    ),
    "packet_phones": ("برگهٔ سرپرست با تلفن‌ها", "Camp leader's page, with phones"),
    "address": ("نشانی", "Address"),
    "account_name": ("نام کاربری", "Name"),
    "password": ("گذرواژه", "Password"),
    "wrong_login": (
        "نام کاربری یا گذرواژه درست نیست (یا حساب غیرفعال است).",
        "Wrong name or password (or the account is disabled).",
    ),
    "too_many_logins": (
        "تلاش‌های ناموفق زیادی شد: پانزده دقیقه دیگر دوباره امتحان کنید "
        "یا از هماهنگ‌کنندهٔ استان بپرسید.",
        "Too many failed logins: wait 15 minutes and try again, or ask the province coordinator.",
    ),
    # two offices at once: accepting on a version someone else replaced (Superseded)
    "superseded": (
        "از وقتی این حل از نسخهٔ {base} آغاز شد، نسخهٔ {newest} در {at} (UTC) پذیرفته شده "
        "است و پذیرفتن این یکی آن را از میان می‌برد؛ چیزی تغییر نکرد. پذیرندهٔ آن:",
        "Version {newest} was accepted at {at} (UTC) since this solve started from version "
        "{base}: accepting it would undo theirs; nothing was changed. Accepted by",
    ),
    "superseded_pending": (
        "تغییرهای شما ({edits}) هنوز در انتظارند: دوباره حل کنید تا روی نسخهٔ {newest} "
        "اعمال شوند، سپس آن را بپذیرید.",
        "Your edits ({edits}) are still pending: re-solve to apply them on top of version "
        "{newest}, then accept that roster.",
    ),
    "superseded_in": (
        "تغییرهای شما در نسخهٔ {newest} آمده‌اند؛ اگر کار دیگری لازم است از آن دوباره حل کنید.",
        "Your edits are in version {newest} already; re-solve from it if more is needed.",
    ),
    "session_ended": (
        "نشست شما به پایان رسید: دوباره وارد شوید.",
        "Your session has ended: log in again.",
    ),
    "role_province": ("هماهنگ‌کنندهٔ استان", "province coordinator"),
    "role_county": ("هماهنگ‌کنندهٔ شهرستان", "county coordinator"),
    "role_camp-leader": ("سرپرست اردو", "camp leader"),
    "role_viewer": ("بیننده", "viewer"),
    "camps": ("اردوها", "Camps"),
    "camp": ("اردو", "Camp"),
    "volunteers": ("داوطلبان", "Volunteers"),
    "volunteer": ("داوطلب", "Volunteer"),
    "edits": ("تغییرات", "Edits"),
    "versions": ("نسخه‌ها", "Versions"),
    "scenarios": ("سناریوها", "Scenarios"),
    "language": ("English", "فارسی"),
    "coverage": (COVERAGE_TITLE["fa"], COVERAGE_TITLE["en"]),  # the term registry's
    "bound": ("کران اثبات‌شده", "Proven bound"),
    "gap": ("فاصله", "Gap"),
    "preparing_version": (
        "نسخهٔ تازه آماده می‌شود؛ پذیرفتن تا پایان آن چند ثانیه صبر می‌کند",
        "The new version is being prepared; accepting waits a few seconds for it",
    ),
    "edits_only": (
        "فقط تغییرهایی که ویرایش‌ها لازم دارند (بی جابه‌جایی دیگران)",
        "only the changes the edits need (nobody else moved)",
    ),
    "bound_own": (
        "اثبات‌شده برای فصلِ همین نسخه، با ویرایش‌هایش",
        "proven for this version's season, with its edits",
    ),
    "bound_of_version": ("اثبات‌شده برای فصلِ نسخهٔ", "proven for the season of version"),
    "bound_kept": (
        "ویرایش‌های پس از آن فقط روزها یا اردوهایی را از کسانی می‌گیرند"
        " یا آنان را قفل می‌کنند و کران را بالا نمی‌برند",
        "the edits since only take days or camps away from people or lock them,"
        " which cannot raise it",
    ),
    "status": ("وضعیت", "Status"),
    "filled": ("پرشده", "Filled"),
    "asked": ("درخواستی", "Asked"),
    "slots": ("جایگاه‌ها", "Slots"),
    "skill": ("مهارت", "Skill"),
    "skills": ("مهارت‌ها", "Skills"),
    "fill_per_skill": ("پرشدن به تفکیک مهارت (کمیاب‌ها اول)", "Fill per skill (scarce first)"),
    "county": ("شهرستان", "County"),
    "counties": ("شهرستان‌ها", "Counties"),
    "per_county": ("خلاصهٔ شهرستان‌ها", "Per county"),
    "map": ("نقشهٔ اردوها", "Map of the camps"),
    "full": ("کامل", "full"),
    "short": ("کم‌نفر", "short"),
    "cancelled": ("لغو", "cancelled"),
    "run": ("برگزار", "run"),
    "all": ("همه", "all"),
    "from": ("از", "from"),
    "to": ("تا", "to"),
    "search": ("جستجو", "Search"),
    "filter": ("پالایش", "Filter"),
    "skill_short": ("کمبود مهارت", "A skill short"),
    "name": ("نام", "Name"),
    "dates": ("تاریخ", "Dates"),
    "place": ("محل", "Place"),
    "team": ("گروه اعزامی", "Team"),
    "role": ("نقش", "Role"),
    "group": ("گروه", "Group"),
    "home": ("محل سکونت", "Home"),
    "km": ("کیلومتر", "km"),
    "empty_slots": ("جایگاه‌های خالی", "Empty slots"),
    "reason": ("علت", "Reason"),
    "fix": ("راه‌حل", "Fix"),
    "candidates": ("نامزدها", "Candidates"),
    "no_candidates": ("کسی آزاد نیست", "Nobody can take it"),
    "coverage_change": ("تغییر پوشش", "Coverage change"),
    "leaves": ("باید ترک کند", "Must leave"),
    "gives_place": ("جای خود را می‌دهد", "gives their place up"),
    "stops_running": ("لغو می‌شود", "stops running"),
    "lock": ("قفل در این جایگاه", "Lock into this slot"),
    "lock_short": ("قفل", "Lock"),
    "remove": ("حذف", "Remove"),
    "forbid": ("منع", "Forbid"),
    "swap_in": ("جایگزین کن", "Swap in"),
    "unavailable": ("نبودن در تاریخ‌ها", "Unavailable for dates"),
    "mark_unavailable": ("ثبت نبودن", "Mark unavailable"),
    "itinerary": ("برنامهٔ سفر", "Itinerary"),
    "availability": ("روزهای آزاد", "Availability"),
    "level": ("سطح", "Level"),
    "valid_until": ("معتبر تا", "valid until"),
    "freeze_until": ("بدون تغییر اردوهای آغازشده تا", "Keep camps starting before"),
    "serving_between": ("در اردو میان این روزها", "On a camp between these days"),
    "serving_hint": (
        "کسانی که در برنامهٔ کنونی در اردویی هستند که با این روزها هم‌پوشانی دارد "
        "(مانند پزشکان مرداد، برای ثبت نبودنشان)؛ هر دو خالی: بی‌پالایه.",
        "the people who serve in the current roster on a camp overlapping these days "
        "(the physicians of Mordad, say, to mark them away); both empty: no filter.",
    ),
    "late_volunteer": ("داوطلب دیرآمده", "A late volunteer"),
    "late_hint": (
        "بهترین اردوها برای کسی که دیر ثبت‌نام کرده؛ چیزی ذخیره نمی‌شود",
        "The best camps for someone who registered late; nothing is stored",
    ),
    "skills_typed": ("مهارت‌ها (مثل پرستار:۲، بنا)", "Skills (like nurse:2, mason)"),
    "gender": ("جنسیت", "Gender"),
    "gender_f": ("زن", "woman"),
    "gender_m": ("مرد", "man"),
    "find_camps": ("پیدا کردن اردوها", "Find camps"),
    "best_camps": ("بهترین اردوها", "The best camps"),
    "best_people": (
        "بهترین افراد برای یک جای خالی یا تازهٔ نقش",
        "The best people for an empty or a new slot of",
    ),
    "score_change": ("تغییر هزینه", "Cost change"),
    "who_moves": ("چه کسی جابه‌جا می‌شود", "Who has to move"),
    "gives_up_place": ("جایش را می‌دهد", "gives up their place"),
    "moves_to": ("می‌رود به", "moves to"),
    "not_possible": ("اردوهایی که ممکن نیست", "Camps not possible"),
    "no_better_camp": ("هیچ اردویی پوشش را بالا نمی‌برد", "No camp gains coverage"),
    "expires_soon": ("به‌زودی منقضی می‌شود", "expires soon"),
    "id": ("شناسه", "Id"),
    "results": ("نتیجه‌ها", "Results"),
    "no_results": ("چیزی پیدا نشد", "Nothing found"),
    "pending_edits": ("تغییرات ثبت‌شده (هنوز حل نشده)", "Recorded edits (not solved yet)"),
    "no_edits": ("تغییری ثبت نشده است.", "No edits recorded."),
    "resolve": ("حل دوباره با کمترین تغییر", "Re-solve with the fewest changes"),
    "cancel": ("توقف", "Cancel"),
    "progress": ("پیشرفت", "Progress"),
    "accept": ("پذیرفتن به‌عنوان نسخهٔ تازه", "Accept as a new version"),
    "discard": ("کنار گذاشتن", "Discard"),
    "comment": ("توضیح", "Comment"),
    "who_to_call": ("با چه کسانی تماس بگیریم", "Who to call"),
    # the call list of a version (issue 25): app/review/calls.py
    "calls_from_version": ("نسبت به نسخهٔ", "from version"),
    "calls_needed": ("لازم برای تغییرهای شما", "Needed for your edits"),
    "calls_improvements": ("بهبودهایی که برنامه‌ریزی دوباره یافت", "Improvements the re-plan found"),
    "calls_needed_short": ("لازمِ تغییرها", "needed"),
    "calls_improvement_short": ("بهبود", "improvement"),
    "calls_nobody": ("کسی نیست.", "Nobody."),
    "calls_change": ("چه تغییری", "What changes"),
    "calls_to": ("به", "to"),
    "phone": ("تلفن", "Phone"),
    "print": ("چاپ", "Print"),
    "call:added": ("افزوده", "added"),
    "call:moved": ("جابه‌جا", "moved"),
    "call:role_changed": ("تغییر نقش", "role changed"),
    "call:removed": ("برداشته", "removed"),
    "call:no_longer_possible": ("دیگر ممکن نیست", "no longer possible"),
    "calls_list": ("فهرست تماس", "call list"),
    "added": ("افزوده", "Added"),
    "removed": ("برداشته", "Removed"),
    "moved": ("جابه‌جا", "Moved"),
    "publish": ("انتشار", "Publish"),
    "restore": ("بازگرداندن", "Restore"),
    "comma": ("، ", ", "),
    "essential_role": ("ضروری", "essential"),
    "semicolon": ("؛ ", "; "),
    "bulk_edit": ("یک تغییر برای چند نفر", "One edit for many people"),
    "bulk_take_found": (
        "همهٔ پیداشده‌ها در فهرست تغییر گروهی",
        "Put everyone found in the bulk list",
    ),
    "bulk_people": (
        "شناسه یا نام افراد، هر کدام در یک سطر یا جداشده با ویرگول",
        "Ids or names, one a line or separated by commas",
    ),
    "bulk_people_hint": (
        "رقم فارسی یا لاتین، ی و ک عربی: همه مثل جستجو خوانده می‌شوند. اگر یکی پذیرفته نشود، "
        "هیچ تغییری ثبت نمی‌شود و همهٔ موارد نادرست نام برده می‌شوند.",
        "Persian or Latin digits, Arabic yeh and kaf: read as the search reads them. If one "
        "is refused nothing is recorded, and every wrong entry is named.",
    ),
    "bulk_unavailable": ("نبودن از تاریخ تا تاریخ", "Away from … to …"),
    "bulk_remove": ("حذف از اردوها", "Remove from camps"),
    "bulk_lock": ("قفل در جایگاه‌ها", "Lock in their slots"),
    "bulk_camp_hint": (
        "اردو (و برای قفل، مهارت) اختیاری است: بی آن، حذف و قفل روی اردوهای خود هر نفر "
        "در برنامهٔ کنونی انجام می‌شود.",
        "The camp (and, to lock, the skill) is optional: without it, remove and lock act "
        "on each person's own camps of the current roster.",
    ),
    "bulk_apply": ("ثبت برای همه", "Record for all"),
    "bulk_not_recorded": ("ثبت نشد:", "Not recorded:"),
    "date_placeholder": ("سال-ماه-روز", "year-month-day"),
    "restore_hint": (
        "این نسخه دوباره نسخهٔ جاری می‌شود (به‌صورت نسخه‌ای تازه)",
        "make this version current again (as a new version)",
    ),
    "published": ("منتشرشده", "published"),
    "current": ("جاری", "current"),
    "compare": ("مقایسه", "Compare"),
    "download": ("دریافت", "Download"),
    "audit": ("گزارش تغییرات", "Audit log"),
    "time": ("زمان", "Time"),
    "action": ("کار", "Action"),
    "upload": ("بارگذاری", "Upload"),
    "scenario_files": ("پرونده‌های سناریو", "Scenario files"),
    "run_compare": ("مقایسه کن", "Compare"),
    "solved_replanned": (
        "هر سناریو از برنامهٔ پایه با کمترین تغییر دوباره برنامه‌ریزی شد.",
        "Each scenario re-planned from the base roster with the fewest changes.",
    ),
    "solved_from_scratch": (
        "هر سناریو جداگانه از صفر حل شد.",
        "Each scenario solved from scratch.",
    ),
    "scenario_base": ("برنامهٔ پایه", "base"),
    "scenario_solved": ("حل شد", "solved"),
    "compare_stopped": (
        "متوقف شد: {solved} از {total} سناریو حل شده بود؛ گزارشی نیست",
        "stopped: {solved} of {total} scenarios were solved; no report",
    ),
    "solver_search": ("جست‌وجوی حل", "Search for the roster"),
    "search_closed": ("کامل", "complete"),
    "search_cut": ("نیمه‌کاره", "cut short"),
    "search_cut_note": (
        "جست‌وجوی ستون‌های «نیمه‌کاره» پیش از اثبات بهترین پوشش متوقف شد: تفاوت آن‌ها"
        " ممکن است از جست‌وجو باشد، نه از سناریو. با زمان بیشتر دوباره مقایسه کنید.",
        "The search of the columns marked “cut short” stopped before it proved the best"
        " coverage: their difference may be the search's, not the scenario's. Compare"
        " again with more time.",
    ),
    "no_roster": ("هنوز برنامه‌ای نیست: «حل دوباره» را بزنید.", "No roster yet: press re-solve."),
    "stale": ("این صفحه قدیمی است", "This page is out of date"),
    "error": ("خطا", "Error"),
    "delete": ("حذف", "Delete"),
    "drop_edit": ("حذف تغییر", "Drop edit"),
    "conflicting_edits": ("تغییرهای ناسازگار", "Contradicting edits"),
    "conflicts_with": ("ناسازگار با تغییر", "contradicts edit"),
    "typed_by": ("ثبت‌کننده", "Typed by"),
    "pending_here": (
        "تغییرهای در انتظار که به این‌جا می‌رسند (هنوز حل نشده)",
        "Pending edits that act here (not solved yet)",
    ),
    "edit_number": ("تغییر", "Edit"),
    "seconds": ("ثانیه", "s"),
    "try_again": ("دوباره ثبت کن", "Record again"),
    # the audit's details (workspace, app/accounts.py, app/review), key and value
    "detail:version": ("نسخه", "version"),
    "detail:parent": ("از نسخهٔ", "parent"),
    "detail:base": ("از نسخهٔ", "base"),
    "detail:edits": ("تغییرها", "edits"),
    "detail:edit": ("تغییر", "edit"),
    "detail:comment": ("توضیح", "comment"),
    "detail:kind": ("نوع", "kind"),
    "detail:restored": ("نسخهٔ بازگردانده", "restored"),
    "detail:user": ("حساب", "user"),
    "detail:role": ("نقش", "role"),
    "detail:counties": ("شهرستان‌ها", "counties"),
    "detail:camps": ("اردوها", "camps"),
    "detail:camp": ("اردو", "camp"),
    "detail:phones": ("با تلفن", "phones"),
    "detail:reason": ("علت", "reason"),
    "value:none": ("ندارد", "none"),
    "value:yes": ("بله", "yes"),
    "value:no": ("خیر", "no"),
    "value:too many attempts": ("تلاش‌های ناموفق بسیار", "too many attempts"),
    "kind:lock": ("قفل", "lock"),
    "kind:remove": ("حذف", "remove"),
    "kind:forbid": ("منع", "forbid"),
    "kind:swap": ("جایگزین", "swap"),
    "kind:unavailable": ("نبودن در تاریخ‌ها", "unavailable"),
    "kind:run": ("برپایی اردو", "run a camp"),
    "kind:solution": ("پروندهٔ برنامه", "solution"),
    "kind:xlsx": ("کاربرگ", "xlsx"),
    "kind:csv": ("جدول‌ها (فشرده)", "csv"),
    "kind:html": ("گزارش", "html"),
    "kind:table": ("جدول", "csv"),
    "kind:calls-csv": ("فهرست تماس (جدول)", "calls csv"),
    "kind:calls-xlsx": ("فهرست تماس (کاربرگ)", "calls xlsx"),
    "kind:calls-page": ("صفحهٔ فهرست تماس", "calls page"),
    "kind:packet": ("برگهٔ سرپرست", "packet"),
    "kind:packets": ("برگه‌های سرپرستان شهرستان", "county packets"),
    "comment:opened": ("گشوده از پروندهٔ", "opened"),
    # an edit's lines (app/review/edits.py lines)
    "line:lock": ("قفل", "lock"),
    "line:into": ("در", "into"),
    "line:forbid": ("حذف", "remove"),
    "line:from_camp": ("از", "from"),
    "line:away": ("نبودن", "away:"),
    "job_running": ("در حال حل...", "Solving..."),
    "job_done": ("پایان", "Finished"),
    "people_changed": ("نفر تغییر", "people changed"),
    "camps_count": ("اردو", "camps"),
    "version": ("نسخه", "Version"),
    "days": ("روز", "days"),
    "priority": ("اولویت", "Priority"),
    "capacity": ("ظرفیت", "Beds"),
    "forbid_pair": ("منع این داوطلب در این اردو", "Forbid this volunteer here"),
    "volunteer_id": ("شناسهٔ داوطلب", "Volunteer id"),
    "nothing_changed": ("هیچ تغییری نیست.", "Nothing changed."),
    "not_found": ("پیدا نشد", "Not found"),
    "back": ("بازگشت", "Back"),
    "swap": ("جایگزین", "Swap"),
    "reserves": ("ذخیره‌ها", "Reserves"),
    "reserves_note": (
        "داوطلبانی بیرون از برنامه که در اجراهای «غیبت» جای غایبان این اردو را گرفتند، بهترین اول.",
        "People off the roster who filled in for this camp in no-show re-plans, best first.",
    ),
    "fill_ins": ("جایگزینی", "Fill-ins"),
    # solution statuses, job states and phases
    "optimal": ("بهینه", "optimal"),
    "feasible": ("شدنی", "feasible"),
    "infeasible": ("ناشدنی", "infeasible"),
    "unknown": ("نامعلوم", "unknown"),
    "pending": ("در نوبت", "waiting"),
    "running": ("در حال حل", "running"),
    "cancelling": ("در حال توقف", "stopping"),
    "done": ("پایان", "done"),
    "failed": ("ناموفق", "failed"),
    "reading": ("خواندن", "reading"),
    "reasons": ("یافتن دلیل‌ها", "working out the reasons"),
    "step:first_roster": ("ساختن نخستین برنامه", "building a first roster"),
    "step:bound": ("اثبات کران", "proving the bound"),
    "step:search": ("جست‌وجوی برنامهٔ بهتر", "searching for a better roster"),
    "step:restore": ("بازگرداندن کسانی که خبر شده بودند", "putting published people back"),
    "step:secondary": ("بهبود سفر و گروه‌ها", "improving travel and groups"),
    "file_ready": ("پرونده آماده است، دریافت کنید", "The file is ready: download it"),
    "applying the edits": ("اعمال ویرایش‌ها", "applying the edits"),
    "solving": ("حل", "solving"),
    "writing": ("نوشتن", "writing"),
    "calls": ("فهرست کردن تماس‌ها", "listing who to call"),
    # an accept's phases (app/review/resolves.py ACCEPT_PHASES)
    "accepting": ("پذیرفتن نسخهٔ تازه", "Accepting the new version"),
    "accept:files": ("آماده شدن پرونده‌های نسخهٔ تازه", "waiting for the new version's files"),
    "accept:storing": ("ذخیرهٔ نسخه", "storing the version"),
    "accept:opening": ("باز کردن نسخهٔ تازه", "opening the new version"),
    "accept_then": (
        "پس از پایان، صفحهٔ نسخه‌ها باز می‌شود",
        "The versions page opens when it is done",
    ),
}


# a download's name on a Persian page: (pattern of the plain name, its Persian stem)
_FILE_NAMES = [
    (re.compile(r"roster-v(\d+)"), "برنامه-نسخه-{0}"),
    (re.compile(r"calls-phones-v(\d+)"), "تماس‌ها-با-تلفن-نسخه-{0}"),
    (re.compile(r"calls-v(\d+)"), "تماس‌ها-نسخه-{0}"),
    (re.compile(r"packet-(.+)-phones"), "برگهٔ-اردو-{0}-با-تلفن"),
    (re.compile(r"packet-(.+)"), "برگهٔ-اردو-{0}"),
    (re.compile(r"packets-(.+)-phones"), "برگه‌های-{label}-با-تلفن"),
    (re.compile(r"packets-(.+)"), "برگه‌های-{label}"),
    (re.compile(r"attendance-history"), "سابقهٔ-حضور"),
]


def file_name(name: str, label: str, lang: str) -> str:
    """A download's name in ``lang``: ``roster-v2.xlsx`` is ``برنامه-نسخه-۲.xlsx`` on a
    Persian page; ``label`` names what it holds (a county) in the reader's words."""
    if lang != "fa":
        return name
    stem, dot, suffix = name.rpartition(".")
    safe = "-".join(re.sub(r"[^\w\u200c-]+", " ", label).split())
    for pattern, persian in _FILE_NAMES:
        found = pattern.fullmatch(stem)
        if found and (safe or "{label}" not in persian):
            digits = [to_persian_digits(g) if g.isdigit() else g for g in found.groups()]
            return persian.format(*digits, label=safe) + dot + suffix
    return name


@dataclass(frozen=True)
class Words:
    """The words, numbers and dates of one language."""

    lang: str
    calendar: Calendar  # the instance's calendar; Persian pages always show Jalali

    @property
    def rtl(self) -> bool:
        return self.lang in RIGHT_TO_LEFT

    def __call__(self, key: str) -> str:
        pair = WORDS.get(key)
        if pair is None:
            return key
        return pair[0] if self.lang == "fa" else pair[1]

    def digits(self, text: object) -> str:
        return to_persian_digits(str(text)) if self.lang == "fa" else str(text)

    def num(self, value: float | int | None, decimals: int = 0) -> str:
        if value is None:
            return "–"
        text = f"{value:,.{decimals}f}"
        if self.lang == "fa":
            return self._sign_first(to_persian_digits(text.replace(",", "٬").replace(".", "٫")))
        return text

    def signed(self, value: int) -> str:
        """A change, its sign always written (``+۲``, ``-۳``)."""
        text = f"{value:+d}"
        return self._sign_first(to_persian_digits(text)) if self.lang == "fa" else text

    def _sign_first(self, text: str) -> str:
        """A Persian number's sign kept before its digits in a right-to-left line: a
        left-to-right mark first (as CLDR's Persian plus and minus signs), else the line
        shows ``۳-`` for -3."""
        return "\u200e" + text if text[:1] in "+-" else text

    def pct(self, part: float, whole: float) -> str:
        if not whole:
            return "–"
        text = self.num(100.0 * part / whole, 1)
        return f"{text}٪" if self.lang == "fa" else f"{text}%"

    def when(self, moment: datetime | str) -> str:
        """A moment of the workspace (stored in UTC) in this machine's time zone."""
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment)
        if moment.tzinfo is None:  # SQLite gives back naive UTC times
            from datetime import UTC

            moment = moment.replace(tzinfo=UTC)
        local = moment.astimezone()
        if self.lang == "fa":
            text = jdatetime.datetime.fromgregorian(datetime=local).strftime("%Y/%m/%d %H:%M")
            return to_persian_digits(text)
        return local.strftime("%Y-%m-%d %H:%M")

    def term(self, prefix: str, value: object) -> str:
        """A stored word (an edit's kind, a role) in this language, else as it is."""
        key = f"{prefix}:{value}"
        return self(key) if key in WORDS else str(value)

    def date_example(self) -> str:
        """A date as the forms read it, for a placeholder: in the file's calendar, in
        the page's digits (never ``YYYY-MM-DD``)."""
        example = "2024-08-01" if self.calendar == "gregorian" else "1403-05-10"
        return self.digits(example)

    def day(self, ordinal: int) -> str:
        return shown_day(ordinal, self.calendar, self.lang)
