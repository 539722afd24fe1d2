"""Fixtures for sign-in tests: a movable clock and a real password + TOTP sign-in."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.factories import stored_totp_secret, totp_code
from tests.conftest import PASSWORD


class Clock:
    """Moves Django's ``timezone.now`` (sessions, lockout windows, the log) without sleeping."""

    def __init__(self, monkeypatch):
        self.offset = timedelta()
        real_now = timezone.now
        monkeypatch.setattr(timezone, "now", lambda: real_now() + self.offset)

    def advance(self, **kwargs):
        self.offset += timedelta(**kwargs)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth's per-IP sign-in rate limit and used TOTP codes live in the cache; tests start clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def password_step(client, username, password=PASSWORD, next_url=None):
    url = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": username, "password": password})


def sign_in(client, user, password=PASSWORD, next_url=None):
    """Password, then the code from the user's authenticator app; returns the last response."""
    response = password_step(client, user.get_username(), password, next_url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/authenticate/"), (
        response.status_code, response.get("Location"))
    return client.post("/accounts/2fa/authenticate/", {"code": totp_code(stored_totp_secret(user))})


@pytest.fixture
def signed_in():
    return sign_in
