"""A writer process for the real-component tests.

`python -m tests.events.writer <count> <slug> [<slug> ...]` makes `count` committed changes to the
given commitments through the services (as the ingestion system actor) and prints how long it took.
Its database and broker come from the environment, like any process of the product.
"""

import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
django.setup()

from commitments import services  # noqa: E402
from commitments.actors import SystemActor  # noqa: E402
from commitments.models import Commitment  # noqa: E402


def main(count: int, slugs: list[str]) -> None:
    commitments = list(Commitment.objects.filter(slug__in=slugs).order_by("slug"))
    started = time.monotonic()
    for i in range(count):
        services.commitment_update(
            commitment=commitments[i % len(commitments)],
            actor=SystemActor.INGESTION,
            data={"description": f"writer {os.getpid()} change {i}"},
        )
    print(f"{count} changes in {time.monotonic() - started:.2f} s", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2:])
