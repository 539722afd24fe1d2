"""The person page's "Reminders sent" section (issue 9)."""

from django import template

from notifications.models import OutboxMessage

register = template.Library()


@register.inclusion_tag("reminders/_person_reminders.html")
def person_reminders(person):
    # The person was already looked up through for_user() by the page; subjects and dates only, no addresses.
    rows = (OutboxMessage.objects.filter(person=person).exclude(stage="")
            .only("subject", "status", "created_at", "sent_at", "stage")[:20])
    return {"reminders": rows}
