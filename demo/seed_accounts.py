"""Demo step for issue 5: every demo user gets an authenticator app with a published secret (DEBUG only).

MFA is required for everyone (R-SEC-1), so a newcomer signs in with the demo password plus a code from any
authenticator app set up with ``DEMO_TOTP_SECRET`` (README, "Signing in").
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from accounts.factories import enroll_totp

# Published on purpose: demo users only, and seed_demo refuses to run with DEBUG off.
DEMO_TOTP_SECRET = "LEDSDEMOLEDSDEMOLEDSDEMOLEDSDEMO"


def seed_second_factors(world) -> None:
    if not settings.DEBUG:
        raise ImproperlyConfigured("Demo second factors have a published secret; DEBUG must be on.")
    for user in world.users.values():
        if not Authenticator.objects.filter(user=user, type__in=settings.MFA_REQUIRED_TYPES).exists():
            enroll_totp(user, DEMO_TOTP_SECRET, recovery_codes=True)
