"""A commitment's fields are declared once, in `commitments.fields`; every other list follows it.

A model field added without a declaration, or a list that stops following the declaration, fails
here rather than silently leaving the field out of the API, the admin form or the CSV export.
"""

import csv
import io

import pytest
from django.contrib.admin.utils import flatten_fieldsets
from django.db import models as django_models
from django.urls import reverse

from commitments import fields, selectors, services
from commitments.admin import actions
from commitments.api import rows, writes
from commitments.events.models import Event
from commitments.models import Commitment
from tests.support.admin import add_url, change_url, logged_in_staff
from tests.support.api import client_for
from tests.support.factories import CommitmentFactory, EvidenceFactory, UserFactory

MODEL_FIELDS = [f.name for f in (*Commitment._meta.fields, *Commitment._meta.many_to_many)]


def test_every_model_field_of_a_commitment_is_declared_once():
    declared = [f.name for f in fields.FIELDS]
    assert len(set(declared)) == len(declared)
    # A translated field's language columns are the model's too, and come from its declaration.
    assert sorted(fields.COLUMNS) == sorted(MODEL_FIELDS)
    assert {"title_en", "title_ru", "title_kk", "title_ky", "description_ru"} <= set(MODEL_FIELDS)


def test_a_translated_field_is_edited_and_exported_per_language_never_by_its_bare_name():
    # The bare name writes whichever language is active: the services take it as English only.
    for name in fields.TRANSLATED:
        columns = [f"{name}_{code}" for code in ("en", "ru", "kk", "ky")]
        assert name not in fields.EDITABLE
        assert set(columns) <= set(fields.EDITABLE)
        assert fields.SOURCE_ALIASES[name] == f"{name}_en"
        assert set(columns[1:]) <= set(fields.TRANSLATIONS)
    assert [c for c in fields.CSV if c.startswith("title")] == [
        "title_en",
        "title_ru",
        "title_kk",
        "title_ky",
    ]


def test_every_declared_field_is_shown_edited_or_kept_for_the_record():
    # A field nobody may edit and nothing shows would be invisible everywhere.
    for field in fields.FIELDS:
        assert field.editable or field.api or field.csv or field.admin_record, field.name
        if field.admin_beside:
            assert field.editable and field.admin_beside in fields.EDITABLE, field.name


def test_the_services_accept_exactly_the_editable_fields():
    editable = tuple(c for f in fields.FIELDS if f.editable for c in f.columns)
    assert editable == services.EDITABLE_FIELDS
    assert {
        name for name in fields.EDITABLE if Commitment._meta.get_field(name).many_to_many
    } == services.EDITABLE_RELATIONS


def test_the_api_list_reads_the_column_of_every_field_it_shows_in_the_language_asked():
    plain = {
        Commitment._meta.get_field(name).attname
        for name in fields.API
        if name not in fields.TRANSLATED and not Commitment._meta.get_field(name).many_to_many
    }
    # The language's column and the English one, from which the list picks once per row.
    in_russian = {"title_ru", "title_en", "description_ru", "description_en"}
    assert set(fields.api_columns("ru")) == plain | in_russian
    assert set(selectors.API_COMMITMENT_COLUMNS) == plain | {"title_en", "description_en"}
    every = set(fields.api_columns("ru", every_language=True))
    languages = ("en", "ru", "kk", "ky")
    assert every == plain | {f"{n}_{c}" for n in fields.TRANSLATED for c in languages}


@pytest.mark.django_db
def test_the_api_shows_and_documents_exactly_the_declared_fields_and_its_own_keys(kz, kg):
    commitment = CommitmentFactory(target_amount=5, target_unit="USD")
    EvidenceFactory(commitment=commitment)
    api = client_for(UserFactory(username="reader"))

    listed = api.get("/api/v1/commitments/").json()["results"][0]
    detail = api.get(f"/api/v1/commitments/{commitment.pk}/").json()
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    documented = list(components["Commitment"]["properties"])
    documented_in_list = list(components["CommitmentListItem"]["properties"])

    assert list(detail) == documented == list(rows.COMMITMENT_KEYS)
    assert list(listed) == documented_in_list == list(rows.COMMITMENT_LIST_KEYS)
    # The list leaves out only the parties' accounts, whose summaries it shows.
    assert [key for key in detail if key not in listed] == [
        key for key in rows.COMMITMENT_KEYS if key in rows.DETAIL_ONLY
    ]
    assert set(fields.API) <= set(listed)
    assert listed == {key: value for key, value in detail.items() if key in listed}


@pytest.mark.django_db
def test_the_admin_form_offers_every_editable_field_and_shows_the_record(client, kz, kg):
    logged_in_staff(client, "KZ")
    commitment = CommitmentFactory()

    add = client.get(add_url())
    change = client.get(change_url(commitment))

    for response in (add, change):
        shown = flatten_fieldsets(response.context["adminform"].fieldsets)
        assert set(fields.EDITABLE) <= set(shown)
        form_fields = response.context["adminform"].form.fields
        assert set(fields.EDITABLE) <= set(form_fields)
    change_shown = flatten_fieldsets(change.context["adminform"].fieldsets)
    assert set(fields.ADMIN_RECORD) <= set(change_shown)


