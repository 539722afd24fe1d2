"""Thin views for the security log and sign-in administration (issue 5)."""

import json
from datetime import UTC

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.exports import table_response
from people.permissions import Role, has_role, role_required

from . import security_log, selectors, services
from .forms import SecurityLogFilterForm, SecurityLogReviewForm
from .models import SecurityEvent
from .signals import LAST_ACTIVITY_AT, SIGNED_IN_AT

# who reads the security log, who signs off its weekly review (R-SEC-5)
READ_SECURITY_LOG = frozenset({Role.LEDS_REPRESENTATIVE, Role.LASO, Role.AGENCY_AUDITOR, Role.STATE_AUDITOR})
REVIEW_SECURITY_LOG = frozenset({Role.LASO})


def _filters(request) -> tuple[SecurityLogFilterForm, dict]:
    form = SecurityLogFilterForm(request.GET or None)
    return form, (form.cleaned_data if form.is_bound and form.is_valid() else {})


@role_required(READ_SECURITY_LOG)
def security_log_page(request):
    form, filters = _filters(request)
    events = selectors.security_events(user=request.user, agency=request.agency, filters=filters)
    page = Paginator(events.select_related("actor"), settings.SECURITY_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "filtered": bool(filters and any(filters.values())),
        "status": selectors.review_status(user=request.user, agency=request.agency, now=timezone.now()),
        "can_review": has_role(request, REVIEW_SECURITY_LOG),
        "review_form": SecurityLogReviewForm(),
    }
    template = "accounts/_security_log_table.html" if request.htmx else "accounts/security_log.html"
    return render(request, template, context)


@role_required(READ_SECURITY_LOG)
def security_log_export(request):
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    _form, filters = _filters(request)
    events = selectors.security_events(user=request.user, agency=request.agency, filters=filters)
    security_log.record(
        event=SecurityEvent.Kind.ADMIN_ACTION, request=request, target="security log",
        details={"action": "export", "format": fmt, "filters": {k: v for k, v in filters.items() if v}},
    )
    headers = ["id", "occurred_at_utc", "event", "outcome", "user", "ip_address", "target", "details",
               "prev_hash", "hash"]
    rows = (
        [e.pk, e.occurred_at.astimezone(UTC).isoformat(), e.event, e.outcome, e.actor_username, e.ip_address or "",
         e.target, json.dumps(e.details, sort_keys=True), e.prev_hash, e.hash]
        for e in events.iterator(chunk_size=2000)
    )
    return table_response(filename=f"security-log-{request.agency.ori}", fmt=fmt, headers=headers, rows=rows)


@require_POST
@role_required(REVIEW_SECURITY_LOG)
def security_log_review(request):
    form = SecurityLogReviewForm(request.POST)
    if form.is_valid():
        review = services.sign_off_security_log_review(
            agency=request.agency, reviewer=request.user, notes=form.cleaned_data["notes"]
        )
        messages.success(request, f"Review signed off: {review.events_reviewed} events since the last review.")
    else:
        messages.error(request, "The review was not signed off: " + "; ".join(
            e for errors in form.errors.values() for e in errors))
    return redirect("accounts:security_log")


def _session_times(request) -> dict:
    now = timezone.now().timestamp()
    session = request.session
    last = session.get(LAST_ACTIVITY_AT, now)
    start = session.get(SIGNED_IN_AT, now)
    idle_left = max(0, int(settings.SESSION_IDLE_SECONDS - (now - last)))
    absolute_left = max(0, int(settings.SESSION_ABSOLUTE_SECONDS - (now - start)))
    return {
        "authenticated": True,
        "seconds_left": min(idle_left, absolute_left),
        "idle_seconds_left": idle_left,
        "absolute_seconds_left": absolute_left,
        "warning_seconds": settings.SESSION_WARNING_SECONDS,
    }


def session_status(request):
    """How long the session has left (R-SEC-4). A background request: asking does not extend the session."""
    if not request.user.is_authenticated:
        return JsonResponse({"authenticated": False, "seconds_left": 0}, status=401)
    return JsonResponse(_session_times(request))


@require_POST
def session_keepalive(request):
    """"Stay signed in" on the two-minute warning: a deliberate action, so it counts as activity."""
    if not request.user.is_authenticated:
        return JsonResponse({"authenticated": False, "seconds_left": 0}, status=401)
    return JsonResponse(_session_times(request))


@login_required
def remove_security_key(request, pk):
    """allauth's key removal, refusing to remove the last second factor (R-SEC-1)."""
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.models import Authenticator
    from allauth.mfa.webauthn.views import remove_webauthn

    key = get_object_or_404(Authenticator.objects.filter(user=request.user, type=Authenticator.Type.WEBAUTHN), pk=pk)
    adapter = get_adapter()
    if request.method == "POST" and not adapter.can_delete_authenticator(key):
        messages.error(request, adapter.error_messages["cannot_delete_authenticator"])
        return redirect("mfa_list_webauthn")
    return remove_webauthn(request, pk=pk)
