from django.apps import AppConfig


class ValidationsConfig(AppConfig):
    name = "validations"
    verbose_name = "Validations"

    def ready(self):
        from compliance.registry import register_labels

        # how the rule table's validation rows read on its page (R-VA-2, R-VA-3)
        register_labels({
            "validation_certification": "Validation list certified",
            "validation_window_opens": "First validation window opens",
            "validation_first": "First validation of an entry",
            "validation_repeat": "Yearly revalidation of person records",
        })
