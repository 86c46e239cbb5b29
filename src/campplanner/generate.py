"""The Markazi instance generator: realistic, reproducible instances of the province.

The setting is Basij Sazandegi of Markazi province: 12 counties around their seats,
volunteers organised in jihadi groups, and summer camps in deprived villages (housing
construction and repair, medical, education, agriculture and veterinary, relief).
``docs/instances.md`` describes every distribution used here.

Reproducibility: every random draw comes from ``numpy.random.default_rng`` seeded with
``(seed, stream)``, one stream per concern. Nothing depends on the clock, on global
random state or on set iteration order, so one seed gives one file, byte for byte (with
the same numpy). Streams also keep concerns apart: the volunteers of a seed do not
change when only ``--camps`` or ``--slots`` changes, so a supply-rich and a tight season
can be drawn over the same people.

:func:`generate_instance` returns the instance as JSON-ready data; :func:`dumps_instance`
and :func:`write_instance` turn it into stable bytes on disk.
"""

from __future__ import annotations

import gzip
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from campplanner.contract.calendar import Calendar, format_day, parse_day
from campplanner.contract.errors import InstanceError
from campplanner.contract.instance import read_json
from campplanner.contract.limits import refuse_beyond_limit
from campplanner.contract.schema import FORMAT
from campplanner.io.outputs import guard_output, write_atomic

# The 1403 summer season, Khordad 1 to Shahrivar 31 (2024-05-21 to 2024-09-21).
DEFAULT_SEASON = (parse_day("1403-03-01", "jalali"), parse_day("1403-06-31", "jalali"))
RULES = {"max_camps": 2, "rest_days": 1, "road_factor": 1.3}

# The organisation: about 22,000 members in about 1,200 groups.
MEMBERS_PER_GROUP = 22_000 / 1_200
UNAFFILIATED_SHARE = 0.04  # volunteers who registered without a group
VOLUNTEERS_PER_VILLAGE = 30  # villages scale with the people, not with the camps
MIN_VILLAGES, MAX_VILLAGES = 24, 1_500
MIN_TEAM, MAX_TEAM = 6, 60  # bounds of a team once --slots has scaled it
MIN_SEASON_DAYS = 3

# Streams of random numbers, one per concern (see the module docstring).
STREAM_GEOGRAPHY, STREAM_GROUPS, STREAM_VOLUNTEERS, STREAM_AVAILABILITY, STREAM_CAMPS = range(1, 6)


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class County:
    """A county and its seat. ``population`` in thousands (census 1395, rounded)."""

    id: str
    seat: str  # the seat's Persian name (the place's name)
    name: str  # the county's Persian name
    lat: float
    lon: float
    population: int
    radius_km: float  # villages lie within this distance of the seat
    deprivation: float  # mean village deprivation (1 to 5), an assumption


COUNTIES: tuple[County, ...] = (
    County("arak", "اراک", "اراک", 34.0917, 49.6892, 591, 30, 2.6),
    County("ashtian", "آشتیان", "آشتیان", 34.5219, 50.0061, 17, 25, 3.4),
    County("tafresh", "تفرش", "تفرش", 34.6931, 50.0131, 36, 25, 3.4),
    County("khomein", "خمین", "خمین", 33.6406, 50.0789, 106, 30, 3.2),
    County("khondab", "خنداب", "خنداب", 34.3925, 49.1839, 50, 25, 3.9),
    County("delijan", "دلیجان", "دلیجان", 33.9905, 50.6839, 56, 25, 2.9),
    County("zarandieh", "مامونیه", "زرندیه", 35.3061, 50.4939, 60, 30, 3.3),
    County("saveh", "ساوه", "ساوه", 35.0213, 50.3566, 300, 40, 2.7),
    County("shazand", "شازند", "شازند", 33.9274, 49.4116, 112, 35, 3.4),
    County("farahan", "فرمهین", "فراهان", 34.5039, 49.6861, 40, 25, 3.7),
    County("komijan", "کمیجان", "کمیجان", 34.7192, 49.3267, 41, 25, 3.9),
    County("mahallat", "محلات", "محلات", 33.9110, 50.4530, 55, 25, 2.9),
)


@dataclass(frozen=True)
class SkillProfile:
    """A skill and how often volunteers hold it, as a main skill or a second one."""

    id: str
    name: str
    main_m: float  # weight as the main skill of a man
    main_f: float  # ... of a woman
    extra_m: float  # weight as a second skill of a man
    extra_f: float
    professional: bool = False  # a licensed profession: scarce, levels skew high


SKILLS: tuple[SkillProfile, ...] = (
    SkillProfile("camp_leader", "سرپرست اردو", 0, 0, 0, 0),  # drawn per group, see _leaders
    SkillProfile("physician", "پزشک", 0.010, 0.012, 0, 0, professional=True),
    SkillProfile("dentist", "دندانپزشک", 0.004, 0.005, 0, 0, professional=True),
    SkillProfile("midwife", "ماما", 0, 0.010, 0, 0, professional=True),
    SkillProfile("pharmacist", "داروساز", 0.003, 0.004, 0, 0, professional=True),
    SkillProfile("veterinarian", "دامپزشک", 0.005, 0.002, 0, 0, professional=True),
    SkillProfile("nurse", "پرستار", 0.035, 0.130, 0, 0),
    SkillProfile("first_aider", "امدادگر", 0.050, 0.080, 0.12, 0.14),
    SkillProfile("mason", "بنا", 0.110, 0, 0.08, 0),
    SkillProfile("welder", "جوشکار", 0.060, 0, 0.02, 0),
    SkillProfile("electrician", "برقکار", 0.050, 0.003, 0.05, 0.005),
    SkillProfile("plumber", "لوله‌کش", 0.040, 0, 0.04, 0),
    SkillProfile("painter", "نقاش ساختمان", 0.040, 0.010, 0.07, 0.03),
    SkillProfile("teacher", "معلم", 0.050, 0.200, 0.05, 0.12),
    SkillProfile("agronomist", "کارشناس کشاورزی", 0.040, 0.030, 0.02, 0.02),
    SkillProfile("cook", "آشپز", 0.040, 0.110, 0.08, 0.22),
    SkillProfile("driver", "راننده", 0.070, 0.005, 0.15, 0.03),
    SkillProfile("labourer", "نیروی کار عمومی", 0.393, 0.399, 0.32, 0.40),
)
SCARCE_SKILLS = ("physician", "dentist", "midwife", "pharmacist", "veterinarian")
WOMEN_ONLY_SKILLS = ("midwife",)

