"""The statewide dashboard (issue 20): the agencies' own figures, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import SecurityEvent, User
from accounts.selectors import review_status
from agreements import rules as agreement_rules
from agreements.models import Agreement
from agreements.selectors import needing_attention
from audit.models import Audit
from audit.selectors import audit_status
from compliance import engine
from compliance.obligations import refresh_agency, store_figures
from compliance.selectors import dashboard
from people.factories import AgencyFactory, PersonFactory
from people.models import Agency, Person
from statewide import selectors
from validations.models import ValidationCycle
from validations.selectors import current_cycle

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


def test_statewide_rows_equal_each_demo_agencys_own_dashboard(world, settings):
    from demo.seed import seed_demo

    settings.DEBUG = True
    demo = seed_demo(actor=User.objects.create_user(username="seed-actor"), agencies=2, people=12, today=TODAY)
    auditor = world.users["state_auditor"]
    own = {}
    for agency in demo.agencies:
        today = timezone.localdate(timezone=agency.zone)
        people = Person.objects.for_user(auditor).in_agency(agency)
        data = dashboard(people=people, agency=agency, today=today, whole_agency=True)
        own[agency.pk] = (today, data)
    rows = {row.pk: row for row in selectors.statewide_rows(user=auditor)}
    assert set(rows) == set(Agency.objects.values_list("pk", flat=True))
    to_act_on = 0
    for agency in demo.agencies:
        today, data = own[agency.pk]
        row = rows[agency.pk]
        assert row.must_be_suspended == data.suspended_count
        assert {code: row.verdicts.get(code, 0) for code in engine.VERDICTS} == data.verdict_counts
        to_act_on += row.agreements_to_resign + row.open_corrective_actions + row.must_be_suspended
        assert row.overdue == sum(counts[engine.OVERDUE] for counts in data.counts.values())
        cycles = ValidationCycle.objects.for_user(auditor).in_agency(agency)
        state = current_cycle(cycles=cycles, today=today)
        assert row.validation_due_on == (state.cycle.due_on if state else None)
        assert row.at_risk_of_purge == (state.is_at_risk_of_purge if state else False)
        status = audit_status(audits=Audit.objects.for_user(auditor).in_agency(agency), today=today)
        assert row.last_audit_on == (status.last_audit.audited_on if status.last_audit else None)
        assert row.next_audit_on == status.next_due_on
        assert row.audit_overdue == status.is_overdue
        assert row.open_corrective_actions == len(status.open_findings)
        attention = needing_attention(agreements=Agreement.objects.for_user(auditor).in_agency(agency), today=today)
        kinds = [r.standing.status for r in attention]
        assert row.agreements_lapsed == kinds.count(agreement_rules.LAPSED)
        assert row.agreements_to_resign == kinds.count(agreement_rules.RESIGN_NEEDED)
        assert row.agreements_review_due == len(kinds) - row.agreements_lapsed - row.agreements_to_resign
        assert row.security_review_overdue == review_status(user=auditor, agency=agency, now=timezone.now())["overdue"]
        assert row.leds_representatives, "the demo agencies have a LEDS Representative"
        # every person with stored obligations has one verdict
        people_with_rows = data.rows.model.objects.filter(agency=agency).values("person").distinct().count()
        assert sum(row.verdicts.values()) == people_with_rows
    assert to_act_on  # the demo has something to act on, so the comparison compared something


def _agency_with_people(n_people: int, index: int) -> Agency:
    agency = AgencyFactory(ori=f"OR{index:07d}", name=f"Agency {index:03d}")
    for i in range(n_people):
        PersonFactory(agency=agency, employee_id=f"E{i}")
    refresh_agency(agency.pk, TODAY)
    Audit.objects.create(agency=agency, audited_on=datetime.date(2023, 1, 1 + index % 27))
    if n_people:
        from agreements.factories import AgreementSignatoryFactory

        AgreementSignatoryFactory(agreement__agency=agency, person=Person.objects.filter(agency=agency).first())
    return agency


def _queries(user) -> int:
    from people.scoping import get_access

    get_access(user)  # resolved once per request by the middleware, before any page's reads
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.statewide_rows(user=user)
    assert rows
    return len(queries)


def test_the_statewide_rows_take_the_same_queries_at_3_and_at_20_agencies(world):
    auditor = world.users["state_auditor"]
    for index in range(3):
        _agency_with_people(2, index)
    small = _queries(auditor)
    for index in range(3, 20):
        _agency_with_people(2, index)
    assert _queries(auditor) == small
    assert small <= 6


def test_filters_sort_and_totals(world, login):
    auditor = world.users["state_auditor"]
    suspended = _agency_with_people(1, 1)
    quiet = _agency_with_people(0, 2)
    from compliance.models import StoredObligation

    person = Person.objects.filter(agency=suspended).first()
    StoredObligation.objects.filter(person=person).update(verdict=engine.MUST_BE_SUSPENDED)  # as the engine would
    store_figures(agency_id=suspended.pk)  # ... and the refresh keeps the agency's figures with its stored obligations
    login(auditor)
    response = login(auditor).get(reverse("statewide:dashboard"), {"flag": ["suspend"]})
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert [r.pk for r in rows] == [suspended.pk]
    assert rows[0].must_be_suspended == 1
    assert response.context["totals"].must_be_suspended == 1
    response = login(auditor).get(reverse("statewide:dashboard"), {"sort": "-must_be_suspended"})
    assert response.context["page"].object_list[0].pk == suspended.pk
    response = login(auditor).get(reverse("statewide:dashboard"), {"q": quiet.ori})
    assert [r.pk for r in response.context["page"].object_list] == [quiet.pk]


def test_audits_due_in_90_days_filter(world, login):
    auditor = world.users["state_auditor"]
    soon = AgencyFactory(ori="OR0990001", name="Due soon")
    later = AgencyFactory(ori="OR0990002", name="Due later")
    today = timezone.localdate()
    Audit.objects.create(agency=soon, audited_on=today.replace(year=today.year - 3) + datetime.timedelta(days=30))
    Audit.objects.create(agency=later, audited_on=today - datetime.timedelta(days=30))
    response = login(auditor).get(reverse("statewide:dashboard"), {"flag": ["audit_soon"]})
    shown = {r.pk for r in response.context["page"].object_list}
    assert soon.pk in shown
    assert later.pk not in shown


def test_export_csv_and_xlsx_list_every_matching_agency(world, login):
    client = login(world.users["training_unit"])
    response = client.get(reverse("statewide:export"), {"format": "csv"})
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert body.splitlines()[0].startswith("ori,agency,leds_representatives")
    assert world.agency.ori in body
    assert world.foreign_agency.ori in body
    response = client.get(reverse("statewide:export"), {"format": "xlsx"})
    assert response.content[:2] == b"PK"


def test_a_row_opens_the_agency_through_the_logged_switch(world, login):
    client = login(world.users["state_auditor"])
    response = client.post(reverse("people:agency_select", args=[world.foreign_agency.pk]),
                           {"next": reverse("compliance:dashboard"), "source": "statewide"})
    assert response.status_code == 302
    assert response["Location"] == reverse("compliance:dashboard")
    event = SecurityEvent.objects.filter(agency=world.foreign_agency, event=SecurityEvent.Kind.ADMIN_ACTION).get()
    assert event.target == f"agency:{world.foreign_agency.ori}"
    assert event.details["from"] == "statewide"
    # an outside address is not followed
    response = client.post(reverse("people:agency_select", args=[world.agency.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_the_page_draws_every_agency_with_its_contacts(world, login):
    response = login(world.users["training_unit"]).get(reverse("statewide:dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Salem Police Department" in html
    assert 'data-ori="OR0230000"' in html
    assert "leds_rep@" in html or "Leds Rep" in html
