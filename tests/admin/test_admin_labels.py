"""What staff see evidence called: its source and the start of its quote, not "Evidence #12"."""

from tests.support.factories import (
    CommitmentFactory,
    EvidenceFactory,
    MeetingFactory,
    SourceFactory,
)


def test_evidence_is_named_by_its_publisher_and_quote(db):
    source = SourceFactory(publisher="Kazinform", text="They agreed to build " + "a bridge " * 20)
    evidence = EvidenceFactory(source=source, quote="They agreed to build " + "a bridge " * 10)

    label = str(evidence)
    assert label.startswith("Kazinform: “They agreed to build a bridge a bridge")
    assert label.endswith("…”") and len(label) < 80


def test_evidence_without_publisher_or_quote_falls_back_to_title_then_url(db):
    source = SourceFactory(publisher="", title="Meeting of the council takes place", text="Signed.")
    commitment = CommitmentFactory()

    quoted = EvidenceFactory(commitment=commitment, source=source, quote="Signed.")
    linked = EvidenceFactory(
        commitment=commitment, source=None, quote="", url="https://kabar.kg/news/council"
    )

    assert str(quoted) == "Meeting of the council takes place: “Signed.”"
    assert str(linked) == "https://kabar.kg/news/council"


def test_a_source_is_named_with_its_date_in_the_active_language(db):
    import datetime as dt

    from django.utils import translation

    source = SourceFactory(title="Council", publisher="Kabar", published_on=dt.date(2025, 11, 5))
    assert str(source) == "Council (Kabar, 5 Nov 2025)"
    with translation.override("ru"):
        assert str(source) == "Council (Kabar, 05.11.2025)"


def test_a_meeting_is_named_with_its_date_in_the_active_language(db):
    import datetime as dt

    from django.utils import translation

    meeting = MeetingFactory(name_en="Council", held_on=dt.date(2025, 11, 14))
    assert str(meeting) == "Council (14 Nov 2025)"
    with translation.override("ru"):
        assert str(meeting).endswith("(14.11.2025)")