# Probabilities of level 1, 2, 3.
LEVELS_MAIN = (0.35, 0.45, 0.20)
LEVELS_PROFESSIONAL = (0.15, 0.55, 0.30)
LEVELS_EXTRA = (0.70, 0.25, 0.05)
LEVELS_LEADER = (0.30, 0.50, 0.20)
EXTRA_SKILL_COUNTS = (0.35, 0.40, 0.20, 0.05)  # probability of 0, 1, 2, 3 second skills
LEADERS_EVERY = 12  # a group has 1 + size // 12 leaders, at most MAX_LEADERS
MAX_LEADERS = 4
UNAFFILIATED_LEADER_SHARE = 0.03

# Group kinds: (share of groups, share of women among members).
GROUP_KINDS = {"sisters": (0.30, 0.97), "brothers": (0.55, 0.03), "mixed": (0.15, 0.45)}
UNAFFILIATED_WOMEN = 0.35
# Where members live: the group's seat, a village of its county, or another county.
HOME_AT_SEAT, HOME_IN_COUNTY = 0.70, 0.20

# Availability patterns: whole season, one window of a few weeks, a few short windows.
AVAILABILITY_PATTERNS = ("season", "weeks", "windows")
AVAILABILITY_SHARES = {
    "default": (0.35, 0.40, 0.25),
    "professional": (0.15, 0.35, 0.50),  # physicians and the like come between shifts
    "teacher": (0.50, 0.35, 0.15),  # schools are closed all summer
}
WEEKS_WINDOW = (2, 6)  # weeks, inclusive
SHORT_WINDOWS = (2, 3)  # how many
SHORT_WINDOW_DAYS = (5, 14)
MAX_KM_SHARE = 0.15
MAX_KM_CHOICES = (60, 80, 100, 120, 150, 200, 250)
ONE_CAMP_SHARE = 0.10  # max_camps 1
EXTRA_CAMP_SHARE = 0.04  # max_camps = rules.max_camps + 1

PRIORITY_NOISE = (-1, 0, 1)
PRIORITY_NOISE_P = (0.15, 0.70, 0.15)
FULL_BEDS_SHARE = 0.70  # camps with a bed for every slot; the others have a few fewer


@dataclass(frozen=True)
class Role:
    """One requirement of a camp template.

    Fixed roles ask ``max(minimum, round(team / per))`` people (``minimum`` when ``per`` is
    0); the rest of the team is shared among the share roles by ``share``.
    """

    skill: str
    levels: tuple[float, float, float] = (1.0, 0.0, 0.0)
    minimum: int = 0
    per: int = 0
    share: float = 0.0
    essential: bool = False
    presence: float = 1.0  # probability that a camp of this template asks for the role


LEAD = Role("camp_leader", LEVELS_LEADER, minimum=1, essential=True)
COOK = Role("cook", (0.8, 0.2, 0.0), minimum=1, per=15)
DRIVER = Role("driver", (0.7, 0.3, 0.0), minimum=1)
LABOUR = Role("labourer", share=0.5)
TRADE = (0.5, 0.4, 0.1)


@dataclass(frozen=True)
class CampTemplate:
    """A kind of camp: its share of camps, team size, length, gender and roles."""

    id: str
    kind: str  # the camp type of the issue (a template is one variant of it)
    title: str  # Persian, the start of each camp's name
    share: float
    team: tuple[int, int]  # people, inclusive
    days: tuple[int, int]  # inclusive
    women_only: float  # probability of a sisters' camp
    men_only: float  # probability of a brothers' camp
    roles: tuple[Role, ...]


def _labour(share: float) -> Role:
    return Role("labourer", share=share)


CAMP_TEMPLATES: tuple[CampTemplate, ...] = (
    CampTemplate(
        "housing_masonry",
        "housing_construction",
        "اردوی ساخت مسکن",
        0.10,
        (15, 35),
        (10, 14),
        0.0,
        0.45,
        (
            LEAD,
            Role("mason", TRADE, share=0.30),
            Role("electrician", TRADE, share=0.06, presence=0.8),
            Role("plumber", TRADE, share=0.06, presence=0.8),
            Role("welder", TRADE, share=0.04, presence=0.5),
            COOK,
            DRIVER,
            _labour(0.54),
        ),
    ),
    CampTemplate(
        # a steel-frame (skeleton) workshop: nothing stands without qualified welders
        "housing_steel_frame",
        "housing_construction",
        "کارگاه اسکلت فلزی مسکن",
        0.08,
        (15, 40),
        (10, 14),
        0.0,
        0.50,
        (
            LEAD,
            Role("welder", (0.0, 0.7, 0.3), minimum=2, per=8, essential=True),
            Role("mason", TRADE, share=0.20),
            Role("electrician", TRADE, share=0.05),
            COOK,
            DRIVER,
            _labour(0.50),
        ),
    ),
    CampTemplate(
        "housing_repair",
        "housing_repair",
        "اردوی بهسازی و مرمت مسکن",
        0.16,
        (12, 25),
        (7, 12),
        0.0,
        0.40,
        (
            LEAD,
            Role("mason", TRADE, share=0.25),
            Role("painter", TRADE, share=0.12),
            Role("electrician", TRADE, share=0.10),
            Role("plumber", TRADE, share=0.10),
            Role("welder", TRADE, share=0.04, presence=0.5),
            COOK,
            DRIVER,
            _labour(0.39),
        ),
    ),
    CampTemplate(
        "medical",
        "medical",
        "اردوی سلامت و درمان",
        0.22,
        (12, 30),
        (3, 7),
        0.15,
        0.10,
        (
            LEAD,
            Role("physician", (0.3, 0.55, 0.15), minimum=1, per=12, essential=True),
            Role("dentist", (0.3, 0.6, 0.1), minimum=1, per=15, presence=0.6),
            Role("midwife", (0.4, 0.5, 0.1), minimum=1, presence=0.6),
            Role("pharmacist", (0.4, 0.5, 0.1), minimum=1, presence=0.6),
            Role("nurse", (0.5, 0.4, 0.1), share=0.30),
            Role("first_aider", share=0.30),
            COOK,
            DRIVER,
            _labour(0.40),
        ),
    ),
    CampTemplate(
        "education",
        "education",
        "اردوی آموزشی و فرهنگی",
        0.16,
        (12, 30),
        (7, 14),
        0.30,
        0.15,
        (
            LEAD,
            Role("teacher", (0.4, 0.45, 0.15), share=0.60),
            Role("nurse", minimum=1, presence=0.4),
            Role("first_aider", share=0.08),
            COOK,
            DRIVER,
            _labour(0.32),
        ),
    ),
    CampTemplate(
        "agriculture",
        "agriculture_veterinary",
        "اردوی کشاورزی و عمران روستایی",
        0.08,
        (10, 25),
        (5, 10),
        0.0,
        0.30,
        (
            LEAD,
            Role("agronomist", TRADE, share=0.25),
            Role("plumber", TRADE, share=0.10),  # irrigation pipes
            Role("welder", TRADE, share=0.05, presence=0.5),
            Role("electrician", TRADE, share=0.05, presence=0.5),
            Role("driver", (0.6, 0.4, 0.0), minimum=1, per=12),
            COOK,
            _labour(0.55),
        ),
    ),
    CampTemplate(
        "veterinary",
        "agriculture_veterinary",
        "اردوی دامپزشکی",
        0.06,
        (10, 20),
        (3, 7),
        0.0,
        0.30,
        (
            LEAD,
            Role("veterinarian", (0.3, 0.6, 0.1), minimum=1, per=10, essential=True),
            Role("agronomist", TRADE, share=0.30),
            DRIVER,
            COOK,
            _labour(0.50),
        ),
    ),
    CampTemplate(
        # hot meals and relief packs: the kitchen is the camp
        "relief",
        "relief",
        "اردوی امداد و اطعام",
        0.14,
        (12, 40),
        (3, 6),
        0.10,
        0.10,
        (
            LEAD,
            Role("cook", (0.6, 0.35, 0.05), minimum=2, per=8, essential=True),
            Role("driver", (0.7, 0.3, 0.0), minimum=1, per=10),
            Role("first_aider", share=0.15),
            Role("nurse", share=0.05),
            _labour(0.60),
        ),
    ),
)

