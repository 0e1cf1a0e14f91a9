"""Importing a data package (the format `exporting` writes) through the services, dry run first.

One procedure does both: in one transaction, each row of the package is matched with the record
by its stable key (`schema`: a code, a slug, a key, a uid), compared column by column, and what
differs is carried out by the services, as any edit is (the quote check, the status rules, the
country scoping of `access`, history with the importer as its actor, a version and an event per
change). A row the services refuse is rolled back to its savepoint and listed with the file, the
row, the column and the reason. At the end the transaction is rolled back unless the caller
applies and nothing was refused: the dry run's plan is what the services would do, not a guess,
and an import saves all or nothing.

What an import never does: delete (a row missing from the package is left alone), edit what the
record never lets anyone edit (evidence once added, history rows), or write a column the record
derives (progress, postponements, ...: the services compute them). Reference data (countries,
meetings, sources' descriptions) is written by those allowed to in admin. The public package
does not carry the sources' texts: a source must then already be in the record, found by its uid
or its text's hash. A package made for another secretariat (`--with-source-texts`) does: a source
the record lacks is added from its row as admin adds one (`ingestion.services.source_add`, its
text's hash checked against the row's, no analysis), so the quotes are checked against it.

A new commitment is created with its history as the package records it (its status changes and
target date moves, with their identifiers and times), and its last review time, so that the
record exported, imported into an empty record and exported again gives the same files.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils.text import format_lazy

from .. import messages, rules, services
from ..actors import Actor
from ..fields import SOURCE_ALIASES
from ..ingestion.services import source_add
from ..models import (
    Commitment,
    Country,
    Evidence,
    Meeting,
    ProgressObservation,
    Source,
    StatusChange,
    TargetDateChange,
    source_content_hash,
)
from ..services.commitments import RecordedDateChange, RecordedStatusChange
from . import exporting, schema
from .reading import Limits, Package, Problem, Row, read_package
from .schema import Column, Resource

if TYPE_CHECKING:
    from ..actors import ActorLike

CREATE, CHANGE, UNCHANGED, REFUSED = "create", "change", "unchanged", "refused"
ACTIONS = (CREATE, CHANGE, UNCHANGED, REFUSED)
# The commitment's columns the import writes through commitment_update (status and the last
# review have services of their own; derived columns are the record's).
_SPECIAL = {"slug", "status", "last_reviewed_at"}
SHOWN_CHARS = 80
# A service's error about a value the package gives in another column.
_COLUMN_OF_FIELD = {"target_date_reason": "target_date", "target_date_source": "target_date"}


def expected_files() -> dict[str, list[str]]:
    """Each table's file name in the package and its columns, for the reader."""
    return {resource.path: resource.header for resource in schema.RESOURCES}


def optional_columns() -> dict[str, list[str]]:
    """The columns a table may add (the sources' texts), for the reader."""
    return {r.path: list(r.optional_names) for r in schema.RESOURCES if r.optional}


@dataclass
class Change:
    column: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.column}: {_shown(self.old)} → {_shown(self.new)}"


def _shown(text: str) -> str:
    if text == "":
        return "∅"
    return text if len(text) <= SHOWN_CHARS else f"{text[: SHOWN_CHARS - 1]}…"


@dataclass
class RowPlan:
    """What the import does with one row: create, change (which columns, old and new),
    nothing, or refuse it (the problems say where and why)."""

    file: str
    number: int
    key: str
    action: str = UNCHANGED
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def refuse(self, reason, column: str | None = None) -> None:
        self.action = REFUSED
        self.problems.append(Problem(self.file, reason, row=self.number, column=column))


@dataclass
class Plan:
    package: str
    rows: list[RowPlan] = field(default_factory=list)
    applied: bool = False

    def of(self, action: str) -> list[RowPlan]:
        return [row for row in self.rows if row.action == action]

    @property
    def refused(self) -> bool:
        return any(row.action == REFUSED for row in self.rows)

    @property
    def changes_anything(self) -> bool:
        return any(row.action in (CREATE, CHANGE) for row in self.rows)

    def counts(self) -> list[tuple[str, dict[str, int]]]:
        """Per file, in the package's order: how many rows each action takes."""
        counted: dict[str, dict[str, int]] = {}
        for row in self.rows:
            counted.setdefault(row.file, dict.fromkeys(ACTIONS, 0))[row.action] += 1
        return list(counted.items())

    def problems(self) -> list[Problem]:
        return [problem for row in self.rows for problem in row.problems]

    def fingerprint(self) -> str:
        """The same for the same plan, in any language: what the admin's apply checks its dry
        run against."""
        digest = hashlib.sha256()
        for row in self.rows:
            line = [row.file, str(row.number), row.key, row.action]
            line += [f"{c.column}={c.old}>{c.new}" for c in row.changes]
            line += [str(p.column) for p in row.problems]
            digest.update("\x1f".join(line).encode() + b"\x1e")
        return digest.hexdigest()


