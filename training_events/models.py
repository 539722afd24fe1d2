"""Regional training events (R-EV-1..4): events and their days, registrations, attendance, host requests."""

import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from common.dates import in_words
from people.models import TIME_ZONE_CHOICES, Agency, Person
from people.scoping import (
    AGENCY_AUDITOR,
    LASO,
    LEDS_REPRESENTATIVE,
    STATE_AUDITOR,
    STATE_TRAINING_UNIT,
    AgencyQuerySet,
    Scoping,
)


class TrainingEvent(models.Model):
    """An event the state training unit publishes (R-EV-1). Not agency-owned: every signed-in role reads it."""

    class Kind(models.TextChoices):
        REGIONAL = "regional", "Regional training"
        STATEWIDE = "statewide", "Statewide training event"
        WEBINAR = "webinar", "Webinar"
        TAC_101 = "tac_101", "LEDS TAC 101"

    class Audience(models.TextChoices):
        LEDS_REPRESENTATIVES = "leds_reps", "LEDS Representatives"
        LASOS = "lasos", "LASOs"
        ALL_USERS = "all", "All users"

    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        CANCELLED = "cancelled", "Cancelled"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.REGIONAL)
    audience = models.CharField(max_length=16, choices=Audience.choices, default=Audience.ALL_USERS)
    description = models.TextField(blank=True)
    venue_name = models.CharField(max_length=200, blank=True)
    venue_address = models.CharField(max_length=300, blank=True)
    time_zone = models.CharField(
        max_length=64, choices=TIME_ZONE_CHOICES, default="America/Los_Angeles",
        help_text="The venue's time zone; every time of the event is the venue's local time.",
    )
    seat_cap = models.PositiveIntegerField(null=True, blank=True,
                                           help_text="Seats at the venue; beyond them registrations are waitlisted.")
    registration_deadline_on = models.DateField(
        "registration deadline", null=True, blank=True,
        help_text="The last day to register (inclusive, in the venue's time zone).",
    )
    details_pending = models.BooleanField(
        "save the date", default=False,
        help_text="Published with its dates and title only; venue and seats come later, and registration opens "
                  "when the training unit completes the details.",
    )
    attendees_choose_days = models.BooleanField(
        default=False, help_text="A multi-day event whose attendees choose days; the seat cap then applies per day.",
    )
    certifies = models.BooleanField(
        "certifies attendees", default=False,
        help_text="Regional trainings do not certify anyone (R-EV-1).",
    )
    contact_name = models.CharField(max_length=120, default="CJIS Training Unit")
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    host_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="hosted_training_events"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PUBLISHED)
    created_at = models.DateTimeField(auto_now_add=True)
    # a cancelled event stays, with its registrations, for the record
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    cancel_reason = models.CharField("why it was cancelled", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["registration_deadline_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(seat_cap__isnull=True) | models.Q(seat_cap__gte=1),
                                   name="event_has_a_seat"),
            # a save-the-date may lack venue, seats and deadline; an event open for registration has them all
            models.CheckConstraint(
                condition=models.Q(details_pending=True)
                | (models.Q(seat_cap__isnull=False) & ~models.Q(venue_name="")
                   & models.Q(registration_deadline_on__isnull=False)),
                name="event_complete_unless_save_the_date"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.details_pending:
            return
        missing = {name: "Needed before registration opens (or publish it as a save-the-date)."
                   for name in ("venue_name", "seat_cap", "registration_deadline_on")
                   if getattr(self, name) in (None, "")}
        if missing:
            raise ValidationError(missing)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class EventInterest(models.Model):
    """Someone who asked to be told when a save-the-date event opens for registration ("notify me")."""

    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="interests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_interest_per_user_and_event")]

    def __str__(self):
        return f"{self.user} wants to hear about {self.event}"


class EventDay(models.Model):
    """One day (session) of an event; a multi-day statewide event has several. Attendance is per day (R-EV-3)."""

    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="days")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    seat_cap = models.PositiveIntegerField(
        null=True, blank=True, help_text="Seats on this day, when attendees choose days (else the event's cap)."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="day_ends_after_start")
        ]

    def __str__(self):
        local = self.starts_at.astimezone(self.event.zone)
        return f"{self.event} — {local:%a %b %-d, %Y}"


