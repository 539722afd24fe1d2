from common.commands import ImportCommand
from people.importers import apply_roster, plan_roster


class Command(ImportCommand):
    help = "Import the agency roster from an HR export (CSV or XLSX): all rows or nothing."
    import_kind = "roster"

    def plan(self, *, agency, data, filename, options):
        return plan_roster(agency=agency, data=data, filename=filename)

    def apply(self, *, plan, actor, filename):
        apply_roster(plan=plan, actor=actor, filename=filename)

    def report(self, plan):
        if plan.not_in_file:
            self.stdout.write(f"{len(plan.not_in_file)} people of the agency are not in this file (left untouched)")