def describe_counts(file: str, counts: dict[str, int]) -> str:
    return str(
        format_lazy(
            messages.IMPORT_PLAN_COUNTS,
            file=file,
            created=counts[CREATE],
            changed=counts[CHANGE],
            unchanged=counts[UNCHANGED],
            refused=counts[REFUSED],
        )
    )


def describe_row(row: RowPlan) -> list[str]:
    """A row's lines in the plan: what it creates or changes, or each reason it is refused."""
    where = {"file": row.file, "row": row.number, "key": row.key}
    if row.action == CREATE:
        return [str(format_lazy(messages.IMPORT_ROW_CREATE, **where))]
    if row.action == CHANGE:
        changes = "; ".join(str(change) for change in row.changes)
        return [str(format_lazy(messages.IMPORT_ROW_CHANGE, changes=changes, **where))]
    if row.action == REFUSED:
        return [str(problem) for problem in row.problems]
    return []


def describe(plan: Plan) -> list[str]:
    """The plan as lines: the counts per file, then each row created, changed or refused."""
    lines = [describe_counts(file, counts) for file, counts in plan.counts()]
    return lines + [line for row in plan.rows for line in describe_row(row)]


class _Rollback(Exception):
    pass


@dataclass
class _Entry:
    """One row of the package: parsed values, their normalised texts, its plan."""

    resource: Resource
    row: Row
    values: dict[str, Any]
    texts: dict[str, str]
    plan: RowPlan

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(self.texts[name] for name in self.resource.primary_key)


def _joined(texts: list) -> Any:
    """Messages as one sentence after another, each still in the reader's language."""
    return format_lazy(" ".join(["{}"] * len(texts)), *texts)


