"""A real browser: a validator is refused an outcome without a contact (R-VA-4), logs one, and saves it."""

import pytest

from tests.browser.test_compliance_browser import sign_in
from validations.factories import ValidationCycleFactory, ValidationEntryFactory, record_type

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_validator_logs_a_contact_then_records_the_outcome(world, live_server, page):
    entry = ValidationEntryFactory(cycle=ValidationCycleFactory(agency=world.agency), record_type=record_type("EW"),
                                   validator=world.people["employee"], nic="W987654321")
    sign_in(page, live_server, world.users["employee"])
    page.goto(f"{live_server.url}/validations/worklist/")
    page.click("text=W987654321")
    page.click("label[for=id_is_reviewed_against_case_file]")
    page.select_option("#id_outcome", "validated")
    page.click("#save-outcome")
    assert "R-VA-4: this record type needs a contact log entry" in page.inner_text("#outcome-form")
    page.click("text=Log a contact")
    page.fill("#id_who", "Deputy DA Morgan")
    page.select_option("#id_method", "phone")
    page.fill("#id_result", "Warrant still active")
    page.click("#add-contact")
    assert "Deputy DA Morgan" in page.inner_text("#contact-log")
    page.click("label[for=id_is_reviewed_against_case_file]")
    page.select_option("#id_outcome", "validated")
    page.click("#save-outcome")
    page.wait_for_url(f"{live_server.url}/validations/worklist/")
    entry.refresh_from_db()
    assert entry.outcome == "validated"
