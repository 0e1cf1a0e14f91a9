"""Per-commitment profiles: what the analysis compares an article with, and how it learns.

A profile holds the vectors of a commitment's titles (every language), its match terms and the
quotes of its evidence, the lemmas of its object words per language, and a calibration per
language. It is computed by `refresh()`, which the services call when they change what a profile
is made of: accepting a suggestion (`learn_from_accepted`: the accepted quote becomes evidence, so
a new wording is learnt), rejecting one (`learn_from_rejected`: the quote's vector lowers that
pairing next time). Commitments created or edited elsewhere are profiled lazily: the analysis
profiles those whose profile is missing or older than them, and stores them (`load`).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, Q

from .. import clock
from ..models import Commitment, Evidence
from . import kinds, semantic
from .lemmas import profile_keys
from .models import CommitmentProfile, MatchTerm

# At most this many evidence quotes per commitment (the latest), so that a commitment with a
# long history does not weigh more than one with a short one.
QUOTES_PER_PROFILE = 4
REFRESH_BATCH = 500

# Generic press sentences, written for this purpose, in the languages articles come in: how
# similar a commitment is to text that is about none of them is its baseline in that language.
BACKGROUND = {
    "en": [
        "The two presidents held talks in a narrow format and then in an expanded format.",
        "The parties exchanged views on regional and international issues of mutual interest.",
        "The minister thanked his counterpart for the warm welcome and hospitality.",
        "Relations between the two countries develop in the spirit of friendship.",
        "The delegation laid flowers at the memorial and visited a museum.",
        "The meeting was attended by heads of ministries and agencies of both states.",
        "He stressed the importance of maintaining political dialogue at the highest level.",
        "The prime minister arrived on a working visit and was met at the airport.",
        "Journalists were briefed after the talks, the press service reported.",
        "The sides noted the high level of trust between the two fraternal peoples.",
        "Officials discussed the agenda of upcoming events and the schedule of visits.",
        "The ambassador presented his credentials to the head of state.",
        "Weather forecasters expect snow in the mountain regions this weekend.",
        "The national football team won its match in the capital on Sunday.",
        "A new school was opened in the regional centre with the support of the akimat.",
        "Prices for fuel rose slightly in the previous month, the statistics agency said.",
    ],
    "ru": [
        "Президенты двух стран провели переговоры в узком и расширенном составе.",
        "Стороны обменялись мнениями по региональным и международным вопросам.",
        "Министр поблагодарил коллегу за тёплый приём и гостеприимство.",
        "Отношения между странами развиваются в духе дружбы и добрососедства.",
        "Делегация возложила цветы к мемориалу и посетила музей.",
        "Во встрече приняли участие руководители министерств и ведомств двух государств.",
        "Он подчеркнул важность поддержания политического диалога на высшем уровне.",
        "Премьер-министр прибыл с рабочим визитом, его встретили в аэропорту.",
        "Об этом сообщает пресс-служба по итогам переговоров.",
        "Стороны отметили высокий уровень доверия между братскими народами.",
        "Чиновники обсудили повестку предстоящих мероприятий и график визитов.",
        "Посол вручил верительные грамоты главе государства.",
        "Синоптики ожидают снегопад в горных районах в эти выходные.",
        "Национальная сборная по футболу выиграла матч в столице в воскресенье.",
        "В областном центре при поддержке акимата открылась новая школа.",
        "Цены на топливо в прошлом месяце немного выросли, сообщило статистическое ведомство.",
    ],
}
TERMS = "terms"
# Kazakh and Kyrgyz articles are calibrated as Russian ones (the nearest background we have).
CALIBRATION_LANGUAGE = {"en": "en", "ru": "ru", "kk": "ru", "ky": "ru"}

# The two countries' names say nothing about which commitment a sentence is about, yet they
# dominate a short title's embedding; they are left out of what is embedded, on both sides.
_COUNTRY_WORDS = re.compile(
    r"\b(?:Kazakh-Kyrgyz|Kyrgyz-Kazakh|Kazakhstani|Kazakhstan|Kyrgyzstan|Kyrgyz Republic|"
    r"Kazakh|Kyrgyz|казахстанско-кыргызск\w*|кыргызско-казах\w*|казахско-кыргызск\w*|"
    r"Казахстан\w*|Кыргызстан\w*|Киргизи\w*|казахск\w*|кыргызск\w*|киргизск\w*|"
    r"Қазақстан\w*|Қырғызстан\w*|Казакстан\w*|Кыргыз Республикас\w*)(?!\w)",
    re.IGNORECASE,
)


def embeddable(text: str) -> str:
    """The text as embedded: without the two countries' names."""
    return " ".join(_COUNTRY_WORDS.sub(" ", text).split()) or text


