"""Load the reviewed seed file and its source articles from `seeds/`.

The load is one transaction and idempotent: records are found by their stable keys (country code,
meeting key, source file, commitment key, evidence source + quote); what exists is left alone, so a
second run, or a run after staff have updated a commitment, changes nothing. Any problem stops the
whole run with a message naming the file, the entry and the problem.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import rules
from .actors import Actor, SystemActor
from .models import (
    Category,
    Commitment,
    Country,
    Evidence,
    Meeting,
    ProgressObservation,
    Source,
    StatusChange,
)

SEED_FILE_NAME = "commitments.yaml"
# History and evidence written by the loader name it as their author.
ACTOR = Actor.of(SystemActor.SEED_LOADER)


class SeedError(Exception):
    """A problem in the seed data; the message names the file, the entry and the problem."""


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    existing: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        bucket = self.created if created else self.existing
        bucket[kind] = bucket.get(kind, 0) + 1

    def summary(self) -> str:
        kinds = sorted(set(self.created) | set(self.existing))
        parts = [
            f"{kind}: {self.created.get(kind, 0)} created, {self.existing.get(kind, 0)} unchanged"
            for kind in kinds
        ]
        return "; ".join(parts)


class _Entry:
    """Reads typed fields from one mapping in the file, naming the entry in every error."""

    def __init__(self, file: str, where: str, data: Any):
        self.file, self.where = file, where
        if not isinstance(data, dict):
            self.fail(f"expected a mapping, got {type(data).__name__}")
        self.data = data

    def fail(self, problem: str) -> None:
        raise SeedError(f"{self.file}: {self.where}: {problem}")

    def str(self, key: str, *, required: bool = True, default: str = "") -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self.fail(f"missing required field '{key}'")
            return default
        if not isinstance(value, str):
            self.fail(f"field '{key}' must be text, got {value!r}")
        if required and not value.strip():
            self.fail(f"field '{key}' must not be empty")
        return value.strip() if key != "quote" else value

    def date(self, key: str, *, required: bool = True) -> dt.date | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.fail(f"missing required field '{key}'")
            return None
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"field '{key}' must be a date YYYY-MM-DD, got {value!r}")
        return None

    def decimal(self, key: str) -> Decimal | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool):
            self.fail(f"field '{key}' must be a number, got {value!r}")
        try:
            return Decimal(str(value))
        except InvalidOperation:
            self.fail(f"field '{key}' must be a number, got {value!r}")
        return None

    def list(self, key: str) -> list[Any]:
        value = self.data.get(key) or []
        if not isinstance(value, list):
            self.fail(f"field '{key}' must be a list")
        return value


def _at_noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


class _Loader:
    def __init__(self, directory: Path):
        self.directory = directory
        self.path = directory / SEED_FILE_NAME
        self.file = str(self.path)
        self.report = SeedReport()
        self.countries: dict[str, Country] = {}
        self.meetings: dict[str, Meeting] = {}
        self.sources: dict[str, Source] = {}

    def read(self) -> dict[str, Any]:
        if not self.path.is_file():
            raise SeedError(f"{self.file}: file not found")
        try:
            data = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise SeedError(f"{self.file}: not valid YAML: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise SeedError(f"{self.file}: not UTF-8 text: {exc}") from exc
        if not isinstance(data, dict):
            raise SeedError(f"{self.file}: top level must be a mapping with 'commitments'")
        for key in ("countries", "sources", "commitments"):
            if not isinstance(data.get(key), list) or not data[key]:
                raise SeedError(f"{self.file}: '{key}' must be a non-empty list")
        return data

    def load(self) -> SeedReport:
        data = self.read()
        for i, raw in enumerate(data["countries"]):
            self.load_country(_Entry(self.file, f"countries[{i}]", raw))
        for i, raw in enumerate(data.get("meetings") or []):
            self.load_meeting(_Entry(self.file, f"meetings[{i}]", raw))
        for i, raw in enumerate(data["sources"]):
            self.load_source(_Entry(self.file, f"sources[{i}]", raw))
        seen: set[str] = set()
        for i, raw in enumerate(data["commitments"]):
            entry = _Entry(self.file, f"commitments[{i}]", raw)
            key = entry.str("key")
            entry.where = f"commitments[{i}] (key '{key}')"
            if key in seen:
                entry.fail("duplicate key")
            seen.add(key)
            self.load_commitment(entry, key)
        return self.report

    def create(self, entry: _Entry, obj):
        """Validate a new record as the model would and save it, or stop naming the entry."""
        try:
            obj.full_clean()
        except ValidationError as exc:
            entry.fail(_describe(exc))
        obj.save()
        return obj

    def load_country(self, entry: _Entry) -> None:
        code, name = entry.str("code"), entry.str("name")
        country = Country.objects.filter(code=code).first()
        created = country is None
        if created:
            country = self.create(entry, Country(code=code, name=name))
        self.countries[code] = country
        self.report.count("countries", created)

    def load_meeting(self, entry: _Entry) -> None:
        key = entry.str("key")
        defaults = {
            "name": entry.str("name"),
            "held_on": entry.date("held_on"),
            "location": entry.str("location", required=False),
        }
        obj, created = Meeting.objects.get_or_create(key=key, defaults=defaults)
        self.meetings[key] = obj
        self.report.count("meetings", created)

    def load_source(self, entry: _Entry) -> None:
        name = entry.str("file")
        path = self.directory / name
        if Path(name).name != name or not path.is_file():
            entry.fail(f"source file '{name}' not found in {self.directory}")
        text = path.read_text(encoding="utf-8")
        defaults = {
            "title": entry.str("title"),
            "publisher": entry.str("publisher", required=False),
            "published_on": entry.date("published_on"),
            "url": entry.str("url", required=False),
            "text": text,
        }
        source = Source.objects.filter(seed_file=name).first()
        created = source is None
        if created:
            source = self.create(entry, Source(seed_file=name, **defaults))
        self.sources[name] = source
        self.report.count("sources", created)

    def country(self, entry: _Entry, code: Any) -> Country:
        if code not in self.countries:
            entry.fail(f"unknown country '{code}' (declared: {', '.join(self.countries)})")
        return self.countries[code]

    def source(self, entry: _Entry, name: Any) -> Source:
        if name not in self.sources:
            entry.fail(f"unknown source '{name}' (declare it under 'sources')")
        return self.sources[name]

    def load_commitment(self, entry: _Entry, key: str) -> None:
        owner = self.country(entry, entry.str("owner"))
        partners = [self.country(entry, code) for code in entry.list("partners")]
        status = entry.str("status")
        if status not in rules.Status.values:
            entry.fail(f"unknown status '{status}' (valid: {', '.join(rules.Status.values)})")
        category = entry.str("category")
        if category not in Category.values:
            entry.fail(f"unknown category '{category}' (valid: {', '.join(Category.values)})")
        meeting_key = entry.data.get("meeting")
        if meeting_key is not None and meeting_key not in self.meetings:
            entry.fail(f"unknown meeting '{meeting_key}'")
        evidence_entries = [
            _Entry(self.file, f"{entry.where}.evidence[{j}]", raw)
            for j, raw in enumerate(entry.list("evidence"))
        ]
        if not evidence_entries:
            entry.fail("a commitment needs at least one piece of evidence")
        history = self.history(entry, status)

        commitment = Commitment(
            slug=key,
            title=entry.str("title"),
            description=entry.str("description", required=False),
            owner_country=owner,
            category=category,
            status=status,
            target_date=entry.date("target_date", required=False),
            target_amount=entry.decimal("target_amount"),
            target_unit=entry.str("target_unit", required=False),
            announced_on=entry.date("announced_on", required=False),
            meeting=self.meetings.get(meeting_key) if meeting_key else None,
            notes=entry.str("notes", required=False),
        )
        existing = Commitment.objects.filter(slug=key).first()
        if existing is None:
            self.create(entry, commitment)
            commitment.partner_countries.set(partners)
            for change in history:
                change.commitment = commitment
            StatusChange.objects.bulk_create(history)
        else:
            commitment = existing
        self.report.count("commitments", existing is None)

        latest_observed: dt.date | None = None
        for ev_entry in evidence_entries:
            evidence = self.evidence(ev_entry, commitment)
            latest_observed = max(filter(None, [latest_observed, evidence.observed_on]))
        for j, raw in enumerate(entry.list("observations")):
            self.observation(_Entry(self.file, f"{entry.where}.observations[{j}]", raw), commitment)
        if existing is None:
            # The record was last reviewed when its latest evidence appeared, so staleness reflects
            # how long the public record has been silent, not when the seeds were loaded.
            Commitment.objects.filter(pk=commitment.pk).update(
                last_reviewed_at=_at_noon(latest_observed)
            )

    def history(self, entry: _Entry, status: str) -> list[StatusChange]:
        changes: list[StatusChange] = []
        previous = ""
        steps = entry.list("history") or [
            {"status": status, "on": entry.data.get("announced_on"), "note": "Recorded from seeds."}
        ]
        for k, raw in enumerate(steps):
            step = _Entry(self.file, f"{entry.where}.history[{k}]", raw)
            new = step.str("status")
            if new not in rules.Status.values:
                step.fail(f"unknown status '{new}'")
            if previous:
                try:
                    rules.check_transition(previous, new)
                except ValidationError as exc:
                    step.fail(_describe(exc))
            if True in step.data:  # YAML 1.1 reads a bare `on:` key as the boolean true
                step.data.setdefault("on", step.data.pop(True))
            on = step.date("on", required=False) or timezone.localdate()
            note = step.str("note", required=False)
            if step.data.get("source"):
                source = self.source(step, step.data["source"])
                note = f"{note} (source: {source.title})" if note else f"Source: {source.title}"
            changes.append(
                StatusChange(
                    old_status=previous,
                    new_status=new,
                    changed_at=_at_noon(on),
                    note=note,
                    **ACTOR.history("changed_by"),
                )
            )
            previous = new
        if previous != status:
            entry.fail(f"history ends at '{previous}' but status is '{status}'")
        return changes

    def evidence(self, entry: _Entry, commitment: Commitment) -> Evidence:
        source = self.source(entry, entry.str("source"))
        quote = entry.str("quote")
        if not source.contains_quote(quote):
            entry.fail(f"quote not found verbatim in source '{source.seed_file}': {quote!r}")
        evidence = Evidence.objects.filter(
            commitment=commitment, source=source, quote=quote
        ).first()
        created = evidence is None
        if created:
            evidence = self.create(
                entry,
                Evidence(
                    commitment=commitment,
                    source=source,
                    quote=quote,
                    note=entry.str("note", required=False),
                    url=entry.str("url", required=False),
                    observed_on=entry.date("observed_on", required=False) or source.published_on,
                    **ACTOR.history("added_by"),
                ),
            )
        self.report.count("evidence", created)
        return evidence

    def observation(self, entry: _Entry, commitment: Commitment) -> None:
        value = entry.decimal("value")
        if value is None:
            entry.fail("missing required field 'value'")
        evidence = self.evidence(entry, commitment)
        start, end = entry.date("period_start"), entry.date("period_end")
        if start > end:
            entry.fail("period_start is after period_end")
        _, created = ProgressObservation.objects.get_or_create(
            commitment=commitment,
            evidence=evidence,
            period_start=start,
            period_end=end,
            value=value,
            defaults={
                "unit": entry.str("unit"),
                "period_label": entry.str("period_label", required=False),
                "note": entry.str("note", required=False),
            },
        )
        self.report.count("observations", created)


def _describe(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)


def load_seeds(directory: Path) -> SeedReport:
    """Load `directory/commitments.yaml` and the articles it names, all or nothing."""
    with transaction.atomic():
        return _Loader(Path(directory)).load()
