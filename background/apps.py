from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "background"
    verbose_name = "Background"

    def ready(self):
        from compliance.registry import Provider, register

        from .models import FingerprintCheck
        from .rules import evaluate_background
        from .selectors import load_fingerprints

        register(Provider(name="background", obligations=("fingerprints",), load=load_fingerprints,
                          evaluate=evaluate_background, order=10,
                          watches=((FingerprintCheck.history.model, "person_id"),)))

        from people.history import register_person_history

        # R-BG-4: background records only for the LASO, the LEDS Representative and auditors
        register_person_history(FingerprintCheck, label="Fingerprints",
                                roles={"leds_rep", "laso", "agency_auditor", "state_auditor"})
