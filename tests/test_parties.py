"""Each party's own account: positions (diverging flag) and dates on legal instruments, with
scoping (a party's staff record only their own country's), across services, API, admin, pages."""

from __future__ import annotations

import datetime as dt

import pytest

from commitments import services
from commitments.access import EditNotAllowed
from commitments.events.models import Event, EventType
from commitments.models import Commitment, InstrumentParty
from tests.support.admin import (
    add_inline_row,
    change_form_data,
    change_url,
    changelist_url,
    logged_in_staff,
)
from tests.support.api import LIST_QUERIES, client_for
from tests.support.factories import CommitmentFactory, EvidenceFactory, UserFactory

SIGNED = dt.date(2024, 5, 20)


@pytest.fixture
def treaty(kz, kg):
    commitment = CommitmentFactory(
        slug="allied-treaty",
        title="Treaty on allied relations",
        owner_country=kg,
        status="announced",
        instrument_type="treaty",
    )
    commitment.partner_countries.set([kz])
    return commitment


def record_position(commitment, actor, country, status, reported_on, **fields):
    """`country`'s own account of `commitment`, recorded by `actor` through the service."""
    return services.party_position_record(
        commitment=commitment,
        actor=actor,
        country=country,
        status=status,
        reported_on=reported_on,
        **fields,
    )


def diverge(commitment, kz_officer, kg_officer):
    note = "Ratified by the Jogorku Kenesh."
    record_position(commitment, kg_officer, "KG", "in_progress", dt.date(2025, 2, 25), note=note)
    record_position(commitment, kz_officer, "KZ", "agreed", dt.date(2025, 2, 26))
    return Commitment.objects.get(pk=commitment.pk)


def test_differing_positions_flag_the_commitment_and_agreeing_ones_clear_it(
    treaty, kz_officer, kg_officer
):
    version = treaty.version
    treaty = diverge(treaty, kz_officer, kg_officer)
    assert treaty.positions_diverge and treaty.version == version + 2
    assert treaty.status == "announced"  # the shared status is not touched
    record_position(treaty, kz_officer, "KZ", "in_progress", dt.date(2025, 3, 1))
    treaty.refresh_from_db()
    assert not treaty.positions_diverge
    events = Event.objects.filter(type=EventType.PARTY_POSITION_RECORDED).order_by("id")
    assert [e.data["positions_diverge"] for e in events] == [False, True, False]


def test_a_party_records_only_its_own_countrys_position(treaty, kz_officer):
    with pytest.raises(EditNotAllowed):
        record_position(treaty, kz_officer, "KG", "completed", dt.date(2025, 1, 1))
    assert not treaty.party_positions.exists()


def test_diverging_positions_show_in_api_pages_dashboard_and_admin(
    client, treaty, kz_officer, kg_officer
):
    treaty = diverge(treaty, kz_officer, kg_officer)
    other = CommitmentFactory(title="A commitment the parties agree on")

    api = client_for(kz_officer)
    rows = api.get("/api/v1/commitments/", {"diverging": "true"}).json()["results"]
    assert [r["slug"] for r in rows] == ["allied-treaty"]
    # The list shows the stored summary; the positions themselves are the detail's.
    assert rows[0]["positions_diverge"] is True and "party_positions" not in rows[0]
    detail = api.get(rows[0]["url"]).json()
    assert [(p["country"], p["status"]) for p in detail["party_positions"]] == [
        ("KG", "in_progress"),
        ("KZ", "agreed"),
    ]

    page = client.get(treaty.get_absolute_url()).content.decode()
    assert "The parties&#x27; accounts differ" in page or "The parties' accounts differ" in page
    assert "Ratified by the Jogorku Kenesh." in page
    listed = client.get("/", {"diverging": "yes"}).content.decode()
    assert treaty.title in listed and other.title not in listed
    dashboard = client.get("/dashboard/").content.decode()
    assert "Where the parties" in dashboard and treaty.title in dashboard

    logged_in_staff(client, "KZ")
    admin_rows = client.get(changelist_url(), {"positions_diverge__exact": "1"}).context["cl"]
    assert list(admin_rows.result_list) == [treaty]


