import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from commitments import access
from commitments.models import CountryMembership
from commitments.staff import SECRETARIAT_GROUP
from tests.support.admin import change_url
from tests.support.factories import CommitmentFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Kara-Balta-2025!"


def create_staff(*args, **kwargs):
    out = io.StringIO()
    call_command("create_country_staff", *args, "--no-input", stdout=out, **kwargs)
    return out.getvalue()


def test_creates_a_staff_user_of_the_country_with_the_secretariat_group(monkeypatch, kz, client):
    monkeypatch.setenv("STAFF_PASSWORD", PASSWORD)

    output = create_staff("--country", "kz", "--username", "aigerim", "--email", "a@gov.kz")

    user = get_user_model().objects.get(username="aigerim")
    assert user.is_staff and not user.is_superuser
    assert user.check_password(PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == [SECRETARIAT_GROUP]
    assert access.country_codes_of(user) == {"KZ"}
    assert "Created staff user aigerim" in output
    assert client.login(username="aigerim", password=PASSWORD)
    commitment = CommitmentFactory(owner_country=kz)
    assert client.get(change_url(commitment)).context["has_change_permission"] is True


def test_coordinator_flag_and_second_country_extend_an_existing_user(monkeypatch, kz, kg):
    monkeypatch.setenv("STAFF_PASSWORD", PASSWORD)
    create_staff("--country", "KZ", "--username", "aigerim")
    monkeypatch.delenv("STAFF_PASSWORD")

    create_staff("--country", "KG", "--username", "aigerim", "--coordinator")

    memberships = {
        m.country_id: m.is_coordinator
        for m in CountryMembership.objects.filter(user__username="aigerim")
    }
    assert memberships == {"KZ": False, "KG": True}
    assert get_user_model().objects.get(username="aigerim").check_password(PASSWORD)


def test_new_user_without_a_password_is_refused(monkeypatch, kz):
    monkeypatch.delenv("STAFF_PASSWORD", raising=False)

    with pytest.raises(CommandError, match="STAFF_PASSWORD"):
        create_staff("--country", "KZ", "--username", "nopass")

    assert not get_user_model().objects.filter(username="nopass").exists()


def test_password_is_not_accepted_on_the_command_line(kz):
    with pytest.raises(CommandError):
        create_staff("--country", "KZ", "--username", "x", "--password", PASSWORD)


def test_weak_password_is_refused(monkeypatch, kz):
    monkeypatch.setenv("STAFF_PASSWORD", "12345")

    with pytest.raises(CommandError, match="Password refused"):
        create_staff("--country", "KZ", "--username", "weak")

    assert not get_user_model().objects.filter(username="weak").exists()


def test_unknown_country_saves_nothing(monkeypatch, kz):
    monkeypatch.setenv("STAFF_PASSWORD", PASSWORD)

    with pytest.raises(CommandError, match=r"--country: Unknown country UZ; known countries: KZ"):
        create_staff("--country", "KZ", "--country", "UZ", "--username", "bakyt")

    assert not get_user_model().objects.filter(username="bakyt").exists()


def test_password_is_prompted_when_interactive(monkeypatch, kz):
    monkeypatch.delenv("STAFF_PASSWORD", raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": PASSWORD)

    call_command(
        "create_country_staff", "--country", "KZ", "--username", "prompted", stdout=io.StringIO()
    )

    assert get_user_model().objects.get(username="prompted").check_password(PASSWORD)
