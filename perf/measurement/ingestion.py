"""Measure the analysis of one long article against the whole record: wall time and queries.

The article is built from the sample articles the tests use (original text, both languages),
repeated to the wanted length, so that it has the sentences the extractors look for (names of
commitments, figures with periods, announcements, a council meeting) and not only filler. The
source and its suggestions are rolled back.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from commitments.ingestion.analysis import analyse
from commitments.models import Commitment, Source, source_content_hash

ARTICLES = Path(settings.BASE_DIR) / "tests" / "ingestion" / "articles"


@dataclass(frozen=True)
class Measurement:
    commitments: int
    words: int
    language: str
    suggestions: int
    queries: int
    wall_seconds: float

    def as_dict(self) -> dict:
        return asdict(self)


class _Rollback(Exception):
    pass


def sample_article(words: int, language: str) -> str:
    """About `words` words of article text in `language` (en or ru), from the sample articles."""
    parts = [p.read_text() for p in sorted(ARTICLES.glob(f"{language}_*.txt"))]
    if not parts:
        raise ValueError(f"No sample articles in {language!r}.")
    text, count, i = [], 0, 0
    while count < words:
        part = parts[i % len(parts)]
        text.append(part)
        count += len(part.split())
        i += 1
    return "\n\n".join(text)


def measure_analysis(*, words: int = 5000, language: str = "ru") -> Measurement:
    """Analyse a `words`-word article against the commitments in the database, rolled back."""
    text = sample_article(words, language)
    result: Measurement | None = None
    try:
        with transaction.atomic():
            source = Source.objects.create(
                title="Measurement article",
                published_on=date(2025, 11, 20),
                language=language,
                text=text,
                content_hash=source_content_hash(text),
            )
            commitments = Commitment.objects.count()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                suggestions = analyse(source)
                elapsed = time.perf_counter() - started
            result = Measurement(
                commitments=commitments,
                words=len(text.split()),
                language=language,
                suggestions=len(suggestions),
                queries=len(queries.captured_queries),
                wall_seconds=round(elapsed, 3),
            )
            raise _Rollback
    except _Rollback:
        pass
    if result is None:  # pragma: no cover - the block above always sets it
        raise RuntimeError("the measurement did not run")
    return result
