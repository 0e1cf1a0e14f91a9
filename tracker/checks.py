"""Start-up checks run by the WSGI/ASGI entry points, where Django runs no system checks."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import ImproperlyConfigured


def require_static_manifest() -> None:
    """Refuse to serve production without collectstatic's manifest.

    Production pages name their CSS and scripts through the manifest (hashed file names); without
    it every HTML page is a 500 ("Missing staticfiles manifest entry"), so the server is better
    not started at all.
    """
    if not settings.PRODUCTION:
        return
    manifest = Path(settings.STATIC_ROOT) / staticfiles_storage.manifest_name
    if not manifest.is_file():
        raise ImproperlyConfigured(
            f"{manifest} is missing: run `python manage.py collectstatic --noinput` before "
            "starting the server (`make serve-production` does it)."
        )
