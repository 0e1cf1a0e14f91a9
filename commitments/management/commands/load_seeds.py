from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from commitments.seeding import SeedError, load_seeds


class Command(BaseCommand):
    help = "Load the seed sources and commitments from seeds/ (idempotent; all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", default=str(Path(settings.BASE_DIR) / "seeds"), help="The seeds folder."
        )

    def handle(self, *args, **options):
        try:
            report = load_seeds(Path(options["dir"]))
        except SeedError as exc:
            raise CommandError(_("Nothing was loaded.") + f" {exc}") from exc
        self.stdout.write(self.style.SUCCESS(_("Seeds loaded.") + f" {report.summary()}"))
