"""Amounts with their unit, currency and period, in English and Russian."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)*"
_SCALE = (
    r"trillion|billion|bln|bn|million|mln|mn|thousand|"
    r"трлн\.?|триллион\w*|млрд\.?|миллиард\w*|млн\.?|миллион\w*|тыс\.?|тысяч\w*"
)
_CURRENCY_AFTER = (
    r"U\.\s?S\.\s?dollars?|US\s?dollars?|American dollars|dollars?|USD|"
    r"долл\.?\s?США|долл(?:ар\w*)?\.?(?:\s?США)?|тенге|tenge|KZT|сом\w*|soms?|KGS|"
    r"рубл\w*|roubles?|rubles?|евро|euros?|EUR|"
    r"тонн\w*|tonnes?|tons?|кВт\s?ч|kWh|МВт|MW|км|km"
)
FIGURE = re.compile(
    rf"(?P<before>US\$|\$|€|USD\s?|EUR\s?)?(?P<number>{_NUMBER})\s?"
    rf"(?:(?P<scale>{_SCALE})(?![\w]))?\s?(?P<after>{_CURRENCY_AFTER})?(?![\w%])",
    re.IGNORECASE,
)
_SCALES = {
    "трлн": 10**12,
    "трилл": 10**12,
    "trillion": 10**12,
    "billion": 10**9,
    "bln": 10**9,
    "bn": 10**9,
    "млрд": 10**9,
    "миллиард": 10**9,
    "million": 10**6,
    "mln": 10**6,
    "mn": 10**6,
    "млн": 10**6,
    "миллион": 10**6,
    "thousand": 10**3,
    "тыс": 10**3,
    "тысяч": 10**3,
}
_UNITS = [
    (r"\$|usd|dollar|долл", "USD"),
    (r"€|eur|евро", "EUR"),
    (r"тенге|tenge|kzt", "KZT"),
    (r"сом|som|kgs", "KGS"),
    (r"рубл|rouble|ruble", "RUB"),
    (r"тонн|tonne|ton", "t"),
    (r"квт|kwh", "kWh"),
    (r"мвт|mw", "MW"),
    (r"км|km", "km"),
]
_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
    "янв": 1,
    "фев": 2,
    "мар": 3,
    "апр": 4,
    "мая": 5,
    "май": 5,
    "июн": 6,
    "июл": 7,
    "авг": 8,
    "сен": 9,
    "окт": 10,
    "ноя": 11,
    "дек": 12,
}
_COUNTS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "одн": 1,
    "дв": 2,
    "тр": 3,
    "четыр": 4,
    "пят": 5,
    "шест": 6,
    "сем": 7,
    "восем": 8,
    "восьм": 8,
    "девят": 9,
    "десят": 10,
    "одиннадцат": 11,
}
_MONTH_WORD = (
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*|"
    r"(?:январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр)\w*"
)
_RANGE = re.compile(rf"(?P<m1>{_MONTH_WORD})\s?[-–—]\s?(?P<m2>{_MONTH_WORD})", re.I)
_N_MONTHS = re.compile(
    r"(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"одн\w*|дв\w*|тр[её]\w*|четыр\w*|пят\w*|шест\w*|сем\w*|восем\w*|восьм\w*|девят\w*|"
    r"десят\w*|одиннадцат\w*)\s(?:first\s)?(?:months?|месяц\w*)",
    re.I,
)
_HALF = re.compile(r"first half|первое полугодие|первом полугодии|первое полугодие|H1\b", re.I)
_QUARTER = re.compile(r"first quarter|первый квартал|первом квартале|Q1\b", re.I)
_YEAR = re.compile(r"(?<![\d])(?<!\d[.,])(?P<year>20\d\d)(?!\d|[.,]\d)")
_TARGET_YEAR = re.compile(r"(?:\bby|\bк|\bдо)\s(?P<year>20\d\d)", re.I)
_TARGET_BEFORE = re.compile(r"(?:\bto|\bдо|\bup to|\breach(?:ing)?|\bat least)\s$", re.I)
_TARGET_WORDS = re.compile(
    r"goal|target|aim|plan|intend|seek|bring|increase[sd]? .{0,40}\bto\b|boost|raise|"
    r"цел[ьи]|задач|план|намер|довести|увеличить|нарастить|стремя",
    re.I,
)


@dataclass(frozen=True)
class Figure:
    start: int  # offsets within the sentence
    end: int
    value: Decimal
    unit: str
    is_target: bool
    period_start: date | None
    period_end: date | None
    period_label: str


def parse_number(raw: str, has_scale: bool) -> Decimal | None:
    raw = raw.replace("\u00a0", " ").replace("\u202f", " ")
    if " " in raw:
        raw = raw.replace(" ", "")
    if "," in raw and "." in raw:
        decimal = "," if raw.rfind(",") > raw.rfind(".") else "."
        raw = raw.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif "," in raw:
        groups = raw.split(",")
        # "1,4 млрд" and "$1,340 billion" are decimals (nobody writes thousands of billions);
        # "1,340 tonnes" is a thousands separator.
        if has_scale or (len(groups) == 2 and len(groups[1]) != 3):
            raw = raw.replace(",", ".") if len(groups) == 2 else raw.replace(",", "")
        else:
            raw = raw.replace(",", "")
    elif raw.count(".") > 1:
        raw = raw.replace(".", "")
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


def _unit(text: str) -> str:
    lower = text.lower()
    for pattern, unit in _UNITS:
        if re.search(pattern, lower):
            return unit
    return ""


def _scale(word: str | None) -> int:
    if not word:
        return 1
    lower = word.lower().rstrip(".")
    for prefix, factor in _SCALES.items():
        if lower.startswith(prefix):
            return factor
    return 1


def _month(word: str) -> int | None:
    lower = word.lower()
    for prefix, number in _MONTHS.items():
        if lower.startswith(prefix):
            return number
    return None


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    lower = word.lower()
    for prefix in sorted(_COUNTS, key=len, reverse=True):
        if lower.startswith(prefix):
            return _COUNTS[prefix]
    return None


def _months_period(first: int, last: int, year: int) -> tuple[date, date]:
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])


def period_of(sentence: str, published_on: date) -> tuple[date | None, date | None, str]:
    """The period a sentence's figures cover: months of a year, or a whole year; the year defaults
    to the publication's (the previous one when those months had not ended by then)."""
    years = [int(m.group("year")) for m in _YEAR.finditer(sentence)]
    target_years = {int(m.group("year")) for m in _TARGET_YEAR.finditer(sentence)}
    years = [y for y in years if y not in target_years]
    year = years[0] if years else None
    last_month = first_month = None
    label = ""
    if match := _RANGE.search(sentence):
        first_month, last_month = _month(match.group("m1")), _month(match.group("m2"))
        label = match.group()
    elif match := _N_MONTHS.search(sentence):
        first_month, last_month = 1, _count(match.group("n"))
        label = match.group()
    elif match := _HALF.search(sentence):
        first_month, last_month, label = 1, 6, match.group()
    elif match := _QUARTER.search(sentence):
        first_month, last_month, label = 1, 3, match.group()
    if first_month and last_month and 1 <= first_month <= last_month <= 12:
        if year is None:
            year = published_on.year
            if date(year, last_month, calendar.monthrange(year, last_month)[1]) > published_on:
                year -= 1
        start, end = _months_period(first_month, last_month, year)
        return start, end, f"{label} {year}".strip() if str(year) not in label else label
    if year is not None:
        return date(year, 1, 1), date(year, 12, 31), str(year)
    return None, None, ""


