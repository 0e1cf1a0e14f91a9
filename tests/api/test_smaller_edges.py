"""Issue 26's smaller findings: the same text added by racing requests is the same source (200,
never 400 or 409); an empty filter value is a 400, not "no filter"; a number is not text; a
malformed body is a 400 whatever the If-Match; UTF-16 text with a byte-order mark is text."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commitments.models import Commitment, Source
from tests.support.factories import CommitmentFactory

pytestmark = pytest.mark.django_db

TEXT = "Kazakhstan and Kyrgyzstan agreed to open a new checkpoint at Karasu."


@pytest.fixture(autouse=True)
def no_analysis(settings):
    settings.INGESTION_ANALYSE_ON_SAVE = False


def _racing_request_stores_first(monkeypatch, validated: bool):
    """Another request stores the same text after this one looked for it: before its validation
    (`full_clean` refuses the duplicate hash: 400 before) or between its validation and its
    insert (the unique constraint refuses: 409 before)."""
    original = Source.full_clean
    stored = []

    def other_request_first(self, *args, **kwargs):
        stored.append(
            Source.objects.create(
                title="First",
                published_on="2025-01-01",
                language="en",
                text=self.text,
                content_hash=self.content_hash,
            )
        )
        if validated:
            original(self, *args, **kwargs)

    monkeypatch.setattr(Source, "full_clean", other_request_first)
    return stored


@pytest.mark.parametrize("where", ["full_clean", "save"])
def test_the_loser_of_a_race_to_add_the_same_text_gets_the_stored_source(api, monkeypatch, where):
    stored = _racing_request_stores_first(monkeypatch, where)
    response = api.post(
        "/api/v1/sources/", {"published_on": "2025-01-01", "text": TEXT}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["id"] == stored[0].pk
    assert response.json()["created"] is False
    assert Source.objects.count() == 1


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/suggestions/?kind=",
        "/api/v1/suggestions/?status=",
        "/api/v1/commitments/?updated_since=",
        "/api/v1/commitments/?status=",
    ],
)
def test_an_empty_filter_value_is_a_400_not_every_row(api, path):
    CommitmentFactory()
    response = api.get(path)
    assert response.status_code == 400, response.content
    name = path.split("?")[1].rstrip("=")
    assert list(response.json()["errors"]) == [name]


def test_a_number_is_not_a_sources_title(api):
    response = api.post(
        "/api/v1/sources/",
        {"published_on": "2025-01-01", "title": 0, "text": TEXT},
        format="json",
    )
    assert response.status_code == 400
    assert "title" in response.json()["errors"]
    assert not Source.objects.exists()


def test_a_malformed_body_with_an_empty_if_match_is_a_400(api, kz):
    commitment = CommitmentFactory()
    response = api.patch(
        f"/api/v1/commitments/{commitment.pk}/",
        {"title": ["not", "text"]},
        format="json",
        HTTP_IF_MATCH="",
    )
    assert response.status_code == 400, response.content
    assert "title" in response.json()["errors"]
    assert Commitment.objects.get().version == 1


def test_utf16_text_with_a_byte_order_mark_is_read_as_text(api):
    article = "Казахстан и Кыргызстан договорились открыть пункт пропуска."
    upload = SimpleUploadedFile("article.txt", article.encode("utf-16"))
    response = api.post(
        "/api/v1/sources/",
        {"published_on": "2025-01-01", "file": upload},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert Source.objects.get().text == article
