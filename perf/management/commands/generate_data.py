from django.core.management.base import BaseCommand, CommandError

from perf.generate import generate


class Command(BaseCommand):
    help = (
        "Add N generated commitments with evidence, status history, partners and responsible "
        "users, using bulk inserts (COPY on PostgreSQL). For benchmark databases."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commitments", type=int, required=True, metavar="N")
        parser.add_argument("--evidence-per", type=int, default=3)
        parser.add_argument("--history-per", type=int, default=3)
        parser.add_argument("--stale-share", type=float, default=0.3)
        parser.add_argument("--users", type=int, default=1000)
        parser.add_argument("--sources", type=int, default=200)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--flush",
            action="store_true",
            help="First delete ALL commitments, sources, reminders and generated users.",
        )

    def handle(self, *args, **options):
        try:
            report = generate(
                commitments=options["commitments"],
                evidence_per=options["evidence_per"],
                history_per=options["history_per"],
                stale_share=options["stale_share"],
                users=options["users"],
                sources=options["sources"],
                seed=options["seed"],
                flush=options["flush"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Generated {report.summary()}"))