def test_instrument_dates_per_party_with_scoping_through_the_api(treaty, kz_officer, kg_officer):
    evidence = EvidenceFactory(commitment=treaty)
    url = f"/api/v1/commitments/{treaty.pk}/instrument-dates/"
    as_kz = client_for(kz_officer)

    refused = as_kz.post(url, {"country": "KG", "ratified_on": "2024-06-01"}, format="json")
    assert refused.status_code == 403
    assert not InstrumentParty.objects.exists()

    kz_done = as_kz.post(
        url,
        {"country": "KZ", "signed_on": SIGNED.isoformat(), "evidence": evidence.pk},
        format="json",
    )
    assert kz_done.status_code == 200
    assert kz_done.json()["suggested_status"] == ""  # Kyrgyzstan has not signed on record
    kg_done = client_for(kg_officer).post(
        url,
        {"country": "KG", "signed_on": SIGNED.isoformat(), "ratified_on": "2024-07-01"},
        format="json",
    )
    body = kg_done.json()
    assert [
        (p["country"], p["signed_on"], p["ratified_on"]) for p in body["instrument_parties"]
    ] == [
        ("KG", "2024-05-20", "2024-07-01"),
        ("KZ", "2024-05-20", None),
    ]
    # Both signed: "agreed" is proposed, never made.
    assert body["suggested_status"] == "agreed" and body["status"] == "announced"
    assert kg_done["ETag"] != kz_done["ETag"]


def test_a_commitment_that_is_no_instrument_takes_no_dates(kz, kz_officer):
    plain = CommitmentFactory(owner_country=kz)
    response = client_for(kz_officer).post(
        f"/api/v1/commitments/{plain.pk}/instrument-dates/",
        {"country": "KZ", "signed_on": "2024-01-01"},
        format="json",
    )
    assert response.status_code == 400 and "instrument_type" in str(response.json())


def test_admin_offers_the_party_inlines_and_refuses_the_other_countrys_row(client, treaty):
    logged_in_staff(client, "KZ")
    page = client.get(change_url(treaty))
    data = change_form_data(page)
    prefix = "instrument_parties"
    add_inline_row(data, prefix, country="KG", ratified_on="2024-07-01")
    refused = client.post(change_url(treaty), data)
    assert refused.status_code == 200
    assert not InstrumentParty.objects.exists()

    data = change_form_data(page)
    add_inline_row(data, prefix, country="KZ", signed_on=SIGNED.isoformat())
    done = client.post(change_url(treaty), data)
    assert done.status_code == 302
    row = InstrumentParty.objects.get()
    assert (row.country_id, row.signed_on, row.recorded_by.username) == (
        "KZ",
        SIGNED,
        page.wsgi_request.user.username,
    )
    assert Event.objects.filter(type=EventType.INSTRUMENT_DATES_RECORDED).count() == 1


def test_admin_shows_the_suggested_status(client, treaty, kz_officer, kg_officer):
    for officer, code in ((kz_officer, "KZ"), (kg_officer, "KG")):
        services.instrument_dates_record(
            commitment=treaty, actor=officer, country=code, signed_on=SIGNED
        )
    logged_in_staff(client, "KZ")
    html = client.get(change_url(treaty)).content.decode()
    assert 'class="suggested-status">Agreed<' in html


@pytest.mark.parametrize("n", [2, 12])
def test_pages_with_diverging_parties_cost_the_same_queries(
    client, django_assert_num_queries, kz, kg, n
):
    for i in range(n):
        commitment = CommitmentFactory(owner_country=kg, slug=f"c{i}", instrument_type="treaty")
        commitment.partner_countries.set([kz])
        for code, status in (("KG", "in_progress"), ("KZ", "agreed")):
            superuser = UserFactory(is_superuser=True)
            record_position(commitment, superuser, code, status, dt.date(2025, 1, 1))
    # totals, countries, owned counts, partnered counts, targets due, diverging commitments,
    # their positions with countries, latest changes
    with django_assert_num_queries(8):
        client.get("/dashboard/")
    # the filter's countries, the count, the page, the page's partners
    with django_assert_num_queries(4):
        client.get("/", {"diverging": "yes"})
    api = client_for(UserFactory(is_superuser=True, username="root"))
    # the token, the page, (partners on SQLite), evidence: no positions, instrument dates or
    # figures, however many the page's commitments have
    with django_assert_num_queries(LIST_QUERIES):
        rows = api.get("/api/v1/commitments/", {"diverging": "true"}).json()["results"]
    assert len(rows) == n and all(r["positions_diverge"] for r in rows)
