"""A real browser on the finished interface (issue 19): the home page of each role at 1366 and 390 px, signing in
and registering with the keyboard only, and publishing an event with the date pickers."""

import datetime

import pytest
from django.conf import settings
from django.test import Client

from accounts.factories import stored_totp_secret, totp_code
from tests.browser.test_accessibility import WIDEST
from tests.conftest import PASSWORD, mfa_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(context, live_server, user):
    """Give the browser ``user``'s MFA-complete session (the sign-in itself is the keyboard test below)."""
    client = mfa_login(Client(), user)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])


HOME_SECTIONS = {
    "employee": ("#home-own", "Your LEDS access"),
    "supervisor": ("#home-team", "Your people"),
    "leds_rep": ("#home-today", "Today's work"),
    "laso": ("#home-today", "Today's work"),
    "training_unit": ("#home-training-unit", "Upcoming events"),
    "agency_auditor": ("#home-auditor", "What you may read"),
    "state_auditor": ("#home-auditor", "What you may read"),
}


@pytest.mark.parametrize("key", sorted(HOME_SECTIONS))
def test_home_page_per_role(world, live_server, browser, key):
    selector, heading = HOME_SECTIONS[key]
    context = browser.new_context()
    signed_in(context, live_server, world.users[key])
    page = context.new_page()
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/")
        section = page.locator(selector)
        assert section.is_visible() and heading in section.inner_text()
        # the first thing under the page title is the role's own work
        assert page.locator("main h2").first.inner_text() in section.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= width, page.evaluate(WIDEST, width)
        # the header holds: the agency line and the menu button never overlap
        agency = page.locator(".leds-agency").bounding_box()
        button = page.locator(".usa-menu-btn" if width < 1024 else ".usa-nav__primary").bounding_box()
        assert agency["x"] + agency["width"] <= button["x"] or agency["y"] + agency["height"] <= button["y"]
    context.close()


def tab_to(page, selector, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_only_sign_in_and_register_for_an_event(world, live_server, page):
    from training_events.factories import TrainingEventFactory
    from training_events.models import Registration

    event = TrainingEventFactory(title="Ontario regional LEDS training", seat_cap=14)
    page.goto(f"{live_server.url}/training/{event.pk}/")
    page.wait_for_url("**/accounts/login/**")
    # focus is on the first field when the page opens; Tab goes from user name to password
    assert page.evaluate("document.activeElement.name") == "login"
    page.keyboard.type("employee")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    assert page.evaluate("document.activeElement.name") == "code"
    page.keyboard.type(totp_code(stored_totp_secret(world.users["employee"])))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/training/{event.pk}/")

    tab_to(page, "#register-me")
    page.keyboard.press("Enter")
    page.wait_for_selector("#registration-panel >> text=You are registered")
    # after the swap focus is on the panel's message, not lost to <body>
    assert page.evaluate("document.activeElement.closest('#registration-panel') !== null")
    assert Registration.objects.get(event=event).person == world.people["employee"]


def test_publish_an_event_with_the_date_pickers(world, live_server, browser):
    from training_events.models import TrainingEvent

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    signed_in(context, live_server, world.users["training_unit"])
    page = context.new_page()
    page.goto(f"{live_server.url}/training/new/")
    assert page.evaluate("document.activeElement.name") == "title"  # the first field has focus
    page.fill("input[name=title]", "Statewide LEDS conference")
    page.fill("input[name=venue_name]", "Salem Convention Center")
    page.fill("input[name=seat_cap]", "40")
    page.fill("input[name=starts]", "09:00")
    page.fill("input[name=ends]", "16:00")

    today = datetime.date.today()
    first = (today.replace(day=1) + datetime.timedelta(days=62)).replace(day=10)
    # day 1 with the calendar: open it, go forward two months, choose the 10th
    day_one = page.locator("[data-date-list-row]").nth(0)
    day_one.locator(".usa-date-picker__button").click()
    for _ in range((first.year - today.year) * 12 + first.month - today.month):
        page.click(".usa-date-picker__calendar__next-month")
    page.click(f".usa-date-picker__calendar__date[data-day='10'][data-month='{first.month}']")
    assert day_one.locator("input[name=dates]").input_value() == first.strftime("%m/%d/%Y")
    # day 2 typed into a second picker added with "Add a day"; a third added, then removed
    page.click("[data-date-list-add]")
    second = first + datetime.timedelta(days=1)
    page.locator("[data-date-list-row]").nth(1).locator("input[name=dates]").fill(second.strftime("%m/%d/%Y"))
    page.click("[data-date-list-add]")
    assert page.locator("[data-date-list-row]").count() == 3
    assert page.locator("[data-date-list-row]").nth(2).locator("label").inner_text() == "Day 3"
    page.locator("[data-date-list-row]").nth(2).locator("[data-date-list-remove]").click()
    assert page.locator("[data-date-list-row]").count() == 2

    deadline = first - datetime.timedelta(days=7)
    page.locator("input[name=registration_deadline_on]").fill(deadline.strftime("%m/%d/%Y"))
    page.click("button:has-text('Publish')")
    page.wait_for_selector("h1:has-text('Statewide LEDS conference')")
    event = TrainingEvent.objects.get(title="Statewide LEDS conference")
    days = [d.starts_at.astimezone(event.zone).date() for d in event.days.order_by("starts_at")]
    assert days == [first, second] and event.registration_deadline_on == deadline
    context.close()
