"""Settings for the commitment tracker, read from the environment (DJANGO_SETTINGS_MODULE stays
`tracker.settings`). One module per concern:

- `base`: Django itself: paths, apps, database, static files, email, cache, domain rules;
- `security`: Content-Security-Policy, Permissions-Policy and production's HTTPS hardening;
- `celery`: the broker, the beat schedule and the task limits;
- `events`: the outbox's dispatch and webhook delivery (limits, address safety);
- `ingestion`: article uploads and their analysis;
- `opendata`: the limits of reading an imported data package;
- `api`: Django REST framework and the OpenAPI schema;
- `benchmark`: the performance lab (`perf/`): whether it is installed, and its reference views.

Every value is read through the typed helpers of `tracker/env.py`, which refuse a bad value at
start-up with one line naming the variable.
"""

from .api import *  # noqa: F403
from .base import *  # noqa: F403
from .benchmark import *  # noqa: F403
from .celery import *  # noqa: F403
from .events import *  # noqa: F403
from .ingestion import *  # noqa: F403
from .opendata import *  # noqa: F403
from .security import *  # noqa: F403
