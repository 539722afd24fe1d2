"""The dashboard, the person page, recording results, and the report — all from the one engine."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from background.factories import FingerprintCheckFactory
from certification.factories import CertificationResultFactory, SecurityAwarenessCompletionFactory
from certification.models import CertificationLevel, CertificationResult, SecurityIncident
from compliance.models import RuleSetting
from people.factories import PersonFactory
from tests.conftest import refresh_compliance

TODAY = datetime.date(2026, 11, 23)


def test_recording_a_certification_turns_recertification_done_and_keeps_history(world, login):
    person = world.target
    client = login(world.users["leds_rep"])
    level = CertificationLevel.objects.get(name="Full Access")
    response = client.post(reverse("certification:record", args=[person.pk, "certification"]),
                           {"passed_on": "2026-11-01", "level": level.pk, "score": "88"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-obligation="recertification" data-status="done"' in body
    assert "passed Nov 1, 2026 (Full Access, score 88)" in body
    record = CertificationResult.objects.get(person=person)
    assert record.history.get().history_user == world.users["leds_rep"]


def test_a_bad_record_keeps_what_was_typed_and_says_why(world, login):
    client = login(world.users["leds_rep"])
    response = client.post(reverse("certification:record", args=[world.target.pk, "certification"]),
                           {"passed_on": "2026-11-01", "level": "", "score": "140"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "less than or equal to 100" in body and 'value="140"' in body
    assert not CertificationResult.objects.exists()


def test_training_guide_completion_needs_an_issued_guide(world, login):
    client = login(world.users["leds_rep"])
    url = reverse("certification:record", args=[world.target.pk, "guide_completed"])
    body = client.post(url, {"completed_on": "2026-11-01"}, HTTP_HX_REQUEST="true").content.decode()
    assert "No training guide has been issued" in body


def test_laso_records_security_awareness_but_not_certifications(world, login):
    client = login(world.users["laso"])
    ok = client.post(reverse("certification:record", args=[world.target.pk, "awareness"]),
                     {"completed_on": "2026-11-01", "tier": "2"})
    assert ok.status_code == 302
    refused = client.post(reverse("certification:record", args=[world.target.pk, "certification"]), {})
    assert refused.status_code == 403


def test_fingerprints_recorded_from_the_person_page(world, login):
    client = login(world.users["laso"])
    response = client.post(reverse("background:record_fingerprints", args=[world.target.pk]),
                           {"submitted_on": "2025-01-20"}, HTTP_HX_REQUEST="true")
    assert 'data-obligation="fingerprints" data-status="done"' in response.content.decode()


def test_incident_creates_retraining_for_everyone_involved(world, login):
    client = login(world.users["leds_rep"])
    people = [world.target.pk, world.outsider.pk]
    response = client.post(reverse("certification:incident_create"),
                           {"occurred_on": "2026-11-01", "summary": "Password written on a note", "people": people})
    assert response.status_code == 302
    incident = SecurityIncident.objects.get()
    assert set(incident.people.values_list("pk", flat=True)) == set(people)
    report = _report(world.agency, "2026-12-02")
    retraining = [o for p in report if p["employee_id"] == world.target.employee_id
                  for o in p["obligations"] if o["obligation"] == "security_retraining"]
    assert retraining == [{"rule": "R-SA-1", "obligation": "security_retraining", "status": "overdue",
                           "due": "2026-12-01"}]


def test_employee_sees_own_obligations_supervisor_sees_chain_on_the_dashboard(world, login):
    refresh_compliance()
    body = login(world.users["employee"]).get(reverse("people:detail", args=[world.target.pk])).content.decode()
    assert 'id="obligations"' in body and "Record a result" not in body
    client = login(world.users["supervisor"])
    dashboard = client.get(reverse("compliance:dashboard"), {"status": "overdue"}).content.decode()
    assert world.target.last_name in dashboard
    assert "Outside" not in dashboard  # not in the supervisor's chain


def test_dashboard_counts_link_to_the_filtered_worklist_and_list_suspended_first(world, login):
    refresh_compliance()
    client = login(world.users["leds_rep"])
    response = client.get(reverse("compliance:dashboard"))
    data = response.context["data"]
    assert data.counts["fingerprints"]["overdue"] == data.suspended_count == len(data.suspended) > 0
    filtered = client.get(reverse("compliance:dashboard"), {"obligation": "fingerprints", "status": "overdue"},
                          HTTP_HX_REQUEST="true")
    rows = filtered.context["page"].object_list
    assert rows and all(o.obligation == "fingerprints" and o.status == "overdue" for o in rows)
    assert "<html" not in filtered.content.decode()


def test_worklist_exports(world, login):
    refresh_compliance()
    client = login(world.users["leds_rep"])
    csv_body = client.get(reverse("compliance:export"), {"format": "csv", "status": "overdue"}).content
    text = csv_body.decode("utf-8-sig")
    assert text.splitlines()[0] == "employee_id,name,verdict,obligation,rule,status,due,done"
    assert "R-FP-1" in text
    xlsx = client.get(reverse("compliance:export"), {"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"


def test_rule_table_edit_moves_every_deadline(world, client, admin_user):
    from tests.conftest import mfa_login

    setting = RuleSetting.objects.get(obligation="fingerprints")
    mfa_login(client, admin_user)
    response = client.post(reverse("compliance:rule_edit", args=[setting.pk]), {
        "rule_id": "R-FP-1", "title": setting.title, "period_value": "45", "period_unit": "days",
        "lead_days": "20, 10", "overdue_repeat_days": "7", "is_enabled": "on"})
    assert response.status_code == 302
    person = world.target  # assigned 2025-01-06
    report = _report(world.agency, "2026-11-23")
    [item] = [o for p in report if p["employee_id"] == person.employee_id for o in p["obligations"]
              if o["obligation"] == "fingerprints"]
    assert item["due"] == "2025-02-20"
    assert setting.history.first().history_change_reason == "Rule table edited"


def test_rule_edit_refuses_a_bad_lead_day_list(world, client, admin_user):
    from tests.conftest import mfa_login

    setting = RuleSetting.objects.get(obligation="fingerprints")
    mfa_login(client, admin_user)
    response = client.post(reverse("compliance:rule_edit", args=[setting.pk]), {
        "rule_id": "R-FP-1", "title": "x", "period_value": "30", "period_unit": "days", "lead_days": "20, soon",
        "overdue_repeat_days": "7"})
    assert response.status_code == 200 and "is not a list of whole numbers" in response.content.decode()


def _report(agency, today):
    from io import StringIO

    out = StringIO()
    call_command("compliance_report", "--agency", agency.ori, "--today", today, stdout=out)
    return json.loads(out.getvalue())


def test_compliance_report_shape(world):
    FingerprintCheckFactory(person=world.target, submitted_on=datetime.date(2025, 1, 20))
    CertificationResultFactory(person=world.target, passed_on=datetime.date(2025, 6, 1))
    SecurityAwarenessCompletionFactory(person=world.target, completed_on=datetime.date(2025, 1, 6))
    report = _report(world.agency, "2026-11-23")
    assert [p["employee_id"] for p in report] == sorted(p["employee_id"] for p in report)
    entry = next(p for p in report if p["employee_id"] == world.target.employee_id)
    assert entry["name"] == f"{world.target.last_name}, {world.target.first_name}"
    assert [o["obligation"] for o in entry["obligations"]] == [
        "fingerprints", "background_check", "background_rescreening", "training_guide_issue",
        "training_guide_completion", "initial_certification", "recertification", "security_awareness"]
    obligations = {o["obligation"]: o for o in entry["obligations"]}
    assert obligations["recertification"] == {"rule": "R-CE-4", "obligation": "recertification", "status": "done",
                                              "due": "2027-06-01"}
    assert obligations["security_awareness"]["status"] == "overdue"
    assert obligations["training_guide_completion"]["due"] is None
    assert all(p["employee_id"] != world.foreign_person.employee_id for p in report)


def test_compliance_report_errors_without_traceback(world):
    with pytest.raises(CommandError, match="no agency"):
        call_command("compliance_report", "--agency", "OR9999999")
    with pytest.raises(CommandError, match="is not a date"):
        call_command("compliance_report", "--agency", world.agency.ori, "--today", "2026-13-45")


def _queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def _grow(agency, n):
    people = PersonFactory.create_batch(n, agency=agency)
    for person in people:
        FingerprintCheckFactory(person=person)
        CertificationResultFactory(person=person)
        SecurityAwarenessCompletionFactory(person=person)


def test_dashboard_and_report_query_counts_do_not_grow_with_people(world, login):
    """HOUSE_STYLE: the same number of queries at 10 and at 1,000 people — the page, the report and the refresh."""
    from io import StringIO

    client = login(world.users["leds_rep"])
    client.get(reverse("compliance:dashboard"))  # warm the session
    refresh_compliance()  # the fixture's three agencies: what follows touches only one

    def store_writes_apart(fn):
        with CaptureQueriesContext(connection) as ctx:
            fn()
        batched = ('INSERT INTO "compliance_storedobligation"', 'DELETE FROM "compliance_stalemark"')
        writes = sum(q["sql"].startswith(batched) for q in ctx.captured_queries)
        return len(ctx.captured_queries) - writes, writes

    def measure():
        # the refresh worker recomputes the whole agency after new people and records; the page only reads
        recomputing = store_writes_apart(refresh_compliance)
        dashboard = _queries(lambda: client.get(reverse("compliance:dashboard")))
        report = _queries(lambda: call_command("compliance_report", "--agency", world.agency.ori, stdout=StringIO()))
        return recomputing, dashboard, report

    from compliance.models import StoredObligation

    def batches():  # the store is written 5,000 rows per INSERT, the marks deleted 5,000 per DELETE
        return -(-StoredObligation.objects.filter(agency=world.agency).count() // 5000)

    _grow(world.agency, 10)
    at_10, batches_10 = measure(), batches()
    _grow(world.agency, 990)
    at_1000, batches_1000 = measure(), batches()
    assert at_10[1:] == at_1000[1:]
    assert at_1000[0][0] == at_10[0][0]  # recomputing: no query per person
    if connection.vendor == "postgresql":  # SQLite caps the parameters of one statement
        assert at_10[0][1] == batches_10 + 1 and at_1000[0][1] == batches_1000 + 1
    # agency + people + rule table + one query per record kind (4 certification, 1 fingerprints) + levels
    # + background checks (1) and state accounts with transfers (2), issue 8, + validators' worklists (1), issue 11
    assert at_1000[2] == 12


def test_r_ce_4_one_new_record_recomputes_only_its_person(world, login):
    """A pass recorded anywhere (here a factory, as the admin or the shell would) reaches the dashboard."""
    from compliance.models import StoredObligation

    _grow(world.agency, 20)
    refresh_compliance()
    others = set(StoredObligation.objects.exclude(person=world.target).values_list("pk", flat=True))
    CertificationResultFactory(person=world.target, passed_on=TODAY - datetime.timedelta(days=3))
    assert refresh_compliance() == 1  # the worker's run after the commit: one agency, one person
    # everybody else's stored rows were left alone: only the changed person was recomputed
    assert set(StoredObligation.objects.exclude(person=world.target).values_list("pk", flat=True)) == others
    stored = {o.obligation: o.status for o in StoredObligation.objects.filter(person=world.target)}
    assert stored["recertification"] == "done"


def test_r_ce_3_a_changed_assignment_date_moves_the_stored_deadline(world, login):
    from compliance.models import StoredObligation
    from people.services import update_person

    refresh_compliance()
    update_person(person=world.target, actor=world.users["leds_rep"], data={"assigned_on": datetime.date(2026, 11, 1)})
    refresh_compliance()
    stored = StoredObligation.objects.get(person=world.target, obligation="initial_certification")
    assert stored.due == datetime.date(2027, 5, 1)


def test_stored_obligations_follow_every_write_and_the_passing_of_days(world, login):
    """The dashboard reads what the engine stored; a record, a rule edit and a new day all refresh it — in the
    worker, never in the request: until then the page says "refreshing…"."""
    from compliance.models import StoredObligation
    from compliance.obligations import refresh_agency, refresh_all
    from compliance.selectors import person_compliance
    from compliance.services import update_rule

    client = login(world.users["leds_rep"])

    def fingerprints_overdue():
        return client.get(reverse("compliance:dashboard")).context["data"].counts["fingerprints"]["overdue"]

    refresh_compliance()
    before = fingerprints_overdue()
    client.post(reverse("background:record_fingerprints", args=[world.target.pk]), {"submitted_on": "2025-01-20"})
    page = client.get(reverse("compliance:dashboard"))
    assert page.context["data"].counts["fingerprints"]["overdue"] == before  # the page did not recompute
    assert page.context["data"].freshness.is_pending and "refreshing" in page.content.decode()
    refresh_compliance()
    assert fingerprints_overdue() == before - 1
    page = client.get(reverse("compliance:dashboard"))
    assert not page.context["data"].freshness.is_pending and "refreshing" not in page.content.decode()
    # the store equals the engine for every person
    for person in world.agency.people.all():
        live = {(o.obligation, o.status, o.due) for o in person_compliance(person=person).obligations}
        stored = set(StoredObligation.objects.filter(person=person).values_list("obligation", "status", "due"))
        assert live == stored, person
    setting = RuleSetting.objects.get(obligation="fingerprints")
    update_rule(setting=setting, data={"period_value": 3650}, actor=world.users["leds_rep"])
    refresh_compliance()
    assert fingerprints_overdue() == 0
    # a new day recomputes the whole agency
    refresh_agency(world.agency.pk, datetime.date(2036, 1, 1))
    assert StoredObligation.objects.filter(agency=world.agency, computed_for=datetime.date(2036, 1, 1)).exists()
    assert refresh_all() > 0


def test_rule_without_lead_days_can_be_saved(world):
    from compliance.forms import RuleSettingForm
    from compliance.models import RuleSetting

    setting = RuleSetting.objects.get(obligation="recertification")
    form = RuleSettingForm({"rule_id": "R-CE-4", "title": setting.title, "period_value": 24, "period_unit": "months",
                            "lead_days": "", "overdue_repeat_days": 7}, instance=setting)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["lead_days"] == []


def test_stored_dashboard_figures_equal_what_the_engine_computes_after_every_refresh(world, login):
    """Issue 23: the dashboard's counts are stored by the refresh that stores the obligations; they are the
    engine's own counts — per verdict, per obligation and status, the worklist's length under each filter, the
    accounts panel's figure — after the whole-agency refresh and after a one-person refresh alike."""
    from collections import Counter

    from compliance import engine
    from compliance.models import AgencyComputation
    from compliance.selectors import agency_compliance
    from people.models import Person
    from state_access.factories import StateAccountFactory
    from state_access.models import StateAccount
    from state_access.selectors import not_eligible_with_active_accounts

    _grow(world.agency, 6)
    StateAccountFactory(person=world.outsider, status="active")
    refresh_compliance()
    client = login(world.users["leds_rep"])

    def engine_figures():
        results = agency_compliance(people=Person.objects.filter(agency=world.agency), agency=world.agency)
        cells = Counter((r.verdict.code, o.obligation, o.status) for r in results for o in r.obligations)
        people = Counter(r.verdict.code for r in results if r.obligations)
        return cells, people

    def check():
        cells, people = engine_figures()
        stored = AgencyComputation.objects.get(agency=world.agency)
        assert {(v, o, s): n for v, o, s, n in stored.worklist_counts} == dict(cells)
        assert stored.verdict_counts == dict(people)
        data = client.get(reverse("compliance:dashboard")).context["data"]
        for _verdict, obligation, status in cells:
            assert data.counts[obligation][status] == sum(
                m for (_v, o, s), m in cells.items() if (o, s) == (obligation, status))
        assert data.verdict_counts == {code: people.get(code, 0) for code in engine.VERDICTS}
        for filters in ({}, {"verdict": "must_be_suspended"}, {"obligation": "fingerprints", "status": "overdue"},
                        {"status": "done"}, {"verdict": "eligible", "obligation": "recertification"}):
            page = client.get(reverse("compliance:dashboard"), filters).context["page"]
            assert page.paginator.count == page.paginator.object_list.count()  # stored = counted
        live = not_eligible_with_active_accounts(
            agency=world.agency, people=Person.objects.filter(agency=world.agency),
            accounts=StateAccount.objects.filter(person__agency=world.agency)).count()
        assert stored.figures["not_eligible_with_accounts"] == live
        return cells

    before = check()
    # one person's record changes: only that person is recomputed, the figures follow
    person = Person.objects.filter(agency=world.agency, last_name="Outside").get()
    FingerprintCheckFactory(person=person)
    refresh_compliance()
    assert check() != before


def test_a_request_reads_the_rule_table_once_and_sees_an_edit_made_in_it(world, login):
    """Issue 23: the dashboard's panels (worklist, accounts, audits, agreements…) share one read of the rule table;
    an edit through the service is read again, in the same request as after it."""
    from compliance import selectors
    from compliance.services import update_rule

    client = login(world.users["leds_rep"])
    client.get(reverse("compliance:dashboard"))  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("compliance:dashboard")).status_code == 200
    reads = [q for q in ctx.captured_queries if 'FROM "compliance_rulesetting"' in q["sql"]]
    assert len(reads) == 1

    setting = RuleSetting.objects.get(obligation="fingerprints")
    token = selectors.open_rule_scope()
    try:
        before = selectors.rule_table()["fingerprints"].period_value
        assert _queries(selectors.rule_table) == 0  # the scope's copy
        update_rule(setting=setting, data={"period_value": before + 5}, actor=world.users["leds_rep"])
        assert selectors.rule_table()["fingerprints"].period_value == before + 5
    finally:
        selectors.close_rule_scope(token)
    assert _queries(selectors.rule_table) == 1  # outside a request: read every time