def _pack(vectors: np.ndarray) -> bytes:
    return np.asarray(vectors, dtype=np.float16).tobytes()


def unpack(blob: bytes | memoryview | None) -> np.ndarray:
    data = bytes(blob or b"")
    return np.frombuffer(data, dtype=np.float16).reshape(-1, semantic.DIMENSIONS)


_background_lock = threading.Lock()
_background: dict[str, np.ndarray] = {}


def background_vectors(language: str) -> np.ndarray:
    """The background sentences' vectors in the calibration language (embedded once)."""
    code = CALIBRATION_LANGUAGE.get(language, "en")
    if code not in _background:
        with _background_lock:
            if code not in _background:
                _background[code] = semantic.embed([embeddable(t) for t in BACKGROUND[code]])
    return _background[code]


@dataclass
class ProfileSource:
    """What one profile is computed from."""

    commitment_id: int
    titles: dict[str, str]
    terms: list[str] = field(default_factory=list)
    quotes: list[tuple[str, str]] = field(default_factory=list)  # (quote, source language)

    def texts(self) -> list[str]:
        seen, result = set(), []
        for text in [*self.titles.values(), *self.terms, *(q for q, _lang in self.quotes)]:
            text = " ".join(_without_numbers(text).split())
            if text and text.lower() not in seen:
                seen.add(text.lower())
                result.append(text)
        return result

    def keys(self) -> dict[str, list[str]]:
        """Object words per content language: the title in that language (the English one when
        it has none) and the match terms, which are names in any language."""
        terms = [k for term in self.terms for k in profile_keys(term, "ru")]
        # Each match term whole: staff chose it, so finding it is enough.
        result: dict[str, list] = {TERMS: [profile_keys(term, "ru") for term in self.terms]}
        for code, _name in settings.CONTENT_LANGUAGES:
            title = self.titles.get(code) or self.titles.get("en", "")
            keys = profile_keys(_without_numbers(title), code)
            result[code] = keys + [k for k in terms if k not in keys]
        return result


def _without_numbers(title: str) -> str:
    return re.sub(r"\(no\. \d+\)", " ", title)


def _sources(ids: list[int]) -> list[ProfileSource]:
    """The profiles' material for these commitments (three queries, whatever their number: a
    long list of ids is filtered here rather than sent)."""
    wanted = set(ids)
    few = len(wanted) <= 900

    def only(queryset, field):
        return queryset.filter(**{f"{field}__in": wanted}) if few else queryset

    columns = [f"title_{code}" for code, _n in settings.CONTENT_LANGUAGES]
    sources = {}
    for cid, *titles in (
        only(Commitment.objects, "pk").values_list("id", *columns).iterator(chunk_size=2000)
    ):
        if cid not in wanted:
            continue
        named = {
            code: t for (code, _n), t in zip(settings.CONTENT_LANGUAGES, titles, strict=True) if t
        }
        sources[cid] = ProfileSource(cid, named)
    for cid, term in only(MatchTerm.objects, "commitment_id").values_list("commitment_id", "term"):
        if cid in sources:
            sources[cid].terms.append(term)
    quotes = (
        only(Evidence.objects, "commitment_id")
        .order_by("commitment_id", "-id")
        .values_list("commitment_id", "quote", "source__language")
    )
    for cid, quote, language in quotes.iterator(chunk_size=2000):
        if cid in sources and len(sources[cid].quotes) < QUOTES_PER_PROFILE:
            sources[cid].quotes.append((quote, language or "en"))
    return list(sources.values())


def _calibration(vectors: np.ndarray) -> dict[str, list[float]]:
    """Per calibration language, the mean and spread of this profile's best similarity to
    sentences about nothing tracked."""
    result = {}
    for code in ("en", "ru"):
        best = (background_vectors(code) @ vectors.T.astype(np.float32)).max(axis=1)
        result[code] = [float(best.mean()), float(max(best.std(), 0.01))]
    return result


