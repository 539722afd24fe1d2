"""Writes of training events: one function per use case (R-EV-1..4)."""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from common.dates import in_words
from common.history import stamp
from common.reference_data import ensure_periodic_tasks
from people.models import Agency, Person

from . import notices, rules
from .defaults import SCHEDULES
from .models import (
    Attendance,
    CalendarFeed,
    DayPlace,
    EventDay,
    EventInterest,
    HostRequest,
    Registration,
    StatewideCalendarFeed,
    TrainingEvent,
)


def _today_at(event: TrainingEvent, now: datetime.datetime | None = None) -> datetime.date:
    return (now or timezone.now()).astimezone(event.zone).date()


@transaction.atomic
def publish_event(*, actor, days: list[tuple[datetime.datetime, datetime.datetime]], **fields) -> TrainingEvent:
    """R-EV-1: the training unit publishes an event with its day(s); times are aware (venue local)."""
    if not days:
        raise ValidationError("An event needs at least one day.")
    event = TrainingEvent(**fields)
    event.full_clean()
    stamp(event, actor=actor, reason="Published training event")
    event.save()
    for starts_at, ends_at in days:
        day = EventDay(event=event, starts_at=starts_at, ends_at=ends_at)
        day.full_clean()
        stamp(day, actor=actor, reason="Published training event")
        day.save()
    return event


def register_for_event(
    *, event_id: int, person: Person, actor=None, now: datetime.datetime | None = None,
    day_ids: list[int] | None = None,
) -> Registration:
    """R-EV-2: confirm while a seat is free, else waitlist in arrival order; never beyond the cap.

    The seat lock is taken late (HOUSE_STYLE, after pretix): the notice's outbox row is written first, in the same
    transaction, and the lock then covers only what decides the seat: the locked row's own checks, one count, and
    the registration with its history row (issue 23). Nothing is rendered in the request: the notice's subject,
    body and calendar file are composed by the delivery worker after the commit.
    """
    with transaction.atomic():
        notices.send_registration_notice(event_id=event_id, person=person)  # gone with the rollback if refused
        # Lock the event row before counting: every sign-up for this event queues here, so two sign-ups can
        # never both count the last free seat (R-EV-2). A constraint cannot express "at most N confirmed".
        event = TrainingEvent.objects.select_for_update().get(pk=event_id)
        if event.status != TrainingEvent.Status.PUBLISHED:
            raise ValidationError("This event was cancelled; registration is closed.")
        if event.details_pending:
            raise ValidationError("Save the date: registration opens when the training unit has the venue and "
                                  "seats. Choose \"Notify me\" to be e-mailed then.")
        today_at_venue = _today_at(event, now)
        if not rules.registration_open(deadline_on=event.registration_deadline_on, today_at_venue=today_at_venue):
            raise ValidationError(
                f"Registration closed on {in_words(event.registration_deadline_on)} (the deadline, "
                f"{event.time_zone} time). Contact the training unit if you still need a seat."
            )
        seen = _seats_seen(event_id=event.pk, person_id=person.pk)
        if seen.mine:
            raise ValidationError(f"{person} is already registered for this event.")
        places = []
        if event.attendees_choose_days:
            # each chosen day has its own cap, counted under the same event lock (R-EV-2)
            chosen = list(event.days.filter(pk__in=day_ids or []))
            if not chosen:
                raise ValidationError("Choose at least one day of this event.")
            for day in chosen:
                taken = DayPlace.objects.filter(day=day, status=Registration.Status.CONFIRMED).count()
                places.append((day, rules.placement(confirmed=taken, seat_cap=day.seat_cap or event.seat_cap)))
            status = rules.day_registration_status([placed for _, placed in places])
        else:
            status = rules.placement(confirmed=seen.confirmed, seat_cap=event.seat_cap)
        registration = Registration(event=event, person=person, registered_by=actor, arrival=seen.last + 1,
                                    status=status)
        # the last to arrive: behind everyone waitlisted now (R-EV-2); the page says so without counting again
        registration.waitlist_position_at_signup = (
            seen.waitlisted + 1 if status == Registration.Status.WAITLISTED else None)
        # the lock already decided; constraints stay in the DB, and the related rows are the ones in hand
        registration.full_clean(exclude=["event", "person", "registered_by"], validate_constraints=False)
        stamp(registration, actor=actor, reason=f"Registered ({registration.status})")
        registration.save()
        for day, placed in places:
            place = DayPlace(registration=registration, day=day, status=placed, arrival=registration.arrival)
            stamp(place, actor=actor, reason=f"Registered for the day ({placed})")
            place.save()
    return registration


