"""The OpenAPI schema validates and documents errors; the docs page works without a network."""

import re

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

from commitments.api.schema import RESPONSES


def test_schema_validates_with_no_warnings(tmp_path, db):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    assert schema["openapi"].startswith("3.")


@pytest.fixture
def schema(db):
    response = APIClient().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_is_public_and_lists_every_resource(schema):
    paths = set(schema["paths"])
    for path in [
        "/api/v1/commitments/",
        "/api/v1/commitments/{id}/",
        "/api/v1/commitments/{id}/transitions/",
        "/api/v1/commitments/{commitment_pk}/evidence/",
        "/api/v1/commitments/{commitment_pk}/history/",
        "/api/v1/evidence/",
        "/api/v1/evidence/{id}/",
        "/api/v1/sources/",
        "/api/v1/sources/{id}/",
        "/api/v1/countries/",
        "/api/v1/countries/{code}/",
        "/api/v1/status-changes/",
        "/api/v1/status-changes/{id}/",
    ]:
        assert path in paths


def test_every_operation_documents_its_problem_responses(schema):
    assert set(schema["components"]["schemas"]["Problem"]["required"]) == {
        "type",
        "title",
        "status",
        "detail",
        "errors",
    }
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            assert {"401", "404", "429"} <= codes, (path, method)
            if method in {"put", "patch", "post"}:
                assert {"400", "403", "415"} <= codes, (path, method)
            names = {p["name"] for p in operation.get("parameters", [])}
            if "If-Match" in names:
                assert "412" in codes
    list_params = {p["name"] for p in schema["paths"]["/api/v1/commitments/"]["get"]["parameters"]}
    assert {
        "status",
        "owner_country",
        "partner_country",
        "category",
        "stale",
        "target_date_after",
        "target_date_before",
        "updated_since",
        "search",
        "ordering",
        "cursor",
        "page_size",
    } <= list_params
    for name, _ in RESPONSES.values():
        assert name in schema["components"]["responses"]


@pytest.mark.parametrize("page", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_docs_pages_load_their_assets_locally(page, db):
    client = APIClient()
    response = client.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    assets = re.findall(r"""(?:src|href)=["'](/static/[^"']+)""", html)
    assert assets
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200, asset
        body = b"".join(served.streaming_content) if served.streaming else served.content
        assert body