def figures(sentence: str, published_on: date) -> list[Figure]:
    """The amounts of a sentence that have a unit or a scale (a bare number is not a figure)."""
    period_start, period_end, label = period_of(sentence, published_on)
    targetish = bool(_TARGET_WORDS.search(sentence))
    found = []
    for match in FIGURE.finditer(sentence):
        before, scale, after = match.group("before"), match.group("scale"), match.group("after")
        if not (before or after or scale):
            continue
        number = match.group("number")
        if _YEAR.fullmatch(number) and not (before or scale):
            continue
        value = parse_number(number, bool(scale))
        if value is None:
            continue
        preceding = sentence[max(0, match.start() - 12) : match.start()]
        is_target = targetish and bool(_TARGET_BEFORE.search(preceding))
        found.append(
            Figure(
                start=match.start(),
                end=match.end(),
                value=value * _scale(scale),
                unit=_unit(f"{before or ''} {after or ''}"),
                is_target=is_target,
                period_start=period_start,
                period_end=period_end,
                period_label=label,
            )
        )
    return found


# --- Measure first ------------------------------------------------------------------------------
# A figure is read with the quantity it measures, named by the words before it in its own clause
# ("exports ... reached $455 million" is not turnover), with its own period (two figures of one
# sentence can be of two years) and as a target or an actual by the wording around it.

