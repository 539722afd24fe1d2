"""Onboarding an agency's existing state-system accounts in the browser (issue 21), through the one import flow."""

from django.views.decorators.http import require_POST

from common.imports import ImportFlow, confirm_view, upload_view
from compliance.selectors import agency_today
from people.permissions import role_required
from people.scoping import LASO, LEDS_REPRESENTATIVE

from .importers import ACCOUNT_KNOWN, ACCOUNT_REQUIRED, apply_state_accounts, plan_state_accounts

ACCOUNT_STEPS = frozenset({LEDS_REPRESENTATIVE, LASO})  # the Representative, and the LASO for account steps

STATE_ACCOUNTS_IMPORT = ImportFlow(
    kind="state_accounts", title="Import existing state-system accounts", required=ACCOUNT_REQUIRED,
    optional=ACCOUNT_KNOWN, upload_template="state_access/state_accounts_import_upload.html",
    preview_template="state_access/state_accounts_import_preview.html",
    file_label="Accounts file",
    upload_url="background:import_state_accounts", confirm_url="background:import_state_accounts_confirm",
    done_url="background:accounts",
    plan=lambda request, data, filename, options: plan_state_accounts(
        agency=request.agency, data=data, filename=filename, today=agency_today(request.agency)),
    apply=lambda request, plan, filename, options: apply_state_accounts(plan=plan, actor=request.user,
                                                                        filename=filename),
)


@role_required(ACCOUNT_STEPS)
def import_state_accounts(request):
    return upload_view(request, STATE_ACCOUNTS_IMPORT)


@require_POST
@role_required(ACCOUNT_STEPS)
def import_state_accounts_confirm(request):
    return confirm_view(request, STATE_ACCOUNTS_IMPORT,
                        success=lambda plan, filename: f"State accounts imported from {filename}: {plan.summary()}.")
