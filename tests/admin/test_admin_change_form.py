import datetime as dt

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.html import escape

from commitments import messages, rules, selectors, services
from commitments.actors import SystemActor
from commitments.events.models import Event
from commitments.models import (
    Commitment,
    Evidence,
    ProgressObservation,
    Review,
    StatusChange,
)
from commitments.rules import Status
from tests.support.admin import (
    add_form_data,
    add_inline_row,
    add_url,
    change_form_data,
    change_url,
    logged_in_staff,
    open_change_page,
)
from tests.support.factories import QUOTE, CommitmentFactory, EvidenceFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, kz):
    return logged_in_staff(client, "KZ", username="kz-officer")


def test_change_page_shows_current_status_and_offers_only_allowed_moves(client, officer):
    commitment = CommitmentFactory(status=Status.AGREED)

    response = open_change_page(client, commitment)

    form = response.context["adminform"].form
    assert "status" not in form.fields
    offered = [value for value, _ in form.fields["new_status"].choices if value]
    assert offered == ["in_progress", "stalled", "cancelled"]
    assert "allowed moves: in_progress, stalled, cancelled" in response.content.decode()


def test_allowed_move_writes_history_with_user_and_note(client, officer):
    commitment = CommitmentFactory(status=Status.ANNOUNCED, version=3)
    data = change_form_data(
        open_change_page(client, commitment),
        new_status="agreed",
        status_note="Signed at the council, 5 Dec.",
    )

    response = client.post(change_url(commitment), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    commitment.refresh_from_db()
    assert commitment.status == Status.AGREED
    assert commitment.version == 4
    change = StatusChange.objects.get(commitment=commitment)
    assert (change.old_status, change.new_status) == ("announced", "agreed")
    assert change.changed_by == officer
    assert change.note == "Signed at the council, 5 Dec."


def test_forbidden_move_names_allowed_moves_and_saves_nothing(client, officer):
    source = SourceFactory()
    commitment = CommitmentFactory(status=Status.ANNOUNCED, title="Old title")
    data = change_form_data(
        open_change_page(client, commitment),
        title_en="New title",
        new_status="completed",
        status_note="Done, apparently.",
    )
    add_inline_row(data, "evidence", source=source.pk, quote=QUOTE)

    response = client.post(change_url(commitment), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["new_status"]
    refusal = str(rules.transition_refusal("announced", "completed"))
    assert errors == [refusal]
    assert refusal in response.text
    commitment.refresh_from_db()
    assert (commitment.status, commitment.title, commitment.version) == (
        "announced",
        "Old title",
        1,
    )
    assert not StatusChange.objects.filter(commitment=commitment).exists()
    assert not Evidence.objects.filter(commitment=commitment).exists()


def test_final_status_refuses_any_move(client, officer):
    commitment = CommitmentFactory(status=Status.COMPLETED)
    data = change_form_data(
        open_change_page(client, commitment), new_status="in_progress", status_note="Reopen."
    )

    response = client.post(change_url(commitment), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["new_status"] == [
        str(rules.transition_refusal("completed", "in_progress"))
    ]
    assert Commitment.objects.get(pk=commitment.pk).status == Status.COMPLETED


def test_status_move_without_note_is_refused(client, officer):
    commitment = CommitmentFactory(status=Status.ANNOUNCED)
    data = change_form_data(open_change_page(client, commitment), new_status="agreed")

    response = client.post(change_url(commitment), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status_note"] == [messages.NOTE_REQUIRED]
    assert Commitment.objects.get(pk=commitment.pk).status == Status.ANNOUNCED


def test_status_cannot_be_posted_as_a_plain_field(client, officer):
    commitment = CommitmentFactory(status=Status.ANNOUNCED)
    data = change_form_data(open_change_page(client, commitment), status="completed")

    client.post(change_url(commitment), data)

    assert Commitment.objects.get(pk=commitment.pk).status == Status.ANNOUNCED


def test_descriptive_edit_bumps_version_without_touching_status(client, officer):
    commitment = CommitmentFactory(title="Old title")
    data = change_form_data(open_change_page(client, commitment), title_en="Build it, corrected")

    response = client.post(change_url(commitment), data)

    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.title, commitment.version) == ("Build it, corrected", 2)
    assert not StatusChange.objects.filter(commitment=commitment).exists()


def test_edit_of_an_outdated_page_is_refused(client, officer):
    commitment = CommitmentFactory(title="Old title")
    data = change_form_data(open_change_page(client, commitment), title_en="Mine")
    Commitment.objects.filter(pk=commitment.pk).update(title="Theirs", version=2)

    response = client.post(change_url(commitment), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["expected_version"] == [messages.STALE_FORM]
    assert escape(str(messages.STALE_FORM)) in response.text
    assert Commitment.objects.get(pk=commitment.pk).title == "Theirs"


def test_a_save_that_loses_a_race_after_validation_is_refused_with_nothing_saved(
    client, officer, monkeypatch
):
    commitment = CommitmentFactory(title="Old title", status=Status.ANNOUNCED)
    data = change_form_data(
        open_change_page(client, commitment),
        title_en="Mine",
        new_status=Status.AGREED,
        status_note="Signed.",
    )

    def someone_saved_first(**kwargs):
        raise services.VersionConflict(kwargs["commitment"].version + 1)

    monkeypatch.setattr(services, "commitment_change_status", someone_saved_first)
    response = client.post(change_url(commitment), data, follow=True)

    assert response.status_code == 200
    assert escape(str(messages.SAVED_MEANWHILE)) in response.text
    commitment.refresh_from_db()
    assert (commitment.title, commitment.status, commitment.version) == (
        "Old title",
        "announced",
        1,
    )


def test_new_evidence_is_added_and_resets_the_review_clock(client, officer):
    source = SourceFactory()
    with time_machine.travel(dt.datetime(2025, 1, 1, tzinfo=dt.UTC), tick=False):
        commitment = CommitmentFactory()
    with time_machine.travel(dt.datetime(2025, 3, 1, tzinfo=dt.UTC), tick=False):
        data = change_form_data(open_change_page(client, commitment))
        add_inline_row(
            data,
            "evidence",
            source=source.pk,
            quote=QUOTE,
            url="https://kabar.kg/news/1",
            observed_on="2025-02-27",
        )
        response = client.post(change_url(commitment), data)

    assert response.status_code == 302, response.context["errors"]
    evidence = Evidence.objects.get(commitment=commitment)
    assert (evidence.source, evidence.quote, evidence.added_by) == (source, QUOTE, officer)
    assert evidence.observed_on == dt.date(2025, 2, 27)
    commitment.refresh_from_db()
    assert commitment.last_reviewed_at == dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    assert commitment.version == 2


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (
            {"quote": "a quote that the article never printed"},
            "quote",
            messages.QUOTE_NOT_IN_SOURCE,
        ),
        (
            {"quote": "", "source": "", "url": "ftp://files.example.org/report.pdf"},
            "url",
            "Enter a valid URL.",
        ),
    ],
)
def test_bad_evidence_is_refused_and_nothing_saved(client, officer, row, field, message):
    source = SourceFactory()
    commitment = CommitmentFactory(status=Status.ANNOUNCED)
    data = change_form_data(
        open_change_page(client, commitment), new_status="agreed", status_note="Signed."
    )
    add_inline_row(data, "evidence", **{"source": source.pk, **row})

    response = client.post(change_url(commitment), data)

    assert response.status_code == 200
    evidence_formset = next(
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.prefix == "evidence"
    )
    assert message in evidence_formset.forms[-1].errors[field]
    commitment.refresh_from_db()
    assert (commitment.status, commitment.version) == ("announced", 1)
    assert not Evidence.objects.filter(commitment=commitment).exists()


def test_existing_evidence_cannot_be_edited_through_the_inline(client, officer):
    evidence = EvidenceFactory(commitment=CommitmentFactory(), note="original")
    response = open_change_page(client, evidence.commitment)
    data = change_form_data(response)
    data["evidence-0-note"] = "rewritten"

    client.post(change_url(evidence.commitment), data)

    evidence.refresh_from_db()
    assert evidence.note == "original"


def test_observation_picks_only_this_commitments_evidence(client, officer):
    commitment = CommitmentFactory()
    own = EvidenceFactory(commitment=commitment)
    other = EvidenceFactory(commitment=CommitmentFactory())
    response = open_change_page(client, commitment)
    formset = next(
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.prefix == "observations"
    )
    assert list(formset.empty_form.fields["evidence"].queryset) == [own]

    data = change_form_data(response)
    row = {
        "value": "1300000000",
        "unit": "USD",
        "period_start": "2022-01-01",
        "period_end": "2022-12-31",
        "period_label": "2022",
    }
    refused = client.post(
        change_url(commitment), add_inline_row(dict(data), "observations", evidence=other.pk, **row)
    )
    assert refused.status_code == 200
    assert not ProgressObservation.objects.exists()

    accepted = client.post(
        change_url(commitment), add_inline_row(dict(data), "observations", evidence=own.pk, **row)
    )
    assert accepted.status_code == 302
    observation = ProgressObservation.objects.get()
    assert (observation.commitment, observation.evidence, observation.unit) == (
        commitment,
        own,
        "USD",
    )


def test_history_and_reviews_show_read_only_on_the_change_page(client, officer):
    commitment = CommitmentFactory()
    StatusChange.objects.create(
        commitment=commitment, old_status="", new_status="announced", note="Recorded from Kabar."
    )

    response = open_change_page(client, commitment)

    history = next(
        f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "status_changes"
    )
    assert not history.has_add_permission
    assert not history.has_change_permission
    assert not history.has_delete_permission
    assert "Recorded from Kabar." in response.text


def test_history_names_who_wrote_each_row_a_user_or_a_system_actor(client, officer):
    commitment = CommitmentFactory()
    StatusChange.objects.create(
        commitment=commitment,
        old_status="",
        new_status="announced",
        changed_by_system=SystemActor.SEED_LOADER,
    )
    StatusChange.objects.create(
        commitment=commitment, old_status="announced", new_status="agreed", changed_by=officer
    )
    Review.objects.create(commitment=commitment, reviewed_by_system=SystemActor.REMINDER_JOB)

    response = open_change_page(client, commitment)

    rows = {
        f.formset.prefix: [form.instance.actor_name() for form in f.formset.forms]
        for f in response.context["inline_admin_formsets"]
    }
    assert rows["status_changes"] == ["seed loader", "kz-officer"]
    assert rows["reviews"] == ["reminder job"]
    assert "seed loader" in response.text


def test_adding_a_commitment_goes_through_the_service_and_records_history(client, officer, kg):
    data = add_form_data(
        client,
        title_en="Open the Karasu–Ak-Tilek crossing",
        slug="karasu-crossing",
        owner_country="KZ",
        partner_countries=["KG"],
        category="border_transport",
        status="agreed",
        status_note="From the council protocol.",
    )
    source = SourceFactory()
    add_inline_row(data, "evidence", source=source.pk, quote=QUOTE, observed_on="2024-12-05")

    response = client.post(add_url(), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    commitment = Commitment.objects.get(slug="karasu-crossing")
    assert commitment.status == Status.AGREED
    assert [c.code for c in commitment.partner_countries.all()] == ["KG"]
    first = StatusChange.objects.get(commitment=commitment)
    assert (first.old_status, first.new_status, first.changed_by) == ("", "agreed", officer)
    assert first.note == "From the council protocol."
    assert Evidence.objects.get(commitment=commitment).source == source
    assert commitment.last_reviewed_at <= timezone.now()


def _trade_target_with_two_figures(officer):
    """A $3 bn by 2030 target with two Kazakh figures, recorded as staff record them."""
    commitment = CommitmentFactory(
        target_amount=3_000_000_000, target_unit="USD", target_date=dt.date(2030, 12, 31)
    )
    evidence = EvidenceFactory(commitment=commitment)
    for value, year in ((1_300_000_000, 2022), (1_700_000_000, 2024)):
        services.observation_add(
            observation=ProgressObservation(
                commitment=commitment,
                evidence=evidence,
                value=value,
                unit="USD",
                period_start=dt.date(year, 1, 1),
                period_end=dt.date(year, 12, 31),
                period_label=str(year),
                reported_by_id="KZ",
            ),
            actor=officer,
        )
    commitment.refresh_from_db()
    return commitment


@pytest.mark.parametrize("correction", ["remove", "change"])
def test_correcting_an_observation_stores_the_progress_it_leaves(client, officer, correction):
    # Removing or correcting a figure changes the commitment's progress: the stored value (the
    # list, its filter and the API list read it) and the version must follow, as for a new one.
    commitment = _trade_target_with_two_figures(officer)
    before = (commitment.progress, commitment.version)
    data = change_form_data(open_change_page(client, commitment))
    if correction == "remove":
        data["observations-1-DELETE"] = "on"
    else:
        data["observations-1-value"] = "100000000"

    response = client.post(change_url(commitment), data)

    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.progress == selectors.commitment_progress(commitment)
    assert (commitment.progress, commitment.version) != before
    assert commitment.version == before[1] + 1
    assert Event.objects.filter(type="commitment.updated", version=commitment.version).exists()


def test_a_commitment_with_only_a_russian_title_is_a_form_error_naming_the_english_title(
    client, officer
):
    # An officer working in Russian fills the Russian title and nothing else: no 500, the form
    # again, in Russian, asking for the English title and keeping what was typed.
    data = add_form_data(
        client,
        title_ru="Открыть пункт пропуска «Карасу — Ак-Тилек»",
        slug="",
        owner_country="KZ",
        category="border_transport",
        status="agreed",
        status_note="По протоколу совета.",
    )

    response = client.post(add_url(), data, HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 200
    form = response.context["adminform"].form
    with translation.override("ru"):
        expected = str(messages.ENGLISH_TITLE_REQUIRED)
    assert form.errors == {"title_en": [expected]}
    assert expected.startswith("Укажите также название на английском языке")
    assert "Открыть пункт пропуска «Карасу — Ак-Тилек»" in response.text
    assert not Commitment.objects.exists()


def test_a_new_commitment_left_without_a_slug_gets_one_from_its_english_title(client, officer):
    data = add_form_data(
        client,
        title_en="Open the Karasu crossing",
        title_ru="Открыть пункт пропуска «Карасу»",
        slug="",
        owner_country="KZ",
        category="border_transport",
        status="agreed",
        status_note="From the council protocol.",
    )

    response = client.post(add_url(), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    commitment = Commitment.objects.get()
    assert (commitment.slug, commitment.title_ru) == (
        "open-the-karasu-crossing",
        "Открыть пункт пропуска «Карасу»",
    )
