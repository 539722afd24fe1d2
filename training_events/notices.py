"""Every e-mail of training events, composed in one place (R-EV-2, R-EV-3, R-EV-4).

Each goes through the outbox (notifications.services.queue_notice, as class notices do): callers call these inside
their transaction, so the row is written with the change it reports, and delivered (with retries) only after the
commit.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from notifications.services import calendar_attachment, queue_composed_email, queue_notice

from .ics import event_ics
from .models import EventInterest, HostRequest, Registration
from .selectors import waitlist_position


def _send(*, to: str, subject: str, template: str, context: dict, ics: bytes | None = None, key: str | None = None,
          agency=None, person=None) -> None:
    if not to:
        return  # nobody to tell; the page still shows the status
    body = render_to_string(f"email/training_events/{template}", context)  # rendered now: the outbox keeps text
    queue_notice(to=to, subject=subject, template="email/message", context={"body": body},
                 calendar=("event.ics", ics) if ics is not None else None, key=key, agency=agency, person=person)


def _load(registration_id: int):
    return Registration.objects.select_related("event", "person").prefetch_related("event__days").get(
        pk=registration_id
    )


def send_registration_notice(*, event_id: int, person) -> None:
    """Confirmation (with .ics) or waitlist notice (R-EV-3), queued before the seat is decided.

    Called inside the registration's transaction before it takes the seat lock (HOUSE_STYLE: lock late), so the
    lock covers only the count and the registration's own rows; if the registration is refused, the transaction
    takes this row with it. The subject, the body and the calendar file are rendered by the delivery worker
    (``compose_registration_notice``) from the registration as it then stands (issue 23).
    """
    if not person.email:
        return  # nobody to tell; the page still shows the status
    queue_composed_email(
        composer="training_events.registration", args={"event_id": event_id, "person_id": person.pk},
        to=[person.email], subject="Training event registration", person=person,
    )


def compose_registration_notice(*, event_id: int | None = None, person_id: int | None = None,
                                registration_id: int | None = None) -> dict:
    """The registration notice's subject, body and .ics, rendered by the delivery worker
    (notifications.compose_pending): the person's newest registration for the event. ``registration_id`` is how
    rows queued before 2026-12 name it."""
    if registration_id is None:
        registration_id = (Registration.objects.filter(event_id=event_id, person_id=person_id)
                           .order_by("-arrival").values_list("pk", flat=True).first())
    registration = _load(registration_id)
    confirmed = registration.status == registration.Status.CONFIRMED
    body = render_to_string("email/training_events/registration.txt", {
        "registration": registration, "event": registration.event, "confirmed": confirmed,
        "position": None if confirmed else waitlist_position(registration=registration)})
    ics = event_ics(registration.event) if confirmed else None
    return {"subject": f"{'Registered' if confirmed else 'Waitlisted'}: {registration.event.title}",
            "key": f"training-registration:{registration.pk}:{'confirmed' if confirmed else 'waitlisted'}",
            "context": {"body": body}, "attachments": [calendar_attachment("event.ics", ics)] if ics else []}


def send_promotion_notice(registration_id: int) -> None:
    """A waitlisted person got a seat after a cancellation (R-EV-2)."""
    registration = _load(registration_id)
    _send(to=registration.person.email, subject=f"A seat opened for you: {registration.event.title}",
          template="promotion.txt", context={"registration": registration, "event": registration.event},
          ics=event_ics(registration.event), agency=registration.person.agency, person=registration.person)


def send_reminder(registration_id: int) -> None:
    """Reminder before the event, with the calendar file again (R-EV-3)."""
    registration = _load(registration_id)
    _send(to=registration.person.email, subject=f"Reminder: {registration.event.title}",
          template="reminder.txt", context={"registration": registration, "event": registration.event},
          ics=event_ics(registration.event), key=f"training-reminder:{registration.pk}",
          agency=registration.person.agency, person=registration.person)


def send_event_changed_notice(registration_id: int, *, change: int) -> None:
    """The event's venue changed; the .ics carries the new place (same UID: the calendar entry updates)."""
    registration = _load(registration_id)
    _send(to=registration.person.email, subject=f"Changed: {registration.event.title}",
          template="event_changed.txt", context={"registration": registration, "event": registration.event},
          ics=event_ics(registration.event), key=f"training-event-change:{registration.pk}:{change}",
          agency=registration.person.agency, person=registration.person)


def send_event_cancelled_notice(registration_id: int) -> None:
    """The training unit called the whole event off; the .ics removes it from the person's calendar."""
    registration = _load(registration_id)
    _send(to=registration.person.email, subject=f"Cancelled: {registration.event.title}",
          template="event_cancelled.txt", context={"registration": registration, "event": registration.event},
          ics=event_ics(registration.event, cancelled=True), key=f"training-event-cancelled:{registration.pk}",
          agency=registration.person.agency, person=registration.person)


def send_host_request_answer(host_request_id: int) -> None:
    """The agency hears back on its offer to host (R-EV-4)."""
    host_request = HostRequest.objects.select_related("agency", "requested_by").get(pk=host_request_id)
    to = host_request.requested_by.email if host_request.requested_by else ""
    _send(to=to, subject=f"Your offer to host a training was {host_request.get_status_display().lower()}",
          template="host_request_answer.txt", context={"host_request": host_request},
          key=f"training-host-answer:{host_request.pk}:{host_request.status}", agency=host_request.agency)


def send_registration_open_notice(interest_id: int) -> None:
    """A save-the-date the person asked about is open for registration (issue 20), with the calendar file."""
    interest = (EventInterest.objects.select_related("event", "user", "user__person")
                .prefetch_related("event__days").get(pk=interest_id))
    person = getattr(interest.user, "person", None)
    to = interest.user.email or (person.email if person else "")
    _send(to=to, subject=f"Registration is open: {interest.event.title}", template="registration_open.txt",
          context={"event": interest.event, "name": interest.user.first_name or interest.user.username,
                   "site_url": settings.SITE_URL},
          ics=event_ics(interest.event), key=f"training-registration-open:{interest.event_id}:{interest.user_id}",
          person=person, agency=person.agency if person else None)