class Registration(models.Model):
    """A person's place at an event: confirmed, waitlisted (in arrival order) or cancelled (R-EV-2)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        WAITLISTED = "waitlisted", "Waitlisted"
        CANCELLED = "cancelled", "Cancelled"

    event = models.ForeignKey(TrainingEvent, on_delete=models.PROTECT, related_name="registrations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="event_registrations")
    status = models.CharField(max_length=16, choices=Status.choices)
    # arrival order: assigned under the event's row lock, so it is the order sign-ups were accepted (R-EV-2)
    arrival = models.PositiveIntegerField()
    registered_at = models.DateTimeField(auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    # the training unit reads every agency's registrations; agency roles their agency's; supervisors their
    # chain's; employees their own
    scoping = Scoping(agency="person__agency", person="person",
                      state_roles=frozenset({STATE_AUDITOR, STATE_TRAINING_UNIT}))

    class Meta:
        ordering = ["event", "arrival"]
        constraints = [
            # one live registration per person and event; a cancelled one may be followed by a new one
            models.UniqueConstraint(
                fields=["event", "person"], condition=~models.Q(status="cancelled"),
                name="one_registration_per_person",
            ),
            models.UniqueConstraint(fields=["event", "arrival"], name="registration_arrival_unique"),
        ]

    def __str__(self):
        return f"{self.person} — {self.event} ({self.get_status_display()})"


class DayPlace(models.Model):
    """A registration's place on one chosen day of an event whose attendees choose days (per-day cap, R-EV-2)."""

    registration = models.ForeignKey("Registration", on_delete=models.PROTECT, related_name="day_places")
    day = models.ForeignKey(EventDay, on_delete=models.PROTECT, related_name="places")
    status = models.CharField(max_length=16, choices=Registration.Status.choices)
    arrival = models.PositiveIntegerField()  # the registration's arrival: one order for every day
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="registration__person__agency", person="registration__person",
                      state_roles=frozenset({STATE_AUDITOR, STATE_TRAINING_UNIT}))

    class Meta:
        ordering = ["day", "arrival"]
        constraints = [models.UniqueConstraint(fields=["registration", "day"], name="one_place_per_day")]

    def __str__(self):
        return f"{self.registration.person} — {self.day} ({self.get_status_display()})"


class Attendance(models.Model):
    """Attended or no-show, per registration and event day, recorded after the day (R-EV-3)."""

    class Outcome(models.TextChoices):
        ATTENDED = "attended", "Attended"
        NO_SHOW = "no_show", "No-show"

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="attendances")
    day = models.ForeignKey(EventDay, on_delete=models.PROTECT, related_name="attendances")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="registration__person__agency", person="registration__person",
                      state_roles=frozenset({STATE_AUDITOR, STATE_TRAINING_UNIT}))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "day"], name="one_attendance_per_day")]

    def __str__(self):
        return f"{self.registration.person} — {self.day}: {self.get_outcome_display()}"


class HostRequest(models.Model):
    """An agency's offer to host an event; the training unit accepts or declines (R-EV-4)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="training_host_requests")
    venue_name = models.CharField(max_length=200)
    venue_address = models.CharField(max_length=300)
    capacity = models.PositiveIntegerField()
    proposed_dates = models.CharField(max_length=200, help_text="e.g. April 26 or 27, 2027")
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="agency", person=None, agency_roles=frozenset({LEDS_REPRESENTATIVE, LASO, AGENCY_AUDITOR}),
                      person_roles=frozenset(), state_roles=frozenset({STATE_TRAINING_UNIT, STATE_AUDITOR}))

    class Meta:
        ordering = ["-requested_at"]
        constraints = [models.CheckConstraint(condition=models.Q(capacity__gte=1), name="host_request_capacity")]

    def __str__(self):
        return f"{self.agency} offers {self.venue_name}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's secret iCalendar URL (R-EV-3); revoking it makes the URL answer 404."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="calendar_feeds")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="person__agency", person="person", agency_roles=frozenset(),
                      state_roles=frozenset())

    def __str__(self):
        return f"calendar feed of {self.person}"


class TrainingUnitDigest(models.Model):
    """One day's digest to the training unit of new offers to host and registrations (issue 20).

    The unique day makes the digest once per day however often beat ticks; each digest covers what arrived
    after the previous one, so every new offer and registration is named in exactly one digest.
    """

    day = models.DateField(unique=True, help_text="The state's calendar day the digest was queued for.")
    covered_from = models.DateTimeField()
    covered_until = models.DateTimeField()
    offers = models.PositiveIntegerField(default=0)
    registrations = models.PositiveIntegerField(default=0)
    queued = models.PositiveIntegerField(default=0, help_text="E-mails queued in the outbox.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day"]

    def __str__(self):
        return f"Training unit digest {in_words(self.day)}"


class StatewideCalendarFeed(models.Model):
    """A user's secret iCalendar URL of every published event (issue 20); revoking it makes the URL answer 404.

    Events are not agency data (every signed-in role reads them), so the feed belongs to the user, not a person.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"statewide calendar feed of {self.user}"
