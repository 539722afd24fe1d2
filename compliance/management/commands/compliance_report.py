from datetime import date

from django.core.management.base import CommandError

from common.commands import LedsCommand
from compliance.reports import as_csv, as_json, compliance_report
from people.models import Agency


class Command(LedsCommand):
    help = "Print every person of an agency with their obligations (JSON or CSV)."
    writes = False

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, metavar="ORI")
        parser.add_argument("--today", metavar="YYYY-MM-DD", help="evaluate as of this date (default: today in "
                                                                   "the agency's time zone)")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, **options):
        agency = Agency.objects.filter(ori=options["agency"].strip().upper()).first()
        if agency is None:
            raise CommandError(f'no agency with ORI "{options["agency"]}"')
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f'--today "{options["today"]}" is not a date (YYYY-MM-DD)') from exc
        report = compliance_report(agency=agency, today=today)
        self.stdout.write(as_json(report) if options["format"] == "json" else as_csv(report), ending="\n")
