"""The nightly refresh as one Celery task per agency (issue 20): the group equals the single-agency refresh."""

import datetime

import pytest

from background.factories import FingerprintCheckFactory
from compliance import tasks
from compliance.models import AgencyComputation, StoredObligation
from compliance.obligations import refresh_agency
from people.factories import PersonFactory
from people.models import Agency

pytestmark = pytest.mark.django_db

FIELDS = ("agency_id", "person_id", "obligation", "rule_id", "status", "due", "satisfied_by", "key", "verdict",
          "computed_for")


def _snapshot():
    return sorted(StoredObligation.objects.values_list(*FIELDS))


def test_the_group_gives_the_same_stored_obligations_as_the_single_agency_refresh(world, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from ledsadmin.celery import app

    was_eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        PersonFactory(agency=world.foreign_agency, assigned_on=datetime.date(2020, 1, 6))  # overdue everything
        FingerprintCheckFactory(person=world.target)
        for agency in Agency.objects.all():
            refresh_agency(agency.pk, force=True)
        single = _snapshot()
        assert single, "the world's people owe something"
        StoredObligation.objects.all().delete()
        AgencyComputation.objects.update(computed_for=None)
        assert tasks.refresh_obligations() == Agency.objects.count()
        assert _snapshot() == single
        # idempotent: run twice (and one agency's task again, as a redelivered message would)
        tasks.refresh_obligations()
        tasks.refresh_agency_obligations(world.agency.pk)
        assert _snapshot() == single
        assert not AgencyComputation.objects.filter(computed_at__isnull=True).exists()
    finally:
        app.conf.task_always_eager = was_eager  # the test settings run every task inline

