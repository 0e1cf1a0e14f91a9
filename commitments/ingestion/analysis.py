"""Reading one source against the whole record, by meaning first and words second.

1. Every sentence is embedded once (multilingual e5, see `semantic`) and compared with every
   commitment's profile vectors (titles in every language, match terms, accepted quotes; see
   `profiles`) in one matrix product; each similarity is calibrated per commitment and language
   against sentences about nothing tracked, so a threshold means the same in English and Russian.
2. A second, independent signal must agree before evidence is proposed: the lemmas of the
   commitment's object words found in the sentence, its predecessor and the headline ("this
   figure", split mentions), names compared whole, amounts and years that tell $2 bn from $3 bn,
   and agenda lists ("trade, water, agriculture and culture") discounted.
3. Figures are read measure first (`figures.measured_figures`): what they measure, their own
   period, target or actual; they go to the commitment that measures that quantity, and conflict
   only with a recorded figure of the same measure and period.
4. The meeting is read event first (`meetings`); new commitments are proposed for announcements
   no commitment matches, one per item when a sentence lists several.

The queries are fixed whatever the record's size: the profiles are read once per process (and
again only when one changes), the meetings and observations involved in one query each.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import numpy as np

from ..models import Evidence, Meeting, ProgressObservation, Source
from . import kinds, semantic
from . import meetings as meeting_reading
from . import profiles as profile_store
from .figures import _TARGET_YEAR, Measured, figures, measure_of, measured_figures
from .lemmas import keys_of
from .lexical import PLACE_WEIGHT, PLACES, found_whole, is_agenda_list, weighted_coverage
from .models import Suggestion
from .proposals import Proposal, new_commitments
from .text import Sentence, sentences

VERSION = "2.0"

# Evidence: calibrated similarity (in spreads above the background) and lexical coverage.
EVIDENCE_THRESHOLD = 0.7
SEMANTIC_WEIGHT = 1 / 6
SENTENCE_WEIGHT = 0.5
WINDOW_WEIGHT = 0.25
# Without this much of its object words found nearby, a commitment is not evidenced unless the
# meaning alone is overwhelming.
MIN_WINDOW_COVERAGE = 0.25
SEMANTIC_ALONE = 7.5
# Per sentence, only the commitments this close in meaning are examined further.
CANDIDATES_PER_SENTENCE = 30
MIN_CANDIDATE_Z = 1.0
# A rejected quote this similar to a sentence lowers that pairing.
REJECTED_SIMILARITY = 0.9
REJECTED_PENALTY = 0.5
AMOUNT_BONUS = 0.15
AMOUNT_PENALTY = 0.35
# A staff-edited match term found whole is evidence by itself.
TERM_SCORE = 1.9


@dataclass
class Index:
    profiles: profile_store.Profiles

    @property
    def entries(self) -> dict[int, profile_store.Entry]:
        return {e.commitment_id: e for e in self.profiles.entries}


def build_index() -> Index:
    """The record's profiles (read once per process; refreshed when stale)."""
    return Index(profile_store.load())


@dataclass
class _Article:
    language: str
    texts: list[str]
    keys: list[set[str]]
    lists: list[bool]
    amounts: list[list[tuple[Decimal, str, bool]]]
    years: list[set[int]]
    headline: int


def _amount_adjustment(entry: profile_store.Entry, article: _Article, window: list[int]) -> float:
    """Targets are told apart by their amount (and year): an amount like the commitment's
    supports it; a different target amount, with none like it, counts against it."""
    if entry.target_amount is None:
        return 0.0
    target = Decimal(entry.target_amount)
    same = other = False
    for i in window:
        for value, unit, is_target in article.amounts[i]:
            if unit and entry.target_unit and unit != entry.target_unit:
                continue
            if abs(value - target) <= target * Decimal("0.01"):
                same = True
            elif is_target:
                other = True
    adjustment = AMOUNT_BONUS if same else (-AMOUNT_PENALTY if other else 0.0)
    if entry.target_year and any(entry.target_year in article.years[i] for i in window):
        adjustment += AMOUNT_BONUS / 2
    return adjustment


