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
