"""Reading one source against the whole record: one index, one extractor per kind of suggestion.

The index of commitment terms is built from two queries (commitments with their titles in every
language, and the staff-edited match terms) whatever the record's size; each sentence then looks
up only the commitments sharing one of its rarer words, so nothing is queried per commitment.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction

from ..models import Commitment, Evidence, Meeting, ProgressObservation, Source
from . import figures as figure_parsing
from . import kinds
from .figures import Figure
from .models import MatchTerm, Suggestion
from .text import Sentence, concepts, name_key, sentences, text_keys, words

METHOD = "keyword-index"
VERSION = "1.0"
EVIDENCE_THRESHOLD = 0.6
FIGURE_THRESHOLD = 0.34
# A word shared by more commitments than this does not nominate candidates (it still scores).
CANDIDATE_DF_LIMIT = 300
# A title's names (Tash-Kumyr, Kambar-Ata) all found, each shared by at most this many
# commitments, make a match at the threshold even when the title's common words are in another
# language: "Ферросплавный завод в Таш-Кумыре" names "Launch the Tash-Kumyr ferroalloy plant".
NAME_DF_LIMIT = 20
# The two countries' names are in most titles and most articles: never a distinctive name.
COUNTRY_NAME_KEYS = frozenset(
    "n:" + name_key(word) for word in ("Kazakhstan", "Kyrgyzstan", "Kirgizia", "Киргизия")
)


@dataclass
class Entry:
    commitment_id: int
    slug: str
    title: str
    category: str
    owner: str
    target_amount: Decimal | None
    target_unit: str
    variants: list[list[frozenset[str]]] = field(default_factory=list)
    names: list[list[frozenset[str]]] = field(default_factory=list)
    terms: list[list[frozenset[str]]] = field(default_factory=list)


@dataclass
class Index:
    entries: dict[int, Entry]
    postings: dict[str, list[int]]
    idf: dict[str, float]

    def concept_weight(self, concept: frozenset[str]) -> float:
        return max(self.idf.get(key, 0.0) for key in concept)


def build_index() -> Index:
    """The record's commitments as concepts per title language and per match term (2 queries)."""
    entries: dict[int, Entry] = {}
    title_columns = [f"title_{code}" for code, _n in settings.CONTENT_LANGUAGES]
    rows = Commitment.objects.values_list(
        "id", "slug", "category", "owner_country_id", "target_amount", "target_unit", *title_columns
    )
    for cid, slug, category, owner, amount, unit, *titles in rows.iterator(chunk_size=2000):
        entry = Entry(cid, slug, titles[0] or "", category, owner, amount, unit or "")
        for (code, _n), title in zip(settings.CONTENT_LANGUAGES, titles, strict=True):
            if title:
                variant = concepts(_without_numbers(title), code)
                entry.variants.append(variant)
                # Names: capitalised words after the first (which is capitalised anyway).
                names = [
                    c
                    for c in variant[1:]
                    if any(k.startswith("n:") for k in c) and not c & COUNTRY_NAME_KEYS
                ]
                if len(names) >= 2:
                    entry.names.append(names)
        entries[cid] = entry
    for cid, term in MatchTerm.objects.values_list("commitment_id", "term"):
        if cid in entries:
            entries[cid].terms.append(concepts(term, "ru"))
    document_frequency: dict[str, int] = defaultdict(int)
    postings: dict[str, list[int]] = defaultdict(list)
    for cid, entry in entries.items():
        keys = {key for variant in entry.variants + entry.terms for c in variant for key in c}
        for key in keys:
            document_frequency[key] += 1
            postings[key].append(cid)
    total = max(len(entries), 1)
    idf = {key: math.log(1 + total / df) for key, df in document_frequency.items()}
    return Index(entries, dict(postings), idf)


def _without_numbers(title: str) -> str:
    # "(no. 123)" and amounts in titles are not words an article would repeat.
    return re.sub(r"\(no\. \d+\)", " ", title)


def _variant_score(index: Index, variant: list[frozenset[str]], keys: set[str]) -> float:
    if not variant:
        return 0.0
    total = matched = 0.0
    found = 0
    for concept in variant:
        weight = index.concept_weight(concept)
        total += weight
        if concept & keys:
            matched += weight
            found += 1
    if total == 0 or found < min(2, len(variant)):
        return 0.0
    return matched / total


