from certification.importers import apply_records, plan_records
from common.commands import ImportCommand


class Command(ImportCommand):
    help = "Import certification, training and fingerprint records from a spreadsheet (CSV/XLSX): all or nothing."
    import_kind = "records"

    def plan(self, *, agency, data, filename, options):
        return plan_records(agency=agency, data=data, filename=filename)

    def apply(self, *, plan, actor, filename):
        apply_records(plan=plan, actor=actor, filename=filename)
