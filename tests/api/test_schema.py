"""The OpenAPI schema validates and documents errors; the docs page works without a network."""

import re

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

from commitments.rest.schema import RESPONSES


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
        "/api/v1/commitments/{commitment_id}/evidence/",
        "/api/v1/commitments/{commitment_id}/history/",
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


def request_components(schema) -> dict[str, dict]:
    """The components used as request bodies, by name."""
    found = {}
    for item in schema["paths"].values():
        for operation in item.values():
            for media in operation.get("requestBody", {}).get("content", {}).values():
                name = media["schema"]["$ref"].rpartition("/")[2]
                found[name] = schema["components"]["schemas"][name]
    return found


def test_no_request_body_carries_a_default_a_client_would_send(schema):
    # A generated client fills in declared defaults: a PATCH of `notes` alone also sent
    # `description: ""`, blanking it.
    components = request_components(schema)
    assert "PatchedCommitmentUpdateRequest" in components
    for name, component in components.items():
        for field, prop in component["properties"].items():
            assert "default" not in prop, (name, field, prop)


def test_request_bodies_refuse_undeclared_properties(schema):
    components = request_components(schema)
    assert len(components) >= 4
    for name, component in components.items():
        assert component.get("additionalProperties") is False, name


def parameters(schema, path, method="get") -> dict[str, dict]:
    return {p["name"]: p["schema"] for p in schema["paths"][path][method].get("parameters", [])}


def test_country_codes_are_two_capital_letters_in_bodies_filters_and_paths(schema):
    create = schema["components"]["schemas"]["CommitmentCreateRequest"]["properties"]
    patch = schema["components"]["schemas"]["PatchedCommitmentUpdateRequest"]["properties"]
    list_params = parameters(schema, "/api/v1/commitments/")
    for prop in (
        create["owner_country"],
        create["partner_countries"]["items"],
        patch["owner_country"],
        list_params["owner_country"],
        list_params["partner_country"],
        parameters(schema, "/api/v1/countries/{code}/")["code"],
    ):
        assert prop["pattern"] == "^[A-Z]{2}$", prop


def test_target_amount_may_not_be_negative(schema):
    for name in ("CommitmentCreateRequest", "PatchedCommitmentUpdateRequest"):
        pattern = schema["components"]["schemas"][name]["properties"]["target_amount"]["pattern"]
        assert re.fullmatch(pattern, "2000000000.50")
        assert not re.fullmatch(pattern, "-1")
        assert not re.fullmatch(pattern, "-0.01")


def test_stale_is_a_boolean_and_ids_are_integers(schema):
    assert parameters(schema, "/api/v1/commitments/")["stale"] == {"type": "boolean"}
    for path, name in [
        ("/api/v1/commitments/{id}/", "id"),
        ("/api/v1/commitments/{commitment_id}/evidence/", "commitment_id"),
        ("/api/v1/commitments/{commitment_id}/history/", "commitment_id"),
        ("/api/v1/evidence/{id}/", "id"),
        ("/api/v1/sources/{id}/", "id"),
        ("/api/v1/status-changes/{id}/", "id"),
    ]:
        assert parameters(schema, path)[name]["type"] == "integer", path
    for path, name in [
        ("/api/v1/evidence/", "commitment"),
        ("/api/v1/evidence/", "source"),
        ("/api/v1/status-changes/", "commitment"),
    ]:
        prop = parameters(schema, path)[name]
        assert prop["type"] == "integer"
        assert prop["minimum"] == 1


def test_one_commitment_documents_translations_as_the_list_does_and_no_filter(schema):
    def query(path):
        operation = schema["paths"][path]["get"]
        return {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}

    listed, detail = query("/api/v1/commitments/"), query("/api/v1/commitments/{id}/")
    assert detail == {"translations": listed["translations"]}


def test_every_problem_type_is_listed_in_the_schema(schema):
    from commitments.rest.errors import PROBLEM_TYPES

    description = schema["components"]["schemas"]["Problem"]["properties"]["type"]["description"]
    for code in PROBLEM_TYPES:
        assert f"`{code}`" in description
