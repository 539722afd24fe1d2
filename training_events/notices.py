"""Every e-mail of training events, composed in one place (R-EV-2, R-EV-3, R-EV-4).

The outbox (notifications/, issue 9) had not landed when this was written: messages go out through Django's
mail API after the commit (callers use ``transaction.on_commit``). Switching to the outbox is this module only.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from .ics import event_ics


def _send(*, to: str, subject: str, template: str, context: dict, ics: bytes | None = None) -> None:
    if not to:
        return  # nobody to tell; the page still shows the status
    body = render_to_string(f"email/training_events/{template}", context)
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
    if ics is not None:
        message.attach("event.ics", ics, "text/calendar; charset=utf-8; method=PUBLISH")
    message.send()


def _load(registration_id: int):
    from .models import Registration

    return Registration.objects.select_related("event", "person").prefetch_related("event__days").get(
        pk=registration_id
    )


def send_registration_notice(registration_id: int) -> None:
    """Confirmation (with .ics) or waitlist notice (R-EV-3)."""
    from .selectors import waitlist_position

    registration = _load(registration_id)
    confirmed = registration.status == registration.Status.CONFIRMED
    _send(
        to=registration.person.email,
        subject=f"{'Registered' if confirmed else 'Waitlisted'}: {registration.event.title}",
        template="registration.txt",
        context={"registration": registration, "event": registration.event, "confirmed": confirmed,
                 "position": None if confirmed else waitlist_position(registration=registration)},
        ics=event_ics(registration.event) if confirmed else None,
    )


def send_promotion_notice(registration_id: int) -> None:
    """A waitlisted person got a seat after a cancellation (R-EV-2)."""
    registration = _load(registration_id)
    _send(to=registration.person.email, subject=f"A seat opened for you: {registration.event.title}",
          template="promotion.txt", context={"registration": registration, "event": registration.event},
          ics=event_ics(registration.event))


def send_reminder(registration_id: int) -> None:
    """Reminder before the event, with the calendar file again (R-EV-3)."""
    registration = _load(registration_id)
    _send(to=registration.person.email, subject=f"Reminder: {registration.event.title}",
          template="reminder.txt", context={"registration": registration, "event": registration.event},
          ics=event_ics(registration.event))


def send_host_request_answer(host_request_id: int) -> None:
    """The agency hears back on its offer to host (R-EV-4)."""
    from .models import HostRequest

    host_request = HostRequest.objects.select_related("agency", "requested_by").get(pk=host_request_id)
    to = host_request.requested_by.email if host_request.requested_by else ""
    _send(to=to, subject=f"Your offer to host a training was {host_request.get_status_display().lower()}",
          template="host_request_answer.txt", context={"host_request": host_request})
