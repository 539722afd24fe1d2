"""The dashboard's "e-mail delivery delayed" notice (issue 9)."""

from django import template

from notifications.selectors import delivery_delayed

register = template.Library()


@register.inclusion_tag("notifications/_delivery_delayed.html", takes_context=True)
def delivery_delayed_notice(context):
    agency = getattr(context.get("request"), "agency", None)
    return {"delayed": agency is not None and delivery_delayed(agency=agency)}
