"""Reads of the outbox in a fixed number of queries (issue 9)."""

from datetime import timedelta

from django.utils import timezone

from .models import OutboxMessage


def outbox(*, user, agency, status="", obligation="", person=""):
    qs = OutboxMessage.objects.for_user(user).in_agency(agency).select_related("person")
    if status:
        qs = qs.filter(status=status)
    if obligation:
        qs = qs.filter(obligation=obligation)
    if person.isdigit():
        qs = qs.filter(person_id=int(person))
    return qs


def delivery_delayed(*, agency, now=None) -> bool:
    """True when an unsent row of the agency is older than an hour (the dashboard's notice)."""
    now = now or timezone.now()
    return OutboxMessage.objects.filter(
        agency=agency, status__in=[OutboxMessage.Status.QUEUED, OutboxMessage.Status.RETRY,
                                   OutboxMessage.Status.SENDING],
        created_at__lt=now - timedelta(hours=1),
    ).exists()


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
