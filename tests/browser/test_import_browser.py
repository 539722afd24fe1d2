"""A real browser: upload an HR export, read the preview, confirm, and find the people on the roster."""

import pytest

from people.models import Person
from tests.browser.test_compliance_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_roster_import_preview_then_confirm(world, live_server, page, tmp_path):
    roster = tmp_path / "hr-export.csv"
    roster.write_text("employee_id,last_name,first_name,assignment_date,role_tier,supervisor_employee_id\n"
                      "B1,Okonkwo,Ife,2025-02-03,3,\nB2,Petrov,Ivo,2/10/2025,2,B1\n")
    sign_in(page, live_server, world.users["leds_rep"])
    page.goto(f"{live_server.url}/people/import/")
    page.set_input_files("#roster-file", str(roster))
    page.click("#preview-import")
    page.wait_for_selector("#import-summary")
    assert "2 to create" in page.inner_text("#import-summary")
    assert not Person.objects.filter(employee_id="B1").exists()
    page.click("#confirm-import")
    page.wait_for_url(f"{live_server.url}/people/")
    assert "created 2, updated 0" in page.inner_text("main")
    assert Person.objects.get(employee_id="B2").supervisor.employee_id == "B1"
