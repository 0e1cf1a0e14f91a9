"""A proposed meeting's name in every language the record keeps.

The analysis names a council's meeting in English ("13th meeting of the Intergovernmental
Council", or "Intergovernmental Council meeting" when it read no number). An article in Russian
numbers a session in Roman figures ("XIII заседание Межправительственного совета"), which the
analysis does not read: the number is taken from the quoted sentence here. The names come from
the catalogues, so a Russian reader sees "XIII заседание Межправительственного совета", a Kazakh
one "Үкіметаралық кеңестің XIII отырысы", and no reader meets an English name the system wrote.
A name the analysis found on a recorded meeting, or one staff typed, is left as it is.
"""

from __future__ import annotations

import re

from django.utils import translation as django_translation
from django.utils.translation import pgettext

from .. import translation

# What the analysis writes; `body` is one of BODIES.
_SYSTEM_NAME = re.compile(
    r"^(?:(?P<number>\d{1,2})(?:st|nd|rd|th) meeting of the )?(?P<body>[A-Z][A-Za-z ]+?)"
    r"(?: meeting)?$"
)
BODIES = ("Intergovernmental Council", "Supreme Interstate Council")

# A Roman number of a session right before the word for it, in any of the four languages.
_ROMAN_SESSION = re.compile(
    r"\b(?P<roman>[IVXL]{1,7})(?:-?(?:е|го|ое|th|st|nd|rd|ші|шы|сы|чи|нчи|синчи))?\s+"
    r"(?:заседани|meeting|session|отырыс|жыйын|отурум)",
    re.IGNORECASE,
)
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}


def roman_to_int(text: str) -> int | None:
    """ "XIII" -> 13; None for what is not a well-formed Roman number up to 89."""
    text = text.upper()
    total = 0
    for i, char in enumerate(text):
        value = _ROMAN[char]
        following = _ROMAN[text[i + 1]] if i + 1 < len(text) else 0
        total += -value if value < following else value
    return total if 0 < total < 90 and int_to_roman(total) == text else None


def int_to_roman(number: int) -> str:
    parts = []
    for value, letters in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV")):
        count, number = divmod(number, value)
        parts.append(letters * count)
    return "".join(parts) + "I" * number


def _ordinal_en(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _named(body: str, number: int | None, language: str) -> str:
    """The name in the active language. English numbers a session "13th", the others "XIII",
    as their official texts do."""
    if number:
        figure = _ordinal_en(number) if language == "en" else int_to_roman(number)
        if body == "Supreme Interstate Council":
            text = pgettext("meeting", "%(number)s meeting of the Supreme Interstate Council")
        else:
            text = pgettext("meeting", "%(number)s meeting of the Intergovernmental Council")
        return text % {"number": figure}
    if body == "Supreme Interstate Council":
        return pgettext("meeting", "Supreme Interstate Council meeting")
    return pgettext("meeting", "Intergovernmental Council meeting")


def meeting_names(name: str, quote: str) -> dict[str, str]:
    """The name columns (`name_en`, `name_ru`, ...) of a meeting the analysis named `name` from
    the sentence `quote`; `{"name_en": name}` alone for a name it did not write."""
    match = _SYSTEM_NAME.match(name or "")
    if not match or match.group("body") not in BODIES:
        return {translation.column("name", translation.SOURCE_LANGUAGE): name}
    number = int(match.group("number")) if match.group("number") else None
    if number is None:
        roman = _ROMAN_SESSION.search(quote or "")
        number = roman_to_int(roman.group("roman")) if roman else None
    names = {}
    for language in translation.LANGUAGE_CODES:
        with django_translation.override(language):
            names[translation.column("name", language)] = _named(
                match.group("body"), number, language
            )
    return names
