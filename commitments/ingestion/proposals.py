"""New commitments: announcements that no commitment of the record matches.

An announcement is a sentence that agrees, plans, signs, instructs or names a project (or an item
of a list of projects). A sentence listing several things gives one proposal per item, so the
items the record has become evidence and only the others are proposed. Whether the record has it
is checked against the same profiles as evidence. Titles are the article's words without the
attribution ("..., Kazinform reports") or a leading pronoun; the category is the nearest by
meaning; a target year ("до конца 2026 года", "by 2028") becomes the target date.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

import numpy as np

from . import kinds, semantic
from . import profiles as profile_store
from .figures import figures
from .lemmas import keys_of
from .lexical import found_whole, is_agenda_list, weighted_coverage
from .text import Sentence

METHOD = "semantic-profile"


class Reading(Protocol):
    """What proposing reads of one run of the analysis (`analysis.Analysis`)."""

    source: Any
    language: str
    sentences: list[Sentence]
    profiles: profile_store.Profiles


@dataclass
class Proposal:
    kind: str
    sentence: Sentence
    score: float
    commitment_id: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    method: str = METHOD

    def fingerprint(self) -> str:
        identity = self.payload.get("identity", "")
        raw = f"{self.kind}|{self.commitment_id}|{self.sentence.start}|{identity}"
        return hashlib.sha256(raw.encode()).hexdigest()


_ANNOUNCE = re.compile(
    r"\b(?:agreed to|agreed on|agreed that|decided to|signed (?:an?|the)? ?(?:agreement|memorandum|"
    r"roadmap|road map|protocol)|(?:was|were) signed|will (?:build|construct|launch|open|create|"
    r"set up|establish|hold)|plan(?:s|ned)? to|is planned|are planned|intend(?:s)? to|"
    r"set (?:a|the) (?:goal|target)|aim(?:s)? to|announced (?:a|the|plans)|"
    r"(?:were|was) (?:directed|instructed|tasked) to|launch(?:ed)? (?:a|the) (?:joint )?project|"
    r"special attention was paid to|promising (?:area|direction)s?|projects? such as)\b|"
    r"договорил\w*|подписал\w* (?:соглашени|меморандум|дорожн|протокол)\w*|"
    r"подписан\w* (?:соглашени|меморандум|дорожн|протокол)\w*|"
    r"планиру\w*|намерен\w*|(?:будет|будут) (?:построен|создан|открыт|запущен)\w*|"
    r"поставил\w* (?:цель|задачу)|реализу\w* (?:совместн\w* )?проект\w*|поручил\w*|поручено|"
    r"(?:построят|создадут|откроют|запустят)|обязательств\w*|перспективн\w+ направлени\w*|"
    r"уделили особое внимание|особое внимание удел\w*|обязу\w+|\bpledged to|\bundertakes? to|"
    r"\bcommitted to",
    re.I,
)
_ATTRIBUTION = re.compile(
    r"(?:,\s*|\s+[—–-]\s*)(?:[\w.’'-]+\s){0,5}?(?:reports?|reported|said|says|noted|stressed|"
    r"according to|передает|передаёт|сообщает|сообщил\w*|отметил\w*|заявил\w*|подчеркнул\w*)"
    r"\b.*$",
    re.I,
)
_PRONOUN = re.compile(
    r"^(?:and|but|also|it|this|that|they|he|she|we|these|those|its|their|и|а|но|также|а также|"
    r"он|она|оно|они|это|мы|их|его|её)\b[\s,]*",
    re.I,
)
_TARGET_DATE = re.compile(
    r"(?:\bby|\bдо|\bк)\s(?:the end of\s|конца\s|концу\s)?(?P<year>20\d\d)", re.I
)
_ITEM_SPLIT = re.compile(
    r";\s*|,\s*(?:а также|as well as|and)\s+|,\s+(?=\S)|\s+and to\s+|"
    r"\s+и (?=(?:построить|открыть|создать|запустить|провести|организовать|начать)\b)"
)
# A list's last part can be the attribution ("..., the press office said").
_ATTRIBUTION_ITEM = re.compile(
    r"\b(?:said|says|reported|reports|noted|told|according to|сообщ\w+|переда\w+|заявил\w*|"
    r"отметил\w*|пишет)\b",
    re.I,
)
_BULLET = re.compile(r"^\s*[-–—•*]\s*")
_CATEGORY_TEXTS = {
    "trade": "trade turnover, exports and imports; товарооборот, торговля",
    "investment": "investments, investors, joint ventures; инвестиции, совместные предприятия",
    "industry": "plant, factory, industrial production; завод, промышленное производство",
    "energy": "power plant, electricity, hydropower, oil and gas; электростанция, ГЭС, энергия",
    "water": "water resources, irrigation, canals, reservoirs; водные ресурсы, каналы",
    "agriculture": "agriculture, farm produce, fruit and vegetables; сельское хозяйство, АПК",
    "infrastructure": "roads, highways, bridges, construction; автодорога, мост, строительство",
    "border_transport": "border checkpoints, transit, logistics, railway; пункты пропуска, транзит",
    "tourism": "tourism, resorts, mountain routes, hotels; туризм, курорты, отели, маршруты",
    "humanitarian": "culture, education, youth, cinema, festivals; культура, образование, молодежь",
    "political": "treaty, digital government, diplomacy, law; договор, электронное правительство",
}
_COUNTRIES = [
    (r"kazakh|казах|қазақ|astana|астан", "KZ"),
    (r"kyrgyz|кыргыз|киргиз|кырг|bishkek|бишкек", "KG"),
]
# Other states an announcement may be about. One that names them and neither party is another
# pair's commitment, outside the record: it is not proposed as the two parties'.
_THIRD_COUNTRIES = re.compile(
    r"uzbek|узбек|ташкент|tashkent|tajik|таджик|душанбе|dushanbe|turkmen|туркмен|ашхабад|"
    r"ashgabat|russia|росси|moscow|москв|china|chinese|китай|китае|пекин|beijing|afghan|афган|"
    r"azerbaijan|азербайджан|mongolia|монгол"
)
# An item is known when one commitment covers this much of it (lexically, with its meaning).
KNOWN_SCORE = 0.75
MIN_ITEM_WORDS = 3


def _category(titles: list[str]) -> list[str]:
    if not titles:
        return []
    names = list(_CATEGORY_TEXTS)
    anchors = semantic.embed([_CATEGORY_TEXTS[n] for n in names])
    vectors = semantic.embed([profile_store.embeddable(t) for t in titles])
    return [names[int(k)] for k in np.argmax(vectors @ anchors.T, axis=1)]


def clean_title(text: str) -> str:
    """The item's own words as a title: no attribution, no leading pronoun or conjunction."""
    title = " ".join(text.split())
    title = _ATTRIBUTION.sub("", title)
    for _ in range(2):
        title = _PRONOUN.sub("", title)
    title = _BULLET.sub("", title).strip(' ,.;:—–-«»"“”')
    return (title[:1].upper() + title[1:])[:200]