def _names_found(index: Index, names: list[frozenset[str]], keys: set[str]) -> bool:
    for concept in names:
        found = [k for k in concept & keys if k.startswith("n:")]
        if not found or min(len(index.postings.get(k, ())) for k in found) > NAME_DF_LIMIT:
            return False
    return True


def score_commitments(index: Index, keys: set[str]) -> dict[int, float]:
    """Each nominated commitment's best score over its title languages and match terms."""
    candidates: set[int] = set()
    for key in keys:
        posting = index.postings.get(key)
        if posting and len(posting) <= CANDIDATE_DF_LIMIT:
            candidates.update(posting)
    scores = {}
    for cid in candidates:
        entry = index.entries[cid]
        best = max((_variant_score(index, v, keys) for v in entry.variants), default=0.0)
        for term in entry.terms:
            if term and all(concept & keys for concept in term):
                best = max(best, 0.95)
        if best < EVIDENCE_THRESHOLD and any(
            _names_found(index, names, keys) for names in entry.names
        ):
            best = EVIDENCE_THRESHOLD
        if best > 0:
            scores[cid] = best
    return scores


# --- Proposals ------------------------------------------------------------------------------------


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
    r"\b(?:agreed to|agreed on|signed (?:an?|the)? ?(?:agreement|memorandum|roadmap|protocol)|"
    r"will (?:build|construct|launch|open|create|set up|establish)|plan(?:s|ned)? to|"
    r"intend(?:s)? to|set (?:a|the) (?:goal|target)|aim(?:s)? to|announced (?:a|the|plans)|"
    r"launch(?:ed)? (?:a|the) (?:joint )?project)\b|"
    r"договорил\w*|подписал\w* (?:соглашени|меморандум|дорожн|протокол)\w*|"
    r"подписан\w* (?:соглашени|меморандум|дорожн|протокол)\w*|"
    r"планиру\w*|намерен\w*|(?:будет|будут) (?:построен|создан|открыт|запущен)\w*|"
    r"поставил\w* (?:цель|задачу)|реализу\w* (?:совместн\w* )?проект\w*|"
    r"(?:построят|создадут|откроют|запустят)",
    re.I,
)
_CATEGORIES = [
    (r"trade|товарооборот|торгов", "trade"),
    (r"invest|инвест", "investment"),
    (r"hydro|power|energy|electric|гэс|энерг|электр", "energy"),
    (r"water|irrigat|reservoir|водн|вод[аыу]|ирригац|водохранил", "water"),
    (r"agricult|farm|grain|сельск|агро|зерн", "agriculture"),
    (
        r"border|checkpoint|railway|road|transport|logist|границ|пункт\w* пропуск|железн|дорог|"
        r"транспорт|логист",
        "border_transport",
    ),
    (r"plant|factory|industr|завод|фабрик|промышлен|производств", "industry"),
    (r"touris|туризм|туристи", "tourism"),
    (r"school|universit|culture|education|школ|университет|культур|образован", "humanitarian"),
    (r"bridge|construct|infrastructure|мост|инфраструкт", "infrastructure"),
]
_COUNTRIES = [
    (r"kazakh|казах|қазақ|astana|астан", "KZ"),
    (r"kyrgyz|кыргыз|киргиз|кырг|bishkek|бишкек", "KG"),
]

_BODY = re.compile(
    r"(?P<supreme>Supreme Interstate Council|Высш\w+ межгосударственн\w+ совет\w*)|"
    r"(?P<inter>Intergovernmental Council|[Мм]ежправительственн\w+ совет\w*)",
)
_ORDINAL = re.compile(
    r"(?P<n>\d{1,2})(?:th|st|nd|rd|-?[ейгоя]{1,2})?\s(?:meeting|session|заседани\w*)|"
    r"(?:meeting|session|заседани\w*)\s(?:№\s?)?(?P<m>\d{1,2})",
    re.I,
)
_PLACES = {
    "astana": "Astana",
    "bishkek": "Bishkek",
    "almaty": "Almaty",
    "cholpon": "Cholpon-Ata",
    "osh": "Osh",
    "taraz": "Taraz",
    "turkestan": "Turkestan",
    "shymkent": "Shymkent",
    "karakol": "Karakol",
    "burabay": "Burabay",
    "issyk": "Issyk-Kul",
}
_PLACE_KEYS = {name_key(k): v for k, v in _PLACES.items()}
_DATE = re.compile(
    r"(?P<d>\d{1,2})\s(?P<mon>jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|"
    r"nov\w*|dec\w*|январ\w*|феврал\w*|март\w*|апрел\w*|ма[яй]|июн\w*|июл\w*|август\w*|"
    r"сентябр\w*|октябр\w*|ноябр\w*|декабр\w*)(?:\s(?P<y>20\d\d))?",
    re.I,
)


