from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.models import ApiToken


class Command(BaseCommand):
    help = (
        "Issue an API token of a user for one system and print its key, which is shown only "
        "this once (only a hash is stored). Any token reads; writes follow the user's countries "
        "(CountryMembership) or superuser status. Revoke with revoke_token or in admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--name",
            required=True,
            help="The system that will use the token, e.g. ministry-portal.",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=(
                "Days until it expires "
                f"(default API_TOKEN_TTL_DAYS, {settings.API_TOKEN_TTL_DAYS})."
            ),
        )
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="Revoke the user's active tokens of the same name first.",
        )

    def handle(self, *args, username, name, days, rotate, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(
                _("No user “%(user)s”. Create it first (admin or createsuperuser).")
                % {"user": username}
            ) from None
        if not user.is_active:
            raise CommandError(
                _("User “%(user)s” is inactive; a token would not authenticate.")
                % {"user": username}
            )
        name = name.strip()
        if not name or len(name) > 100:
            raise CommandError(_("--name must be 1 to 100 characters: the system using the token."))
        if days is not None and days < 1:
            raise CommandError(_("--days must be at least 1."))
        revoked = ApiToken.objects.filter(user=user, name=name).revoke() if rotate else 0
        token, key = ApiToken.objects.issue(user, name, days=days)
        expires = timezone.localtime(token.expires_at).strftime("%Y-%m-%d %H:%M %Z")
        self.stderr.write(
            (
                _("Revoked %(count)d token(s) named “%(name)s”. ")
                % {"count": revoked, "name": name}
                if rotate
                else ""
            )
            + _(
                "Issued token “%(name)s” for %(user)s, expiring %(expires)s. Copy the key now: "
                "it is not stored and cannot be shown again. Send it as "
                "`Authorization: Token <key>`."
            )
            % {"name": name, "user": username, "expires": expires}
        )
        self.stdout.write(key)
