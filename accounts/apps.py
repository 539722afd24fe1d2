from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from common.reference_data import register

        from .services import ensure_defaults

        register(self.label, ensure_defaults)  # this app's reference data (defaults.py), after migrate and flush

        from . import signals  # connects the security-log receivers

        signals.connect_admin_log()
