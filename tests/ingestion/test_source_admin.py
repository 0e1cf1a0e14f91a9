"""Adding a source in admin: the form validates, the ingestion service stores it on save."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commitments.models import Source
from tests.support.admin import logged_in_staff

pytestmark = pytest.mark.django_db

ADD = "/admin/commitments/source/add/"
ARTICLE = {
    "title": "Plant news",
    "published_on": "2025-11-20",
    "text": "Work at the Tash-Kumyr ferroalloy plant resumed after a pause of two months.",
}


def test_the_same_article_added_again_is_the_stored_source(client, settings):
    settings.INGESTION_ANALYSE_ON_SAVE = False
    logged_in_staff(client, "KG", username="kg-staff")
    first = client.post(ADD, ARTICLE)
    again = client.post(ADD, {**ARTICLE, "title": "Same text, another title"})
    source = Source.objects.get()
    assert first.status_code == again.status_code == 302
    assert source.title == "Plant news"


def test_a_file_and_pasted_text_together_are_refused_before_anything_is_stored(client):
    logged_in_staff(client, "KG", username="kg-staff")
    upload = SimpleUploadedFile("note.txt", b"Another text.")
    response = client.post(ADD, {**ARTICLE, "upload": upload})
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    assert not Source.objects.exists()
