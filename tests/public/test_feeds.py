import datetime as dt
import re
from decimal import Decimal
from html.parser import HTMLParser
from xml.etree import ElementTree

import feedparser
import icalendar
import pytest
from django.test import override_settings

from commitments.public.feeds import ical_fold
from commitments.rules import Status
from tests.support.factories import CommitmentFactory, CountryFactory, StatusChangeFactory

ATOM = "{http://www.w3.org/2005/Atom}"


def at(day: int) -> dt.datetime:
    return dt.datetime(2024, 12, day, 12, tzinfo=dt.UTC)


@pytest.fixture
def changes(db):
    kg = CountryFactory(code="KG")
    CountryFactory(code="UZ")
    solar = CommitmentFactory(slug="solar", title="Build solar plants", partners=["KG"])
    bridge = CommitmentFactory(slug="bridge", title="Inspect bridges")
    kg_owned = CommitmentFactory(slug="water", title="Digitise water monitoring", owner_country=kg)
    StatusChangeFactory(commitment=solar, changed_at=at(1))
    StatusChangeFactory(
        commitment=solar,
        old_status=Status.ANNOUNCED,
        new_status=Status.AGREED,
        changed_at=at(5),
        note="Signed in Bishkek.",
    )
    StatusChangeFactory(commitment=bridge, changed_at=at(3))
    StatusChangeFactory(commitment=kg_owned, changed_at=at(4))


def test_atom_feed_lists_status_changes_newest_first(client, changes):
    response = client.get("/feeds/status-changes.atom")

    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.title.startswith("Status changes of commitments")
    assert [e.title for e in feed.entries] == [
        "Build solar plants: Announced → Agreed",
        "Digitise water monitoring: recorded as Announced",
        "Inspect bridges: recorded as Announced",
        "Build solar plants: recorded as Announced",
    ]
    newest = feed.entries[0]
    assert newest.link.startswith("http://testserver/commitments/solar/#status-change-")
    assert newest.summary == "Status: Agreed. Signed in Bishkek."
    assert newest.updated_parsed[:3] == (2024, 12, 5)
    assert len({e.id for e in feed.entries}) == 4


def test_country_atom_feed_keeps_changes_where_the_country_owns_or_partners(client, changes):
    feed = feedparser.parse(client.get("/feeds/status-changes/kg.atom").content)

    assert not feed.bozo
    assert "involving Kyrgyzstan" in feed.feed.title
    assert [e.title.split(":")[0] for e in feed.entries] == [
        "Build solar plants",
        "Digitise water monitoring",
        "Build solar plants",
    ]
    assert feedparser.parse(client.get("/feeds/status-changes/UZ.atom").content).entries == []


def test_feed_of_an_unknown_country_is_404(client, changes):
    assert client.get("/feeds/status-changes/XX.atom").status_code == 404
    assert client.get("/feeds/target-dates/XX.ics").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/status-changes/%00.atom",
        "/ru/feeds/status-changes/k%00z.atom",
        "/feeds/target-dates/%00.ics",
        "/feeds/status-changes/KGZ.atom",
        "/feeds/target-dates/%D2%9A%D0%97.ics",
    ],
)
def test_feed_of_a_code_that_no_country_can_have_is_404(client, changes, path):
    # PostgreSQL refuses a NUL in a query ("text fields cannot contain NUL"): a 500 unless the
    # code is turned away before it reaches the database.
    assert client.get(path).status_code == 404


@override_settings(SITE_URL="https://tracker.example.org")
def test_icalendar_feed_has_an_all_day_event_per_target_date(client, db):
    commitment = CommitmentFactory(
        slug="trade-3bn",
        title="Raise trade to $3 billion; by 2030, jointly",
        target_date=dt.date(2030, 12, 31),
        target_amount=Decimal("3000000000"),
        target_unit="USD",
        partners=["KG"],
    )
    CommitmentFactory(title="No target date")

    response = client.get("/feeds/target-dates.ics")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["UID"]) == f"commitment-{commitment.pk}-target-date@tracker.example.org"
    assert str(event["SUMMARY"]) == "Target date: Raise trade to $3 billion; by 2030, jointly"
    assert event.decoded("DTSTART") == dt.date(2030, 12, 31)
    assert event.decoded("DTEND") == dt.date(2031, 1, 1)
    assert event.decoded("DTSTAMP") == commitment.updated_at.replace(microsecond=0)
    assert "Target: 3 billion USD." in str(event["DESCRIPTION"])
    assert str(event["URL"]) == "http://testserver/commitments/trade-3bn/"
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]


