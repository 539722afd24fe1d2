"""The dashboard's "e-mail delivery delayed" and "N e-mails failed — resend all" notice (issues 9, 18)."""

from django import template

from notifications.selectors import delivery_status
from people.permissions import has_role
from people.scoping import LEDS_REPRESENTATIVE

register = template.Library()


@register.inclusion_tag("notifications/_delivery_delayed.html", takes_context=True)
def delivery_delayed_notice(context):
    request = context.get("request")
    agency = getattr(request, "agency", None)
    if agency is None:
        return {"delayed": False, "failed": 0}
    return {**delivery_status(agency=agency), "can_resend": has_role(request, {LEDS_REPRESENTATIVE})}
