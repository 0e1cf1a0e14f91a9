"""The API's side of the benchmark: the endpoints it drives, and the queries per request of our
list and detail, counted in-process and held to the committed budget.

`perf.runner` drives these endpoints with wrk against gunicorn; the counts here are what fails the
benchmark (and CI's quick run) when a change makes a request read more.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commitments.models import ApiToken, Commitment
from commitments.rules import Status

LIST_FILTER = {"status": "in_progress", "owner_country": "KZ"}
OUR_LIST = "/api/v1/commitments/"
OUR_DETAIL = "/api/v1/commitments/{id}/"
PLAIN_LIST = "/bench/plain-drf/commitments/"
BARE_LIST = "/bench/bare/commitments/"
BARE_FLAT_LIST = "/bench/bare-flat/commitments/"

# Queries per request on PostgreSQL, committed: the benchmark fails when a change makes them grow.
# List: the token; the page with its partner codes; the page's evidence. Detail: the token; the
# commitment with its partner codes; its evidence; and, since issue 17, the parties' accounts,
# which only the detail shows: their positions, their dates on legal instruments and the progress
# figures (three tables, a query each; the list shows the summaries stored on the commitment).
QUERY_BUDGET = {"our_list": 3, "our_detail": 6}


@dataclass(frozen=True)
class StatusPatch:
    """How a status change is sent: path and JSON body with `%s` where the new status goes."""

    path: str = "/api/v1/commitments/{id}/transitions/"
    method: str = "POST"
    body: str = '{"status": "%s", "note": "Benchmark status change."}'


STATUS_PATCH = StatusPatch()
# Each PATCH is a legal move: the pool starts in_progress and each id alternates with stalled.
PATCH_FROM, PATCH_TO = str(Status.IN_PROGRESS), str(Status.STALLED)


def bench_token() -> str:
    """A superuser's API token, so every legal status change passes the country rule."""
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username="bench-admin",
        defaults={"is_superuser": True, "is_staff": True, "email": "bench@example.org"},
    )
    ApiToken.objects.filter(user=user, name="benchmark").revoke()
    _, key = ApiToken.objects.issue(user, "benchmark")
    return key


def prepare_patch_pool(size: int) -> list[int]:
    """`size` commitments set to PATCH_FROM (a direct update: this is test data preparation)."""
    ids = list(
        Commitment.objects.filter(status__in=[PATCH_FROM, PATCH_TO])
        .order_by("id")
        .values_list("id", flat=True)[:size]
    )
    Commitment.objects.filter(pk__in=ids).update(status=PATCH_FROM)
    return ids


def count_queries(token: str, detail_id: int) -> dict[str, int]:
    client = Client(HTTP_AUTHORIZATION=f"Token {token}", SERVER_NAME="127.0.0.1")
    counts = {}
    for name, path, params in (
        ("our_list", OUR_LIST, LIST_FILTER),
        ("our_detail", OUR_DETAIL.format(id=detail_id), {}),
    ):
        client.get(path, params, secure=True)  # the first request of a process loads caches
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path, params, secure=True)
        if response.status_code != 200:
            raise RuntimeError(
                f"{path} answered {response.status_code}: {response.content[:300]!r}"
            )
        counts[name] = len(ctx.captured_queries)
    return counts


def over_budget(counts: dict[str, int], n: int) -> list[str]:
    return [
        f"N={n}: {name} made {counts[name]} queries, budget {budget}"
        for name, budget in QUERY_BUDGET.items()
        if counts.get(name, 0) > budget
    ]