# --- Proposals ----------------------------------------------------------------------------------


class Analysis:
    """One run over one source. `run()` returns the proposals; `analyse()` stores the new ones."""

    def __init__(self, source: Source, index: Index | None = None):
        self.source = source
        self.index = index or build_index()
        self.profiles = self.index.profiles
        self.sentences = sentences(source.text)
        self.language = source.language or "en"

    # The scores of every (sentence, commitment) pair worth a look: {sentence: {entry: score}}.
    def _scores(self) -> tuple[list[dict[int, float]], list[dict[int, float]]]:
        profiles = self.profiles
        n = len(self.sentences)
        combined: list[dict[int, float]] = [{} for _ in range(n)]
        semantic_z: list[dict[int, float]] = [{} for _ in range(n)]
        if not n or not profiles.entries:
            return combined, semantic_z
        vectors = semantic.embed([profile_store.embeddable(s.text) for s in self.sentences])
        calibration = profile_store.CALIBRATION_LANGUAGE.get(self.language, "en")
        mean, spread = profiles.mean[calibration], profiles.spread[calibration]
        article = self._article()
        frequency = profiles.document_frequency.get(self.language, {})
        total = max(len(profiles.entries), 1)

        def weight(key: str) -> float:
            idf = math.log(1 + total / frequency.get(key, 1))
            return idf * PLACE_WEIGHT if key in PLACES else idf

        rejected = vectors @ profiles.rejected.T if len(profiles.rejected) else np.zeros((n, 0))
        for chunk in range(0, n, 64):
            rows = vectors[chunk : chunk + 64]
            similarity = np.maximum.reduceat(rows @ profiles.vectors.T, profiles.starts, axis=1)
            z = (similarity - mean) / spread
            k = min(CANDIDATES_PER_SENTENCE, z.shape[1])
            top = np.argpartition(-z, k - 1, axis=1)[:, :k]
            for r, candidates in enumerate(top):
                i = chunk + r
                named = self._terms_found(article.keys[i])
                for e in {*candidates.tolist(), *named}:
                    if z[r, e] < MIN_CANDIDATE_Z and e not in named:
                        continue
                    score = self._pair_score(i, int(e), float(z[r, e]), article, weight)
                    if e in named:
                        score = max(score, TERM_SCORE)
                    if rejected.shape[1]:
                        refused = rejected[i][profiles.rejected_owner == e]
                        if len(refused) and refused.max() >= REJECTED_SIMILARITY:
                            score -= REJECTED_PENALTY
                    combined[i][int(e)] = score
                    semantic_z[i][int(e)] = float(z[r, e])
        return combined, semantic_z

    def _terms_found(self, keys: set[str]) -> set[int]:
        """The entries one of whose match terms the sentence holds whole."""
        found = set()
        for key in keys:
            for e in self.profiles.term_postings.get(key, ()):
                terms = self.profiles.entries[e].keys.get(profile_store.TERMS, [])
                if any(term and all(found_whole(k, keys) for k in term) for term in terms):
                    found.add(e)
        return found

    def _pair_score(self, i: int, e: int, z: float, article: _Article, weight) -> float:
        entry = self.profiles.entries[e]
        keys = entry.keys.get(self.language) or entry.keys.get("en") or []
        window = sorted({article.headline, max(i - 1, 0), i})
        here = weighted_coverage(keys, article.keys[i], weight)
        nearby = weighted_coverage(keys, set().union(*(article.keys[j] for j in window)), weight)
        if article.lists[i]:
            here, nearby = here * 0.5, nearby * 0.5
        if z < SEMANTIC_ALONE:
            # The second signal must agree: enough of the object words nearby, two of them when
            # the title has two ("solar" and "power plant", not "power plant" alone), and one
            # that is not a place in this very sentence.
            window_keys = set().union(*(article.keys[j] for j in window))
            found = sum(found_whole(k, window_keys) for k in keys)
            if (
                nearby < MIN_WINDOW_COVERAGE
                or found < min(2, len(keys))
                or not any(k not in PLACES and found_whole(k, article.keys[i]) for k in keys)
            ):
                return 0.0
        return (
            z * SEMANTIC_WEIGHT
            + here * SENTENCE_WEIGHT
            + nearby * WINDOW_WEIGHT
            + _amount_adjustment(entry, article, window)
        )

    def _article(self) -> _Article:
        texts = [s.text for s in self.sentences]
        amounts, years = [], []
        for text in texts:
            found = figures(text, self.source.published_on)
            amounts.append([(f.value, f.unit, f.is_target) for f in found])
            years.append({int(m.group("year")) for m in _TARGET_YEAR.finditer(text)})
        return _Article(
            language=self.language,
            texts=texts,
            keys=[keys_of(t, self.language) for t in texts],
            lists=[is_agenda_list(t) for t in texts],
            amounts=amounts,
            years=years,
            headline=next(
                (i for i, t in enumerate(texts[:3]) if len(re.findall(r"[^\W\d_]{2,}", t)) >= 3),
                0,
            ),
        )

    def run(self) -> list[Proposal]:
        combined, _z = self._scores()
        proposals = self._evidence(combined)
        evidenced = {p.commitment_id: p.score for p in proposals}
        proposals += self._figures(evidenced)
        proposals += self._new_commitments(combined)
        proposals += self._meeting()
        return proposals

    def _evidence(self, combined: list[dict[int, float]]) -> list[Proposal]:
        best: dict[int, tuple[float, int]] = {}
        for i, scores in enumerate(combined):
            for e, score in scores.items():
                if score >= EVIDENCE_THRESHOLD and score > best.get(e, (0, 0))[0]:
                    best[e] = (score, i)
        entries = self.profiles.entries
        return [
            Proposal(
                kinds.EVIDENCE.name,
                self.sentences[i],
                round(min(score / 2, 1.0), 3),
                entries[e].commitment_id,
            )
            for e, (score, i) in sorted(best.items(), key=lambda item: item[1][1])
        ]

    # --- Figures ----------------------------------------------------------------------------

    def _figures(self, evidenced: dict[int, float]) -> list[Proposal]:
        found: list[tuple[Sentence, Measured]] = []
        for sentence in self.sentences:
            for measured in measured_figures(sentence.text, self.source.published_on):
                figure = measured.figure
                if figure.is_target or figure.period_start is None or not measured.measure:
                    continue
                if ":" in measured.measure:
                    continue  # one sector's figure is not the bilateral total
                found.append((sentence, measured))
        if not found:
            return []
        measuring = self._commitments_measuring({m.measure for _s, m in found})
        if not measuring:
            return []
        observations = _observations_of({cid for ids in measuring.values() for cid in ids})
        proposals, seen = [], set()
        for sentence, measured in found:
            figure = measured.figure
            unit = figure.unit
            candidates = [
                cid
                for cid in measuring.get(measured.measure, [])
                if not unit or self.index_entry(cid).target_unit == unit
            ]
            if not candidates:
                continue
            identity = (figure.value, figure.period_start, figure.period_end)
            if identity in seen:
                continue
            seen.add(identity)
            cid = max(
                candidates,
                key=lambda c: (evidenced.get(c, 0), bool(observations.get(c)), -c),
            )
            unit = unit or self.index_entry(cid).target_unit
            recorded = [o for c in candidates for o in observations.get(c, [])]
            payload = _observation_payload(
                sentence, figure, unit, _conflicts(recorded, figure, unit)
            )
            proposals.append(Proposal(kinds.OBSERVATION.name, sentence, 0.7, cid, payload))
        return proposals

    def index_entry(self, cid: int) -> profile_store.Entry:
        return self.profiles.entries[self.profiles.position[cid]]

    def _commitments_measuring(self, measures: set[str]) -> dict[str, list[int]]:
        """The quantitative commitments per measure, by what their English title measures."""
        result: dict[str, list[int]] = defaultdict(list)
        for entry in self.profiles.entries:
            if entry.target_amount is None:
                continue
            measure = measure_of(entry.title)
            if measure in measures:
                result[measure].append(entry.commitment_id)
        return result

    # --- New commitments --------------------------------------------------------------------

    def _new_commitments(self, combined: list[dict[int, float]]) -> list[Proposal]:

        return new_commitments(self, combined, EVIDENCE_THRESHOLD)

    # --- Meeting ----------------------------------------------------------------------------

    def _meeting(self) -> list[Proposal]:
        texts = [s.text for s in self.sentences]
        event = meeting_reading.reported_event(texts, self.source.published_on)
        if event is None:
            return []
        sentence = self.sentences[event.sentence_index]
        existing = _existing_meeting(event, self.source.published_on)
        payload = {
            "meeting": existing.key if existing else None,
            "name": existing.name if existing else event.name,
            "location": existing.location if existing else event.place,
            "held_on": (
                existing.held_on if existing else event.held_on or self.source.published_on
            ).isoformat(),
            "identity": "meeting",
        }
        score = 0.8 if existing else (0.6 if event.confident else 0.5)
        return [Proposal(kinds.MEETING.name, sentence, score, None, payload)]


