"""The session warning in a real browser (R-SEC-4), with the limits shortened to seconds by settings."""

import pytest

from accounts.models import SecurityEvent
from tests.conftest import mfa_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, context, live_server, world, client):
    mfa_login(client, world.users["employee"])
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                          "url": live_server.url}])
    page.goto(f"{live_server.url}/agency/")


def test_warning_lets_the_person_stay_and_otherwise_signs_them_out(world, live_server, page, context, client,
                                                                   settings):
    settings.SESSION_IDLE_SECONDS = 8
    settings.SESSION_WARNING_SECONDS = 5
    _sign_in(page, context, live_server, world, client)
    warning = page.locator("#session-timeout")
    warning.wait_for(state="visible", timeout=8000)  # shown about 3 s in, 5 s before the end
    assert "about to end" in warning.inner_text()
    page.click("#session-timeout button[data-stay]")
    warning.wait_for(state="hidden", timeout=3000)
    page.wait_for_timeout(4000)  # past the original end: staying counted as activity
    page.reload()
    assert "/accounts/login/" not in page.url

    # no click this time: the page goes to sign-in by itself, with the page to come back to
    page.wait_for_url("**/accounts/login/?next=%2Fagency%2F", timeout=15000)
    assert SecurityEvent.objects.filter(event=SecurityEvent.Kind.SESSION_EXPIRED, details={"limit": "idle"}).exists()
