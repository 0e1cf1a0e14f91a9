"""Suggestion kinds are declared once (`ingestion.kinds`): the model's choices, the admin's review
form, the API's accept body and `ingest_article` all follow the declaration, and the admin review
form decides through the services when it saves, showing their refusal on the form."""

import pytest
from django.utils.translation import gettext_lazy as _

from commitments.ingestion import kinds
from commitments.ingestion.admin import SuggestionAdmin, SuggestionForm
from commitments.ingestion.models import Suggestion
from commitments.ingestion.serializers import AcceptSerializer
from commitments.management.commands.ingest_article import suggestion_json
from commitments.models import Commitment, Evidence
from tests.support.admin import logged_in_staff
from tests.support.factories import SourceFactory

TREATY = kinds.SuggestionKind(
    name="treaty",
    label=_("Treaty"),
    fields=(
        kinds.PayloadField("signed_on", "date", _("signed on"), editable=True),
        kinds.PayloadField("parties", "list"),
        kinds.PayloadField("draft_note", printed=False),
    ),
    accept="commitments.ingestion.services.accept_evidence",
    needs_commitment=True,
)


@pytest.fixture
def with_treaty(monkeypatch):
    """The registry with one more kind, as a developer adding it would declare it."""
    monkeypatch.setattr(kinds, "KINDS", (*kinds.KINDS, TREATY))
    monkeypatch.setattr(kinds, "BY_NAME", {**kinds.BY_NAME, TREATY.name: TREATY})


def test_a_declared_kind_reaches_the_api_accept_body(with_treaty):
    body = AcceptSerializer(data={"signed_on": "2025-03-01", "quote": "Signed."})
    assert body.is_valid(), body.errors
    assert kinds.reviewer_changes(body.validated_data) == {
        "signed_on": "2025-03-01",
        "quote": "Signed.",
    }
    refused = AcceptSerializer(data={"signed_on": "in spring"})
    assert not refused.is_valid()
    assert list(refused.errors) == ["signed_on"]


def test_a_declared_kind_reaches_the_commands_json():
    suggestion = Suggestion(
        kind=TREATY.name,
        quote="The treaty was signed.",
        start=0,
        end=22,
        score=0.5,
        payload={"signed_on": "2025-03-01", "parties": ["KZ", "KG"], "draft_note": "x"},
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kinds, "BY_NAME", {**kinds.BY_NAME, TREATY.name: TREATY})
        row = suggestion_json(suggestion)
    assert (row["signed_on"], row["parties"]) == ("2025-03-01", ["KZ", "KG"])
    assert "draft_note" not in row


def test_the_review_form_and_the_api_offer_the_fields_the_registry_lets_reviewers_change():
    editable = list(kinds.editable_fields())
    assert editable == [
        "value",
        "unit",
        "period_start",
        "period_end",
        "title",
        "category",
        "countries",
        "target_amount",
        "target_unit",
        "target_date",
    ]
    offered = [name for name in SuggestionForm.base_fields if name in kinds.editable_fields()]
    assert offered == editable
    for name, field in kinds.editable_fields().items():
        assert type(SuggestionForm.base_fields[name]) is type(field.form_field())
    for kind in kinds.KINDS:
        shown = SuggestionAdmin(Suggestion, None).get_fields(None, Suggestion(kind=kind.name))
        own = [f.name for f in kind.fields if f.editable]
        assert shown[shown.index("quote") + 1 : shown.index("score")] == tuple(own)
    assert list(AcceptSerializer().fields) == ["commitment", "quote", *editable]


def test_the_models_choices_are_the_declared_kinds_each_with_its_accept_function():
    assert Suggestion.Kind.values == [kind.name for kind in kinds.KINDS]
    assert Suggestion.Kind.OBSERVATION.label == kinds.OBSERVATION.label
    assert all(callable(kind.accept_function) for kind in kinds.KINDS)


def test_the_command_prints_each_kinds_keys_as_before():
    assert {kind.name: kind.printed for kind in kinds.KINDS} == {
        "evidence": (),
        "observation": ("value", "unit", "period_start", "period_end", "conflicts_with"),
        "commitment": ("title", "category", "countries", "target_amount", "target_unit"),
        "meeting": ("meeting", "name", "held_on", "location"),
    }


RAILWAY = (
    "Kazakhstan and Kyrgyzstan agreed to build a new railway line between Balykchy and the "
    "Kazakh border by 2028."
)


@pytest.fixture
def proposed_railway(db):
    source = SourceFactory(text=RAILWAY, language="en")
    return Suggestion.objects.create(
        source=source,
        kind="commitment",
        quote=RAILWAY,
        start=0,
        end=len(RAILWAY),
        score=0.5,
        method="test",
        method_version="1",
        payload={"title": "Build a new railway line", "category": "other", "countries": ["KZ"]},
        fingerprint="railway",
    )


