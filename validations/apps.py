from django.apps import AppConfig


class ValidationsConfig(AppConfig):
    name = "validations"
    verbose_name = "Validations"

    def ready(self):
        from common.reference_data import register

        from .services import ensure_defaults

        register(self.label, ensure_defaults)  # this app's reference data (defaults.py), after migrate and flush

        from compliance.registry import Provider, register, register_labels

        from .models import ValidationCycle, ValidationEntry
        from .rules import WORKLIST, evaluate_worklist
        from .selectors import load_worklists

        # R-VA-3, R-VA-4: a validator owes an outcome on each entry assigned to them by the list's due date; the
        # reminder sweep e-mails them (remind_person). An entry's history row names its validator, so recording
        # an outcome recomputes that validator; importing or certifying a list recomputes the agency. (A
        # reassignment's previous validator catches up with the next day's recomputation; the sweep always
        # computes afresh.)
        register(Provider(name="validations", obligations=(WORKLIST,), load=load_worklists,
                          evaluate=evaluate_worklist, order=70, act_url_name="validations:worklist",
                          watches=((ValidationEntry.history.model, "validator_id"),
                                   (ValidationCycle.history.model, None))))

        # the validator picker offers only certified staff (R-VA-4), from the stored obligations (issue 23)
        from compliance.selectors import agency_today
        from people.selectors import register_search_scope

        from .selectors import certified_validators

        def validators(people, agency):
            return certified_validators(people=people, agency=agency, today=agency_today(agency))

        register_search_scope("validators", validators)

        from compliance.registry import register_actions

        register_actions({WORKLIST: ("person", "Validate each record assigned to you on your validation worklist in "
                                               "LEDS Admin, and record the outcome of each.")})

        # how the rule table's validation rows read on its page (R-VA-2, R-VA-3)
        register_labels({
            "validation_certification": "Validation list certified",
            "validation_window_opens": "First validation window opens",
            "validation_first": "First validation of an entry",
            "validation_repeat": "Yearly revalidation of person records",
            WORKLIST: "Validation worklist",
        })