_KIND_WORDS = {
    "Supreme Interstate Council": ("supreme", "высш"),
    "Intergovernmental Council": ("intergovernmental council", "межправительственн"),
    "Intergovernmental Commission": ("commission", "комисси"),
    "talks": ("meeting", "встреч", "talks", "переговор"),
}


def _existing_meeting(event: meeting_reading.Event, published_on) -> Meeting | None:
    """The recorded meeting this event is: same kind, place and date (one query)."""
    around = event.held_on or published_on
    window = 2 if event.held_on else 10
    candidates = Meeting.objects.filter(
        held_on__range=(around - timedelta(days=window), around + timedelta(days=window))
    )
    for meeting in candidates:
        names = " ".join(
            (getattr(meeting, f"name_{code}", "") or "") for code in ("en", "ru")
        ).lower()
        if not any(word in names for word in _KIND_WORDS[event.kind]):
            continue
        if (
            event.number
            and str(event.number) not in names
            and _roman_of(event.number) not in (names.upper())
        ):
            continue
        if event.place and event.place.lower()[:5] not in (meeting.location or "").lower():
            continue
        return meeting
    return None


def _roman_of(n: int) -> str:
    parts = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    result = ""
    for value, letters in parts:
        while n >= value:
            result += letters
            n -= value
    return result