MALE_NAMES = (
    "علی",
    "محمد",
    "حسین",
    "حسن",
    "رضا",
    "مهدی",
    "امیر",
    "جواد",
    "سعید",
    "مجید",
    "حمید",
    "احمد",
    "محمود",
    "مصطفی",
    "مرتضی",
    "عباس",
    "ابوالفضل",
    "محمدرضا",
    "محمدحسین",
    "علیرضا",
    "امیرحسین",
    "حمیدرضا",
    "میثم",
    "مسعود",
    "وحید",
    "هادی",
    "یاسر",
    "سجاد",
    "محسن",
    "مجتبی",
    "صادق",
    "کاظم",
    "قاسم",
    "یوسف",
    "ابراهیم",
    "اسماعیل",
    "جعفر",
    "سینا",
    "پویا",
    "عرفان",
    "امین",
    "روح‌الله",
    "حامد",
    "بهروز",
    "داوود",
    "سلمان",
    "ناصر",
    "رسول",
    "محمدمهدی",
    "ایمان",
)
FEMALE_NAMES = (
    "فاطمه",
    "زهرا",
    "مریم",
    "معصومه",
    "زینب",
    "سمیه",
    "لیلا",
    "نرگس",
    "سارا",
    "مهسا",
    "مائده",
    "الهام",
    "طاهره",
    "اعظم",
    "رقیه",
    "سکینه",
    "کبری",
    "خدیجه",
    "ریحانه",
    "حدیثه",
    "نازنین",
    "فرزانه",
    "سمانه",
    "راضیه",
    "مرضیه",
    "منیره",
    "اکرم",
    "عاطفه",
    "نجمه",
    "ملیحه",
    "هانیه",
    "کوثر",
    "محدثه",
    "نیلوفر",
    "یاسمن",
    "شیما",
    "مینا",
    "پریسا",
    "آزاده",
    "فهیمه",
    "زهره",
    "سپیده",
    "طیبه",
    "نسرین",
    "زیبا",
    "بهاره",
    "ستاره",
    "هدیه",
    "صدیقه",
    "فرشته",
)
FAMILY_NAMES = (
    "رضایی",
    "احمدی",
    "محمدی",
    "حسینی",
    "کریمی",
    "موسوی",
    "جعفری",
    "صادقی",
    "باقری",
    "قاسمی",
    "مرادی",
    "کاظمی",
    "نوری",
    "رحیمی",
    "اکبری",
    "حیدری",
    "عباسی",
    "ابراهیمی",
    "یوسفی",
    "سلیمانی",
    "نجفی",
    "ملکی",
    "امیری",
    "طاهری",
    "فرهادی",
    "زارعی",
    "شریفی",
    "هاشمی",
    "بهرامی",
    "عزیزی",
    "قربانی",
    "نظری",
    "اسدی",
    "کرمی",
    "مختاری",
    "جلالی",
    "رستمی",
    "صفری",
    "محمودی",
    "سلطانی",
    "خلیلی",
    "فتحی",
    "توکلی",
    "دهقان",
    "کشاورز",
    "اراکی",
    "ساوجی",
    "تفرشی",
    "آشتیانی",
    "فراهانی",
    "محلاتی",
    "دلیجانی",
    "کمیجانی",
    "شازندی",
    "میرزایی",
    "آقایی",
    "ولی‌پور",
    "حسن‌زاده",
    "علی‌زاده",
    "رحمانی",
    "سبحانی",
    "فرجی",
    "نوروزی",
    "بابایی",
    "یزدانی",
    "غلامی",
    "سعیدی",
    "افشار",
    "پورمحمدی",
    "جهانگیری",
    "خسروی",
    "اصغری",
    "امینی",
    "بیات",
    "صالحی",
    "تقوی",
    "کیانی",
    "مهدوی",
    "عسگری",
    "قنبری",
    "زمانی",
    "نادری",
)
GROUP_WORDS = (
    "نور",
    "مهر",
    "امید",
    "ایثار",
    "یاس",
    "کوثر",
    "ریحانه",
    "طلوع",
    "رویش",
    "سپیده",
    "آفتاب",
    "بهار",
    "نسیم",
    "سلمان",
    "میثاق",
    "فجر",
    "آسمان",
    "همدلی",
    "احسان",
    "روشنا",
)
VILLAGE_PERSONS = (
    "حسن",
    "حسین",
    "علی",
    "محمد",
    "رحیم",
    "کریم",
    "قاسم",
    "جعفر",
    "نصرت",
    "عباس",
    "ابراهیم",
    "اسماعیل",
    "یوسف",
    "احمد",
    "محمود",
    "تقی",
    "رضا",
    "صالح",
    "شریف",
    "خلیل",
    "سلیمان",
    "نظام",
    "فتح",
    "امین",
    "نجف",
    "مراد",
    "اکبر",
    "دولت",
    "خیر",
    "نور",
    "میر",
    "بهرام",
    "فرج",
    "کاظم",
    "مهدی",
    "ملک",
    "اسد",
    "یار",
    "سعد",
    "زین",
)
VILLAGE_FEATURES = ("چشمه", "دره", "کوشک", "ده", "باغ", "تپه", "چاه", "قلعه")
VILLAGE_QUALITIES = (
    "سفید",
    "سبز",
    "شیرین",
    "گل",
    "بید",
    "انار",
    "گردو",
    "بادام",
    "زرد",
    "سنگ",
    "نمک",
    "نو",
)
VILLAGE_SUFFIXES = ("علیا", "سفلی", "بالا", "پایین", "نو", "کهنه")
ZWNJ = "\u200c"  # the zero-width non-joiner of Persian compounds: حسن‌آباد

