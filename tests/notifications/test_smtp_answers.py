"""What the mail server answers decides a row's fate (issue 18): a 5xx for the recipient fails it at once with the
server's words; a 4xx or a server that is down only puts it off; every try carries the same Message-ID.

Against a real SMTP server (aiosmtpd, in this process) on a free port.
"""

import pytest

from notifications import services
from notifications.models import OutboxMessage
from tests.processes import SmtpSink

pytestmark = pytest.mark.django_db
Status = OutboxMessage.Status


@pytest.fixture
def smtp(settings):
    sink = SmtpSink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield sink
    sink.stop()


def _queue(to="a@example.gov", cc=(), key=None):
    msg, _ = services.queue_email(to=[to], cc=list(cc), subject="Hello", template="email/message",
                                  context={"body": "Hi"}, key=key or f"k:{to}")
    return msg


def _due_again():
    OutboxMessage.objects.filter(status=Status.RETRY).update(next_attempt_at=None)


def test_a_permanent_refusal_of_the_recipient_fails_the_row_with_the_servers_answer(smtp):
    smtp.refuse["gone@example.gov"] = "550 5.1.1 <gone@example.gov>: Recipient address rejected"
    smtp.start()
    gone, fine = _queue("gone@example.gov"), _queue("fine@example.gov")
    assert services.deliver_batch() == {"sent": 1, "retry": 0, "failed": 1}
    gone.refresh_from_db()
    assert gone.status == Status.FAILED and gone.attempts == 1
    assert "550 5.1.1 <gone@example.gov>: Recipient address rejected" in gone.last_error
    fine.refresh_from_db()
    assert fine.status == Status.SENT
    assert [rcpt for rcpt, _message in smtp.messages] == [["fine@example.gov"]]


def test_a_refused_recipient_fails_the_row_even_when_the_copy_went_through(smtp):
    smtp.refuse["gone@example.gov"] = "550 5.1.1 No such user"
    smtp.start()
    msg = _queue("gone@example.gov", cc=["supervisor@example.gov"])
    assert services.deliver_batch()["failed"] == 1
    msg.refresh_from_db()
    assert msg.status == Status.FAILED and "gone@example.gov: 550 5.1.1 No such user" in msg.last_error


def test_temporary_answers_and_a_server_that_is_down_never_use_up_attempts(smtp, settings):
    msg = _queue()
    for _ in range(settings.OUTBOX_MAX_ATTEMPTS + 2):  # the server is down
        services.deliver_batch()
        _due_again()
    msg.refresh_from_db()
    assert msg.status == Status.RETRY and msg.attempts == 0 and "ConnectionRefusedError" in msg.last_error
    smtp.start()
    smtp.answer = "451 4.3.0 Mailbox busy, try again later"
    smtp.refuse["a@example.gov"] = "450 4.2.1 Greylisted, come back later"
    for _ in range(settings.OUTBOX_MAX_ATTEMPTS + 2):  # it answers 4xx at RCPT
        services.deliver_batch()
        _due_again()
    msg.refresh_from_db()
    assert msg.status == Status.RETRY and msg.attempts == 0 and "450 4.2.1 Greylisted" in msg.last_error
    del smtp.refuse["a@example.gov"]
    services.deliver_batch()  # now 4xx at DATA
    _due_again()
    msg.refresh_from_db()
    assert msg.status == Status.RETRY and msg.attempts == 0 and "451 4.3.0 Mailbox busy" in msg.last_error
    smtp.answer = None
    assert services.deliver_batch()["sent"] == 1
    msg.refresh_from_db()
    assert msg.status == Status.SENT and msg.attempts == 1 and msg.deferrals == 2 * settings.OUTBOX_MAX_ATTEMPTS + 5
    assert len(smtp.messages) == 1


def test_every_try_of_an_email_carries_the_same_message_id(smtp):
    smtp.start()
    msg = _queue()
    smtp.answer = "451 4.3.0 Try again later"
    services.deliver_batch()
    _due_again()
    smtp.answer = None
    services.deliver_batch()
    services.resend(message=OutboxMessage.objects.get(pk=msg.pk), actor=None)
    services.deliver_batch()
    first, resent = smtp.message_ids()
    assert first == f"<leds-outbox-{msg.pk}@localhost>"
    assert resent == f"<leds-outbox-{msg.pk}.r1@localhost>"  # a deliberate resend is a new e-mail


def test_a_server_that_drops_the_connection_mid_batch_loses_nothing(smtp):
    smtp.start()
    first, second = _queue("one@example.gov"), _queue("two@example.gov")
    smtp.refuse["one@example.gov"] = "421 4.3.2 Service shutting down"  # the server closes after a 421
    counts = services.deliver_batch()
    assert counts["sent"] + counts["retry"] == 2 and counts["failed"] == 0
    del smtp.refuse["one@example.gov"]
    _due_again()
    services.deliver()
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {Status.SENT}
    assert sorted(rcpt[0] for rcpt, _message in smtp.messages) == ["one@example.gov", "two@example.gov"]
    assert first.pk and second.pk
