"""A real browser through first sign-in: password, enrollment with the secret shown as text, a code, recovery
codes, then the agency's pages (R-SEC-1)."""

import pytest
from allauth.mfa.models import Authenticator

from accounts.factories import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_sign_in_enrolls_an_authenticator_app(world, live_server, page):
    user = world.users["laso"]
    Authenticator.objects.filter(user=user).delete()
    page.goto(f"{live_server.url}/people/")
    page.fill("input[name=login]", "laso")
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/reauthenticate/**")  # allauth asks for the password once more to enroll
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("main button[type=submit]")  # signed in now: the header holds a "Sign out" button too
    page.wait_for_url("**/accounts/2fa/totp/activate/**")
    assert page.locator("img[src^='data:image/svg+xml']").count() == 1  # the QR code
    secret = page.input_value("#authenticator_secret")  # and the same secret as text
    page.fill("input[name=code]", totp_code(secret))
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    codes = page.input_value("#recovery_codes").split()
    assert len(codes) == 10
    assert page.locator("a:has-text('Download codes')").count() == 1
    page.goto(f"{live_server.url}/people/")
    page.wait_for_selector("#roster-table table")
    assert "Tester, Employee" in page.inner_text("#roster-table")
