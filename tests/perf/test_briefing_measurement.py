"""The lab's briefing measurement (`manage.py measure_briefing`) runs and reports honestly."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from commitments.briefing.models import BriefingRequest


@pytest.mark.django_db
def test_measure_briefing_reports_its_figures_as_json(seeded):
    out = io.StringIO()
    call_command("measure_briefing", "--items", "5", "--format", "pdf", "--json", stdout=out)
    figures = json.loads(out.getvalue().strip().splitlines()[-1])
    assert figures["items"] == 5
    assert figures["pages"] >= 2
    assert figures["seconds"] >= figures["gather_seconds"] > 0
    # The gathering's queries do not grow with the items: the record's last change, the rows
    # and their eight related lists.
    assert figures["queries"] == 10
    assert BriefingRequest.objects.count() == 0  # measured, not kept


@pytest.mark.django_db
def test_measure_briefing_refuses_a_database_too_small(seeded):
    with pytest.raises(CommandError, match="Only 21 commitments"):
        call_command("measure_briefing", "--items", "500")