class _Seen(NamedTuple):
    last: int  # the last arrival number given out (0: nobody yet)
    mine: int  # this person's live registrations (0 or 1: a constraint keeps it so)
    confirmed: int
    waitlisted: int


def _seats_seen(*, event_id: int, person_id: int) -> _Seen:
    """One statement under the seat lock: the last arrival, this person's live registration, the seats taken.

    Written in SQL on purpose: it runs while every other sign-up for the event waits, and the ORM spends ~2 ms
    compiling four filtered aggregates, longer than the database takes to answer (issue 23). Portable SQL (no
    FILTER clause), so it runs on SQLite too.
    """
    table = connection.ops.quote_name(Registration._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE(MAX(arrival), 0),"  # noqa: S608 -- the table name is ours, the values are parameters
            f" COALESCE(SUM(CASE WHEN person_id = %s AND status <> %s THEN 1 ELSE 0 END), 0),"
            f" COALESCE(SUM(CASE WHEN status = %s THEN 1 ELSE 0 END), 0),"
            f" COALESCE(SUM(CASE WHEN status = %s THEN 1 ELSE 0 END), 0)"
            f" FROM {table} WHERE event_id = %s",
            [person_id, Registration.Status.CANCELLED, Registration.Status.CONFIRMED,
             Registration.Status.WAITLISTED, event_id],
        )
        return _Seen(*(int(v) for v in cursor.fetchone()))


def cancel_registration(*, registration_id: int, actor=None, reason: str = "") -> Registration:
    """R-EV-2: cancel (never delete); a freed seat goes to the first waitlisted person, who is told."""
    with transaction.atomic():
        registration = Registration.objects.select_related("event").get(pk=registration_id)
        # same lock as registering, so a promotion and a new sign-up cannot both take the freed seat (R-EV-2)
        event = TrainingEvent.objects.select_for_update().get(pk=registration.event_id)
        registration.refresh_from_db()
        if registration.status == Registration.Status.CANCELLED:
            raise ValidationError("This registration is already cancelled.")
        freed_seat = registration.status == Registration.Status.CONFIRMED
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.cancel_reason = reason[:200]
        stamp(registration, actor=actor, reason=f"Cancelled: {reason}" if reason else "Cancelled")
        registration.save()
        if event.attendees_choose_days:
            _cancel_day_places(registration=registration, event=event, actor=actor)
            return registration
        promoted = None
        if freed_seat:
            confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
            if confirmed < event.seat_cap:
                promoted = event.registrations.filter(status=Registration.Status.WAITLISTED).order_by("arrival").first()
        if promoted is not None:
            _promote(promoted, actor=actor)
    return registration


EDITABLE_FIELDS = ("title", "kind", "audience", "description", "venue_name", "venue_address", "seat_cap",
                   "registration_deadline_on", "certifies", "contact_name", "contact_email", "contact_phone")
VENUE_FIELDS = ("venue_name", "venue_address")  # what registered people are told of when it changes


