"""Absolute links in digests: each URL name is reversed once per site, then filled per line.

URL resolution showed in a 10,000-digest run when it ran once per line and once per digest. The
names used here are outside the language prefixes, so the language does not change the result.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.urls import reverse

_PLACEHOLDER = "987654321987"


def absolute_url(name: str, argument: object) -> str:
    """settings.SITE_URL + reverse(name, args=[argument]), for a name taking one argument that
    needs no URL quoting (an id, a signed token): it is put in as it is, not quoted or checked
    against the route's converter."""
    return _pattern(settings.SITE_URL, name).replace(_PLACEHOLDER, str(argument), 1)


@functools.lru_cache(maxsize=16)
def _pattern(site_url: str, name: str) -> str:
    return site_url + reverse(name, args=[_PLACEHOLDER])
