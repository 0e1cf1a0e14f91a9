"""ETags and If-Match for commitments, from the version counter the services bump on every change.

The ETag is strong, `"<id>-<version>"`. A write that sends `If-Match` is checked twice: here against
the row just read (a cheap early 412), and again by the service under the row lock through
`expected_version`, so two clients racing with the same ETag cannot both win. A write without
`If-Match` is accepted (last writer wins); clients that care send it.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from commitments.models import Commitment
from commitments.rest.errors import PreconditionFailed

_ETAG = re.compile(r'"(\d{1,18})-(\d{1,18})"')


def etag_for(commitment: Commitment) -> str:
    return etag(commitment.pk, commitment.version)


def etag(pk: int, version: int) -> str:
    return f'"{pk}-{version}"'


def expected_version(request, commitment: Commitment) -> int | None:
    """The version the caller's If-Match pins, or None when it sent none (or `*`).

    Raises PreconditionFailed (412) when no listed tag is the commitment's current ETag. Weak tags
    (`W/"..."`) never match: If-Match uses strong comparison (RFC 9110, 13.1.1).
    """
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    current = etag_for(commitment)
    for tag in (part.strip() for part in header.split(",")):
        match = _ETAG.fullmatch(tag)
        if match and tag == current:
            return commitment.version
    raise PreconditionFailed(
        _(
            "If-Match %(header)s does not match the commitment's current ETag %(current)s: "
            "it has changed since you read it. Nothing was saved; fetch it again and retry."
        )
        % {"header": header.strip(), "current": current}
    )
