"""Which language each person gets: the one rule, asked by the middleware, the reminder job and
the unsubscribe page alike.

- public pages: the URL's prefix (`/ru/...`), English unprefixed (Django's LocaleMiddleware);
- admin: the staff member's profile language, else their browser's (Accept-Language);
- API: Accept-Language, answered with Content-Language;
- emails: the recipient's profile language, else settings.LANGUAGE_CODE.
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


def recipient_language(user) -> str:
    """The language an email to `user` is written in."""
    return profile_language(user) or settings.LANGUAGE_CODE


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
