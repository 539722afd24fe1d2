"""Check the security log's hash chain (R-SEC-5): exit 0 when intact, 1 naming the first broken row."""

from django.core.management.base import CommandError

from accounts import security_log
from common.commands import LedsCommand


class Command(LedsCommand):
    help = "Verify the security log's hash chain; exits 1 naming the first row whose chain breaks."
    writes = False

    def handle(self, *args, **options):
        result = security_log.verify()
        if not result.ok:
            raise CommandError(
                f"security log BROKEN at row #{result.broken_id}: {result.reason} "
                f"({result.rows} rows before it are intact)",
                returncode=1,
            )
        self.stdout.write(f"security log OK ({result.rows} rows)")
