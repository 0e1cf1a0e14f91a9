"""The performance lab's measure of the package (`manage.py measure_datapackage`), on a small
generated record: the 100,000-commitment figure in the README comes from the same code."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from commitments.opendata import schema
from perf.generate import generate
from perf.measurement.datapackage import measure_datapackage

pytestmark = pytest.mark.django_db


def test_the_build_and_the_downloads_of_a_generated_record_are_measured():
    generate(commitments=40, users=5, sources=2)

    m = measure_datapackage()

    assert (m.commitments, m.evidence) == (40, 120)
    assert m.build_seconds > 0 and m.package_bytes > 0
    assert m.build_queries == 3 + len(schema.RESOURCES) + 1
    assert m.serve_queries == 3  # the record's last change; no table read
    assert m.serve_median_ms > 0 and m.not_modified_median_ms > 0


def test_the_command_prints_the_figures_as_json():
    generate(commitments=5, users=2, sources=1)
    out = StringIO()

    call_command("measure_datapackage", "--json", stdout=out)

    assert json.loads(out.getvalue())["commitments"] == 5
