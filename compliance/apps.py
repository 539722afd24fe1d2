from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = "Compliance"

    def ready(self):
        from .staleness import connect

        connect()  # every watched write marks what it makes stale (issue 23)

        from people.selectors import register_roster_extension

        from .selectors import roster_with_verdicts

        register_roster_extension(roster_with_verdicts)  # the roster's verdict column and filter (R-PE-3)

        from .defaults import DEFAULT_ACTIONS
        from .registry import register_actions

        register_actions(DEFAULT_ACTIONS)  # who is reminded of each obligation, and what to do (issue 22)

        from common.reference_data import register

        from .services import ensure_defaults

        register(self.label, ensure_defaults)  # this app's reference data (defaults.py), after migrate and flush
