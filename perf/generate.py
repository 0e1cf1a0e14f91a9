"""Fill the database with realistic volumes of commitments, fast.

Commitments, their partner and responsible-user links, evidence and status history are written
with PostgreSQL's COPY (psycopg) when the database is PostgreSQL, and with batched multi-row
INSERTs elsewhere. Rows are built as plain tuples, never as model instances, so 100,000
commitments (about a million rows in all) take well under a minute on PostgreSQL.

The data obey the domain's rules: every evidence quote occurs verbatim in its source's text, every
status history is a chain of allowed moves ending in the commitment's status, and exactly
`round(commitments * stale_share)` commitments are stale by `rules.stale_condition`.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction

from commitments import clock, rules
from commitments.actors import SystemActor
from commitments.models import (
    Category,
    Commitment,
    Country,
    CountryMembership,
    Evidence,
    Meeting,
    ProgressObservation,
    Review,
    Source,
    StatusChange,
)
from commitments.reminders.models import Reminder, ReminderPreference
from commitments.rules import Status

from .statistics import analyze

USERNAME_PREFIX = "gen-user-"
GENERATOR = SystemActor.DATA_GENERATOR.value  # the "who" of generated history and evidence
SLUG_PREFIX = "gen-"
SOURCE_SEED_PREFIX = "generated/"

# Owner countries and their weights: the two council members own most commitments.
COUNTRIES: tuple[tuple[str, str, int], ...] = (
    ("KZ", "Kazakhstan", 35),
    ("KG", "Kyrgyzstan", 35),
    ("UZ", "Uzbekistan", 12),
    ("TJ", "Tajikistan", 10),
    ("TM", "Turkmenistan", 8),
)

_VERBS = ("Build", "Open", "Modernise", "Launch", "Expand", "Agree on", "Finance", "Reconstruct")
_OBJECTS = {
    Category.TRADE: "a trade house",
    Category.INVESTMENT: "a joint investment fund",
    Category.INDUSTRY: "an industrial cooperation park",
    Category.ENERGY: "a hydropower plant",
    Category.WATER: "a water monitoring network",
    Category.AGRICULTURE: "a grain logistics hub",
    Category.INFRASTRUCTURE: "a highway section",
    Category.BORDER_TRANSPORT: "a border logistics complex",
    Category.TOURISM: "a cross-border tourist route",
    Category.HUMANITARIAN: "a joint university programme",
    Category.POLITICAL: "an intergovernmental agreement",
    Category.OTHER: "a working group",
}
_PLACES = ("Almaty", "Bishkek", "Osh", "Shymkent", "Taraz", "Karakol", "Tashkent", "Dushanbe")
_PUBLISHERS = ("Kazinform", "Interfax", "24.kg", "Kabar", "Tengrinews", "AKIpress")


@dataclass
class GenerationReport:
    commitments: int = 0
    evidence: int = 0
    status_changes: int = 0
    partner_links: int = 0
    responsible_links: int = 0
    users: int = 0
    sources: int = 0
    stale: int = 0
    seconds: float = 0.0
    method: str = ""
    counts_by_status: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"{self.commitments} commitments, {self.evidence} evidence, "
            f"{self.status_changes} status changes, {self.partner_links} partner links, "
            f"{self.responsible_links} responsible links, {self.users} users, "
            f"{self.sources} sources, {self.stale} stale, in {self.seconds:.1f}s ({self.method})"
        )


def flush_domain_data() -> None:
    """Delete every commitment and what hangs off it, the sources and the generated users.

    Destructive: meant for a benchmark database, never for one that holds real records.
    """
    User = get_user_model()
    if connection.vendor == "postgresql":
        tables = [
            m._meta.db_table
            for m in (
                ProgressObservation,
                Evidence,
                StatusChange,
                Review,
                Reminder,
                Commitment,
                Source,
                Meeting,
            )
        ]
        with connection.cursor() as cursor:
            # Django's foreign keys are deferred; TRUNCATE refuses while checks are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
    else:
        Reminder.objects.all().delete()
        ProgressObservation.objects.all().delete()
        Commitment.objects.all().delete()
        Source.objects.all().delete()
        Meeting.objects.all().delete()
    generated = User.objects.filter(username__startswith=USERNAME_PREFIX)
    CountryMembership.objects.filter(user__in=generated).delete()
    ReminderPreference.objects.filter(user__in=generated).delete()
    generated.delete()


# How the generated commitments are spread over statuses.
STATUS_WEIGHTS: dict[str, int] = {
    Status.ANNOUNCED: 20,
    Status.AGREED: 20,
    Status.IN_PROGRESS: 30,
    Status.STALLED: 12,
    Status.COMPLETED: 10,
    Status.CANCELLED: 8,
}


def _walks_by_target(max_len: int) -> dict[str, dict[int, list[tuple[str, ...]]]]:
    """Every chain of allowed moves from `announced` up to `max_len` statuses, by last status."""
    found: dict[str, dict[int, list[tuple[str, ...]]]] = {}
    stack: list[tuple[str, ...]] = [(str(Status.ANNOUNCED),)]
    while stack:
        walk = stack.pop()
        found.setdefault(walk[-1], {}).setdefault(len(walk), []).append(walk)
        if len(walk) < max_len:
            stack.extend((*walk, nxt) for nxt in rules.allowed_transitions(walk[-1]))
    return found


def _status_walk(
    rng: random.Random, walks: dict[str, dict[int, list[tuple[str, ...]]]], target: str, rows: int
) -> tuple[str, ...]:
    """A chain of allowed moves ending in `target`, `rows` statuses long where one exists.

    `announced` and `agreed` cannot be reached by long chains, so they get their shortest one.
    """
    by_len = walks[target]
    length = min(by_len, key=lambda n: (abs(n - rows), n))
    return rng.choice(by_len[length])


def _make_sources(
    rng: random.Random, count: int, now: datetime
) -> tuple[list[Source], list[list[str]]]:
    """Sources whose text is a run of sentences; any one sentence is a valid verbatim quote."""
    sources, sentences_by_source = [], []
    start = Source.objects.filter(seed_file__startswith=SOURCE_SEED_PREFIX).count()
    for i in range(start, start + count):
        sentences = []
        for j in range(12):
            category = rng.choice(Category.values)
            sentences.append(
                f"The parties agreed to {rng.choice(_VERBS).lower()} "
                f"{_OBJECTS[Category(category)]} near {rng.choice(_PLACES)}, "
                f"worth {rng.randint(5, 900)} million US dollars (item {i}.{j})."
            )
        published = (now - timedelta(days=rng.randint(30, 900))).date()
        sources.append(
            Source(
                title=f"Council session report {i + 1}",
                publisher=rng.choice(_PUBLISHERS),
                published_on=published,
                url=f"https://news.example.org/articles/{i + 1}",
                text=" ".join(sentences),
                seed_file=f"{SOURCE_SEED_PREFIX}{i + 1}",
            )
        )
        sentences_by_source.append(sentences)
    return sources, sentences_by_source


def _make_users(count: int, country_codes: Sequence[str]) -> list:
    User = get_user_model()
    password = make_password("generated-Password-1")  # one hash for all: hashing is slow
    start = User.objects.filter(username__startswith=USERNAME_PREFIX).count()
    users = [
        User(
            username=f"{USERNAME_PREFIX}{start + i:06d}",
            email=f"{USERNAME_PREFIX}{start + i:06d}@example.org",
            is_staff=True,
            password=password,
        )
        for i in range(count)
    ]
    users = User.objects.bulk_create(users, batch_size=2000)
    if users and users[0].pk is None:  # backends that do not return ids
        users = list(User.objects.filter(username__in=[u.username for u in users]).order_by("pk"))
    memberships = [
        CountryMembership(
            user=user,
            country_id=country_codes[i % len(country_codes)],
            is_coordinator=i < len(country_codes),
        )
        for i, user in enumerate(users)
    ]
    CountryMembership.objects.bulk_create(memberships, batch_size=2000)
    return users


def _write_rows(model_or_table, columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """Append rows to a table: COPY on PostgreSQL, batched INSERTs elsewhere."""
    table = model_or_table if isinstance(model_or_table, str) else model_or_table._meta.db_table
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in columns)
    count = 0
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with (
            connection.connection.cursor() as cursor,
            cursor.copy(f"COPY {qn(table)} ({cols}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    # SQLite allows at most 999 (older) or 32766 variables per statement: stay well under.
    per_batch = max(1, 900 // len(columns))
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    batch: list = []
    with connection.cursor() as cursor:

        def flush():
            values = ", ".join([one] * (len(batch) // len(columns)))
            cursor.execute(f"INSERT INTO {qn(table)} ({cols}) VALUES {values}", batch)  # noqa: S608

        for row in rows:
            batch.extend(row)
            count += 1
            if count % per_batch == 0:
                flush()
                batch = []
        if batch:
            flush()
    return count


def _next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")  # noqa: S608
        return cursor.fetchone()[0] + 1


def _reset_sequences(*models) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


# Columns in the order each generated row tuple lists them (COPY needs them named). A commitment
# row fills every column of its table, so a new model field must be generated too.
COMMITMENT_COLUMNS = tuple(f.attname for f in Commitment._meta.concrete_fields)
# What a column the generator does not fill holds: its model field's default, as a save would
# store (so a field added to the model needs nothing here).
_COMMITMENT_DEFAULTS = {f.attname: f.get_default() for f in Commitment._meta.concrete_fields}
_LANGUAGES = settings.MODELTRANSLATION_LANGUAGES
STATUS_CHANGE_COLUMNS = (
    "uid",
    "commitment_id",
    "old_status",
    "new_status",
    "changed_by_id",
    "changed_by_system",
    "changed_at",
    "note",
)
EVIDENCE_COLUMNS = (
    "uid",
    "commitment_id",
    "source_id",
    "quote",
    "url",
    "note",
    "observed_on",
    "added_by_id",
    "added_by_system",
    "created_at",
)


@dataclass
class _Rows:
    """Every row to write, as plain tuples, with what the report counts while building them."""

    commitments: list[tuple] = field(default_factory=list)
    partners: list[tuple] = field(default_factory=list)
    responsible: list[tuple] = field(default_factory=list)
    evidence: list[tuple] = field(default_factory=list)
    history: list[tuple] = field(default_factory=list)
    counts_by_status: dict[str, int] = field(default_factory=dict)
    stale: int = 0


@dataclass(frozen=True)
class _World:
    """What every generated commitment draws from: countries, users, sources, meeting, clock."""

    now: datetime
    codes: list[str]
    weights: list[int]
    user_ids: list[int]
    source_ids: list[int]
    sentences_by_source: list[list[str]]
    meeting_id: int
    walks: dict[str, dict[int, list[tuple[str, ...]]]]
    history_per: int
    evidence_per: int


def _ensure_countries() -> tuple[list[str], list[int]]:
    """The owner countries (created when missing) and their weights."""
    for code, name, _ in COUNTRIES:
        Country.objects.get_or_create(code=code, defaults={"name": name})
    return [c[0] for c in COUNTRIES], [c[2] for c in COUNTRIES]


def _create_sources(
    rng: random.Random, count: int, now: datetime
) -> tuple[list[int], list[list[str]]]:
    """Saved sources' ids, and each one's sentences (the quotes evidence may take from it)."""
    source_objs, sentences_by_source = _make_sources(rng, count, now)
    source_objs = Source.objects.bulk_create(source_objs)
    if source_objs[0].pk is not None:
        return [s.pk for s in source_objs], sentences_by_source
    by_file = dict(
        Source.objects.filter(seed_file__startswith=SOURCE_SEED_PREFIX).values_list(
            "seed_file", "pk"
        )
    )
    return [by_file[s.seed_file] for s in source_objs], sentences_by_source


def _create_meeting(rng: random.Random, seed: int, now: datetime) -> Meeting:
    return Meeting.objects.create(
        key=f"generated-{seed}-{rng.randrange(10**9)}",
        name="Generated council session",
        held_on=(now - timedelta(days=400)).date(),
        location="Bishkek",
    )


def _stale_flags(rng: random.Random, commitments: int, stale_share: float) -> list[bool]:
    """Exactly `round(commitments * stale_share)` True values, shuffled."""
    stale_count = round(commitments * stale_share)
    flags = [True] * stale_count + [False] * (commitments - stale_count)
    rng.shuffle(flags)
    return flags


def _pick_status(rng: random.Random, stale: bool) -> str:
    """A status drawn by STATUS_WEIGHTS; a stale commitment's is open (final ones never are)."""
    statuses = [s for s in STATUS_WEIGHTS if not (stale and rules.is_final(s))]
    return rng.choices(statuses, [STATUS_WEIGHTS[s] for s in statuses])[0]


