"""Sign-in controls applied to every request (R-SEC-1, R-SEC-4), in this order in settings.MIDDLEWARE:

1. ``SessionLimitsMiddleware``: 30 minutes idle, 12 hours absolute; background polling is not activity; an
   htmx request that would land on the sign-in page gets ``HX-Redirect`` instead of a form inside a fragment.
2. ``PasswordChangeRequiredMiddleware``: a password set by an administrator is changed at the next sign-in.
3. ``MFARequiredMiddleware``: allauth cannot require MFA by itself (stack.md §1); until the person has an
   authenticator app or a security key, every page except sign-in's own sends them to enrollment.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from . import rules, security_log
from .models import SecurityEvent
from .signals import LAST_ACTIVITY_AT, MFA_CHECKED_AT, SIGNED_IN_AT

BACKGROUND_HEADER = "HTTP_X_BACKGROUND_POLL"


def is_background(request) -> bool:
    """A request the person did not make: polling (progress bars, the session-warning check)."""
    return bool(request.META.get(BACKGROUND_HEADER)) or request.path == reverse("accounts:session_status")


def _page_path(request) -> str:
    """The page to come back to after signing in: for htmx the page shown, not the fragment."""
    current = request.headers.get("HX-Current-URL") if getattr(request, "htmx", False) else None
    if current:
        parts = urlsplit(current)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    if request.method == "GET":
        return request.get_full_path()
    referer = request.headers.get("Referer")
    return urlsplit(referer).path if referer else "/"


def _send_to(request, url: str):
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _exempt(request, prefixes) -> bool:
    path = request.path
    return any(path.startswith(p) for p in prefixes)


# Activity is written to the session at most once a minute: an UPDATE of the session row on every click cost a
# query per request (issue 23). The idle limit counts from the last write, so it can end a session up to a minute
# early, never late (R-SEC-4: at most 30 minutes idle).
ACTIVITY_RESOLUTION = 60


def activity_resolution() -> float:
    """At most a minute, and never more than a thirtieth of the idle limit (a limit shortened for a test)."""
    return min(ACTIVITY_RESOLUTION, settings.SESSION_IDLE_SECONDS / 30)


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            session = request.session
            now = timezone.now().timestamp()
            if session.get(SIGNED_IN_AT) is None:  # a session started outside the sign-in form
                session[SIGNED_IN_AT] = now
                session[LAST_ACTIVITY_AT] = now
            expired = rules.session_expired(
                signed_in_at=session.get(SIGNED_IN_AT), last_activity_at=session.get(LAST_ACTIVITY_AT), now=now,
                idle_seconds=settings.SESSION_IDLE_SECONDS, absolute_seconds=settings.SESSION_ABSOLUTE_SECONDS,
            )
            if expired:
                return self._end(request, expired)
            if not is_background(request) and now - (session.get(LAST_ACTIVITY_AT) or 0) >= activity_resolution():
                session[LAST_ACTIVITY_AT] = now  # saving the session renews its idle expiry too
        response = self.get_response(request)
        return self._htmx_sign_in(request, response)

    def _end(self, request, why: str):
        user = request.user
        security_log.record(
            event=SecurityEvent.Kind.SESSION_EXPIRED, actor=user, request=request, subject=user,
            target=f"user:{user.get_username()}", details={"limit": why},
        )
        request._leds_session_expired = True
        logout(request)
        if why == "absolute":
            hours = settings.SESSION_ABSOLUTE_SECONDS // 3600
            text = f"You were signed out because you signed in more than {hours} hours ago. Sign in again."
        else:
            minutes = settings.SESSION_IDLE_SECONDS // 60
            text = f"You were signed out after {minutes} minutes without activity. Sign in again to go on."
        login_url = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': _page_path(request)})}"
        if is_background(request) and not getattr(request, "htmx", False):
            return JsonResponse({"expired": True, "login_url": login_url}, status=401)
        messages.info(request, text)
        return _send_to(request, login_url)

    @staticmethod
    def _htmx_sign_in(request, response):
        """An htmx request sent to sign-in (expired session) moves the whole page there, with ?next= the page."""
        if not getattr(request, "htmx", False) or response.status_code not in (301, 302):
            return response
        login_path = resolve_url(settings.LOGIN_URL)
        if urlsplit(response.get("Location", "")).path != login_path:
            return response
        return HttpResponseClientRedirect(f"{login_path}?{urlencode({'next': _page_path(request)})}")


class PasswordChangeRequiredMiddleware:
    """After an administrator sets a password, the person chooses their own before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = (reverse("account_change_password"), reverse("account_logout"), settings.STATIC_URL,
                       reverse("accounts:session_status"), reverse("accounts:session_keepalive"))
            if not _exempt(request, [p if p.startswith("/") else f"/{p}" for p in allowed]):
                messages.warning(request, "An administrator set your password. Choose your own password to go on.")
                url = f"{reverse('account_change_password')}?{urlencode({'next': _page_path(request)})}"
                return _send_to(request, url)
        return self.get_response(request)


class MFARequiredMiddleware:
    """Every signed-in person has an authenticator app or a security key before any agency page (R-SEC-1)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not self._exempt(request) and not self._enrolled(request):
            url = reverse("mfa_activate_totp")
            if request.path != "/":
                url = f"{url}?{urlencode({'next': _page_path(request)})}"
            return _send_to(request, url)
        return self.get_response(request)

    @staticmethod
    def _exempt(request) -> bool:
        # allauth's own pages (sign-out, re-authentication, enrollment, password) and static files
        static = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else f"/{settings.STATIC_URL}"
        prefixes = ("/accounts/", static, reverse("accounts:session_status"), reverse("accounts:session_keepalive"))
        return _exempt(request, prefixes)

    @staticmethod
    def _enrolled(request) -> bool:
        """Asked of the database at most once a minute per session, like activity (issue 23): a sign-in that
        passed a second factor counts from its start, and an administrator's MFA reset reaches an open session
        within a minute (R-SEC-1)."""
        from allauth.mfa.utils import is_mfa_enabled

        user = request.user
        cached = getattr(user, "_leds_mfa_enrolled", None)
        if cached is not None:
            return cached
        now = timezone.now().timestamp()
        checked = request.session.get(MFA_CHECKED_AT)
        if checked is not None and 0 <= now - checked < ACTIVITY_RESOLUTION:
            cached = True
        else:
            cached = is_mfa_enabled(user, types=settings.MFA_REQUIRED_TYPES)
            if cached:
                request.session[MFA_CHECKED_AT] = now
            else:
                request.session.pop(MFA_CHECKED_AT, None)
        user._leds_mfa_enrolled = cached
        return cached
