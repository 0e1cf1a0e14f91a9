import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.models import Category, Commitment
from commitments.rules import Status
from tests.support.admin import changelist_url, logged_in_staff
from tests.support.factories import CommitmentFactory, EvidenceFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def officer(client, kz, kg):
    return logged_in_staff(client, "KZ", username="kz-officer")


def listed_titles(response) -> list[str]:
    return sorted(c.title for c in response.context["cl"].result_list)


def test_changelist_shows_the_columns_and_a_stale_marker(client, officer):
    with time_machine.travel(NOW - dt.timedelta(days=45), tick=False):
        CommitmentFactory(title="Forgotten plan", partners=["KG"], target_date=dt.date(2026, 1, 1))
    with time_machine.travel(NOW, tick=False):
        CommitmentFactory(title="Fresh plan")
        response = client.get(changelist_url())

    assert response.status_code == 200
    html = response.text
    for header in ("Title", "Owner", "Partners", "Status", "Category", "Target date", "Stale"):
        assert f">{header}<" in html or f">{header}</a>" in html
    rows = {c.title: c for c in response.context["cl"].result_list}
    assert rows["Forgotten plan"].stale is True
    assert rows["Fresh plan"].stale is False
    assert html.count("⚠ stale") == 1


def test_stale_filter_uses_the_staleness_rule(client, officer):
    with time_machine.travel(NOW - dt.timedelta(days=31), tick=False):
        CommitmentFactory(title="Stale open")
        CommitmentFactory(title="Old but completed", status=Status.COMPLETED)
    with time_machine.travel(NOW - dt.timedelta(days=29), tick=False):
        CommitmentFactory(title="Recently reviewed")

    with time_machine.travel(NOW, tick=False):
        stale = client.get(changelist_url(), {"stale": "yes"})
        fresh = client.get(changelist_url(), {"stale": "no"})

    assert listed_titles(stale) == ["Stale open"]
    assert listed_titles(fresh) == ["Old but completed", "Recently reviewed"]


def test_target_date_filter_splits_postponed_from_never_postponed(client, officer):
    CommitmentFactory(title="Slipped twice", postponements=2)
    CommitmentFactory(title="On schedule")

    postponed = client.get(changelist_url(), {"slipped": "yes"})
    never = client.get(changelist_url(), {"slipped": "no"})
    everything = client.get(changelist_url(), {"slipped": "maybe"})

    assert listed_titles(postponed) == ["Slipped twice"]
    assert listed_titles(never) == ["On schedule"]
    assert listed_titles(everything) == ["On schedule", "Slipped twice"]
    assert "Never postponed" in never.text


def test_filters_by_status_owner_partner_and_category(client, officer, kg):
    CommitmentFactory(title="KZ trade", category=Category.TRADE)
    CommitmentFactory(title="KG water", owner_country=kg, category=Category.WATER)
    CommitmentFactory(title="KZ with KG", partners=["KG"], status=Status.AGREED)

    def titles(**params):
        return listed_titles(client.get(changelist_url(), params))

    assert titles(status__exact="agreed") == ["KZ with KG"]
    assert titles(owner_country__code__exact="KG") == ["KG water"]
    assert titles(partner_countries__code__exact="KG") == ["KZ with KG"]
    assert titles(category__exact="trade") == ["KZ trade"]


def test_search_covers_title_description_and_quotes_without_duplicates(client, officer):
    quoted = CommitmentFactory(title="Complex", description="On the border.")
    EvidenceFactory(commitment=quoted, quote="agreed to build a trade and logistics complex")
    EvidenceFactory(commitment=quoted, quote="a trade and logistics complex")
    CommitmentFactory(title="Ferroalloy plant", description="Tash-Kumyr smelter")

    def titles(q):
        return [c.title for c in client.get(changelist_url(), {"q": q}).context["cl"].result_list]

    assert titles("logistics complex") == ["Complex"]
    assert titles("Tash-Kumyr") == ["Ferroalloy plant"]
    assert titles("ferroalloy") == ["Ferroalloy plant"]


def make_commitments(n: int, kz, kg) -> None:
    """n commitments, every other one stale, each partnered with the other country."""
    old, fresh = NOW - dt.timedelta(days=90), NOW - dt.timedelta(days=1)
    made = Commitment.objects.bulk_create(
        Commitment(
            slug=f"bulk-{i}",
            title=f"Bulk commitment {i}",
            owner_country=kz if i % 2 else kg,
            category=Category.TRADE,
            status=Status.ANNOUNCED,
            last_reviewed_at=old if i % 2 else fresh,
        )
        for i in range(n)
    )
    through = Commitment.partner_countries.through
    through.objects.bulk_create(
        through(commitment_id=c.pk, country_id="KG" if c.owner_country_id == "KZ" else "KZ")
        for c in made
    )


def changelist_queries(client, n, kz, kg, **params) -> int:
    Commitment.objects.all().delete()
    make_commitments(n, kz, kg)
    client.get("/admin/")  # a first visit keeps the admin's language on the profile, once
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as captured:
        response = client.get(changelist_url(), params)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 50
    return len(captured)


# The changelist for a staff member (not a superuser), a page of 50 rows:
#  1 session, 2 user, 3 the user's staff profile (the admin's language),
#  4-5 the user's and their groups' permissions,
#  6-7 countries for the owner and partner filters, 8 count of the filtered rows,
#  9 count of all rows, 10 the user's countries (may they add?), 11 the page of commitments with
#  their owner and the stale annotation, 12 the partners of the page (one prefetch).
CHANGELIST_QUERIES = 12


@pytest.mark.parametrize("rows", [200, 2000])
def test_changelist_query_count_does_not_grow_with_rows(client, officer, kz, kg, rows, capsys):
    count = changelist_queries(client, rows, kz, kg)
    stale_count = changelist_queries(client, rows, kz, kg, stale="yes", q="Bulk")
    with capsys.disabled():
        print(f"\nchangelist queries, {rows} commitments: {count}; stale+search: {stale_count}")
    assert count == CHANGELIST_QUERIES
    assert stale_count == CHANGELIST_QUERIES


def test_search_finds_cyrillic_words_in_any_letter_case_as_the_public_list_does(client, officer):
    # SQLite's LIKE folds ASCII only: "соглашение" missed "Соглашение о ..." there.
    CommitmentFactory(title="Investment agreement", title_ru="Соглашение об инвестициях")
    CommitmentFactory(title="Duty-free oil", description_ru="Подписано соглашение о нефти.")
    quoted = CommitmentFactory(title="Allied relations")
    EvidenceFactory(commitment=quoted, quote="Президенты подписали СОГЛАШЕНИЕ о союзничестве")
    CommitmentFactory(title="Water monitoring")

    def titles(q):
        found = client.get(changelist_url(), {"q": q}).context["cl"].result_list
        return sorted(c.title for c in found)

    expected = ["Allied relations", "Duty-free oil", "Investment agreement"]
    assert titles("соглашение") == expected
    assert titles("Соглашение") == expected
    assert titles("СОГЛАШЕНИЕ о") == expected
    assert titles("соглашение инвестициях") == ["Investment agreement"]