def test_icalendar_output_uses_crlf_and_folds_long_lines_at_75_octets(client, db):
    CommitmentFactory(
        title="Построить логистический комплекс на границе " * 4, target_date=dt.date(2026, 3, 1)
    )

    body = client.get("/feeds/target-dates.ics").content

    assert body.endswith(b"END:VCALENDAR\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines)
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # the long summary was folded
    for line in lines:
        line.decode("utf-8")  # no character split across a fold
    event = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    assert (
        str(event["SUMMARY"])
        == "Target date: " + "Построить логистический комплекс на границе " * 4
    )


def test_fold_counts_octets_not_characters():
    line = "SUMMARY:" + "ж" * 80  # 2 octets each

    pieces = ical_fold(line).split("\r\n")

    assert [len(p.encode()) for p in pieces] == [74, 75, 21]  # never half a character
    assert "".join(p.removeprefix(" ") for p in pieces) == line


def test_country_icalendar_feed_keeps_that_countrys_target_dates(client, db):
    CountryFactory(code="UZ")
    CommitmentFactory(title="KG partner", partners=["KG"], target_date=dt.date(2026, 1, 1))
    CommitmentFactory(title="UZ partner", partners=["UZ"], target_date=dt.date(2026, 2, 1))

    calendar = icalendar.Calendar.from_ical(client.get("/feeds/target-dates/KG.ics").content)

    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Target date: KG partner"]


class _MarkupFinder(HTMLParser):
    """What a feed reader's HTML parser makes of a summary: the elements it would build."""

    def __init__(self):
        super().__init__()
        self.elements: list[str] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.elements.append(tag)

    def handle_data(self, data):
        self.text += data


def test_atom_summary_shows_a_hostile_note_as_text_not_markup(client, db):
    hostile = '<img src=x onerror=alert(1)><script>alert("x")</script>'
    commitment = CommitmentFactory(slug="solar", title="Solar <b>plants</b>")
    StatusChangeFactory(commitment=commitment, changed_at=at(1), note=hostile)

    body = client.get("/feeds/status-changes.atom").content

    entry = ElementTree.fromstring(body).find(f"{ATOM}entry")  # noqa: S314 (our own feed)
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    reader = _MarkupFinder()
    reader.feed(summary.text)  # the HTML a feed reader renders
    reader.close()
    assert reader.elements == []  # no <img>, no <script>: nothing runs
    assert reader.text == f"Status: Announced. {hostile}"  # the note reads as staff typed it
    title = entry.find(f"{ATOM}title")
    assert title.get("type") in (None, "text") and title.text.startswith("Solar <b>plants</b>")


def test_icalendar_keeps_hostile_titles_and_units_inside_their_own_values(client, db):
    title = "Bridge\x1b\x07 <script>alert(1)</script>;\r\nBEGIN:VEVENT\r\nSUMMARY:forged"
    CommitmentFactory(
        title=title,
        target_date=dt.date(2026, 3, 1),
        target_amount=Decimal("5"),
        target_unit="km\r\nURL:x;y",
    )

    body = client.get("/feeds/target-dates.ics").content

    assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", body)  # RFC 5545 forbids them
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert len(events) == 1  # no event forged by a line break in the title
    event = events[0]
    expected = "Bridge <script>alert(1)</script>;\nBEGIN:VEVENT\nSUMMARY:forged"
    assert str(event["SUMMARY"]) == f"Target date: {expected}"
    assert str(event["URL"]).startswith("http://testserver/commitments/")
    assert "km\nURL:x;y" in str(event["DESCRIPTION"])
