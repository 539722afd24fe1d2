"""Fingerprint-based background checks and their adjudication (R-FP-1, R-BG-1, R-BG-2, R-BG-4).

Only dates, outcomes, reasons chosen from the rule's list and references are stored: there is no field
for criminal-history text (R-PE-1).
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

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
        return f"Fingerprints submitted {self.submitted_on:%Y-%m-%d}"


# --- state systems and accounts (R-AC-1..5) ---------------------------------------------------------------

class StateSystem(models.Model):
    """A state system a person holds an account on (R-AC-1): the state's own (``agency`` empty, seeded by a
    data migration: WebLEDS, LEDS 20/20 / eAgent, nexTEST, CJIS Online) or one an agency adds."""

    name = models.CharField(max_length=60)
    agency = models.ForeignKey("people.Agency", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="state_systems", help_text="Empty for the state's systems.")
    description = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="agency", person=None)

    class Meta:
        ordering = ["agency_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], condition=models.Q(agency__isnull=True),
                                    name="state_system_name_unique"),
            models.UniqueConstraint(fields=["agency", "name"], name="agency_system_name_unique"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_state_wide(self) -> bool:
        return self.agency_id is None


class StateAccount(VoidableRecord):
    """A person's account on one state system: requested → active → disable requested → disabled, each step
    with its date and time and who recorded it (R-AC-1). It cannot become active while the person's
    background check is not cleared (R-BG-1, enforced in ``services.activate_account``)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        ACTIVE = "active", "Active"
        DISABLE_REQUESTED = "disable_requested", "Disable requested"
        DISABLED = "disabled", "Disabled"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="state_accounts")
    system = models.ForeignKey(StateSystem, on_delete=models.PROTECT, related_name="accounts")
    username = models.CharField("user name on the system", max_length=80, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    activated_at = models.DateTimeField(null=True, blank=True)
    activated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    disable_requested_at = models.DateTimeField(null=True, blank=True)
    disable_requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+")
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    last_login_on = models.DateField("last login", null=True, blank=True,
                                     help_text="From the monthly account-activity import (R-AC-3).")
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="person__agency", person="person")

    class Meta:
        ordering = ["system__name", "-requested_at"]
        constraints = [
            # one open account per person and system; a disabled (or voided) one may be followed by a new request
            models.UniqueConstraint(fields=["person", "system"],
                                    condition=~models.Q(status="disabled") & models.Q(voided_at__isnull=True),
                                    name="one_open_account_per_person_and_system"),
            models.CheckConstraint(condition=~models.Q(status="active") | models.Q(activated_at__isnull=False),
                                   name="account_active_has_time"),
            models.CheckConstraint(condition=~models.Q(status="disabled") | models.Q(disabled_at__isnull=False),
                                   name="account_disabled_has_time"),
        ]

    def __str__(self):
        return f"{self.system} account of {self.person}"

    @property
    def is_enabled(self) -> bool:
        """Still usable on the state system: active, or disablement asked for but not yet confirmed."""
        return self.status in (self.Status.ACTIVE, self.Status.DISABLE_REQUESTED)


class DutyTransfer(VoidableRecord):
    """A transfer to duties that no longer need LEDS access (R-AC-2): like a separation, it makes every
    account of the person due for disablement 24 elapsed hours after ``transferred_at``."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="duty_transfers")
    transferred_at = models.DateTimeField("transfer date and time")
    new_duties = models.CharField(max_length=120, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="person__agency", person="person")

    class Meta:
        ordering = ["-transferred_at"]

    def __str__(self):
        return f"{self.person} transferred {self.transferred_at:%Y-%m-%d %H:%M}"


class AccessReview(models.Model):
    """The annual review of every active account of an agency (R-AC-4); read-only once signed."""

    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="access_reviews")
    started_at = models.DateTimeField()
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    signed_on = models.DateField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="agency", person=None, person_roles=frozenset())

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["agency"], condition=models.Q(signed_at__isnull=True),
                                    name="one_open_access_review_per_agency"),
        ]

    def __str__(self):
        return f"Access review {self.started_at:%Y-%m-%d} ({self.agency_id})"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class AccessReviewItem(models.Model):
    """One active account on the review's checklist: confirmed, or marked for disablement (R-AC-4)."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Not yet reviewed"
        CONFIRMED = "confirmed", "Confirmed"
        DISABLE = "disable", "Marked for disablement"

    review = models.ForeignKey(AccessReview, on_delete=models.PROTECT, related_name="items")
    account = models.ForeignKey(StateAccount, on_delete=models.PROTECT, related_name="review_items")
    decision = models.CharField(max_length=12, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="review__agency", person=None, person_roles=frozenset())

    class Meta:
        ordering = ["account__person__last_name", "account__person__first_name", "account__system__name"]
        constraints = [models.UniqueConstraint(fields=["review", "account"], name="one_review_item_per_account")]

    def __str__(self):
        return f"{self.account}: {self.get_decision_display()}"


class PasswordResetAssist(models.Model):
    """Help with a locked state account's password, logged (R-AC-5): who asked, who reset, when, which system."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="password_reset_assists",
                               help_text="Who asked for the reset.")
    system = models.ForeignKey(StateSystem, on_delete=models.PROTECT, related_name="+")
    reset_at = models.DateTimeField("reset date and time")
    reset_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 help_text="Who reset the password.")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="person__agency", person="person", person_roles=frozenset())

    class Meta:
        ordering = ["-reset_at"]

    def __str__(self):
        return f"{self.system} password reset for {self.person} {self.reset_at:%Y-%m-%d %H:%M}"