# ----------------------------------------------------------------------- settings


def default_groups(num_volunteers: int) -> int:
    """About 1,200 groups for 22,000 volunteers, at least one."""
    return max(1, round(num_volunteers / MEMBERS_PER_GROUP))


def _unaffiliated(num_volunteers: int) -> int:
    return round(num_volunteers * UNAFFILIATED_SHARE)


def check_settings(
    *,
    volunteers: int,
    camps: int,
    groups: int | None = None,
    season: tuple[int, int] | None = None,
    slots: int | None = None,
) -> None:
    """Raise ``ValueError`` with a user-readable reason when the settings cannot work."""
    if volunteers < 1:
        raise ValueError("--volunteers must be at least 1")
    if camps < 1:
        raise ValueError("--camps must be at least 1")
    members = volunteers - _unaffiliated(volunteers)
    if groups is not None and not 1 <= groups <= members:
        raise ValueError(
            f"--groups must be between 1 and {members} "
            f"(the volunteers of {volunteers} who belong to a group)"
        )
    first, last = season if season is not None else DEFAULT_SEASON
    if last - first + 1 < MIN_SEASON_DAYS:
        raise ValueError(f"the season must last at least {MIN_SEASON_DAYS} days")
    if slots is not None and not MIN_TEAM * camps <= slots <= MAX_TEAM * camps:
        raise ValueError(
            f"--slots must be between {MIN_TEAM * camps} and {MAX_TEAM * camps} for {camps} "
            f"camps (teams of {MIN_TEAM} to {MAX_TEAM} people)"
        )


# Memory to draw, validate and write one volunteer or one camp (its requirements
# included), measured: 5,000 volunteers and 250 camps peaked at 66 MB, 40,000 and 2,000
# at 204 MB (about 4 KB a volunteer with its share of camps); rounded up.
BYTES_PER_VOLUNTEER = 5_000
BYTES_PER_CAMP = 20_000


def refuse_beyond_memory(*, volunteers: int, camps: int) -> None:
    """TooLarge at once for settings whose drawing would pass the memory limit
    (``--volunteers 10000000`` died of memory after 45 s)."""
    refuse_beyond_limit(
        f"generating {volunteers:,} volunteers and {camps:,} camps",
        volunteers * BYTES_PER_VOLUNTEER + camps * BYTES_PER_CAMP,
    )


# ---------------------------------------------------------------------- generation


def generate_instance(
    *,
    volunteers: int,
    camps: int,
    seed: int,
    groups: int | None = None,
    season: tuple[int, int] | None = None,
    calendar: Calendar = "jalali",
    slots: int | None = None,
    name: str | None = None,
) -> dict[str, Any]:
    """A Markazi instance as JSON-ready data; the same arguments give the same data.

    ``season`` is (first day, last day) as day ordinals (:mod:`campplanner.contract.calendar`),
    by default the summer of 1403. ``slots``, when given, scales the team sizes so that
    the camps ask for exactly that many slots in total.
    """
    check_settings(volunteers=volunteers, camps=camps, groups=groups, season=season, slots=slots)
    num_groups = groups if groups is not None else default_groups(volunteers)
    first, last = season if season is not None else DEFAULT_SEASON

    def stream(number: int) -> np.random.Generator:
        return np.random.default_rng([seed, number])

    geography = _geography(stream(STREAM_GEOGRAPHY), volunteers)
    members = volunteers - _unaffiliated(volunteers)
    group_list = _groups(stream(STREAM_GROUPS), num_groups, members)
    people = _volunteers(stream(STREAM_VOLUNTEERS), volunteers, group_list, geography)
    windows = _availability(stream(STREAM_AVAILABILITY), people.availability_kind, first, last)
    camp_list = _camps(stream(STREAM_CAMPS), camps, geography, first, last, slots)

    day_text = [format_day(day, calendar) for day in range(first, last + 1)]
    for person, ranges in zip(people.records, windows, strict=True):
        if ranges is not None:
            person["available"] = [[day_text[a - first], day_text[b - first]] for a, b in ranges]
    for camp in camp_list:
        camp["start"] = day_text[camp["start"] - first]
        camp["end"] = day_text[camp["end"] - first]

    return {
        "format": FORMAT,
        "name": name if name is not None else f"markazi-{volunteers}v-{camps}c-seed{seed}",
        "calendar": calendar,
        "rules": dict(RULES),
        "skills": [{"id": s.id, "name": s.name} for s in SKILLS],
        "places": geography.places,
        "groups": [g.record for g in group_list],
        "volunteers": people.records,
        "camps": camp_list,
    }


