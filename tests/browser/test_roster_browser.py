"""A real browser (Debian's chromium through Playwright): sign in, see the roster, search it, open a person."""

import pytest

from accounts.factories import stored_totp_secret, totp_code
from people.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_search_roster_and_open_a_person(world, live_server, page):
    PersonFactory(agency=world.agency, last_name="Quillfeather", first_name="Odessa", employee_id="Q-1")
    page.goto(f"{live_server.url}/")
    page.fill("input[name=login]", "leds_rep")
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/2fa/authenticate/")  # MFA for everyone (R-SEC-1)
    page.fill("input[name=code]", totp_code(stored_totp_secret(world.users["leds_rep"])))
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "Salem Police Department" in page.inner_text("header")

    page.click("button[aria-controls=nav-people]")  # the People menu of the grouped navigation
    page.click("#nav-people >> a:text-is('People')")
    page.wait_for_selector("#roster-table table")
    assert "Tester, Employee" in page.inner_text("#roster-table")

    page.fill("#roster-q", "quillfeather")
    page.press("#roster-q", "Enter")
    page.wait_for_selector("#roster-table >> text=1 person")  # a selector, not a JS predicate (CSP: no eval)
    table = page.inner_text("#roster-table")
    assert "Quillfeather, Odessa" in table and "Tester, Employee" not in table

    page.click("text=Quillfeather, Odessa")
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "Odessa Quillfeather"
    assert "Q-1" in page.inner_text("main")
