"""The meeting an article reports, read event first: a kind of meeting, named as happening.

Kinds: the Supreme Interstate Council, the Intergovernmental Council, an intergovernmental
commission, and talks between the two sides' officials (presidents, heads of government,
ministers). A mention counts only as the event the article reports: near its beginning, with
words of something taking place (held, chaired, talks, following the meeting...), and not as
something past or wished for ("last year's council", "intensify the activities of the Council",
"the previous meeting"). Ordinals are read in digits, words and Roman numerals; dates in any
order ("Aug. 17", "17 августа", "14.11.2025").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .figures import _month

_KINDS = [
    (
        "Supreme Interstate Council",
        re.compile(
            r"Supreme Interstate Council|Высш\w+ межгосударственн\w+ совет\w*|"
            r"Высш\w+ межгоссовет\w*|Жоғары мемлекетаралық кеңес\w*|"
            r"Жогорку мамлекеттер аралык кеңеш\w*",
            re.I,
        ),
    ),
    (
        "Intergovernmental Council",
        re.compile(
            r"Intergovernmental Council|[Мм]ежправительственн\w+ совет\w*|үкіметаралық кеңес\w*|"
            r"өкмөттөр аралык кеңеш\w*",
            re.I,
        ),
    ),
    (
        "Intergovernmental Commission",
        re.compile(r"Intergovernmental Commission|[Мм]ежправительственн\w+ комисси\w*", re.I),
    ),
]
_TALKS = re.compile(
    r"\btalks\b|\bnegotiations\b|\bmeeting with\b|\bmet with\b|\bmet\b|\bbriefing\b|"
    r"\bofficial visit\b|\bworking visit\b|\bstate visit\b|"
    r"переговор\w*|встреч\w*|брифинг\w*|(?:официальн|рабоч|государственн)\w+ визит\w*|"
    r"\bвизит\w*",
    re.I,
)
_HAPPENING = re.compile(
    r"\bheld\b|\btook place\b|\bchaired\b|\bco-chaired\b|\bconvened\b|\bopened\b|\bmeeting of\b|"
    r"\bduring\b|\bfollowing\b|\bat the\b|\bafter the\b|\bwas held\b|\btakes place\b|"
    r"состоял\w*|прош(?:ло|ел|ла|ли)\b|провел\w*|приняли участие|принял участие|"
    r"по итогам|в ходе|в рамках|председательств\w*|открыл\w*|прибыл\w*|"
    r"өтті|өттү|болды",
    re.I,
)
_NOT_THIS = re.compile(
    r"\blast year\b|\bprevious\b|\bearlier\b|\bnext\b|\bupcoming\b|\bintensify\b|"
    r"\bactivit(?:y|ies) of\b|\bdecisions of\b|\bresolution of\b|\bwithin the framework\b|"
    r"в прошлом году|предыдущ\w*|прошедш\w*|следующ\w*|предстоящ\w*|активизир\w*|"
    r"решени\w+ (?:Высш|Межправ)\w*",
    re.I,
)
# A third country at the table makes it a regional meeting, not one between the two.
_THIRD = re.compile(
    r"uzbek\w*|tajik\w*|turkmen\w*|russia\w*|china|chinese|azerbaij\w*|"
    r"узбек\w*|таджик\w*|туркмен\w*|росси\w*|китай\w*|азербайдж\w*",
    re.I,
)
# Bodies of one country (a parliament's sitting) are not a meeting between the two.
_DOMESTIC = re.compile(
    r"Мажилис\w*|Сенат\w*|Жогорку Кенеш\w*|парламент\w*|депутат\w*|Parliament|Majilis|Mazhilis|"
    r"Senate|Jogorku Kenesh|deputies",
    re.I,
)
_SIDES = (
    re.compile(
        r"kazakh\w*|казах\w*|қазақ\w*|казак\w*|astana|астан\w*|tokayev|токаев\w*|bektenov|"
        r"бектенов\w*|nurtleu|нуртлеу\w*|кошербаев\w*|koshe?rbayev",
        re.I,
    ),
    re.compile(
        r"kyrgyz\w*|кыргыз\w*|киргиз\w*|қырғыз\w*|bishkek|бишкек\w*|japarov|жапаров\w*|"
        r"kasymaliev|касымалиев\w*|kulubaev|кулубаев\w*",
        re.I,
    ),
)
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15,
    "перв": 1, "втор": 2, "трет": 3, "четверт": 4, "пят": 5, "шест": 6, "седьм": 7, "восьм": 8,
    "девят": 9, "десят": 10, "одиннадцат": 11, "двенадцат": 12, "тринадцат": 13,
    "четырнадцат": 14, "пятнадцат": 15,
}  # fmt: skip
_ORDINAL_WORD = re.compile(
    r"\b(?P<w>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
    r"twelfth|thirteenth|fourteenth|fifteenth|"
    r"перв|втор|трет|четверт|пят|шест|седьм|восьм|девят|десят|одиннадцат|двенадцат|"
    r"тринадцат|четырнадцат|пятнадцат)\w*\s(?:\w+\s)?(?:meeting|session|заседани\w*|отырыс\w*)",
    re.I,
)
_ORDINAL_DIGITS = re.compile(
    r"\b(?P<n>\d{1,2})(?:th|st|nd|rd|-?[ейгоя]{1,2}|-?(?:ші|шы|чи|чы|нчи|нчы))?\s"
    r"(?:\w+\s)?(?:meeting|session|заседани\w*|отырыс\w*|жыйын\w*)|"
    r"(?:meeting|session|заседани\w*)\s(?:№\s?)?(?P<m>\d{1,2})\b",
    re.I,
)
_ROMAN = re.compile(r"\b(?P<r>[IVXL]{1,6})\s(?:\w+\s)?(?:meeting|session|заседани\w*)", re.I)
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}
_MONTH = (
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?|"
    r"(?:январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр)\w*"
)
_DATES = [
    re.compile(rf"(?P<d>\d{{1,2}})\s(?P<mon>{_MONTH})(?:\s(?P<y>20\d\d))?", re.I),
    re.compile(rf"(?P<mon>{_MONTH})\s(?P<d>\d{{1,2}})(?:,?\s(?P<y>20\d\d))?(?!\d)", re.I),
    re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<mo>\d{1,2})\.(?P<y>20\d\d)(?!\d)"),
]
_PLACES = {
    "astana": "Astana", "астан": "Astana", "bishkek": "Bishkek", "бишкек": "Bishkek",
    "almaty": "Almaty", "алмат": "Almaty", "cholpon": "Cholpon-Ata", "чолпон": "Cholpon-Ata",
    "osh": "Osh", "ош": "Osh", "taraz": "Taraz", "тараз": "Taraz", "turkestan": "Turkestan",
    "туркестан": "Turkestan", "shymkent": "Shymkent", "шымкент": "Shymkent",
    "karakol": "Karakol", "каракол": "Karakol", "burabay": "Burabay", "бурабай": "Burabay",
}  # fmt: skip
_PLACE = re.compile(
    r"\b(?:[Ii]n|[Aa]t|[Вв]|[Вв]о)\s(?P<p>[A-ZА-ЯЁ][\w-]+)",
)
# How far into the article the reported meeting is named (headline and lead).
LEAD_SENTENCES = 4


@dataclass(frozen=True)
class Event:
    kind: str
    number: int | None
    place: str
    held_on: date | None
    sentence_index: int
    confident: bool  # a council named as held (rather than talks inferred)

    @property
    def name(self) -> str:
        kind = self.kind if self.kind != "talks" else "Kazakh-Kyrgyz talks"
        if self.number:
            return f"{_ordinal_en(self.number)} meeting of the {kind}"
        return f"{kind} meeting" if self.kind != "talks" else kind


def _ordinal_en(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _roman(text: str) -> int | None:
    values = [_ROMAN_VALUES.get(ch.upper()) for ch in text]
    if None in values:
        return None
    total = 0
    for i, v in enumerate(values):
        total += -v if i + 1 < len(values) and values[i + 1] > v else v
    return total or None


def ordinal(text: str) -> int | None:
    """The meeting's number: "7th meeting", "13-е заседание", "седьмого заседания", "XIII
    заседание"."""
    if match := _ORDINAL_DIGITS.search(text):
        return int(match.group("n") or match.group("m"))
    if match := _ORDINAL_WORD.search(text):
        word = match.group("w").lower()
        for prefix in sorted(_ORDINAL_WORDS, key=len, reverse=True):
            if word.startswith(prefix):
                return _ORDINAL_WORDS[prefix]
    match = _ROMAN.search(text)
    if match and match.group("r").isupper():
        return _roman(match.group("r"))
    return None


