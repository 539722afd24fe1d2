"""Second factors for tests and seed_demo: a TOTP authenticator with a known secret, and its codes."""

from __future__ import annotations

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.utils import decrypt

# A fixed secret for tests (base32). Demo users get their own from seed_demo.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 (tests only)


def enroll_totp(user, secret: str | None = None, *, recovery_codes: bool = False) -> str:
    """Give ``user`` an authenticator app (the secret stored encrypted, as enrollment would); return the secret."""
    secret = secret or generate_totp_secret()
    TOTP.activate(user, secret)
    if recovery_codes:
        RecoveryCodes.activate(user)
    return secret


def stored_totp_secret(user) -> str:
    """The secret of ``user``'s authenticator app, decrypted (what their phone knows)."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return decrypt(authenticator.data["secret"])


# A code read in the last seconds of its 30-second period can expire before the server checks it (allauth
# accepts the current period only); like a person glancing at their phone, wait for the next code instead.
FRESH_CODE_SECONDS = 3


def totp_code(secret: str, at: float | None = None, period: int = 30) -> str:
    """The 6-digit code an authenticator app shows for ``secret`` now (or at ``at``).

    Now means a code with at least ``FRESH_CODE_SECONDS`` left to live, so that a sign-in under load (CI, a
    browser test) never submits a code that has just expired.
    """
    if at is None:
        left = period - time.time() % period
        if left < FRESH_CODE_SECONDS:
            time.sleep(left + 0.05)
        at = time.time()
    return format_hotp_value(hotp_value(secret, int(at) // period))
