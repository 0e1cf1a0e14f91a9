"""Amounts and dates in the active language, for pages, charts, feeds and emails alike.

    format_amount(Decimal("1340000000"), "USD")  # en: "1.34 billion USD"
                                                 # ru: "1,34 млрд долларов США"
    long_date(date(2024, 12, 5))                 # en: "5 December 2024"; ru: "5 декабря 2024 г."
                                                 # kk: "2024 жылғы 5 желтоқсан"
                                                 # ky: "2024-жылдын 5-декабры"
    long_date(date(2024, 12, 5), DATIVE)         # kk: "2024 жылғы 5 желтоқсанға" (… дейін)
    without_double_stop("до 5 декабря 2024 г..")  # "до 5 декабря 2024 г."

Separators and date patterns come from Django's locale formats (tracker/formats/ adds Kazakh);
the scale words and unit names are msgids of the catalogues, so translators can fix them.

Kazakh and Kyrgyz official texts put the year first and decline the month's name with the
sentence: "2024 жылғы 5 желтоқсанға дейін", "2024-жылдын 5-декабрына чейин". A date inside a
sentence is therefore asked for in the case its place needs (one of CASES); Kazakh and Kyrgyz
postpositions govern the same cases (дейін/чейин the dative...), so one case per place serves
both, and English and Russian, whose dates fit every such place as they are, ignore it.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.utils import dateformat, timezone
from django.utils.formats import get_format, number_format
from django.utils.translation import get_language, npgettext, pgettext, pgettext_lazy

# English keeps the patterns its pages always had; other languages use their DATE_FORMAT.
_ENGLISH_LONG, _ENGLISH_SHORT = "j F Y", "j M Y"

# Official Kazakh and Kyrgyz texts write a month's name in lower case inside a date; Django's
# kk and ky catalogues capitalise the names, as if each stood alone.
_LOWER_CASE_MONTH_LANGUAGES = frozenset({"kk", "ky"})

# A stop that follows a stop, closing tags between them allowed ("г.</time>."), but not an
# ellipsis: what a sentence gets when it ends with a date that ends with "г." or "ж.".
_DOUBLE_STOP = re.compile(r"(?<!\.)\.((?:</[a-z]+>)*)\.(?!\.)")

_SCALES = (
    (Decimal(10) ** 12, pgettext_lazy("amount", "trillion"), pgettext_lazy("amount short", "tn")),
    (Decimal(10) ** 9, pgettext_lazy("amount", "billion"), pgettext_lazy("amount short", "bn")),
    (Decimal(10) ** 6, pgettext_lazy("amount", "million"), pgettext_lazy("amount short", "mn")),
)

# Counts that pick the plural form a unit takes after a number. After a scale word ("1,34 млрд")
# the unit takes the form of "many" (genitive plural in Russian); after a fraction, the form of
# "2" (genitive singular): Russian writes "1,5 доллара".
_MANY, _FEW = 5, 2


def _unit_names(unit: str, n: int) -> str | None:
    names = {
        "USD": lambda: npgettext("unit", "USD", "USD", n),
        "EUR": lambda: npgettext("unit", "EUR", "EUR", n),
        "RUB": lambda: npgettext("unit", "RUB", "RUB", n),
        "CNY": lambda: npgettext("unit", "CNY", "CNY", n),
        "KZT": lambda: npgettext("unit", "KZT", "KZT", n),
        "KGS": lambda: npgettext("unit", "KGS", "KGS", n),
        "MW": lambda: npgettext("unit", "MW", "MW", n),
        "km": lambda: npgettext("unit", "km", "km", n),
        "t": lambda: npgettext("unit", "t", "t", n),
        "tonnes": lambda: npgettext("unit", "tonnes", "tonnes", n),
    }
    name = names.get(unit)
    return name() if name else None


def unit_name(unit: str, value: Decimal | float | int = _MANY, *, scaled: bool = False) -> str:
    """The unit as the active language writes it after `value`; an unknown unit stays as it is."""
    if scaled:
        n = _MANY
    else:
        number = Decimal(str(value))
        n = int(number) if number == number.to_integral_value() else _FEW
    return _unit_names(unit, n) or unit


def _plain(number: Decimal, places: int) -> Decimal:
    """`number` rounded to `places` decimals, trailing zeros dropped (1.340 -> 1.34, 2.00 -> 2)."""
    text = f"{round(number, places):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Decimal(text)


def format_number(value: Decimal | float | int, places: int = 2) -> str:
    """A number with the active language's separators: 1,234.5 (en), 1 234,5 (ru)."""
    return number_format(_plain(Decimal(str(value)), places), force_grouping=True)


