"""Reads of training events, each in a fixed number of queries (R-EV-1..3)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Min, Prefetch, Q

from . import rules
from .models import Attendance, DayPlace, EventDay, HostRequest, Registration, TrainingEvent

LIVE = ~Q(registrations__status=Registration.Status.CANCELLED)


def _with_counts(queryset):
    return queryset.annotate(
        confirmed_count=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED),
                              distinct=True),
        waitlisted_count=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED),
                               distinct=True),
        first_starts_at=Min("days__starts_at"),
    ).prefetch_related(Prefetch("days", queryset=EventDay.objects.order_by("starts_at")))


def upcoming_events(*, now: datetime.datetime):
    """R-EV-1: published events whose last day has not ended, soonest first, with seat counts (2 queries)."""
    events = _with_counts(TrainingEvent.objects.filter(status=TrainingEvent.Status.PUBLISHED, days__ends_at__gte=now)
                          .distinct())
    events = events.order_by("first_starts_at", "pk")
    return events


def event_with_counts(*, pk: int) -> TrainingEvent:
    event = _with_counts(TrainingEvent.objects.filter(pk=pk)).get()
    event.seats_phrase = rules.seats_phrase(confirmed=event.confirmed_count, seat_cap=event.seat_cap,
                                            waitlisted=event.waitlisted_count)
    return event


def day_seats(*, event: TrainingEvent):
    """Per-day seats for an event whose attendees choose days (one grouped query)."""
    taken = dict(DayPlace.objects.filter(day__event=event, status=Registration.Status.CONFIRMED)
                 .values("day").annotate(n=Count("pk")).values_list("day", "n"))
    days = list(event.days.all())
    for day in days:
        day.seats_phrase = rules.seats_phrase(confirmed=taken.get(day.pk, 0), seat_cap=day.seat_cap or event.seat_cap)
    return days


def day_positions(*, registration: Registration):
    """The registration's chosen days with its status and (if waitlisted) position on each (R-EV-2)."""
    places = list(registration.day_places.select_related("day").exclude(status=Registration.Status.CANCELLED))
    for place in places:
        place.position = None
        if place.status == Registration.Status.WAITLISTED:
            place.position = DayPlace.objects.filter(day=place.day, status=Registration.Status.WAITLISTED,
                                                     arrival__lt=place.arrival).count() + 1
    return places


def annotate_phrases(events):
    for event in events:
        event.seats_phrase = rules.seats_phrase(confirmed=event.confirmed_count, seat_cap=event.seat_cap,
                                                waitlisted=event.waitlisted_count)
    return events


def waitlist_position(*, registration: Registration) -> int | None:
    """R-EV-2: 1-based position in arrival order among those still waitlisted."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    return Registration.objects.filter(
        event_id=registration.event_id, status=Registration.Status.WAITLISTED, arrival__lt=registration.arrival
    ).count() + 1


def registrations_for(*, user, event: TrainingEvent):
    """The event's live registrations the user may see (scoped), arrival order, with waitlist positions."""
    registrations = list(
        Registration.objects.for_user(user).filter(event=event)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("person", "person__agency").order_by("arrival")
    )
    # positions among the whole waitlist, not only the visible part: one query for the arrivals
    waitlist = list(Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED)
                    .order_by("arrival").values_list("arrival", flat=True))
    index = {arrival: i + 1 for i, arrival in enumerate(waitlist)}
    for registration in registrations:
        registration.position = index.get(registration.arrival)
    return registrations


def per_agency_counts(*, user, event: TrainingEvent):
    """Registrations per agency (the training unit's view), one grouped query."""
    return (
        Registration.objects.for_user(user).filter(event=event).exclude(status=Registration.Status.CANCELLED)
        .values("person__agency__ori", "person__agency__name")
        .annotate(confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
                  waitlisted=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)))
        .order_by("person__agency__name")
    )


def own_registration(*, person, event: TrainingEvent) -> Registration | None:
    if person is None:
        return None
    registration = (Registration.objects.filter(event=event, person=person)
                    .exclude(status=Registration.Status.CANCELLED).first())
    if registration is not None:
        registration.position = waitlist_position(registration=registration)
        registration.places = day_positions(registration=registration) if event.attendees_choose_days else []
    return registration


def attendance_grid(*, event: TrainingEvent):
    """Confirmed registrations by days with recorded outcomes (2 queries after the event's days)."""
    registrations = list(
        event.registrations.filter(status=Registration.Status.CONFIRMED)
        .select_related("person", "person__agency").order_by("person__last_name", "person__first_name")
    )
    outcomes = {(a.registration_id, a.day_id): a.outcome
                for a in Attendance.objects.filter(registration__event=event)}
    days = list(event.days.all())
    return days, [(r, [(day, outcomes.get((r.pk, day.pk), "")) for day in days]) for r in registrations]


def training_history(*, user, person):
    """A person's event registrations and attendance, for their training history (R-EV-3)."""
    return (
        Registration.objects.for_user(user).filter(person=person)
        .select_related("event").prefetch_related(
            Prefetch("attendances", queryset=Attendance.objects.select_related("day").order_by("day__starts_at")))
        .order_by("-registered_at")
    )


def feed_events(*, person):
    return (TrainingEvent.objects.filter(registrations__person=person,
                                         registrations__status=Registration.Status.CONFIRMED)
            .prefetch_related("days").distinct())


STATEWIDE_FEED_PAST = datetime.timedelta(days=365)  # a year of past events stays in the statewide feed


def statewide_feed_events(*, now: datetime.datetime):
    """Every published event (save-the-dates too) whose last day ended within a year, or is still to come."""
    return (TrainingEvent.objects.filter(status=TrainingEvent.Status.PUBLISHED,
                                         days__ends_at__gte=now - STATEWIDE_FEED_PAST)
            .distinct().prefetch_related("days").order_by("pk"))


def host_requests_for(*, user):
    return HostRequest.objects.for_user(user).select_related("agency", "requested_by", "decided_by")
