"""Reads of the outbox in a fixed number of queries (issues 9, 18)."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from .models import OutboxMessage
from .services import IN_OUTBOX

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


ATTENTION = (*IN_OUTBOX, Status.FAILED)  # what the dashboard's delivery notice counts


def delivery_status(*, agency, now=None) -> dict:
    """The dashboard's notice in one query: ``delayed`` (an unsent row older than an hour, or a failed row) and
    ``failed`` (how many rows failed for good: "N e-mails failed — resend all").
    """
    now = now or timezone.now()
    # only the rows that may need attention, found through the status index: the agency's sent rows (every e-mail
    # of years) are never read (issue 23)
    counts = OutboxMessage.objects.filter(agency=agency, status__in=ATTENTION).aggregate(
        waiting=Count("id", filter=Q(status__in=IN_OUTBOX,
                                     created_at__lt=now - timedelta(hours=1))),
        failed=Count("id", filter=Q(status=Status.FAILED)),
    )
    return {"delayed": bool(counts["waiting"] or counts["failed"]), "failed": counts["failed"]}


def delivery_delayed(*, agency, now=None) -> bool:
    """True when an unsent row of the agency is older than an hour, or a row failed (the dashboard's notice)."""
    return delivery_status(agency=agency, now=now)["delayed"]


def undelivered_minutes(*, agency, now=None, after_minutes=5) -> int | None:
    """Minutes the agency's oldest queued e-mail has waited while no e-mail was delivered, when more than
    ``after_minutes`` (the outbox's "No worker has delivered e-mail for N minutes"); None otherwise. Two queries."""
    from django.db.models import Max, Min

    now = now or timezone.now()
    oldest = OutboxMessage.objects.filter(agency=agency, status=OutboxMessage.Status.QUEUED).aggregate(
        at=Min("created_at"))["at"]
    if oldest is None or oldest > now - timedelta(minutes=after_minutes):
        return None
    last_sent = OutboxMessage.objects.filter(sent_at__isnull=False).aggregate(at=Max("sent_at"))["at"]
    since = max(oldest, last_sent) if last_sent else oldest
    minutes = int((now - since).total_seconds() // 60)
    return minutes if minutes >= after_minutes else None
