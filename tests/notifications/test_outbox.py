"""Outbox: one queueing service, no duplicates, delivery with retries then failure (issue 9)."""

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


def test_smtp_failure_backs_off_then_recovers_without_duplicates(monkeypatch):
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
    assert msg.status == OutboxMessage.Status.RETRY and msg.attempts == 1 and "connection lost" in msg.last_error
    assert msg.next_attempt_at > timezone.now() + timedelta(seconds=50)
    assert services.deliver_batch()["sent"] == 0  # not due yet: backoff holds
    assert services.deliver_batch(now=msg.next_attempt_at + timedelta(seconds=1))["sent"] == 1
    msg.refresh_from_db()
    assert msg.status == OutboxMessage.Status.SENT and msg.attempts == 2
    assert len(mail.outbox) == 1


def test_gives_up_after_max_attempts(monkeypatch):
    msg, _ = _queue()

    def broken(self, *a, **k):
        raise SMTPServerDisconnected("down")

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", broken)
    now = timezone.now()
    for _ in range(services.MAX_ATTEMPTS):
        services.deliver_batch(now=now)
        now += timedelta(days=1)
    msg.refresh_from_db()
    assert msg.status == OutboxMessage.Status.FAILED and msg.attempts == services.MAX_ATTEMPTS
    assert services.deliver_batch(now=now + timedelta(days=30))["sent"] == 0


def test_backoff_is_exponential():
    assert [services.backoff(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]


def test_claim_is_exclusive_and_stale_sending_is_reclaimed():
    msg, _ = _queue()
    assert services.claim_batch() == [msg.pk]
    assert services.claim_batch() == []  # a second worker gets nothing
    later = timezone.now() + services.STALE_SENDING + timedelta(minutes=1)
    assert services.claim_batch(now=later) == [msg.pk]


def test_sent_row_is_not_resent_after_worker_restart():
    _msg, _ = _queue()
    services.deliver_batch()
    later = timezone.now() + services.STALE_SENDING + timedelta(hours=1)
    assert services.deliver_batch(now=later)["sent"] == 0
    assert len(mail.outbox) == 1


def test_resend_queues_a_failed_row_again(world):
    msg, _ = _queue()
    OutboxMessage.objects.filter(pk=msg.pk).update(status=OutboxMessage.Status.FAILED, attempts=5)
    msg.refresh_from_db()
    services.resend(message=msg, actor=world.users.get("admin", None))
    assert services.deliver_batch()["sent"] == 1
    assert msg.history.first().history_change_reason == "Resent from the outbox"


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


def test_dashboard_shows_delivery_delayed_only_after_an_hour(world, client, login):
    from django.urls import reverse

    msg, _ = _queue(agency=world.agency)
    login(world.users["leds_rep"])
    for page in (reverse("home"), reverse("compliance:dashboard")):
        assert b"E-mail delivery delayed" not in client.get(page).content
    OutboxMessage.objects.filter(pk=msg.pk).update(created_at=timezone.now() - timedelta(minutes=61))
    for page in (reverse("home"), reverse("compliance:dashboard")):
        assert b"E-mail delivery delayed" in client.get(page).content
