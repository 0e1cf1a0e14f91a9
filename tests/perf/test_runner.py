"""The benchmark's own arithmetic; the heavy run itself is `manage.py benchmark`, not a test."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from commitments.models import Commitment
from perf.measurement.api import QUERY_BUDGET, over_budget
from perf.runner import LoadResult, Report, compute_ratios, render_table, throughput_ratio
from tests.support.factories import CommitmentFactory


def result(endpoint, n, rps, p95):
    return LoadResult(endpoint, n, int(rps * 10), 10.0, rps, p95 / 2, p95, p95 * 2, 0)


def test_ratios_and_targets_come_from_the_same_run():
    report = Report(options={})
    report.load = [
        result("our_list", 1000, 300, 20),
        result("bare_values_list", 1000, 400, 10),
        result("plain_drf_list", 1000, 100, 60),
        result("our_list", 100000, 280, 26),
        result("bare_values_list", 100000, 400, 10),
        result("plain_drf_list", 100000, 150, 60),
    ]

    compute_ratios(report, (1000, 100000))

    assert report.ratios["ours_over_bare_rps@1000"] == 0.75
    assert report.ratios["ours_over_plain_drf_rps@100000"] == pytest.approx(1.867, abs=1e-3)
    assert report.ratios["our_list_p95@100000_over_p95@1000"] == 1.3
    targets = report.targets
    assert targets["list >= 60% of bare .values() throughput"] == {"value": 0.7, "met": True}
    assert targets["list >= 2x plain DRF throughput"]["met"] is False  # 1.867 at 100k
    assert targets["list p95 at 100000 <= 1.5x p95 at 1000"]["met"] is True
    table = render_table(report)
    assert "[MISSED] list >= 2x plain DRF throughput" in table
    assert "[met] list >= 60% of bare" in table


def reminder_runs():
    """The reminder job at two sizes: queries grew with the digests, time 12.5x for 10x."""
    return [
        {"stale": 10_000, "recipients": 1_000, "digests": 1_000, "seconds": 4.0, "queries": 8_042},
        {
            "stale": 100_000,
            "recipients": 10_000,
            "digests": 10_000,
            "seconds": 50.0,
            "queries": 80_420,
        },
    ]


def test_reminder_targets_compare_queries_and_time_across_sizes():
    report = Report(options={})
    report.reminders = reminder_runs()

    compute_ratios(report, (1000,))

    assert report.targets["reminder queries grow with batches, not rows"]["met"] is True
    assert report.targets["reminder time grows at most linearly"] == {"value": 12.5, "met": False}

    report.reminders[1]["queries"] = 200_000  # 20 per digest where 8 were enough
    compute_ratios(report, (1000,))
    assert report.targets["reminder queries grow with batches, not rows"]["met"] is False


def test_query_counts_over_budget_are_named():
    at_budget = dict(QUERY_BUDGET)
    assert over_budget(at_budget, 1000) == []

    failures = over_budget({**at_budget, "our_list": QUERY_BUDGET["our_list"] + 1}, 1000)

    assert failures == [
        f"N=1000: our_list made {QUERY_BUDGET['our_list'] + 1} queries, "
        f"budget {QUERY_BUDGET['our_list']}"
    ]


@pytest.mark.django_db
def test_benchmark_refuses_a_database_it_would_wrongly_flush():
    CommitmentFactory(slug="a-real-commitment")

    with pytest.raises(CommandError, match=r"needs PostgreSQL|holds commitments"):
        call_command("benchmark", "--quick")

    assert Commitment.objects.filter(slug="a-real-commitment").exists()


def test_throughput_ratio_is_the_median_of_back_to_back_rounds():
    ours, bare = result("our_list", 1000, 100, 10), result("bare_values_list", 1000, 100, 10)
    # Round 2 fell on a burst of load from elsewhere that hit both sides alike.
    ours.rounds_rps, bare.rounds_rps = [90.0, 30.0, 88.0], [100.0, 60.0, 110.0]

    assert throughput_ratio(ours, bare) == 0.8


def test_ratios_targets_and_their_report_lines_are_pinned_for_a_known_run():
    def measured(endpoint, n, rps, p95, rounds_rps=(), cpu_ms=None):
        load = result(endpoint, n, rps, p95)
        load.rounds_rps, load.cpu_ms = list(rounds_rps), cpu_ms
        return load

    report = Report(options={})
    report.load = [
        measured("our_list", 1000, 300, 20, [300.0, 290.0, 310.0], cpu_ms=2.0),
        measured("bare_values_list", 1000, 400, 10, [400.0, 400.0, 400.0], cpu_ms=1.0),
        measured("plain_drf_list", 1000, 100, 60, [100.0, 100.0, 100.0], cpu_ms=8.0),
        measured("bare_flat_list", 1000, 500, 8),
        measured("our_list", 100000, 280, 26),
        measured("bare_values_list", 100000, 400, 10),
        measured("plain_drf_list", 100000, 150, 60),
    ]
    report.reminders = reminder_runs()

    compute_ratios(report, (1000, 100000))

    assert list(report.ratios.items()) == [
        ("ours_over_bare_rps@1000", 0.75),
        ("ours_over_bare_by_cpu@1000", 0.5),
        ("ours_over_plain_drf_rps@1000", 3.0),
        ("ours_over_plain_drf_by_cpu@1000", 4.0),
        ("ours_over_bare_flat_rps@1000", 0.6),
        ("ours_over_bare_rps@100000", 0.7),
        ("ours_over_plain_drf_rps@100000", 1.867),
        ("our_list_p95@100000_over_p95@1000", 1.3),
    ]
    assert list(report.targets.items()) == [
        ("list >= 60% of bare .values() throughput", {"value": 0.7, "met": True}),
        ("list >= 2x plain DRF throughput", {"value": 1.867, "met": False}),
        ("list p95 at 100000 <= 1.5x p95 at 1000", {"value": 1.3, "met": True}),
        (
            "reminder queries grow with batches, not rows",
            {
                "value": "8042 -> 80420 queries for 10x rows; per digest 8.04 -> 8.04; "
                "per stale commitment 0.804 -> 0.804",
                "met": True,
            },
        ),
        ("reminder time grows at most linearly", {"value": 12.5, "met": False}),
    ]
    table = render_table(report)
    assert table.split("\nratios:\n", 1)[1].splitlines() == [
        "  ours_over_bare_rps@1000: 0.75",
        "  ours_over_bare_by_cpu@1000: 0.5",
        "  ours_over_plain_drf_rps@1000: 3.0",
        "  ours_over_plain_drf_by_cpu@1000: 4.0",
        "  ours_over_bare_flat_rps@1000: 0.6",
        "  ours_over_bare_rps@100000: 0.7",
        "  ours_over_plain_drf_rps@100000: 1.867",
        "  our_list_p95@100000_over_p95@1000: 1.3",
        "",
        "targets (they set the exit code only with --fail-on-targets):",
        "  [met] list >= 60% of bare .values() throughput (0.7)",
        "  [MISSED] list >= 2x plain DRF throughput (1.867)",
        "  [met] list p95 at 100000 <= 1.5x p95 at 1000 (1.3)",
        "  [met] reminder queries grow with batches, not rows (8042 -> 80420 queries for 10x "
        "rows; per digest 8.04 -> 8.04; per stale commitment 0.804 -> 0.804)",
        "  [MISSED] reminder time grows at most linearly (12.5)",
    ]


def test_list_targets_are_missed_when_no_size_measured_the_references():
    report = Report(options={})
    report.load = [result("our_list", 1000, 300, 20)]

    compute_ratios(report, (1000,))

    assert report.ratios == {}
    assert report.targets == {
        "list >= 60% of bare .values() throughput": {"value": None, "met": False},
        "list >= 2x plain DRF throughput": {"value": None, "met": False},
    }


def test_the_briefing_target_is_the_issues_thirty_seconds_for_500():
    report = Report(options={})
    report.briefing = {
        "items": 500,
        "format": "pdf",
        "seconds": 19.3,
        "cpu_seconds": 11.6,
        "queries": 10,
        "pages": 146,
    }
    compute_ratios(report, (1000,))
    assert report.targets["briefing of 500 commitments as PDF <= 30 s"] == {
        "value": 19.3,
        "met": True,
    }
    assert "briefing: 500 commitments as pdf, 19.3 s (11.6 s of CPU)" in render_table(report)

    report.briefing["seconds"] = 31.0
    compute_ratios(report, (1000,))
    assert report.targets["briefing of 500 commitments as PDF <= 30 s"]["met"] is False
