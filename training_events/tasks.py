"""Celery tasks of training events: thin callers of services (R-EV-3)."""

from celery import shared_task
from django.utils import timezone

from . import services
from .digest import queue_training_unit_digest


@shared_task(name="training_events.send_event_reminders")
def send_event_reminders() -> int:
    """Daily: remind confirmed registrants before their event (lead days: rules.REMINDER_LEAD_DAYS)."""
    return services.send_due_reminders(today=timezone.localdate())


@shared_task(name="training_events.training_unit_digest")
def training_unit_digest() -> int:
    """Hourly tick: the first one after REMINDER_HOUR queues the day's digest to the training unit (once a day)."""

    digest = queue_training_unit_digest()
    return digest.queued if digest else 0