@pytest.mark.django_db
def test_the_csv_export_has_a_column_for_every_declared_csv_field(client, kz, kg):
    logged_in_staff(client, "KZ")
    commitment = CommitmentFactory(partners=["KG"])

    response = client.post(
        reverse("admin:commitments_commitment_changelist"),
        {"action": "export_csv", "_selected_action": [commitment.pk]},
    )
    body = b"".join(response.streaming_content).decode()
    header = next(csv.reader(io.StringIO(body)))

    assert header == list(actions.CSV_HEADER)
    assert header[: len(fields.CSV)] == list(fields.CSV)


def test_the_api_writes_take_exactly_the_editable_fields_it_shows():
    # Read from the serializers as the schema and clients see them, not from the registry's lists:
    # an editable field the API shows but cannot write, or a write field no model field backs,
    # fails here.
    own = {"status", "note"} | {"target_date_reason", "target_date_source"}
    for serializer in (
        writes.CommitmentCreateSerializer,
        writes.CommitmentUpdateSerializer,
    ):
        writable = {n for n, f in serializer().fields.items() if not f.read_only} - own
        editable_shown = {f.name for f in fields.FIELDS if f.editable and f.api}
        assert writable == editable_shown | set(fields.TRANSLATIONS), serializer.__name__
        for name in writable:
            assert Commitment._meta.get_field(name)


def test_a_write_may_leave_out_exactly_the_fields_the_model_lets_be_empty():
    declared = writes.CommitmentCreateSerializer().fields
    for name in fields.API_WRITABLE:
        model_field = Commitment._meta.get_field(name)
        optional = model_field.blank or name == "slug"
        assert declared[name].required is not optional, name
        if model_field.blank:
            assert name in fields.empty_values(), name


@pytest.mark.django_db
def test_create_stores_every_optional_field_left_out_empty_and_put_resets_it(kz, kg):
    api = client_for(UserFactory(username="kz-writer", countries=["KZ"]))
    full = {
        "title": "Build a bridge",
        "description": "Over the river.",
        "owner_country": "KZ",
        "partner_countries": ["KG"],
        "category": "infrastructure",
        "target_date": "2030-12-31",
        "target_amount": "5.00",
        "target_unit": "USD",
        "announced_on": "2025-01-10",
        "notes": "Internal.",
        "instrument_type": "agreement",
    }
    declared = writes.CommitmentCreateSerializer().fields
    required = {n: full[n] for n in fields.API_WRITABLE if declared[n].required}
    assert set(required) == {"title", "owner_country", "category"}

    def stored(commitment, name):
        value = getattr(commitment, name)
        return list(value.all()) if Commitment._meta.get_field(name).many_to_many else value

    created = api.post("/api/v1/commitments/", required, format="json")
    assert created.status_code == 201, created.json()
    commitment = Commitment.objects.get(pk=created.json()["id"])
    for name, empty in fields.empty_values().items():
        assert stored(commitment, name) == empty, name

    url = f"/api/v1/commitments/{commitment.pk}/"
    assert api.put(url, full, format="json").status_code == 200
    # Clearing a set target date needs a reason, as any move of it does.
    replaced = api.put(url, {**required, "target_date_reason": "Dropped."}, format="json")
    assert replaced.status_code == 200, replaced.json()
    commitment.refresh_from_db()
    for name, empty in fields.empty_values().items():
        assert stored(commitment, name) == empty, name


def _another_value(name: str, current):
    """A valid value different from `current` for the API write of model field `name`."""
    field = Commitment._meta.get_field(name)
    if field.is_relation:
        return ["KZ"] if field.many_to_many else ("KG" if current == "KZ" else "KZ")
    if field.choices:
        return next(value for value, _label in field.choices if value and value != current)
    if isinstance(field, django_models.DateField):
        return "2031-06-30"
    if isinstance(field, django_models.DecimalField):
        return "7.00"
    if isinstance(field, django_models.SlugField):
        return "another-slug"
    return "Another text"


@pytest.mark.django_db
def test_a_change_to_any_writable_field_reaches_the_event_that_announces_it(kz, kg):
    # Staff of both countries, so the owner may be handed from one to the other.
    api = client_for(UserFactory(username="kz-kg-writer", countries=["KZ", "KG"]))
    commitment = CommitmentFactory(target_amount=5, target_unit="USD")
    url = f"/api/v1/commitments/{commitment.pk}/"
    for name in fields.API_WRITABLE:
        current = api.get(url).json()[name]
        body = {name: _another_value(name, current)}
        if name == "target_date":
            body["target_date_reason"] = "Moved by the council."
        changed = api.patch(url, body, format="json")
        assert changed.status_code == 200, (name, changed.json())
        event = Event.objects.filter(commitment_id=commitment.pk).latest("id")
        # A translated field's bare name is its English column, which the event names.
        assert fields.SOURCE_ALIASES.get(name, name) in event.data["changed_fields"], name
