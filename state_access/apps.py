from django.apps import AppConfig


class StateAccessConfig(AppConfig):
    name = "state_access"
    verbose_name = "State-system access"

    def ready(self):
        from common.reference_data import register

        from .services import ensure_defaults

        register(self.label, ensure_defaults)  # this app's reference data (defaults.py), after migrate and flush

        from compliance.registry import Provider, register, register_actions, register_labels

        from .defaults import ACTIONS
        from .models import DutyTransfer, StateAccount
        from .rules import evaluate_accounts
        from .selectors import count_not_eligible_with_active_accounts, load_accounts

        # R-AC-2, R-AC-3: one obligation of each per account, key "system:<name>"
        register(Provider(name="accounts", obligations=("account_disable", "account_inactive"), load=load_accounts,
                          evaluate=evaluate_accounts, order=60, remind_person=False,
                          watches=((StateAccount.history.model, "person_id"),
                                   (DutyTransfer.history.model, "person_id")),
                          figures=(("not_eligible_with_accounts", count_not_eligible_with_active_accounts),)))
        register_actions(ACTIONS)  # accounts: the LEDS Representative
        register_labels({"account_disable": "Account disabled within 24 hours", "account_inactive": "Unused account",
                         "account_inactivity": "Account unused 90 days", "access_review": "Access review"})

        from people.history import register_person_history

        register_person_history(StateAccount, label="State accounts",
                                roles={"leds_rep", "laso", "agency_auditor", "state_auditor"})
        register_person_history(DutyTransfer, label="Transfers",
                                roles={"leds_rep", "laso", "agency_auditor", "state_auditor"})
