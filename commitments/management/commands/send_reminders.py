"""Run the reminder job once, in this process, and print who gets (or would get) what."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from commitments import clock
from commitments.models import Commitment
from commitments.reminders.delivery import Outcome, run_once


class Command(BaseCommand):
    help = (
        "Send the digests this period still owes now (each recipient at most once per period, "
        "as the beat job does). --dry-run prints them and sends and records nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print only; send nothing.")
        parser.add_argument("--now", help="Run as if at this ISO 8601 moment (default: now).")

    def handle(self, *args, dry_run: bool, now: str | None, **options):
        try:
            moment = clock.parse_moment(now)
        except clock.InvalidMoment as exc:
            raise CommandError(f"--now: {exc}") from exc
        report = run_once(moment, dry_run=dry_run)
        plan = report.plan
        users = get_user_model().objects.in_bulk([d.recipient_id for d in plan.digests])
        verb = "would send" if dry_run else "sending"
        self.stdout.write(
            f"Period {plan.period}: {len(plan.digests)} recipient(s) owed a digest ({verb}); "
            f"{plan.already_reminded} already reminded this period"
            + (f"; {plan.gave_up} refused for good by the mail server" if plan.gave_up else "")
            + "."
        )
        titles = dict(
            Commitment.objects.filter(
                pk__in={pk for d in plan.digests for pk in (*d.commitment_ids, *d.due_ids)}
            ).values_list("pk", "title")
        )
        for digest in plan.digests:
            user = users[digest.recipient_id]
            if dry_run:
                outcome = "would send"
            else:
                delivery = report.deliveries[digest.recipient_id]
                outcome = str(delivery.outcome)
                if delivery.outcome is Outcome.FAILED:
                    outcome = f"FAILED: {delivery.error}"
            self.stdout.write(
                f"- {user.get_username()} <{user.email}>: "
                f"{len(digest.commitment_ids)} stale, {len(digest.due_ids)} due, {outcome}"
            )
            for pk in sorted({*digest.commitment_ids, *digest.due_ids}):
                self.stdout.write(f"    * {titles[pk]}")
        if report.failures:
            raise CommandError(
                _(
                    "%(count)d digest(s) failed; they are recorded failed and a later run of this "
                    "period retries them."
                )
                % {"count": len(report.failures)}
            )
