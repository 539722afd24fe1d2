"""In-house certification classes on shared pages (R-CE-5): the person page and the compliance dashboard."""

from django import template

from compliance.selectors import agency_today
from people.permissions import READ_AGENCY, has_role

from .. import selectors

register = template.Library()


@register.inclusion_tag("certification/_person_classes.html", takes_context=True)
def person_certification_classes(context, person):
    """The classes ``person`` is enrolled in, as far as the viewer may see them (own, their people's, agency)."""
    request = context["request"]
    return {"enrollments": selectors.person_enrollments(user=request.user, person=person), "person": person,
            "can_open_class": has_role(request, READ_AGENCY), "today": agency_today(person.agency),
            "request": request}


@register.inclusion_tag("certification/_unrecorded_passes.html", takes_context=True)
def unrecorded_class_passes(context):
    """R-CE-5: class passes not yet recorded in LEDS, oldest first, flagged past the rule's days."""
    request = context["request"]
    if request.agency is None or not has_role(request, READ_AGENCY):
        return {"show": False}
    passes, days = selectors.unrecorded_passes(user=request.user, agency=request.agency,
                                               today=agency_today(request.agency))
    return {"show": True, "passes": passes, "days": days, "late": sum(1 for p in passes if p.is_late),
            "late_label": f"Over {days} days", "request": request}
