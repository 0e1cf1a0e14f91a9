"""Issue 25, item 8: numbers as a Russian reader writes them: three significant figures for a
scaled amount, a decimal comma in a file size, the digest's period as a date."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from commitments.formatting import format_amount
from commitments.ingestion.extraction import text_from_file
from commitments.models import StaffProfile
from commitments.reminders import delivery, planning
from tests.support.factories import UserFactory
from tests.support.reminders import NOW, deliver, stale_commitment


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("199863000", "200 млн долларов США"),
        ("216716000", "217 млн долларов США"),
        ("1340000000", "1,34 млрд долларов США"),
        ("12345000", "12,3 млн долларов США"),
        ("2000000000", "2 млрд долларов США"),
    ],
)
def test_a_scaled_amount_keeps_three_significant_figures(value, expected):
    with translation.override("ru"):
        assert format_amount(Decimal(value), "USD") == expected


def test_the_upload_limit_is_written_with_a_decimal_comma_in_russian(settings):
    settings.INGESTION_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
    with translation.override("ru"), pytest.raises(ValidationError) as caught:
        text_from_file("big.txt", b"x" * (5 * 1024 * 1024 + 1))
    with translation.override("ru"):
        assert caught.value.messages == ["Размер файла превышает допустимый (не более 5,0 МБ)."]


@pytest.mark.django_db
def test_the_digest_footer_names_its_day_in_the_readers_language(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.REMINDER_TIMEZONE = "Asia/Almaty"
    settings.REMINDER_PERIOD_DAYS = 1
    officer = UserFactory(username="aigerim", email="aigerim@example.org")
    StaffProfile.objects.create(user=officer, language="ru")
    commitment = stale_commitment(responsible=[officer])
    result = deliver(officer.pk, planning.period_key(NOW), [commitment.pk], now=NOW)
    assert result.outcome is delivery.Outcome.SENT
    (message,) = mail.outbox
    assert "Сводка напоминаний за 22 ноября 2026 г." in message.body
    assert "2026-11-22" not in message.body
    html = message.alternatives[0][0]
    assert "Сводка напоминаний за 22 ноября 2026 г." in html


def test_a_weekly_period_is_named_by_its_first_and_last_days():
    from commitments.reminders.email import period_words

    with translation.override("ru"):
        assert period_words("2026-11-16/P7D") == "16.11.2026 — 22.11.2026"
