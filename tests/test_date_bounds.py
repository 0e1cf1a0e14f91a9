"""Every date the record holds lies in a sane range, a target date does not come before the
announcement and a source is not published in the future: the admin, the API and an import each
refuse such a date with a clear message and save nothing."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from commitments.models import Commitment, Source
from tests.support.admin import change_form_data, change_url, logged_in_staff, open_change_page
from tests.support.api import client_for
from tests.support.factories import CommitmentFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 4, 12, tzinfo=dt.UTC)
RANGE_RU = "Укажите дату с 01.01.1991 по 31.12.2100."


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1990-12-31", "2101-01-01"])
def test_api_refuses_a_target_date_out_of_range_in_the_readers_language(kz_officer, day):
    commitment = CommitmentFactory(target_date=dt.date(2027, 1, 1))
    response = client_for(kz_officer).patch(
        f"/api/v1/commitments/{commitment.pk}/",
        {"target_date": day},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 400, response.content
    assert RANGE_RU in response.content.decode()
    commitment.refresh_from_db()
    assert (commitment.target_date, commitment.version) == (dt.date(2027, 1, 1), 1)


def test_api_accepts_the_ends_of_the_range(kz_officer):
    commitment = CommitmentFactory()
    client = client_for(kz_officer)
    url = f"/api/v1/commitments/{commitment.pk}/"
    assert client.patch(url, {"target_date": "2100-12-31"}, format="json").status_code == 200
    assert client.patch(url, {"announced_on": "1991-01-01"}, format="json").status_code == 200


def test_a_target_date_before_the_announcement_is_refused(kz_officer):
    commitment = CommitmentFactory(announced_on=dt.date(2024, 12, 5))
    response = client_for(kz_officer).patch(
        f"/api/v1/commitments/{commitment.pk}/",
        {"target_date": "2024-12-04"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 400, response.content
    assert (
        "Срок исполнения не может быть раньше дня объявления обязательства (05.12.2024)."
        in response.content.decode()
    )
    assert Commitment.objects.get().target_date is None


def test_admin_refuses_a_year_one_target_date_next_to_the_field(client, kz):
    logged_in_staff(client, "KZ")
    commitment = CommitmentFactory()
    data = change_form_data(open_change_page(client, commitment), target_date="0001-01-01")
    response = client.post(change_url(commitment), data, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["target_date"] == [RANGE_RU]
    commitment.refresh_from_db()
    assert commitment.target_date is None


@time_machine.travel(NOW, tick=False)
def test_api_refuses_a_source_published_in_the_future(kz_officer):
    response = client_for(kz_officer).post(
        "/api/v1/sources/",
        {"published_on": "2026-12-06", "text": "The parties agreed to open a checkpoint."},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 400, response.content
    body = response.content.decode()
    assert "Источник не может быть опубликован в будущем: сегодня 04.12.2026." in body
    assert not Source.objects.exists()


@time_machine.travel(dt.datetime(2026, 12, 4, 18, 30, tzinfo=dt.UTC), tick=False)
def test_a_source_dated_today_in_bishkek_is_accepted_before_midnight_in_astana(kz_officer):
    # 23:30 in Astana (UTC+5) is 00:30 on 5 December in Bishkek (UTC+6).
    response = client_for(kz_officer).post(
        "/api/v1/sources/",
        {"published_on": "2026-12-05", "text": "The parties agreed to open a checkpoint."},
        format="json",
    )
    assert response.status_code == 201, response.content


@time_machine.travel(NOW, tick=False)
def test_admin_refuses_a_source_published_in_the_future(client, settings):
    settings.INGESTION_ANALYSE_ON_SAVE = False
    logged_in_staff(client, "KG")
    response = client.post(
        "/admin/commitments/source/add/",
        {"title": "Новости", "published_on": "2027-01-01", "text": "Стороны договорились."},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["published_on"] == [
        "Источник не может быть опубликован в будущем: сегодня 04.12.2026."
    ]
    assert not Source.objects.exists()


def test_an_import_refuses_a_source_from_the_year_9999(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("The parties agreed to open a checkpoint.", encoding="utf-8")
    with pytest.raises(CommandError, match=r"Give a date from 1 Jan 1991 to 31 Dec 2100\."):
        call_command("ingest_article", str(article), "--published-on", "9999-12-31",
                     stdout=StringIO())  # fmt: skip
    assert not Source.objects.exists()
