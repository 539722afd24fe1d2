"""A real browser (issue 22): the LASO records a denial; the person page, the roster filter and the dashboard all
say "must be suspended — R-BG-2"; "Request disablement" moves the person's active accounts (R-AC-1)."""

import datetime

import pytest

from background.factories import FingerprintCheckFactory
from certification.factories import (
    CertificationResultFactory,
    SecurityAwarenessCompletionFactory,
    TrainingGuideIssueFactory,
)
from compliance.selectors import agency_today
from state_access.factories import StateAccountFactory, state_system
from state_access.models import StateAccount
from tests.browser.test_compliance_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _text(page, selector) -> str:
    return " ".join(page.inner_text(selector).split()).lower()


def test_r_bg_2_a_denial_recorded_by_the_laso_suspends_everywhere_and_accounts_are_disabled(world, live_server, page):
    person = world.target
    today = agency_today(world.agency)
    check = FingerprintCheckFactory(person=person, submitted_on=today - datetime.timedelta(days=10))  # no decision
    CertificationResultFactory(person=person, passed_on=today - datetime.timedelta(days=200))
    SecurityAwarenessCompletionFactory(person=person, completed_on=today - datetime.timedelta(days=30))
    TrainingGuideIssueFactory(person=person, issued_on=datetime.date(2025, 1, 8),
                              completed_on=datetime.date(2025, 2, 1))
    accounts = [StateAccountFactory(person=person, system=state_system(name)) for name in ("WebLEDS", "nexTEST")]

    sign_in(page, live_server, world.users["laso"])
    page.goto(f"{live_server.url}/people/{person.pk}/")
    assert page.locator("[data-verdict=eligible]").count() == 1  # a pending check within its decision clock

    page.goto(f"{live_server.url}/background/people/{person.pk}/")
    prefix = f"c{check.pk}"
    page.select_option(f"select[name={prefix}-outcome]", "denied")
    page.fill(f"input[name={prefix}-on]", (today - datetime.timedelta(days=1)).isoformat())
    page.select_option(f"select[name={prefix}-denial_reason]", "current_prosecution")
    page.fill(f"input[name={prefix}-notice_sent_on]", today.isoformat())
    page.click(f"button[data-adjudicate='{check.pk}']")
    page.wait_for_selector("text=Adjudication recorded.")

    page.goto(f"{live_server.url}/people/{person.pk}/")
    assert "must be suspended — r-bg-2" in _text(page, "#person-compliance [data-verdict=must_be_suspended]")

    page.goto(f"{live_server.url}/people/?verdict=must_be_suspended")
    row = page.locator("tr", has=page.locator(f"a[href='/people/{person.pk}/']"))
    assert "must be suspended — r-bg-2" in " ".join(row.inner_text().split()).lower()
    assert page.locator("#roster-verdict").input_value() == "must_be_suspended"

    page.goto(f"{live_server.url}/compliance/")
    assert person.last_name in page.inner_text("#suspended-alert")
    assert "not eligible, accounts still active" in _text(page, "#not-eligible-accounts-active")
    page.goto(f"{live_server.url}/compliance/?verdict=must_be_suspended&obligation=background_check")
    assert "must be suspended — r-bg-2" in _text(page, "#worklist-table tbody")

    page.goto(f"{live_server.url}/people/{person.pk}/")
    page.click("#request-disablement")
    assert "webleds" in _text(page, "#accounts-to-disable") and "nextest" in _text(page, "#accounts-to-disable")
    page.click("text=Request disablement of 2 accounts")
    page.wait_for_selector("text=Disablement requested")
    statuses = set(StateAccount.objects.filter(pk__in=[a.pk for a in accounts]).values_list("status", flat=True))
    assert statuses == {"disable_requested"}
    assert page.locator("#request-disablement").count() == 0