MEASURES = [
    ("exports", re.compile(r"\bexport\w*|\bэкспорт\w*|\bпоставк\w*", re.I)),
    ("imports", re.compile(r"\bimport\w*|\bимпорт\w*", re.I)),
    ("investment", re.compile(r"\binvestment\w*|\bинвестиц\w*", re.I)),
    (
        "trade",
        re.compile(
            r"\btrade turnover|\bturnover|\bvolume of (?:mutual |bilateral |reciprocal )?trade|"
            r"\b(?:mutual|bilateral|reciprocal|foreign) trade|\btrade volume|\btrade between|"
            r"\btrade(?=,? (?:has |had )?(?:increased|grew|rose|reached|amounted|totall?ed|stood|"
            r"was|fell|decreased|declined))|"
            r"\bтоварооборот\w*|\bвзаимн\w+ торговл\w*|\bдвусторонн\w+ торговл\w*|"
            r"\bобъ[её]м\w* (?:взаимной |двусторонней |внешней )?торговл\w*|\bторговл\w* между|"
            r"\bтауар айналым\w*|\bсоода жүгүртүү\w*",
            re.I,
        ),
    ),
]
# A measure of one sector ("agro-industrial turnover") is not the bilateral total.
_SECTOR = re.compile(
    r"agro\w*|agricultur\w*|\bsector\b|агропромышлен\w*|сельскохозяйствен\w*|\bсфер[еаы]\b|"
    r"\bотрасл\w*|\bАПК\b|energy|энергетич\w*",
    re.I,
)
_PAST_CHANGE_TO = re.compile(
    r"(?:increas\w*|gr[eo]w\w*|rose|risen|went up|climb\w*|увеличил\w*|вырос\w*|возрос\w*)"
    r"\s(?:by\s|на\s)?[\d.,]+\s?(?:%|percent|процент\w*)\s(?:to|до)\s*$",
    re.I,
)
_TARGET_VERB = re.compile(
    r"\b(?:increase|bring|boost|raise|double|expand|lift)\b(?! by)|"
    r"\b(?:довести|увеличить|нарастить|поднять|вывести|удвоить)\b",
    re.I,
)
_MODAL = re.compile(
    r"\b(?:target|goal|aim\w*|plan\w*|intend\w*|potential|will|would|seek\w*|commitment|"
    r"цел[ьи]|задач\w*|план\w*|намер\w*|стрем\w*|потенциал\w*)\b",
    re.I,
)
_PREPOSITION_END = re.compile(r"\b(?:to|до|up to|at least)\s*$", re.I)
_REACHING_END = re.compile(r"\b(?:reach(?:ing)?|достичь|достигнуть)\s*$", re.I)
_RELATIVE_YEAR = re.compile(
    r"(?P<last>last year|previous year|past year|the year before|"
    r"прошл\w+ год\w*|предыдущ\w+ год\w*|минувш\w+ год\w*|өткен жыл\w*|өткөн жыл\w*|"
    r"былтыр\w*)|"
    r"(?P<this>this year|current year|the year to date|текущ\w+ год\w*|этого года|эт\w+ году|"
    r"нынешн\w+ год\w*|биыл\w*|быйыл\w*|ағымдағы жыл\w*|ушул жыл\w*)",
    re.I,
)


