"""One e-mail per person per morning, each agency at its own hour, the weekly digest, the unreachable list (#9)."""

import datetime
import zoneinfo
from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from notifications import services as outbox
from notifications.models import OutboxMessage
from people.factories import PersonFactory
from reminders.models import SweepRun
from reminders.rules import digest_day
from reminders.services import run_scheduled, sweep
from tests.conftest import TODAY

pytestmark = pytest.mark.django_db
PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")


def _newcomer(agency, **kwargs):
    """Assigned 25 days ago: fingerprints, training guide and security awareness all enter a reminder stage."""
    return PersonFactory(agency=agency, assigned_on=TODAY - timedelta(days=25), email="new.hire@example.org",
                         **kwargs)


def test_a_person_gets_one_email_listing_every_item(world):
    newcomer = _newcomer(world.agency, supervisor=world.people["supervisor"])
    sweep(agencies=[world.agency], today=TODAY)
    # issue 22: only what the newcomer does is e-mailed to them (the LEDS Representative and LASO get the rest)
    rows = OutboxMessage.objects.filter(person=newcomer, to=["new.hire@example.org"])
    assert rows.count() >= 2
    assert len({row.group_key for row in rows}) == 1
    while any(outbox.deliver_batch(limit=1).values()):  # the batch limit never splits a person's morning
        pass
    to_newcomer = [m for m in mail.outbox if m.to == ["new.hire@example.org"]]
    assert len(to_newcomer) == 1
    message = to_newcomer[0]
    for row in rows:
        assert row.context["title"] in message.body
    assert "requirements need your attention" in message.subject
    assert "http://localhost:8000/people/" in message.body  # an absolute link to act (SITE_URL)
    assert world.people["supervisor"].email in message.cc  # overdue items copy the supervisor
    assert set(rows.values_list("status", flat=True)) == {OutboxMessage.Status.SENT}


def test_a_single_item_keeps_its_own_subject(world):
    newcomer = _newcomer(world.agency)
    sweep(agencies=[world.agency], today=TODAY)
    row = OutboxMessage.objects.filter(person=newcomer).first()
    OutboxMessage.objects.filter(person=newcomer).exclude(pk=row.pk).update(status=OutboxMessage.Status.SENT)
    outbox.deliver()
    assert [m.subject for m in mail.outbox if m.to == ["new.hire@example.org"]] == [row.subject]


def _at(hour, minute=0, day=TODAY, zone=PACIFIC):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)


@override_settings(REMINDER_HOUR=6)
def test_each_agency_is_swept_once_after_its_own_reminder_hour(world):
    _newcomer(world.agency)
    PersonFactory(agency=world.foreign_agency, assigned_on=TODAY - timedelta(days=25), email="far@example.org")
    # 05:30 in Salem is 06:30 in Malheur County (Mountain time): only Malheur's morning has come
    run_scheduled(now=_at(5, 30))
    assert not SweepRun.objects.filter(agency=world.agency).exists()
    assert SweepRun.objects.filter(agency=world.foreign_agency, kind="reminders", day=TODAY).exists()
    assert not OutboxMessage.objects.filter(agency=world.agency).exists()
    run_scheduled(now=_at(6, 5))
    queued = OutboxMessage.objects.filter(agency=world.agency).exclude(stage="").count()  # reminders, not digests
    assert queued > 0
    assert SweepRun.objects.get(agency=world.agency, kind="reminders", day=TODAY).queued == queued
    run_scheduled(now=_at(7, 0))  # later ticks of the same day add nothing
    assert OutboxMessage.objects.filter(agency=world.agency).exclude(stage="").count() == queued
    assert SweepRun.objects.filter(agency=world.agency, kind="reminders").count() == 1


@override_settings(REMINDER_HOUR=6)
def test_a_missed_morning_is_caught_up_on_the_next_tick(world):
    _newcomer(world.agency)
    run_scheduled(now=_at(15, 0))  # beat was down from 06:00 until 15:00
    assert OutboxMessage.objects.filter(agency=world.agency).exists()


@pytest.mark.parametrize(("today", "weekday", "expected"), [
    (datetime.date(2026, 11, 23), 0, datetime.date(2026, 11, 23)),  # a Monday, digest day Monday
    (datetime.date(2026, 11, 29), 0, datetime.date(2026, 11, 23)),  # Sunday: the week's Monday
    (datetime.date(2026, 11, 24), 4, datetime.date(2026, 11, 27)),  # Tuesday, digest day Friday: not yet
])
def test_digest_day_is_the_weeks_digest_weekday(today, weekday, expected):
    assert digest_day(today=today, weekday=weekday) == expected


@override_settings(REMINDER_HOUR=6, DIGEST_WEEKDAY=0)
def test_weekly_digest_goes_to_the_leds_rep_and_laso_once_a_week(world):
    newcomer = _newcomer(world.agency)
    monday = TODAY  # 2026-11-23 is a Monday
    assert monday.weekday() == 0
    run_scheduled(now=_at(6, 30, day=monday))
    def digests():
        return OutboxMessage.objects.filter(agency=world.agency, key__startswith="digest:")

    recipients = sorted(address for row in digests() for address in row.to)
    assert recipients == sorted([world.users["leds_rep"].email, world.users["laso"].email])
    context = digests().first().context
    assert context["overdue"] >= 1
    names = {item["name"] for group in context["groups"] for item in group["items"]}
    assert f"{newcomer.last_name}, {newcomer.first_name}" in names
    assert all(item["name"] != "Elsewhere" for group in context["groups"] for item in group["items"])
    run_scheduled(now=_at(9, 0, day=monday + timedelta(days=2)))  # later in the same week: nothing new
    assert digests().count() == 2
    outbox.deliver()
    digest_mail = [m for m in mail.outbox if m.to == [world.users["laso"].email] and "weekly digest" in m.subject]
    assert len(digest_mail) == 1  # (issue 22: the LASO's own daily reminders are e-mails of their own)
    assert newcomer.last_name in digest_mail[0].body
    run_scheduled(now=_at(6, 30, day=monday + timedelta(days=7)))  # next Monday: the next digest
    assert digests().count() == 4


def test_unreachable_lists_people_without_email_and_failed_addresses(world, client, login):
    nobody = PersonFactory(agency=world.agency, last_name="Noaddress", email="")
    PersonFactory(agency=world.foreign_agency, last_name="Faraway", email="")
    failed = OutboxMessage.objects.create(agency=world.agency, person=world.target, to=["bad@example.org"],
                                          subject="Recertification due", template="email/message",
                                          status=OutboxMessage.Status.FAILED, last_error="550 mailbox unavailable")
    login(world.users["leds_rep"])
    page = client.get(reverse("reminders:unreachable")).content.decode()
    assert nobody.last_name in page and "Faraway" not in page
    assert failed.subject in page and "550 mailbox unavailable" in page
    login(world.users["foreign"])
    other = client.get(reverse("reminders:unreachable")).content.decode()
    assert "Faraway" in other and nobody.last_name not in other and failed.subject not in other