def _observations_of(ids: set[int]) -> dict[int, list[dict[str, Any]]]:
    """The recorded figures of these commitments, by commitment (one query)."""
    observations = defaultdict(list)
    for row in ProgressObservation.objects.filter(commitment_id__in=ids).values(
        "id", "commitment_id", "value", "unit", "period_start", "period_end"
    ):
        observations[row["commitment_id"]].append(row)
    return observations


def _conflicts(recorded: list[dict[str, Any]], figure, unit: str) -> list[dict[str, Any]]:
    """The recorded figures of the same measure, period and unit that differ from this one; none
    when the record already holds this very figure (two sources' figures both recorded)."""
    same_period = [
        o
        for o in recorded
        if o["period_start"] == figure.period_start
        and o["period_end"] == figure.period_end
        and o["unit"] == unit
    ]
    # "The same figure" is the same to the rounding a report uses; $760 mln is not $757 mln.
    tolerance = figure.value * Decimal("0.001")
    if any(abs(o["value"] - figure.value) <= tolerance for o in same_period):
        return []
    seen, result = set(), []
    for o in same_period:
        if o["value"] not in seen:
            seen.add(o["value"])
            result.append({"observation": o["id"], "value": str(o["value"]), "unit": o["unit"]})
    return result


def _observation_payload(sentence: Sentence, figure, unit: str, conflicts) -> dict[str, Any]:
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
    # One statement, atomic by itself.
    Suggestion.objects.bulk_create(new, ignore_conflicts=True)
    return new
