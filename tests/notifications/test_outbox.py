"""Outbox: one queueing service, no duplicates, delivery with leases, deferrals and failures (issues 9, 18)."""

import time
from datetime import date, timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.utils import timezone

from notifications import services
from notifications.models import OutboxMessage
from people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _queue(**kw):
    args = {"to": ["a@example.gov"], "subject": "Hello", "template": "email/message", "context": {"body": "Hi"}}
    args.update(kw)
    return services.queue_email(**args)


def test_queue_then_deliver_sends_once_with_attachment(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        msg, created = _queue(key="confirm:1", attachments=[("e.ics", "BEGIN:VCALENDAR", "text/calendar")])
    assert created
    msg.refresh_from_db()
    assert msg.status == OutboxMessage.Status.SENT and msg.attempts == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].attachments[0][0] == "e.ics"
    assert "Hi" in mail.outbox[0].body
    assert services.deliver_batch() == {"sent": 0, "retry": 0, "failed": 0}
    assert len(mail.outbox) == 1


def test_same_business_key_queues_once():
    first, created1 = _queue(key="confirm:7")
    second, created2 = _queue(key="confirm:7")
    assert created1 and not created2 and first.pk == second.pk
    assert OutboxMessage.objects.count() == 1


def test_same_reminder_stage_queues_once_and_next_stage_queues():
    person = PersonFactory()
    kw = {"person": person, "obligation": "recert", "object_ref": "acct:1", "due_date": date(2026, 12, 1)}
    _queue(stage="60", **kw)
    _queue(stage="60", **kw)
    _queue(stage="30", **kw)
    assert OutboxMessage.objects.filter(person=person).count() == 2


def test_missing_recipient_is_rejected():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _queue(to=[])


def test_a_lost_connection_puts_the_row_off_without_using_an_attempt(monkeypatch):
    msg, _ = _queue()
    calls = {"n": 0}
    real_send = mail.EmailMultiAlternatives.send

    def flaky(self, *a, **k):
        calls["n"] += 1
        if calls["n"] == 1:
            raise SMTPServerDisconnected("connection lost")
        return real_send(self, *a, **k)

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", flaky)
    assert services.deliver_batch()["retry"] == 1
    msg.refresh_from_db()
    assert msg.status == OutboxMessage.Status.RETRY and "connection lost" in msg.last_error
    assert msg.attempts == 0 and msg.deferrals == 1 and msg.tries == 1
    assert msg.next_attempt_at > timezone.now() + timedelta(seconds=50)
    assert services.deliver_batch()["sent"] == 0  # not due yet: backoff holds
    assert services.deliver_batch(now=msg.next_attempt_at + timedelta(seconds=1))["sent"] == 1
    msg.refresh_from_db()
    assert msg.status == OutboxMessage.Status.SENT and msg.attempts == 1 and msg.tries == 2
    assert len(mail.outbox) == 1


def test_a_mail_server_down_for_a_day_never_fails_a_row(monkeypatch):
    """Connection failures put rows off with capped backoff for as long as it takes; none is failed."""
    msg, _ = _queue()

    def broken(self, *a, **k):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", broken)
    start = now = timezone.now()
    tries = 0
    while now < start + timedelta(days=1):
        tries += services.deliver_batch(now=now)["retry"]
        msg.refresh_from_db()
        assert msg.status == OutboxMessage.Status.RETRY
        assert msg.next_attempt_at - now <= timedelta(seconds=300)  # the next try is never more than the cap away
        now = msg.next_attempt_at
    assert tries > 280 and msg.attempts == 0 and msg.deferrals == tries
    monkeypatch.undo()
    assert services.deliver_batch(now=now)["sent"] == 1
    assert len(mail.outbox) == 1


def test_an_error_of_ours_fails_after_max_attempts():
    msg, _ = _queue(template="email/no_such_template")
    now = timezone.now()
    for _ in range(services.max_attempts()):
        services.deliver_batch(now=now)
        now += timedelta(days=1)
    msg.refresh_from_db()
    assert msg.status == OutboxMessage.Status.FAILED and msg.attempts == services.max_attempts()
    assert "TemplateDoesNotExist" in msg.last_error
    assert services.deliver_batch(now=now + timedelta(days=30))["sent"] == 0


