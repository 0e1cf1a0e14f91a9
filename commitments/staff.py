"""Secretariat staff accounts: the permission group they share and their country memberships.

Model permissions say what kind of record a staff member may touch in admin; their countries
(`access`) say which commitments. Both are needed, so staff are made here, in one place.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Country, CountryMembership

SECRETARIAT_GROUP = "Secretariat staff"

# (model, actions) in the commitments app. Status history and reviews are view-only: they are
# written by the domain services. Commitments are never deleted by staff.
SECRETARIAT_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "commitment": ("view", "add", "change"),
    "evidence": ("view", "add"),
    "progressobservation": ("view", "add", "change", "delete"),
    "statuschange": ("view",),
    "review": ("view",),
    "source": ("view", "add"),
    "suggestion": ("view", "change"),
    "matchterm": ("view", "add", "change", "delete"),
    "country": ("view",),
    "meeting": ("view", "add", "change"),
    "briefingrequest": ("view",),
}


def ensure_secretariat_group() -> Group:
    """Create or update the group so it holds exactly SECRETARIAT_PERMISSIONS."""
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    codenames = [
        f"{action}_{model}"
        for model, actions in SECRETARIAT_PERMISSIONS.items()
        for action in actions
    ]
    permissions = list(
        Permission.objects.filter(content_type__app_label="commitments", codename__in=codenames)
    )
    missing = set(codenames) - {p.codename for p in permissions}
    if missing:
        raise RuntimeError(f"Permissions missing (run migrate first): {', '.join(sorted(missing))}")
    group.permissions.set(permissions)
    return group


@transaction.atomic
def create_country_staff(
    *,
    username: str,
    country_codes: Iterable[str],
    password: str | None = None,
    email: str = "",
    coordinator: bool = False,
):
    """Create (or extend) a staff user who may change their countries' commitments.

    Running it again for the same user adds countries and the coordinator flag; it sets the
    password only when one is given. Returns (user, created).
    """
    codes = sorted({code.strip().upper() for code in country_codes})
    if not codes:
        raise ValidationError({"country": [_("Give at least one country code.")]})
    countries = {c.code: c for c in Country.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in countries]
    if unknown:
        known = ", ".join(Country.objects.values_list("code", flat=True)) or _("none yet")
        message = _("Unknown country %(codes)s; known countries: %(known)s.")
        raise ValidationError(
            {"country": [message % {"codes": ", ".join(unknown), "known": known}]}
        )
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=username, defaults={"email": email, "is_staff": True}
    )
    if created and not password:
        raise ValidationError({"password": [_("A new staff user needs a password.")]})
    if password:
        user.set_password(password)
    if email:
        user.email = email
    user.is_staff = True
    user.is_active = True
    user.save()
    user.groups.add(ensure_secretariat_group())
    for code in codes:
        membership, _created = CountryMembership.objects.get_or_create(
            user=user, country=countries[code]
        )
        if coordinator and not membership.is_coordinator:
            membership.is_coordinator = True
            membership.save(update_fields=["is_coordinator"])
    return user, created