def _review_times(
    rng: random.Random, status: str, stale: bool, i: int, walk_len: int, now: datetime
) -> tuple[datetime, datetime]:
    """(last reviewed, created): past the status's staleness threshold exactly when `stale`."""
    threshold = rules.stale_after(status)
    if stale:
        reviewed = now - threshold - timedelta(days=rng.randint(1, 300), seconds=i % 3600)
    else:
        reviewed = now - timedelta(
            seconds=rng.randint(0, max(0, int(threshold.total_seconds()) - 3600))
        )
    created = reviewed - timedelta(days=rng.randint(walk_len, 600))
    return reviewed, created


def _commitment_row(
    rng: random.Random,
    world: _World,
    i: int,
    cid: int,
    owner: str,
    walk: tuple[str, ...],
    reviewed: datetime,
    created: datetime,
) -> tuple:
    """The commitment's own row, in COMMITMENT_COLUMNS order."""
    category = Category.values[i % len(Category.values)]
    thing = _OBJECTS[Category(category)]
    has_target = i % 4 == 0
    title = f"{rng.choice(_VERBS)} {thing} in {rng.choice(_PLACES)} (no. {cid})"
    description = f"{owner} commits to {thing}; generated record {cid}."
    target_date = (world.now + timedelta(days=rng.randint(-200, 900))).date() if i % 3 else None
    row = {
        "id": cid,
        "slug": f"{SLUG_PREFIX}{cid}",
        "title": title,
        "description": description,
        # The English columns the pages and the API read (commitments.translation); the
        # untranslated ones mirror them, as a save would leave them. Other languages stay empty.
        **{f"{name}_{code}": None for name in ("title", "description") for code in _LANGUAGES},
        "title_en": title,
        "description_en": description,
        "owner_country_id": owner,
        "category": category,
        "status": walk[-1],
        "target_date": target_date,
        # None of the generated dates has moved, and no party has given its own account.
        "original_target_date": target_date,
        "postponements": 0,
        "progress": "not_enough_data",
        "positions_diverge": False,
        "instrument_type": "",
        "target_amount": rng.randint(1, 2000) * 1_000_000 if has_target else None,
        "target_unit": "USD" if has_target else "",
        "announced_on": created.date(),
        "meeting_id": world.meeting_id if i % 5 == 0 else None,
        "notes": "",
        "created_at": created,
        "updated_at": max(reviewed, created),
        "last_reviewed_at": reviewed,
        "version": len(walk),
    }
    return tuple(row.get(column, _COMMITMENT_DEFAULTS[column]) for column in COMMITMENT_COLUMNS)


