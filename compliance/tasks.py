"""Celery tasks: thin callers of compliance/obligations.py."""

from celery import shared_task


@shared_task(name="compliance.refresh_obligations")
def refresh_obligations() -> int:
    """Nightly: recompute every agency's stored obligations for the passing of days (idempotent)."""
    from .obligations import refresh_all

    return refresh_all()


@shared_task(name="compliance.refresh_stale_obligations")
def refresh_stale_obligations() -> int:
    """Queued after every commit that marked something stale (compliance/staleness.py): refresh it (issue 23)."""
    from .obligations import refresh_stale

    return refresh_stale()
