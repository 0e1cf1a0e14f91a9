"""Make a coordinator who receives the digests of the seed data, with no password at all."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from commitments.models import Country, CountryMembership


class Command(BaseCommand):
    help = (
        "Create (or update) a coordinator of every country, with an email and an unusable "
        "password: nobody can log in as them, but the reminder job sends them the digest of "
        "every commitment that has no responsible user. For trying the reminders locally."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo-coordinator")
        parser.add_argument("--email", default="demo-coordinator@example.org")

    def handle(self, *args, username: str, email: str, **options):
        codes = list(Country.objects.order_by("code").values_list("code", flat=True))
        if not codes:
            raise CommandError(_("No countries yet: run `manage.py load_seeds` first."))
        with transaction.atomic():
            # Not staff and no usable password: a mailbox, not an account anyone can log in to.
            user, created = get_user_model().objects.get_or_create(
                username=username, defaults={"email": email}
            )
            if user.is_staff or user.is_superuser:
                raise CommandError(
                    _("%(user)s is a staff account: choose another --username.")
                    % {"user": username}
                )
            user.email = email
            user.set_unusable_password()
            user.save()
            for code in codes:
                CountryMembership.objects.update_or_create(
                    user=user, country_id=code, defaults={"is_coordinator": True}
                )
        self.stdout.write(
            f"{'Created' if created else 'Updated'} {username} <{email}>: coordinator of "
            f"{', '.join(codes)}, no usable password. Now run `manage.py send_reminders` and "
            "look in var/mail/."
        )
