import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
application = get_asgi_application()

from tracker.checks import require_static_manifest  # noqa: E402 (needs the settings)

require_static_manifest()
