"""The person page's training-event history (R-EV-3), drawn by the app that owns it."""

from django import template

from .. import selectors
from ..digest import inbox_counts
from ..models import HostRequest, Registration

register = template.Library()


@register.inclusion_tag("training_events/_person_training_events.html", takes_context=True)
def person_training_events(context, person):
    """Registrations and per-day attendance of ``person`` that the viewing user may see (scoped)."""
    request = context["request"]
    return {"history": list(selectors.training_history(user=request.user, person=person)), "person": person}


@register.inclusion_tag("training_events/_home_registrations.html", takes_context=True)
def my_registrations(context, person):
    """The signed-in person's live registrations (the home page)."""

    request = context["request"]
    live = [r for r in selectors.training_history(user=request.user, person=person)
            if r.status in (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)]
    return {"registrations": live[:10], "person": person}


@register.inclusion_tag("training_events/_home_training_unit.html", takes_context=True)
def training_unit_work(context):
    """The training unit's home: upcoming events with seats, and offers to host waiting for a decision."""
    from django.utils import timezone

    request = context["request"]
    events = selectors.annotate_phrases(list(selectors.upcoming_events(now=timezone.now())[:10]))
    offers = list(selectors.host_requests_for(user=request.user).filter(status=HostRequest.Status.PENDING)
                  .order_by("pk")[:10])
    return {"events": events, "offers": offers}


@register.simple_tag(takes_context=True)
def training_inbox_counts(context):
    """The training unit's inbox counts for the navigation (3 small queries, only for the training unit)."""

    return inbox_counts(user=context["request"].user)
