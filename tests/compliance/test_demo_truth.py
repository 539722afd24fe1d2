"""The demo tells the truth about a well-run agency with a few real problems (issue 22)."""

import datetime

import pytest

from compliance import engine
from compliance.selectors import agency_compliance
from people.models import Person

TODAY = datetime.date(2026, 11, 23)
pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    from accounts.models import User
    from demo.seed import seed_demo

    settings.DEBUG = True
    return seed_demo(actor=User.objects.create_user(username="system:seed_demo"), agencies=1, people=40, today=TODAY)


def test_the_demo_agency_is_well_run_with_a_few_real_problems(demo):
    agency = demo.agencies[0]
    results = agency_compliance(people=Person.objects.filter(agency=agency), agency=agency, today=TODAY)
    overdue = {r.person.employee_id: sorted({o.rule_id for o in r.obligations if o.status == engine.OVERDUE})
               for r in results}
    overdue = {eid: rules for eid, rules in overdue.items() if rules}
    assert 2 <= len(overdue) <= 0.15 * len(results), sorted(overdue.items())  # about one person in ten
    verdicts = {r.person.employee_id: r.verdict for r in results}
    suspended = {eid: v.reason_ids for eid, v in verdicts.items() if v.code == engine.MUST_BE_SUSPENDED}
    assert 2 <= len(suspended) <= 3, suspended
    assert {"R-BG-2", "R-CE-4", "R-SA-1"} <= {rule for ids in suspended.values() for rule in ids}
    assert all(len(ids) == 1 for ids in suspended.values()), suspended  # each for a different reason
    pending = [v for v in verdicts.values() if v.person_status == engine.PENDING]
    assert sorted(v.code for v in pending) == [engine.ELIGIBLE, engine.NOT_YET_ELIGIBLE]
    for username in ("rep", "alt_rep", "laso"):
        person = Person.objects.get(user__username=username)
        assert verdicts[person.employee_id].code == engine.ELIGIBLE
        assert person.employee_id not in overdue, (username, overdue.get(person.employee_id))


def test_the_demo_history_is_kept_by_the_demo_users_at_plausible_dates(demo):
    from certification.models import CertificationResult

    agency = demo.agencies[0]
    for model in (Person, CertificationResult):
        rows = model.history.filter(**({"agency": agency} if model is Person else {"person__agency": agency}))
        assert rows.exists()
        assert not rows.filter(history_user__username="system:seed_demo").exists()
        assert not rows.filter(history_user__isnull=True).exists()
        years = {d.year for d in rows.values_list("history_date", flat=True)}
        assert len(years) >= 3, years  # stamped over the past years, not all at seed time
    from background.models import FingerprintCheck

    checks = FingerprintCheck.history.filter(person__agency=agency)
    assert set(checks.values_list("history_user__username", flat=True)) == {"laso"}


def test_demo_events_on_weekdays_nobody_separated_registered_and_the_head_on_the_roster(demo):
    from agreements.models import AgreementSignatory as Signatory
    from state_access.models import StateAccount
    from training_events.models import Registration, TrainingEvent

    for event in TrainingEvent.objects.all():
        for day in event.days.all():
            assert day.starts_at.astimezone(event.zone).weekday() < 5, (event, day.starts_at)
    assert not Registration.objects.filter(person__status=Person.Status.SEPARATED).exclude(
        status=Registration.Status.CANCELLED).exists()
    head = Signatory.objects.get(signer_title="Chief of Police").person
    assert head.position == "Chief of Police" and head.status == Person.Status.ACTIVE
    unused = [a for a in StateAccount.objects.filter(person__agency=demo.agencies[0], status="active")
              if a.last_login_on and (TODAY - a.last_login_on).days >= 90]
    assert len(unused) <= 2