def compute(commitment_ids: list[int]) -> list[CommitmentProfile]:
    """The profiles of these commitments, computed (three queries), not stored."""
    rows = []
    everything = _sources(commitment_ids)
    for start in range(0, len(everything), REFRESH_BATCH):
        batch = everything[start : start + REFRESH_BATCH]
        texts = [t for source in batch for t in source.texts()]
        vectors = semantic.embed([embeddable(t) for t in texts]) if texts else None
        offset = 0
        for source in batch:
            own = source.texts()
            matrix = (
                vectors[offset : offset + len(own)]
                if own
                else np.zeros((0, semantic.DIMENSIONS), np.float32)
            )
            offset += len(own)
            rows.append(
                CommitmentProfile(
                    commitment_id=source.commitment_id,
                    model=semantic.model_name(),
                    texts=own,
                    vectors=_pack(matrix),
                    keys=source.keys(),
                    calibration=_calibration(matrix) if len(own) else {},
                )
            )
    return rows


def store(rows: list[CommitmentProfile]) -> None:
    with transaction.atomic():
        CommitmentProfile.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["commitment"],
            update_fields=["model", "texts", "vectors", "keys", "calibration", "updated_at"],
        )
    _cache.clear()


def refresh(commitment_ids: Iterable[int] | None = None) -> int:
    """(Re)compute and store the profiles of these commitments (all when None)."""
    ids = (
        list(Commitment.objects.values_list("pk", flat=True))
        if commitment_ids is None
        else sorted({int(i) for i in commitment_ids if i is not None})
    )
    for start in range(0, len(ids), REFRESH_BATCH):
        store(compute(ids[start : start + REFRESH_BATCH]))
    return len(ids)


def learn_from_accepted(suggestion) -> None:
    """An accepted suggestion's quote is now evidence of its commitment: learn its wording."""
    if suggestion.commitment_id:
        refresh([suggestion.commitment_id])


def learn_from_rejected(suggestion) -> None:
    """A rejected pairing of quote and commitment scores lower the next time it is met."""
    if not suggestion.commitment_id or suggestion.kind not in (
        kinds.EVIDENCE.name,
        kinds.OBSERVATION.name,
    ):
        return
    profile = CommitmentProfile.objects.filter(commitment_id=suggestion.commitment_id).first()
    if profile is None:
        refresh([suggestion.commitment_id])
        profile = CommitmentProfile.objects.get(commitment_id=suggestion.commitment_id)
    vector = semantic.embed([embeddable(suggestion.quote)])
    rejected = np.vstack([unpack(profile.rejected).astype(np.float32), vector])
    CommitmentProfile.objects.filter(pk=profile.pk).update(
        rejected=_pack(rejected), updated_at=clock.now()
    )
    _cache.clear()


# --- The profiles in memory -----------------------------------------------------------------


@dataclass
class Entry:
    commitment_id: int
    slug: str
    title: str
    category: str
    owner: str
    target_amount: Decimal | None
    target_unit: str
    target_year: int | None
    keys: dict[str, list[str]]
    calibration: dict[str, list[float]]


@dataclass
class Profiles:
    """Every profile, as matrices: row r of `vectors` belongs to entry `owner[r]` (the rows of
    one entry are contiguous, starting at `starts[entry]`)."""

    entries: list[Entry]
    vectors: np.ndarray
    starts: np.ndarray
    counts: np.ndarray
    rejected: np.ndarray
    rejected_owner: np.ndarray
    mean: dict[str, np.ndarray]
    spread: dict[str, np.ndarray]
    document_frequency: dict[str, dict[str, int]]
    position: dict[int, int]
    # The first word of each match term, and the entries whose term starts with it.
    term_postings: dict[str, list[int]]


_cache: dict[tuple, Profiles] = {}
_cache_lock = threading.Lock()
_META = (
    "id",
    "slug",
    "title",
    "category",
    "owner_country_id",
    "target_amount",
    "target_unit",
    "target_date",
    "updated_at",
    "analysis_profile__updated_at",
    "analysis_profile__model",
)


def _stale() -> Q:
    return (
        Q(analysis_profile__isnull=True)
        | Q(analysis_profile__updated_at__lt=F("updated_at"))
        | ~Q(analysis_profile__model=semantic.MODEL)
    )


