"""What searching commitments means, the same for the REST API (`search=`) and the public list
(`q=`): every word must be found in the title or the description (`SEARCH_FIELDS`), in any of
their languages (`title_en`, `title_ru`, ...), whatever language the page is in.

How a word is found depends on the database, and the README says so:
- PostgreSQL: full-text search with web-search syntax: words match whole words, any letter case;
  `"a phrase"`, `-word` and `or` work. Russian text is searched with the "russian" configuration,
  so a word finds its other forms ("транспортного" finds "транспортный"); English, Kazakh and
  Kyrgyz with "simple" (no stemming: PostgreSQL has no Kazakh or Kyrgyz stemmer). A commitment is
  found when its Russian text matches the query, or its other languages' text does.
- SQLite (the embedded default): each word must occur as a substring of one of those columns
  (`port` finds "transport", "трансп" finds "Транспортный"), in any letter case of any script:
  both sides are case-folded by Python (`str.casefold`), registered with each SQLite connection,
  as SQLite's own LIKE folds ASCII letters only.

Staff's search (admin) is this search, or every word found in one of the commitment's evidence
quotes (`search_with_quotes`), in any letter case on either database.
"""

from __future__ import annotations

from functools import reduce
from operator import and_, or_
from typing import TypeVar

from django.db import connection
from django.db.models import CharField, Q, QuerySet, TextField, Transform

from . import translation
from .models import Evidence

SEARCH_FIELDS = ("title", "description")
# PostgreSQL text search configuration per language; the others use "simple".
SEARCH_CONFIGS = {"ru": "russian"}
SQLITE_CASEFOLD = "tracker_casefold"

QS = TypeVar("QS", bound=QuerySet)


class Casefold(Transform):
    """`column__casefold`: the column case-folded by Python, on SQLite only (see `register`)."""

    lookup_name = "casefold"
    function = SQLITE_CASEFOLD


CharField.register_lookup(Casefold)
TextField.register_lookup(Casefold)


def _casefold(value: str | None) -> str | None:
    return value.casefold() if isinstance(value, str) else value


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: gives each new SQLite connection the casefold function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_CASEFOLD, 1, _casefold, deterministic=True)


def _columns_by_config() -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for language in translation.LANGUAGE_CODES:
        config = SEARCH_CONFIGS.get(language, "simple")
        groups.setdefault(config, []).extend(
            translation.column(name, language) for name in SEARCH_FIELDS
        )
    return groups


def search_commitments(queryset: QS, text: str) -> QS:
    """`queryset` narrowed to the commitments that `text` finds; unchanged for blank text."""
    words = text.split()
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        found = Q()
        for config, columns in _columns_by_config().items():
            alias = f"_search_{config}"
            queryset = queryset.alias(**{alias: SearchVector(*columns, config=config)})
            query = SearchQuery(text, search_type="websearch", config=config)
            found |= Q(**{alias: query})
        return queryset.filter(found)
    columns = [c for group in _columns_by_config().values() for c in group]
    each_word = (
        reduce(or_, (Q(**{f"{column}__casefold__contains": word.casefold()}) for column in columns))
        for word in words
    )
    return queryset.filter(reduce(and_, each_word))


def _contains(column: str, word: str) -> Q:
    """`word` occurs in `column` in any letter case of any script, on either database."""
    if connection.vendor == "sqlite":
        return Q(**{f"{column}__casefold__contains": word.casefold()})
    return Q(**{f"{column}__icontains": word})


def search_with_quotes(queryset: QS, text: str) -> QS:
    """Staff's search: the commitments `search_commitments` finds, and those with an evidence
    quote holding every word; each commitment once."""
    words = text.split()
    if not words:
        return queryset
    by_text = search_commitments(queryset.model._default_manager.all(), text).values("pk")
    by_quote = Evidence.objects.filter(
        reduce(and_, (_contains("quote", word) for word in words))
    ).values("commitment_id")
    return queryset.filter(Q(pk__in=by_text) | Q(pk__in=by_quote))
