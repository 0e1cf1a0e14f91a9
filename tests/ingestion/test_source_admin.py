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


PAGE = """<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8"><title>Новости</title>
<script>window.analytics = {};</script></head>
<body><nav><a href="/">Главная</a> <a href="/news">Новости</a></nav>
<article><h1>Завод в Таш-Кумыре возобновил работу</h1>
<p>Работа на Таш-Кумырском заводе ферросплавов возобновилась после двухмесячного перерыва.</p>
<p>Стороны договорились удвоить выпуск продукции к 2027 году, сообщили в министерстве.</p>
</article><footer>© Агентство</footer></body></html>"""


def test_a_web_pages_html_pasted_as_text_is_stored_as_its_article_not_its_markup(client, settings):
    settings.INGESTION_ANALYSE_ON_SAVE = False
    logged_in_staff(client, "KG", username="kg-staff")

    response = client.post(ADD, {**ARTICLE, "text": PAGE})

    assert response.status_code == 302
    text = Source.objects.get().text
    assert "Работа на Таш-Кумырском заводе ферросплавов возобновилась" in text
    assert "<" not in text and "analytics" not in text
    assert Source.objects.get().language == "ru"


def test_text_that_only_mentions_a_tag_is_kept_as_pasted(client, settings):
    settings.INGESTION_ANALYSE_ON_SAVE = False
    logged_in_staff(client, "KG", username="kg-staff")
    text = "The portal shows <b>bold</b> figures: trade grew by 13% in January–July."
    client.post(ADD, {**ARTICLE, "text": text})
    assert Source.objects.get().text == text
