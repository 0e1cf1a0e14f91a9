# ruff: noqa: E501  (tables of example sentences read best one per line)
"""Ingestion: extractors per language, the command's JSON, idempotence, bad files, the API queue
and scoping, on the seed record and the test articles in articles/ (original text)."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command

from commitments.ingestion.extraction import text_from_file
from commitments.ingestion.figures import figures
from commitments.ingestion.models import Suggestion
from commitments.messages import ALREADY_REVIEWED
from commitments.models import Evidence, Source
from tests.support.api import client_for
from tests.support.factories import UserFactory

ARTICLES = Path(__file__).parent / "articles"


@pytest.fixture
def record(db):
    call_command("load_seeds", stdout=StringIO())


def ingest(name, *extra):
    out = StringIO()
    call_command(
        "ingest_article", str(ARTICLES / name), "--published-on", "2025-11-20", "--json", *extra,
        stdout=out,
    )  # fmt: skip
    return json.loads(out.getvalue())


@pytest.mark.parametrize(
    ("sentence", "value", "start", "end"),
    [
        ("Товарооборот достиг $1,4 млрд за восемь месяцев.", "1400000000", "2025-01-01", "2025-08-31"),
        ("Trade reached 1.3 billion U.S. dollars in 2022.", "1300000000", "2022-01-01", "2022-12-31"),
        ("In seven months of 2023 trade reached 755.4 million U.S. dollars.", "755400000", "2023-01-01", "2023-07-31"),
        ("Turnover was $1,340 billion in 2024.", "1340000000", "2024-01-01", "2024-12-31"),
    ],
)  # fmt: skip
def test_figures_with_unit_and_period_in_english_and_russian(sentence, value, start, end):
    (figure,) = figures(sentence, date(2025, 11, 20))
    assert figure.value == Decimal(value)
    assert figure.unit == "USD"
    assert (figure.period_start.isoformat(), figure.period_end.isoformat()) == (start, end)


def test_a_target_is_not_an_observation():
    (figure,) = figures(
        "Стороны намерены довести товарооборот до 3 млрд долларов к 2030 году.", date(2025, 1, 1)
    )
    assert figure.is_target  # fmt: skip


EXPECTED = {
    "en_trade_figures.txt": {
        ("observation", "trade-turnover-2bn"), ("evidence", "trade-turnover-2bn"),
        ("evidence", "tash-kumyr-ferroalloy-plant"),
    },
    "en_meeting_new.txt": {
        ("meeting", None), ("commitment", None), ("evidence", "checkpoint-reconstruction"),
    },
    "en_nothing.txt": set(),
    # The article names the $3 bn target, so its turnover figure measures progress towards it.
    "ru_trade_figures.txt": {
        ("observation", "trade-turnover-3bn-2030"), ("evidence", "trade-turnover-3bn-2030"),
        ("evidence", "checkpoint-reconstruction"),
    },
    "ru_energy_new.txt": {
        ("evidence", "kambarata-hpp1-agreement"), ("commitment", None),
        ("evidence", "hydrological-information-exchange"),
    },
    "ru_nothing.txt": set(),
}  # fmt: skip


def test_recall_and_precision_on_the_test_articles(record):
    """Prints recall and precision per kind and language; every expected suggestion is found."""
    found_total = {}
    for name, expected in EXPECTED.items():
        result = ingest(name)
        source = Source.objects.get(pk=result["source"]["id"])
        got = {(s["kind"], s["commitment"]) for s in result["suggestions"]}
        for s in result["suggestions"]:
            assert source.text[s["start"] : s["end"]] == s["quote"]  # verbatim, offsets kept
        language = name[:2]
        for kind in ("evidence", "observation", "commitment", "meeting"):
            e = {x for x in expected if x[0] == kind}
            g = {x for x in got if x[0] == kind}
            tp, fp, fn = found_total.get((kind, language), (0, 0, 0))
            found_total[(kind, language)] = (tp + len(e & g), fp + len(g - e), fn + len(e - g))
        assert expected <= got, name
    for (kind, language), (tp, fp, fn) in sorted(found_total.items()):
        recall = tp / (tp + fn) if tp + fn else 1.0
        precision = tp / (tp + fp) if tp + fp else 1.0
        print(f"{kind:12} {language}: recall {recall:.2f} precision {precision:.2f}")


def test_conflicting_figure_is_flagged_not_averaged(record):
    result = ingest("en_trade_figures.txt")
    july = next(
        s
        for s in result["suggestions"]
        if s["kind"] == "observation" and s["period_end"] == "2023-07-31"
    )
    assert july["value"] == "760000000.00"
    assert {c["value"] for c in july["conflicts_with"]} == {"757000000.00", "755400000.00"}  # fmt: skip


def test_running_twice_adds_nothing_and_rejected_stay_rejected(record):
    first = ingest("ru_energy_new.txt")
    Suggestion.objects.filter(kind="commitment").update(status="rejected", reason="not new")
    second = ingest("ru_energy_new.txt")
    assert second["source"]["id"] == first["source"]["id"]
    assert second["suggestions"] == []
    assert Source.objects.filter(title__startswith="Энергетики").count() == 1


@pytest.mark.parametrize(
    ("name", "data"),
    [("empty.txt", b"  \n"), ("binary.txt", b"\x00\x01\x02"), ("image.png", b"\x89PNG"),
     ("fake.pdf", b"not a pdf"), ("big.txt", b"a" * (6 * 1024 * 1024))],
)  # fmt: skip
def test_bad_files_are_refused(name, data):
    with pytest.raises(ValidationError):
        text_from_file(name, data)


def test_api_adds_a_source_and_bad_file_saves_nothing(record):
    from django.core.files.uploadedfile import SimpleUploadedFile

    user = UserFactory(countries=["KZ"])
    client = client_for(user)
    bad = SimpleUploadedFile("x.exe", b"MZ")
    response = client.post(
        "/api/v1/sources/", {"published_on": "2025-01-01", "file": bad}, format="multipart"
    )
    assert response.status_code == 400
    before = Source.objects.count()
    text = (ARTICLES / "en_trade_figures.txt").read_text()
    response = client.post(
        "/api/v1/sources/", {"published_on": "2025-01-01", "text": text}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["language"] == "en"
    assert Source.objects.count() == before + 1  # fmt: skip


def test_api_queue_accept_and_reject_with_scoping(record):
    ingest("en_trade_figures.txt")
    kg_only = UserFactory(username="kg", countries=["KG"])
    kz = UserFactory(username="kz", countries=["KZ"])
    tash = Suggestion.objects.get(commitment__slug="tash-kumyr-ferroalloy-plant")
    owner = tash.commitment.owner_country_id
    outsider = (
        kz
        if owner == "KG" and not tash.commitment.partner_countries.filter(code="KZ").exists()
        else None
    )
    staff = client_for(UserFactory(username="both", countries=["KZ", "KG"]))
    listed = staff.get("/api/v1/suggestions/").json()
    assert len(listed["results"]) >= 3
    if outsider is not None:
        assert (
            client_for(outsider).post(f"/api/v1/suggestions/{tash.pk}/accept/").status_code == 404
        )
    response = staff.post(f"/api/v1/suggestions/{tash.pk}/accept/", {}, format="json")
    assert response.status_code == 200, response.content
    assert Evidence.objects.filter(commitment=tash.commitment, quote=tash.quote).exists()
    other = Suggestion.objects.filter(status="pending").first()
    assert (
        staff.post(f"/api/v1/suggestions/{other.pk}/reject/", {}, format="json").status_code == 400
    )
    assert (
        staff.post(
            f"/api/v1/suggestions/{other.pk}/reject/", {"reason": "wrong"}, format="json"
        ).status_code
        == 200
    )
    again = staff.post(f"/api/v1/suggestions/{other.pk}/accept/", {}, format="json")
    # The same problem shape as every other endpoint's refusal that names no field.
    assert again.status_code == 400
    assert again.json()["errors"] == {"non_field_errors": [str(ALREADY_REVIEWED)]}
    assert kg_only  # fmt: skip


def test_one_suggestion_and_its_actions_ignore_the_lists_filters(record):
    # The list's filters choose which suggestions it shows; one is named by its id.
    ingest("en_trade_figures.txt")
    staff = client_for(UserFactory(username="both", countries=["KZ", "KG"]))
    pending = Suggestion.objects.filter(status="pending").first()
    other = {"status": "rejected", "source": pending.source_id + 1, "kind": "nonsense"}
    query = "?" + "&".join(f"{name}={value}" for name, value in other.items())
    path = f"/api/v1/suggestions/{pending.pk}/"
    response = staff.get(path + query)
    assert response.status_code == 200, response.content
    assert response.json()["id"] == pending.pk
    rejected = staff.post(f"{path}reject/{query}", {"reason": "wrong"}, format="json")
    assert rejected.status_code == 200, rejected.content


@pytest.mark.django_db
def test_a_seed_article_added_again_is_the_seed_source(tmp_path):
    call_command("load_seeds", stdout=StringIO())
    seed = Source.objects.get(seed_file="000_42bd203fab2b6eb3.txt")
    out = StringIO()

    call_command(
        "ingest_article",
        str(Path(settings.BASE_DIR) / "seeds" / seed.seed_file),
        "--published-on",
        seed.published_on.isoformat(),
        "--json",
        stdout=out,
    )

    assert json.loads(out.getvalue())["source"]["id"] == seed.pk
    assert Source.objects.count() == 5
