from django import template

from certification import forms
from certification.forms import RECORD_KINDS
from people.permissions import may_record

register = template.Library()


@register.inclusion_tag("certification/_record_forms.html", takes_context=True)
def record_forms(context, person, bound=None, bound_kind=""):
    """The forms that record results on a person's page, for the roles that may record them."""
    request = context["request"]
    panels = []
    for kind, spec in RECORD_KINDS.items():
        if not may_record(request, person, kind):
            continue
        form = bound if bound_kind == kind and bound is not None else spec["form"]()
        panels.append({"kind": kind, "title": spec["title"], "form": form, "open": bound_kind == kind})
    return {"panels": panels, "person": person, "request": request, "forms": forms}
