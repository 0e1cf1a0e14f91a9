"""`Authorization: Token <key>` against hashed, named, expiring tokens (models.ApiToken).

DRF's own TokenAuthentication reads the key and keyword; only the lookup differs: by the key's
digest, in one query with the user, as before, so authentication costs no more than it did.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from commitments.models import ApiToken

from .. import clock
from ..formatting import localized_date


class ApiTokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key: str):
        token = (
            ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(key)).first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token has been revoked."))
        if token.expires_at <= clock.now():
            expired = localized_date(token.expires_at, "DATETIME_FORMAT")
            raise exceptions.AuthenticationFailed(
                _("This token expired on %(date)s; ask for a new one.") % {"date": expired},
                code="token_expired",
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token
