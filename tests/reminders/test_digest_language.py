"""Issue 25, item 9: a reminder digest is written in the language the officer works in: the one
they chose, else the one they last used in the admin, else their country's; and it says where
to change it."""

import pytest
from django.core import mail
from django.utils import translation

from commitments.models import StaffProfile
from commitments.reminders import delivery, planning
from tests.support.factories import UserFactory
from tests.support.reminders import NOW, deliver, stale_commitment

pytestmark = pytest.mark.django_db

PROFILE = "https://tracker.example.org/admin/commitments/staffprofile/"


def digest_for(user):
    with translation.override("en"):  # the record is written in English, as staff write it
        commitment = stale_commitment(responsible=[user])
    result = deliver(user.pk, planning.period_key(NOW), [commitment.pk], now=NOW)
    assert result.outcome is delivery.Outcome.SENT
    (message,) = mail.outbox
    return message


def test_the_digest_follows_the_language_last_used_in_the_admin(client, kz):
    officer = UserFactory(username="aigerim", email="aigerim@example.org", countries=["KZ"])
    client.force_login(officer)
    assert client.get("/admin/", HTTP_ACCEPT_LANGUAGE="ru").status_code == 200
    assert StaffProfile.objects.get(user=officer).admin_language == "ru"

    message = digest_for(officer)

    assert message.subject == "1 обязательство требует вашей проверки"
    assert message.extra_headers["Content-Language"] == "ru"
    assert f"выберите его в своём профиле: {PROFILE}" in message.body
    assert f'href="{PROFILE}"' in message.alternatives[0][0]


def test_a_later_visit_in_another_language_is_followed(client, kz):
    officer = UserFactory(username="aigerim", email="aigerim@example.org", countries=["KZ"])
    client.force_login(officer)
    client.get("/admin/", HTTP_ACCEPT_LANGUAGE="ru")
    client.get("/admin/", HTTP_ACCEPT_LANGUAGE="kk")
    assert digest_for(officer).extra_headers["Content-Language"] == "kk"


def test_without_a_visit_the_digest_is_in_the_countrys_language(kg):
    officer = UserFactory(username="bakyt", email="bakyt@example.org", countries=["KG"])
    assert digest_for(officer).extra_headers["Content-Language"] == "ky"


def test_a_chosen_language_wins_over_the_admins(client, kz):
    officer = UserFactory(username="aigerim", email="aigerim@example.org", countries=["KZ"])
    StaffProfile.objects.create(user=officer, language="kk")
    client.force_login(officer)
    client.get("/admin/", HTTP_ACCEPT_LANGUAGE="ru")
    assert digest_for(officer).extra_headers["Content-Language"] == "kk"
