import datetime as dt
import re
from decimal import Decimal

from commitments.models import Commitment
from commitments.rules import Status
from tests.support.factories import (
    CommitmentFactory,
    EvidenceFactory,
    MeetingFactory,
    ObservationFactory,
    SourceFactory,
    StatusChangeFactory,
)
from tests.support.public import page_html


def at_noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def test_commitment_has_a_stable_readable_url(db):
    commitment = CommitmentFactory(slug="tash-kumyr-ferroalloy-plant")

    assert commitment.get_absolute_url() == "/commitments/tash-kumyr-ferroalloy-plant/"


def test_page_says_what_was_committed_by_whom_when_and_where(client, db):
    commitment = CommitmentFactory(
        slug="ferroalloy",
        title="Build the Tash-Kumyr ferroalloy plant",
        description="A joint plant in Jalal-Abad region.",
        announced_on=dt.date(2024, 12, 5),
        meeting=MeetingFactory(name="Intergovernmental Council", location="Bishkek"),
        status=Status.AGREED,
        partners=["KG"],
    )

    html = page_html(client.get(commitment.get_absolute_url()))

    assert "<title>Build the Tash-Kumyr ferroalloy plant – " in html
    assert '<meta name="description" content="Agreed: A joint plant in Jalal-Abad region.">' in html
    assert "<dt>Owner</dt><dd>Kazakhstan</dd>" in html
    assert "<dt>Partners</dt><dd>Kyrgyzstan</dd>" in html
    assert "5 December 2024</time>, at the Intergovernmental Council, Bishkek" in html
    assert '<span class="badge status-agreed">Agreed</span>' in html


def test_unknown_commitment_is_404(client, db):
    assert client.get("/commitments/no-such-thing/").status_code == 404


def test_timeline_merges_evidence_and_status_changes_in_date_order(client, db):
    commitment = CommitmentFactory(status=Status.IN_PROGRESS)
    StatusChangeFactory(
        commitment=commitment, new_status=Status.AGREED, changed_at=at_noon(dt.date(2024, 3, 1))
    )
    EvidenceFactory(
        commitment=commitment,
        source=SourceFactory(publisher="Interfax", title="Trade up"),
        quote="Trade reached $1.3 billion in 2022.",
        observed_on=dt.date(2024, 5, 10),
    )
    StatusChangeFactory(
        commitment=commitment,
        old_status=Status.AGREED,
        new_status=Status.IN_PROGRESS,
        changed_at=at_noon(dt.date(2024, 6, 2)),
        note="Construction began.",
    )
    EvidenceFactory(
        commitment=commitment,
        source=SourceFactory(publisher="Kazinform", url="https://example.org/a"),
        observed_on=dt.date(2024, 1, 15),
    )

    html = client.get(commitment.get_absolute_url()).content.decode()

    timeline = html[html.index('<ol class="timeline">') :]
    order = [
        timeline.index("agreed to build a trade and logistics complex"),
        timeline.index("Recorded as <strong>Agreed</strong>"),
        timeline.index("Trade reached $1.3 billion in 2022."),
        timeline.index("Status changed from Agreed to <strong>In progress</strong>"),
    ]
    assert order == sorted(order)
    assert "Construction began." in timeline
    assert "Interfax, <cite>Trade up</cite>, published 5 Dec 2024" in timeline
    assert '<a href="https://example.org/a">read the article</a>' in timeline


def test_quantitative_target_gets_an_accessible_svg_chart_with_the_same_data_as_a_table(client, db):
    commitment = CommitmentFactory(
        title="Raise trade to $2 billion",
        target_amount=Decimal("2000000000"),
        target_unit="USD",
        target_date=dt.date(2030, 12, 31),
    )
    ObservationFactory(
        evidence__commitment=commitment, evidence__source__publisher="Interfax", value=1300000000
    )

    html = client.get(commitment.get_absolute_url()).content.decode()

    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img" aria-labelledby="chart-title chart-desc"' in svg
    assert (
        '<title id="chart-title">Progress toward the target: Raise trade to $2 billion</title>'
        in (svg)
    )
    desc = re.search(r'<desc id="chart-desc">([^<]+)</desc>', svg)[1]
    assert "Target: 2 billion USD, target date: 31 Dec 2030." in desc
    assert "2022: 1.3 billion USD according to [1] Interfax." in desc
    assert svg.count("<rect") == 1
    assert 'class="target-line"' in svg and 'class="target-point"' in svg
    table = html[html.index('<table class="observations">') :]
    assert '<th scope="row">2022</th>' in table
    assert "1.3 billion USD" in table and "1,300,000,000 USD" in table