def test_backoff_is_exponential_and_capped(settings):
    assert [services.backoff(n).total_seconds() for n in (1, 2, 3, 4, 5, 50)] == [60, 120, 240, 300, 300, 300]
    settings.OUTBOX_BACKOFF_BASE_SECONDS, settings.OUTBOX_BACKOFF_MAX_SECONDS = 0.2, 1
    assert [services.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [0.2, 0.4, 0.8, 1]


def test_claim_is_exclusive_and_an_expired_lease_is_reclaimed():
    msg, _ = _queue()
    assert services.claim_batch(worker="a") == [msg.pk]
    assert services.claim_batch(worker="b") == []  # a second worker gets nothing while the lease holds
    msg.refresh_from_db()
    assert msg.claimed_by == "a" and msg.lease_until > timezone.now()
    later = msg.lease_until + timedelta(seconds=1)
    assert services.claim_batch(now=later, worker="b") == [msg.pk]  # worker "a" died: its lease expired
    msg.refresh_from_db()
    assert msg.claimed_by == "b" and msg.lease_until == later + services.lease_length()


def test_a_renewed_lease_is_not_reclaimed():
    _queue()
    services.claim_batch(worker="a")
    almost = timezone.now() + services.lease_length() - timedelta(seconds=1)
    assert services.renew_lease(worker="a", now=almost) == 1
    assert services.claim_batch(now=almost + timedelta(seconds=2), worker="b") == []


def test_a_failure_recorded_after_losing_the_lease_does_not_undo_the_other_workers_delivery():
    msg, _ = _queue()
    services.claim_batch(worker="a")
    later = timezone.now() + services.lease_length() + timedelta(seconds=1)
    services.claim_batch(now=later, worker="b")
    services._mark_sent([msg.pk])  # worker b delivered it
    services._record_failure([msg], SMTPServerDisconnected("late"), worker="a")
    msg.refresh_from_db()
    assert msg.status == OutboxMessage.Status.SENT


def test_sent_row_is_not_resent_after_worker_restart():
    _msg, _ = _queue()
    services.deliver_batch()
    later = timezone.now() + timedelta(hours=1)
    assert services.deliver_batch(now=later)["sent"] == 0
    assert len(mail.outbox) == 1


def test_every_email_carries_a_message_id_derived_from_its_row(settings):
    settings.SITE_URL = "https://leds.example.gov"
    msg, _ = _queue()
    services.deliver_batch()
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<leds-outbox-{msg.pk}@leds.example.gov>"
    assert mail.outbox[0].message()["Message-ID"] == f"<leds-outbox-{msg.pk}@leds.example.gov>"


def test_a_group_is_claimed_whole_whatever_the_limit():
    rows = [_queue(key=f"g:{n}")[0] for n in range(3)]
    OutboxMessage.objects.filter(pk__in=[r.pk for r in rows]).update(group_key="reminders:1:2026-11-23")
    single, _ = _queue(key="single")
    assert services.claim_batch(limit=1, worker="a") == sorted(r.pk for r in rows)
    assert services.claim_batch(limit=1, worker="b") == [single.pk]


def test_the_time_budget_gives_untried_rows_back():
    import time

    msg, _ = _queue()
    assert services.deliver(budget_seconds=0) == {"sent": 0, "retry": 0, "failed": 0, "more": 1}
    assert services.deliver_batch(deadline=time.monotonic() - 1) == {"sent": 0, "retry": 0, "failed": 0}
    msg.refresh_from_db()
    assert msg.status == OutboxMessage.Status.QUEUED and msg.claimed_by == "" and msg.lease_until is None
    assert services.deliver(budget_seconds=30) == {"sent": 1, "retry": 0, "failed": 0, "more": 0}


def test_resend_queues_a_failed_row_again_with_a_new_message_id(world):
    msg, _ = _queue()
    assert not msg.history.exists()  # queueing writes the row alone; history keeps what people do to it
    OutboxMessage.objects.filter(pk=msg.pk).update(status=OutboxMessage.Status.FAILED, attempts=5)
    msg.refresh_from_db()
    services.resend(message=msg, actor=world.users["leds_rep"])
    assert services.deliver_batch()["sent"] == 1
    assert msg.history.first().history_change_reason == "Resent from the outbox"
    assert msg.history.first().history_user == world.users["leds_rep"]
    assert mail.outbox[0].extra_headers["Message-ID"].startswith(f"<leds-outbox-{msg.pk}.r1@")


def test_resend_of_one_row_of_a_group_resends_the_group_as_one_email(world):
    rows = [_queue(key=f"g:{n}", agency=world.agency)[0] for n in range(2)]
    OutboxMessage.objects.filter(pk__in=[r.pk for r in rows]).update(
        group_key="reminders:1:2026-11-23", status=OutboxMessage.Status.FAILED)
    rows[0].refresh_from_db()
    services.resend(message=rows[0], actor=world.users["leds_rep"])
    assert services.deliver_batch()["sent"] == 2
    assert len(mail.outbox) == 1


def test_outbox_page_filters_and_resend(world, client, login, django_capture_on_commit_callbacks):
    from django.urls import reverse

    msg, _ = _queue(agency=world.agency, subject="Recertification due")
    OutboxMessage.objects.filter(pk=msg.pk).update(status=OutboxMessage.Status.FAILED, last_error="550 no such user")
    login(world.users["leds_rep"])
    page = client.get(reverse("notifications:outbox"), {"status": "failed"})
    assert b"Recertification due" in page.content and b"550 no such user" in page.content
    empty = client.get(reverse("notifications:outbox"), {"status": "sent"})
    assert b"No e-mail matches" in empty.content
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notifications:resend", args=[msg.pk]))
    msg.refresh_from_db()
    assert msg.status == OutboxMessage.Status.SENT


def test_resend_all_failed_after_a_confirmation(world, client, login, django_capture_on_commit_callbacks):
    from django.urls import reverse

    failed = [_queue(agency=world.agency, key=f"f:{n}", subject=f"Notice {n}")[0] for n in range(3)]
    OutboxMessage.objects.filter(pk__in=[m.pk for m in failed]).update(
        status=OutboxMessage.Status.FAILED, last_error="x@example.gov: 550 5.1.1 No such user")
    elsewhere, _ = _queue(agency=world.foreign_agency, key="foreign")
    OutboxMessage.objects.filter(pk=elsewhere.pk).update(status=OutboxMessage.Status.FAILED)
    login(world.users["leds_rep"])
    outbox_page = client.get(reverse("notifications:outbox")).content.decode()
    assert "3 e-mails failed" in outbox_page and reverse("notifications:resend_failed") in outbox_page
    confirm = client.get(reverse("notifications:resend_failed")).content.decode()
    assert "Resend 3 failed e-mails?" in confirm and "550 5.1.1 No such user" in confirm
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).count() == 4  # a GET changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:resend_failed"))
    assert response.status_code == 302
    assert set(OutboxMessage.objects.filter(pk__in=[m.pk for m in failed]).values_list("status", flat=True)) == {
        OutboxMessage.Status.SENT}
    assert len(mail.outbox) == 3
    elsewhere.refresh_from_db()
    assert elsewhere.status == OutboxMessage.Status.FAILED  # another agency's e-mail is not touched
    assert {m.history.first().history_change_reason for m in failed} == {
        "Resent with every failed e-mail from the outbox"}
    client.logout()
    login(world.users["laso"])
    assert client.post(reverse("notifications:resend_failed")).status_code == 403


