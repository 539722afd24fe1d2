"""Celery beat runs the agreement reminders daily (R-AGR-2; schedule in agreements/migrations/0003)."""

from celery import shared_task

from .services import send_agreement_reminders


@shared_task(name="agreements.send_agreement_reminders", ignore_result=True)
def run_agreement_reminders() -> int:
    return send_agreement_reminders()
