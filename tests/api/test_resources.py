"""Evidence (nested and flat), sources, countries and status history."""

from commitments.models import Evidence
from tests.support.api import client_for
from tests.support.factories import (
    CommitmentFactory,
    EvidenceFactory,
    SourceFactory,
    StatusChangeFactory,
)


def test_add_evidence_with_a_verbatim_quote(kz_officer):
    commitment = CommitmentFactory()
    source = SourceFactory()
    body = {"source": source.pk, "quote": "Trade reached $1.3 billion", "note": "Figure."}
    response = client_for(kz_officer).post(
        f"/api/v1/commitments/{commitment.pk}/evidence/", body, format="json"
    )
    assert response.status_code == 201, response.content
    evidence = Evidence.objects.get()
    assert response["Location"] == response.json()["api_url"]
    assert (evidence.source, evidence.quote, evidence.added_by) == (
        source,
        "Trade reached $1.3 billion",
        kz_officer,
    )
    commitment.refresh_from_db()
    assert commitment.version == 2


def test_evidence_lists_nested_and_flat(api, kz):
    one, two = CommitmentFactory(), CommitmentFactory()
    e1 = EvidenceFactory(commitment=one)
    e2 = EvidenceFactory(commitment=two, url="https://example.org/x")

    nested = api.get(f"/api/v1/commitments/{one.pk}/evidence/").json()["results"]
    assert [e["id"] for e in nested] == [e1.pk]
    flat = api.get("/api/v1/evidence/").json()["results"]
    assert [e["id"] for e in flat] == [e1.pk, e2.pk]
    filtered = api.get("/api/v1/evidence/", {"commitment": two.pk}).json()["results"]
    assert [e["id"] for e in filtered] == [e2.pk]
    detail = api.get(f"/api/v1/evidence/{e2.pk}/").json()
    assert detail["url"] == "https://example.org/x"
    assert detail["commitment_url"] == f"http://testserver/api/v1/commitments/{two.pk}/"


def test_sources_list_without_text_and_detail_with_it(api, db):
    source = SourceFactory(title="Council meets", url="https://kazinform.kz/a")
    [row] = api.get("/api/v1/sources/").json()["results"]
    assert row["title"] == "Council meets"
    assert row["url"] == "https://kazinform.kz/a"
    assert "text" not in row
    detail = api.get(f"/api/v1/sources/{source.pk}/").json()
    assert detail["text"] == source.text


def test_countries_by_iso_code(api, kz, kg):
    rows = api.get("/api/v1/countries/").json()["results"]
    assert [(c["code"], c["name"]) for c in rows] == [("KG", "Kyrgyzstan"), ("KZ", "Kazakhstan")]
    assert api.get("/api/v1/countries/KZ/").json()["name"] == "Kazakhstan"
    assert api.get("/api/v1/countries/UZ/").status_code == 404


def test_status_history_per_commitment_and_flat(api, kz, superuser):
    one, two = CommitmentFactory(), CommitmentFactory()
    first = StatusChangeFactory(commitment=one)
    StatusChangeFactory(commitment=two)
    api.post(f"/api/v1/commitments/{one.pk}/transitions/", {"status": "agreed", "note": "Signed."})

    rows = api.get(f"/api/v1/commitments/{one.pk}/history/").json()["results"]
    assert [(r["old_status"], r["new_status"]) for r in rows] == [
        ("", "announced"),
        ("announced", "agreed"),
    ]
    assert rows[1]["changed_by"] == "root"
    assert rows[1]["note"] == "Signed."
    assert rows[0]["id"] == first.pk
    assert len(api.get("/api/v1/status-changes/").json()["results"]) == 3
    agreed = api.get("/api/v1/status-changes/", {"new_status": "agreed"}).json()["results"]
    assert [r["commitment"] for r in agreed] == [one.pk]


def test_one_evidence_or_status_change_ignores_the_lists_filters(api, kz):
    # The list's filters choose which rows it shows; one row is named by its id.
    one, two = CommitmentFactory(), CommitmentFactory()
    evidence, change = EvidenceFactory(commitment=one), StatusChangeFactory(commitment=one)
    for path, params in [
        (f"/api/v1/evidence/{evidence.pk}/", {"commitment": two.pk, "source": "x"}),
        (f"/api/v1/status-changes/{change.pk}/", {"commitment": two.pk, "new_status": "late"}),
    ]:
        response = api.get(path, params)
        assert response.status_code == 200, (path, response.content)
        assert response.json()["id"] in (evidence.pk, change.pk)


def test_history_is_read_only(api, kz):
    change = StatusChangeFactory(commitment=CommitmentFactory())
    url = f"/api/v1/status-changes/{change.pk}/"
    assert api.delete(url).status_code == 405
    assert api.patch(url, {"note": "rewritten"}, format="json").status_code == 405
    change.refresh_from_db()
    assert change.note == "Recorded."