def test_commitment_without_a_target_has_no_chart(client, db):
    commitment = CommitmentFactory()

    html = client.get(commitment.get_absolute_url()).content.decode()

    assert "<svg" not in html
    assert "Progress toward the target" not in html


def test_conflicting_figures_for_one_period_stand_side_by_side_with_their_sources(client, db):
    commitment = CommitmentFactory(target_amount=Decimal("2000000000"), target_unit="USD")
    for publisher, value in (("Interfax", "757000000"), ("Kazinform", "755400000")):
        ObservationFactory(
            evidence__commitment=commitment,
            evidence__source__publisher=publisher,
            value=Decimal(value),
            period_start=dt.date(2023, 1, 1),
            period_end=dt.date(2023, 7, 31),
            period_label="January–July 2023",
        )

    html = client.get(commitment.get_absolute_url()).content.decode()

    row = re.search(r'<tr class="conflict">(.*?)</tr>', html, re.S)[1]
    assert "January–July 2023" in row and "Reported figures disagree" in row
    assert "between sources" in row
    assert row.count('<li class="reported') == 2
    assert re.search(
        r"757 million USD.*\[1\] Interfax.*755 million USD.*\[2\] Kazinform", row, re.S
    )
    assert "756" not in html  # never averaged
    svg = html[html.index("<svg") : html.index("</svg>")]
    xs = [float(x) for x in re.findall(r'<rect x="([\d.]+)"', svg)]
    widths = [float(w) for w in re.findall(r'width="([\d.]+)" height', svg)]
    assert len(xs) == 2 and xs[0] + widths[0] <= xs[1]  # side by side, not stacked
    assert "(reported figures disagree, between sources)" in svg


def test_seeded_trade_target_shows_every_reported_figure_with_its_source(client, seeded):
    commitment = Commitment.objects.get(slug="trade-turnover-2bn")

    response = client.get(commitment.get_absolute_url())

    groups = response.context["table"].groups
    assert [(g.label, g.conflicting) for g in groups] == [
        ("2022", False),
        ("January–July 2023", True),
    ]
    jan_july = [(r.observation.value, r.source.publisher) for r in groups[1].rows]
    assert jan_july == [
        (Decimal("757000000.00"), "Interfax"),
        (Decimal("757000000.00"), "Kazinform"),
        (Decimal("755400000.00"), "Kazinform"),
    ]
    assert response.content.decode().count('<li class="reported') == 5


def test_figures_that_differ_within_one_article_are_not_called_a_disagreement_of_sources(
    client, seeded
):
    # Both 2024 figures are in article 002: the Kyrgyz and the Kazakh head of government.
    commitment = Commitment.objects.get(slug="trade-turnover-3bn-2030")

    html = client.get(commitment.get_absolute_url()).content.decode()

    row = re.search(r'<tr class="conflict">(.*?)</tr>', html, re.S)[1]
    assert "Reported figures disagree" in row and "within one source" in row
    # Source [1] is Interfax (001), which gives Kazakhstan's 2022 figure.
    assert row.count("[2] Publisher not named") == 2
    assert "ources disagree" not in html  # neither "Sources disagree" nor "(sources disagree)"
    assert "(reported figures disagree, within one source)" in html  # the chart's description
    assert "Reported figures disagree for some periods." in html


def test_figures_in_another_unit_are_listed_but_not_drawn(client, db):
    commitment = CommitmentFactory(target_amount=Decimal("100"), target_unit="USD")
    ObservationFactory(evidence__commitment=commitment, value=Decimal("50"), unit="USD")
    ObservationFactory(evidence__commitment=commitment, value=Decimal("24000"), unit="KZT")

    html = client.get(commitment.get_absolute_url()).content.decode()

    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count("<rect") == 1
    assert "24,000 KZT" in html
    assert "1 figure in another unit than the target's appears in the table only" in html
