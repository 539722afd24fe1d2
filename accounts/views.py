"""Thin views for the security log and sign-in administration (issue 5)."""

import json
import math
from datetime import UTC

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.exports import table_response
from common.forms import add_service_errors
from common.links import absolute_reverse
from people.models import Person
from people.permissions import (
    MANAGE_SIGN_INS,
    READ_SECURITY_LOG,
    REVIEW_SECURITY_LOG,
    Role,
    has_role,
    role_required,
)
from people.scoping import get_managed_or_404
from people.services import grant_role, revoke_role

from . import security_log, selectors, services
from .forms import (
    AcceptInvitationForm,
    InvitationForm,
    ReasonForm,
    RoleForm,
    SecurityLogFilterForm,
    SecurityLogReviewForm,
)
from .models import SecurityEvent
from .signals import LAST_ACTIVITY_AT, SIGNED_IN_AT

# who reads the security log, who signs off its weekly review (R-SEC-5)


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
    # rounded up: "0 left" must mean the session has really ended, or the page would go to sign-in too early
    idle_left = max(0, math.ceil(settings.SESSION_IDLE_SECONDS - (now - last)))
    absolute_left = max(0, math.ceil(settings.SESSION_ABSOLUTE_SECONDS - (now - start)))
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
    """"Stay signed in" on the two-minute warning: a deliberate action, so it counts as activity, always (pages
    record activity at most once a minute, accounts.middleware)."""
    if not request.user.is_authenticated:
        return JsonResponse({"authenticated": False, "seconds_left": 0}, status=401)
    request.session[LAST_ACTIVITY_AT] = timezone.now().timestamp()
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


# --- user administration (CJIS AC-2) and locked accounts (R-SEC-3) --------------------------------------------

AGENCY_ROLE_CHOICES = [(r.value, r.label) for r in Role if r not in (Role.STATE_AUDITOR, Role.STATE_TRAINING_UNIT)]



@role_required(MANAGE_SIGN_INS)
def users(request):
    query = request.GET.get("q", "")
    people = selectors.agency_sign_ins(user=request.user, agency=request.agency, query=query)
    page = Paginator(people, settings.LEDS_ROSTER_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "query": query,
               "locked_count": selectors.open_locks(user=request.user, agency=request.agency).count()}
    template = "accounts/_users_table.html" if request.htmx else "accounts/users.html"
    return render(request, template, context)


def _user_detail_context(request, person, **forms):
    from allauth.mfa.models import Authenticator

    user = person.user
    context = {
        "person": person,
        "sign_in": user,
        "memberships": user.memberships.filter(agency=request.agency).order_by("role") if user else [],
        "factors": Authenticator.objects.filter(user=user).order_by("type") if user else [],
        "invitation": user.invitations.order_by("-created_at").first() if user else None,
        "invite_form": forms.get("invite_form") or InvitationForm(
            roles=AGENCY_ROLE_CHOICES, initial={"email": person.email, "role": Role.EMPLOYEE}),
        "role_form": forms.get("role_form") or RoleForm(roles=AGENCY_ROLE_CHOICES),
        "reason_form": forms.get("reason_form") or ReasonForm(),
        "lock": selectors.open_locks(user=request.user, agency=request.agency).filter(user=user).first()
        if user else None,
    }
    return context


@role_required(MANAGE_SIGN_INS)
def user_detail(request, pk):
    person = get_managed_or_404(Person.objects.select_related("user", "agency"), request, pk=pk)
    return render(request, "accounts/user_detail.html", _user_detail_context(request, person))


@require_POST
@role_required(MANAGE_SIGN_INS)
def user_invite(request, pk):
    person = get_managed_or_404(Person.objects.select_related("user", "agency"), request, pk=pk)
    form = InvitationForm(request.POST, roles=AGENCY_ROLE_CHOICES)
    if form.is_valid():
        try:
            services.invite_person(
                person=person, actor=request.user, **form.cleaned_data,
                invitation_url=lambda token: absolute_reverse("accounts:accept_invitation", token),  # SITE_URL
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"An invitation was e-mailed to {form.cleaned_data['email']}.")
            return redirect("accounts:user_detail", pk=person.pk)
    return render(request, "accounts/user_detail.html", _user_detail_context(request, person, invite_form=form),
                  status=400)


