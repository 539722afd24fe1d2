from django import template

from background.forms import FingerprintSubmissionForm
from people.permissions import may_record_fingerprints

register = template.Library()


@register.inclusion_tag("background/_fingerprint_form.html", takes_context=True)
def fingerprint_form(context, person, bound=None):
    request = context["request"]
    if not may_record_fingerprints(request, person):
        return {"show": False}
    return {"show": True, "person": person, "form": bound or FingerprintSubmissionForm(), "open": bound is not None,
            "request": request}
