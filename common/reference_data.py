"""Reference data in code: the rows the program needs before anyone signs in (DESIGN.md "Fixed decisions").

Each app declares its defaults in ``<app>/defaults.py`` (rule-table rows, levels, the state's systems, the MKE
table, its beat schedule) and registers one ``ensure`` function from its ``AppConfig.ready``.
``ensure_reference_data()`` runs them all, in INSTALLED_APPS order. It creates missing rows only and never changes
a row that exists, so an administrator's edits (rule numbers, guidance, a renamed schedule) stay. It runs after
every ``migrate`` and after every ``flush`` (Django sends ``post_migrate`` after both; a transactional test ends
with a flush) and from the test session's setup, so no test and no factory puts reference data back by hand.

Data migrations only move data: the old seeding migrations are ``RunPython.noop`` (they must not call today's
models, and a migration cannot see rows added to the defaults later).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from django.apps import AppConfig, apps
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

Ensure = Callable[..., None]  # ensure(*, using: str) -> None
_registry: dict[str, Ensure] = {}


def register(app_label: str, ensure: Ensure) -> None:
    """Called from an app's ``ready()``: ``ensure(using=alias)`` creates that app's missing reference rows."""
    _registry[app_label] = ensure


def ensure_reference_data(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Create every app's missing reference rows (idempotent; existing rows are left as they are)."""
    order = [config.label for config in apps.get_app_configs()]
    with transaction.atomic(using=using):
        for label in sorted(_registry, key=order.index):
            _registry[label](using=using)


def create_missing(model: type[models.Model], *, key: Iterable[str], rows: Iterable[Mapping], using: str) -> int:
    """Create the rows (field → value) whose ``key`` fields match no existing row; return how many were made."""
    key = tuple(key)
    manager = model._default_manager.db_manager(using)
    made = 0
    for row in rows:
        if not manager.filter(**{field: row[field] for field in key}).exists():
            manager.create(**row)
            made += 1
    return made


def ensure_periodic_tasks(schedules: Iterable[Mapping], *, using: str) -> int:
    """Create the beat schedule's missing entries, each known by its task (an administrator may rename it, change
    its times or switch it off in the admin; deleting it brings it back at the next migrate).

    A schedule is ``{"name", "task", "crontab": {"minute", "hour", "day_of_week", "timezone"}}`` or
    ``{"name", "task", "interval": {"every", "period"}}``.
    """
    made = 0
    for schedule in schedules:
        if PeriodicTask.objects.using(using).filter(task=schedule["task"]).exists():
            continue
        when = {}
        if "crontab" in schedule:
            crontab = {"day_of_week": "*", "day_of_month": "*", "month_of_year": "*", **schedule["crontab"]}
            when["crontab"] = CrontabSchedule.objects.using(using).get_or_create(**crontab)[0]
        else:
            when["interval"] = IntervalSchedule.objects.using(using).get_or_create(**schedule["interval"])[0]
        PeriodicTask.objects.using(using).create(name=schedule["name"], task=schedule["task"], enabled=True, **when)
        made += 1
    return made


def _fully_migrated(using: str) -> bool:
    executor = MigrationExecutor(connections[using])
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def on_post_migrate(sender: AppConfig, using: str = DEFAULT_DB_ALIAS, plan=None, **kwargs) -> None:
    """Sent once per app after ``migrate`` and ``flush``: act on the last one, when every table is there."""
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender is not last:
        return
    # after a migrate to an older state the tables may not match today's models: only a full schema is seeded
    if plan is not None and not _fully_migrated(using):
        return
    ensure_reference_data(using=using)
