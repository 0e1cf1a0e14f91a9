"""Load the reviewed seed file and its source articles from `seeds/`.

The load is one transaction and idempotent: records are found by their stable keys (country code,
meeting key, source file, commitment key, evidence source + quote); what exists is left alone, so a
second run, or a run after staff have updated a commitment, changes nothing. One exception: a
translation in the file (`title_ru`, a meeting's `name_kk`, ...) fills the stored record's column
when that is empty, so translations added to the file reach databases loaded before; a column
with text, whoever wrote it, is never overwritten. Any problem stops the
whole run with a message naming the file, the entry and the problem.

Two jobs, one after the other: `_Reader` checks the whole file (types, references between its
entries, status histories) into plain records without touching a table; `_Writer` then finds or
creates each record in one transaction, checking what needs the stored rows (quotes against the
stored source text, the model's own validation).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import clock, rules, selectors, translation
from .actors import Actor, SystemActor
from .models import (
    Category,
    Commitment,
    Country,
    Evidence,
    InstrumentParty,
    InstrumentType,
    Meeting,
    ProgressObservation,
    Source,
    StatusChange,
    source_content_hash,
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
    # Existing records whose empty translations the file filled.
    translated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        bucket = self.created if created else self.existing
        bucket[kind] = bucket.get(kind, 0) + 1

    def summary(self) -> str:
        kinds = sorted(set(self.created) | set(self.existing))
        parts = [
            f"{kind}: {self.created.get(kind, 0)} created, {self.existing.get(kind, 0)} unchanged"
            for kind in kinds
        ]
        parts += [f"{kind}: {n} translated" for kind, n in sorted(self.translated.items())]
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

    def choice(self, key: str, valid: Sequence[str], *, required: bool = True) -> str:
        value = self.str(key, required=required)
        if value and value not in valid:
            self.fail(f"unknown {key} '{value}' (valid: {', '.join(valid)})")
        return value

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


# --- Reading: the whole file checked and turned into plain records, before anything is written ---


@dataclass
class _CountrySeed:
    entry: _Entry
    code: str
    name: str


@dataclass
class _MeetingSeed:
    entry: _Entry
    key: str
    fields: dict[str, Any]


@dataclass
class _SourceSeed:
    entry: _Entry
    file: str
    fields: dict[str, Any]


@dataclass
class _EvidenceSeed:
    entry: _Entry
    source: str  # a declared source file
    quote: str
    # Read only for evidence not yet stored: what exists is left alone.
    fields: Callable[[], dict[str, Any]]


@dataclass
class _ObservationSeed:
    entry: _Entry
    evidence: _EvidenceSeed
    value: Decimal
    period_start: dt.date
    period_end: dt.date
    defaults: dict[str, Any]


@dataclass
class _HistoryStep:
    old_status: str
    new_status: str
    on: dt.date
    note: str
    source: str | None  # its title, as stored, is added to the note


@dataclass
class _CommitmentSeed:
    entry: _Entry
    key: str
    owner: str
    partners: list[str]
    meeting: str | None
    fields: dict[str, Any]
    history: list[_HistoryStep]
    evidence: list[_EvidenceSeed]
    observations: list[_ObservationSeed]
    instrument_parties: list[_InstrumentPartySeed] = field(default_factory=list)


@dataclass
class _InstrumentPartySeed:
    entry: _Entry
    country: str
    evidence: _EvidenceSeed
    dates: dict[str, Any]


@dataclass
class _Seeds:
    countries: list[_CountrySeed]
    meetings: list[_MeetingSeed]
    sources: list[_SourceSeed]
    commitments: list[_CommitmentSeed]


def _refuse_control_characters(file: str, value: Any, where: str) -> None:
    """Every text in the file (escaped in quotes, YAML lets any character through) holds no
    control character: it would be stored, then break the Atom feeds and the exports."""
    if isinstance(value, dict):
        for key, inner in value.items():
            _refuse_control_characters(file, key, where)
            _refuse_control_characters(file, inner, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            _refuse_control_characters(file, inner, f"{where}[{index}]")
    elif isinstance(value, str) and (found := rules.CONTROL_CHARACTERS.search(value)):
        code = f"U+{ord(found.group()):04X}"
        raise SeedError(f"{file}: {where or 'key'}: contains a control character {code}")


def _read_file(path: Path) -> dict[str, Any]:
    file = str(path)
    if not path.is_file():
        raise SeedError(f"{file}: file not found")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SeedError(f"{file}: not valid YAML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise SeedError(f"{file}: not UTF-8 text: {exc}") from exc
    if not isinstance(data, dict):
        raise SeedError(f"{file}: top level must be a mapping with 'commitments'")
    _refuse_control_characters(file, data, "")
    for key in ("countries", "sources", "commitments"):
        if not isinstance(data.get(key), list) or not data[key]:
            raise SeedError(f"{file}: '{key}' must be a non-empty list")
    return data


class _Reader:
    """Checks the seed file's entries and their references to each other; touches no table."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.file = str(directory / SEED_FILE_NAME)
        self.countries: dict[str, None] = {}  # declared codes, in order
        self.meetings: set[str] = set()
        self.sources: set[str] = set()

    def entries(self, data: dict[str, Any], kind: str) -> list[_Entry]:
        return [
            _Entry(self.file, f"{kind}[{i}]", raw) for i, raw in enumerate(data.get(kind) or [])
        ]

    def read(self) -> _Seeds:
        data = _read_file(self.directory / SEED_FILE_NAME)
        countries = [self.country(entry) for entry in self.entries(data, "countries")]
        meetings = [self.meeting(entry) for entry in self.entries(data, "meetings")]
        sources = [self.source(entry) for entry in self.entries(data, "sources")]
        seen: set[str] = set()
        commitments = []
        for i, entry in enumerate(self.entries(data, "commitments")):
            key = entry.str("key")
            entry.where = f"commitments[{i}] (key '{key}')"
            if key in seen:
                entry.fail("duplicate key")
            seen.add(key)
            commitments.append(self.commitment(entry, key))
        return _Seeds(countries, meetings, sources, commitments)

    def country(self, entry: _Entry) -> _CountrySeed:
        seed = _CountrySeed(entry, entry.str("code"), entry.str("name"))
        self.countries[seed.code] = None
        return seed

    def translations(self, entry: _Entry, *names: str) -> dict[str, str]:
        """The entry's optional translations of `names` (`title_ru`, ...), by column."""
        return {
            column: entry.str(column, required=False)
            for name in names
            for column in translation.columns(name)[1:]
            if entry.data.get(column)
        }

    def meeting(self, entry: _Entry) -> _MeetingSeed:
        key = entry.str("key")
        fields = {
            "name_en": entry.str("name"),
            **self.translations(entry, "name"),
            "held_on": entry.date("held_on"),
            "location": entry.str("location", required=False),
        }
        self.meetings.add(key)
        return _MeetingSeed(entry, key, fields)

    def source(self, entry: _Entry) -> _SourceSeed:
        name = entry.str("file")
        path = self.directory / name
        if Path(name).name != name or not path.is_file():
            entry.fail(f"source file '{name}' not found in {self.directory}")
        text = path.read_text(encoding="utf-8")
        _refuse_control_characters(str(path), text, "text")
        fields = {
            "title": entry.str("title"),
            "language": self.language(entry),
            "publisher": entry.str("publisher", required=False),
            "published_on": entry.date("published_on"),
            "url": entry.str("url", required=False),
            "text": text,
        }
        self.sources.add(name)
        return _SourceSeed(entry, name, fields)

    def language(self, entry: _Entry) -> str:
        code = entry.str("language", required=False, default=translation.SOURCE_LANGUAGE)
        known = [c for c, _ in settings.CONTENT_LANGUAGES]
        if code not in known:
            entry.fail(f"unknown language '{code}' (valid: {', '.join(known)})")
        return code

    def country_code(self, entry: _Entry, code: Any) -> str:
        if code not in self.countries:
            entry.fail(f"unknown country '{code}' (declared: {', '.join(self.countries)})")
        return code

    def source_file(self, entry: _Entry, name: Any) -> str:
        if name not in self.sources:
            entry.fail(f"unknown source '{name}' (declare it under 'sources')")
        return name

    def commitment(self, entry: _Entry, key: str) -> _CommitmentSeed:
        owner = self.country_code(entry, entry.str("owner"))
        partners = [self.country_code(entry, code) for code in entry.list("partners")]
        status = entry.choice("status", rules.Status.values)
        category = entry.choice("category", Category.values)
        meeting = self.meeting_key(entry, entry.data.get("meeting"))
        evidence_entries = list(self.nested(entry, "evidence"))
        if not evidence_entries:
            entry.fail("a commitment needs at least one piece of evidence")
        history = self.history(entry, status)
        fields = self.commitment_fields(entry, status, category)
        parties = self.instrument_parties(entry, owner, partners, fields["instrument_type"])
        evidence = [self.evidence(e) for e in evidence_entries]
        observations = [self.observation(e) for e in self.nested(entry, "observations")]
        return _CommitmentSeed(
            entry,
            key,
            owner,
            partners,
            meeting,
            fields,
            history,
            evidence,
            observations,
            parties,
        )

    def nested(self, entry: _Entry, key: str) -> Iterator[_Entry]:
        """The entries of the entry's list `key`, each named by its place in the file; made one
        at a time, so an entry's problems are found before a later entry's."""
        for j, raw in enumerate(entry.list(key)):
            yield _Entry(self.file, f"{entry.where}.{key}[{j}]", raw)

    def meeting_key(self, entry: _Entry, key: Any) -> str | None:
        if key is not None and key not in self.meetings:
            entry.fail(f"unknown meeting '{key}'")
        return key or None

    def commitment_fields(self, entry: _Entry, status: str, category: str) -> dict[str, Any]:
        return {
            "title_en": entry.str("title"),
            "description_en": entry.str("description", required=False),
            **self.translations(entry, *translation.COMMITMENT_FIELDS),
            "category": category,
            "status": status,
            "target_date": entry.date("target_date", required=False),
            "target_amount": entry.decimal("target_amount"),
            "target_unit": entry.str("target_unit", required=False),
            "announced_on": entry.date("announced_on", required=False),
            "notes": entry.str("notes", required=False),
            "instrument_type": entry.choice(
                "instrument_type", InstrumentType.values, required=False
            ),
        }

    def instrument_parties(
        self, entry: _Entry, owner: str, partners: list[str], instrument_type: str
    ) -> list[_InstrumentPartySeed]:
        parties = [
            self.instrument_party(party, owner, partners)
            for party in self.nested(entry, "instrument_parties")
        ]
        if parties and not instrument_type:
            entry.fail("instrument_parties need an instrument_type")
        return parties

    def instrument_party(
        self, entry: _Entry, owner: str, partners: list[str]
    ) -> _InstrumentPartySeed:
        country = self.country_code(entry, entry.str("country"))
        if country not in (owner, *partners):
            entry.fail(f"{country} is not a party of this commitment")
        dates = {
            "signed_on": entry.date("signed_on", required=False),
            "ratified_on": entry.date("ratified_on", required=False),
            "in_force_on": entry.date("in_force_on", required=False),
            "note": entry.str("note", required=False),
        }
        return _InstrumentPartySeed(entry, country, self.evidence(entry), dates)

    def history(self, entry: _Entry, status: str) -> list[_HistoryStep]:
        steps: list[_HistoryStep] = []
        previous = ""
        raw_steps = entry.list("history") or [
            {"status": status, "on": entry.data.get("announced_on"), "note": "Recorded from seeds."}
        ]
        for k, raw in enumerate(raw_steps):
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
            on = step.date("on", required=False) or timezone.localdate(clock.now())
            note = step.str("note", required=False)
            source = step.data.get("source")
            if source:
                self.source_file(step, source)
            steps.append(_HistoryStep(previous, new, on, note, source or None))
            previous = new
        if previous != status:
            entry.fail(f"history ends at '{previous}' but status is '{status}'")
        return steps

    def evidence(self, entry: _Entry) -> _EvidenceSeed:
        source = self.source_file(entry, entry.str("source"))

        def fields() -> dict[str, Any]:
            return {
                "note": entry.str("note", required=False),
                "url": entry.str("url", required=False),
                "observed_on": entry.date("observed_on", required=False),
            }

        return _EvidenceSeed(entry, source, entry.str("quote"), fields)

    def observation(self, entry: _Entry) -> _ObservationSeed:
        value = entry.decimal("value")
        if value is None:
            entry.fail("missing required field 'value'")
        evidence = self.evidence(entry)
        start, end = entry.date("period_start"), entry.date("period_end")
        if start > end:
            entry.fail("period_start is after period_end")
        reported_by = entry.str("reported_by", required=False)
        defaults = {
            "unit": entry.str("unit"),
            "period_label": entry.str("period_label", required=False),
            "note": entry.str("note", required=False),
            "reported_by_id": self.country_code(entry, reported_by) if reported_by else None,
        }
        return _ObservationSeed(entry, evidence, value, start, end, defaults)