def _place(text: str) -> str:
    for word in words(text):
        if word.text[:1].isupper():
            for part in re.split(r"[-'’]", word.text):
                key = name_key(part.lower())
                if len(part) >= 3 and key in _PLACE_KEYS:
                    return _PLACE_KEYS[key]
    return ""


def _date_in(text: str, published_on: date) -> date | None:
    for match in _DATE.finditer(text):
        month = figure_parsing._month(match.group("mon"))
        year = int(match.group("y")) if match.group("y") else published_on.year
        try:
            found = date(year, month, int(match.group("d")))
        except (TypeError, ValueError):
            continue
        if found > published_on + timedelta(days=1) and not match.group("y"):
            found = found.replace(year=year - 1)
        return found
    return None


def _quote_payload(proposal: Proposal) -> dict[str, Any]:
    return proposal.payload


def _nearby_scores(
    scored: list[dict[int, float]], i: int, evidenced: dict[int, float]
) -> dict[int, float]:
    """The commitments a figure in sentence `i` may be about, scored by how near they are named."""
    # The article's subject counts too: "turnover reached $1.4 billion" names no target.
    nearby = {cid: score * 0.6 for cid, score in evidenced.items()}
    for cid, score in scored[i].items():
        nearby[cid] = max(nearby.get(cid, 0), score)
    if i > 0:  # the figure's subject is often named in the sentence before
        for cid, score in scored[i - 1].items():
            nearby[cid] = max(nearby.get(cid, 0), score * 0.8)
    return nearby


def _observations_of(ids: set[int]) -> dict[int, list[dict[str, Any]]]:
    """The recorded figures of these commitments, by commitment (one query)."""
    observations = defaultdict(list)
    for row in ProgressObservation.objects.filter(commitment_id__in=ids).values(
        "id", "commitment_id", "value", "unit", "period_start", "period_end"
    ):
        observations[row["commitment_id"]].append(row)
    return observations


def _conflicts(observed: list[dict[str, Any]], figure: Figure, unit: str) -> list[dict[str, Any]]:
    """The recorded figures for the same period and unit that differ from this one."""
    return [
        {"observation": o["id"], "value": str(o["value"]), "unit": o["unit"]}
        for o in observed
        if o["period_start"] == figure.period_start
        and o["period_end"] == figure.period_end
        and o["unit"] == unit
        and o["value"] != figure.value
    ]


def _observation_payload(
    sentence: Sentence, figure: Figure, unit: str, conflicts: list[dict[str, Any]]
) -> dict[str, Any]:
    value = figure.value.quantize(Decimal("0.01"))
    return {
        "value": str(value),
        "unit": unit,
        "period_start": figure.period_start.isoformat(),
        "period_end": figure.period_end.isoformat(),
        "period_label": figure.period_label,
        "conflicts_with": conflicts,
        "figure": sentence.text[figure.start : figure.end].strip(),
        "identity": f"{value}|{figure.period_start}|{figure.period_end}",
    }


