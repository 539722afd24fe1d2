from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People"

    def ready(self):
        # at start-up, when models are loaded: the import flow keeps the agencies' column mappings here
        from common.imports import set_mapping_store

        from .services import ColumnMappingStore

        set_mapping_store(ColumnMappingStore())
