"""``{% security_review_status %}``: the weekly-review notice on the dashboard, for those who act on it."""

from django import template
from django.conf import settings
from django.utils import timezone

from accounts import selectors

register = template.Library()


@register.inclusion_tag("accounts/_review_status.html", takes_context=True)
def security_review_status(context):
    request = context.get("request")
    if request is None or getattr(request, "agency", None) is None or not request.can.read_security_log:
        return {"status": None, "hidden": True}
    return {
        "status": selectors.review_status(user=request.user, agency=request.agency, now=timezone.now()),
        "request": request,
    }


@register.inclusion_tag("accounts/_session_timeout.html", takes_context=True)
def session_timeout_warning(context):
    """The warning shown before an idle session ends (R-SEC-4), timed from the settings."""
    return {
        "csrf_token": context.get("csrf_token"),
        "session_warn_after": max(1, settings.SESSION_IDLE_SECONDS - settings.SESSION_WARNING_SECONDS),
    }