def _items(analysis: Reading, index: int) -> list[tuple[Sentence, str]]:
    """The parts of an announcement to propose separately, each as (quote, title words): a list's
    items, else the sentence with the words after its announcing verb (a bullet: its line)."""
    sentence = analysis.sentences[index]
    text = sentence.text
    if _BULLET.match(text):
        return [(sentence, text)]
    match = _ANNOUNCE.search(text)
    if match is None:
        return []
    rest_start = match.end()
    rest = text[rest_start:]
    pieces, cursor = [], 0
    for separator in _ITEM_SPLIT.finditer(rest):
        pieces.append((cursor, separator.start()))
        cursor = separator.end()
    pieces.append((cursor, len(rest)))
    items = []
    for a, b in pieces:
        piece = rest[a:b]
        stripped = piece.strip(" ,.;:—–-")
        if len(stripped.split()) < MIN_ITEM_WORDS or _ATTRIBUTION_ITEM.search(stripped):
            continue
        offset = piece.find(stripped)
        begin = sentence.start + rest_start + a + offset
        items.append(Sentence(begin, begin + len(stripped), stripped))
    if len(items) <= 1:
        title = re.split(r"[.;]|, (?:which|who|что|который)", rest)[0]
        return [(sentence, title)] if len(title.split()) >= MIN_ITEM_WORDS else []
    return [(item, item.text) for item in items]


