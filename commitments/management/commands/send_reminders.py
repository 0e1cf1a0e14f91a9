"""Run the reminder job once, in this process, and print who gets (or would get) what."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from commitments import clock, reminders
from commitments.models import Commitment


def _moment(value: str | None) -> datetime:
    if not value:
        return clock.now()
    try:
        return clock.parse_moment(value)
    except ValueError as exc:
        raise CommandError(f"--now: {value!r} is not an ISO 8601 date-time.") from exc


class Command(BaseCommand):
    help = (
        "Send this period's stale-commitment digests now (each recipient at most once per "
        "period, as the beat job does). --dry-run prints them and sends and records nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print only; send nothing.")
        parser.add_argument("--now", help="Run as if at this ISO 8601 moment (default: now).")

    def handle(self, *args, dry_run: bool, now: str | None, **options):
        moment = _moment(now)
        report = reminders.run_once(moment, dry_run=dry_run)
        users = get_user_model().objects.in_bulk([d.recipient_id for d in report.digests])
        verb = "would send" if dry_run else "sending"
        self.stdout.write(
            f"Period {report.period}: {len(report.digests)} recipient(s) with stale commitments "
            f"({verb})."
        )
        for digest in report.digests:
            user = users[digest.recipient_id]
            titles = Commitment.objects.filter(pk__in=digest.commitment_ids).order_by("pk")
            if dry_run:
                outcome = "would send"
            elif digest.recipient_id in report.failures:
                outcome = f"FAILED: {report.failures[digest.recipient_id]}"
            else:
                outcome = str(report.deliveries[digest.recipient_id].outcome)
            self.stdout.write(
                f"- {user.get_username()} <{user.email}>: "
                f"{len(digest.commitment_ids)} commitment(s), {outcome}"
            )
            for title in titles.values_list("title", flat=True):
                self.stdout.write(f"    * {title}")
        if report.failures:
            raise CommandError(
                f"{len(report.failures)} digest(s) failed; they are recorded failed."
            )
