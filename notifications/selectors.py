"""Reads of the outbox in a fixed number of queries (issues 9, 18)."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from .models import OutboxMessage

Status = OutboxMessage.Status


def outbox(*, user, agency, status="", obligation="", person=""):
    qs = OutboxMessage.objects.for_user(user).in_agency(agency).select_related("person")
    if status:
        qs = qs.filter(status=status)
    if obligation:
        qs = qs.filter(obligation=obligation)
    if person.isdigit():
        qs = qs.filter(person_id=int(person))
    return qs


def failed_emails(*, user, agency):
    """The agency's e-mails whose delivery failed for good (a recipient refused with a 5xx), newest first."""
    return OutboxMessage.objects.for_user(user).in_agency(agency).filter(status=Status.FAILED)


def delivery_status(*, agency, now=None) -> dict:
    """The dashboard's notice in one query: ``delayed`` (an unsent row older than an hour, or a failed row) and
    ``failed`` (how many rows failed for good: "N e-mails failed — resend all").
    """
    now = now or timezone.now()
    counts = OutboxMessage.objects.filter(agency=agency).aggregate(
        waiting=Count("id", filter=Q(status__in=[Status.QUEUED, Status.RETRY, Status.SENDING],
                                     created_at__lt=now - timedelta(hours=1))),
        failed=Count("id", filter=Q(status=Status.FAILED)),
    )
    return {"delayed": bool(counts["waiting"] or counts["failed"]), "failed": counts["failed"]}


def delivery_delayed(*, agency, now=None) -> bool:
    """True when an unsent row of the agency is older than an hour, or a row failed (the dashboard's notice)."""
    return delivery_status(agency=agency, now=now)["delayed"]