# A scaled amount keeps three significant figures: "200 млн", "1,34 млрд", never "199,863 млн".
SIGNIFICANT_FIGURES = 3


def _significant(number: Decimal, figures: int = SIGNIFICANT_FIGURES) -> Decimal:
    """`number` to `figures` significant figures, its whole part kept (1234.5 -> 1235)."""
    if not number:
        return Decimal(0)
    places = max(figures - (number.adjusted() + 1), 0)
    return _plain(number, places)


def format_amount(value: Decimal | float | int, unit: str = "", *, short: bool = False) -> str:
    """1340000000 -> "1.34 billion" ("1.34 bn" when short); the unit follows when given.
    Scaled amounts keep three significant figures (199863000 -> "200 million")."""
    number = Decimal(str(value))
    for size, long_name, short_name in _SCALES:
        if abs(number) >= size:
            scaled = _significant(number / size)
            text = f"{format_number(scaled, 3)} {short_name if short else long_name}"
            name = unit_name(unit, scaled=True) if unit else ""
            break
    else:
        text = format_number(number, 2)
        name = unit_name(unit, _plain(number, 2)) if unit else ""
    return f"{text} {name}".strip()


def format_size(megabytes: float) -> str:
    """A size in megabytes with one decimal in the active language's notation: "5.0" (en),
    "5,0" (ru)."""
    return number_format(Decimal(str(round(megabytes, 1))), decimal_pos=1)


def format_exact(value: Decimal, unit: str = "") -> str:
    """The figure in full, "2,000,000,000 USD" or "12.50 USD", with the unit as given (its code)."""
    cents = round(Decimal(str(value)), 2)
    places = 0 if cents == cents.to_integral_value() else 2
    return f"{number_format(cents, decimal_pos=places, force_grouping=True)} {unit}".strip()


def _as_date(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _is_english() -> bool:
    return _language() == "en"


class _LowerCaseMonths(dateformat.DateFormat):
    """Django's date formatting with the month's name in lower case: "5 желтоқсан 2024 ж."."""

    def E(self):
        return super().E().lower()

    def F(self):
        return super().F().lower()


def _format(value: dt.date | dt.datetime, pattern: str) -> str:
    formatter = (
        _LowerCaseMonths if _language() in _LOWER_CASE_MONTH_LANGUAGES else dateformat.DateFormat
    )
    return formatter(_as_date(value)).format(pattern)


def localized_date(value: dt.date | dt.datetime, format_name: str = "DATE_FORMAT") -> str:
    """`value` in the active language's DATE_FORMAT, DATETIME_FORMAT, YEAR_MONTH_FORMAT...,
    as django.utils.formats.date_format writes it, with Kazakh and Kyrgyz months in lower case."""
    return _format(value, get_format(format_name))


# --- Kazakh and Kyrgyz dates in the official order ----------------------------------------------

NOMINATIVE = "nominative"  # "2024 жылғы 5 желтоқсан": a date standing alone, or after a colon
DATIVE = "dative"  # "… 5 желтоқсанға (дейін)", "… 5-декабрына (чейин)": until, to
LOCATIVE = "locative"  # "… 5 желтоқсанда", "… 5-декабрында": on
ABLATIVE = "ablative"  # "… 5 желтоқсаннан", "… 5-декабрынан": from
ATTRIBUTIVE = "attributive"  # "… 5 желтоқсандағы (жағдай)", "… 5-декабрындагы (абал)": as of
CASES = (NOMINATIVE, DATIVE, LOCATIVE, ABLATIVE, ATTRIBUTIVE)

# Each month as it stands after the day: nominative, dative, locative, ablative. Kazakh keeps the
# name itself ("5 желтоқсан"); Kyrgyz gives it the possessive ("5-декабры", the 5th of December),
# and the case endings follow the possessive. Written out rather than derived: the endings turn on
# the last sound and vowel of each name (сәуірге, қыркүйекке, ақпаннан; апрелине, июнуна), and a
# table a reader can check beats a rule a reader must trust.
_KAZAKH_MONTHS = {
    1: ("қаңтар", "қаңтарға", "қаңтарда", "қаңтардан"),
    2: ("ақпан", "ақпанға", "ақпанда", "ақпаннан"),
    3: ("наурыз", "наурызға", "наурызда", "наурыздан"),
    4: ("сәуір", "сәуірге", "сәуірде", "сәуірден"),
    5: ("мамыр", "мамырға", "мамырда", "мамырдан"),
    6: ("маусым", "маусымға", "маусымда", "маусымнан"),
    7: ("шілде", "шілдеге", "шілдеде", "шілдеден"),
    8: ("тамыз", "тамызға", "тамызда", "тамыздан"),
    9: ("қыркүйек", "қыркүйекке", "қыркүйекте", "қыркүйектен"),
    10: ("қазан", "қазанға", "қазанда", "қазаннан"),
    11: ("қараша", "қарашаға", "қарашада", "қарашадан"),
    12: ("желтоқсан", "желтоқсанға", "желтоқсанда", "желтоқсаннан"),
}
_KYRGYZ_MONTHS = {
    1: ("январы", "январына", "январында", "январынан"),
    2: ("февралы", "февралына", "февралында", "февралынан"),
    3: ("марты", "мартына", "мартында", "мартынан"),
    4: ("апрели", "апрелине", "апрелинде", "апрелинен"),
    5: ("майы", "майына", "майында", "майынан"),
    6: ("июну", "июнуна", "июнунда", "июнунан"),
    7: ("июлу", "июлуна", "июлунда", "июлунан"),
    8: ("августу", "августуна", "августунда", "августунан"),
    9: ("сентябры", "сентябрына", "сентябрында", "сентябрынан"),
    10: ("октябры", "октябрына", "октябрында", "октябрынан"),
    11: ("ноябры", "ноябрына", "ноябрында", "ноябрынан"),
    12: ("декабры", "декабрына", "декабрында", "декабрынан"),
}

# Django's E ("alt. month") is the month's name as it stands inside a date. Declared here so the
# catalogues carry them: Kazakh gives the name in lower case, Kyrgyz its possessive, so Django's
# own DATE_FORMAT (tracker/formats/), which the admin uses, writes the dates long_date writes.
MONTHS_IN_A_DATE = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)