def _announcing(analysis: Reading) -> list[int]:
    """Sentences that announce something, and the bullet items of a list an announcement opens."""
    result, opened = [], False
    for i, sentence in enumerate(analysis.sentences):
        text = sentence.text
        if _BULLET.match(text):
            if opened:
                result.append(i)
            continue
        opened = bool(_ANNOUNCE.search(text)) and text.rstrip().endswith(":")
        if _ANNOUNCE.search(text) and not opened and len(text) >= 40:
            result.append(i)
    return result


def _known_scores(analysis: Reading, items: list[Sentence]) -> list[float]:
    """Each item's best match in the record (meaning and object words, as evidence scores)."""
    profiles = analysis.profiles
    if not items or not profiles.entries:
        return [0.0] * len(items)
    vectors = semantic.embed([profile_store.embeddable(s.text) for s in items])
    similarity = np.maximum.reduceat(vectors @ profiles.vectors.T, profiles.starts, axis=1)
    code = profile_store.CALIBRATION_LANGUAGE.get(analysis.language, "en")
    z = (similarity - profiles.mean[code]) / profiles.spread[code]
    frequency = profiles.document_frequency.get(analysis.language, {})
    total = max(len(profiles.entries), 1)

    def weight(key: str) -> float:
        return math.log(1 + total / frequency.get(key, 1))

    scores = []
    for r, item in enumerate(items):
        found = keys_of(item.text, analysis.language)
        k = min(12, z.shape[1])
        best = 0.0
        for e in np.argpartition(-z[r], k - 1)[:k]:
            entry = profiles.entries[int(e)]
            keys = entry.keys.get(analysis.language) or entry.keys.get("en") or []
            coverage = weighted_coverage(keys, found, weight)
            if coverage < 0.25 or sum(found_whole(k, found) for k in keys) < min(2, len(keys)):
                continue
            best = max(best, float(z[r, e]) / 6 + coverage * 0.75)
        scores.append(best)
    return scores


def new_commitments(
    analysis: Reading, combined: list[dict[int, float]], evidence_threshold: float
) -> list[Proposal]:
    candidates: list[tuple[int, Sentence, str]] = []
    for i in _announcing(analysis):
        if is_agenda_list(analysis.sentences[i].text):
            continue  # "energy, water, agriculture, tourism": topics discussed, not commitments
        items = _items(analysis, i)
        whole = len(items) == 1 and items[0][0] == analysis.sentences[i]
        if whole and max(combined[i].values(), default=0) >= evidence_threshold:
            continue  # the record has it: that is evidence, not a new commitment
        candidates.extend((i, item, words) for item, words in items)
    if not candidates:
        return []
    known = _known_scores(analysis, [item for _i, item, _w in candidates])
    fresh = [c for c, score in zip(candidates, known, strict=True) if score < KNOWN_SCORE]
    titles = [clean_title(words) for _i, _item, words in fresh]
    categories = _category(titles)
    proposals = []
    for (i, item, _words), title, category in zip(fresh, titles, categories, strict=True):
        if len(title) < 12:
            continue
        sentence_text = analysis.sentences[i].text
        lower = sentence_text.lower()
        countries = [code for p, code in _COUNTRIES if re.search(p, lower)]
        if not countries and _THIRD_COUNTRIES.search(lower):
            continue
        countries = countries or ["KZ", "KG"]
        targets = [f for f in figures(item.text, analysis.source.published_on) if f.is_target]
        year = _TARGET_DATE.search(item.text) or _TARGET_DATE.search(sentence_text)
        payload = {
            "title": title,
            "category": category,
            "countries": countries,
            "target_amount": str(targets[0].value.quantize(Decimal("0.01"))) if targets else None,
            "target_unit": targets[0].unit if targets else "",
            "target_date": f"{year.group('year')}-12-31" if year else None,
            "identity": f"new|{item.start}",
        }
        proposals.append(Proposal(kinds.COMMITMENT.name, item, 0.5, None, payload))
    return proposals
