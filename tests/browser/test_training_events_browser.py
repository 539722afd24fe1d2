"""A real browser: an employee registers for a training event, sees the confirmation, cancels (R-EV-2)."""

import pytest

from accounts.factories import stored_totp_secret, totp_code
from training_events.factories import TrainingEventFactory
from training_events.models import Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_see_confirmation_and_cancel(world, live_server, page):
    event = TrainingEventFactory(title="Ontario regional LEDS training", seat_cap=14)
    page.goto(f"{live_server.url}/training/")
    page.fill("input[name=login]", "employee")
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.fill("input[name=code]", totp_code(stored_totp_secret(world.users["employee"])))
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/training/")
    assert "14 seats available" in page.inner_text("main")

    page.click("text=Ontario regional LEDS training")
    page.wait_for_selector("#registration-panel")
    assert "does not certify" in page.inner_text("main")
    page.click("#registration-panel button:has-text('Register')")
    page.wait_for_selector("#registration-panel >> text=You are registered")
    assert "13 seats available" in page.inner_text("#registration-panel")
    assert Registration.objects.get(event=event).status == "confirmed"

    page.click("#registration-panel button:has-text('Cancel my registration')")
    page.wait_for_selector("#registration-panel >> text=14 seats available")
    assert "You are registered" not in page.inner_text("#registration-panel")
    assert Registration.objects.get(event=event).status == "cancelled"