def date_in(text: str, published_on: date) -> date | None:
    """The first date written in the text, its year the publication's when not given (the
    year before when that day would be after the publication)."""
    found = []
    for pattern in _DATES:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            month = int(groups["mo"]) if groups.get("mo") else _month(groups["mon"])
            year = int(groups["y"]) if groups.get("y") else published_on.year
            try:
                day = date(year, month, int(groups["d"]))
            except (TypeError, ValueError):
                continue
            if not groups.get("y") and day > published_on + timedelta(days=1):
                day = day.replace(year=year - 1)
            found.append((match.start(), day))
    return min(found)[1] if found else None


def place_in(text: str) -> str:
    for match in _PLACE.finditer(text):
        word = match.group("p").lower()
        for prefix, place in _PLACES.items():
            if word.startswith(prefix) and (len(prefix) > 2 or word == prefix):
                return place
    for prefix, place in _PLACES.items():
        # A place named without a preposition: the dateline ("ASTANA –", "BISHKEK, ...").
        if len(prefix) > 3 and re.search(rf"^\s*{prefix}\w*\s*[,–—-]", text, re.I):
            return place
    return ""


def _both_sides(text: str) -> bool:
    return all(side.search(text) for side in _SIDES)


def reported_event(sentences: list[str], published_on: date) -> Event | None:
    """The meeting the article reports, or None when it reports none."""
    lead = sentences[:LEAD_SENTENCES]
    lead_text = " ".join(lead)
    for i, sentence in enumerate(lead):
        for kind, pattern in _KINDS:
            match = pattern.search(sentence)
            if not match:
                continue
            around = sentence[max(0, match.start() - 60) : match.end() + 40]
            if _NOT_THIS.search(around) or not _HAPPENING.search(sentence):
                continue
            return _event(kind, sentence, lead_text, i, published_on, confident=True)
    for i, sentence in enumerate(lead):
        if not _TALKS.search(sentence) or _DOMESTIC.search(sentence) or _THIRD.search(sentence):
            continue
        if _NOT_THIS.search(sentence) or not _both_sides(" ".join(lead[: i + 1])):
            continue
        if not (_both_sides(sentence) or re.search(r"counterpart|коллег\w*", sentence, re.I)):
            continue
        return _event("talks", sentence, lead_text, i, published_on, confident=False)
    return None


def _event(
    kind: str, sentence: str, lead_text: str, index: int, published_on: date, confident: bool
) -> Event:
    return Event(
        kind=kind,
        number=ordinal(sentence) if kind != "talks" else None,
        place=place_in(sentence) or place_in(lead_text),
        held_on=date_in(sentence, published_on) or date_in(lead_text, published_on),
        sentence_index=index,
        confident=confident,
    )
