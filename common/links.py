"""Absolute links for e-mails and calendar clients, always from ``settings.SITE_URL``.

Never from the request's Host header: a forged Host on a password-reset request would otherwise put an
attacker's host into the reset link e-mailed to the victim (issue 17).
"""

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str) -> str:
    """``SITE_URL`` + ``path`` (``path`` starts with "/")."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def absolute_reverse(viewname: str, *args, **kwargs) -> str:
    return absolute_url(reverse(viewname, args=args or None, kwargs=kwargs or None))
