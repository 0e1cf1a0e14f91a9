"""`manage.py ingest_article PATH --published-on YYYY-MM-DD [...] [--json]`: add an article and
print the suggestions its analysis (run here, in-process) proposes. Running it twice adds
nothing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from commitments.actors import SystemActor
from commitments.ingestion import kinds
from commitments.ingestion.analysis import analyse
from commitments.ingestion.models import Suggestion
from commitments.ingestion.services import source_add


def suggestion_json(suggestion: Suggestion) -> dict:
    row = {
        "id": suggestion.pk,
        "kind": suggestion.kind,
        "commitment": suggestion.commitment.slug if suggestion.commitment_id else None,
        "quote": suggestion.quote,
        "start": suggestion.start,
        "end": suggestion.end,
        "score": suggestion.score,
        "method": suggestion.method,
        "method_version": suggestion.method_version,
        "status": suggestion.status,
    }
    for key in kinds.BY_NAME[suggestion.kind].printed:
        row[key] = suggestion.payload.get(key)
    return row


class Command(BaseCommand):
    help = "Add an article as a source, analyse it and print the suggestions."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--published-on", required=True, type=date.fromisoformat)
        parser.add_argument("--title", default="")
        parser.add_argument("--publisher", default="")
        parser.add_argument("--url", default="")
        parser.add_argument("--language", choices=["en", "ru", "kk", "ky"], default="")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, path, published_on, title, publisher, url, language, as_json, **kw):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            source, created = source_add(
                actor=SystemActor.INGESTION,
                title=title,
                published_on=published_on,
                publisher=publisher,
                url=url,
                language=language,
                file_name=file.name,
                file_data=file.read_bytes(),
                analyse=False,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        new = {s.fingerprint for s in analyse(source)}
        suggestions = [
            s
            for s in Suggestion.objects.filter(source=source).select_related("commitment")
            if s.fingerprint in new
        ]
        if as_json:
            document = {
                "source": {
                    "id": source.pk,
                    "title": source.title,
                    "publisher": source.publisher,
                    "published_on": source.published_on.isoformat(),
                    "url": source.url,
                    "language": source.language,
                    "created": created,
                },
                "suggestions": [suggestion_json(s) for s in suggestions],
            }
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        verb = "Added" if created else "Already known:"
        self.stdout.write(f"{verb} source #{source.pk} ({source.language}): {source.title}")
        for s in suggestions:
            target = s.commitment.slug if s.commitment_id else s.payload.get("title", "")
            self.stdout.write(f"- {s.kind} {target} [{s.score}] “{s.quote}”")
        self.stdout.write(f"{len(suggestions)} new suggestion(s).")
