"""The person page's training-event history (R-EV-3), drawn by the app that owns it."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("training_events/_person_training_events.html", takes_context=True)
def person_training_events(context, person):
    """Registrations and per-day attendance of ``person`` that the viewing user may see (scoped)."""
    request = context["request"]
    return {"history": list(selectors.training_history(user=request.user, person=person)), "person": person}


@register.simple_tag(takes_context=True)
def training_inbox_counts(context):
    """The training unit's inbox counts for the navigation (3 small queries, only for the training unit)."""
    from ..digest import inbox_counts

    return inbox_counts(user=context["request"].user)
