"""Fuzz the live API from its own OpenAPI schema with Schemathesis.

A live server with the seed data loaded and a superuser's token; every operation gets a bounded
number of generated requests, valid ones and invalid ones. Each response must be no 5xx, use a
documented status code and content type, and match its documented schema and headers.
"""

import hypothesis
import hypothesis.errors
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from commitments.models import ApiToken
from tests.support.factories import UserFactory

EXAMPLES_PER_OPERATION_AND_MODE = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.mark.django_db(transaction=True)
def test_live_api_conforms_to_its_schema(seeded, live_server, monkeypatch, capsys):
    # The fuzzer would otherwise be throttled (a documented 429, but it would stop testing).
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "100000/minute"})
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "100000/minute"})
    user = UserFactory(username="fuzzer", is_superuser=True)
    _, key = ApiToken.objects.issue(user, "fuzzer")
    headers = {"Authorization": f"Token {key}"}

    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json")
    cases, failures, no_negative_cases = 0, [], []
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @hypothesis.settings(
                max_examples=EXAMPLES_PER_OPERATION_AND_MODE,
                deadline=None,
                derandomize=True,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                nonlocal cases
                cases += 1
                case.call_and_validate(base_url=live_server.url, headers=headers, checks=CHECKS)

            try:
                run()
            except hypothesis.errors.Unsatisfiable:
                # e.g. GET /countries/{code}/ has no parameter that can be made invalid.
                no_negative_cases.append(operation.label)
            except Exception as exc:  # collect every operation's failure, then report them all
                failures.append(f"{operation.label} [{mode.value}]: {exc}")

    with capsys.disabled():
        print(
            f"\nSchemathesis: {cases} cases over {len(operations)} operations, "
            f"{len(failures)} failing (no invalid input possible for: "
            f"{', '.join(no_negative_cases) or 'none'})"
        )
    assert cases > 0
    assert not failures, "\n\n".join(failures)