def load() -> Profiles:
    """The profiles of the whole record, read once per process and again only when one changed.

    A commitment whose profile is missing, older than it (an edited title) or made by another
    model is profiled now, in memory, and stored once the analysis' transaction commits; so the
    queries are the same few whatever the record's size: one summary row (always), then, when
    something changed, the commitments, the stored profiles and the material of the stale ones."""
    summary = Commitment.objects.aggregate(
        n=Count("id"),
        changed=Max("analysis_profile__updated_at"),
        stale=Count("id", filter=_stale()),
    )
    stamp = (summary["n"], summary["changed"])
    if not summary["stale"]:
        with _cache_lock:
            if stamp in _cache:
                return _cache[stamp]
    meta = list(Commitment.objects.order_by("id").values_list(*_META).iterator(chunk_size=2000))
    stale = [
        row[0]
        for row in meta
        if row[9] is None or row[10] != semantic.MODEL or (row[8] is not None and row[9] < row[8])
    ]
    if stale:
        # Not cached: what the stale ones are made of (a match term added) has no stamp here.
        computed = compute(stale)
        transaction.on_commit(lambda: store(computed))
        return _read(meta, set(stale), computed)
    with _cache_lock:
        _cache.clear()
        _cache[stamp] = _read(meta, set(), [])
        return _cache[stamp]


def _read(meta: list[tuple], stale: set[int], computed: list[CommitmentProfile]) -> Profiles:
    rows = {}
    if len(stale) < len(meta):
        # Every stored profile (a long list of stale ids is left out here, not in the query).
        query = CommitmentProfile.objects.values_list(
            "commitment_id", "vectors", "rejected", "keys", "calibration"
        )
        for cid, *row in query.iterator(chunk_size=1000):
            if cid not in stale:
                rows[cid] = row
    for profile in computed:
        rows[profile.commitment_id] = [
            profile.vectors,
            profile.rejected,
            profile.keys,
            profile.calibration,
        ]
    return _assemble(meta, rows)


def _assemble(meta: list[tuple], rows: dict[int, list]) -> Profiles:
    """The profiles as matrices, in the record's order."""
    entries, blocks, starts, rejected, rejected_owner = [], [], [], [], []
    row = 0
    for cid, slug, title, category, owner, amount, unit, target_date, *_stamps in meta:
        if cid not in rows:
            continue
        blob, rejected_blob, keys, calibration = rows[cid]
        matrix = unpack(blob)
        if not len(matrix):
            continue
        year = target_date.year if target_date else None
        entries.append(
            Entry(cid, slug, title, category, owner, amount, unit or "", year, keys, calibration)
        )
        blocks.append(matrix)
        starts.append(row)
        row += len(matrix)
        refused = unpack(rejected_blob)
        if len(refused):
            rejected.append(refused)
            rejected_owner.extend([len(entries) - 1] * len(refused))
    empty = np.zeros((0, semantic.DIMENSIONS), np.float32)
    default = [0.8, 0.03]  # a profile without calibration (no text) is never a candidate anyway
    return Profiles(
        entries=entries,
        vectors=np.vstack(blocks).astype(np.float32) if blocks else empty,
        starts=np.array(starts, dtype=np.int64),
        counts=np.diff(np.array([*starts, row], dtype=np.int64)),
        rejected=np.vstack(rejected).astype(np.float32) if rejected else empty,
        rejected_owner=np.array(rejected_owner, dtype=np.int64),
        mean={
            c: np.array([e.calibration.get(c, default)[0] for e in entries]) for c in ("en", "ru")
        },
        spread={
            c: np.array([e.calibration.get(c, default)[1] for e in entries]) for c in ("en", "ru")
        },
        document_frequency=_frequencies(entries),
        position={e.commitment_id: i for i, e in enumerate(entries)},
        term_postings=_term_postings(entries),
    )


def _term_postings(entries: list[Entry]) -> dict[str, list[int]]:
    postings: dict[str, list[int]] = {}
    for position, entry in enumerate(entries):
        for term in entry.keys.get(TERMS, []):
            if term:
                postings.setdefault(term[0], []).append(position)
    return postings


def _frequencies(entries: list[Entry]) -> dict[str, dict[str, int]]:
    """Per language, how many commitments have each object word (for its weight)."""
    frequency: dict[str, dict[str, int]] = {}
    for entry in entries:
        for code, keys in (entry.keys or {}).items():
            if code == TERMS:
                continue
            counter = frequency.setdefault(code, {})
            for key in set(keys):
                counter[key] = counter.get(key, 0) + 1
    return frequency
