"""The public pages' language versions, for the switcher and the hreflang alternates."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

register = template.Library()


@register.simple_tag(takes_context=True)
def language_versions(context) -> list[dict]:
    """This page in every language: code, native name, relative and absolute URL, current?"""
    request = context.get("request")
    path = request.get_full_path() if request is not None else "/"
    current = get_language()
    versions = []
    for code, name in settings.LANGUAGES:
        url = translate_url(path, code)
        versions.append(
            {
                "code": code,
                "hreflang": get_language_info(code)["code"],
                "name": name,
                "url": url,
                "absolute_url": request.build_absolute_uri(url) if request is not None else url,
                "current": code == current,
            }
        )
    return versions
