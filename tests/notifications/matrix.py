from django.urls import reverse

from tests.matrix import LEDS_REP, Row


def _failed_message(w):
    from notifications.models import OutboxMessage

    msg = OutboxMessage.objects.create(agency=w.agency, to=["x@example.gov"], subject="S", template="email/message",
                                       status=OutboxMessage.Status.FAILED)
    return reverse("notifications:resend", args=[msg.pk])


ROWS = {
    "notifications:outbox": Row(lambda w: reverse("notifications:outbox"), ok=LEDS_REP, foreign=200),
    "notifications:resend": Row(_failed_message, ok=LEDS_REP, ok_status=302, method="post"),
    # the confirmation page (its POST is in test_outbox.py) works on the user's own agency: a foreign LEDS
    # Representative sees their own agency's failed e-mails
    "notifications:resend_failed": Row(lambda w: reverse("notifications:resend_failed"), ok=LEDS_REP, foreign=200),
}
