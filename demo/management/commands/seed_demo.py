from django.conf import settings
from django.core.management.base import CommandError

from common.commands import LedsCommand
from demo.seed import DEMO_PASSWORD, DEMO_USERS, seed_demo
from demo.seed_accounts import DEMO_TOTP_SECRET


class Command(LedsCommand):
    help = "Load believable demo agencies, role holders and people (idempotent; only with DEBUG on)."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=40, help="people per agency (default 40)")
        parser.add_argument("--agencies", type=int, default=2, help="demo agencies, 1 to 5 (default 2)")
        super().add_arguments(parser)

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs with DEBUG on: demo users have published passwords.")
        if not 1 <= options["agencies"] <= 5:
            raise CommandError("--agencies takes a number from 1 to 5")
        if options["people"] < 0:
            raise CommandError("--people takes a number of 0 or more")
        world = seed_demo(actor=self.actor(options), agencies=options["agencies"], people=options["people"])
        self.stdout.write(f"Demo data ready: {len(world.agencies)} agencies, {options['people']} people each.")
        self.stdout.write("Sign in at http://localhost:8000 with one of these (password for all: "
                          f"{DEMO_PASSWORD}; authenticator-app secret for all: {DEMO_TOTP_SECRET}):")
        self.stdout.write("Add the secret to any authenticator app (\"enter a setup key\", time-based), or print "
                          "the current code with: manage.py demo_totp_code USERNAME")
        for username, _agency, roles, _position in DEMO_USERS:
            if username in world.users:
                labels = ", ".join(str(r[0].label if isinstance(r, tuple) else r.label) for r in roles)
                self.stdout.write(f"  {username:<15} {DEMO_PASSWORD}  TOTP {DEMO_TOTP_SECRET}  {labels}")
