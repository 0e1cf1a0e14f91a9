from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = (
        "Print the API token of a user, creating it if needed (--rotate replaces it). Any token "
        "reads; writes follow the user's countries (CountryMembership) or superuser status."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--rotate", action="store_true", help="Revoke the current token and issue a new one."
        )

    def handle(self, *args, username, rotate, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(
                f"No user “{username}”. Create it first (admin or createsuperuser)."
            ) from None
        if not user.is_active:
            raise CommandError(f"User “{username}” is inactive; a token would not authenticate.")
        if rotate:
            Token.objects.filter(user=user).delete()
        token, created = Token.objects.get_or_create(user=user)
        self.stderr.write(
            f"{'Issued a new' if created else 'Existing'} token for {username}; "
            "send it as `Authorization: Token <key>`."
        )
        self.stdout.write(token.key)
