"""A real browser: the LEDS Representative requests an account, is told why it cannot become active (R-BG-1),
and activates it once the background check is cleared."""

import pytest

from background.factories import ClearedFingerprintCheckFactory
from tests.browser.test_compliance_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_r_bg_1_request_refused_activation_then_activate(world, live_server, page):
    person = world.target
    sign_in(page, live_server, world.users["leds_rep"])
    page.goto(f"{live_server.url}/background/people/{person.pk}/accounts/")
    assert "background check is not cleared" in page.inner_text("#not-cleared")
    page.select_option("select[name=system]", label="WebLEDS")
    page.click("#request-account")
    page.wait_for_selector("button[data-step]")
    page.click("button[data-step]")  # the first step offered is "Mark active"
    page.wait_for_selector(".usa-alert--error")
    assert "not cleared (R-BG-1)" in page.content()
    ClearedFingerprintCheckFactory(person=person)
    page.goto(f"{live_server.url}/background/people/{person.pk}/accounts/")
    assert page.locator("#not-cleared").count() == 0
    page.click("button[data-step]")
    page.wait_for_selector("text=WebLEDS account: active.")
    assert "ACTIVE" in page.inner_text(".usa-card__heading").upper()
