import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from commitments import messages
from commitments.opendata import exporting, schema


class Command(BaseCommand):
    help = (
        "Write the whole public record as a Frictionless Data Package (datapackage.json and one "
        "CSV file per table) into a zip file. The same record gives the same bytes."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The zip file to write, e.g. kz-kg-commitments.zip.")
        parser.add_argument(
            "--with-source-texts",
            action="store_true",
            help=(
                "Add the sources' full texts (a text column in sources.csv), so that another "
                "secretariat can import the record into an empty database. Press articles are "
                "their publishers': never publish this file."
            ),
        )

    def handle(self, *args, path: str, with_source_texts: bool = False, **options):
        target = Path(path)
        if target.suffix.lower() != ".zip":
            raise CommandError(
                _("Give a file name ending in .zip, e.g. %(example)s.")
                % {"example": "kz-kg-commitments.zip"}
            )
        if target.is_dir():
            raise CommandError(_("%(path)s is a folder: give a file name.") % {"path": path})
        folder = target.parent
        if not folder.is_dir():
            raise CommandError(_("The folder %(path)s does not exist.") % {"path": str(folder)})
        try:
            # Written beside the target and renamed into place: never half a file at the path.
            fd, partial = tempfile.mkstemp(dir=folder, prefix=".", suffix=".zip")
        except OSError as exc:
            raise CommandError(
                _("Cannot write into %(path)s: %(reason)s")
                % {
                    "path": str(folder),
                    "reason": exc.strerror,
                }
            ) from exc
        try:
            with os.fdopen(fd, "wb") as handle:
                descriptor = exporting.write_package(
                    handle, schema.resources(with_source_texts=with_source_texts)
                )
            os.chmod(partial, 0o644)
            os.replace(partial, target)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        self.stdout.write(
            _("Wrote %(path)s: %(tables)d tables, the record as of %(date)s.")
            % {
                "path": str(target),
                "tables": len(descriptor["resources"]),
                "date": descriptor.get("last_modified", "–"),
            }
        )
        if with_source_texts:
            self.stdout.write(str(messages.EXPORT_WITH_SOURCE_TEXTS))