def _month_in_case(
    forms: tuple[str, str, str, str], case: str, attributive: tuple[str, str]
) -> str:
    if case == ATTRIBUTIVE:
        # The locative with the attributive ending, by the vowel it follows (`attributive`:
        # after a back vowel, after a front one): қарашадағы, сәуірдегі; ноябрындагы, апрелиндеги.
        locative = forms[2]
        return locative + attributive[0 if locative.endswith("а") else 1]
    return forms[CASES.index(case)]


def _official_date(language: str, value: dt.date, case: str) -> str | None:
    """`value` in the official order of Kazakh or Kyrgyz texts, else None."""
    if language == "kk":
        month = _month_in_case(_KAZAKH_MONTHS[value.month], case, ("ғы", "гі"))
        return f"{value.year} жылғы {value.day} {month}"
    if language == "ky":
        month = _month_in_case(_KYRGYZ_MONTHS[value.month], case, ("гы", "ги"))
        return f"{value.year}-жылдын {value.day}-{month}"
    return None


def long_date(value: dt.date | dt.datetime | None, case: str = NOMINATIVE) -> str:
    """ "5 December 2024"; "5 декабря 2024 г." in Russian, "2024 жылғы 5 желтоқсан" in Kazakh,
    "2024-жылдын 5-декабры" in Kyrgyz; with `case`, the Kazakh or Kyrgyz month in that case
    ("2024 жылғы 5 желтоқсанға", DATIVE), for the place in a sentence the date stands in."""
    if case not in CASES:
        raise ValueError(f"unknown case {case!r}; use one of {', '.join(CASES)}")
    if value is None:
        return ""
    if _is_english():
        return _format(value, _ENGLISH_LONG)
    official = _official_date(_language(), _as_date(value), case)
    return official if official is not None else localized_date(value, "DATE_FORMAT")


def short_date(value: dt.date | dt.datetime | None) -> str:
    """ "5 Dec 2024"; "05.12.2024" in Russian, Kazakh and Kyrgyz."""
    if value is None:
        return ""
    pattern = _ENGLISH_SHORT if _is_english() else get_format("SHORT_DATE_FORMAT")
    return _format(value, pattern)