class Analysis:
    """One run over one source. `run()` returns the proposals; `save()` stores the new ones."""

    def __init__(self, source: Source, index: Index | None = None):
        self.source = source
        self.index = index or build_index()
        self.sentences = sentences(source.text)

    def run(self) -> list[Proposal]:
        keys = [text_keys(s.text, self.source.language) for s in self.sentences]
        scored = [score_commitments(self.index, k) for k in keys]
        proposals = self._evidence(scored)
        evidenced = {p.commitment_id: p.score for p in proposals}
        proposals += self._figures(scored, evidenced)
        proposals += self._new_commitments(scored)
        proposals += self._meeting()
        return proposals

    def _evidence(self, scored: list[dict[int, float]]) -> list[Proposal]:
        best: dict[int, tuple[float, int]] = {}
        for i, scores in enumerate(scored):
            top = max(scores.values(), default=0)
            for cid, score in scores.items():
                # Of near-twins ("$2 billion a year", "$3 billion by 2030") the closer one wins.
                if (
                    score >= EVIDENCE_THRESHOLD
                    and score >= top - 0.1
                    and score > best.get(cid, (0, 0))[0]
                ):
                    best[cid] = (score, i)
        return [
            Proposal(kinds.EVIDENCE.name, self.sentences[i], round(score, 3), cid, {})
            for cid, (score, i) in sorted(best.items(), key=lambda item: item[1][1])
        ]

    def _figures(
        self, scored: list[dict[int, float]], evidenced: dict[int, float]
    ) -> list[Proposal]:
        found = self._sentences_with_figures(scored, evidenced)
        if not found:
            return []
        observations = _observations_of({cid for *_rest, candidates in found for cid in candidates})
        proposals = []
        for sentence, parsed, candidates in found:
            for figure in parsed:
                proposal = self._figure_proposal(sentence, figure, candidates, observations)
                if proposal is not None:
                    proposals.append(proposal)
        return proposals

    def _sentences_with_figures(
        self, scored: list[dict[int, float]], evidenced: dict[int, float]
    ) -> list[tuple[Sentence, list[Figure], dict[int, float]]]:
        """Each sentence stating a measured figure, with the quantitative commitments it may be
        about and their scores."""
        quantitative = {
            cid for cid, entry in self.index.entries.items() if entry.target_amount is not None
        }
        found = []
        for i, sentence in enumerate(self.sentences):
            parsed = [
                f
                for f in figure_parsing.figures(sentence.text, self.source.published_on)
                if not f.is_target and f.period_start is not None
            ]
            if not parsed:
                continue
            candidates = {
                cid: s
                for cid, s in _nearby_scores(scored, i, evidenced).items()
                if cid in quantitative and s >= FIGURE_THRESHOLD
            }
            if candidates:
                found.append((sentence, parsed, candidates))
        return found

    def _figure_proposal(
        self,
        sentence: Sentence,
        figure: Figure,
        candidates: dict[int, float],
        observations: dict[int, list[dict[str, Any]]],
    ) -> Proposal | None:
        unit_ok = {
            cid: s
            for cid, s in candidates.items()
            if not figure.unit or self.index.entries[cid].target_unit == figure.unit
        }
        if not unit_ok:
            return None
        cid = self._measured_commitment(unit_ok, observations)
        unit = figure.unit or self.index.entries[cid].target_unit
        conflicts = _conflicts(observations[cid], figure, unit)
        payload = _observation_payload(sentence, figure, unit, conflicts)
        return Proposal(kinds.OBSERVATION.name, sentence, round(unit_ok[cid], 3), cid, payload)

    def _measured_commitment(
        self, unit_ok: dict[int, float], observations: dict[int, list[dict[str, Any]]]
    ) -> int:
        # Prefer the commitment already tracked in this unit, then the best match.
        def tracked_then_score(cid: int) -> tuple[bool, float]:
            target_unit = self.index.entries[cid].target_unit
            return any(o["unit"] == target_unit for o in observations[cid]), unit_ok[cid]

        return max(unit_ok, key=tracked_then_score)

    def _new_commitments(self, scored: list[dict[int, float]]) -> list[Proposal]:
        proposals = []
        for i, sentence in enumerate(self.sentences):
            match = _ANNOUNCE.search(sentence.text)
            if not match or len(sentence.text) < 40:
                continue
            if max(scored[i].values(), default=0) >= EVIDENCE_THRESHOLD:
                continue  # the record has it: that is evidence, not a new commitment
            rest = sentence.text[match.end() :].strip(" ,:;—–-")
            title = re.split(r"[.;]|, (?:which|who|что|который)", rest)[0]
            title = " ".join(title.split())  # a wrapped sentence's line break is a space here
            if len(title) < 12:
                continue
            title = (title[:1].upper() + title[1:])[:200]
            lower = sentence.text.lower()
            category = next((c for p, c in _CATEGORIES if re.search(p, lower)), "other")
            countries = [code for p, code in _COUNTRIES if re.search(p, lower)] or ["KZ", "KG"]
            targets = [
                f
                for f in figure_parsing.figures(sentence.text, self.source.published_on)
                if f.is_target
            ]
            target_year = figure_parsing._TARGET_YEAR.search(sentence.text)
            payload = {
                "title": title,
                "category": category,
                "countries": countries,
                "target_amount": str(targets[0].value.quantize(Decimal("0.01")))
                if targets
                else None,
                "target_unit": targets[0].unit if targets else "",
                "target_date": f"{target_year.group('year')}-12-31" if target_year else None,
                "identity": "new",
            }
            proposals.append(Proposal(kinds.COMMITMENT.name, sentence, 0.5, None, payload))
        return proposals

    def _meeting(self) -> list[Proposal]:
        for i, sentence in enumerate(self.sentences):
            body = _BODY.search(sentence.text)
            if not body:
                continue
            context = " ".join(s.text for s in self.sentences[max(0, i - 1) : i + 2])
            place = _place(sentence.text) or _place(context)
            held_on = _date_in(sentence.text, self.source.published_on) or _date_in(
                context, self.source.published_on
            )
            ordinal = _ORDINAL.search(sentence.text)
            number = (ordinal.group("n") or ordinal.group("m")) if ordinal else ""
            kind = (
                "Supreme Interstate Council"
                if body.group("supreme")
                else ("Intergovernmental Council")
            )
            name = f"{_ordinal_en(number)} meeting of the {kind}" if number else f"{kind} meeting"
            existing = self._existing_meeting(kind, place, held_on)
            payload = {
                "meeting": existing.key if existing else None,
                "name": existing.name if existing else name,
                "location": existing.location if existing else place,
                "held_on": (
                    existing.held_on if existing else held_on or self.source.published_on
                ).isoformat(),
                "identity": "meeting",
            }
            return [Proposal(kinds.MEETING.name, sentence, 0.8 if existing else 0.6, None, payload)]
        return []

    def _existing_meeting(self, kind: str, place: str, held_on: date | None) -> Meeting | None:
        around = held_on or self.source.published_on
        window = 2 if held_on else 10
        meetings = Meeting.objects.filter(
            held_on__range=(around - timedelta(days=window), around + timedelta(days=window))
        )
        for meeting in meetings:
            same_body = kind.split()[0].lower() in meeting.name.lower()
            same_place = not place or name_key(place.lower()) == name_key(
                meeting.location.lower()[:10] or "-"
            )
            if same_body and same_place:
                return meeting
        return None


