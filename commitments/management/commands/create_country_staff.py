import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from commitments.staff import SECRETARIAT_GROUP, create_country_staff

PASSWORD_ENV = "STAFF_PASSWORD"  # noqa: S105  (the variable's name, not a password)


class Command(BaseCommand):
    help = (
        "Create a secretariat staff user for one or more countries (or add countries to an "
        f"existing one). The password comes from ${PASSWORD_ENV} or a prompt, never the "
        "command line."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--country",
            action="append",
            required=True,
            help="ISO code of a country the user works for; repeat for several.",
        )
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--coordinator",
            action="store_true",
            help="Coordinators get reminders for commitments with no responsible user.",
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help=f"Never prompt; a new user's password must then be in ${PASSWORD_ENV}.",
        )

    def handle(self, *args, **options):
        username = options["username"].strip()
        if not username:
            raise CommandError(_("--username: give a user name."))
        exists = get_user_model().objects.filter(username=username).exists()
        password = os.environ.get(PASSWORD_ENV) or None
        if password is None and not exists:
            if not options["interactive"]:
                raise CommandError(
                    _("A new user needs a password: set $%(env)s.") % {"env": PASSWORD_ENV}
                )
            password = self._prompt_password()
        if password is not None:
            try:
                validate_password(password, get_user_model()(username=username))
            except ValidationError as exc:
                raise CommandError(_("Password refused: ") + " ".join(exc.messages)) from exc
        try:
            user, created = create_country_staff(
                username=username,
                country_codes=options["country"],
                password=password,
                email=options["email"],
                coordinator=options["coordinator"],
            )
        except ValidationError as exc:
            problems = "; ".join(
                f"--{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()
            )
            raise CommandError(_("Nothing was saved.") + f" {problems}") from exc
        countries = ", ".join(
            m.country_id + (" (" + _("coordinator") + ")" if m.is_coordinator else "")
            for m in user.country_memberships.order_by("country_id")
        )
        message = (
            _("Created staff user %(user)s in group “%(group)s”; countries: %(countries)s.")
            if created
            else _("Updated staff user %(user)s in group “%(group)s”; countries: %(countries)s.")
        )
        self.stdout.write(
            self.style.SUCCESS(
                message
                % {"user": user.username, "group": SECRETARIAT_GROUP, "countries": countries}
            )
        )

    def _prompt_password(self) -> str:
        for _attempt in range(3):
            first = getpass.getpass(_("Password: "))
            if first and first == getpass.getpass(_("Password (again): ")):
                return first
            self.stderr.write(_("Passwords were empty or did not match; try again."))
        raise CommandError(_("No password given; nothing was saved."))
