from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = "Certification"

    def ready(self):
        from common.reference_data import register

        from .services import ensure_defaults

        register(self.label, ensure_defaults)  # this app's reference data (defaults.py), after migrate and flush

        from compliance.registry import Provider, register, register_labels

        from .models import (
            CertificationLevel,
            CertificationResult,
            SecurityAwarenessCompletion,
            SecurityIncident,
            TrainingGuideCompletion,
            TrainingGuideIssue,
        )
        from .rules import evaluate_certification
        from .selectors import load_certification_records

        register(Provider(
            name="certification",
            obligations=("training_guide_issue", "training_guide_completion", "initial_certification",
                         "recertification", "security_awareness", "security_retraining"),
            load=load_certification_records,
            evaluate=evaluate_certification,
            order=20,
            # an incident's people are an m2m without history: its history row recomputes the agency
            watches=((CertificationResult.history.model, "person_id"), (TrainingGuideIssue.history.model, "person_id"),
                     (SecurityAwarenessCompletion.history.model, "person_id"), (SecurityIncident.history.model, None),
                     (CertificationLevel.history.model, None)),
        ))

        register_labels({"training_guide_issue": "Training guide issued",
                         "training_guide_completion": "Training guide completed",
                         "initial_certification": "Initial certification", "recertification": "Recertification",
                         "security_awareness": "Security awareness", "security_retraining": "Security retraining",
                         "class_pass_recorded_in_leds": "Class pass recorded in LEDS"})

        from people.history import register_person_history

        register_person_history(CertificationResult, label="Certification")
        register_person_history(TrainingGuideIssue, label="Training guide")
        register_person_history(TrainingGuideCompletion, label="Training guide completed again")
        register_person_history(SecurityAwarenessCompletion, label="Security awareness")

        from .models import Enrollment

        register_person_history(Enrollment, label="Certification class")
