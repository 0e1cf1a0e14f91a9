"""The closed-site switch: with PUBLIC_PAGES_REQUIRE_LOGIN on, every public page and feed needs a
signed-in, active user. Pages send readers to the login page; feeds, which feed readers fetch
without a browser session, answer 401 and also accept HTTP Basic credentials.
"""

from __future__ import annotations

import base64
import binascii
from functools import wraps

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

REALM = "Commitment tracker"


def public_pages_closed() -> bool:
    return bool(settings.PUBLIC_PAGES_REQUIRE_LOGIN)


def _signed_in(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and user.is_active)


def _basic_auth_user(request: HttpRequest):
    header = request.headers.get("Authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, password = decoded.partition(":")
    if not sep:
        return None
    user = authenticate(request, username=username, password=password)
    return user if user is not None and user.is_active else None


def public_page(view):
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if public_pages_closed() and not _signed_in(request):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def public_feed(view):
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if public_pages_closed() and not _signed_in(request):
            user = _basic_auth_user(request)
            if user is None:
                response = HttpResponse(
                    "Sign in required: this deployment does not publish its feeds.\n",
                    status=401,
                    content_type="text/plain; charset=utf-8",
                )
                response["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
                return response
            request.user = user
        return view(request, *args, **kwargs)

    return wrapper
