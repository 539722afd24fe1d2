"""Celery beat runs the sweep and the digests every hour; each agency is served at its own local hour (issue 9)."""

from celery import shared_task

from .services import run_scheduled


@shared_task(name="reminders.sweep", ignore_result=True)
def run_sweep() -> dict:
    return run_scheduled()
