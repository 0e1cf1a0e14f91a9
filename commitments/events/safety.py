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


# IPv6 prefixes that carry an IPv4 address in their last 32 bits (RFC 6052 NAT64, the
# deprecated IPv4-compatible form, SIIT's translated form): the IPv4 inside decides.
_WRAPPING_PREFIXES = (
    ipaddress.IPv6Network("64:ff9b::/96"),
    ipaddress.IPv6Network("::/96"),
    ipaddress.IPv6Network("::ffff:0:0:0/96"),
)
# Never a public destination, whatever they wrap: NAT64 local use (RFC 8215), Teredo, ORCHID,
# documentation, discard-only and benchmarking prefixes, whatever `ipaddress` thinks of them.
_REFUSED_V6 = (
    ipaddress.IPv6Network("64:ff9b:1::/48"),
    ipaddress.IPv6Network("2001::/32"),
    ipaddress.IPv6Network("2001:10::/28"),
    ipaddress.IPv6Network("2001:20::/28"),
    ipaddress.IPv6Network("2001:2::/48"),
    ipaddress.IPv6Network("2001:db8::/32"),
    ipaddress.IPv6Network("3fff::/20"),
    ipaddress.IPv6Network("100::/64"),
)


def _public_v4(ip: ipaddress.IPv4Address) -> bool:
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """Every IPv4 address an IPv6 address carries: mapped, 6to4, Teredo, NAT64 and the like."""
    found = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    if any(ip in net for net in _WRAPPING_PREFIXES):
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


def is_public(address: str) -> bool:
    """Whether a connection to `address` can only reach the public internet.

    An IPv6 address that wraps an IPv4 one (``::ffff:127.0.0.1``, ``::127.0.0.1``,
    ``64:ff9b::7f00:1``, ``2002:7f00:1::``, Teredo ``2001:0::/32``) is judged by the IPv4 inside
    as well as by itself; an address that cannot be parsed is not public.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv4Address):
        return _public_v4(ip)
    ip = ipaddress.IPv6Address(int(ip))  # without a zone (fe80::1%eth0)
    inside = embedded_ipv4(ip)
    if inside:
        if ip in _WRAPPING_PREFIXES[0] or ip.ipv4_mapped is not None:
            # NAT64 and mapped addresses reach exactly the IPv4 inside.
            return all(_public_v4(v4) for v4 in inside)
        if not all(_public_v4(v4) for v4 in inside):
            return False
    if any(ip in net for net in _REFUSED_V6):
        return False
    return ip.is_global and not ip.is_multicast and not ip.is_reserved and not ip.is_site_local


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
