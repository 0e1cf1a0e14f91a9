"""PostgreSQL reads one page of rows for the API list, however large the table.

The benchmark's list (`status=in_progress&owner_country=KZ`, pages of 50) is measured at 100,000
commitments; these tests run the same requests on generated data and read EXPLAIN ANALYZE for the
exact SQL the list sends, so a change that turns the page into a scan or a sort of every matching
row (as SELECT DISTINCT once did) fails here rather than as a slower benchmark.
"""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from commitments.models import ApiToken
from perf.generate import generate
from tests.support.factories import UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db]

NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
# Enough rows that reading every match (about 560 for the benchmark's filter) is far from a page.
COMMITMENTS = 5_000
PAGE = 50


@pytest.fixture
def api():
    if connection.vendor != "postgresql":
        pytest.skip("the plans are PostgreSQL's; the services tier runs these")
    generate(commitments=COMMITMENTS, users=20, sources=10, now=NOW)
    client = APIClient()
    _, key = ApiToken.objects.issue(UserFactory(username="plan-reader"), "plans")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def list_queries(api, params) -> tuple[dict, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get("/api/v1/commitments/", params)
    assert response.status_code == 200
    sqls = [q["sql"] for q in ctx.captured_queries if ApiToken._meta.db_table not in q["sql"]]
    return response.json(), sqls


def plan_nodes(sql: str) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        raw = cursor.fetchone()[0]
    plan = (raw if isinstance(raw, list) else json.loads(raw))[0]["Plan"]
    nodes, stack = [], [plan]
    while stack:
        node = stack.pop()
        nodes.append(node)
        stack.extend(node.get("Plans", []))
    return nodes


def reads_of(nodes: list[dict], table: str) -> list[dict]:
    return [n for n in nodes if n.get("Relation Name") == table]


@pytest.mark.parametrize(
    "params",
    [
        {"status": "in_progress", "owner_country": "KZ"},  # the benchmark's list
        {"status": "in_progress"},
        {},
    ],
)
def test_page_query_reads_one_page_of_commitments_from_an_index(api, params):
    body, sqls = list_queries(api, params)
    assert len(body["results"]) == PAGE
    cursor = body["next"].split("cursor=")[1]
    _, next_sqls = list_queries(api, {**params, "cursor": cursor})

    for page_sql in (sqls[0], next_sqls[0]):
        nodes = plan_nodes(page_sql)
        reads = reads_of(nodes, "commitments_commitment")
        assert [n["Node Type"] for n in reads] == ["Index Scan"]
        # The index gives the page's order: it stops after page + 1 rows, nothing sorts them all.
        assert reads[0]["Actual Rows"] == PAGE + 1
        assert not [n for n in nodes if n["Node Type"] == "Sort" and n["Actual Rows"] > PAGE + 1]


def test_evidence_query_reads_only_the_pages_evidence(api):
    body, sqls = list_queries(api, {"status": "in_progress", "owner_country": "KZ"})
    evidence_sql = next(s for s in sqls if '"commitments_evidence"' in s)

    reads = reads_of(plan_nodes(evidence_sql), "commitments_evidence")
    assert [n["Node Type"] for n in reads] in (["Index Scan"], ["Bitmap Heap Scan"])
    assert reads[0]["Actual Rows"] == sum(len(row["evidence"]) for row in body["results"])