def test_a_refusal_when_the_admin_saves_is_shown_on_the_form_and_nothing_is_kept(
    client, proposed_railway
):
    logged_in_staff(client, "KZ", username="kz-staff")
    response = client.post(
        f"/admin/commitments/suggestion/{proposed_railway.pk}/change/",
        {"quote": "Kazakhstan and Kyrgyzstan agreed to build a road.", "decision": "accept"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["quote"]
    proposed_railway.refresh_from_db()
    assert (proposed_railway.status, proposed_railway.quote) == ("pending", RAILWAY)
    assert not Commitment.objects.exists() and not Evidence.objects.exists()


def test_a_rejection_without_a_reason_is_refused_by_the_form(client, proposed_railway):
    logged_in_staff(client, "KZ", username="kz-staff")
    response = client.post(
        f"/admin/commitments/suggestion/{proposed_railway.pk}/change/",
        {"quote": RAILWAY, "decision": "reject", "reason": "  "},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["reason"]
    proposed_railway.refresh_from_db()
    assert proposed_railway.status == "pending"


def test_the_admin_accepts_with_the_reviewers_category(client, proposed_railway):
    logged_in_staff(client, "KZ", username="kz-staff")
    response = client.post(
        f"/admin/commitments/suggestion/{proposed_railway.pk}/change/",
        {"quote": RAILWAY, "decision": "accept", "category": "border_transport"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    proposed_railway.refresh_from_db()
    assert proposed_railway.status == "accepted"
    assert proposed_railway.commitment.category == "border_transport"


SOLAR = "Стороны договорились создать совместное предприятие по выпуску солнечных панелей."


@pytest.fixture
def proposed_solar(db, kz, kg):
    source = SourceFactory(text=SOLAR, language="ru")
    return Suggestion.objects.create(
        source=source,
        kind="commitment",
        quote=SOLAR,
        start=0,
        end=len(SOLAR),
        score=0.5,
        method="test",
        method_version="1",
        payload={
            "title": "Создать совместное предприятие",
            "category": "industry",
            "countries": ["KZ", "KG"],
            "target_amount": "1200000000.00",
            "target_unit": "USD",
            "target_date": "2027-11-14",
        },
        fingerprint="solar",
    )


def review_page(client, suggestion):
    return client.get(
        f"/admin/commitments/suggestion/{suggestion.pk}/change/", HTTP_ACCEPT_LANGUAGE="ru"
    )


def test_the_review_form_shows_a_new_commitments_proposal_as_fields_formatted_in_russian(
    client, proposed_solar
):
    logged_in_staff(client, "KZ", username="kz-staff")
    response = review_page(client, proposed_solar)

    form = response.context["adminform"].form
    # Only this kind's fields, each a proper field: no figure's value or period here.
    assert {"value", "unit", "period_start", "period_end"}.isdisjoint(form.fields)
    assert form["countries"].value() == ["KZ", "KG"]
    html = response.text
    assert 'value="14.11.2027"' in html  # the date as Russian admin writes it
    assert "1,2 млрд долларов США" in html  # the amount as the pages write it
    assert 'type="checkbox" name="countries" value="KG"' in html
    assert "&quot;countries&quot;" not in html and '"countries":' not in html  # no JSON


@pytest.mark.parametrize(
    ("typed", "column", "other_columns"),
    [
        ("Совместное предприятие по выпуску панелей", "title_ru", ("title_kk", "title_ky")),
        ("Күн панельдерін шығаратын бірлескен кәсіпорын", "title_kk", ("title_ru", "title_ky")),
        ("A joint solar panel venture", "title_en", ("title_ru", "title_kk", "title_ky")),
    ],
)
def test_a_title_the_reviewer_types_is_stored_in_the_language_it_is_typed_in(
    client, proposed_solar, typed, column, other_columns
):
    logged_in_staff(client, "KZ", username="kz-staff")
    response = client.post(
        f"/admin/commitments/suggestion/{proposed_solar.pk}/change/",
        {
            "quote": SOLAR,
            "decision": "accept",
            "title": typed,
            "category": "industry",
            "countries": ["KZ"],
            "target_amount": "1500000000",
            "target_unit": "USD",
            "target_date": "31.12.2028",
        },
        HTTP_ACCEPT_LANGUAGE="ru",
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    made = Commitment.objects.get()
    assert getattr(made, column) == typed
    assert made.title_en == typed  # the required English column, until it is translated
    assert all(not getattr(made, other) for other in other_columns)
    assert [c.code for c in made.partner_countries.all()] == []
    assert (str(made.target_date), made.target_amount) == ("2028-12-31", 1500000000)


def test_the_evidence_kind_is_named_in_the_singular_in_each_language():
    # One suggestion is one piece of evidence; the column heads' "Evidence" is a plural there.
    from django.utils import translation

    from commitments.ingestion import kinds

    named = {}
    for code in ("ru", "kk", "ky"):
        with translation.override(code):
            named[code] = str(kinds.EVIDENCE.label)
    assert named == {"ru": "Подтверждение", "kk": "Растама", "ky": "Далил"}
