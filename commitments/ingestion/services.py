"""Adding sources and reviewing suggestions. Accepting goes through the domain services, with the
reviewer as actor: the verbatim check, history, the review clock and scoping all apply."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from .. import access, clock, messages, rules, services, translation
from ..actors import Actor
from ..models import Commitment, Evidence, Meeting, ProgressObservation, Source, source_content_hash
from . import kinds, profiles
from .extraction import extract, typed_language
from .meeting_names import meeting_names
from .models import Suggestion

# A proposed meeting's name when the analysis gave none.
MEETING_NAME = "Intergovernmental Council meeting"


@transaction.atomic
def source_add(
    *,
    actor,
    title: str,
    published_on: date,
    publisher: str = "",
    url: str = "",
    language: str = "",
    text: str = "",
    file_name: str = "",
    file_data: bytes | None = None,
    analyse: bool | None = None,
    uid: UUID | None = None,
) -> tuple[Source, bool]:
    """Store an article (pasted or uploaded) and start its analysis after commit.

    Returns (source, created); the same text added again returns the existing source. `uid`: the
    public identifier it has in another record (an imported data package), else a new one."""
    actor = Actor.of(actor)
    access.may_edit_any(actor).require()
    extracted = extract(text=text, file_name=file_name, file_data=file_data, language=language)
    digest = source_content_hash(extracted.text)
    existing = Source.objects.filter(content_hash=digest).first()
    if existing is not None:
        return existing, False
    source = Source(
        title=(title or "").strip() or extracted.text.split("\n", 1)[0][:500],
        publisher=publisher,
        published_on=published_on,
        url=url,
        language=extracted.language,
        text=extracted.text,
        content_hash=digest,
        **({"uid": uid} if uid is not None else {}),
    )
    try:
        source.full_clean()
        with transaction.atomic():  # a savepoint: a concurrent add of the same text may win
            source.save()
    except (ValidationError, IntegrityError):
        # The same text stored meanwhile (by a request the unique hash made wait, or one that
        # committed between the look-up and here) is that source, as if it had been found above.
        existing = Source.objects.filter(content_hash=digest).first()
        if existing is None:
            raise
        return existing, False
    if settings.INGESTION_ANALYSE_ON_SAVE if analyse is None else analyse:
        from .tasks import analyse_source

        transaction.on_commit(lambda: analyse_source.delay(source.pk))
    return source, True


def source_add_from_input(*, actor, data: dict[str, Any], upload=None) -> tuple[Source, bool]:
    """source_add from what the admin form and the API accept: validated fields by name and an
    optional uploaded file (read here, so both edges store it the same way)."""
    return source_add(
        actor=actor,
        title=data.get("title", ""),
        published_on=data["published_on"],
        publisher=data.get("publisher", ""),
        url=data.get("url", ""),
        language=data.get("language", ""),
        text=data.get("text", ""),
        file_name=upload.name if upload else "",
        file_data=upload.read() if upload else None,
    )


def _decimal(value: Any, field: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError) as error:
        raise ValidationError({field: [_("Enter a number.")]}) from error


def _date(value: Any, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError) as error:
        raise ValidationError({field: [_("Enter a date as YYYY-MM-DD.")]}) from error


def _evidence_for(actor, commitment: Commitment, suggestion: Suggestion, quote: str) -> Evidence:
    existing = Evidence.objects.filter(
        commitment=commitment, source=suggestion.source, quote=quote
    ).first()
    if existing is not None:
        return existing
    return services.evidence_add(
        commitment=commitment,
        actor=actor,
        source=suggestion.source,
        quote=quote,
        observed_on=suggestion.source.published_on,
        note=messages.NOTE_SUGGESTION_ACCEPTED,
    )


@transaction.atomic
def suggestion_accept(
    *, suggestion: Suggestion, actor, changes: dict[str, Any] | None = None
) -> Suggestion:
    """Accept a suggestion, as proposed or with the reviewer's `changes` (quote, commitment,
    value, unit, period_start, period_end, title, category, ...)."""
    actor = Actor.of(actor)
    suggestion = (
        Suggestion.objects.select_for_update().select_related("source").get(pk=suggestion.pk)
    )
    if suggestion.status != Suggestion.State.PENDING:
        raise ValidationError(messages.ALREADY_REVIEWED)
    payload = _apply_changes(suggestion, dict(changes or {}))
    access.may_review(actor, suggestion).require()
    found = suggestion.source.find_quote(suggestion.quote)
    if found is None:
        quote_refusal = rules.quote_not_in_source(suggestion.quote, suggestion.source.text)
        raise ValidationError({"quote": quote_refusal})
    suggestion.quote = found  # as the source has it, like the evidence it records
    _record_proposal(actor, suggestion, payload)
    suggestion.payload = payload
    suggestion.status = Suggestion.State.ACCEPTED
    suggestion.reviewed_by = actor.user
    suggestion.reviewed_at = clock.now()
    suggestion.save()
    transaction.on_commit(lambda: profiles.learn_from_accepted(suggestion))
    return suggestion


def _apply_changes(suggestion: Suggestion, changes: dict[str, Any]) -> dict[str, Any]:
    """Set the reviewer's commitment and quote on the suggestion; return its payload with the
    other changes that have a value."""
    if changes.get("commitment") is not None:
        suggestion.commitment = _chosen_commitment(changes.pop("commitment"))
    if changes.get("quote"):
        suggestion.quote = changes.pop("quote")
    return {**suggestion.payload, **{k: v for k, v in changes.items() if v not in (None, "")}}


def _chosen_commitment(chosen: Commitment | Any) -> Commitment:
    if isinstance(chosen, Commitment):
        return chosen
    commitment = Commitment.objects.filter(pk=chosen).first()
    if commitment is None:
        raise ValidationError({"commitment": [messages.NO_SUCH_COMMITMENT]})
    return commitment


def _record_proposal(actor: Actor, suggestion: Suggestion, payload: dict[str, Any]) -> None:
    """Write what the suggestion proposes, as its kind declares (`kinds`)."""
    kind = kinds.BY_NAME[suggestion.kind]
    if kind.needs_commitment and suggestion.commitment is None:
        raise ValidationError({"commitment": [messages.NEEDS_COMMITMENT]})
    kind.accept_function(actor, suggestion, payload)


# --- What accepting each kind records (named by `kinds`) ------------------------------------------


def accept_evidence(actor: Actor, suggestion: Suggestion, payload: dict[str, Any]) -> None:
    _evidence_for(actor, suggestion.commitment, suggestion, suggestion.quote)


def accept_observation(actor: Actor, suggestion: Suggestion, payload: dict[str, Any]) -> None:
    evidence = _evidence_for(actor, suggestion.commitment, suggestion, suggestion.quote)
    _add_observation(actor, suggestion, evidence, payload)


def accept_commitment(actor: Actor, suggestion: Suggestion, payload: dict[str, Any]) -> None:
    # A commitment the reviewer chose means the announcement is not new: evidence for it.
    if suggestion.commitment is None:
        suggestion.commitment = _create_commitment(actor, suggestion, payload)
    _evidence_for(actor, suggestion.commitment, suggestion, suggestion.quote)


def accept_meeting(actor: Actor, suggestion: Suggestion, payload: dict[str, Any]) -> None:
    """A new meeting's key goes into `payload`, which the accepted suggestion keeps. The name
    the system wrote is stored in every language (meeting_names), the session's number read
    from the quote when the analysis missed it."""
    if not payload.get("meeting"):
        names = meeting_names(payload.get("name") or MEETING_NAME, suggestion.quote)
        meeting = _same_meeting_recorded(payload, names) or _create_meeting(payload, names)
        payload["meeting"] = meeting.key


def _add_observation(
    actor: Actor, suggestion: Suggestion, evidence: Evidence, payload: dict[str, Any]
) -> None:
    services.observation_add(
        observation=ProgressObservation(
            commitment=suggestion.commitment,
            evidence=evidence,
            value=_decimal(payload.get("value"), "value"),
            unit=payload.get("unit") or suggestion.commitment.target_unit,
            period_start=_date(payload.get("period_start"), "period_start"),
            period_end=_date(payload.get("period_end"), "period_end"),
            period_label=_period_label(suggestion, payload),
        ),
        actor=actor,
    )


def _period_label(suggestion: Suggestion, payload: dict[str, Any]) -> str:
    """The article's words for the period ("first half 2025"), unless the reviewer corrected the
    period they named; without a label the pages name the period by its dates.
    `suggestion.payload` is still the proposal here."""
    proposed = suggestion.payload
    if any(payload.get(end) != proposed.get(end) for end in ("period_start", "period_end")):
        return ""
    return (payload.get("period_label") or "")[:100]


def _create_commitment(actor: Actor, suggestion: Suggestion, payload: dict[str, Any]) -> Commitment:
    # The reviewer's countries, else the proposal's (the services check the owner is theirs).
    countries = list(payload.get("countries") or suggestion.proposed_countries)
    owner = access.proposed_owner(actor, countries)
    amount = payload.get("target_amount")
    title = payload.get("title") or suggestion.quote[:300]
    return services.commitment_create(
        actor=actor,
        slug=services.unique_slug(payload.get("title") or "commitment"),
        title=title,
        **_title_in_its_language(suggestion, title),
        category=payload.get("category") or "other",
        owner_country=owner,
        partner_countries=[c for c in countries if c != owner],
        target_amount=_decimal(amount, "target_amount") if amount else None,
        target_unit=(payload.get("target_unit") or "") if amount else "",
        target_date=_date(payload["target_date"], "target_date")
        if payload.get("target_date")
        else None,
        announced_on=suggestion.source.published_on,
    )


def _title_in_its_language(suggestion: Suggestion, title: str) -> dict[str, str]:
    """The title also in the column of the language it is written in (`title_ru`), so that
    language's readers get it as theirs and it stays when staff translate the English title.
    The proposed title is the article's own words, in the article's language; a title the
    reviewer typed is in the language they typed it in (`extraction.typed_language`). The
    English column (`title`, required) holds the same words until staff translate it.
    `suggestion.payload` is still the proposal here."""
    article = suggestion.source.language
    proposed = title == suggestion.payload.get("title")
    language = article if proposed else typed_language(title, article)
    if language == translation.SOURCE_LANGUAGE:
        return {}
    return {translation.column("title", language): title}


def _same_meeting_recorded(payload: dict[str, Any], names: dict[str, str]) -> Meeting | None:
    """The meeting this proposal would record, if it was recorded after the analysis: two
    articles on one session are both proposed before either is accepted."""
    return Meeting.objects.filter(
        name_en=names[translation.column("name", translation.SOURCE_LANGUAGE)],
        held_on=_date(payload.get("held_on"), "held_on"),
        location=payload.get("location") or "",
    ).first()


def _create_meeting(payload: dict[str, Any], names: dict[str, str]) -> Meeting:
    meeting = Meeting(
        key=_unique_meeting_key(payload),
        held_on=_date(payload.get("held_on"), "held_on"),
        location=payload.get("location") or "",
        **names,
    )
    meeting.full_clean()
    meeting.save()
    return meeting


def _unique_meeting_key(payload: dict[str, Any]) -> str:
    from django.utils.text import slugify

    base = slugify(f"{payload.get('name', 'meeting')} {payload.get('held_on', '')}")[:70]
    key, n = base or "meeting", 1
    while Meeting.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


@transaction.atomic
def suggestion_reject(*, suggestion: Suggestion, actor, reason: str) -> Suggestion:
    """Reject with a reason; the suggestion stays, so re-analysis does not propose it again."""
    actor = Actor.of(actor)
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status != Suggestion.State.PENDING:
        raise ValidationError(messages.ALREADY_REVIEWED)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [messages.REJECTION_REASON_REQUIRED]})
    access.may_review(actor, suggestion).require()
    suggestion.status = Suggestion.State.REJECTED
    suggestion.reason = reason
    suggestion.reviewed_by = actor.user
    suggestion.reviewed_at = clock.now()
    suggestion.save(update_fields=["status", "reason", "reviewed_by", "reviewed_at"])
    transaction.on_commit(lambda: profiles.learn_from_rejected(suggestion))
    return suggestion