def _add_links(
    rng: random.Random, world: _World, rows: _Rows, i: int, cid: int, owner: str
) -> None:
    """Partners (the other council member, sometimes one more) and responsible users (one or
    two; one commitment in twenty has none, so its reminder goes to the owner's coordinators)."""
    partners = [c for c in world.codes if c != owner]
    first = "KG" if owner == "KZ" else "KZ" if owner == "KG" else partners[0]
    rows.partners.append((cid, first))
    if i % 7 == 0:
        extra = rng.choice(partners)
        if extra != first:
            rows.partners.append((cid, extra))
    user_ids = world.user_ids
    if user_ids and i % 20 != 0:
        responsible = user_ids[rng.randrange(len(user_ids))]
        rows.responsible.append((cid, responsible))
        if i % 10 == 1:
            other = user_ids[rng.randrange(len(user_ids))]
            if other != responsible:
                rows.responsible.append((cid, other))


def _uid() -> uuid.UUID | str:
    """A new public identifier as the table stores it (SQLite: 32 hex digits)."""
    value = uuid.uuid4()
    return value if connection.vendor == "postgresql" else value.hex


def _add_history(rows: _Rows, cid: int, walk: tuple[str, ...], created, reviewed) -> None:
    """One status change per move of `walk`, spread evenly from creation to the last review."""
    span = max(1, int((reviewed - created).total_seconds()))
    for step, (old, new) in enumerate(zip(["", *walk[:-1]], walk, strict=True)):
        at = created + timedelta(seconds=span * step // max(1, len(walk) - 1))
        rows.history.append((_uid(), cid, old, new, None, GENERATOR, at, "Generated history."))


def _add_evidence(rng: random.Random, world: _World, rows: _Rows, cid: int, created) -> None:
    """`evidence_per` quotes, each a sentence of its source; the first also has a URL."""
    for e in range(world.evidence_per):
        s = rng.randrange(len(world.source_ids))
        observed: date = (created + timedelta(days=e)).date()
        rows.evidence.append(
            (
                _uid(),
                cid,
                world.source_ids[s],
                rng.choice(world.sentences_by_source[s]),
                f"https://gov.example.org/commitments/{cid}/{e}" if e == 0 else "",
                "",
                observed,
                None,
                GENERATOR,
                created,
            )
        )


def _build_rows(rng: random.Random, world: _World, first_id: int, stale_flags: list[bool]) -> _Rows:
    """Every commitment's rows. The random draws happen in a fixed order, so a seed always
    gives the same data."""
    rows = _Rows()
    for i, stale in enumerate(stale_flags):
        cid = first_id + i
        owner = rng.choices(world.codes, world.weights)[0]
        target = _pick_status(rng, stale)
        walk = _status_walk(rng, world.walks, target, world.history_per)
        status = walk[-1]
        rows.counts_by_status[status] = rows.counts_by_status.get(status, 0) + 1
        reviewed, created = _review_times(rng, status, stale, i, len(walk), world.now)
        rows.commitments.append(_commitment_row(rng, world, i, cid, owner, walk, reviewed, created))
        _add_links(rng, world, rows, i, cid, owner)
        _add_history(rows, cid, walk, created, reviewed)
        _add_evidence(rng, world, rows, cid, created)
        rows.stale += stale
    return rows


def _write_all(rows: _Rows, report: GenerationReport) -> None:
    """Write the rows (parents first) and count them into `report`."""
    report.commitments = _write_rows(Commitment, COMMITMENT_COLUMNS, rows.commitments)
    _reset_sequences(Commitment)
    report.partner_links = _write_rows(
        Commitment.partner_countries.through, ["commitment_id", "country_id"], rows.partners
    )
    report.responsible_links = _write_rows(
        Commitment.responsible_users.through, ["commitment_id", "user_id"], rows.responsible
    )
    report.status_changes = _write_rows(StatusChange, STATUS_CHANGE_COLUMNS, rows.history)
    report.evidence = _write_rows(Evidence, EVIDENCE_COLUMNS, rows.evidence)
    report.stale = rows.stale
    report.counts_by_status = rows.counts_by_status


@transaction.atomic
def generate(
    *,
    commitments: int,
    evidence_per: int = 3,
    history_per: int = 3,
    stale_share: float = 0.3,
    users: int = 1000,
    sources: int = 200,
    seed: int = 42,
    now: datetime | None = None,
    flush: bool = False,
) -> GenerationReport:
    """Add `commitments` commitments with their evidence, history, partners and responsible users.

    `history_per` is the status-history rows per commitment where its status allows a chain that
    long (the first row records its creation, `'' -> announced`; an `announced` commitment has only
    that one). With `flush`, everything generated or seeded before is deleted first.
    """
    if commitments < 0 or evidence_per < 0 or history_per < 1 or users < 0 or sources < 1:
        raise ValueError("counts must be non-negative, with at least one history row and source")
    if not 0.0 <= stale_share <= 1.0:
        raise ValueError("stale_share must be between 0 and 1")
    started = time.perf_counter()
    now = now or clock.now()
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    report = GenerationReport(method="COPY" if connection.vendor == "postgresql" else "INSERT")
    if flush:
        flush_domain_data()

    codes, weights = _ensure_countries()
    user_ids = [u.pk for u in _make_users(users, codes)]
    source_ids, sentences_by_source = _create_sources(rng, sources, now)
    world = _World(
        now=now,
        codes=codes,
        weights=weights,
        user_ids=user_ids,
        source_ids=source_ids,
        sentences_by_source=sentences_by_source,
        meeting_id=_create_meeting(rng, seed, now).pk,
        walks=_walks_by_target(max(history_per, 4)),
        history_per=history_per,
        evidence_per=evidence_per,
    )
    report.users, report.sources = len(user_ids), len(source_ids)

    first_id = _next_id(Commitment)
    rows = _build_rows(rng, world, first_id, _stale_flags(rng, commitments, stale_share))
    _write_all(rows, report)
    analyze(
        Commitment,
        Evidence,
        StatusChange,
        Commitment.partner_countries.through,
        Commitment.responsible_users.through,
    )
    report.seconds = time.perf_counter() - started
    return report
