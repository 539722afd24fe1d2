from common.commands import ImportCommand
from compliance.selectors import agency_today
from state_access.importers import apply_state_accounts, plan_state_accounts


class Command(ImportCommand):
    help = ("Load the state-system accounts an agency already has (CSV/XLSX: system, username, employee_id, status, "
            "created_on, last_login); existing user names are updated, not duplicated; all or nothing.")
    import_kind = "state_accounts"

    def plan(self, *, agency, data, filename, options):
        return plan_state_accounts(agency=agency, data=data, filename=filename, today=agency_today(agency))

    def apply(self, *, plan, actor, filename):
        apply_state_accounts(plan=plan, actor=actor, filename=filename)