def _service_problems(plan: RowPlan, resource: Resource, exc: Exception) -> None:
    """A service's refusal on the row, each message on the column it is about when there is one."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            column = _COLUMN_OF_FIELD.get(name) or SOURCE_ALIASES.get(name, name)
            column = column.removesuffix("_id") if column not in resource.by_name else column
            shown = column if column in resource.by_name else None
            # One cell's messages as one reason ("not in the source. It differs from ...").
            plan.refuse(_joined([message for error in errors for message in error]), shown)
    elif isinstance(exc, ValidationError):
        plan.refuse(_joined(exc.messages))
    elif isinstance(exc, PermissionDenied):
        plan.refuse(str(exc) or messages.NOT_INVOLVED)
    else:
        plan.refuse(messages.IMPORT_DATABASE_REFUSED)


class _Importer:
    def __init__(self, package: Package, actor: Actor):
        self.package = package
        self.actor = actor
        self.plan = Plan(package.name)
        self.entries: dict[str, list[_Entry]] = {}
        self.sources: dict[str, Source] = {}  # by the package's uid
        self.reviewed_at: dict[str, datetime] = {}  # commitments created here: their review time
        self.refused_commitments: set[str] = set()
        self.consumed: set[int] = set()  # id() of history entries a commitment's row carried out

    # -- Reading the rows ------------------------------------------------------------------------

    def parse(self) -> None:
        for resource in schema.RESOURCES:
            table = self.package.tables.get(resource.path)
            if table is None:
                continue
            resource = resource.including(table.header)
            seen: set[tuple[str, ...]] = set()
            entries = []
            for row in table.rows:
                entry = self.parse_row(resource, row)
                if entry.plan.action != REFUSED:
                    if entry.key in seen:
                        entry.plan.refuse(messages.IMPORT_REPEATED_KEY, resource.primary_key[0])
                    seen.add(entry.key)
                entries.append(entry)
                self.plan.rows.append(entry.plan)
            self.entries[resource.name] = entries

    def parse_row(self, resource: Resource, row: Row) -> _Entry:
        key = " / ".join(row.values.get(name, "") for name in resource.primary_key)
        plan = RowPlan(resource.path, row.number, key)
        values: dict[str, Any] = {}
        texts: dict[str, str] = {}
        for column in resource.columns:
            if column.computed:  # the record's to work out, whatever the package says
                continue
            text = row.values.get(column.name, "")
            if column.type != "string":
                text = text.strip()
            problem = _cell_problem(column, text)
            if problem is not None:
                plan.refuse(problem, column.name)
                continue
            values[column.name] = column.from_text(text)
            texts[column.name] = column.to_text(values[column.name])
        return _Entry(resource, row, values, texts, plan)

    # -- Comparing with the record ---------------------------------------------------------------

    def stored(self, resource: Resource, queryset) -> dict[tuple[str, ...], dict[str, str]]:
        """The record's rows of `queryset` as the export writes them, by key."""
        positions = [resource.header.index(name) for name in resource.primary_key]
        found = {}
        for texts in exporting.rows(resource, queryset):
            found[tuple(texts[i] for i in positions)] = dict(
                zip(resource.header, texts, strict=True)
            )
        return found

    def differences(self, entry: _Entry, stored: dict[str, str], skip=()) -> list[Change]:
        return [
            Change(column.name, stored[column.name], entry.texts[column.name])
            for column in entry.resource.columns
            if not column.computed
            and column.name not in skip
            and column.name not in entry.resource.primary_key
            and stored[column.name] != entry.texts[column.name]
        ]

    def attempt(self, entry: _Entry, action: str, work: Callable[[], Any]) -> bool:
        """Carry out `work` in a savepoint; a refusal rolls it back and is listed on the row."""
        try:
            with transaction.atomic():
                work()
        except (ValidationError, PermissionDenied, DatabaseError) as exc:
            _service_problems(entry.plan, entry.resource, exc)
            return False
        entry.plan.action = action
        return True

    def live(self, name: str) -> list[_Entry]:
        return [e for e in self.entries.get(name, ()) if e.plan.action != REFUSED]

    # -- The tables, in the order their keys refer to each other ---------------------------------

    def run(self) -> Plan:
        self.parse()
        self.countries()
        self.meetings()
        self.sources_()
        self.commitments()
        self.evidence()
        self.status_changes()
        self.target_date_changes()
        self.observations()
        self.party_rows(schema.PARTY_POSITIONS, self.record_position)
        self.party_rows(schema.INSTRUMENT_PARTIES, self.record_instrument_dates)
        return self.plan

    def may_write(self, entry: _Entry, model, action: str) -> bool:
        """Reference data is written by those admin lets write it (a system actor always)."""
        user = self.actor.user
        perm = f"commitments.{'add' if action == CREATE else 'change'}_{model._meta.model_name}"
        if user is None or (user.is_active and user.has_perm(perm)):
            return True
        entry.plan.refuse(messages.IMPORT_REFERENCE_NOT_ALLOWED)
        return False

    def reference(self, resource: Resource, model, lookup: str) -> None:
        """Countries and meetings: created, or their columns set, as admin saves them."""
        entries = self.live(resource.name)
        stored = self.stored(
            resource, model.objects.filter(**{f"{lookup}__in": [e.key[0] for e in entries]})
        )
        for entry in entries:
            values = {c.path: entry.values[c.name] for c in resource.columns}
            before = stored.get(entry.key)
            if before is None:
                if self.may_write(entry, model, CREATE):
                    self.attempt(entry, CREATE, lambda v=values: _save_new(model(**v)))
                continue
            entry.plan.changes = self.differences(entry, before)
            if entry.plan.changes and self.may_write(entry, model, CHANGE):
                row = model.objects.get(**{lookup: entry.key[0]})
                self.attempt(entry, CHANGE, lambda r=row, v=values: _save_changed(r, v))

    def countries(self) -> None:
        self.reference(schema.COUNTRIES, Country, "code")

    def meetings(self) -> None:
        self.reference(schema.MEETINGS, Meeting, "key")

    def sources_(self) -> None:
        """Sources are found, never created (their text is not in the package): by uid, else by
        the hash of their text. Their description (title, publisher, ...) may change."""
        resource = schema.SOURCES
        entries = self.live(resource.name)
        uids = [e.texts["uid"] for e in entries]
        hashes = [e.texts["content_hash"] for e in entries if e.texts["content_hash"]]
        found = list(Source.objects.filter(Q(uid__in=uids) | Q(content_hash__in=hashes)))
        by_uid = {str(s.uid): s for s in found}
        by_hash = {s.content_hash: s for s in found if s.content_hash}
        stored = self.stored(resource, Source.objects.filter(pk__in=[s.pk for s in found]))
        for entry in entries:
            text = entry.values.get(schema.SOURCE_TEXT)
            if text is not None and not self.text_matches_hash(entry, text):
                continue
            source = by_uid.get(entry.texts["uid"]) or by_hash.get(entry.texts["content_hash"])
            if source is None and text is not None:
                if self.may_write(entry, Source, CREATE):
                    self.attempt(entry, CREATE, lambda e=entry: self.add_source(e))
                continue
            if source is None:
                entry.plan.refuse(messages.IMPORT_SOURCE_MISSING, "uid")
                continue
            if entry.texts["content_hash"] and source.content_hash != entry.texts["content_hash"]:
                entry.plan.refuse(messages.IMPORT_SOURCE_OTHER_TEXT, "content_hash")
                continue
            self.sources[entry.texts["uid"]] = source
            before = stored[(str(source.uid),)]
            # The text is the one the hash names, checked above: never rewritten.
            entry.plan.changes = self.differences(
                entry, before, skip={"content_hash", schema.SOURCE_TEXT}
            )
            if entry.plan.changes and self.may_write(entry, Source, CHANGE):
                values = {
                    c.name: entry.values[c.name]
                    for c in resource.columns
                    if c.name not in ("uid", "content_hash", schema.SOURCE_TEXT)
                }
                self.attempt(entry, CHANGE, lambda s=source, v=values: _save_changed(s, v))

    def text_matches_hash(self, entry: _Entry, text: str) -> bool:
        """A row's text is the one its content_hash names (else it was edited on the way)."""
        expected = entry.texts["content_hash"]
        if expected and source_content_hash(text) != expected:
            entry.plan.refuse(messages.IMPORT_SOURCE_TEXT_NOT_HASHED, schema.SOURCE_TEXT)
            return False
        return True

    def add_source(self, entry: _Entry) -> None:
        """A source the record lacks, from its row, as admin adds one; the import suggests
        nothing (the analysis is for articles staff add, not for a record moving in)."""
        values = entry.values
        try:
            source, created = source_add(
                actor=self.actor,
                title=values["title"],
                published_on=values["published_on"],
                publisher=values["publisher"],
                url=values["url"],
                language=values["language"],
                text=values[schema.SOURCE_TEXT],
                analyse=False,
                uid=_uuid(values["uid"]),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                raise
            raise ValidationError({schema.SOURCE_TEXT: exc.messages}) from exc
        expected = entry.texts["content_hash"]
        # The service stores the text as admin would (a pasted web page becomes its article):
        # if that is not the text the row names, the quotes would be checked against another.
        if not created or (expected and source.content_hash != expected):
            raise ValidationError({schema.SOURCE_TEXT: [messages.IMPORT_SOURCE_TEXT_NOT_HASHED]})
        self.sources[entry.texts["uid"]] = source

    def source(self, entry: _Entry, column: str = "source") -> Source | None:
        """The source a row names (a uid), or None; refuses the row when there is none."""
        uid = entry.values.get(column)
        if not uid:
            return None
        source = self.sources.get(uid) or Source.objects.filter(uid=_uuid(uid)).first()
        if source is None:
            entry.plan.refuse(messages.IMPORT_UNKNOWN_KEY, column)
        return source

    def commitment(self, entry: _Entry) -> Commitment | None:
        slug = entry.values["commitment"]
        found = Commitment.objects.filter(slug=slug).first()
        if found is None:
            reason = (
                messages.IMPORT_PARENT_REFUSED
                if slug in self.refused_commitments
                else messages.IMPORT_UNKNOWN_KEY
            )
            entry.plan.refuse(reason, "commitment")
        return found

    # -- Commitments and their history -----------------------------------------------------------

    def histories(self, name: str) -> dict[str, list[_Entry]]:
        grouped: dict[str, list[_Entry]] = {}
        for entry in self.live(name):
            grouped.setdefault(entry.values["commitment"], []).append(entry)
        for entries in grouped.values():
            entries.sort(key=lambda e: e.values["changed_at"])
        return grouped

    def commitments(self) -> None:
        resource = schema.COMMITMENTS
        entries = self.live(resource.name)
        self.refused_commitments = {
            e.row.values.get("slug", "")
            for e in self.entries.get(resource.name, ())
            if e.plan.action == REFUSED
        }
        stored = self.stored(
            resource, Commitment.objects.filter(slug__in=[e.key[0] for e in entries])
        )
        statuses = self.histories(schema.STATUS_CHANGES.name)
        moves = self.histories(schema.TARGET_DATE_CHANGES.name)
        known = set(
            StatusChange.objects.filter(
                uid__in=[_uuid(e.values["uid"]) for h in statuses.values() for e in h]
            ).values_list("uid", flat=True)
        ) | set(
            TargetDateChange.objects.filter(
                uid__in=[_uuid(e.values["uid"]) for h in moves.values() for e in h]
            ).values_list("uid", flat=True)
        )

        def new(rows: list[_Entry]) -> list[_Entry]:
            return [e for e in rows if _uuid(e.values["uid"]) not in known]

        for entry in entries:
            slug = entry.key[0]
            before = stored.get(entry.key)
            history, dates = new(statuses.get(slug, [])), new(moves.get(slug, []))
            if before is None:
                done = self.create_commitment(entry, history, dates)
            else:
                done = self.change_commitment(entry, before, history, dates)
            if not done:
                self.refused_commitments.add(slug)

    def relations(self, entry: _Entry) -> dict[str, Any] | None:
        """The owner, partners and meeting the row names, each checked to exist."""
        values = entry.values
        related: dict[str, Any] = {}
        owner = values["owner_country"]
        partners = values["partner_countries"]
        known = set(
            Country.objects.filter(code__in=[owner, *partners]).values_list("pk", flat=True)
        )
        if owner not in known:
            entry.plan.refuse(messages.IMPORT_UNKNOWN_KEY, "owner_country")
        if set(partners) - known:
            entry.plan.refuse(messages.IMPORT_UNKNOWN_KEY, "partner_countries")
        related["owner_country"], related["partner_countries"] = owner, partners
        related["meeting"] = None
        if values["meeting"]:
            related["meeting"] = Meeting.objects.filter(key=values["meeting"]).first()
            if related["meeting"] is None:
                entry.plan.refuse(messages.IMPORT_UNKNOWN_KEY, "meeting")
        return None if entry.plan.action == REFUSED else related

    def descriptive(self, entry: _Entry) -> dict[str, Any]:
        return {
            c.path: entry.values[c.name]
            for c in entry.resource.columns
            if not c.computed
            and c.name not in _SPECIAL
            and c.name not in ("owner_country", "partner_countries", "meeting")
        }

    def create_commitment(self, entry: _Entry, history: list[_Entry], dates: list[_Entry]) -> bool:
        related = self.relations(entry)
        steps = [self.recorded_move(e) for e in dates]
        if related is None or None in steps:
            self.refuse_all(history + dates, messages.IMPORT_PARENT_REFUSED)
            return False
        values = entry.values
        recorded = [
            RecordedStatusChange(
                _uuid(e.values["uid"]),
                e.values["old_status"],
                e.values["new_status"],
                e.values["changed_at"],
                e.values["note"],
            )
            for e in history
        ]

        def create() -> None:
            services.commitment_create(
                actor=self.actor,
                slug=values["slug"],
                status=values["status"],
                now=values["last_reviewed_at"],
                history=recorded,
                date_history=steps,
                **related,
                **self.descriptive(entry),
            )

        if not self.attempt(entry, CREATE, create):
            self.refuse_all(history + dates, messages.IMPORT_PARENT_REFUSED)
            return False
        self.reviewed_at[values["slug"]] = values["last_reviewed_at"]
        for carried in history + dates:
            carried.plan.action = CREATE
            self.consumed.add(id(carried))
        return True

    def recorded_move(self, entry: _Entry) -> RecordedDateChange | None:
        source = self.source(entry)
        if entry.plan.action == REFUSED:
            return None
        values = entry.values
        return RecordedDateChange(
            _uuid(values["uid"]),
            values["old_date"],
            values["new_date"],
            values["is_postponement"],
            values["reason"],
            source,
            values["changed_at"],
        )

    def refuse_all(self, entries: Iterable[_Entry], reason) -> None:
        for entry in entries:
            if entry.plan.action != REFUSED:
                entry.plan.refuse(reason, "commitment")
            self.consumed.add(id(entry))

    def change_commitment(
        self, entry: _Entry, before: dict[str, str], history: list[_Entry], dates: list[_Entry]
    ) -> bool:
        changes = self.differences(entry, before, skip={"last_reviewed_at"})
        later_review = entry.texts["last_reviewed_at"] > before["last_reviewed_at"]
        if later_review:
            changes.append(
                Change(
                    "last_reviewed_at", before["last_reviewed_at"], entry.texts["last_reviewed_at"]
                )
            )
        entry.plan.changes = changes
        if not changes and not history:
            return True
        related = self.relations(entry)
        if related is None:
            self.refuse_all(history + dates, messages.IMPORT_PARENT_REFUSED)
            return False
        commitment = Commitment.objects.get(slug=entry.key[0])
        changed = {c.column for c in changes}
        data = {
            name: value
            for name, value in {**self.descriptive(entry), **related}.items()
            if name in changed
        }
        move = None
        if "target_date" in data and dates:
            move = self.recorded_move(dates[-1])

        def change() -> None:
            self.carry_out_change(commitment, entry, data, move, history, later_review)

        carried = history + ([dates[-1]] if move else [])
        if not self.attempt(entry, CHANGE, change):
            self.refuse_all(carried, messages.IMPORT_PARENT_REFUSED)
            return False
        for done in carried:
            done.plan.action = CREATE
            self.consumed.add(id(done))
        return True

    def carry_out_change(
        self,
        commitment: Commitment,
        entry: _Entry,
        data: dict[str, Any],
        move: RecordedDateChange | None,
        history: list[_Entry],
        later_review: bool,
    ) -> None:
        """A commitment's row through the services: its columns (a target date moved with the
        package's record of the move), its new status changes, its status, its later review."""
        if data:
            services.commitment_update(
                commitment=commitment,
                actor=self.actor,
                data=data,
                target_date_reason=move.reason if move else "",
                target_date_source=move.source if move else None,
                target_date_uid=move.uid if move else None,
                now=move.changed_at if move else None,
            )
        self.carry_out_history(commitment, history)
        status = entry.values["status"]
        if commitment.status != status:
            services.commitment_change_status(
                commitment=commitment,
                new_status=status,
                actor=self.actor,
                note=messages.NOTE_IMPORTED,
            )
        reviewed = entry.values["last_reviewed_at"]
        if later_review and commitment.last_reviewed_at < reviewed:
            services.commitment_mark_reviewed(commitment=commitment, actor=self.actor, now=reviewed)

    def carry_out_history(self, commitment: Commitment, history: list[_Entry]) -> None:
        """New status changes of a commitment the record has, each from the status it is in."""
        for step in history:
            values = step.values
            if values["old_status"] != commitment.status:
                raise ValidationError({"status": [messages.HISTORY_BROKEN]})
            services.commitment_change_status(
                commitment=commitment,
                new_status=values["new_status"],
                actor=self.actor,
                note=values["note"] or messages.NOTE_IMPORTED,
                now=values["changed_at"],
                uid=_uuid(values["uid"]),
            )

    def fixed_rows(self, resource: Resource, model, reason) -> list[_Entry]:
        """Rows of a table the record never edits: unchanged, or refused when they differ.
        Returns the rows it does not yet have."""
        entries = [e for e in self.live(resource.name) if id(e) not in self.consumed]
        stored = self.stored(
            resource, model.objects.filter(uid__in=[_uuid(e.key[0]) for e in entries])
        )
        fresh = []
        for entry in entries:
            before = stored.get(entry.key)
            if before is None:
                fresh.append(entry)
                continue
            changes = self.differences(entry, before)
            if changes:
                entry.plan.changes = changes
                entry.plan.refuse(reason, changes[0].column)
        return fresh

    def status_changes(self) -> None:
        fresh = self.fixed_rows(schema.STATUS_CHANGES, StatusChange, messages.IMPORT_HISTORY_FIXED)
        grouped: dict[str, list[_Entry]] = {}
        for entry in sorted(fresh, key=lambda e: e.values["changed_at"]):
            grouped.setdefault(entry.values["commitment"], []).append(entry)
        for steps in grouped.values():
            commitment = self.commitment(steps[0])
            if commitment is None:
                self.refuse_all(steps[1:], messages.IMPORT_PARENT_REFUSED)
                continue
            for step in steps:
                self.attempt(
                    step, CREATE, lambda c=commitment, s=step: self.carry_out_history(c, [s])
                )

    def target_date_changes(self) -> None:
        fresh = self.fixed_rows(
            schema.TARGET_DATE_CHANGES, TargetDateChange, messages.IMPORT_HISTORY_FIXED
        )
        for entry in fresh:
            entry.plan.refuse(messages.IMPORT_MOVE_WITHOUT_DATE, "new_date")

    # -- Evidence, figures and the parties' accounts ---------------------------------------------

    def evidence(self) -> None:
        resource = schema.EVIDENCE
        entries = self.live(resource.name)
        stored = self.stored(
            resource, Evidence.objects.filter(uid__in=[_uuid(e.key[0]) for e in entries])
        )
        for entry in entries:
            before = stored.get(entry.key)
            source = self.source(entry)
            if before is not None:
                entry.plan.changes = self.differences(entry, before)
                if entry.plan.changes and entry.plan.action != REFUSED:
                    self.refuse_changed_evidence(entry, source)
                continue
            commitment = self.commitment(entry)
            if entry.plan.action == REFUSED:
                continue
            values = entry.values

            def add(c=commitment, s=source, v=values) -> None:
                services.evidence_add(
                    commitment=c,
                    actor=self.actor,
                    source=s,
                    quote=v["quote"],
                    url=v["url"],
                    note=v["note"],
                    observed_on=v["observed_on"],
                    now=self.reviewed_at.get(c.slug),
                    uid=_uuid(v["uid"]),
                )

            self.attempt(entry, CREATE, add)

    def refuse_changed_evidence(self, entry: _Entry, source: Source | None) -> None:
        """Evidence is never edited; a changed quote that is not in its source says so first."""
        quote = entry.values["quote"]
        if source is not None and quote and source.find_quote(quote) is None:
            entry.plan.refuse(_joined(rules.quote_not_in_source(quote, source.text)), "quote")
        else:
            entry.plan.refuse(messages.IMPORT_EVIDENCE_FIXED, entry.plan.changes[0].column)

    def observations(self) -> None:
        resource = schema.PROGRESS_OBSERVATIONS
        entries = self.live(resource.name)
        stored = self.stored(
            resource,
            ProgressObservation.objects.filter(uid__in=[_uuid(e.key[0]) for e in entries]),
        )
        for entry in entries:
            before = stored.get(entry.key)
            commitment = self.commitment(entry)
            evidence = Evidence.objects.filter(uid=_uuid(entry.values["evidence"])).first()
            if evidence is None:
                entry.plan.refuse(messages.IMPORT_UNKNOWN_KEY, "evidence")
            if entry.plan.action == REFUSED:
                continue
            values = {
                "commitment": commitment,
                "evidence": evidence,
                **{
                    c.path: entry.values[c.name]
                    for c in resource.columns
                    if c.name not in ("uid", "commitment", "evidence")
                },
            }
            if before is None:
                observation = ProgressObservation(uid=_uuid(entry.values["uid"]), **values)
                self.attempt(
                    entry,
                    CREATE,
                    lambda o=observation: services.observation_add(observation=o, actor=self.actor),
                )
                continue
            entry.plan.changes = self.differences(entry, before)
            if entry.plan.changes:
                observation = ProgressObservation.objects.get(uid=_uuid(entry.key[0]))
                for name, value in values.items():
                    setattr(observation, name, value)
                self.attempt(
                    entry,
                    CHANGE,
                    lambda o=observation, c=commitment: services.observations_correct(
                        commitment=c, actor=self.actor, changed=[o]
                    ),
                )

    def party_rows(self, resource: Resource, record: Callable[[_Entry, Commitment], Any]) -> None:
        entries = self.live(resource.name)
        stored = self.stored(
            resource,
            resource.model.objects.filter(commitment__slug__in=[e.key[0] for e in entries]),
        )
        for entry in entries:
            before = stored.get(entry.key)
            if before is not None:
                entry.plan.changes = self.differences(entry, before)
                if not entry.plan.changes:
                    continue
            commitment = self.commitment(entry)
            if entry.plan.action == REFUSED:
                continue
            action = CREATE if before is None else CHANGE
            self.attempt(entry, action, lambda e=entry, c=commitment: record(e, c))

    def record_position(self, entry: _Entry, commitment: Commitment) -> None:
        values = entry.values
        source = None
        if values["source"]:
            source = self.sources.get(values["source"]) or (
                Source.objects.filter(uid=_uuid(values["source"])).first()
            )
            if source is None:
                raise ValidationError({"source": [messages.IMPORT_UNKNOWN_KEY]})
        services.party_position_record(
            commitment=commitment,
            actor=self.actor,
            country=values["country"],
            status=values["status"],
            reported_on=values["reported_on"],
            source=source,
            note=values["note"],
        )

    def record_instrument_dates(self, entry: _Entry, commitment: Commitment) -> None:
        values = entry.values
        evidence = None
        if values["evidence"]:
            evidence = Evidence.objects.filter(uid=_uuid(values["evidence"])).first()
            if evidence is None:
                raise ValidationError({"evidence": [messages.IMPORT_UNKNOWN_KEY]})
        services.instrument_dates_record(
            commitment=commitment,
            actor=self.actor,
            country=values["country"],
            signed_on=values["signed_on"],
            ratified_on=values["ratified_on"],
            in_force_on=values["in_force_on"],
            evidence=evidence,
            note=values["note"],
        )


def _uuid(text: str) -> UUID:
    return UUID(text)


def _cell_problem(column: Column, text: str):
    """Why a cell cannot be read as its column's type, or None."""
    if text == "" and column.required:
        return messages.IMPORT_REQUIRED
    if text == "":
        return None
    try:
        value = column.from_text(text)
    except (ValueError, ArithmeticError):
        return format_lazy(
            messages.IMPORT_WRONG_TYPE, value=_shown(text), type=_TYPE_NAMES[column.type]
        )
    if column.enum and str(value) not in column.enum:
        return format_lazy(
            messages.IMPORT_NOT_ALLOWED_VALUE, value=_shown(text), allowed=", ".join(column.enum)
        )
    if column.format == "uuid":
        try:
            UUID(text)
        except ValueError:
            return format_lazy(messages.IMPORT_WRONG_TYPE, value=_shown(text), type="UUID")
    if column.pattern and re.fullmatch(column.pattern, text) is None:
        return format_lazy(messages.IMPORT_WRONG_FORM, value=_shown(text))
    return None


_TYPE_NAMES = {
    "integer": messages.IMPORT_TYPE_INTEGER,
    "number": messages.IMPORT_TYPE_NUMBER,
    "boolean": messages.IMPORT_TYPE_BOOLEAN,
    "date": messages.IMPORT_TYPE_DATE,
    "datetime": messages.IMPORT_TYPE_DATETIME,
}


def _save_new(obj) -> None:
    obj.full_clean()
    obj.save()


def _save_changed(obj, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()


def run_import(package: Package, actor: ActorLike, *, apply: bool, expected: str = "") -> Plan:
    """The package's plan; with `apply`, carried out when nothing is refused (and, given
    `expected`, when the plan is still the one with that fingerprint), else nothing is saved."""
    importer = _Importer(package, Actor.of(actor))
    try:
        with transaction.atomic():
            plan = importer.run()
            if not apply or plan.refused or (expected and plan.fingerprint() != expected):
                raise _Rollback
            plan.applied = True
    except _Rollback:
        pass
    return importer.plan


def import_package(
    source: Path | IO[bytes],
    name: str,
    actor: ActorLike,
    *,
    apply: bool,
    expected: str = "",
    limits: Limits | None = None,
) -> Plan:
    """Read the package at `source` (raises reading.PackageRefused) and import it (`run_import`)."""
    package = read_package(source, name, expected_files(), limits, optional_columns())
    return run_import(package, actor, apply=apply, expected=expected)
