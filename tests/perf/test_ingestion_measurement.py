"""The analysis reads the record in a fixed number of queries, whatever its size."""

from io import StringIO

import pytest
from django.core.management import call_command

from perf.generate import generate
from perf.measurement.ingestion import measure_analysis, sample_article


def test_sample_article_has_the_words_asked_for():
    text = sample_article(5000, "ru")
    assert 5000 <= len(text.split()) < 6000


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru"])
def test_query_count_does_not_grow_with_the_record(language):
    call_command("load_seeds", stdout=StringIO())
    generate(commitments=200, users=5, sources=2, seed=1)
    small = measure_analysis(words=1500, language=language)
    generate(commitments=1800, users=0, sources=1, seed=2)
    large = measure_analysis(words=1500, language=language)
    assert (small.commitments, large.commitments) == (221, 2021)
    assert small.suggestions > 0 and large.suggestions > 0
    # 11: the ten reads and writes of the analysis, and the source's stored proposal keys that
    # the suggestions' store reads once to keep one suggestion per distinct proposal.
    assert large.queries == small.queries <= 11


@pytest.mark.django_db
def test_command_reports_time_and_queries():
    call_command("load_seeds", stdout=StringIO())
    out = StringIO()
    call_command("measure_ingestion", "--words", "300", "--json", stdout=out)
    assert '"queries": ' in out.getvalue() and '"wall_seconds": ' in out.getvalue()
