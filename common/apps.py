from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Common"

    def ready(self):
        from .reference_data import on_post_migrate

        # every app's reference data after migrate and after flush (a transactional test ends with one)
        post_migrate.connect(on_post_migrate, dispatch_uid="common.reference_data")