def _apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Integer counts summing to ``total`` in proportion to ``weights`` (largest remainder)."""
    weights = np.asarray(weights, dtype=np.float64)
    if total <= 0 or weights.sum() <= 0:
        return np.zeros(len(weights), dtype=np.int64)
    exact = total * weights / weights.sum()
    counts = np.floor(exact).astype(np.int64)
    # ties go to the earlier entry: the order is fixed, so is the result
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[: total - counts.sum()]] += 1
    return counts


def _pick_levels(
    rng: np.random.Generator, probabilities: tuple[float, ...], size: int
) -> np.ndarray:
    """Levels 1 to 3 drawn with the given probabilities."""
    cumulative = np.cumsum(probabilities)
    cumulative[-1] = 1.0
    return 1 + np.searchsorted(cumulative, rng.random(size), side="right")


# ----------------------------------------------------------------------- geography


@dataclass(frozen=True)
class Geography:
    """The places: 12 county seats, then the villages county by county."""

    places: list[dict[str, Any]]
    county: np.ndarray  # county index of each place
    deprivation: np.ndarray  # 0 for the seats
    village_start: np.ndarray  # county k's villages are places [start[k], start[k+1])


def _geography(rng: np.random.Generator, num_volunteers: int) -> Geography:
    """County seats at their real coordinates and villages scattered around them.

    A village's deprivation grows with its county's mean and its distance from the seat.
    """
    num_villages = int(
        np.clip(round(num_volunteers / VOLUNTEERS_PER_VILLAGE), MIN_VILLAGES, MAX_VILLAGES)
    )
    population = np.array([c.population for c in COUNTIES], dtype=np.float64)
    # every county has villages; the rest follow the square root of population (rural
    # people are spread more evenly than townspeople)
    per_county = 1 + _apportion(num_villages - len(COUNTIES), np.sqrt(population))

    places: list[dict[str, Any]] = [
        {"id": c.id, "name": c.seat, "lat": c.lat, "lon": c.lon, "county": c.id} for c in COUNTIES
    ]
    county_of = list(range(len(COUNTIES)))
    deprivation = [0] * len(COUNTIES)
    village_start = [len(COUNTIES)]
    for k, county in enumerate(COUNTIES):
        count = int(per_county[k])
        # uniform over the disc: radius ~ sqrt(uniform); at least 4 km from the seat
        radius = county.radius_km * np.sqrt(rng.uniform(0.03, 1.0, size=count))
        angle = rng.uniform(0.0, 2 * math.pi, size=count)
        noise = rng.normal(0.0, 0.7, size=count)
        names = _village_names(rng, count)
        for i in range(count):
            north, east = radius[i] * math.cos(angle[i]), radius[i] * math.sin(angle[i])
            lat = county.lat + north / 111.0
            lon = county.lon + east / (111.0 * math.cos(math.radians(county.lat)))
            level = county.deprivation + 0.8 * (radius[i] / county.radius_km - 0.5) + noise[i]
            level = int(np.clip(math.floor(level + 0.5), 1, 5))
            places.append(
                {
                    "id": f"v-{county.id}-{i + 1:03d}",
                    "name": names[i],
                    "lat": round(float(lat), 4),
                    "lon": round(float(lon), 4),
                    "county": county.id,
                    "deprivation": level,
                }
            )
            county_of.append(k)
            deprivation.append(level)
        village_start.append(len(places))
    return Geography(
        places=places,
        county=np.array(county_of, dtype=np.int64),
        deprivation=np.array(deprivation, dtype=np.int64),
        village_start=np.array(village_start, dtype=np.int64),
    )


def _village_names(rng: np.random.Generator, count: int) -> list[str]:
    """Plausible Persian village names, distinct within a county."""
    names: list[str] = []
    taken: set[str] = set()  # membership only, never iterated
    for _ in range(count):
        for _attempt in range(20):
            pattern = rng.integers(0, 4)
            person = VILLAGE_PERSONS[rng.integers(len(VILLAGE_PERSONS))]
            if pattern == 0:
                name = f"{person}{ZWNJ}آباد"
            elif pattern == 1:
                suffix = VILLAGE_SUFFIXES[rng.integers(len(VILLAGE_SUFFIXES))]
                name = f"{person}{ZWNJ}آباد {suffix}"
            elif pattern == 2:
                name = f"قلعه {person}"
            else:
                feature = VILLAGE_FEATURES[rng.integers(len(VILLAGE_FEATURES))]
                quality = VILLAGE_QUALITIES[rng.integers(len(VILLAGE_QUALITIES))]
                name = f"{feature} {quality}"
            if name not in taken:
                break
        else:
            name = f"{name} {len(names) + 1}"
        taken.add(name)
        names.append(name)
    return names


# -------------------------------------------------------------------------- groups


@dataclass(frozen=True)
class GroupDraw:
    """A group as written to the file, plus what its members are drawn from."""

    record: dict[str, Any]
    county: int
    women: float  # probability that a member is a woman
    size: int


def _groups(rng: np.random.Generator, num_groups: int, num_members: int) -> list[GroupDraw]:
    """Jihadi groups: home county by population, a kind (sisters, brothers, mixed), a size.

    Sizes vary widely (a gamma law of shape 2) around the organisation's mean of about
    18 members; every group has at least one member.
    """
    population = np.array([c.population for c in COUNTIES], dtype=np.float64)
    per_county = _apportion(num_groups, population)
    kinds = list(GROUP_KINDS)
    kind_p = np.array([GROUP_KINDS[k][0] for k in kinds])
    drawn_kind = rng.choice(len(kinds), size=num_groups, p=kind_p / kind_p.sum())
    weights = rng.gamma(2.0, size=num_groups)
    sizes = 1 + rng.multinomial(num_members - num_groups, weights / weights.sum())
    named_after_martyr = rng.random(num_groups) < 0.6
    word_pick = rng.integers(len(GROUP_WORDS), size=num_groups)
    martyr_pick = rng.integers(len(FAMILY_NAMES), size=num_groups)

    draws: list[GroupDraw] = []
    g = 0
    for k, county in enumerate(COUNTIES):
        for number in range(1, int(per_county[k]) + 1):
            kind = kinds[drawn_kind[g]]
            core = (
                f"شهید {FAMILY_NAMES[martyr_pick[g]]}"
                if named_after_martyr[g]
                else GROUP_WORDS[word_pick[g]]
            )
            label = " (خواهران)" if kind == "sisters" else ""
            record = {
                "id": f"g-{county.id}-{number:03d}",
                "name": f"گروه جهادی {core} {county.seat}{label}",
                "home": county.id,  # a group meets at its county seat
            }
            draws.append(GroupDraw(record, k, GROUP_KINDS[kind][1], int(sizes[g])))
            g += 1
    return draws


# ---------------------------------------------------------------------- volunteers

AVAILABILITY_DEFAULT, AVAILABILITY_PROFESSIONAL, AVAILABILITY_TEACHER = 0, 1, 2


@dataclass(frozen=True)
class People:
    records: list[dict[str, Any]]  # volunteers without "available" yet
    availability_kind: np.ndarray  # AVAILABILITY_* of each volunteer, from the main skill


def _volunteers(
    rng: np.random.Generator, num_volunteers: int, groups: list[GroupDraw], geography: Geography
) -> People:
    """Members group by group, then volunteers without a group.

    Most members live at their group's seat, some in its villages, a few elsewhere in the
    province; skills, leaders and personal limits are drawn by :func:`_skills`,
    :func:`_leaders` and :func:`_limits`.
    """
    group_of = np.full(num_volunteers, -1, dtype=np.int64)
    members = sum(g.size for g in groups)
    group_of[:members] = np.repeat(np.arange(len(groups)), [g.size for g in groups])
    in_group = group_of >= 0
    group_county = np.array([g.county for g in groups], dtype=np.int64)
    group_women = np.array([g.women for g in groups])

    women = np.where(in_group, group_women[np.maximum(group_of, 0)], UNAFFILIATED_WOMEN)
    female = rng.random(num_volunteers) < women
    home = _homes(rng, np.where(in_group, group_county[np.maximum(group_of, 0)], -1), geography)

    first_male = rng.integers(len(MALE_NAMES), size=num_volunteers)
    first_female = rng.integers(len(FEMALE_NAMES), size=num_volunteers)
    family = rng.integers(len(FAMILY_NAMES), size=num_volunteers)
    skills, main_skill = _skills(rng, female)
    _leaders(rng, skills, groups, in_group)
    max_camps, max_km = _limits(rng, num_volunteers)

    width = max(5, len(str(num_volunteers)))
    place_ids = [p["id"] for p in geography.places]
    records: list[dict[str, Any]] = []
    for v in range(num_volunteers):
        first = FEMALE_NAMES[first_female[v]] if female[v] else MALE_NAMES[first_male[v]]
        record: dict[str, Any] = {
            "id": f"v{v + 1:0{width}d}",
            "name": f"{first} {FAMILY_NAMES[family[v]]}",
            "home": place_ids[home[v]],
            "gender": "f" if female[v] else "m",
            "skills": skills[v],
        }
        if in_group[v]:
            record["group"] = groups[group_of[v]].record["id"]
        if max_camps[v]:
            record["max_camps"] = int(max_camps[v])
        if max_km[v]:
            record["max_km"] = int(max_km[v])
        records.append(record)

    professional = np.array([s.professional for s in SKILLS])
    kind = np.full(num_volunteers, AVAILABILITY_DEFAULT, dtype=np.int64)
    kind[professional[main_skill]] = AVAILABILITY_PROFESSIONAL
    kind[main_skill == _skill_index("teacher")] = AVAILABILITY_TEACHER
    return People(records, kind)


def _skill_index(skill_id: str) -> int:
    return next(i for i, s in enumerate(SKILLS) if s.id == skill_id)


def _homes(rng: np.random.Generator, county: np.ndarray, geography: Geography) -> np.ndarray:
    """Home place of each volunteer; ``county`` is the group's county, -1 without a group."""
    size = len(county)
    population = np.array([c.population for c in COUNTIES], dtype=np.float64)
    elsewhere = rng.choice(len(COUNTIES), size=size, p=population / population.sum())
    where = rng.random(size)
    at_seat_elsewhere = rng.random(size) < 0.75
    pick = rng.random(size)

    in_group = county >= 0
    at_seat = in_group & (where < HOME_AT_SEAT)
    in_county = in_group & ~at_seat & (where < HOME_AT_SEAT + HOME_IN_COUNTY)
    home_county = np.where(in_county | at_seat, county, elsewhere)
    seat = at_seat | (~at_seat & ~in_county & at_seat_elsewhere)

    start = geography.village_start[home_county]
    count = geography.village_start[home_county + 1] - start
    village = start + np.minimum((pick * count).astype(np.int64), count - 1)
    return np.where(seat, home_county, village)  # seat k is place k


