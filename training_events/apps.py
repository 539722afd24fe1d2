from django.apps import AppConfig


class TrainingEventsConfig(AppConfig):
    name = "training_events"
    verbose_name = "Training events"

    def ready(self):
        from notifications.services import register_composer

        from .notices import compose_registration_notice

        # the registration notice is rendered after the seat lock is released (issue 23)
        register_composer("training_events.registration", compose_registration_notice)

        from common.reference_data import register

        from .services import ensure_defaults

        register(self.label, ensure_defaults)  # this app's reference data (defaults.py), after migrate and flush
