"""Reminders go to whoever can act (issue 22): the employee, the LEDS Representative or the LASO; supervisors are
copied on the employee's overdue items; every reminder says what to do and where (the rule table's guidance)."""

import datetime

import pytest
from django.core import mail

from background.factories import FingerprintCheckFactory
from compliance.models import RuleSetting
from compliance.registry import LASO, LEDS_REPRESENTATIVE, PERSON, actor
from notifications.services import deliver_batch
from people.factories import PersonFactory
from reminders.services import due_reminders
from state_access.factories import StateAccountFactory
from state_access.models import DutyTransfer

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


@pytest.mark.parametrize(("obligation", "who"), [
    ("fingerprints", PERSON),
    ("security_awareness", PERSON),
    ("security_retraining", PERSON),
    ("training_guide_completion", PERSON),
    ("initial_certification", PERSON),
    ("recertification", PERSON),
    ("validation_worklist", PERSON),
    ("training_guide_issue", LEDS_REPRESENTATIVE),
    ("account_disable", LEDS_REPRESENTATIVE),
    ("account_inactive", LEDS_REPRESENTATIVE),
    ("background_check", LASO),
    ("background_rescreening", LASO),
])
def test_each_obligation_has_the_one_who_acts(obligation, who):
    assert actor(obligation) == who


def _by(rows, obligation):
    return [r for r in rows if r.obligation == obligation]


def new_hire(world):
    """Assigned 2026-11-16 with nothing done: training guide issue due 11-26 (rep), security awareness overdue
    (the person), fingerprints due 12-16 (the person); a check submitted 2026-09-01 has no decision (LASO)."""
    person = PersonFactory(agency=world.agency, first_name="Nell", last_name="Newhire",
                           email="nell@example.org", assigned_on=datetime.date(2026, 11, 16),
                           supervisor=world.people["supervisor"])
    FingerprintCheckFactory(person=person, submitted_on=datetime.date(2026, 9, 1))
    return person


def test_the_employee_is_reminded_of_what_they_do_with_their_supervisor_copied_when_overdue(world):
    person = new_hire(world)
    rows = [r for r in due_reminders(agency=world.agency, today=TODAY) if r.person_id == person.pk]
    [awareness] = _by(rows, "security_awareness")
    assert awareness.to == ["nell@example.org"]
    assert awareness.cc == [world.people["supervisor"].email]  # overdue: the supervisor is copied
    assert "CJIS Online" in awareness.context["guidance"]
    assert awareness.context["verdict"] == ("Your LEDS access: Access must be suspended — R-SA-1; another "
                                            "requirement is not met (ask your LASO).")


def test_the_leds_representative_is_reminded_to_issue_the_training_guide(world):
    person = new_hire(world)
    rows = [r for r in due_reminders(agency=world.agency, today=TODAY) if r.person_id == person.pk]
    [issue] = _by(rows, "training_guide_issue")
    assert issue.to == [world.users["leds_rep"].email] and issue.cc == []
    assert issue.context["about"].startswith("Newhire, Nell")
    assert "Issue the LEDS Training Guide" in issue.context["guidance"]
    assert issue.group_key.startswith("reminders:leds_rep:")
    assert "nell@example.org" not in issue.to


def test_the_laso_is_reminded_of_a_background_check_past_its_decision_clock(world):
    person = new_hire(world)
    rows = [r for r in due_reminders(agency=world.agency, today=TODAY) if r.person_id == person.pk]
    [check] = _by(rows, "background_check")
    assert check.to == [world.users["laso"].email] and check.cc == []  # never the supervisor (R-BG-4)
    assert check.context["rule_id"] == "R-BG-2" and check.context["overdue"]
    assert "Oregon State Police" in check.context["guidance"]


def test_the_leds_representative_is_reminded_to_disable_an_account_after_a_transfer(world):
    target = world.target
    account = StateAccountFactory(person=target, status="active")
    DutyTransfer.objects.create(person=target, transferred_at=account.requested_at + datetime.timedelta(days=1))
    rows = _by(due_reminders(agency=world.agency, today=TODAY), "account_disable")
    assert rows and all(r.to == [world.users["leds_rep"].email] for r in rows)
    assert all(target.email not in r.to + r.cc for r in rows)


def test_an_administrator_rewords_the_guidance_in_the_rule_table(world):
    person = new_hire(world)
    setting = RuleSetting.objects.get(obligation="security_awareness")
    setting.guidance = "Take the course on the training portal, tier 2."
    setting.save()
    rows = [r for r in due_reminders(agency=world.agency, today=TODAY) if r.person_id == person.pk]
    assert _by(rows, "security_awareness")[0].context["guidance"] == "Take the course on the training portal, tier 2."
    assert setting.effective_guidance == "Take the course on the training portal, tier 2."


def test_each_recipient_gets_one_e_mail_saying_what_to_do(world, settings):
    from notifications.models import OutboxMessage

    new_hire(world)
    OutboxMessage.objects.bulk_create(due_reminders(agency=world.agency, today=TODAY))
    deliver_batch(limit=1000)
    to_rep = [m for m in mail.outbox if m.to == [world.users["leds_rep"].email]]
    to_laso = [m for m in mail.outbox if m.to == [world.users["laso"].email]]
    to_nell = [m for m in mail.outbox if m.to == ["nell@example.org"]]
    assert len(to_nell) == 1 and "What to do:" in to_nell[0].body and "Your LEDS access:" in to_nell[0].body
    assert any("Issue the LEDS Training Guide" in m.body and "Newhire, Nell" in m.body for m in to_rep)
    assert any("Oregon State Police" in m.body for m in to_laso)
    assert all("CJIS Online at your role" not in m.body for m in to_rep + to_laso)
