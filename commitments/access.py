"""Who may change what: the country-scoping rule, used by admin, API and services alike.

Every authenticated staff member or token may read everything. A change is allowed to a superuser,
or to an active staff user who belongs to the commitment's owner country or one of its partners.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from .models import Commitment, CommitmentQuerySet, CountryMembership

_CACHE_ATTR = "_tracker_country_codes"


def country_codes_of(user: AbstractBaseUser | AnonymousUser) -> frozenset[str]:
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


def can_edit_any(user) -> bool:
    return bool(getattr(user, "is_active", False) and (user.is_superuser or country_codes_of(user)))


def can_edit_commitment(user, commitment: Commitment) -> bool:
    if not getattr(user, "is_active", False):
        return False
    if user.is_superuser:
        return True
    codes = country_codes_of(user)
    if not codes:
        return False
    if commitment.owner_country_id in codes:
        return True
    if commitment.pk is None:
        return False
    # Use prefetched partners when the caller loaded them, so list pages add no queries.
    partners = {c.code for c in commitment.partner_countries.all()}
    return bool(partners & codes)


def can_create_for(user, owner_country_code: str, partner_codes=()) -> bool:
    if not getattr(user, "is_active", False):
        return False
    if user.is_superuser:
        return True
    return bool(country_codes_of(user) & ({owner_country_code} | set(partner_codes)))


def editable_commitments(user, queryset: CommitmentQuerySet | None = None) -> CommitmentQuerySet:
    queryset = queryset if queryset is not None else Commitment.objects.all()
    if not getattr(user, "is_active", False):
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.involving(country_codes_of(user))


def can_delete_commitment(user, commitment: Commitment) -> bool:
    """Deleting removes history with the commitment, so only superusers may."""
    return bool(getattr(user, "is_superuser", False) and can_edit_commitment(user, commitment))
