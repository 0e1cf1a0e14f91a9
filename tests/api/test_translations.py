"""The API in several languages: `title` and `description` in the requested language (English
where it has none, listed in `untranslated`), every language's text with `translations=all`,
and writes per language (`title_ru`), with the bare `title` meaning English."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from commitments.models import Commitment
from tests.support.api import LIST_QUERIES
from tests.support.factories import CommitmentFactory, EvidenceFactory

LIST = "/api/v1/commitments/"


def get(api, path, params=None, language="ru"):
    # Accept-Language for LocaleMiddleware; the override where no middleware reads it.
    with translation.override(language):
        return api.get(path, params or {}, HTTP_ACCEPT_LANGUAGE=language)


def stored(commitment: Commitment, *names: str) -> tuple:
    """The fields `names` of `commitment` as the database has them now."""
    return Commitment.objects.values_list(*names).get(pk=commitment.pk)


@pytest.fixture
def corridor(kz):
    return CommitmentFactory(
        title="Transport corridor",
        title_ru="Транспортный коридор",
        title_kk="Көлік дәлізі",
        description="A corridor.",
    )


def test_list_and_detail_answer_in_the_requested_language_with_english_fallback(api, corridor):
    listed = get(api, LIST).json()["results"][0]
    detail = get(api, f"{LIST}{corridor.pk}/").json()

    for row in (listed, detail):
        assert row["title"] == "Транспортный коридор"
        assert row["description"] == "A corridor."  # no Russian description yet
        assert row["untranslated"] == ["description"]
        assert row["translations"] is None
    assert listed == {key: value for key, value in detail.items() if key in listed}

    english = get(api, LIST, language="en").json()["results"][0]
    assert (english["title"], english["untranslated"]) == ("Transport corridor", [])


def test_translations_all_gives_every_language(api, corridor):
    for path in (LIST, f"{LIST}{corridor.pk}/"):
        response = get(api, path, {"translations": "all"})
        body = response.json()
        row = body["results"][0] if "results" in body else body
        assert row["translations"] == {
            "en": {"title": "Transport corridor", "description": "A corridor."},
            "ru": {"title": "Транспортный коридор", "description": ""},
            "kk": {"title": "Көлік дәлізі", "description": ""},
            "ky": {"title": "", "description": ""},
        }
        assert row["title"] == "Транспортный коридор"


def test_an_unknown_translations_value_is_a_400_naming_it(api, corridor):
    for path in (LIST, f"{LIST}{corridor.pk}/"):
        response = get(api, path, {"translations": "some"})
        assert response.status_code == 400
        assert "translations" in response.json()["detail"]


def test_every_language_costs_no_more_queries(api, kz, kg):
    for _ in range(5):
        EvidenceFactory(commitment=CommitmentFactory(partners=["KG"], title_ru="Проект"))
    for params in ({}, {"translations": "all"}):
        with CaptureQueriesContext(connection) as queries:
            assert get(api, LIST, params).status_code == 200
        assert len(queries) == LIST_QUERIES


def test_writes_take_each_language_and_title_stays_english(api, corridor):
    url = f"{LIST}{corridor.pk}/"
    with translation.override("ru"):
        response = api.patch(
            url,
            {"title": "Economic corridor", "description_ru": "Коридор."},
            format="json",
            HTTP_ACCEPT_LANGUAGE="ru",
        )
    assert response.status_code == 200, response.content
    assert stored(corridor, "title_en", "title_ru", "description_ru") == (
        "Economic corridor",
        "Транспортный коридор",
        "Коридор.",
    )
    assert response.json()["description"] == "Коридор."


def test_a_put_that_knows_nothing_of_translations_keeps_them(api, corridor):
    body = {"title": "Replaced", "owner_country": "KZ", "category": "trade"}
    response = api.put(f"{LIST}{corridor.pk}/", body, format="json")
    assert response.status_code == 200, response.content
    assert stored(corridor, "title_en", "title_ru", "description_en") == (
        "Replaced",
        "Транспортный коридор",
        "",
    )


def test_an_over_long_translation_is_a_400_naming_its_field(api, corridor):
    response = api.patch(f"{LIST}{corridor.pk}/", {"title_ky": "ы" * 301}, format="json")
    assert response.status_code == 400
    assert "title_ky" in response.json()["detail"]
    assert stored(corridor, "title_ky") in ((None,), ("",))


def test_the_api_searches_russian_titles(api, corridor):
    CommitmentFactory(title="Solar plants", title_ru="Солнечные электростанции")
    rows = get(api, LIST, {"search": "Транспортный"}).json()["results"]
    assert [row["id"] for row in rows] == [corridor.pk]
