"""Demo agreements and audits: Salem's agreements register (one agreement due for review, one whose signing
official has left), the last state audit with one finding still open, and a packet to build (R-AGR-1..2, R-AU-1)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import User
from agreements import services as agreements
from agreements.models import Agreement
from audit import services as audits
from audit.models import Audit
from common.dates import add_months
from people.models import Person
from people.services import separate_person, update_person
from state_access import services as state_access
from state_access.models import StateAccount
from training_events.services import cancel_registration


def seed_agreements_and_audits(world) -> None:
    if not world.agencies:
        return
    agency = world.agencies[0]
    if Agreement.objects.filter(agency=agency).exists():
        return
    today, actor = world.today, world.actor
    # the agency head and a captain who is about to retire: neither registered for a training event
    from .seed_compliance import problem_people

    candidates = (Person.objects.filter(agency=agency, user__isnull=True, status=Person.Status.ACTIVE)
                  .exclude(pk__in=[p.pk for p in problem_people(agency).values()]).order_by("employee_id"))
    people = list(candidates.filter(assigned_on__lte=today - datetime.timedelta(days=365))[:2])
    if len(people) < 2:  # a small demo: whoever is there
        people = list(candidates[:2])
    if len(people) < 2:
        return
    chief, captain = people
    # R-AG-1: the agency head who signs agreements is on the roster with that position
    update_person(person=chief, actor=actor, data={"position": "Chief of Police"},
                  reason="Position recorded")
    update_person(person=captain, actor=actor, data={"position": "Captain"}, reason="Position recorded")
    user_agreement = agreements.create_agreement(
        agency=agency, actor=actor, kind=Agreement.Kind.LEDS_USER, title="LEDS User Agreement",
        effective_on=add_months(today, -30))
    agreements.add_party(agreement=user_agreement, actor=actor, name="Oregon State Police — CJIS Division",
                         ori="OROSP0000")
    agreements.add_signatory(agreement=user_agreement, actor=actor, person=chief, signer_title="Chief of Police",
                             signed_on=add_months(today, -30))
    agreements.record_review(agreement=user_agreement, actor=actor, reviewed_on=add_months(today, -12) +
                             datetime.timedelta(days=15), notes="No changes needed")  # due in 15 days
    holder = agreements.create_agreement(
        agency=agency, actor=actor, kind=Agreement.Kind.HOLDER_OF_RECORD, title="Holder of record: Keizer PD",
        effective_on=add_months(today, -20))
    agreements.add_party(agreement=holder, actor=actor, name="Keizer Police Department", ori="OR0240600")
    agreements.add_signatory(agreement=holder, actor=actor, person=captain, signer_title="Captain",
                             signed_on=add_months(today, -20))
    agreements.record_review(agreement=holder, actor=actor, reviewed_on=add_months(today, -6))
    # the captain who signed it has left: a 30-day re-sign countdown on the dashboard (R-AGR-2)
    retired_at = timezone.now() - datetime.timedelta(days=9)
    laso = User.objects.filter(username="laso").first() or actor
    for registration in captain.event_registrations.exclude(status="cancelled"):  # nobody separated stays on
        cancel_registration(registration_id=registration.pk, actor=actor, reason="Retired")
    separate_person(person=captain, actor=actor, separated_at=retired_at, reason="Retired")
    for account in StateAccount.objects.filter(person=captain, status="active"):  # disabled the same day (R-AC-2)
        state_access.request_disablement(account=account, actor=laso, at=retired_at + datetime.timedelta(hours=1))
        state_access.disable_account(account=account, actor=laso, at=retired_at + datetime.timedelta(hours=3))
    mca = agreements.create_agreement(
        agency=agency, actor=actor, kind=Agreement.Kind.MANAGEMENT_CONTROL, title="MCA with City IT",
        effective_on=add_months(today, -14))
    agreements.add_signatory(agreement=mca, actor=actor, name="City IT Director", signer_title="Director",
                             signed_on=add_months(today, -14))
    agreements.record_review(agreement=mca, actor=actor, reviewed_on=add_months(today, -2))
    if not Audit.objects.filter(agency=agency).exists():
        audit = audits.record_audit(agency=agency, actor=actor, audited_on=add_months(today, -26), auditor="osp",
                                    auditor_name="CJIS Auditor", summary="Triennial LEDS audit.")
        done = audits.add_finding(audit=audit, actor=actor, summary="Visitor log at dispatch incomplete",
                                  requirement="CJIS 5.9.1", corrective_action="Sign-in sheet at the door",
                                  due_on=add_months(today, -23))
        audits.complete_corrective_action(finding=done, actor=actor, completed_on=add_months(today, -24))
        audits.add_finding(audit=audit, actor=actor, summary="Two terminals without a session lock",
                           requirement="CJIS 5.5.5", corrective_action="Group policy for a 30-minute lock",
                           due_on=today + datetime.timedelta(days=20))
