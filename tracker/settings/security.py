"""Security headers on every page, and production's HTTPS-only hardening.

The Content-Security-Policy allows only this origin: admin, the public pages, Swagger UI and
ReDoc are all served from our own static files (drf-spectacular-sidecar ships the two API
pages' assets; `templates/drf_spectacular/` keeps them off outside font and script hosts).
"""

from csp.constants import NONCE as _NONCE
from csp.constants import NONE as _NONE
from csp.constants import SELF as _SELF

from tracker.env import boolean, integer

from .base import PRODUCTION

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        # The API pages' start-up scripts are inline; they carry the per-response nonce.
        "script-src": [_SELF, _NONCE],
        # Swagger UI and ReDoc set element styles from their scripts, and ReDoc inserts its own
        # <style> elements (styled-components) that cannot carry a nonce.
        "style-src": [_SELF, "'unsafe-inline'"],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF, "data:"],
        "connect-src": [_SELF],
        # ReDoc runs its search index in a worker it builds from a blob.
        "worker-src": [_SELF, "blob:"],
        "object-src": [_NONE],
        "base-uri": [_SELF],
        "form-action": [_SELF],
        "frame-ancestors": [_NONE],
    },
}

# No page uses any of these browser features; refuse them to the page and anything it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = boolean("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = integer("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
