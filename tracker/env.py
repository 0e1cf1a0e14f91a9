"""Typed readers for settings that come from the environment.

django-environ does the parsing; these helpers add the refusals it does not make, so a typo in a
deployment fails at start-up instead of running with a silently wrong value.
"""

from __future__ import annotations

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()


def positive_int(name: str, default: int) -> int:
    value = env.int(name, default=default)
    if value <= 0:
        raise ImproperlyConfigured(f"{name} must be a positive integer, got {value!r}")
    return value


def choice(name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = env.str(name, default=default)
    if value not in allowed:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
    return value


def day_thresholds(name: str, default: dict[str, int]) -> dict[str, int]:
    """Parse `status=days,status=days` into a dict, refusing non-positive day counts."""
    raw = env.str(name, default="")
    if not raw:
        return dict(default)
    result = dict(default)
    for part in raw.split(","):
        key, sep, days = part.partition("=")
        if not sep or not days.strip().isdigit() or int(days) <= 0:
            raise ImproperlyConfigured(f"{name}: expected status=days pairs, got {part!r}")
        result[key.strip()] = int(days)
    return result
