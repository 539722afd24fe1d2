"""Celery beat runs the daily sweep (issue 9)."""

from celery import shared_task

from .services import sweep


@shared_task(name="reminders.sweep", ignore_result=True)
def run_sweep() -> int:
    return sweep()
