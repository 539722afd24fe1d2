from django.core.management.base import CommandError

from common.commands import ImportCommand
from compliance.selectors import agency_today
from state_access.importers import apply_activity, find_system, plan_activity


class Command(ImportCommand):
    help = "Import last-login dates of one state system's accounts (CSV/XLSX: username,last_login), R-AC-3."
    import_kind = "account_activity"

    def add_arguments(self, parser):
        parser.add_argument("--system", required=True, metavar="NAME", help='e.g. "WebLEDS"')
        super().add_arguments(parser)

    def plan(self, *, agency, data, filename, options):
        system = find_system(agency=agency, name=options["system"])
        if system is None:
            raise CommandError(f'no state system named "{options["system"]}" for {agency.ori}')
        return plan_activity(agency=agency, system=system, data=data, filename=filename, today=agency_today(agency))

    def apply(self, *, plan, actor, filename):
        apply_activity(plan=plan, actor=actor, filename=filename)
