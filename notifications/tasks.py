"""Celery tasks of the outbox (issue 9)."""

from celery import shared_task

from . import services


@shared_task(name="notifications.deliver_outbox", ignore_result=True)
def deliver_outbox(limit: int = 500) -> dict:
    """Deliver due outbox rows until none is left; beat also runs this every minute to catch up."""
    total = {"sent": 0, "retry": 0, "failed": 0}
    while True:
        counts = services.deliver_batch(limit=limit)
        for k, v in counts.items():
            total[k] += v
        if not any(counts.values()):
            return total
