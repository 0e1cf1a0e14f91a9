"""Issue 25, item 7: the admin's own messages agree with the gender of the model's name in
Russian ("Обязательство … успешно изменено", not "был изменен"), its history and inline buttons
need no gender ("Добавлено: подтверждение …", "Добавить ещё: Подтверждение"), and Kazakh says
"stale" as an officer would."""

import json

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.utils import translation

from commitments.admin_kit import agreeing_message
from tests.support.admin import change_form_data, change_url, logged_in_staff
from tests.support.factories import CommitmentFactory

pytestmark = pytest.mark.django_db


def test_a_changed_commitment_is_announced_in_the_neuter(client, kz):
    logged_in_staff(client, "KZ", username="kz-officer")
    commitment = CommitmentFactory(title="Build it")
    page = client.get(change_url(commitment), HTTP_ACCEPT_LANGUAGE="ru")
    add_texts = [
        json.loads(formset.inline_formset_data())["options"]["addText"]
        for formset in page.context["inline_admin_formsets"]
    ]
    assert "Добавить ещё: Подтверждение" in add_texts, add_texts
    data = change_form_data(page, title_en="Build it, corrected")
    response = client.post(change_url(commitment), data, HTTP_ACCEPT_LANGUAGE="ru", follow=True)
    texts = [str(m) for m in get_messages(response.wsgi_request)] or [
        str(m) for m in response.context["messages"]
    ]
    assert any(
        t.startswith("Обязательство «") and t.endswith("» успешно изменено.") for t in texts
    ), texts
    assert not any("был" in t for t in texts), texts


@pytest.mark.parametrize(
    ("model", "name", "expected"),
    [
        ("country", "страна", "Страна «Kazakhstan» успешно удалена."),
        ("commitment", "обязательство", "Обязательство «Build it» успешно удалено."),
    ],
)
def test_a_deleted_record_is_announced_agreeing_with_its_name(model, name, expected):
    with translation.override("ru"):
        django_said = translation.gettext("The %(name)s “%(obj)s” was deleted successfully.") % {
            "name": name,
            "obj": {"country": "Kazakhstan", "commitment": "Build it"}[model],
        }
        assert agreeing_message(model, name, django_said) == expected


def test_english_keeps_djangos_message():
    message = "The commitment “Build it” was changed successfully."
    with translation.override("en-gb"):
        assert agreeing_message("commitment", "commitment", message) == message


def test_history_says_what_was_added_without_a_gender(client, kz):
    with translation.override("ru"):
        entry = LogEntry(change_message='[{"added": {"name": "evidence", "object": "Kazinform"}}]')
        assert entry.get_change_message() == "Добавлено: подтверждение «Kazinform»."


def test_kazakh_says_stale_and_not_stale_as_an_officer_would():
    with translation.override("kk"):
        assert translation.gettext("Not stale") == "Жақында тексерілген"
        assert "өзекті" not in translation.gettext(" · stale, needs review")
