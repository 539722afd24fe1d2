from django import template

from compliance import registry
from compliance.engine import STATUS_LABELS, VERDICT_LABELS, VERDICTS
from compliance.selectors import dashboard, person_compliance
from people.models import Person

register = template.Library()


@register.inclusion_tag("compliance/_person_obligations.html", takes_context=True)
def person_obligations(context, person):
    """The person's verdict and obligations timeline, from the engine (the one source of every flag)."""
    request = context["request"]
    result = person_compliance(person=person)
    return {"result": result, "person": person, "sees_sensitive": sees_sensitive(request), "request": request}


def sees_sensitive(request) -> bool:
    """R-BG-4: background reasons are shown to the LASO and the LEDS Representative (and administrators)."""
    return request.can.read_sensitive


@register.simple_tag(takes_context=True)
def as_seen(context, item):
    """The obligation (an engine Obligation or a StoredObligation) as the viewer may see it: a background one is
    only "complete" or "pending" to anyone but the LASO and the LEDS Representative (R-BG-4)."""
    obligation = item.as_obligation() if hasattr(item, "as_obligation") else item
    return obligation if sees_sensitive(context["request"]) else obligation.masked()


@register.simple_tag
def verdict_choices():
    """(code, label) of every verdict, who needs action first (R-PE-3)."""

    return [(code, VERDICT_LABELS[code]) for code in VERDICTS]


@register.inclusion_tag("compliance/_verdict_tag.html", takes_context=True)
def verdict_tag(context, code, reasons=()):
    """A stored verdict (R-PE-3) as a tag with its rule IDs: "Must be suspended — R-BG-2". ``reasons`` is the
    stored ``[[rule ID, is sensitive], ...]``; a background rule is named only to those who may read it (R-BG-4)."""

    sees = sees_sensitive(context["request"])
    shown = [rule_id for rule_id, sensitive in (reasons or ()) if sees or not sensitive]
    hidden = len(shown) < len(reasons or ())
    return {"code": code, "label": VERDICT_LABELS.get(code, code), "ids": shown, "hidden": hidden}


@register.inclusion_tag("components/_status_tag.html")
def status_tag(status, label=""):
    return {"status": status, "label": label or status.replace("_", " ")}


@register.filter
def obligation_label(name):
    return registry.obligation_label(name)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def status_label(status):
    return STATUS_LABELS.get(status, status)


@register.filter
def add_class_select(field):
    """Render a filter field with the USWDS select class."""
    return field.as_widget(attrs={"class": "usa-select"})


@register.inclusion_tag("compliance/_home_summary.html", takes_context=True)
def compliance_summary(context):
    """The dashboard's summary on the home page, for the roles that read it."""

    request = context["request"]
    if request.agency is None or not request.can.see_dashboard:
        return {"show": False}
    people = Person.objects.for_user(request.user).in_agency(request.agency)
    whole = request.can.read_agency
    data = dashboard(people=people, agency=request.agency, whole_agency=whole)
    return {"show": True, "data": data, "request": request,
            "statuses": ["overdue", "due_soon", "open", "done", "not_required"]}


@register.inclusion_tag("compliance/_home_own.html", takes_context=True)
def my_deadlines(context, person):
    """The signed-in person's own verdict and what they still have to do, soonest first (the home page)."""
    request = context["request"]
    result = person_compliance(person=person)
    todo = sorted((o for o in result.obligations if o.status in ("overdue", "due_soon", "open")),
                  key=lambda o: (o.due is None, o.due or 0, o.obligation))
    return {"result": result, "todo": todo, "person": person, "request": request,
            "sees_sensitive": sees_sensitive(request)}
