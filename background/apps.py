from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "background"
    verbose_name = "Background"

    def ready(self):
        from common.reference_data import register

        from .services import ensure_defaults

        register(self.label, ensure_defaults)  # this app's reference data (defaults.py), after migrate and flush

        from compliance.registry import Provider, register, register_labels

        from .models import DutyTransfer, FingerprintCheck, StateAccount
        from .rules import evaluate_accounts, evaluate_background, evaluate_background_check
        from .selectors import (
            count_not_eligible_with_active_accounts,
            load_accounts,
            load_background_checks,
            load_fingerprints,
        )

        register(Provider(name="background", obligations=("fingerprints",), load=load_fingerprints,
                          evaluate=evaluate_background, order=10,
                          watches=((FingerprintCheck.history.model, "person_id"),)))
        # R-BG-1: open until cleared; sensitive, so others see only "complete" / "pending" (R-BG-4)
        # R-BG-3: rescreening after a cleared check. Neither is the person's to act on: no reminder e-mail to them.
        register(Provider(name="background_check", obligations=("background_check", "background_rescreening"),
                          load=load_background_checks, evaluate=evaluate_background_check, order=11,
                          watches=((FingerprintCheck.history.model, "person_id"),), remind_person=False))
        # R-AC-2, R-AC-3: one obligation of each per account, key "system:<name>"
        register(Provider(name="accounts", obligations=("account_disable", "account_inactive"), load=load_accounts,
                          evaluate=evaluate_accounts, order=60, remind_person=False,
                          watches=((StateAccount.history.model, "person_id"),
                                   (DutyTransfer.history.model, "person_id")),
                          figures=(("not_eligible_with_accounts", count_not_eligible_with_active_accounts),)))

        from compliance.registry import register_actions

        from .defaults import ACTIONS

        register_actions(ACTIONS)  # fingerprints: the person; background: the LASO; accounts: the LEDS Representative
        register_labels({"fingerprints": "Fingerprints",
                         "background_check": "Background check", "background_decision": "Background check decided",
                         "background_rescreening": "Rescreening",
                         "account_disable": "Account disabled within 24 hours", "account_inactive": "Unused account",
                         "account_inactivity": "Account unused 90 days", "access_review": "Access review"})

        from people.history import register_person_history

        from .views import log_background_read

        # R-BG-4: background records only for the LASO, the LEDS Representative and auditors; a history page that
        # shows them writes one security-log row
        register_person_history(FingerprintCheck, label="Fingerprints",
                                roles={"leds_rep", "laso", "agency_auditor", "state_auditor"},
                                on_read=lambda *, request, person: log_background_read(
                                    request=request, person=person, view="history"))
        register_person_history(StateAccount, label="State accounts",
                                roles={"leds_rep", "laso", "agency_auditor", "state_auditor"})
        register_person_history(DutyTransfer, label="Transfers",
                                roles={"leds_rep", "laso", "agency_auditor", "state_auditor"})
