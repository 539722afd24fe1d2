"""Fingerprint-based background checks and their adjudication (R-FP-1, R-BG-1, R-BG-2, R-BG-4).

Only dates, outcomes, reasons chosen from the rule's list and references are stored: there is no field
for criminal-history text (R-PE-1).
"""

from django.db import models
from simple_history.models import HistoricalRecords

from common.dates import in_words
from common.models import VoidableRecord
from people.scoping import AGENCY_AUDITOR, LASO, LEDS_REPRESENTATIVE, AgencyQuerySet, Scoping


class FingerprintCheck(VoidableRecord):
    """A fingerprint-based check: R-FP-1 reads ``submitted_on`` (within 30 days of assignment)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Pending"
        CLEARED = "cleared", "Cleared"
        DENIED = "denied", "Denied"
        EXCEPTION_REQUESTED = "exception_requested", "Exception requested"
        EXCEPTION_GRANTED = "exception_granted", "Exception granted"
        EXCEPTION_REFUSED = "exception_refused", "Exception refused"

    class DenialReason(models.TextChoices):
        """OAR 257-015-0050(6), R-BG-2."""

        FUGITIVE = "fugitive", "Fugitive"
        CURRENT_PROSECUTION = "current_prosecution", "Subject of a current prosecution"
        PENITENTIARY_CONVICTION = "penitentiary_conviction", (
            "Convicted of a crime that could carry a state or federal penitentiary sentence"
        )
        # a denial loaded from an agency's old spreadsheets may carry no reason (records import)
        NOT_RECORDED = "not_recorded", "Not recorded (imported history)"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="fingerprint_checks")
    taken_on = models.DateField(null=True, blank=True)
    submitted_on = models.DateField()
    transaction_number = models.CharField(max_length=40, blank=True)
    result_on = models.DateField("result date", null=True, blank=True)
    outcome = models.CharField(max_length=24, choices=Outcome.choices, default=Outcome.PENDING)
    denial_reason = models.CharField(max_length=32, choices=DenialReason.choices, blank=True)
    denial_notice_sent_on = models.DateField("written denial notice sent", null=True, blank=True)
    exception_requested_on = models.DateField(null=True, blank=True)
    exception_decided_on = models.DateField(null=True, blank=True)
    exception_reference = models.CharField(
        "authorization reference", max_length=80, blank=True,
        help_text="The Superintendent's authorization reference (the state files the decision centrally).",
    )
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    # R-BG-4: background records are read by the LASO, the LEDS Representative and auditors only
    scoping = Scoping(
        agency="person__agency", person="person",
        agency_roles=frozenset({LEDS_REPRESENTATIVE, LASO, AGENCY_AUDITOR}), person_roles=frozenset(),
    )

    class Meta:
        ordering = ["-submitted_on"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(outcome="denied") | ~models.Q(denial_reason=""),
                name="fingerprint_denial_has_reason",
            ),
        ]

    @property
    def is_cleared(self) -> bool:
        """R-BG-1: cleared outright, or by an exception the Superintendent granted."""
        return self.outcome in (self.Outcome.CLEARED, self.Outcome.EXCEPTION_GRANTED)

    def __str__(self):
        return f"Fingerprints submitted {in_words(self.submitted_on)}"
