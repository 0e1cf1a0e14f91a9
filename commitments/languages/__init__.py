"""Which language each person gets: the one rule, asked by the middleware, the reminder job and
the unsubscribe page alike.

- public pages: the URL's prefix (`/ru/...`), English unprefixed (Django's LocaleMiddleware);
- admin: the staff member's profile language, else their browser's (Accept-Language);
- API: Accept-Language, answered with Content-Language;
- emails: the recipient's profile language, else the language they last used in the admin, else
  their country's (settings.COUNTRY_LANGUAGES), else settings.LANGUAGE_CODE.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation


def supported(code: str | None) -> str | None:
    """The supported language closest to `code` ("ru-RU" -> "ru"), or None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def profile_language(user) -> str | None:
    """The language a user chose on their profile, or None when they chose none.

    Reads `user.staff_profile`; callers that handle many users select it with the users.
    """
    if user is None or not getattr(user, "pk", None):
        return None
    try:
        profile = user.staff_profile
    except user.__class__.staff_profile.RelatedObjectDoesNotExist:
        return None
    return supported(profile.language)


def _profile(user):
    if user is None or not getattr(user, "pk", None):
        return None
    try:
        return user.staff_profile
    except user.__class__.staff_profile.RelatedObjectDoesNotExist:
        return None


def last_admin_language(user) -> str | None:
    """The language the user's admin last spoke to them in (kept by the admin), or None."""
    profile = _profile(user)
    return supported(profile.admin_language) if profile is not None else None


def country_language(user) -> str | None:
    """The language of the user's first country (settings.COUNTRY_LANGUAGES), or None.

    Reads `user.country_memberships`; callers that handle many users prefetch them."""
    if user is None or not getattr(user, "pk", None):
        return None
    codes = sorted(m.country_id for m in user.country_memberships.all())
    for code in codes:
        language = supported(settings.COUNTRY_LANGUAGES.get(code))
        if language:
            return language
    return None


def recipient_language(user) -> str:
    """The language an email to `user` is written in: the one they chose, else the one they
    last worked in (the admin's), else their country's, else the default."""
    return (
        profile_language(user)
        or last_admin_language(user)
        or country_language(user)
        or settings.LANGUAGE_CODE
    )


def browser_language(request: HttpRequest) -> str:
    """Accept-Language's best supported language (the cookie is not consulted: no page sets it)."""
    return translation.get_language_from_request(request, check_path=False)


def staff_language(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        chosen = profile_language(user)
        if chosen:
            return chosen
    return browser_language(request)
