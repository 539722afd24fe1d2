from django.apps import AppConfig


class TrainingEventsConfig(AppConfig):
    name = "training_events"
    verbose_name = "Training events"
