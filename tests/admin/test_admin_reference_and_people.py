import pytest
from django.urls import reverse
from django.utils import timezone

from commitments.models import CountryMembership, Source
from commitments.reminders.models import Reminder, ReminderPreference
from tests.support.admin import change_form_data, staff_user
from tests.support.factories import CommitmentFactory, EvidenceFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    return client


def test_source_text_is_read_only_and_citing_evidence_is_listed(superuser_client):
    source = SourceFactory(title="Kabar, 5 Dec")
    EvidenceFactory(source=source, commitment=CommitmentFactory(title="Logistics complex"))
    url = reverse("admin:commitments_source_change", args=[source.pk])

    response = superuser_client.get(url)

    assert response.status_code == 200
    assert "text" not in response.context["adminform"].form.fields
    assert "Logistics complex" in response.text
    assert "agreed to build a trade and logistics complex" in response.text
    data = change_form_data(response, text="Something else entirely.")
    superuser_client.post(url, data)
    assert Source.objects.get(pk=source.pk).text == SourceFactory._meta.declarations["text"]


def test_staff_may_view_sources_and_countries_but_not_change_them(client, kz):
    client.force_login(staff_user("KZ"))
    source = SourceFactory()

    assert client.get(reverse("admin:commitments_source_changelist")).status_code == 200
    assert client.get(reverse("admin:commitments_country_changelist")).status_code == 200
    url = reverse("admin:commitments_source_change", args=[source.pk])
    assert client.post(url, {"title": "x"}).status_code == 403


def test_reminders_are_listed_read_only_with_their_commitment_count(superuser_client):
    officer = UserFactory(username="responsible")
    reminder = Reminder.objects.create(
        recipient=officer,
        period="2025-06-01",
        delivery_status=Reminder.DeliveryStatus.FAILED,
        attempts=3,
        last_error="SMTP 451 try later",
    )
    reminder.commitments.set([CommitmentFactory(), CommitmentFactory()])

    listing = superuser_client.get(
        reverse("admin:commitments_reminder_changelist"), {"delivery_status__exact": "failed"}
    )
    change = superuser_client.post(
        reverse("admin:commitments_reminder_change", args=[reminder.pk]),
        {"attempts": "0", "delivery_status": "sent"},
    )

    assert listing.status_code == 200
    row = listing.context["cl"].result_list[0]
    assert (row.commitment_total, row.attempts) == (2, 3)
    assert "SMTP 451 try later" in listing.text
    assert change.status_code == 403
    assert superuser_client.get(reverse("admin:commitments_reminder_add")).status_code == 403
    reminder.refresh_from_db()
    assert (reminder.delivery_status, reminder.attempts) == ("failed", 3)


def test_superuser_puts_staff_in_countries_on_the_user_page(superuser_client, kz, kg):
    officer = UserFactory(username="bakyt")
    url = reverse("admin:auth_user_change", args=[officer.pk])
    data = change_form_data(superuser_client.get(url))
    data.update(
        {
            "country_memberships-TOTAL_FORMS": "1",
            "country_memberships-0-country": "KG",
            "country_memberships-0-is_coordinator": "on",
            "reminder_preference-TOTAL_FORMS": "1",
            "reminder_preference-0-opted_out": "on",
            "reminder_preference-0-snoozed_until": str(timezone.localdate()),
        }
    )

    response = superuser_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    membership = CountryMembership.objects.get(user=officer)
    assert (membership.country_id, membership.is_coordinator) == ("KG", True)
    preference = ReminderPreference.objects.get(user=officer)
    assert preference.opted_out and preference.snoozed_until == timezone.localdate()
