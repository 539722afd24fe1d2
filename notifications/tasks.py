"""Celery tasks of the outbox (issues 9, 18)."""

from celery import shared_task

from . import services


@shared_task(name="notifications.deliver_outbox", ignore_result=True)
def deliver_outbox(limit: int | None = None) -> dict:
    """Deliver due outbox rows for at most OUTBOX_TASK_BUDGET_SECONDS, then re-queue itself if work is left.

    Beat also runs this every minute, so rows queued while the broker was down (or the re-queue failed) are
    delivered anyway. A short run means a worker asked to stop finishes within an orchestrator's grace period.
    """
    total = services.deliver(limit=limit)
    if total.pop("more"):
        services.schedule_delivery()
    return total
