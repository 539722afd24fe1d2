"""``manage.py send_reminders [--agency ORI] [--today YYYY-MM-DD] [--dry-run]`` — the same sweep beat runs."""

from datetime import date

from django.core.management.base import CommandError

from common.commands import LedsCommand
from people.models import Agency
from reminders.services import sweep


class Command(LedsCommand):
    help = "Queue today's reminders in the outbox; prints 'queued N reminders'."
    writes = False

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--agency", metavar="ORI")
        parser.add_argument("--today", metavar="YYYY-MM-DD")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        agencies = None
        if options["agency"]:
            agencies = list(Agency.objects.filter(ori=options["agency"].upper()))
            if not agencies:
                raise CommandError(f"No agency with ORI {options['agency']}.")
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError("--today must be a date like 2026-11-23.") from exc
        count = sweep(agencies=agencies, today=today, dry_run=options["dry_run"])
        self.stdout.write(f"{'would queue' if options['dry_run'] else 'queued'} {count} reminders")
