"""An article's text is bounded in characters and a PDF in pages, and a file is read in a process
with hard limits: past any of them the API answers a 413 problem and the admin a form error, and
nothing is stored. (The bombs against the production server: test_bombs_on_production.)"""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commitments.models import Source
from tests.support import bombs
from tests.support.admin import logged_in_staff
from tests.support.api import client_for
from tests.support.factories import CountryFactory, UserFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/commitments/source/add/"
SENTENCE = b"BT /F1 12 Tf 72 720 Td (Kazakhstan and Kyrgyzstan agreed to build a road.) Tj ET\n"


@pytest.fixture(autouse=True)
def no_analysis(settings):
    settings.INGESTION_ANALYSE_ON_SAVE = False


@pytest.fixture
def api():
    CountryFactory(code="KZ")
    return client_for(UserFactory(countries=["KZ"]))


def upload(api, name, data):
    return api.post(
        "/api/v1/sources/",
        {"published_on": "2025-01-01", "file": SimpleUploadedFile(name, data)},
        format="multipart",
    )


def assert_too_large(response):
    assert response.status_code == 413, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:tracker:problem:too-large"
    assert not Source.objects.exists()


def test_a_pdf_is_read_into_its_text(api):
    response = upload(api, "road.pdf", bombs.pdf([0], {0: bombs._deflate(SENTENCE, len(SENTENCE))}))
    assert response.status_code == 201, response.content
    assert Source.objects.get().text == "Kazakhstan and Kyrgyzstan agreed to build a road."


def test_pasted_text_past_the_character_limit_is_a_413(api, settings):
    settings.INGESTION_MAX_TEXT_CHARS = 10_000
    assert_too_large(
        api.post(
            "/api/v1/sources/",
            {"published_on": "2025-01-01", "text": bombs.repeated_announcement(10_001)},
            format="json",
        )
    )


def test_a_pdf_whose_pages_share_a_long_stream_is_refused_past_the_character_limit(api, settings):
    settings.INGESTION_MAX_TEXT_CHARS = 10_000
    # 3 pages of some 4,500 characters each, from one 20 KB stream drawn on each page.
    assert_too_large(upload(api, "long.pdf", bombs.shared_stream_pdf(3, 100 * len(SENTENCE))))


def test_a_pdf_past_the_page_limit_is_a_413(api, settings):
    settings.INGESTION_MAX_PDF_PAGES = 5
    assert_too_large(upload(api, "pages.pdf", bombs.shared_stream_pdf(6, len(SENTENCE))))


@pytest.mark.parametrize(
    "bomb", [bombs.huge_stream_pdf, bombs.many_operators_pdf], ids=["300 MB stream", "operators"]
)
def test_a_pdf_bomb_is_a_413_problem_not_a_500(api, bomb):
    assert_too_large(upload(api, "bomb.pdf", bomb()))


def test_a_pdf_bomb_in_admin_is_a_form_error(client):
    logged_in_staff(client, "KZ", username="kz-staff")
    data = {"title": "Bomb", "published_on": "2025-01-01"}
    bomb = SimpleUploadedFile("bomb.pdf", bombs.many_operators_pdf())
    response = client.post(ADD, {**data, "upload": bomb})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_text()
    assert "could not be read within the time and memory allowed" in errors
    assert not Source.objects.exists()


def test_a_sandbox_past_its_time_is_killed_and_refused(api, settings):
    """The wall clock: a file that takes longer than allowed answers 413 after that long."""
    settings.INGESTION_EXTRACTION_SECONDS = 1
    settings.INGESTION_MAX_STREAM_BYTES = 200 * 1024 * 1024
    settings.INGESTION_MAX_TEXT_CHARS = 100_000_000
    started = time.monotonic()
    assert_too_large(upload(api, "slow.pdf", bombs.shared_stream_pdf(3, 30 * 1024 * 1024)))
    assert time.monotonic() - started < 5
