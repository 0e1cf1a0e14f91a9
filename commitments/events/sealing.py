"""Webhook secrets at rest: sealed with Fernet (AES-128-CBC and HMAC-SHA256), so a database dump
or a backup does not hand out the keys that sign deliveries.

The key is derived from EVENTS_WEBHOOK_SECRET_KEY (by default Django's SECRET_KEY, which
production requires); EVENTS_WEBHOOK_SECRET_KEY_FALLBACKS still open secrets sealed under earlier
keys, so a key can be rotated without losing an endpoint.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

_LABEL = b"commitments.events.webhook-secret:"


class Unreadable(ValueError):
    """A sealed secret none of the configured keys opens (a key changed without a fallback)."""


def _fernet(key: str) -> Fernet:
    digest = hashlib.sha256(_LABEL + key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _box() -> MultiFernet:
    keys = [settings.EVENTS_WEBHOOK_SECRET_KEY, *settings.EVENTS_WEBHOOK_SECRET_KEY_FALLBACKS]
    return MultiFernet([_fernet(k) for k in keys])


def is_sealed(value: str) -> bool:
    """Whether `value` is a sealed secret (a Fernet token) rather than a plain one."""
    return value.startswith("gAAAA")


def seal(plain: str) -> str:
    return _box().encrypt(plain.encode()).decode()


def unseal(sealed: str) -> str:
    try:
        return _box().decrypt(sealed.encode()).decode()
    except InvalidToken:
        raise Unreadable(
            "A webhook secret cannot be opened with EVENTS_WEBHOOK_SECRET_KEY or its fallbacks."
        ) from None
