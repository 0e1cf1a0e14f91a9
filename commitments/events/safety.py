"""Where webhooks may go: refuse private, loopback, link-local and other non-public addresses.

Checked when an endpoint is registered and again before every delivery, after resolving the host,
and the delivery then connects to the very address that was checked (no second lookup that a DNS
rebinding could answer differently). EVENTS_WEBHOOK_ALLOW_PRIVATE (off in production) lets tests
and local development deliver to 127.0.0.1; EVENTS_WEBHOOK_REQUIRE_HTTPS (on in production)
refuses plain http.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from .. import messages


class UnsafeTarget(ValueError):
    pass


def check_url_form(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeTarget(messages.HTTP_OR_HTTPS)
    if settings.EVENTS_WEBHOOK_REQUIRE_HTTPS and parts.scheme != "https":
        raise UnsafeTarget(messages.HTTPS_REQUIRED)
    if not parts.hostname:
        raise UnsafeTarget(messages.NO_HOST)
    if parts.username or parts.password:
        raise UnsafeTarget(messages.NO_CREDENTIALS)


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(url: str) -> str:
    """The address to connect to for `url`, after checking every address the host resolves to.

    Raises UnsafeTarget when the URL's form is refused, the host does not resolve, or any of its
    addresses is not public (unless EVENTS_WEBHOOK_ALLOW_PRIVATE).
    """
    check_url_form(url)
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnsafeTarget(messages.UNRESOLVABLE) from None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise UnsafeTarget(messages.UNRESOLVABLE)
    if not settings.EVENTS_WEBHOOK_ALLOW_PRIVATE and not all(is_public(a) for a in addresses):
        raise UnsafeTarget(messages.NOT_PUBLIC)
    return addresses[0]
