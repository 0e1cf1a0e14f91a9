"""Issue 25, item 11: what an integrator trips on: a suggestion names its commitment by id (as
evidence does) and by slug, a source's detail gives its language, events' times are in +05:00
as every other time, path parameters are named alike, the schema says what the API holds."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from commitments import services
from commitments.actors import SystemActor
from commitments.ingestion.models import Suggestion
from tests.support.api import client_for
from tests.support.factories import CommitmentFactory, SourceFactory, UserFactory


@pytest.mark.django_db
def test_a_suggestion_names_its_commitment_by_id_and_slug(kz, kg):
    commitment = CommitmentFactory(slug="solar", partners=["KG"])
    source = SourceFactory()
    suggestion = Suggestion.objects.create(
        source=source, kind="evidence", commitment=commitment, quote="q", start=0, end=1,
        score=0.5, method="test", method_version="1", payload={}, fingerprint="f",
    )  # fmt: skip
    api = client_for(UserFactory(username="both", countries=["KZ", "KG"]))
    row = api.get(f"/api/v1/suggestions/{suggestion.pk}/").json()
    assert (row["commitment"], row["commitment_slug"]) == (commitment.pk, "solar")


@pytest.mark.django_db
def test_a_sources_detail_gives_its_language_as_its_creation_does(kz):
    source = SourceFactory(language="ru")
    api = client_for(UserFactory(username="reader", is_staff=False))
    assert api.get(f"/api/v1/sources/{source.pk}/").json()["language"] == "ru"
    assert api.get("/api/v1/sources/").json()["results"][0]["language"] == "ru"


@pytest.mark.django_db(transaction=True)
def test_events_give_their_time_in_the_projects_time_zone(kz):
    commitment = CommitmentFactory(slug="solar")
    services.commitment_update(
        commitment=commitment, actor=SystemActor.INGESTION, data={"description": "New"}
    )
    api = client_for(UserFactory(username="reader", is_staff=False))
    (event,) = api.get("/api/v1/events/").json()["results"]
    assert event["occurred_at"].endswith("+05:00"), event["occurred_at"]
    detail = api.get(f"/api/v1/commitments/{commitment.pk}/").json()
    assert detail["updated_at"].endswith("+05:00")
    moment = dt.datetime.fromisoformat(event["occurred_at"])
    assert abs(moment - dt.datetime.fromisoformat(detail["updated_at"])) < dt.timedelta(minutes=1)


@pytest.mark.django_db
def test_the_schema_names_path_parameters_alike_and_says_what_the_api_holds():
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()
    parameters = {
        parameter["name"]
        for path in schema["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict)
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "path"
    }
    assert not any(name.endswith("_pk") for name in parameters), parameters
    assert "/api/v1/commitments/{commitment_id}/evidence/" in schema["paths"]
    description = schema["info"]["description"]
    assert "/events/" in description and "/suggestions/" in description
