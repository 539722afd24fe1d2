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


def test_an_hr_export_with_its_own_headers_is_mapped_once_and_next_months_goes_straight_to_preview(
        world, live_server, page, tmp_path):
    """Issue 21: the LEDS Representative matches an HR export's columns to ours, saves the mapping, imports; the
    next file of the same export needs no mapping."""
    header = "Emp #,Surname,Given Name,Hire Date,Security Tier,Department\n"
    export = tmp_path / "hr-november.csv"
    export.write_text(header + "M1,Okafor,Nia,2025-02-03,3,Patrol\nM2,Lund,Erik,2/10/2025,2,Records\n")
    sign_in(page, live_server, world.users["leds_rep"])
    page.goto(f"{live_server.url}/people/import/")
    page.set_input_files("#roster-file", str(export))
    page.click("#preview-import")
    page.wait_for_selector("#column-mapping")
    assert "Okafor" in page.inner_text("#column-mapping")  # the first values under each column
    for theirs, ours in (("Emp #", "employee_id"), ("Surname", "last_name"), ("Given Name", "first_name"),
                         ("Hire Date", "assignment_date"), ("Security Tier", "role_tier")):
        page.get_by_label(f"{theirs} is our column").select_option(ours)
    page.click("#apply-mapping")
    page.wait_for_selector("#import-summary")
    assert "2 to create" in page.inner_text("#import-summary")
    page.click("#confirm-import")
    page.wait_for_url(f"{live_server.url}/people/")
    assert Person.objects.get(employee_id="M1").last_name == "Okafor"

    december = tmp_path / "hr-december.csv"
    december.write_text(export.read_text() + "M3,Sato,Yui,2026-11-30,2,Dispatch\n")
    page.goto(f"{live_server.url}/people/import/")
    page.set_input_files("#roster-file", str(december))
    page.click("#preview-import")
    page.wait_for_selector("#import-summary")
    assert "1 to create" in page.inner_text("#import-summary")
    assert "default" in page.inner_text("#import-mapping")
