"""Celery tasks: thin callers of compliance/obligations.py."""

from celery import group, shared_task

from people.models import Agency

from .obligations import refresh_agency, refresh_stale


@shared_task(name="compliance.refresh_obligations")
def refresh_obligations() -> int:
    """Nightly: one task per agency (a Celery group), so more workers, on more machines, finish sooner.

    Returns the number of agencies queued; each task's result is the agency's stored obligations (in the database).
    """

    agency_ids = list(Agency.objects.order_by("pk").values_list("pk", flat=True))
    group(refresh_agency_obligations.s(agency_id) for agency_id in agency_ids).apply_async()
    return len(agency_ids)


@shared_task(name="compliance.refresh_agency_obligations", acks_late=True, ignore_result=True)
def refresh_agency_obligations(agency_id: int) -> int:
    """Recompute one agency for its own today; idempotent, so a redelivered task is harmless."""

    return refresh_agency(agency_id, force=True)


@shared_task(name="compliance.refresh_stale_obligations")
def refresh_stale_obligations() -> int:
    """Queued after every commit that marked something stale (compliance/staleness.py): refresh it (issue 23)."""

    return refresh_stale()
