from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People"

    def ready(self):
        # at start-up, when models are loaded: the import flow keeps the agencies' column mappings here, and the
        # management commands (common/commands.py) find their actor, agency and mapping through people and accounts
        from accounts.services import resolve_actor
        from common.commands import set_command_hooks
        from common.imports import set_job_store, set_mapping_store

        from .models import Agency
        from .selectors import column_mapping
        from .services import ColumnMappingStore, ImportJobStore

        set_mapping_store(ColumnMappingStore())
        set_job_store(ImportJobStore())
        set_command_hooks(resolve_actor=resolve_actor, column_mapping=column_mapping,
                          agency_by_ori=lambda ori: Agency.objects.filter(ori=ori).first())
