"""A large briefing built by a real `celery -A tracker worker` on the Redis broker and the
PostgreSQL test database (the second tier: DATABASE_URL and CELERY_BROKER_URL set), its file
kept where the API serves it from."""

from __future__ import annotations

import io

import docx
import pytest

from commitments.briefing.models import BriefingRequest
from tests.support.api import client_for
from tests.support.factories import UserFactory
from tests.support.workers import start_worker, stop, test_database_url, wait_for, worker_env

pytestmark = pytest.mark.services


def test_a_real_worker_builds_a_queued_briefing_and_the_api_serves_it(
    transactional_db, record, broker_url, tmp_path, settings
):
    settings.BRIEFING_DIRECT_MAX_ITEMS = 1
    log = tmp_path / "worker.log"
    env = worker_env(
        database_url=test_database_url(),
        broker_url=broker_url,
        var_dir=tmp_path,
        TRACKER_MEDIA_ROOT=str(settings.MEDIA_ROOT),
        BRIEFING_DIRECT_MAX_ITEMS="1",
    )
    worker = start_worker(env, "briefing", log)
    try:
        client = client_for(UserFactory(is_staff=False))
        response = client.get(
            "/api/v1/briefing/", {"meeting": "council-12", "language": "ru", "format": "docx"}
        )
        assert response.status_code == 202
        request = BriefingRequest.objects.get()

        def built():
            request.refresh_from_db()
            return request.state == BriefingRequest.State.DONE

        wait_for(built, timeout=120, what="the briefing built", logs=[log])
    finally:
        stop(worker)

    status = client.get(response["Location"]).json()
    assert (status["done"], status["total"]) == (2, 2)
    file = client.get(status["file_url"])
    document = docx.Document(io.BytesIO(b"".join(file.streaming_content)))
    assert [row.cells[1].text for row in document.tables[3].rows[1:]] == [
        "Довести взаимный товарооборот до 2 млрд долларов США",
        "Exchange hydrological data",
    ]
