from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = "Compliance"

    def ready(self):
        from .staleness import connect

        connect()  # every watched write marks what it makes stale (issue 23)
