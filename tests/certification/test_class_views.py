"""Pages of in-house certification classes (R-CE-5): schedule, roster, grid (htmx), exports, shared pages."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from certification import services
from certification.factories import CertificationClassFactory, CertificationResultFactory, EnrollmentFactory
from certification.models import CertificationClass, CertificationLevel, CertificationResult, Enrollment
from people.factories import PersonFactory
from tests.conftest import refresh_compliance

pytestmark = pytest.mark.django_db


def _today(agency):
    return timezone.localdate(timezone=agency.zone)


@pytest.fixture
def rep(world, login):
    login(world.users["leds_rep"])
    return world.users["leds_rep"]


@pytest.fixture
def todays_class(world):
    return CertificationClassFactory(agency=world.agency, held_on=_today(world.agency), capacity=3)


def test_schedule_a_class_then_add_people(world, rep, client):
    level = CertificationLevel.objects.get(name="Full Access")
    data = {"held_on": "2026-12-08", "start_time": "09:00", "end_time": "08:00", "location": "Room 2",
            "instructor": "Pat Records", "capacity": "12", "level": level.pk, "notes": ""}
    refused = client.post(reverse("certification:class_create"), data)
    body = refused.content.decode()
    assert refused.status_code == 200 and "The class must end after it starts." in body
    assert 'value="Room 2"' in body  # what was typed stays
    response = client.post(reverse("certification:class_create"), {**data, "end_time": "16:00"})
    certification_class = CertificationClass.objects.get()
    assert response.url == reverse("certification:class_roster_add", args=[certification_class.pk])
    assert (certification_class.agency, certification_class.created_by) == (world.agency, rep)


def test_roster_add_offers_the_engines_people_and_adds_them_in_one_action(world, rep, client, todays_class):
    certified = PersonFactory(agency=world.agency, last_name="Certified", assigned_on=datetime.date(2020, 1, 6))
    CertificationResultFactory(person=certified, passed_on=_today(world.agency) - datetime.timedelta(days=30))
    refresh_compliance()  # the refresh worker's run after the commit (issue 23)
    page = client.get(reverse("certification:class_roster_add", args=[todays_class.pk])).content.decode()
    assert "3 seats left" in page and world.target.employee_id in page
    assert certified.employee_id not in page  # certified: not offered

    response = client.post(reverse("certification:class_roster_add", args=[todays_class.pk]),
                           {"person": [world.target.pk, world.outsider.pk]})
    assert response.status_code == 302
    assert set(Enrollment.objects.values_list("person_id", flat=True)) == {world.target.pk, world.outsider.pk}
    detail = client.get(reverse("certification:class_detail", args=[todays_class.pk])).content.decode()
    assert "1 seat left" in detail and world.target.last_name in detail


def test_roster_add_over_capacity_adds_nobody_and_keeps_the_ticks(world, rep, client, todays_class):
    people = [world.people[k] for k in ("laso", "supervisor", "employee", "agency_auditor")]
    refresh_compliance()
    response = client.post(reverse("certification:class_roster_add", args=[todays_class.pk]),
                           {"person": [p.pk for p in people]})
    body = response.content.decode()
    assert response.status_code == 200 and "Nobody was added" in body
    assert "The class has 3 seats left; you chose 4." in body
    assert not Enrollment.objects.exists()
    assert f'value="{people[0].pk}" id="candidate-{people[0].pk}"\n        checked' in body


def test_roster_add_by_search_htmx(world, rep, client, todays_class):
    found = PersonFactory(agency=world.agency, last_name="Zyzzyva")
    PersonFactory(agency=world.foreign_agency, last_name="Zyzzyva")
    response = client.get(reverse("certification:class_roster_add", args=[todays_class.pk]), {"q": "zyzz"},
                          HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and body.count("Zyzzyva") == 1 and f'value="{found.pk}"' in body
    client.post(reverse("certification:class_roster_add", args=[todays_class.pk]), {"person": found.pk})
    assert Enrollment.objects.get().person == found


def test_grid_row_records_a_pass_in_place(world, rep, client, todays_class):
    enrollment = EnrollmentFactory(certification_class=todays_class, person=world.target)
    level = CertificationLevel.objects.get(name="Inquiry")
    url = reverse("certification:enrollment_result", args=[enrollment.pk])
    refused = client.post(url, {"attendance": "attended", "result": "pass", "score": "", "level": level.pk},
                          HTTP_HX_REQUEST="true").content.decode()
    assert refused.startswith("\n<tr") or refused.lstrip().startswith("<tr")
    assert "A pass needs the score." in refused and '<option value="pass" selected>' in refused
    assert not CertificationResult.objects.exists()

    saved = client.post(url, {"attendance": "attended", "result": "pass", "score": "91", "level": level.pk},
                        HTTP_HX_REQUEST="true").content.decode()
    assert 'data-result="pass"' in saved and "Mark recorded in LEDS" in saved
    record = CertificationResult.objects.get(person=world.target)
    assert (record.passed_on, record.level, record.score) == (todays_class.held_on, level, 91)

    ticked = client.post(reverse("certification:enrollment_recorded_in_leds", args=[enrollment.pk]),
                         {"recorded": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-recorded="yes"' in ticked and rep.get_full_name() in ticked


def test_grid_is_read_only_for_the_laso_and_closed_before_the_class_day(world, login, client):
    future = CertificationClassFactory(agency=world.agency, held_on=_today(world.agency) + datetime.timedelta(days=3))
    EnrollmentFactory(certification_class=future, person=world.target)
    login(world.users["laso"])
    page = client.get(reverse("certification:class_detail", args=[future.pk])).content.decode()
    assert world.target.last_name in page and "data-save" not in page and "Add people" not in page
    login(world.users["leds_rep"])
    page = client.get(reverse("certification:class_detail", args=[future.pk])).content.decode()
    assert "Add people" in page and "data-save" not in page and "from the class day on" in page


def test_roster_sheet_pdf_and_results_exports(world, login, client, todays_class):
    enrollment = EnrollmentFactory(certification_class=todays_class, person=world.target)
    services.record_class_result(enrollment_id=enrollment.pk, attendance="attended", result="pass", score=87,
                                 level=None, actor=world.users["leds_rep"], today=todays_class.held_on)
    login(world.users["agency_auditor"])
    pdf = client.get(reverse("certification:class_roster_pdf", args=[todays_class.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    url = reverse("certification:class_results_export", args=[todays_class.pk])
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["class_date", "employee_id", "last_name", "first_name", "attendance", "result"]
    assert rows[1][1:9] == [world.target.employee_id, "Tester", "Employee", "attended", "pass", "87", "Full Access",
                            "no"]
    workbook = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    assert list(workbook.active.iter_rows(values_only=True))[1][1] == world.target.employee_id


def test_person_page_shows_the_class_to_the_person_and_their_supervisor(world, login, client, todays_class):
    EnrollmentFactory(certification_class=todays_class, person=world.target)
    EnrollmentFactory(certification_class=todays_class, person=world.outsider)
    for who in ("employee", "supervisor"):
        login(world.users[who])
        page = client.get(reverse("people:detail", args=[world.target.pk])).content.decode()
        assert todays_class.location in page and "Add to calendar (.ics)" in page
        assert reverse("certification:class_detail", args=[todays_class.pk]) not in page  # no class page for them
    login(world.users["employee"])
    ics = client.get(reverse("certification:enrollment_ics", args=[world.target.class_enrollments.get().pk]))
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content


def test_dashboard_lists_unrecorded_passes_with_the_flag(world, login, client):
    rep = world.users["leds_rep"]
    old = CertificationClassFactory(agency=world.agency, held_on=_today(world.agency) - datetime.timedelta(days=8))
    enrollment = EnrollmentFactory(certification_class=old, person=world.target)
    services.record_class_result(enrollment_id=enrollment.pk, attendance="attended", result="pass", score=90,
                                 level=None, actor=rep, today=old.held_on)
    login(rep)
    page = client.get(reverse("compliance:dashboard")).content.decode()
    assert "Class passes not yet recorded in LEDS" in page
    assert f'data-enrollment="{enrollment.pk}" data-late="yes"' in page and "Over 5 days" in page
    login(world.users["supervisor"])
    assert "Class passes not yet recorded in LEDS" not in client.get(reverse("compliance:dashboard")).content.decode()


def test_list_shows_seats_left(world, rep, client, todays_class):
    EnrollmentFactory(certification_class=todays_class)
    page = client.get(reverse("certification:class_list")).content.decode()
    assert "1 of 3" in page and todays_class.location in page


def test_person_history_lists_the_recorded_in_leds_tick(world, rep, client, todays_class):
    enrollment = EnrollmentFactory(certification_class=todays_class, person=world.target)
    services.record_class_result(enrollment_id=enrollment.pk, attendance="attended", result="pass", score=90,
                                 level=None, actor=rep, today=todays_class.held_on)
    services.set_recorded_in_leds(enrollment_id=enrollment.pk, is_recorded=True, actor=rep)
    page = client.get(reverse("people:history", args=[world.target.pk])).content.decode()
    assert "Certification class" in page and "Recorded in LEDS" in page


def test_dashboard_panel_shows_the_oldest_twenty_and_counts_the_rest(world, login, client):
    level = CertificationLevel.objects.get(name="Full Access")
    old = CertificationClassFactory(agency=world.agency, held_on=_today(world.agency) - datetime.timedelta(days=2),
                                    capacity=30)
    for _ in range(23):
        EnrollmentFactory(certification_class=old, attendance="attended", result="pass", score=90, passed_level=level)
    login(world.users["laso"])
    page = client.get(reverse("compliance:dashboard")).content.decode()
    assert page.count("data-enrollment=") == 20 and "And 3 more" in page


def test_cancel_a_class_after_confirming_with_a_reason(world, rep, client, todays_class):
    EnrollmentFactory(certification_class=todays_class, person=PersonFactory(agency=world.agency, last_name="Doe"))
    detail = client.get(reverse("certification:class_detail", args=[todays_class.pk])).content.decode()
    url = reverse("certification:class_cancel", args=[todays_class.pk])
    assert url in detail
    confirm = client.get(url).content.decode()
    assert "The 1 person on the roster will be e-mailed" in confirm
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200 and "This field is required." in refused.content.decode()
    todays_class.refresh_from_db()
    assert not todays_class.is_cancelled
    response = client.post(url, {"reason": "Room flooded"})
    assert response.url == reverse("certification:class_detail", args=[todays_class.pk])
    page = client.get(response.url).content.decode()
    assert "Cancelled on" in page and "Room flooded" in page
    assert url not in page and reverse("certification:class_edit", args=[todays_class.pk]) not in page
    assert "Cancelled" in client.get(reverse("certification:class_list")).content.decode()
