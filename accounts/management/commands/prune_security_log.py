"""Remove security-log rows past the retention, leaving a checkpoint row so the chain still verifies."""

from django.conf import settings

from accounts import security_log
from common.commands import LedsCommand


class Command(LedsCommand):
    help = (
        "Remove security-log rows older than the retention (SECURITY_LOG_RETENTION_DAYS, at least 365 days) "
        "and append a checkpoint row. Never removes younger rows."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--older-than-days", type=int, default=None, metavar="DAYS",
            help=f"Keep more than the retention ({settings.SECURITY_LOG_RETENTION_DAYS} days); a smaller "
                 "value is raised to the retention.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Count what would be removed; remove nothing.")

    def handle(self, *args, **options):
        actor = self.actor(options)
        days = max(options["older_than_days"] or 0, settings.SECURITY_LOG_RETENTION_DAYS)
        count = security_log.prune(actor=actor, older_than_days=days, dry_run=options["dry_run"])
        verb = "would remove" if options["dry_run"] else "removed"
        self.stdout.write(f"{verb} {count} security-log row(s) older than {days} days")
