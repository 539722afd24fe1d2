"""Under the Content-Security-Policy the pages still work in a real browser, and nothing is refused (issue 17)."""

import pytest

from accounts.factories import stored_totp_secret, totp_code
from people.factories import PersonFactory
from state_access.factories import StateSystemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_csp_violation_and_htmx_confirm_and_autosubmit_work(world, live_server, page):
    PersonFactory(agency=world.agency, last_name="Quillfeather", first_name="Odessa", employee_id="Q-1")
    StateSystemFactory()
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(f"{live_server.url}/")
    page.fill("input[name=login]", "leds_rep")
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.fill("input[name=code]", totp_code(stored_totp_secret(world.users["leds_rep"])))
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    # htmx (served by us) still swaps the roster table
    page.goto(f"{live_server.url}/people/")
    page.fill("#roster-q", "quillfeather")
    page.press("#roster-q", "Enter")
    page.wait_for_selector("#roster-table >> text=1 person")  # a selector, not a JS predicate (CSP: no eval)
    # USWDS's script ran (it marks the page once loaded)
    assert page.locator("html.usa-js-loading").count() == 0
    # a <select data-autosubmit> submits its form (was onchange=)
    page.goto(f"{live_server.url}/background/accounts/")
    options = [option.get_attribute("value") for option in page.locator("#show option").all()]
    page.select_option("#show", options[-1])
    page.wait_for_url(f"**show={options[-1]}**")
    assert refused == [], refused
