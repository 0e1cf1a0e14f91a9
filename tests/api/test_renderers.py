"""The API's JSON renderer (orjson) writes what DRF's JSONRenderer would write, byte for byte."""

import datetime as dt
import json
from decimal import Decimal

from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer

from commitments.rest.renderers import JSONRenderer
from tests.support.factories import CommitmentFactory, EvidenceFactory, SourceFactory

LIST = "/api/v1/commitments/"


def drf_bytes(data) -> bytes:
    return DRFJSONRenderer().render(data, "application/json", {})


def test_a_page_of_commitments_is_byte_for_byte_what_drf_would_write(api, kz, kg):
    source = SourceFactory(title="Совет «Казахстан–Кыргызстан»")
    for number in range(3):
        commitment = CommitmentFactory(
            partners=["KG"],
            title=f"Торговля {number} — “quoted” \\ slash",
            target_amount="1.5",
            target_unit="USD",
        )
        EvidenceFactory(commitment=commitment, source=source)

    response = api.get(LIST)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.content == drf_bytes(response.data)
    assert "Торговля 0" in response.content.decode()  # UTF-8, not \u escapes


def test_values_orjson_does_not_know_are_written_as_drf_writes_them():
    data = {
        "amount": Decimal("12.50"),
        "when": dt.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC),
        "day": dt.date(2026, 1, 2),
        "message": gettext_lazy("This field is required."),
        7: "an int key",
    }
    assert JSONRenderer().render(data) == drf_bytes(data)


def test_line_and_paragraph_separators_are_escaped_for_javascript(api, kz):
    CommitmentFactory(title="before\u2028between\u2029after")

    content = api.get(LIST).content

    assert "\u2028".encode() not in content and "\u2029".encode() not in content
    assert b"before\\u2028between\\u2029after" in content
    assert json.loads(content)["results"][0]["title"] == "before\u2028between\u2029after"


def test_a_client_may_ask_for_indented_json(api, kz):
    CommitmentFactory()

    response = api.get(LIST, HTTP_ACCEPT="application/json; indent=2")

    assert response.status_code == 200
    assert response.content.startswith(b'{\n  "')
    assert json.loads(response.content) == json.loads(api.get(LIST).content)


def test_errors_are_still_problem_json(api):
    response = api.get(LIST, {"status": "nonsense"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.content == drf_bytes(response.data)
