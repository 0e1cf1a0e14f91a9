"""The digest email (both bodies, links, headers) and the signed unsubscribe / snooze page."""

import datetime as dt

import pytest
import time_machine
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from commitments.models import StaffProfile
from commitments.reminders import delivery, planning, preferences
from commitments.reminders.models import ReminderPreference
from tests.support.reminders import NOW, deliver, stale_commitment

pytestmark = pytest.mark.django_db


def send_digest_to(officer, *commitments):
    result = deliver(officer.pk, planning.period_key(NOW), [c.pk for c in commitments], now=NOW)
    assert result.outcome is delivery.Outcome.SENT
    (message,) = mail.outbox
    return message


def test_digest_has_count_status_age_and_edit_links_in_both_bodies(officer):
    a = stale_commitment(responsible=[officer], title="Raise trade to $2 billion")
    b = stale_commitment(
        responsible=[officer],
        title="Build <logistics> complex",
        status="in_progress",
        reviewed=NOW - dt.timedelta(days=45),
    )
    message = send_digest_to(officer, a, b)

    assert message.subject == "2 stale commitments need your review"
    assert message.to == ["aigerim@example.org"]
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    for body in (message.body, html):
        assert "Raise trade to $2 billion" in body
        assert "40 days ago" in body
        assert "45 days ago" in body
        assert "In progress" in body and "Announced" in body
        for commitment in (a, b):
            assert (
                f"https://tracker.example.org/admin/commitments/commitment/{commitment.pk}/change/"
                in body
            )
    assert "Build <logistics> complex" in message.body  # plain text is not HTML-escaped
    assert "Build &lt;logistics&gt; complex" in html  # HTML is


def test_subject_says_one_in_the_singular(officer):
    message = send_digest_to(officer, stale_commitment(responsible=[officer]))
    assert message.subject == "1 stale commitment needs your review"


def test_digest_carries_unsubscribe_link_and_one_click_headers(officer):
    message = send_digest_to(officer, stale_commitment(responsible=[officer]))
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<https://tracker.example.org/reminders/unsubscribe/")
    url = header.strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body and url in message.alternatives[0][0]
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert preferences.user_id_from_token(token) == officer.pk


def unsubscribe_path(user_id):
    return reverse(
        "reminders:unsubscribe", kwargs={"token": preferences.unsubscribe_token(user_id)}
    )


def test_token_round_trips_and_rejects_tampering(officer):
    token = preferences.unsubscribe_token(officer.pk)
    assert preferences.user_id_from_token(token) == officer.pk
    forged = signing.dumps({"u": officer.pk + 1}, salt="some-other-salt")
    _payload, rest = token.split(":", 1)
    swapped = signing.dumps({"u": officer.pk + 1}, salt=preferences.UNSUBSCRIBE_SALT).split(":")[0]
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (forged, f"{swapped}:{rest}", flipped, "garbage"):
        with pytest.raises(signing.BadSignature):
            preferences.user_id_from_token(bad)


def test_get_shows_a_confirmation_and_changes_nothing(client, officer):
    response = client.get(unsubscribe_path(officer.pk))
    assert response.status_code == 200
    assert b"aigerim@example.org" in response.content
    assert b'value="unsubscribe"' in response.content
    assert not ReminderPreference.objects.exists()


def test_post_unsubscribes_and_the_next_job_skips_the_user(client, officer):
    stale_commitment(responsible=[officer])
    response = client.post(unsubscribe_path(officer.pk), {"action": "unsubscribe"})
    assert response.status_code == 200
    assert b"you are unsubscribed" in response.content
    assert ReminderPreference.objects.get(user=officer).opted_out
    assert planning.plan_digests(NOW).digests == []


def test_rfc8058_one_click_post_unsubscribes_without_csrf_token(officer):
    client = Client(enforce_csrf_checks=True)
    response = client.post(unsubscribe_path(officer.pk), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert ReminderPreference.objects.get(user=officer).opted_out


def test_snooze_sets_a_date_and_resubscribe_clears_it(client, officer):
    path = unsubscribe_path(officer.pk)
    with time_machine.travel(NOW, tick=False):
        client.post(path, {"action": "snooze", "days": "7"})
    assert ReminderPreference.objects.get(user=officer).snoozed_until == dt.date(2026, 11, 29)
    client.post(path, {"action": "resubscribe"})
    preference = ReminderPreference.objects.get(user=officer)
    assert (preference.opted_out, preference.snoozed_until) == (False, None)


def test_snooze_for_an_unoffered_length_is_refused_and_saves_nothing(client, officer):
    response = client.post(unsubscribe_path(officer.pk), {"action": "snooze", "days": "9999"})
    assert response.status_code == 400
    assert b"days" in response.content
    assert not ReminderPreference.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_tampered_token_gets_a_400_page_and_changes_nothing(client, officer, method):
    token = preferences.unsubscribe_token(officer.pk)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    path = reverse("reminders:unsubscribe", kwargs={"token": tampered})
    response = getattr(client, method)(path, {"action": "unsubscribe"})
    assert response.status_code == 400
    assert b"not valid" in response.content
    assert not ReminderPreference.objects.exists()


def test_a_snooze_that_has_run_out_is_not_shown_as_current(client, officer):
    # Snoozed through 21 November; on the 22nd the digests come again, so the page must not
    # tell the recipient who follows the link in one that their reminders are snoozed.
    ReminderPreference.objects.create(user=officer, snoozed_until=dt.date(2026, 11, 21))
    with time_machine.travel(NOW, tick=False):
        ran_out = client.get(unsubscribe_path(officer.pk))
        ReminderPreference.objects.filter(user=officer).update(snoozed_until=NOW.date())
        current = client.get(unsubscribe_path(officer.pk))
    assert b"snoozed until" not in ran_out.content
    assert b"Reminders are snoozed until 22 November 2026." in current.content


def test_the_page_declares_the_language_it_is_written_in(client, officer):
    # The page follows the recipient's profile, not the browser: so must Content-Language.
    StaffProfile.objects.create(user=officer, language="kk")
    response = client.get(unsubscribe_path(officer.pk), HTTP_ACCEPT_LANGUAGE="ru")
    assert '<html lang="kk">' in response.content.decode()
    assert response["Content-Language"] == "kk"
