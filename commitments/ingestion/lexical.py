"""The lexical signal of the analysis: object words and names found in a text, whole.

Shared by the evidence (`analysis`) and the new commitments (`proposals`): names compared whole
(never by a short prefix), places weighed less, agenda lists recognised.
"""

from __future__ import annotations

import re

from .lemmas import name_form


def name_match(key: str, keys: set[str]) -> bool:
    """A name (or hyphenated compound) found whole, allowing its inflected or adjectival form:
    "kambaratinski" names "kambarata", "isik-kulski" names "isik-kul"; never a short prefix
    ("inter..." of "intergovernmental" and "interdepartmental")."""
    if key in keys:
        return True
    if not key.startswith("n:"):
        return False
    base = key[2:]
    for other in keys:
        if not other.startswith("n:"):
            continue
        candidate = other[2:]
        shorter = min(len(base), len(candidate))
        if shorter < 5:
            continue
        n = 0
        while n < shorter and base[n] == candidate[n]:
            n += 1
        if n >= 6 and n >= 0.75 * shorter:
            return True
    return False


# Places say where, not what: a city named in a commitment's title and in an article is weak
# evidence that they speak of the same thing.
PLACES = frozenset(
    name_form(place)
    for place in [
        *("Astana", "Bishkek", "Almaty", "Osh", "Taraz", "Shymkent", "Turkestan", "Karakol"),
        *("Cholpon-Ata", "Burabay", "Jambyl", "Chuy", "Issyk-Kul", "Naryn", "Talas", "Batken"),
        *("Jalal-Abad", "Астана", "Бишкек", "Алматы", "Ош", "Тараз", "Шымкент", "Каракол"),
        *("Чолпон-Ата", "Жамбыл", "Чуй", "Иссык-Куль", "Нарын", "Талас", "Баткен"),
    ]
)
PLACE_WEIGHT = 0.3


def found_whole(key: str, keys: set[str]) -> bool:
    if key in keys:
        return True
    if key.startswith("n:") or "-" in key:
        # A compound written in lower case in a title ("иссык-кульских") is still a name.
        return name_match(key if key.startswith("n:") else name_form(key), keys)
    return False


_LIST_ITEM = re.compile(r"[,;]")


def is_agenda_list(text: str) -> bool:
    """ "trade, water, agriculture, tourism and culture": many short items, none a statement."""
    parts = [p.strip() for p in _LIST_ITEM.split(text)]
    short = [p for p in parts if 0 < len(p.split()) <= 3]
    return len(parts) >= 4 and len(short) >= 3


def weighted_coverage(keys: list[str], found: set[str], weight) -> float:
    total = sum(weight(k) for k in keys)
    if not total:
        return 0.0
    return sum(weight(k) for k in keys if found_whole(k, found)) / total
