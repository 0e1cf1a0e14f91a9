import datetime as dt
import itertools
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.utils import timezone

from commitments import rules
from commitments.models import Commitment, CountryMembership, Evidence, StatusChange
from perf.generate import generate
from tests.support.factories import CommitmentFactory

NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_generator_writes_the_requested_volumes():
    report = generate(commitments=120, evidence_per=3, history_per=3, users=15, sources=8, now=NOW)

    assert Commitment.objects.count() == report.commitments == 120
    assert Evidence.objects.count() == report.evidence == 360
    assert StatusChange.objects.count() == report.status_changes
    # Every commitment has its creation row; chains are about `history_per` long.
    assert 120 < report.status_changes <= 120 * 3
    assert set(Commitment.objects.values_list("status", flat=True)) == set(rules.Status.values)
    assert Commitment.objects.values("owner_country").distinct().count() == 5
    assert Commitment.objects.values("category").distinct().count() > 5
    assert report.users == 15
    assert CountryMembership.objects.filter(user__username__startswith="gen-user-").count() == 15
    responsible = Commitment.responsible_users.through.objects
    assert responsible.values("user").distinct().count() > 10
    assert Commitment.objects.filter(responsible_users__isnull=True).exists()
    # The pages and the API read each language's column: generated records have English text.
    assert not Commitment.objects.filter(title_en__isnull=True).exists()
    assert all(c.title and c.description for c in Commitment.objects.all()[:5])


@pytest.mark.django_db
def test_exactly_the_requested_share_is_stale_by_the_domain_rule():
    generate(commitments=200, stale_share=0.3, users=5, sources=3, now=NOW)

    assert Commitment.objects.stale(NOW).count() == 60
    stale = Commitment.objects.stale(NOW)
    assert all(c.is_stale(NOW) for c in stale)
    assert not any(c.is_stale(NOW) for c in Commitment.objects.not_stale(NOW))


@pytest.mark.django_db
def test_every_quote_occurs_verbatim_in_its_source_text():
    generate(commitments=40, evidence_per=3, users=3, sources=4, now=NOW)

    evidence = list(Evidence.objects.select_related("source"))
    assert len(evidence) == 120
    for item in evidence:
        assert item.quote and item.source.contains_quote(item.quote)
        item.full_clean()


@pytest.mark.django_db
def test_status_history_is_a_chain_of_allowed_moves_ending_in_the_current_status():
    generate(commitments=80, history_per=4, users=3, sources=2, now=NOW)

    chains = defaultdict(list)
    for change in StatusChange.objects.order_by("commitment_id", "changed_at", "id"):
        chains[change.commitment_id].append(change)
    for commitment in Commitment.objects.all():
        chain = chains[commitment.pk]
        assert chain[0].old_status == "" and chain[0].new_status == rules.Status.ANNOUNCED
        for before, after in itertools.pairwise(chain):
            assert after.old_status == before.new_status
            rules.check_transition(after.old_status, after.new_status)
        assert chain[-1].new_status == commitment.status


@pytest.mark.django_db
def test_generating_again_appends_and_flush_replaces_everything():
    CommitmentFactory(slug="kept-until-flush")
    generate(commitments=10, users=2, sources=1, now=NOW)
    generate(commitments=10, users=2, sources=1, now=NOW, seed=7)
    assert Commitment.objects.count() == 21
    assert Commitment.objects.filter(slug="kept-until-flush").exists()

    generate(commitments=5, users=2, sources=1, now=NOW, flush=True)

    assert Commitment.objects.count() == 5
    assert not Commitment.objects.filter(slug="kept-until-flush").exists()
    assert CountryMembership.objects.filter(user__username__startswith="gen-user-").count() == 2


@pytest.mark.django_db
def test_generated_ids_leave_the_sequence_usable_for_new_commitments():
    generate(commitments=10, users=1, sources=1, now=NOW)

    created = CommitmentFactory()

    assert created.pk > max(Commitment.objects.exclude(pk=created.pk).values_list("pk", flat=True))


@pytest.mark.django_db
def test_generate_data_command_reports_what_it_wrote(capsys):
    call_command("generate_data", "--commitments", "12", "--users", "3", "--stale-share", "0.5")

    out = capsys.readouterr().out
    assert "12 commitments, 36 evidence" in out
    assert Commitment.objects.stale(timezone.now()).count() == 6


@pytest.mark.django_db
def test_generator_refuses_a_share_outside_zero_to_one():
    with pytest.raises(ValueError, match="stale_share"):
        generate(commitments=1, stale_share=1.5)
    assert not Commitment.objects.exists()
