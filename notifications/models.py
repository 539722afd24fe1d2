"""The outbox: every e-mail the system sends is a row here first (issue 9).

A row is written inside the caller's transaction, so a rolled-back business change never sends mail,
and delivery happens later in a Celery task that claims rows with a conditional UPDATE.
"""

from django.db import models
from simple_history.models import HistoricalRecords

from people.scoping import LEDS_REPRESENTATIVE, AgencyQuerySet, Scoping


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        RETRY = "retry", "Awaiting retry"
        FAILED = "failed", "Failed"

    # Business key: a retry of the same business event (same reminder stage, same confirmation) cannot queue twice.
    key = models.CharField(max_length=255, unique=True, null=True, blank=True)
    agency = models.ForeignKey("people.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Reminder key parts (person, obligation, object, due date, stage) — unique together below.
    obligation = models.CharField(max_length=100, blank=True)
    object_ref = models.CharField(max_length=100, blank=True)
    due_date = models.DateField(null=True, blank=True)
    stage = models.CharField(max_length=30, blank=True)
    # Rows with the same group key are delivered as ONE e-mail (a person's reminders of one morning, issue 9);
    # each row still carries its own unique reminder key and its own state on the outbox page.
    group_key = models.CharField(max_length=120, blank=True, db_index=True)

    to = models.JSONField(default=list)
    cc = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=255)
    template = models.CharField(max_length=200)
    context = models.JSONField(default=dict, blank=True)
    # [{"filename": ..., "content": text, "mimetype": ...}] — text only (e.g. .ics), kept so a resend is identical.
    attachments = models.JSONField(default=list, blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    # Tries that count towards OUTBOX_MAX_ATTEMPTS: the accepted one, and errors of our own (a template that
    # fails). A connection that fails or a temporary (4xx) answer is a deferral instead and never uses one up.
    attempts = models.PositiveSmallIntegerField(default=0)
    deferrals = models.PositiveIntegerField(default=0, help_text="Tries put off by a connection failure or a 4xx.")
    # The server's answer (or the error) of the last try that did not succeed.
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # A claim is a lease: the worker renews it while it delivers; once it expires (the worker died) any worker
    # may claim the row again (issue 18).
    claimed_by = models.CharField(max_length=100, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Deliberate resends by a person; part of the Message-ID, so a receiving server never drops a resend
    # as a repeat of the first delivery (a worker's retry keeps the same Message-ID).
    resends = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    # The outbox is the LEDS Representative's (and administrators') page; addresses are not for every role.
    scoping = Scoping(agency="agency", person=None, agency_roles=frozenset({LEDS_REPRESENTATIVE}),
                      person_roles=frozenset(), state_roles=frozenset())
    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "obligation", "object_ref", "due_date", "stage"],
                condition=models.Q(stage__gt=""),
                name="outbox_one_reminder_per_stage",
            ),
        ]
        indexes = [
            # what delivery claims from, in id order, without walking the sent rows (notifications.services)
            models.Index(fields=["id"], condition=models.Q(status__in=["queued", "retry", "sending"]),
                         name="outbox_unsent_by_id"),
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)} ({self.get_status_display()})"

    @property
    def tries(self) -> int:
        """Every delivery try, deferred or not (the outbox page's "Tries")."""
        return self.attempts + self.deferrals
