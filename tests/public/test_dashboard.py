import datetime as dt

import time_machine
from django.utils import timezone

from commitments.rules import Status
from tests.support.factories import CommitmentFactory, CountryFactory, StatusChangeFactory

NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)


def country_row(response, code):
    return next(r for r in response.context["rows"] if r["country"].code == code)


def by_status(response, code):
    statuses = [value for value, _ in response.context["statuses"]]
    return dict(zip(statuses, country_row(response, code)["counts"], strict=True))


@time_machine.travel(NOW, tick=False)
def test_dashboard_counts_commitments_by_status_for_each_country(client, db):
    CountryFactory(code="UZ")
    old = timezone.now() - dt.timedelta(days=60)
    CommitmentFactory(status=Status.AGREED, partners=["KG"], last_reviewed_at=old)
    CommitmentFactory(status=Status.AGREED)
    CommitmentFactory(status=Status.COMPLETED, partners=["KG"], last_reviewed_at=old)
    CommitmentFactory(owner_country=CountryFactory(code="KG"), partners=["KG"])

    response = client.get("/dashboard/")

    assert response.status_code == 200
    assert by_status(response, "KZ")["agreed"] == 2
    assert by_status(response, "KZ")["completed"] == 1
    # KG owns one (also listed as its own partner: counted once) and partners in two.
    assert by_status(response, "KG") == {
        "announced": 1,
        "agreed": 1,
        "in_progress": 0,
        "completed": 1,
        "stalled": 0,
        "cancelled": 0,
    }
    assert country_row(response, "UZ")["total"] == 0
    # Stale: open and unreviewed for 60 days; the completed one never is.
    assert (country_row(response, "KZ")["stale"], country_row(response, "KZ")["open"]) == (1, 2)
    assert (country_row(response, "KG")["stale"], country_row(response, "KG")["open"]) == (1, 2)
    assert response.context["totals"] == {"total": 4, "open": 3, "stale": 1}
    assert "(33% of open)" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_dashboard_lists_open_targets_due_in_the_next_twelve_months(client, db):
    today = timezone.localdate()
    CommitmentFactory(title="Due next month", target_date=today + dt.timedelta(days=30))
    CommitmentFactory(title="Due in 11 months", target_date=today + dt.timedelta(days=330))
    CommitmentFactory(title="Due in two years", target_date=today + dt.timedelta(days=730))
    CommitmentFactory(title="Overdue", target_date=today - dt.timedelta(days=1))
    CommitmentFactory(
        title="Completed early", status=Status.COMPLETED, target_date=today + dt.timedelta(days=9)
    )

    response = client.get("/dashboard/")

    assert [c.title for c in response.context["targets_due"]] == [
        "Due next month",
        "Due in 11 months",
    ]


def test_dashboard_shows_the_latest_status_changes_newest_first(client, db):
    base = dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC)
    for day in range(12):
        StatusChangeFactory(
            commitment=CommitmentFactory(title=f"Commitment {day:02d}"),
            changed_at=base + dt.timedelta(days=day),
        )

    response = client.get("/dashboard/")

    titles = [c.commitment.title for c in response.context["latest_changes"]]
    assert titles == [f"Commitment {day:02d}" for day in range(11, 1, -1)]
    html = response.content.decode()
    assert "<title>Dashboard – Kazakhstan–Kyrgyzstan commitment tracker</title>" in html
    assert '<meta name="description" content="At a glance:' in html