def _ordinal_en(number: str) -> str:
    n = int(number)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def analyse(source: Source, index: Index | None = None) -> list[Suggestion]:
    """Run the analysis and store the suggestions not proposed before (accepted, rejected or
    pending alike), and none for evidence the record already holds from this source."""
    proposals = Analysis(source, index).run()
    known = set(Suggestion.objects.filter(source=source).values_list("fingerprint", flat=True))
    evidenced = set(Evidence.objects.filter(source=source).values_list("commitment_id", "quote"))
    new = []
    for proposal in proposals:
        fingerprint = proposal.fingerprint()
        if fingerprint in known:
            continue
        if (
            proposal.kind == kinds.EVIDENCE.name
            and (proposal.commitment_id, proposal.sentence.text) in evidenced
        ):
            continue
        known.add(fingerprint)
        payload = {k: v for k, v in proposal.payload.items() if k != "identity"}
        new.append(
            Suggestion(
                source=source,
                kind=proposal.kind,
                commitment_id=proposal.commitment_id,
                quote=proposal.sentence.text,
                start=proposal.sentence.start,
                end=proposal.sentence.end,
                score=proposal.score,
                method=proposal.method,
                method_version=VERSION,
                payload=payload,
                fingerprint=fingerprint,
            )
        )
    with transaction.atomic():
        Suggestion.objects.bulk_create(new, ignore_conflicts=True)
    return new
