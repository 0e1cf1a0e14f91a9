"""The API as a client sees it: a token for a user, and what a page of the list costs."""

from django.db import connection
from rest_framework.test import APIClient

from commitments.models import ApiToken

# 1. the token and its user; 2. the page of commitments with the `stale` annotation (and, on
# PostgreSQL, each one's partner codes as an array subquery); 3. elsewhere, their partner
# countries; then their evidence with each source's title. The parties' accounts (positions,
# instrument dates, progress figures) are the detail's: the list shows their stored summaries.
LIST_QUERIES = 3 if connection.vendor == "postgresql" else 4


def client_for(user) -> APIClient:
    """An API client with a fresh token of `user`; with None, an anonymous client."""
    client = APIClient()
    if user is not None:
        _, key = ApiToken.objects.issue(user, "tests")
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client
