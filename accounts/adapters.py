"""allauth adapters: no open sign-up; TOTP secrets encrypted at rest; the last factor stays (R-SEC-1)."""

import base64
import hashlib
from functools import cached_property

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from common.links import absolute_url

from . import security_log
from .lockout import is_locked, lockout_response
from .models import SecurityEvent

ENCRYPTED_PREFIX = "fernet:"


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by an agency's LEDS Representative, never by open sign-up."""

    def is_open_for_signup(self, request):
        return False

    def login(self, request, user):
        """The last step of every allauth sign-in, after the second factor: a locked account stops here, even
        with a right code typed after the lock (R-SEC-3)."""
        from allauth.core.exceptions import ImmediateHttpResponse

        if is_locked(user.get_username().lower()):
            raise ImmediateHttpResponse(lockout_response(request))
        return super().login(request, user)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's e-mails name the site from SITE_URL, never from the request's Host header (issue 17)."""
        from urllib.parse import urlsplit

        from django.contrib.sites.requests import RequestSite

        site = RequestSite.__new__(RequestSite)
        site.domain = urlsplit(settings.SITE_URL).netloc
        site.name = "LEDS Admin"
        super().send_mail(template_prefix, email, {"current_site": site, **context})

    def get_reset_password_from_key_url(self, key: str) -> str:
        """The reset link from SITE_URL, never from the request's Host header (issue 17)."""
        from urllib.parse import quote

        from django.urls import reverse

        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", quote(key)))

    def send_password_reset_mail(self, user, email, context):
        """Log the request for a reset link (R-SEC-5). allauth answers every address with the same page."""

        security_log.record(event=SecurityEvent.Kind.PASSWORD_RESET_REQUESTED, actor=user,
                            request=context.get("request"), subject=user, target=f"user:{user.get_username()}")
        return super().send_password_reset_mail(user, email, context)


def _fernet_for(material: str) -> Fernet:
    # any string from the environment becomes a 32-byte key, so operators need not produce Fernet's format
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(material.encode("utf-8")).digest()))


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": (
            "This is your last second factor, and every account needs one (R-SEC-1). Add another authenticator "
            "app or a security key first, or ask your LEDS Representative to reset your second factors."
        ),
    }

    @cached_property
    def _fernet(self) -> MultiFernet:
        keys = [k for k in settings.MFA_ENCRYPTION_KEYS if k]
        if not keys:
            raise ImproperlyConfigured("MFA_ENCRYPTION_KEY is not set")
        return MultiFernet([_fernet_for(k) for k in keys])

    def encrypt(self, text: str) -> str:
        """TOTP secrets are stored encrypted with MFA_ENCRYPTION_KEY (never in the clear)."""
        return ENCRYPTED_PREFIX + self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(ENCRYPTED_PREFIX):
            raise ImproperlyConfigured("A TOTP secret is stored unencrypted; reset that person's second factors.")
        try:
            return self._fernet.decrypt(encrypted_text[len(ENCRYPTED_PREFIX):].encode("ascii")).decode("utf-8")
        except InvalidToken as exc:
            raise ImproperlyConfigured("A TOTP secret cannot be decrypted: MFA_ENCRYPTION_KEY changed?") from exc

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """The last TOTP or security key cannot be removed: everyone keeps a second factor (R-SEC-1)."""
        if authenticator.type not in settings.MFA_REQUIRED_TYPES:
            return True
        return (
            Authenticator.objects.filter(user_id=authenticator.user_id, type__in=settings.MFA_REQUIRED_TYPES)
            .exclude(pk=authenticator.pk)
            .exists()
        )