def _person_with_sign_in(request, pk):
    person = get_managed_or_404(Person.objects.select_related("user", "agency"), request, pk=pk)
    if person.user is None:
        raise Http404("This person has no sign-in.")
    return person


@require_POST
@role_required(MANAGE_SIGN_INS)
def user_grant_role(request, pk):
    person = _person_with_sign_in(request, pk)
    form = RoleForm(request.POST, roles=AGENCY_ROLE_CHOICES)
    if form.is_valid():
        grant_role(user=person.user, agency=request.agency, role=form.cleaned_data["role"], actor=request.user,
                   is_alternate=form.cleaned_data["is_alternate"])
        messages.success(request, f"{person.full_name} now holds the role {Role(form.cleaned_data['role']).label}.")
        return redirect("accounts:user_detail", pk=person.pk)
    return render(request, "accounts/user_detail.html", _user_detail_context(request, person, role_form=form),
                  status=400)


@require_POST
@role_required(MANAGE_SIGN_INS)
def user_revoke_role(request, pk):
    person = _person_with_sign_in(request, pk)
    role = request.POST.get("role", "")
    if role not in dict(AGENCY_ROLE_CHOICES):
        messages.error(request, "Choose a role to remove.")
    elif person.user_id == request.user.pk and role == Role.LEDS_REPRESENTATIVE:
        messages.error(request, "You cannot remove your own LEDS Representative role; ask another administrator.")
    elif revoke_role(user=person.user, agency=request.agency, role=role, actor=request.user):
        messages.success(request, f"{person.full_name} no longer holds the role {Role(role).label}.")
    return redirect("accounts:user_detail", pk=person.pk)


@require_POST
@role_required(MANAGE_SIGN_INS)
def user_reset_mfa(request, pk):
    person = _person_with_sign_in(request, pk)
    removed = services.reset_mfa(user=person.user, actor=request.user, agency=request.agency,
                                 reason=request.POST.get("reason", ""))
    if removed:
        messages.success(request, f"{person.full_name}'s second factors were removed; they set up a new one at "
                                  "their next sign-in.")
    else:
        messages.info(request, f"{person.full_name} had no second factor.")
    return redirect("accounts:user_detail", pk=person.pk)


@require_POST
@role_required(MANAGE_SIGN_INS)
def user_set_active(request, pk):
    person = _person_with_sign_in(request, pk)
    active = request.POST.get("active") == "1"
    if person.user_id == request.user.pk and not active:
        messages.error(request, "You cannot deactivate your own sign-in.")
        return redirect("accounts:user_detail", pk=person.pk)
    if active and person.is_separated:
        messages.error(request, "A separated person's sign-in stays deactivated.")
        return redirect("accounts:user_detail", pk=person.pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        services.set_sign_in_active(user=person.user, actor=request.user, active=active,
                                    reason=form.cleaned_data["reason"], agency=request.agency)
        verb = "reactivated" if active else "deactivated"
        messages.success(request, f"{person.full_name}'s sign-in is {verb}.")
        return redirect("accounts:user_detail", pk=person.pk)
    return render(request, "accounts/user_detail.html", _user_detail_context(request, person, reason_form=form),
                  status=400)


@role_required(MANAGE_SIGN_INS)
def locked_accounts(request):
    locks = selectors.open_locks(user=request.user, agency=request.agency)
    page = Paginator(locks, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/locked_accounts.html", {"page": page})


@require_POST
@role_required(MANAGE_SIGN_INS)
def unlock(request, pk):
    lock = get_object_or_404(selectors.open_locks(user=request.user, agency=request.agency), pk=pk)
    services.unlock_account(lock=lock, actor=request.user)
    messages.success(request, f"{lock.username} is unlocked and can sign in now.")
    return redirect("accounts:locked_accounts")


def accept_invitation(request, token):
    """The invitation link: works once, to choose a password; then MFA enrollment follows (R-SEC-1)."""
    from django.contrib.auth import login

    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None, user=invitation.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(token=token, password=form.cleaned_data["password1"], request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Your password is set. Now set up your second factor.")
            return redirect("mfa_activate_totp")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})
