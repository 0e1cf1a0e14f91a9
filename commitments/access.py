"""Who may do what to a commitment: one helper per action, asked by admin, API and services alike.

Every authenticated staff member or token may read everything. Writes by a person:

- a superuser may do everything;
- staff of the owner country or of a partner country may edit the descriptive fields, change the
  status, add evidence and mark it reviewed;
- only staff of the owner country may change the owner or the partners, and the owner must still
  be one of their countries afterwards; a new commitment's owner must be one of the creator's
  countries;
- only a superuser may delete (deleting removes the history with it).

A named system actor (the seed loader, ingestion, ...) runs code, not a request: it may do
everything but delete, and history records its name.

Each helper answers with a Verdict: true when allowed, otherwise carrying the refusal, which
`require()` raises as EditNotAllowed. Admin shows the refusal as a form error or hides the control,
the API answers 403 with it, and the services call `require()` again inside their transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import messages, rules
from .actors import Actor
from .models import Commitment, CommitmentQuerySet, CountryMembership

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from .actors import ActorLike


def owner_listed_as_partner(code: str) -> Promise:
    return format_lazy(_("{code} owns this commitment, so it cannot also be a partner."), code=code)


def partner_listed_twice(code: str) -> Promise:
    return format_lazy(_("{code} is listed more than once among the partners."), code=code)


class EditNotAllowed(PermissionDenied):
    """The actor may not do this to this commitment; the message says why."""


@dataclass(frozen=True, slots=True)
class Verdict:
    refusal: Promise | str | None = None

    def __bool__(self) -> bool:
        return self.refusal is None

    def require(self) -> None:
        if self.refusal is not None:
            raise EditNotAllowed(self.refusal)


ALLOWED = Verdict()

_CACHE_ATTR = "_tracker_country_codes"


def country_codes_of(user: AbstractBaseUser | AnonymousUser | None) -> frozenset[str]:
    """The user's countries, loaded once per user object (one query per request at most)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = frozenset(
            CountryMembership.objects.filter(user=user).values_list("country_id", flat=True)
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def _regardless_of_commitment(actor: Actor) -> Verdict | None:
    """The verdict when it does not depend on the commitment (system, superuser, no rights)."""
    if actor.is_system:
        return ALLOWED
    user = actor.user
    if not getattr(user, "is_active", False) or not getattr(user, "is_authenticated", False):
        return Verdict(messages.INACTIVE)
    if user.is_superuser:
        return ALLOWED
    if not country_codes_of(user):
        return Verdict(messages.NO_COUNTRY)
    return None


def _involved(actor: Actor, commitment: Commitment) -> Verdict:
    """Allowed to staff of the commitment's owner or partner countries."""
    verdict = _regardless_of_commitment(actor)
    if verdict is not None:
        return verdict
    codes = country_codes_of(actor.user)
    if commitment.owner_country_id in codes:
        return ALLOWED
    # Prefetched partners are used when the caller loaded them, so list pages add no queries.
    if commitment.pk is not None and {c.code for c in commitment.partner_countries.all()} & codes:
        return ALLOWED
    return Verdict(messages.NOT_INVOLVED)


# --- One helper per action ------------------------------------------------------------------------


def may_edit_any(who: ActorLike) -> Verdict:
    """May the actor change some commitment (their countries', or any)? Shows or hides controls."""
    verdict = _regardless_of_commitment(Actor.of(who))
    return ALLOWED if verdict is None else verdict


def may_create(who: ActorLike, owner_code: str) -> Verdict:
    actor = Actor.of(who)
    verdict = _regardless_of_commitment(actor)
    if verdict is not None:
        return verdict
    if owner_code in country_codes_of(actor.user):
        return ALLOWED
    return Verdict(messages.CREATE_OWN_COUNTRY_ONLY)


def may_edit(who: ActorLike, commitment: Commitment) -> Verdict:
    """Title, description, dates, target, meeting, responsible users, notes (not the countries)."""
    return _involved(Actor.of(who), commitment)


def may_change_countries(who: ActorLike, commitment: Commitment, owner_code: str) -> Verdict:
    """Change the owner (to `owner_code`) and/or the partners of an existing commitment."""
    actor = Actor.of(who)
    verdict = _involved(actor, commitment)
    if not verdict or actor.is_system or actor.user.is_superuser:
        return verdict
    codes = country_codes_of(actor.user)
    if commitment.owner_country_id not in codes:
        return Verdict(messages.OWNER_STAFF_ONLY)
    if owner_code not in codes:
        return Verdict(messages.OWNER_MUST_STAY_YOURS)
    return ALLOWED


def may_change_status(who: ActorLike, commitment: Commitment) -> Verdict:
    return _involved(Actor.of(who), commitment)


def may_add_evidence(who: ActorLike, commitment: Commitment) -> Verdict:
    return _involved(Actor.of(who), commitment)