def update_event(*, event_id: int, actor, **fields) -> TrainingEvent:
    """Change a published event's details (R-EV-1). Never below the seats already confirmed; a raised seat cap
    promotes the waitlist in arrival order (R-EV-2), each promoted person e-mailed. A new venue is e-mailed to
    everyone registered or waitlisted, with the updated .ics."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    with transaction.atomic():
        event = TrainingEvent.objects.select_for_update().get(pk=event_id)  # the lock registering takes
        if event.status == TrainingEvent.Status.CANCELLED:
            raise ValidationError("This event was cancelled; it is kept as it was.")
        if event.details_pending:
            raise ValidationError("Complete the save-the-date's venue and seats first; that opens registration.")
        venue_before = [getattr(event, name) for name in VENUE_FIELDS]
        for name, value in fields.items():
            setattr(event, name, value)
        first_day = min((day.starts_at.astimezone(event.zone).date() for day in event.days.all()), default=None)
        if first_day and event.registration_deadline_on > first_day:
            raise ValidationError({"registration_deadline_on": "The registration deadline must be on or before the "
                                                               f"first day ({first_day:%m/%d/%Y})."})
        if event.attendees_choose_days:
            capped = event.days.filter(seat_cap__isnull=True)  # days with their own cap keep it
            taken = max((DayPlace.objects.filter(day=day, status=Registration.Status.CONFIRMED).count()
                         for day in capped), default=0)
        else:
            taken = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
        if event.seat_cap < taken:
            holders = "1 person holds a confirmed seat" if taken == 1 else f"{taken} people hold confirmed seats"
            raise ValidationError({"seat_cap": f"{holders}; cancel registrations before lowering the seat cap to "
                                               f"{event.seat_cap}."})
        event.full_clean()
        stamp(event, actor=actor, reason="Training event changed")
        event.save()
        if event.attendees_choose_days:
            for day in capped:
                _fill_day(day=day, event=event, actor=actor)
        else:
            waiting = event.registrations.filter(status=Registration.Status.WAITLISTED).order_by("arrival")
            for registration in waiting[: max(event.seat_cap - taken, 0)]:
                _promote(registration, actor=actor)
        if venue_before != [getattr(event, name) for name in VENUE_FIELDS]:
            change = event.history.values_list("history_id", flat=True).first()
            for registration in event.registrations.exclude(status=Registration.Status.CANCELLED):
                notices.send_event_changed_notice(registration.pk, change=change)
    return event


def cancel_event(*, event_id: int, reason: str, actor) -> TrainingEvent:
    """The training unit calls a whole event off, before any attendance is recorded (never deleted).

    Every live registration (confirmed or waitlisted) is cancelled with the event's reason, nobody is promoted,
    and each person is e-mailed with a calendar file that removes the event.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the event is cancelled; the reason is kept and e-mailed to "
                                         "everyone registered."})
    with transaction.atomic():
        event = TrainingEvent.objects.select_for_update().get(pk=event_id)  # the lock registering takes
        if event.status == TrainingEvent.Status.CANCELLED:
            raise ValidationError("This event is already cancelled.")
        if Attendance.objects.filter(registration__event=event).exists():
            raise ValidationError("Attendance is recorded for this event, so it was held; it cannot be cancelled.")
        event.status = TrainingEvent.Status.CANCELLED
        event.cancelled_at = timezone.now()
        event.cancelled_by = actor
        event.cancel_reason = reason[:300]
        stamp(event, actor=actor, reason=f"Event cancelled: {reason[:200]}")
        event.save()
        live = event.registrations.exclude(status=Registration.Status.CANCELLED).order_by("arrival")
        for registration in live:
            registration.status = Registration.Status.CANCELLED
            registration.cancelled_at = event.cancelled_at
            registration.cancel_reason = f"The event was cancelled: {reason}"[:200]
            stamp(registration, actor=actor, reason="Cancelled with the event")
            registration.save()
            for place in registration.day_places.exclude(status=Registration.Status.CANCELLED):
                place.status = Registration.Status.CANCELLED
                stamp(place, actor=actor, reason="Cancelled with the event")
                place.save()
            notices.send_event_cancelled_notice(registration.pk)  # queued with the change (outbox)
    return event


def _promote(registration: Registration, *, actor) -> None:
    registration.status = Registration.Status.CONFIRMED
    registration.promoted_at = timezone.now()
    stamp(registration, actor=actor, reason="Promoted from the waitlist after a cancellation")
    registration.save()
    notices.send_promotion_notice(registration.pk)  # queued with the change (outbox)


def _cancel_day_places(*, registration: Registration, event: TrainingEvent, actor) -> None:
    """Per-day caps: each day the person held a seat on goes to that day's first waitlisted person (R-EV-2)."""
    for place in registration.day_places.select_related("day").exclude(status=Registration.Status.CANCELLED):
        freed = place.status == Registration.Status.CONFIRMED
        place.status = Registration.Status.CANCELLED
        stamp(place, actor=actor, reason="Cancelled")
        place.save()
        if freed:
            _fill_day(day=place.day, event=event, actor=actor)


