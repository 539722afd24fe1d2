from django.apps import AppConfig


class StatewideConfig(AppConfig):
    name = "statewide"
    verbose_name = "Statewide view"
