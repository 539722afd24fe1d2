"""The compliance dashboard's validations panel (R-VA-3), drawn by the app that owns it."""

from django import template

from compliance.selectors import agency_today
from people.permissions import READ_AGENCY, has_role

from .. import selectors
from ..models import ValidationCycle, ValidationEntry

register = template.Library()


@register.inclusion_tag("validations/_dashboard_panel.html", takes_context=True)
def validations_panel(context):
    """The current cycle (readers) and the signed-in person's open entries (validators). Three queries at most."""
    request = context["request"]
    if request.agency is None:
        return {"show": False}
    today = agency_today(request.agency)
    state = None
    is_reader = has_role(request, READ_AGENCY)
    if is_reader:
        cycles = ValidationCycle.objects.for_user(request.user).in_agency(request.agency)
        state = selectors.current_cycle(cycles=cycles, today=today)
    person_id = request.access.person_id
    open_count = ValidationEntry.objects.filter(validator_id=person_id, outcome="").count() if person_id else 0
    return {"show": is_reader or open_count, "state": state, "open_count": open_count, "is_reader": is_reader}
