"""Print the current authenticator-app code of a user (DEBUG only): signing in to the demo without a phone."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.management.base import CommandError

from accounts.factories import stored_totp_secret, totp_code
from accounts.models import User
from common.commands import LedsCommand


class Command(LedsCommand):
    help = "Print the current 6-digit TOTP code of USERNAME, as their authenticator app shows it (DEBUG only)."
    writes = False

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("username")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp_code only runs with DEBUG on.")
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f'no user named "{options["username"]}"')
        try:
            secret = stored_totp_secret(user)
        except Authenticator.DoesNotExist as exc:
            raise CommandError(f"{user.username} has no authenticator app set up") from exc
        self.stdout.write(totp_code(secret))
