from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from commitments import messages
from commitments.opendata import importing
from commitments.opendata.reading import PackageRefused


class Command(BaseCommand):
    help = (
        "Import a data package (the .zip export_datapackage writes, its folder, or one of its CSV "
        "tables) through the services: a plan of what is created, changed and refused, then all "
        "or nothing. Exits with 1 when anything is refused (nothing is saved then)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The package: a .zip, a folder, or one CSV table.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show the plan and save nothing."
        )
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="The user the import acts as: their countries scope it, history names them.",
        )

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None or not user.is_active:
            raise CommandError(_("No active user named %(name)s.") % {"name": options["username"]})
        path = Path(options["path"])
        try:
            plan = importing.import_package(path, path.name, user, apply=not options["dry_run"])
        except PackageRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            raise CommandError(str(messages.IMPORT_PACKAGE_REFUSED)) from refused
        for line in importing.describe(plan):
            self.stdout.write(line)
        if plan.refused:
            raise CommandError(str(messages.IMPORT_NOTHING_SAVED))
        if not plan.changes_anything:
            self.stdout.write(str(messages.IMPORT_NOTHING_TO_DO))
        elif plan.applied:
            self.stdout.write(self.style.SUCCESS(str(messages.IMPORT_APPLIED)))
        else:
            self.stdout.write(str(messages.IMPORT_DRY_RUN))