def _fill_day(*, day: EventDay, event: TrainingEvent, actor) -> None:
    """Give the day's free seats to its waitlist in arrival order (R-EV-2); each promoted person is told."""
    taken = DayPlace.objects.filter(day=day, status=Registration.Status.CONFIRMED).count()
    free = (day.seat_cap or event.seat_cap) - taken
    if free <= 0:
        return
    for waiting in (DayPlace.objects.filter(day=day, status=Registration.Status.WAITLISTED)
                    .select_related("registration").order_by("arrival")[:free]):
        waiting.status = Registration.Status.CONFIRMED
        stamp(waiting, actor=actor, reason="Promoted from the day's waitlist")
        waiting.save()
        if waiting.registration.status == Registration.Status.WAITLISTED:
            _promote(waiting.registration, actor=actor)
        else:
            notices.send_promotion_notice(waiting.registration_id)  # queued with the change (outbox)


@transaction.atomic
def record_attendance(*, registration: Registration, day: EventDay, outcome: str, actor) -> Attendance:
    """R-EV-3: attended / no-show per day, after the day has begun; re-recording corrects it (history keeps both)."""
    if day.event_id != registration.event_id:
        raise ValidationError("That day belongs to another event.")
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError("Only confirmed registrations have attendance.")
    if day.event.attendees_choose_days and not registration.day_places.filter(
        day=day, status=Registration.Status.CONFIRMED
    ).exists():
        raise ValidationError(f"{registration.person} held no seat on {day}.")
    if not rules.attendance_recordable(day_on=day.starts_at.astimezone(day.event.zone).date(),
                                       today=_today_at(day.event)):
        raise ValidationError("Attendance is recorded after the event day, not before.")
    attendance = Attendance.objects.filter(registration=registration, day=day).first() or Attendance(
        registration=registration, day=day
    )
    attendance.outcome = outcome
    attendance.recorded_by = actor
    attendance.full_clean(validate_constraints=False)
    stamp(attendance, actor=actor, reason=f"Attendance recorded: {outcome}")
    attendance.save()
    return attendance


@transaction.atomic
def request_to_host(*, agency: Agency, actor, venue_name: str, venue_address: str, capacity: int,
                    proposed_dates: str, notes: str = "") -> HostRequest:
    """R-EV-4: an agency offers to host an event."""
    host_request = HostRequest(agency=agency, requested_by=actor, venue_name=venue_name, venue_address=venue_address,
                               capacity=capacity, proposed_dates=proposed_dates, notes=notes)
    host_request.full_clean()
    stamp(host_request, actor=actor, reason="Offered to host a training")
    host_request.save()
    return host_request


def decide_host_request(*, host_request_id: int, accept: bool, actor, note: str = "") -> HostRequest:
    """R-EV-4: the training unit accepts or declines; the agency hears back by e-mail."""
    with transaction.atomic():
        host_request = HostRequest.objects.select_for_update().get(pk=host_request_id)
        if host_request.status != HostRequest.Status.PENDING:
            raise ValidationError(f"This offer was already {host_request.get_status_display().lower()}.")
        host_request.status = HostRequest.Status.ACCEPTED if accept else HostRequest.Status.DECLINED
        host_request.decided_by = actor
        host_request.decided_at = timezone.now()
        host_request.decision_note = note
        host_request.full_clean()
        stamp(host_request, actor=actor, reason=f"Host offer {host_request.status}")
        host_request.save()
        notices.send_host_request_answer(host_request.pk)  # queued with the change (outbox)
    return host_request


