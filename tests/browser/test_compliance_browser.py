"""A real browser: record a certification on the person page (htmx) and see recertification turn done."""

import datetime

import pytest

from accounts.factories import stored_totp_secret, totp_code
from background.factories import FingerprintCheckFactory
from common.dates import in_words

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", user.username)
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.fill("input[name=code]", totp_code(stored_totp_secret(user)))
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_record_certification_turns_recertification_done(world, live_server, page):
    person = world.target
    FingerprintCheckFactory(person=person, submitted_on=datetime.date(2025, 1, 20))
    sign_in(page, live_server, world.users["leds_rep"])
    page.goto(f"{live_server.url}/people/{person.pk}/")
    recert = page.locator('tr[data-obligation="recertification"]')
    assert recert.get_attribute("data-status") == "open"

    page.click("text=Record a certification pass (nexTEST)")
    passed_on = datetime.date.today() - datetime.timedelta(days=3)
    page.fill("#record-certification input[name=passed_on]", passed_on.isoformat())
    page.select_option("#record-certification select[name=level]", label="Full Access")
    page.fill("#record-certification input[name=score]", "93")
    page.click('#record-certification button[data-record="certification"]')
    page.wait_for_selector('tr[data-obligation="recertification"][data-status="done"]')
    assert f"passed {in_words(passed_on)} (Full Access, score 93)" in page.inner_text("#obligations")
    assert page.url.endswith(f"/people/{person.pk}/")  # updated in place, no full reload
