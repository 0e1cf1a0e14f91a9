from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from commitments.models import ApiToken


class Command(BaseCommand):
    help = (
        "Revoke API tokens: a user's tokens of one system (--name), or all of them (--all). "
        "Revoked tokens stop authenticating at once and stay listed in admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--name", help="Revoke the tokens of this system.")
        which.add_argument(
            "--all", dest="revoke_all", action="store_true", help="Revoke all of the user's tokens."
        )

    def handle(self, *args, username, name, revoke_all, **options):
        User = get_user_model()
        if not User.objects.filter(**{User.USERNAME_FIELD: username}).exists():
            raise CommandError(_("No user “%(user)s”.") % {"user": username})
        tokens = ApiToken.objects.filter(**{f"user__{User.USERNAME_FIELD}": username})
        if not revoke_all:
            tokens = tokens.filter(name=name)
        count = tokens.revoke()
        self.stdout.write(
            _("Revoked %(count)d token(s) of %(user)s.") % {"count": count, "user": username}
        )
