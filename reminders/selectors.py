"""Reads for the LEDS Representative's "people the reminders cannot reach" page (issue 9)."""

from notifications.models import OutboxMessage
from people.models import Person


def unreachable(*, user, agency):
    """People of the agency with no e-mail address, and e-mails whose delivery finally failed (newest first)."""
    missing = (Person.objects.for_user(user).in_agency(agency).filter(email="")
               .exclude(status=Person.Status.SEPARATED).order_by("last_name", "first_name"))
    failed = (OutboxMessage.objects.for_user(user).in_agency(agency).filter(status=OutboxMessage.Status.FAILED)
              .select_related("person").order_by("-created_at", "-id"))
    return missing, failed
