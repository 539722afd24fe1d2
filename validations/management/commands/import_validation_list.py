from datetime import date

from django.core.management.base import CommandError

from common.commands import ImportCommand
from validations.importers import apply_validation_list, plan_validation_list


def _received(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f'--received "{value}" is not a date (YYYY-MM-DD)') from exc


class Command(ImportCommand):
    help = ("Import the state's monthly validation list (CSV or XLSX: NIC,ORI,OCA,MKE,DTE,SUBJECT[,OPERATOR]) "
            "as a new validation cycle: all entries or nothing (R-VA-1, R-VA-3, R-VA-5).")
    import_kind = "validation_list"

    def add_arguments(self, parser):
        parser.add_argument("--received", required=True, metavar="YYYY-MM-DD", help="the day the list was received")
        super().add_arguments(parser)

    def plan(self, *, agency, data, filename, options):
        return plan_validation_list(agency=agency, received_on=_received(options["received"]), data=data,
                                    filename=filename)

    def apply(self, *, plan, actor, filename):
        apply_validation_list(plan=plan, actor=actor, filename=filename)
