"""A real browser: the LEDS Representative records a class's results in the grid (htmx), row by row (R-CE-5)."""

import pytest
from django.utils import timezone

from certification.factories import CertificationClassFactory, EnrollmentFactory
from certification.models import CertificationResult, Enrollment
from people.factories import PersonFactory
from tests.browser.test_compliance_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_record_class_results_in_the_grid(world, live_server, page):
    agency = world.agency
    certification_class = CertificationClassFactory(agency=agency, held_on=timezone.localdate(timezone=agency.zone))
    passing = EnrollmentFactory(certification_class=certification_class, person=world.target)
    failing = EnrollmentFactory(certification_class=certification_class,
                                person=PersonFactory(agency=agency, last_name="Aardvark"))
    sign_in(page, live_server, world.users["leds_rep"])
    page.goto(f"{live_server.url}/certification/classes/{certification_class.pk}/")
    page.evaluate("window.__notReloaded = true")

    row = f"#enrollment-{passing.pk}"
    page.select_option(f"{row} select[name=attendance]", "attended")
    page.select_option(f"{row} select[name=result]", "pass")
    page.fill(f"{row} input[name=score]", "94")
    page.select_option(f"{row} select[name=level]", label="Full Access")
    page.click(f'{row} button[data-save="{passing.pk}"]')
    page.wait_for_selector(f'{row}[data-result="pass"]')

    other = f"#enrollment-{failing.pk}"
    page.select_option(f"{other} select[name=attendance]", "attended")
    page.select_option(f"{other} select[name=result]", "fail")
    page.fill(f"{other} input[name=score]", "58")
    page.click(f'{other} button[data-save="{failing.pk}"]')
    page.wait_for_selector(f'{other}[data-result="fail"]')

    page.click(f'{row} button[data-leds="{passing.pk}"]')
    page.wait_for_selector(f'{row}[data-recorded="yes"]')
    assert world.users["leds_rep"].get_full_name() in page.inner_text(row)  # who ticked it
    assert page.evaluate("window.__notReloaded") is True  # every row saved in place, no page reload

    passing.refresh_from_db()
    failing.refresh_from_db()
    assert (passing.result, passing.score, passing.is_recorded_in_leds) == ("pass", 94, True)
    assert (failing.result, failing.score) == ("fail", 58)
    assert CertificationResult.objects.get(person=world.target).score == 94
    assert not CertificationResult.objects.filter(person=failing.person).exists()
    assert Enrollment.objects.get(pk=passing.pk).recorded_in_leds_by == world.users["leds_rep"]
