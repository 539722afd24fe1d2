"""The validator's worklist as an obligation of the engine (R-VA-3): the dashboard, the report and the reminder
sweep all see it, and it closes once every assigned entry has an outcome."""

import datetime
import json
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from compliance.models import RuleSetting, StoredObligation
from compliance.obligations import refresh_agency
from compliance.registry import obligation_names, person_reminder_obligations
from compliance.selectors import person_compliance
from notifications.models import OutboxMessage
from notifications.services import deliver
from people.factories import PersonFactory
from reminders.services import due_reminders, sweep
from validations import services
from validations.defaults import VALIDATION_RULES
from validations.factories import ValidationCycleFactory, ValidationEntryFactory, record_type

pytestmark = pytest.mark.django_db
RECEIVED = datetime.date(2026, 11, 2)
DUE = datetime.date(2026, 12, 2)  # received + 30 days (R-VA-3)


@pytest.fixture
def validator(agency):
    return PersonFactory(agency=agency, email="validator@example.org", first_name="Val", last_name="Idator")


@pytest.fixture
def cycle(agency):
    return ValidationCycleFactory(agency=agency, received_on=RECEIVED, due_on=DUE)


@pytest.fixture
def entries(cycle, validator):
    # property records: an outcome needs a review, no contact (R-VA-4)
    return ValidationEntryFactory.create_batch(2, cycle=cycle, validator=validator, record_type=record_type("EG"))


def _worklist(items):
    return [(o.key, o.status, o.due) for o in items if o.obligation == "validation_worklist"]


def _finish(entries, on=datetime.date(2026, 11, 20)):
    for entry in entries:
        services.record_validation(entry_id=entry.pk, is_reviewed=True, outcome="validated", outcome_on=on,
                                   actor=None)


def _worklist_reminders(agency, today):
    return [r for r in due_reminders(agency=agency, today=today) if r.obligation == "validation_worklist"]


def test_the_worklist_is_registered_with_its_rule_row_and_reminds_the_validator():
    assert "validation_worklist" in obligation_names()
    assert "validation_worklist" in person_reminder_obligations()
    row = RuleSetting.objects.get(obligation="validation_worklist")
    assert (row.rule_id, row.lead_days) == ("R-VA-3", [14, 7, 2])
    assert [row.title, row.period_value, row.period_unit] == next(
        list(r[2:5]) for r in VALIDATION_RULES if r[0] == "validation_worklist")


def test_r_va_3_one_obligation_per_list_until_every_entry_has_an_outcome(cycle, entries, validator, today):
    key = f"cycle:{cycle.pk}"
    assert _worklist(person_compliance(person=validator, today=today).obligations) == [(key, "due_soon", DUE)]
    _finish(entries[:1])
    assert _worklist(person_compliance(person=validator, today=today).obligations) == [(key, "due_soon", DUE)]
    _finish(entries[1:])
    [item] = [o for o in person_compliance(person=validator, today=today).obligations
              if o.obligation == "validation_worklist"]
    assert (item.status, item.satisfied_by) == ("done", "all 2 assigned entries have an outcome (last Nov 20, 2026)")
    assert _worklist(person_compliance(person=validator, today=DUE + datetime.timedelta(days=1)).obligations) == [
        (key, "done", DUE)]


def test_r_va_3_overdue_after_the_due_date_and_gone_once_certified(cycle, entries, validator):
    late = DUE + datetime.timedelta(days=1)
    assert _worklist(person_compliance(person=validator, today=late).obligations) == [
        (f"cycle:{cycle.pk}", "overdue", DUE)]
    _finish(entries, on=late)
    services.certify_cycle(cycle_id=cycle.pk, name="Pat Rep", title="LEDS Representative", signed_on=late,
                           actor=None)
    assert _worklist(person_compliance(person=validator, today=late).obligations) == []


def test_the_sweep_reminds_a_validator_with_open_entries_and_not_once_they_have_outcomes(
        agency, cycle, entries, validator, today):
    assert sweep(agencies=[agency], today=today) > 0  # 9 days before the due date: the 14-day stage
    message = OutboxMessage.objects.get(obligation="validation_worklist")
    assert (message.person_id, message.to, message.object_ref, message.due_date, message.stage) == (
        validator.pk, ["validator@example.org"], f"cycle:{cycle.pk}", DUE, "lead-14")
    assert "R-VA-3" in message.context["flag"]
    # the reminder sends the validator to their worklist, and to their own page for the rest
    assert (message.context["path"], message.context["person_path"]) == (
        reverse("validations:worklist"), reverse("people:detail", args=[validator.pk]))
    deliver()
    [sent] = [m for m in mail.outbox if m.to == ["validator@example.org"]]
    assert f"{settings.SITE_URL}{reverse('validations:worklist')}" in sent.body
    assert _worklist_reminders(agency, DUE - datetime.timedelta(days=7))  # the 7-day stage would come next
    _finish(entries)
    later = DUE - datetime.timedelta(days=7)
    assert _worklist_reminders(agency, later) == []
    sweep(agencies=[agency], today=later)
    assert OutboxMessage.objects.filter(obligation="validation_worklist").count() == 1


def test_stored_obligations_follow_outcomes_recorded_on_assigned_and_unassigned_entries(
        agency, cycle, entries, validator, today):
    refresh_agency(agency.pk, today)
    stored = StoredObligation.objects.filter(person=validator, obligation="validation_worklist")
    assert list(stored.values_list("key", "status")) == [(f"cycle:{cycle.pk}", "due_soon")]
    # the LEDS Representative records an outcome on an entry nobody was assigned: its history row names no
    # validator, and recomputing the people named alongside it must not trip over that
    unassigned = ValidationEntryFactory(cycle=cycle, record_type=record_type("EG"))
    refresh_agency(agency.pk, today)
    _finish([unassigned, *entries])
    refresh_agency(agency.pk, today)
    assert list(stored.values_list("status", flat=True)) == ["done"]


def test_reassigned_entries_leave_the_previous_validators_worklist_at_once(agency, cycle, entries, validator, today):
    refresh_agency(agency.pk, today)
    other = PersonFactory(agency=agency, email="other@example.org")
    for entry in entries:  # any write (service, admin, shell): the history row names only the new validator
        entry.validator = other
        entry.save()
    refresh_agency(agency.pk, today)
    mine = StoredObligation.objects.filter(obligation="validation_worklist")
    assert list(mine.filter(person=validator).values_list("key", flat=True)) == []
    assert list(mine.filter(person=other).values_list("key", "status")) == [(f"cycle:{cycle.pk}", "due_soon")]


def test_dashboard_and_report_show_the_worklist(agency, cycle, entries, validator, world, login, today):
    from django.urls import reverse

    refresh_agency(agency.pk, today)  # the refresh worker's run after the commit
    client = login(world.users["leds_rep"])
    response = client.get(reverse("compliance:dashboard"), {"obligation": "validation_worklist"})
    assert response.status_code == 200 and "Idator, Val" in response.text
    out = StringIO()
    call_command("compliance_report", "--agency", agency.ori, "--today", today.isoformat(), stdout=out)
    report = {p["employee_id"]: p for p in json.loads(out.getvalue())}
    items = [o for o in report[validator.employee_id]["obligations"] if o["obligation"] == "validation_worklist"]
    assert [(o["rule"], o["status"]) for o in items] == [("R-VA-3", "due_soon")]
