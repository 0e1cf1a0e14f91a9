from __future__ import annotations

from django.utils import translation

from . import browser_language, staff_language


class InterfaceLanguageMiddleware:
    """After LocaleMiddleware: the admin speaks the staff member's language, the API the caller's.

    LocaleMiddleware gives every unprefixed path the default language (that is what keeps English
    public pages at their old URLs); the admin and the API are not public pages, so they choose
    again here. LocaleMiddleware's response half then writes Content-Language and
    `Vary: Accept-Language` for the language active at the end.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith("/admin/"):
            language = staff_language(request)
            remember_admin_language(request, language)
        elif path.startswith(("/api/", "/reminders/")):
            language = browser_language(request)
        else:
            return self.get_response(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


def remember_admin_language(request, language: str) -> None:
    """Keep the language the admin speaks to a staff member (their reminder emails follow it
    when they chose none): one write when it changes, none on other visits."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return
    profile_model = user.__class__.staff_profile.related.related_model
    try:
        profile = user.staff_profile
    except profile_model.DoesNotExist:
        profile = None
    if profile is not None and (profile.language or profile.admin_language == language):
        return
    if profile is None:
        profile_model.objects.update_or_create(user=user, defaults={"admin_language": language})
    else:
        profile_model.objects.filter(pk=profile.pk).update(admin_language=language)
        profile.admin_language = language
