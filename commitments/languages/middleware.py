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
        elif path.startswith(("/api/", "/reminders/")):
            language = browser_language(request)
        else:
            return self.get_response(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