@dataclass(frozen=True)
class Measured:
    figure: Figure
    measure: str  # "trade", "exports", "imports", "investment", "<measure>:sector", or ""


def measure_of(text: str) -> str:
    """The quantity a title or clause names, by its first measure word ("" when none)."""
    found = [(m.start(), name) for name, pattern in MEASURES for m in pattern.finditer(text)]
    return min(found)[1] if found else ""


def _measure_before(sentence: str, position: int) -> str:
    mentions = [
        (m.start(), m.end(), name) for name, pattern in MEASURES for m in pattern.finditer(sentence)
    ]
    before = [m for m in mentions if m[1] <= position]
    if before:
        start, _end, name = max(before)
    else:
        after = [m for m in mentions if m[0] >= position and m[0] - position < 60]
        if not after:
            return ""
        start, _end, name = min(after)
    window = sentence[max(0, start - 80) : max(position, start)]
    return f"{name}:sector" if _SECTOR.search(window) else name


def _clause_period(
    clause: str, sentence: str, published_on: date
) -> tuple[date | None, date | None, str]:
    start, end, label = period_of(clause, published_on)
    relative = _RELATIVE_YEAR.search(clause)
    if relative:
        year = published_on.year - 1 if relative.group("last") else published_on.year
        if start is None:
            return date(year, 1, 1), date(year, 12, 31), relative.group()
        if not _YEAR.search(clause):
            # "за 8 месяцев текущего года", "over 7 months of last year": months of that year.
            return (
                start.replace(year=year),
                end.replace(year=year),
                f"{label.split(' 20')[0]} {year}",
            )
    if start is None and clause != sentence:
        return period_of(sentence, published_on)
    return start, end, label


def measured_figures(sentence: str, published_on: date) -> list[Measured]:
    """The sentence's money and quantity figures, each with its measure, period and whether it is
    a target; a figure's clause runs from the previous figure to the next one."""
    matches = [
        m
        for m in FIGURE.finditer(sentence)
        if (m.group("before") or m.group("after") or m.group("scale"))
        and not (_YEAR.fullmatch(m.group("number")) and not (m.group("before") or m.group("scale")))
    ]
    result = []
    for n, match in enumerate(matches):
        left = matches[n - 1].end() if n else 0
        right = matches[n + 1].start() if n + 1 < len(matches) else len(sentence)
        clause = sentence[left:right]
        before = sentence[left : match.start()]
        scale, before_sign, after = (
            match.group("scale"),
            match.group("before"),
            match.group("after"),
        )
        value = parse_number(match.group("number"), bool(scale))
        if value is None:
            continue
        leading = sentence[: match.start()]
        if _PAST_CHANGE_TO.search(before):
            is_target = False  # "increased by 13% to $757 million" is what happened
        elif _PREPOSITION_END.search(before[-14:]):
            is_target = bool(_TARGET_VERB.search(leading) or _MODAL.search(leading))
        else:
            is_target = bool(_REACHING_END.search(before[-14:]) and _MODAL.search(leading))
        start, end, label = _clause_period(clause, sentence, published_on)
        figure = Figure(
            start=match.start(),
            end=match.end(),
            value=value * _scale(scale),
            unit=_unit(f"{before_sign or ''} {after or ''}"),
            is_target=is_target,
            period_start=start,
            period_end=end,
            period_label=label,
        )
        result.append(Measured(figure, _measure_before(sentence, match.start())))
    return result