def _skills(
    rng: np.random.Generator, female: np.ndarray
) -> tuple[list[dict[str, int]], np.ndarray]:
    """A main skill, 0 to 3 second skills, and their levels, for each volunteer.

    Second skills are drawn without replacement by the Gumbel top-k trick, which keeps
    the draw vectorised and exact.
    """
    size = len(female)
    main_m = np.array([s.main_m for s in SKILLS])
    main_f = np.array([s.main_f for s in SKILLS])
    cumulative_m = np.cumsum(main_m / main_m.sum())
    cumulative_f = np.cumsum(main_f / main_f.sum())
    cumulative_m[-1] = cumulative_f[-1] = 1.0
    u = rng.random(size)
    main = np.where(
        female,
        np.searchsorted(cumulative_f, u, side="right"),
        np.searchsorted(cumulative_m, u, side="right"),
    )
    professional = np.array([s.professional for s in SKILLS])
    main_level = np.where(
        professional[main],
        _pick_levels(rng, LEVELS_PROFESSIONAL, size),
        _pick_levels(rng, LEVELS_MAIN, size),
    )

    extra_m = np.array([s.extra_m for s in SKILLS])
    extra_f = np.array([s.extra_f for s in SKILLS])
    with np.errstate(divide="ignore"):
        log_weight = np.where(female[:, None], np.log(extra_f), np.log(extra_m))
    scores = log_weight + rng.gumbel(size=(size, len(SKILLS)))
    scores[np.arange(size), main] = -np.inf
    ranked = np.argsort(-scores, axis=1, kind="stable")[:, : len(EXTRA_SKILL_COUNTS) - 1]
    how_many = np.searchsorted(np.cumsum(EXTRA_SKILL_COUNTS)[:-1], rng.random(size), side="right")
    extra_levels = _pick_levels(rng, LEVELS_EXTRA, ranked.size).reshape(ranked.shape)

    skills: list[dict[str, int]] = []
    for v in range(size):
        held = {SKILLS[main[v]].id: int(main_level[v])}
        for j in range(how_many[v]):
            held[SKILLS[ranked[v, j]].id] = int(extra_levels[v, j])
        skills.append(held)
    return skills, main


