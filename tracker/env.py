"""Typed readers for settings that come from the environment.

django-environ does the parsing; these helpers add the refusals it does not make, so a typo in a
deployment fails at start-up, in one line naming the variable, instead of running with a silently
wrong value (django-environ reads `DJANGO_DEBUG=ture` as false and `REMINDER_HOUR=8am` as a
ValueError that names nothing).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()

_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0", "")
# DRF's throttle rate: a count, a slash and a period whose first letter is s, m, h or d.
_RATE = re.compile(r"^[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)$")


def required(name: str) -> str:
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set (DJANGO_ENV=production has no default)")
    return value


def integer(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    raw = env.str(name, default=str(default)).strip()
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        bounds = f"from {minimum} to {maximum}" if maximum is not None else f">= {minimum}"
        raise ImproperlyConfigured(f"{name} must be an integer {bounds}, got {value!r}")
    return value


def positive_int(name: str, default: int) -> int:
    value = integer(name, default)
    if value <= 0:
        raise ImproperlyConfigured(f"{name} must be a positive integer, got {value!r}")
    return value


def boolean(name: str, default: bool) -> bool:
    raw = env.str(name, default=str(default)).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")


def choice(name: str, default: str, allowed: Iterable[str]) -> str:
    allowed = tuple(allowed)
    value = env.str(name, default=default)
    if value not in allowed:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
    return value


def time_zone(name: str, default: str) -> str:
    value = env.str(name, default=default)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{name} must be an IANA time zone such as Asia/Almaty, got {value!r}"
        ) from None
    return value


def throttle_rate(name: str, default: str) -> str:
    value = env.str(name, default=default)
    if not _RATE.match(value):
        raise ImproperlyConfigured(
            f"{name} must be requests/period such as 60/minute (s, m, h or d), got {value!r}"
        )
    return value


def url_setting(name: str, parse, schemes: Iterable[str], default: str) -> dict:
    """One of django-environ's URL parsers (db_url, cache_url, email_url), naming the variable.

    django-environ takes an unknown scheme (`postgress://`) as the name of a backend module, and
    the mistake only surfaces as an import error on the first query.
    """
    value = env.str(name, default=default)
    scheme = value.partition("://")[0]
    if scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name} is not a usable URL: unknown scheme {scheme!r}"
            f"; use one of {', '.join(sorted(schemes))}"
        )
    try:
        return parse(name, default=default)
    except (ImproperlyConfigured, KeyError, ValueError) as exc:
        raise ImproperlyConfigured(f"{name} is not a usable URL: {exc}") from None


def day_thresholds(name: str, default: dict[str, int], keys: Iterable[str]) -> dict[str, int]:
    """Parse `status=days,status=days` into a dict, refusing unknown keys and non-positive days."""
    keys = tuple(keys)
    raw = env.str(name, default="")
    if not raw:
        return dict(default)
    result = dict(default)
    for part in raw.split(","):
        key, sep, days = part.partition("=")
        key = key.strip()
        if not sep or not days.strip().isdigit() or int(days) <= 0:
            raise ImproperlyConfigured(f"{name}: expected status=days pairs, got {part!r}")
        if key not in keys:
            raise ImproperlyConfigured(
                f"{name}: unknown status {key!r}; the statuses are {', '.join(keys)}"
            )
        result[key] = int(days)
    return result


def load_settings_or_exit(program: str) -> None:
    """Load the settings now; a refused value ends the process with its one-line reason.

    Without this, Django loads settings lazily deep inside a command and a missing secret
    surfaces as a 60-line traceback whose last line is the only one that matters.
    """
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018 (the attribute access loads the settings)
    except ImproperlyConfigured as exc:
        sys.exit(f"{program}: configuration error: {exc}")