def may_mark_reviewed(who: ActorLike, commitment: Commitment) -> Verdict:
    return _involved(Actor.of(who), commitment)


def may_record_for_party(who: ActorLike, commitment: Commitment, country_code: str) -> Verdict:
    """Record a party country's own position or its dates on a legal instrument: that country's
    staff speak for it, not the other party's (a superuser or a system actor for any)."""
    actor = Actor.of(who)
    verdict = _involved(actor, commitment)
    if not verdict or actor.is_system or actor.user.is_superuser:
        return verdict
    if country_code in country_codes_of(actor.user):
        return ALLOWED
    return Verdict(messages.OWN_COUNTRY_ACCOUNT_ONLY)


def may_delete(who: ActorLike, commitment: Commitment) -> Verdict:
    """Deleting removes the history with the commitment, so only a superuser (a person) may."""
    actor = Actor.of(who)
    user = actor.user
    if user is not None and getattr(user, "is_active", False) and user.is_superuser:
        return ALLOWED
    return Verdict(messages.DELETE_SUPERUSERS_ONLY)


def editable_commitments(
    who: ActorLike, queryset: CommitmentQuerySet | None = None
) -> CommitmentQuerySet:
    """The rows of `queryset` that `may_edit` allows, as one query (for bulk actions)."""
    actor = Actor.of(who)
    queryset = queryset if queryset is not None else Commitment.objects.all()
    verdict = _regardless_of_commitment(actor)
    if verdict is None:
        return queryset.involving(country_codes_of(actor.user))
    return queryset if verdict else queryset.none()


# --- Suggestions read from sources -------------------------------------------------------------


def may_review(who: ActorLike, suggestion) -> Verdict:
    """Accept or reject an ingestion suggestion: as editing the commitment it is about; a proposed
    new commitment as creating it; anything else (a meeting) as staff of one of the countries it
    concerns (`deciding_countries`: a Uzbek officer does not decide a Kazakh–Kyrgyz meeting).

    `suggestion` is an ingestion Suggestion, read through its fields only: this module is below
    ingestion and imports nothing of it."""
    actor = Actor.of(who)
    if suggestion.commitment is not None:
        return may_edit(actor, suggestion.commitment)
    countries = suggestion.proposed_countries
    if countries:
        return may_create(actor, proposed_owner(actor, countries))
    verdict = _regardless_of_commitment(actor)
    if verdict is not None:
        return verdict
    if set(suggestion.deciding_countries) & country_codes_of(actor.user):
        return ALLOWED
    return Verdict(messages.NOT_INVOLVED)


def proposed_owner(who: ActorLike, countries: list[str]) -> str:
    """The owner of a proposed new commitment naming `countries`: the first that is one of the
    reviewer's, since staff create commitments for their own countries (may_create); else the
    first named (a superuser, a system actor). The others become its partners."""
    actor = Actor.of(who)
    own = country_codes_of(actor.user) if actor.user else frozenset()
    return next((code for code in countries if code in own), countries[0])


_NEVER = Q(pk__in=[])
_ALWAYS = ~_NEVER


def reviewable(who: ActorLike, suggestions: QuerySet) -> QuerySet:
    """The rows of `suggestions` the actor may review (`may_review`), as one query: a superuser or
    a system actor all; staff those about their countries' commitments, the proposed new
    commitments naming one of their countries, and the others (meetings) when one of their
    countries is a party."""
    actor = Actor.of(who)
    verdict = _regardless_of_commitment(actor)
    if verdict is not None:
        return suggestions if verdict else suggestions.none()
    codes = country_codes_of(actor.user)
    editable = editable_commitments(actor).values("pk")
    named = KeyTextTransform("countries", "payload")
    # A proposal's countries as JSON text (["KZ", "KG"]): a code in quotes is one of them.
    names_own = _NEVER
    for code in sorted(codes):
        names_own |= Q(proposal_countries__contains=f'"{code}"')
    parties_own = _ALWAYS if set(rules.PARTIES) & codes else _NEVER
    names_none = Q(proposal_countries__isnull=True) | Q(proposal_countries="[]")
    about_none = (
        Q(kind="commitment") & (names_own | names_none & parties_own)
        | ~Q(kind="commitment") & parties_own
    )
    return suggestions.alias(proposal_countries=named).filter(
        Q(commitment__in=editable) | Q(commitment__isnull=True) & about_none
    )


# --- What a commitment's countries may be ---------------------------------------------------------


def country_errors(owner_code: str, partner_codes: Iterable[str]) -> list[Promise]:
    """Why these partners do not fit this owner: the owner among them, or one listed twice."""
    counts = Counter(partner_codes)
    errors = [owner_listed_as_partner(owner_code)] if owner_code in counts else []
    errors += [partner_listed_twice(code) for code, n in counts.items() if n > 1]
    return errors