def test_dashboard_counts_failed_emails_and_offers_resend_all(world, client, login):
    from django.urls import reverse

    msg, _ = _queue(agency=world.agency)
    OutboxMessage.objects.filter(pk=msg.pk).update(status=OutboxMessage.Status.FAILED)
    login(world.users["leds_rep"])
    for page in (reverse("home"), reverse("compliance:dashboard")):
        content = client.get(page).content.decode()
        assert "1 e-mail failed" in content and reverse("notifications:resend_failed") in content
        assert "E-mail delivery delayed" in content  # the notice counts failed rows too
    client.logout()
    login(world.users["employee"])
    assert "resend all" not in client.get(reverse("home")).content.decode()


def test_dashboard_shows_delivery_delayed_only_after_an_hour(world, client, login):
    from django.urls import reverse

    msg, _ = _queue(agency=world.agency)
    login(world.users["leds_rep"])
    for page in (reverse("home"), reverse("compliance:dashboard")):
        assert b"E-mail delivery delayed" not in client.get(page).content
    OutboxMessage.objects.filter(pk=msg.pk).update(created_at=timezone.now() - timedelta(minutes=61),
                                                   status=OutboxMessage.Status.SENT)
    for page in (reverse("home"), reverse("compliance:dashboard")):  # an old row that was sent needs nothing
        assert b"E-mail delivery delayed" not in client.get(page).content
    OutboxMessage.objects.filter(pk=msg.pk).update(status=OutboxMessage.Status.RETRY)
    for page in (reverse("home"), reverse("compliance:dashboard")):
        assert b"E-mail delivery delayed" in client.get(page).content


def test_a_burst_of_commits_asks_a_worker_once_for_the_end_of_the_window(settings, monkeypatch):
    """Issue 23: a process asks for delivery at most once per window, for the window's end, so the run comes after
    every commit of the window; 50 registrations in a second cost the broker one message, not 50."""
    from notifications.tasks import deliver_outbox

    settings.OUTBOX_SCHEDULE_COALESCE_SECONDS = 1
    asked = []
    monkeypatch.setattr(deliver_outbox, "apply_async", lambda **options: asked.append(options))
    monkeypatch.setattr(services, "_asked_until", 0.0)
    monkeypatch.setattr(services, "_broker_down_until", 0.0)
    for _ in range(50):
        services.schedule_delivery()
    assert asked == [{"retry": False, "countdown": 1}]
    monkeypatch.setattr(services, "_asked_until", time.monotonic() - 0.01)  # the window is over: ask again
    services.schedule_delivery()
    assert len(asked) == 2

    settings.OUTBOX_SCHEDULE_COALESCE_SECONDS = 0  # 0 (the test settings: eager tasks) asks at every commit
    monkeypatch.setattr(services, "_asked_until", 0.0)
    services.schedule_delivery()
    services.schedule_delivery()
    assert asked[-2:] == [{"retry": False, "countdown": None}] * 2