# --- Writing: find each record by its stable key, create what is missing, leave the rest alone ---


class _Writer:
    def __init__(self):
        self.report = SeedReport()
        self.countries: dict[str, Country] = {}
        self.meetings: dict[str, Meeting] = {}
        self.sources: dict[str, Source] = {}
        # Evidence this run has counted: the file names some twice (an entry's evidence and an
        # observation's), which is one record, created or unchanged once.
        self.evidence_counted: set[int] = set()

    def write(self, seeds: _Seeds) -> SeedReport:
        for country in seeds.countries:
            self.country(country)
        for meeting in seeds.meetings:
            self.meeting(meeting)
        for source in seeds.sources:
            self.source(source)
        for commitment in seeds.commitments:
            self.commitment(commitment)
        return self.report

    def create(self, entry: _Entry, obj):
        """Validate a new record as the model would and save it, or stop naming the entry."""
        try:
            obj.full_clean()
        except ValidationError as exc:
            entry.fail(_describe(exc))
        obj.save()
        return obj

    def country(self, seed: _CountrySeed) -> None:
        country = Country.objects.filter(code=seed.code).first()
        created = country is None
        if created:
            country = self.create(seed.entry, Country(code=seed.code, name=seed.name))
        self.countries[seed.code] = country
        self.report.count("countries", created)

    def meeting(self, seed: _MeetingSeed) -> None:
        obj, created = Meeting.objects.get_or_create(key=seed.key, defaults=seed.fields)
        self.meetings[seed.key] = obj
        self.report.count("meetings", created)
        if not created:
            self.fill_translations("meetings", obj, seed.fields)

    def fill_translations(self, kind: str, obj, fields: dict[str, Any], **also: Any) -> None:
        """Store the file's translations in the record's empty translation columns only."""
        empty = {
            column: value
            for column, value in fields.items()
            if column in translation.TRANSLATION_COLUMNS and value and not getattr(obj, column)
        }
        if empty:
            type(obj).objects.filter(pk=obj.pk).update(**empty, **also)
            self.report.translated[kind] = self.report.translated.get(kind, 0) + 1

    def source(self, seed: _SourceSeed) -> None:
        source = Source.objects.filter(seed_file=seed.file).first()
        created = source is None
        if created:
            source = self.create(
                seed.entry,
                Source(
                    seed_file=seed.file,
                    content_hash=source_content_hash(seed.fields["text"]),
                    **seed.fields,
                ),
            )
        self.sources[seed.file] = source
        self.report.count("sources", created)

    def commitment(self, seed: _CommitmentSeed) -> None:
        commitment = Commitment.objects.filter(slug=seed.key).first()
        created = commitment is None
        if created:
            commitment = self.new_commitment(seed)
        else:
            # A changed record gets a new version (its ETag) like any other change.
            self.fill_translations(
                "commitments",
                commitment,
                seed.fields,
                version=F("version") + 1,
                updated_at=clock.now(),
            )
        self.report.count("commitments", created)
        evidence = [self.evidence(e, commitment) for e in seed.evidence]
        if not created and seed.fields["instrument_type"] and not commitment.instrument_type:
            Commitment.objects.filter(pk=commitment.pk).update(
                instrument_type=seed.fields["instrument_type"],
                version=F("version") + 1,
                updated_at=clock.now(),
            )
        for observation in seed.observations:
            self.observation(observation, commitment)
        for party in seed.instrument_parties:
            self.instrument_party(party, commitment)
        progress = selectors.commitment_progress(commitment)
        if progress != Commitment.objects.values_list("progress", flat=True).get(pk=commitment.pk):
            Commitment.objects.filter(pk=commitment.pk).update(
                progress=progress, version=F("version") + 1, updated_at=clock.now()
            )
        if created:
            # The record was last reviewed when its latest evidence appeared, so staleness reflects
            # how long the public record has been silent, not when the seeds were loaded.
            latest_observed = max(filter(None, (e.observed_on for e in evidence)))
            Commitment.objects.filter(pk=commitment.pk).update(
                last_reviewed_at=_at_noon(latest_observed)
            )

    def new_commitment(self, seed: _CommitmentSeed) -> Commitment:
        commitment = Commitment(
            slug=seed.key,
            original_target_date=seed.fields["target_date"],
            owner_country=self.countries[seed.owner],
            meeting=self.meetings[seed.meeting] if seed.meeting else None,
            **seed.fields,
        )
        self.create(seed.entry, commitment)
        commitment.partner_countries.set([self.countries[code] for code in seed.partners])
        StatusChange.objects.bulk_create(
            [
                StatusChange(
                    commitment=commitment,
                    old_status=step.old_status,
                    new_status=step.new_status,
                    changed_at=_at_noon(step.on),
                    note=self.history_note(step),
                    **ACTOR.history("changed_by"),
                )
                for step in seed.history
            ]
        )
        return commitment

    def history_note(self, step: _HistoryStep) -> str:
        if step.source is None:
            return step.note
        title = self.sources[step.source].title
        return f"{step.note} (source: {title})" if step.note else f"Source: {title}"

    def evidence(self, seed: _EvidenceSeed, commitment: Commitment) -> Evidence:
        source = self.sources[seed.source]
        # Stored as the source has it (its no-break spaces), as evidence always is.
        quote = source.find_quote(seed.quote)
        if quote is None:
            seed.entry.fail(
                f"quote not found verbatim in source '{source.seed_file}': {seed.quote!r}"
            )
        evidence = Evidence.objects.filter(
            commitment=commitment, source=source, quote=quote
        ).first()
        created = evidence is None
        if created:
            fields = seed.fields()
            fields["observed_on"] = fields["observed_on"] or source.published_on
            evidence = self.create(
                seed.entry,
                Evidence(
                    commitment=commitment,
                    source=source,
                    quote=quote,
                    **fields,
                    **ACTOR.history("added_by"),
                ),
            )
        if evidence.pk not in self.evidence_counted:
            self.evidence_counted.add(evidence.pk)
            self.report.count("evidence", created)
        return evidence

    def observation(self, seed: _ObservationSeed, commitment: Commitment) -> None:
        evidence = self.evidence(seed.evidence, commitment)
        observation, created = ProgressObservation.objects.get_or_create(
            commitment=commitment,
            evidence=evidence,
            period_start=seed.period_start,
            period_end=seed.period_end,
            value=seed.value,
            defaults=seed.defaults,
        )
        reported_by = seed.defaults["reported_by_id"]
        if not created and reported_by and observation.reported_by_id is None:
            # Filled where staff left it empty, as translations are; never overwritten.
            ProgressObservation.objects.filter(pk=observation.pk).update(reported_by_id=reported_by)
        self.report.count("observations", created)

    def instrument_party(self, seed: _InstrumentPartySeed, commitment: Commitment) -> None:
        evidence = self.evidence(seed.evidence, commitment)
        _, created = InstrumentParty.objects.get_or_create(
            commitment=commitment,
            country_id=seed.country,
            defaults={**seed.dates, "evidence": evidence, **ACTOR.history("recorded_by")},
        )
        self.report.count("instrument dates", created)


def _describe(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)


def load_seeds(directory: Path) -> SeedReport:
    """Load `directory/commitments.yaml` and the articles it names, all or nothing."""
    seeds = _Reader(Path(directory)).read()
    with transaction.atomic():
        return _Writer().write(seeds)