def _leaders(
    rng: np.random.Generator,
    skills: list[dict[str, int]],
    groups: list[GroupDraw],
    in_group: np.ndarray,
) -> None:
    """A few camp leaders per group (1 + size // 12, at most 4), a few without a group."""
    start = 0
    chosen: list[np.ndarray] = []
    for group in groups:
        count = min(group.size, 1 + group.size // LEADERS_EVERY, MAX_LEADERS)
        chosen.append(start + rng.choice(group.size, size=count, replace=False))
        start += group.size
    loners = np.flatnonzero(~in_group)
    chosen.append(loners[rng.random(len(loners)) < UNAFFILIATED_LEADER_SHARE])
    leaders = np.sort(np.concatenate(chosen)) if chosen else np.zeros(0, dtype=np.int64)
    levels = _pick_levels(rng, LEVELS_LEADER, len(leaders))
    for v, level in zip(leaders, levels, strict=True):
        skills[v]["camp_leader"] = int(level)


def _limits(rng: np.random.Generator, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Personal overrides: ``max_camps`` (0 = none) and ``max_km`` (0 = none)."""
    u = rng.random(size)
    max_camps = np.zeros(size, dtype=np.int64)
    max_camps[u < ONE_CAMP_SHARE] = 1
    max_camps[(u >= ONE_CAMP_SHARE) & (u < ONE_CAMP_SHARE + EXTRA_CAMP_SHARE)] = (
        RULES["max_camps"] + 1
    )
    capped = rng.random(size) < MAX_KM_SHARE
    km = np.array(MAX_KM_CHOICES)[rng.integers(len(MAX_KM_CHOICES), size=size)]
    return max_camps, np.where(capped, km, 0)


# -------------------------------------------------------------------- availability


def _availability(
    rng: np.random.Generator, kind: np.ndarray, first: int, last: int
) -> list[list[tuple[int, int]] | None]:
    """Each volunteer's free days: the whole season (None), a few weeks, or short windows.

    Short windows are at least two days apart, so no two of them touch.
    """
    length = last - first + 1
    shares = np.array(
        [
            AVAILABILITY_SHARES["default"],
            AVAILABILITY_SHARES["professional"],
            AVAILABILITY_SHARES["teacher"],
        ]
    )
    cumulative = np.cumsum(shares, axis=1)
    cumulative[:, -1] = 1.0
    u = rng.random(len(kind))
    pattern = np.array(
        [np.searchsorted(cumulative[k], x, side="right") for k, x in zip(kind, u, strict=True)]
    )
    result: list[list[tuple[int, int]] | None] = []
    for p in pattern:
        name = AVAILABILITY_PATTERNS[p]
        if name == "season":
            result.append(None)
            continue
        windows = int(rng.integers(SHORT_WINDOWS[0], SHORT_WINDOWS[1] + 1))
        segment = length // windows
        if name == "weeks" or segment < SHORT_WINDOW_DAYS[0] + 2:
            days = min(length, 7 * int(rng.integers(WEEKS_WINDOW[0], WEEKS_WINDOW[1] + 1)))
            start = first + int(rng.integers(0, length - days + 1))
            result.append([(start, start + days - 1)])
            continue
        ranges = []
        for i in range(windows):
            room = segment - 2  # the last two days of a segment stay free
            days = min(room, int(rng.integers(SHORT_WINDOW_DAYS[0], SHORT_WINDOW_DAYS[1] + 1)))
            start = first + i * segment + int(rng.integers(0, room - days + 1))
            ranges.append((start, start + days - 1))
        result.append(ranges)
    return result


# --------------------------------------------------------------------------- camps


def _camps(
    rng: np.random.Generator,
    num_camps: int,
    geography: Geography,
    first: int,
    last: int,
    slots: int | None,
) -> list[dict[str, Any]]:
    """Camps in villages (deprived ones more often), sorted by start day; dates as ordinals.

    Template counts follow the template shares exactly, so small instances have every
    kind of camp in proportion; the order is then shuffled.
    """
    season_days = last - first + 1
    counts = _apportion(num_camps, np.array([t.share for t in CAMP_TEMPLATES]))
    template = rng.permutation(np.repeat(np.arange(len(CAMP_TEMPLATES)), counts))

    villages = np.arange(len(COUNTIES), len(geography.places))
    weight = geography.deprivation[villages].astype(np.float64) ** 2
    place = rng.choice(villages, size=num_camps, p=weight / weight.sum())

    team_lo = np.array([CAMP_TEMPLATES[t].team[0] for t in template])
    team_hi = np.array([CAMP_TEMPLATES[t].team[1] for t in template])
    team = team_lo + (rng.random(num_camps) * (team_hi - team_lo + 1)).astype(np.int64)
    day_lo = np.array([CAMP_TEMPLATES[t].days[0] for t in template])
    day_hi = np.array([CAMP_TEMPLATES[t].days[1] for t in template])
    days = day_lo + (rng.random(num_camps) * (day_hi - day_lo + 1)).astype(np.int64)
    days = np.minimum(days, season_days)
    # starts bunch in mid-season (Tir and Mordad, the school holidays)
    offset = (rng.beta(1.5, 1.5, size=num_camps) * (season_days - days + 1)).astype(np.int64)
    start = first + np.minimum(offset, season_days - days)
    gender_draw = rng.random(num_camps)
    noise = rng.choice(PRIORITY_NOISE, size=num_camps, p=PRIORITY_NOISE_P)
    priority = np.clip(geography.deprivation[place] + noise, 1, 5)
    full_beds = rng.random(num_camps) < FULL_BEDS_SHARE
    fewer_beds = rng.random(num_camps)
    if slots is not None:
        team = _scale_teams(rng, team, slots)

    camps: list[dict[str, Any]] = []
    for c in range(num_camps):
        spec = CAMP_TEMPLATES[template[c]]
        gender = None
        if gender_draw[c] < spec.women_only:
            gender = "f"
        elif gender_draw[c] < spec.women_only + spec.men_only:
            gender = "m"
        requirements = _requirements(rng, spec, int(team[c]), gender)
        size = sum(r["count"] for r in requirements)
        essential = sum(r["count"] for r in requirements if r.get("essential"))
        capacity = size
        if not full_beds[c]:
            # a few beds short: never below the essential slots, nor below 3/4 of the team
            short = 1 + int(fewer_beds[c] * max(1, size // 6))
            capacity = max(size - short, essential, math.ceil(0.75 * size))
        village = geography.places[place[c]]["name"]
        label = {"f": " (خواهران)", "m": " (برادران)", None: ""}[gender]
        camp: dict[str, Any] = {
            "name": f"{spec.title} روستای {village}{label}",
            "place": geography.places[place[c]]["id"],
            "start": int(start[c]),
            "end": int(start[c] + days[c] - 1),
            "capacity": int(capacity),
            "priority": int(priority[c]),
            "requirements": requirements,
        }
        if gender is not None:
            camp["gender"] = gender
        camps.append(camp)

    order = np.lexsort((np.arange(num_camps), place, start + days, start))
    width = max(4, len(str(num_camps)))
    ordered = []
    for number, c in enumerate(order, start=1):
        ordered.append({"id": f"c{number:0{width}d}", **camps[c]})
    return ordered


def _scale_teams(rng: np.random.Generator, team: np.ndarray, slots: int) -> np.ndarray:
    """Team sizes scaled so that they add up to ``slots`` exactly, each within bounds."""
    scaled = np.clip(np.floor(team * slots / team.sum() + 0.5), MIN_TEAM, MAX_TEAM)
    scaled = scaled.astype(np.int64)
    while (gap := slots - int(scaled.sum())) != 0:
        step = 1 if gap > 0 else -1
        movable = np.flatnonzero(scaled < MAX_TEAM if gap > 0 else scaled > MIN_TEAM)
        pick = rng.choice(movable, size=min(abs(gap), len(movable)), replace=False)
        scaled[pick] += step
    return scaled


def _requirements(
    rng: np.random.Generator, spec: CampTemplate, team: int, gender: str | None
) -> list[dict[str, Any]]:
    """The requirements of one camp of ``spec`` with ``team`` people, in template order.

    Fixed roles come first; if they leave no room, non-essential fixed roles shrink.
    The share roles split the rest of the team by largest remainder.
    """
    roles = spec.roles
    present = rng.random(len(roles)) < np.array([r.presence for r in roles])
    level_draw = rng.random(len(roles))
    for k, role in enumerate(roles):
        if gender == "m" and role.skill in WOMEN_ONLY_SKILLS:
            present[k] = False

    count = np.zeros(len(roles), dtype=np.int64)
    for k, role in enumerate(roles):
        if present[k] and role.share == 0:
            by_size = math.floor(team / role.per + 0.5) if role.per else 0
            count[k] = max(role.minimum, by_size)
    for k in reversed(range(len(roles))):  # too small a team: drop optional fixed roles
        if count.sum() <= team:
            break
        if not roles[k].essential:
            count[k] = max(0, count[k] - (count.sum() - team))
    sharing = np.array([present[k] and roles[k].share > 0 for k in range(len(roles))])
    shares = np.where(sharing, [r.share for r in roles], 0.0)
    count += _apportion(max(0, team - int(count.sum())), shares)

    requirements = []
    for k, role in enumerate(roles):
        if count[k] == 0:
            continue
        cumulative = np.cumsum(role.levels)
        level = 1 + int(np.searchsorted(cumulative / cumulative[-1], level_draw[k], side="right"))
        requirement: dict[str, Any] = {"skill": role.skill, "count": int(count[k])}
        if level > 1:
            requirement["level"] = min(level, 3)
        if role.essential:
            requirement["essential"] = True
        requirements.append(requirement)
    return requirements


# ------------------------------------------------------------------------- writing


def dumps_instance(data: dict[str, Any]) -> str:
    """Stable JSON text: keys sorted, one list item per line, Persian kept as it is."""

    def compact(value: Any) -> str:
        return json.dumps(
            value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "), allow_nan=False
        )

    keys = sorted(data)
    lines = ["{"]
    for i, key in enumerate(keys):
        comma = "," if i < len(keys) - 1 else ""
        value = data[key]
        if isinstance(value, list) and value:
            lines.append(f"  {compact(key)}: [")
            lines.extend(
                f"    {compact(item)}{',' if j < len(value) - 1 else ''}"
                for j, item in enumerate(value)
            )
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {compact(key)}: {compact(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def instance_bytes(data: dict[str, Any], compress: bool) -> bytes:
    """The file's bytes; gzip with no name and mtime 0, so equal data gives equal bytes."""
    raw = dumps_instance(data).encode("utf-8")
    if not compress:
        return raw
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    return buffer.getvalue()


# Past this an existing file is not read to see whether generate wrote it.
MAX_RECOGNISED_BYTES = 256 * 1024**2


def is_generated_instance(path: Path) -> bool:
    """True if ``path`` holds an instance in exactly the layout generate writes (keys
    sorted, one list item per line): an earlier output of generate, not a planner's file.
    The layout is the marker, so the contract needs no field for it."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_RECOGNISED_BYTES:
            return False
        data = read_json(path)
        raw = path.read_bytes()
        text = (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode("utf-8")
    except (InstanceError, OSError, ValueError, EOFError):
        return False
    return (
        isinstance(data, dict) and data.get("format") == FORMAT and (text == dumps_instance(data))
    )


def write_instance(data: dict[str, Any], path: str | Path, *, force: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically (gzip if the name ends in ``.gz``).

    An existing file is kept unless ``force``: a generated instance may have been edited
    by a planner since, and regenerating is cheap but not free of surprises.
    """
    target = guard_output(path, force=force, ours=is_generated_instance)
    write_atomic(target, instance_bytes(data, compress=target.name.endswith(".gz")))
    return target
