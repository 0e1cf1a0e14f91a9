"""Build a briefing now and write it to a file: the secretariat's document from the shell."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from commitments.briefing import content, services


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"--{name}: {' '.join(str(m) for m in messages)}"
            for name, messages in error.message_dict.items()
        )
    return " ".join(str(m) for m in error.messages)


class Command(BaseCommand):
    help = (
        "Write the briefing on a meeting's or a country's commitments: status, changes since a "
        "date, progress, slippage, the parties' accounts, ratification and who is responsible."
    )

    def add_arguments(self, parser):
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--meeting", help="The meeting's key, e.g. igc-bishkek-2024.")
        scope.add_argument("--country", help="An ISO code, e.g. KZ.")
        parser.add_argument(
            "--since",
            help="What changed since this date (YYYY-MM-DD); default: the previous meeting's "
            "date, or 90 days before the record's last change.",
        )
        parser.add_argument("--language", required=True, choices=content.LANGUAGES)
        parser.add_argument("--format", required=True, choices=content.FORMATS, dest="fmt")
        parser.add_argument("--output", required=True, help="The file to write.")

    def handle(self, *args, meeting, country, since, language, fmt, output, **options):
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"--output: the folder {path.parent} does not exist.")
        scope = content.Scope(meeting=meeting or "", country=(country or "").upper())
        # Refusals in the language asked for, as the document would be.
        with translation.override(language):
            try:
                ready = services.build_file(
                    scope, language=language, fmt=fmt, since=content.parse_since(since)
                )
            except ValidationError as exc:
                raise CommandError(_messages(exc)) from exc
        path.write_bytes(ready.data)
        self.stdout.write(f"Wrote {path} ({len(ready.data)} bytes).")
