from django.apps import AppConfig


class PaperworkConfig(AppConfig):
    name = "paperwork"
    verbose_name = "Paperwork"

    def ready(self):
        # registered at start-up, when every app is loaded (compliance's services need the models)
        from common.reference_data import register

        from .services import ensure_defaults

        register(self.label, ensure_defaults)  # this app's rule-table row (defaults.py), after migrate and flush