def send_due_reminders(*, today: datetime.date, lead_days: int | None = None) -> int:
    """R-EV-3: remind every confirmed registrant whose event is within the lead days; each once.

    Each registration is claimed with a conditional update, so two sweeps never send twice.
    """
    lead = lead_days if lead_days is not None else getattr(settings, "LEDS_EVENT_REMINDER_LEAD_DAYS",
                                                          rules.REMINDER_LEAD_DAYS)
    candidates = (
        Registration.objects.filter(status=Registration.Status.CONFIRMED, reminder_sent_at__isnull=True,
                                    event__status=TrainingEvent.Status.PUBLISHED)
        .select_related("event").prefetch_related("event__days")
    )
    sent = 0
    for registration in candidates:
        days = list(registration.event.days.all())
        if not days:
            continue
        first_on = days[0].starts_at.astimezone(registration.event.zone).date()
        if not rules.reminder_due(first_day_on=first_on, today=today, lead_days=lead):
            continue
        claimed = Registration.objects.filter(pk=registration.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=timezone.now()
        )
        if claimed:
            notices.send_reminder(registration.pk)
            sent += 1
    return sent


@transaction.atomic
def issue_calendar_feed(*, person: Person) -> CalendarFeed:
    """A new secret feed URL; any earlier one is revoked (R-EV-3)."""
    revoke_calendar_feeds(person=person)
    return CalendarFeed.objects.create(person=person)


def revoke_calendar_feeds(*, person: Person) -> int:
    return CalendarFeed.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=timezone.now())


COMPLETION_FIELDS = ("venue_name", "venue_address", "seat_cap", "registration_deadline_on", "description")


def ask_to_be_notified(*, event_id: int, user) -> tuple[EventInterest, bool]:
    """"Notify me": the user is e-mailed once when the save-the-date event opens for registration."""
    event = TrainingEvent.objects.get(pk=event_id)
    if not event.details_pending or event.status != TrainingEvent.Status.PUBLISHED:
        raise ValidationError("Registration for this event is already open (or it was cancelled): register instead.")
    return EventInterest.objects.get_or_create(event=event, user=user)


def complete_event_details(*, event_id: int, actor, venue_name: str, seat_cap: int,
                           registration_deadline_on: datetime.date, venue_address: str = "",
                           description: str | None = None) -> TrainingEvent:
    """Give a save-the-date its venue, seats and deadline: registration opens, and everyone who asked to be told
    is e-mailed, once each (R-EV-1)."""
    with transaction.atomic():
        event = TrainingEvent.objects.select_for_update().get(pk=event_id)  # the lock registering takes
        if event.status != TrainingEvent.Status.PUBLISHED:
            raise ValidationError("This event was cancelled; it is kept as it was.")
        if not event.details_pending:
            raise ValidationError("This event's details are already complete; edit it instead.")
        first_day = min((day.starts_at.astimezone(event.zone).date() for day in event.days.all()), default=None)
        if first_day and registration_deadline_on and registration_deadline_on > first_day:
            raise ValidationError({"registration_deadline_on": "The registration deadline must be on or before the "
                                                               f"first day ({first_day:%m/%d/%Y})."})
        event.venue_name, event.venue_address = venue_name, venue_address
        event.seat_cap, event.registration_deadline_on = seat_cap, registration_deadline_on
        if description is not None:
            event.description = description
        event.details_pending = False
        event.full_clean()
        stamp(event, actor=actor, reason="Save-the-date completed: registration open")
        event.save()
        waiting = list(EventInterest.objects.filter(event=event, notified_at__isnull=True).values_list("pk", flat=True))
        for interest_id in waiting:
            # claimed by a conditional update, so a retried completion never e-mails anyone twice
            claimed = EventInterest.objects.filter(pk=interest_id, notified_at__isnull=True).update(
                notified_at=timezone.now())
            if claimed:
                notices.send_registration_open_notice(interest_id)  # queued with the change (outbox)
    return event


@transaction.atomic
def issue_statewide_feed(*, user) -> StatewideCalendarFeed:
    """A new secret URL of every published event; any earlier one of the user's is revoked."""
    revoke_statewide_feeds(user=user)
    return StatewideCalendarFeed.objects.create(user=user)


def revoke_statewide_feeds(*, user) -> int:
    return StatewideCalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def ensure_defaults(*, using: str) -> None:
    """This app's reference data (common.reference_data): the daily event reminders."""
    ensure_periodic_tasks(SCHEDULES, using=using)
