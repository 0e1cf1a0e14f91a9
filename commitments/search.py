"""What searching commitments means, the same for the REST API (`search=`) and the public list
(`q=`): every word must be found in the title or the description (`SEARCH_FIELDS`).

How a word is found depends on the database, and the README says so:
- PostgreSQL: full-text search with the "simple" configuration (no stemming, so Russian, Kazakh,
  Kyrgyz and English are treated alike) and web-search syntax: words match whole words, any
  letter case; `"a phrase"`, `-word` and `or` work.
- SQLite (the embedded default): each word must occur as a substring of the title or the
  description (`port` finds "transport"); letter case is ignored for ASCII letters only, as
  SQLite's LIKE does.
"""

from __future__ import annotations

from functools import reduce
from operator import and_, or_
from typing import TypeVar

from django.db import connection
from django.db.models import Q, QuerySet

SEARCH_FIELDS = ("title", "description")

QS = TypeVar("QS", bound=QuerySet)


def search_commitments(queryset: QS, text: str) -> QS:
    """`queryset` narrowed to the commitments that `text` finds; unchanged for blank text."""
    words = text.split()
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector(*SEARCH_FIELDS, config="simple")
        query = SearchQuery(text, search_type="websearch", config="simple")
        return queryset.alias(_search=vector).filter(_search=query)
    each_word = (
        reduce(or_, (Q(**{f"{name}__icontains": word}) for name in SEARCH_FIELDS)) for word in words
    )
    return queryset.filter(reduce(and_, each_word))