def date_range(start: dt.date, end: dt.date) -> str:
    return pgettext("date range", "%(start)s – %(end)s") % {
        "start": short_date(start),
        "end": short_date(end),
    }


# --- Names of countries and places ------------------------------------------------------------
# The record stores them in English; pages, feeds and emails show them as the reader's language
# officially writes them: "Кыргызстан" on a Russian page, "Бішкек, Қырғызстан" on a Kazakh one.

COUNTRY_NAMES = {
    "KZ": pgettext_lazy("country", "Kazakhstan"),
    "KG": pgettext_lazy("country", "Kyrgyzstan"),
    "UZ": pgettext_lazy("country", "Uzbekistan"),
    "TJ": pgettext_lazy("country", "Tajikistan"),
    "TM": pgettext_lazy("country", "Turkmenistan"),
    "RU": pgettext_lazy("country", "Russia"),
    "CN": pgettext_lazy("country", "China"),
}

PLACE_NAMES = {
    "Astana": pgettext_lazy("place", "Astana"),
    "Bishkek": pgettext_lazy("place", "Bishkek"),
    "Almaty": pgettext_lazy("place", "Almaty"),
    "Cholpon-Ata": pgettext_lazy("place", "Cholpon-Ata"),
    "Osh": pgettext_lazy("place", "Osh"),
    "Taraz": pgettext_lazy("place", "Taraz"),
    "Turkestan": pgettext_lazy("place", "Turkestan"),
    "Shymkent": pgettext_lazy("place", "Shymkent"),
    "Karakol": pgettext_lazy("place", "Karakol"),
    "Burabay": pgettext_lazy("place", "Burabay"),
    "Issyk-Kul": pgettext_lazy("place", "Issyk-Kul"),
}
_COUNTRIES_BY_ENGLISH_NAME = {
    "Kazakhstan": "KZ",
    "Kyrgyzstan": "KG",
    "Uzbekistan": "UZ",
    "Tajikistan": "TJ",
    "Turkmenistan": "TM",
    "Russia": "RU",
    "China": "CN",
}


def country_name(code: str, stored: str = "") -> str:
    """A country's name in the active language; one not in COUNTRY_NAMES keeps `stored`."""
    name = COUNTRY_NAMES.get(code)
    return str(name) if name is not None else stored or code


def place_name(location: str) -> str:
    """A location such as "Bishkek, Kyrgyzstan" in the active language, part by part; a part
    the catalogue does not know stays as staff wrote it."""

    def one(part: str) -> str:
        if part in PLACE_NAMES:
            return str(PLACE_NAMES[part])
        if part in _COUNTRIES_BY_ENGLISH_NAME:
            return country_name(_COUNTRIES_BY_ENGLISH_NAME[part], part)
        return part

    return ", ".join(one(part.strip()) for part in location.split(",")) if location else ""


def _month_name(day: dt.date) -> str:
    """The month's name standing alone ("July"; "июль", "шілде"), lower case but in English."""
    name = dateformat.format(day, "F")
    return name if _is_english() else name.lower()


def period_text(start: dt.date, end: dt.date) -> str:
    """A period named as the active language names it: "2023" for a calendar year, "January–
    July 2023" ("январь–июль 2023 г.", "2023 жылғы қаңтар–шілде") for whole months of one year,
    else its first and last days."""
    ends_a_month = end == dt.date.max or (end + dt.timedelta(days=1)).day == 1
    whole_months = start.day == 1 and ends_a_month
    if whole_months and start.year == end.year:
        if (start.month, end.month) == (1, 12):
            return str(start.year)
        if start.month == end.month:
            return pgettext("period", "%(month)s %(year)s") % {
                "month": _month_name(start),
                "year": start.year,
            }
        return pgettext("period", "%(first)s–%(last)s %(year)s") % {
            "first": _month_name(start),
            "last": _month_name(end),
            "year": start.year,
        }
    if start == end:
        return short_date(start)
    return date_range(start, end)


def without_double_stop(text: str) -> str:
    """`text` with a full stop once where a sentence ends with a date that already ends with
    one: "до 5 декабря 2024 г.." -> "до 5 декабря 2024 г.". English dates end without a stop,
    so English text comes back as it was. For sentences and markup the site writes, not for
    text people typed (their ".." is theirs)."""
    return _DOUBLE_STOP.sub(r".\1", text)
